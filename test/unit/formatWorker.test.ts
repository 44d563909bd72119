import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { formatBody } from '../../src/concur/format';
import { formatBodyOffThread } from '../../src/concur/formatWorker';

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
    const baseline = threadHandles();
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
});
