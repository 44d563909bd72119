import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatBody } from '../../../src/responses/format';
import { detectPaging, nextPageUrl } from '../../../src/responses/paging';
import { isJsonBody, loadResponseJson, RequestStore, responseJson, retainedBytes, type ResponseRecord } from '../../../src/calls/requestStore';
import { formatBodyOffThread } from '../../../src/responses/formatWorker';

/** Off-thread result vs formatBody: same text (byte for byte), language and note; json only on the calling thread. */
async function assertSame(body: Buffer, contentType: string, truncated: boolean, maxMB: number, threshold?: number): Promise<void> {
  const expected = formatBody(body, contentType, truncated, maxMB);
  const actual = await formatBodyOffThread(body, contentType, truncated, maxMB, threshold === undefined ? {} : { threshold });
  assert.ok(actual.text === expected.text, `text differs (${actual.text.length} vs ${expected.text.length} chars)`);
  assert.equal(Buffer.compare(Buffer.from(actual.text, 'utf16le'), Buffer.from(expected.text, 'utf16le')), 0);
  assert.equal(actual.language, expected.language);
  assert.equal(actual.note, expected.note);
  if (threshold !== undefined && body.length > threshold) {
    assert.equal(actual.json, undefined, 'the parsed object does not come back from the worker');
    assert.equal(actual.jsonOmitted, expected.json !== undefined ? true : undefined);
    if (actual.jsonOmitted) assert.deepEqual(JSON.parse(actual.text), expected.json);
  }
}

function bigJson(bytes: number): Buffer {
  const items: unknown[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = { id: i, name: { givenName: 'Zoë', familyName: `Müller-${i}` }, note: i % 7 ? null : 'Café "🚀" שלום e\u0301', tags: ['a', 'b'], ok: i % 2 === 0 };
    size += JSON.stringify(item).length;
    items.push(item);
  }
  return Buffer.from(JSON.stringify({ Resources: items }));
}

/** Worker threads and message ports alive in this process. */
function threadHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => /Worker|MessagePort/.test(name)).length;
}

async function settleHandles(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && threadHandles() > baseline; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return threadHandles();
}

describe('format worker', function () {
  this.timeout(30_000);

  it('small JSON: formatted on the calling thread, parsed object included', async () => {
    const body = Buffer.from('{"a":[1,2,{"b":null}],"c":"é"}');
    const actual = await formatBodyOffThread(body, 'application/json', false, 20);
    assert.deepEqual(actual, formatBody(body, 'application/json', false, 20));
    assert.deepEqual(actual.json, { a: [1, 2, { b: null }], c: 'é' });
  });

  it('a 3 MB JSON body: formatted in a worker, the same text, json left to the caller', async () => {
    const body = bigJson(3 * 1_048_576);
    assert.ok(body.length > 3 * 1_000_000);
    await assertSame(body, 'application/json; charset=utf-8', false, 20, 1024);
    await assertSame(body, 'application/json', false, 20); // default threshold, 1 MB
  });

  it('a text cut into slices mid surrogate pair comes back whole', async () => {
    // `{\n  "ab": "` is 11 characters, so the emoji pairs straddle every even slice boundary.
    const body = Buffer.from(JSON.stringify({ ab: '😀'.repeat(1_500_000) }));
    await assertSame(body, 'application/json', false, 20, 1024);
  });

  it('invalid JSON, XML, a truncated body and non-UTF-8 bytes match formatBody', async () => {
    const invalid = Buffer.from(`{"a": [1, 2, ${'3, '.repeat(10_000)}`);
    await assertSame(invalid, 'application/json', false, 20, 1024);
    const xml = Buffer.from(`<?xml version="1.0"?><r>${'<i a="1">é &amp; 🚀</i>'.repeat(5_000)}</r>`);
    await assertSame(xml, 'application/xml', false, 20, 1024);
    await assertSame(xml, 'text/plain', false, 20, 1024); // sniffed
    const cut = bigJson(200_000).subarray(0, 150_000);
    await assertSame(cut, 'application/json', true, 7, 1024);
    const nonUtf8 = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xe9, 0x80, 0xc3]), Buffer.from('x'.repeat(5_000)), Buffer.from('"}')]);
    await assertSame(nonUtf8, 'application/json', false, 20, 1024);
    await assertSame(Buffer.from('  \n  '), 'application/json', false, 20, 0); // empty text from the worker
    await assertSame(Buffer.from('plain words'), 'text/plain', false, 20, 0);
  });

  it('aborting terminates the worker and rejects with an AbortError; the next run works', async () => {
    // Workers of earlier tests may still be on their way out on a busy machine.
    const baseline = await settleHandles(0);
    const body = bigJson(20 * 1_048_576);
    const controller = new AbortController();
    const running = formatBodyOffThread(body, 'application/json', false, 100, { threshold: 1024, signal: controller.signal });
    let atAbort = 0;
    const abortWhenStarted = setInterval(() => {
      atAbort = threadHandles();
      if (atAbort > baseline) {
        clearInterval(abortWhenStarted);
        controller.abort();
      }
    }, 5);
    await assert.rejects(running, (error: Error) => error.name === 'AbortError');
    clearInterval(abortWhenStarted);
    assert.ok(atAbort > baseline, 'aborted while the worker was running');
    assert.equal(await settleHandles(baseline), baseline, 'the worker is gone');

    const aborted = AbortSignal.abort();
    await assert.rejects(formatBodyOffThread(body, 'application/json', false, 100, { signal: aborted }), (error: Error) => error.name === 'AbortError');

    const small = Buffer.from(JSON.stringify({ x: 'y'.repeat(4096) }));
    await assertSame(small, 'application/json', false, 20, 1024);
    assert.equal(await settleHandles(baseline), baseline, 'no worker left behind after a normal run');
  });

  it('a module path without formatBody rejects with a clear error', async () => {
    const body = Buffer.from(JSON.stringify({ x: 'y'.repeat(4096) }));
    const missing = path.join(__dirname, 'no-such-format-module.js');
    await assert.rejects(formatBodyOffThread(body, 'application/json', false, 20, { threshold: 1024, modulePath: missing }), /Formatting the body in a worker failed/);
  });

  it('with a file: the worker writes the very text formatBody gives to it, and none comes back', async () => {
    const body = bigJson(2 * 1_048_576);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-format-'));
    try {
      const file = path.join(dir, 'a', 'GET ∕x · 200.json');
      const actual = await formatBodyOffThread(body, 'application/json', false, 20, { threshold: 1024, file });
      assert.equal(actual.text, '');
      assert.equal(actual.file, file);
      assert.equal(actual.jsonOmitted, true);
      const written = fs.readFileSync(file);
      assert.equal(actual.fileBytes, written.length);
      assert.equal(Buffer.compare(written, Buffer.from(formatBody(body, 'application/json', false, 20).text, 'utf8')), 0);
      // Below the threshold the text comes back and no file is written.
      const small = await formatBodyOffThread(Buffer.from('{"a":1}'), 'application/json', false, 20, { threshold: 1024, file: path.join(dir, 'b.json') });
      assert.equal(small.text, '{\n  "a": 1\n}');
      assert.ok(!fs.existsSync(path.join(dir, 'b.json')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with transfer: the worker takes the body\'s memory (the caller\'s Buffer is detached) and gives the same text', async () => {
    const source = bigJson(2 * 1_048_576);
    const owned = Buffer.allocUnsafe(source.length);
    source.copy(owned);
    assert.equal(owned.buffer.byteLength, owned.length);
    const actual = await formatBodyOffThread(owned, 'application/json', false, 20, { threshold: 1024, transfer: true });
    assert.equal(owned.length, 0, 'detached');
    assert.ok(actual.text === formatBody(source, 'application/json', false, 20).text);
    // A slice of a larger buffer is copied even when transfer is asked for.
    const slice = Buffer.concat([Buffer.from('xx'), source]).subarray(2);
    await formatBodyOffThread(slice, 'application/json', false, 20, { threshold: 1024, transfer: true });
    assert.equal(slice.length, source.length, 'not detached');
  });

  it('writes its notes in the language it is given (the worker cannot reach VS Code\'s translations)', async () => {
    const translations = { 'The body is not valid JSON ({0}); it is shown as it came.': 'Der Text ist kein gültiges JSON ({0}); er wird so angezeigt, wie er kam.' };
    const body = Buffer.from(`{"a": ${'1'.repeat(4096)}`);
    const actual = await formatBodyOffThread(body, 'application/json', false, 20, { threshold: 1024, translations });
    assert.match(actual.note ?? '', /^Der Text ist kein gültiges JSON \(.+\); er wird so angezeigt, wie er kam\.$/);
  });

  it('finds the paging style and next page where the JSON is parsed, as detectPaging and nextPageUrl do', async () => {
    const url = 'https://us.api.concursolutions.com/profile/identity/v4/Users?count=2';
    const pages: unknown[] = [
      { totalResults: 5, startIndex: 1, itemsPerPage: 2, Resources: [{ id: 1 }, { id: 2 }] },
      { Resources: [{ id: 1 }], nextCursor: 'abc' },
      { Items: [{ ID: 'x' }], NextPage: 'https://us.api.concursolutions.com/api/v3.0/expense/reports?offset=xyz' },
      { content: [{ id: 1 }], page: { size: 1, totalElements: 3, totalPages: 3, number: 1 } },
      { totalResults: 2, startIndex: 1, itemsPerPage: 2, Resources: [{ id: 1 }, { id: 2 }] },
      { just: 'an object' },
    ];
    for (const page of pages) {
      const body = Buffer.from(JSON.stringify({ ...(page as object), padding: 'x'.repeat(4096) }));
      const parsed = JSON.parse(body.toString()) as unknown;
      const style = detectPaging(parsed);
      const expected = { style, next: style === 'none' ? undefined : nextPageUrl(style, url, parsed) };
      for (const threshold of [1024, 1_048_576]) {
        const actual = await formatBodyOffThread(body, 'application/json', false, 20, { threshold, paging: { hint: 'none', url } });
        assert.deepEqual(actual.paging, expected, `${JSON.stringify(page)} (threshold ${threshold})`);
      }
    }
    // A style the catalog knows wins over detection; a non-JSON answer has none.
    const hinted = await formatBodyOffThread(Buffer.from(JSON.stringify(pages[0])), 'application/json', false, 20, { threshold: 10, paging: { hint: 'cursor', url } });
    assert.equal(hinted.paging?.style, 'cursor');
    const xml = await formatBodyOffThread(Buffer.from('<a/>'.repeat(500)), 'application/xml', false, 20, { threshold: 10, paging: { hint: 'scim', url } });
    assert.deepEqual(xml.paging, { style: 'none', next: undefined });
  });
});

describe('response store: bounded by the bytes it holds', () => {
  const record = (text: string, raw: number, extra: Partial<ResponseRecord['body']> = {}): Omit<ResponseRecord, 'id'> =>
    ({
      request: { method: 'GET', target: '/x', paging: 'none' },
      result: { body: Buffer.alloc(raw), status: 200 } as unknown as ResponseRecord['result'],
      body: { text, language: 'json', ...extra },
      paging: 'none',
    }) as Omit<ResponseRecord, 'id'>;

  it('counts raw body, text (two bytes a character) and parsed JSON, and forgets the oldest beyond the limit', () => {
    const store = new RequestStore({ historySize: 10, keepResponses: 100, keepBytes: 10_000 });
    const forgotten: number[] = [];
    store.onDidForgetResponse((r) => forgotten.push(r.id));
    const a = store.addResponse(record('x'.repeat(1000), 1000, { json: {} }));
    assert.equal(retainedBytes(a), 1000 + 2000 + 2000);
    const b = store.addResponse(record('y'.repeat(1000), 0));
    assert.equal(store.retainedBytes, 5000 + 2000);
    const c = store.addResponse(record('z'.repeat(1600), 0));
    assert.deepEqual(forgotten, [a.id], 'the oldest goes once the bytes exceed the limit');
    assert.deepEqual(store.keptResponses().map((r) => r.id), [c.id, b.id]);
    assert.ok(store.retainedBytes <= 10_000);
    // A single answer larger than the limit is still kept (it is the one being shown).
    const huge = store.addResponse(record('h'.repeat(20_000), 0));
    assert.deepEqual(store.keptResponses().map((r) => r.id), [huge.id]);
  });

  it('a file-backed answer holds no text; a worker-formatted one is parsed once, when first needed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-store-'));
    try {
      const file = path.join(dir, 'r.json');
      fs.writeFileSync(file, '{\n  "a": [1, 2]\n}');
      const store = new RequestStore();
      const onFile = store.addResponse(record('', 0, { jsonOmitted: true, file, fileBytes: 20 }));
      assert.equal(retainedBytes(onFile), 0);
      assert.ok(isJsonBody(onFile));
      assert.equal(responseJson(onFile), undefined, 'a file is read only asynchronously');
      assert.deepEqual(await loadResponseJson(onFile), { a: [1, 2] });
      const lazy = store.addResponse(record('{"b":true}', 0, { jsonOmitted: true }));
      assert.equal(retainedBytes(lazy), 20);
      assert.deepEqual(responseJson(lazy), { b: true });
      assert.equal(responseJson(lazy), responseJson(lazy), 'parsed once');
      assert.equal(retainedBytes(lazy), 40, 'the parsed object counts once it exists');
      const text = store.addResponse(record('plain', 0));
      assert.ok(!isJsonBody(text));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
