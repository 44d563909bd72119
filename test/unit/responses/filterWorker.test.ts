import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FilterExpressionError, filterJsonFileOffThread } from '../../../src/responses/filterWorker';
import { queryJsonPath } from '../../../src/platform/jsonpath';

describe('filtering a large answer in a worker thread', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  const doc = { totalResults: 3, Resources: [{ userName: 'a@x.example', active: true }, { userName: 'b@x.example', active: false }, { userName: 'Zoë@x.example', active: false }] };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-filter-'));
    file = path.join(dir, 'GET ∕Users · 200.json');
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('selects what the same JSONPath engine selects on the thread, formatted; one match as the value itself', async () => {
    for (const expression of ['$.Resources[*].userName', '$..[?(@.active==false)]', '$.totalResults', '$.nothing']) {
      const selected = queryJsonPath(expression, doc);
      const actual = await filterJsonFileOffThread(file, expression);
      assert.equal(actual.matches, selected.length, expression);
      assert.equal(actual.text, JSON.stringify(selected.length === 1 ? selected[0] : selected, null, 2), expression);
    }
  });

  it('says when the expression does not read, or the file is not JSON, and stops on abort', async () => {
    await assert.rejects(filterJsonFileOffThread(file, '$.Resources[?(@.a==)]'), FilterExpressionError);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"a": ');
    await assert.rejects(filterJsonFileOffThread(broken, '$.a'), (error: Error) => !(error instanceof FilterExpressionError) && /JSON/.test(error.message));
    const abort = new AbortController();
    const running = filterJsonFileOffThread(file, '$..userName', { signal: abort.signal });
    abort.abort();
    await assert.rejects(running, (error: Error) => error.name === 'AbortError');
  });
});
