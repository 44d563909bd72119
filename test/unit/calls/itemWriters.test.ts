import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createItemWriter, csvField, flatten, type ItemFormat } from '../../../src/calls/itemWriters';

/** Items that break naive writers. */
const ODD_ITEMS: readonly unknown[] = [
  { id: 1, name: { givenName: 'Zoë', familyName: 'O"Brien, Jr.' }, emails: [{ value: 'a@b.c', primary: true }], active: true },
  { id: 2, note: 'line one\r\nline two\nthree\rfour', amount: -12.5, name: { givenName: '👩‍💻 e\u0301' } },
  { id: 3, formula: '=HYPERLINK("http://x","y")', plus: '+1+2', minus: '-1-2', at: '@SUM(A1)', tab: '\tx', nothing: null, zero: 0, no: false },
  { id: 4, rtl: 'שלום, עולם', arabic: 'مرحبا "بالعالم"', empty: '', nested: { deep: { deeper: 'x' } }, emptyObject: {}, list: [] },
  'a bare string, with a comma',
  42,
  null,
  [1, 'two', { three: 3 }],
  { id: 5, 'key,with"odd': 'v', '🚀': 'rocket' },
];

/** A small RFC 4180 reader: fields, quotes doubled inside quoted fields, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      assert.ok(c !== '\r' && c !== '\n' && c !== '"', `bare ${JSON.stringify(c)} outside quotes at ${i}`);
      field += c;
      i++;
    }
  }
  assert.equal(field, '', 'the last row ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

/** What a spreadsheet cell should read after the formula guard. */
function guarded(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value) ? `'${value}` : value;
}

describe('item writers', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'item-writers-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function writeAll(format: ItemFormat, pages: readonly (readonly unknown[])[]): Promise<{ file: string; text: string; items: number; bytes: number }> {
    const file = path.join(dir, `out.${format}`);
    const writer = await createItemWriter(file, format);
    for (const page of pages) await writer.write(page);
    const { items, bytes } = await writer.close();
    assert.equal(bytes, fs.statSync(file).size);
    assert.ok(!fs.existsSync(`${file}.part`), 'no spool left');
    return { file, text: fs.readFileSync(file, 'utf8'), items, bytes };
  }

  it('json: an array written item by item that parses back to the items', async () => {
    const { text, items } = await writeAll('json', [ODD_ITEMS.slice(0, 4), [], ODD_ITEMS.slice(4)]);
    assert.equal(items, ODD_ITEMS.length);
    assert.deepEqual(JSON.parse(text), ODD_ITEMS);
    assert.ok(text.startsWith('[\n{"id":1,'));
    assert.ok(text.endsWith('}\n]\n'));
    assert.equal(text.split(',\n').length, ODD_ITEMS.length);
    assert.equal((await writeAll('json', [])).text, '[]\n');
  });

  it('ndjson: one line per item, each parses back', async () => {
    const { text, items } = await writeAll('ndjson', [ODD_ITEMS.slice(0, 2), ODD_ITEMS.slice(2)]);
    assert.equal(items, ODD_ITEMS.length);
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), ODD_ITEMS);
    assert.equal((await writeAll('ndjson', [])).text, '');
  });

  it('csv: BOM, header = union of flattened keys in first-seen order, aligned rows, RFC 4180 quoting', async () => {
    const { text, items } = await writeAll('csv', [ODD_ITEMS.slice(0, 3), ODD_ITEMS.slice(3)]);
    assert.equal(items, ODD_ITEMS.length);
    assert.ok(text.startsWith('\uFEFF'), 'UTF-8 BOM for Excel');
    const rows = parseCsv(text.slice(1));
    const header = rows[0];
    assert.deepEqual(header, [
      'id', 'name.givenName', 'name.familyName', 'emails', 'active',
      'note', 'amount',
      'formula', 'plus', 'minus', 'at', 'tab', 'nothing', 'zero', 'no',
      'rtl', 'arabic', 'empty', 'nested.deep.deeper', 'emptyObject', 'list',
      'value',
      'key,with"odd', '🚀',
    ]);
    assert.equal(rows.length, ODD_ITEMS.length + 1);
    ODD_ITEMS.forEach((item, i) => {
      const row = rows[i + 1];
      assert.equal(row.length, header.length, `row ${i + 1} has every column`);
      const flat = flatten(item);
      header.forEach((column, c) => assert.equal(row[c], column in flat ? guarded(flat[column]) : '', `row ${i + 1}, ${column}`));
    });
    // Spot checks against the literal file text.
    assert.ok(text.includes('"O""Brien, Jr."'));
    assert.ok(text.includes('"line one\r\nline two\nthree\rfour"'));
    assert.ok(text.includes(`"'=HYPERLINK(""http://x"",""y"")"`));
    assert.ok(text.includes(",-12.5,"), 'a negative number stays a number');
    assert.ok(text.includes("'+1+2,'-1-2,'@SUM(A1),'\tx,,0,false"));
    assert.ok(text.includes('"[{""value"":""a@b.c"",""primary"":true}]"'));
    assert.ok(text.includes('👩‍💻 e\u0301') && text.includes('"שלום, עולם"'));
    assert.equal((await writeAll('csv', [])).text, '\uFEFF');
  });

  it('flatten and csvField', () => {
    assert.deepEqual(flatten({ a: { b: { c: 1 } }, d: [1, { e: 2 }], f: null, g: undefined, h: {}, i: true }), { 'a.b.c': '1', d: '[1,{"e":2}]', f: '', h: '{}', i: 'true' });
    assert.deepEqual(flatten('x'), { value: 'x' });
    assert.deepEqual(flatten([1]), { value: '[1]' });
    assert.deepEqual(flatten(undefined), {});
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField(''), '');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField('a\rb'), '"a\rb"');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('+1'), '+1');
    assert.equal(csvField('-3.25e2'), '-3.25e2');
    assert.equal(csvField('-'), "'-");
    assert.equal(csvField('@x'), "'@x");
    assert.equal(csvField('=A1,"x"'), `"'=A1,""x"""`);
    assert.equal(csvField('\r=x'), `"'\r=x"`);
  });

  for (const format of ['json', 'ndjson', 'csv'] as const) {
    it(`${format}: abort deletes the partial file and the spool`, async () => {
      const file = path.join(dir, `partial.${format}`);
      const writer = await createItemWriter(file, format);
      await writer.write(ODD_ITEMS);
      assert.ok(fs.existsSync(`${file}.part`));
      assert.ok(!fs.existsSync(file), 'the target is touched only at close');
      await writer.abort();
      assert.deepEqual(fs.readdirSync(dir), []);
      await assert.rejects(writer.write(ODD_ITEMS), /aborted/);
      await assert.rejects(writer.close(), /aborted/);
      await writer.abort(); // twice is fine
    });
  }

  it('abort while a large write is in flight stops it and cleans up', async () => {
    const file = path.join(dir, 'big.json');
    const writer = await createItemWriter(file, 'json');
    await writer.write([{ first: true }]);
    const page = Array.from({ length: 200_000 }, (_, i) => ({ i, pad: 'x'.repeat(100) }));
    const writing = writer.write(page);
    // Abort once the large write has put bytes in the file, i.e. while it runs.
    const startSize = fs.statSync(`${file}.part`).size;
    for (let i = 0; i < 500 && fs.statSync(`${file}.part`).size <= startSize; i++) await new Promise((resolve) => setTimeout(resolve, 2));
    assert.ok(fs.statSync(`${file}.part`).size > startSize, 'the large write had started');
    await writer.abort();
    await assert.rejects(writing, /aborted|destroyed|closed/i);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  for (const format of ['json', 'ndjson', 'csv'] as const) {
    it(`${format}: an existing file survives a cancel, and is replaced only when the writer closes`, async () => {
      const file = path.join(dir, `existing.${format}`);
      fs.writeFileSync(file, 'the user\'s own data');
      const cancelled = await createItemWriter(file, format);
      await cancelled.write(ODD_ITEMS);
      await cancelled.abort();
      assert.equal(fs.readFileSync(file, 'utf8'), 'the user\'s own data');
      const done = await createItemWriter(file, format);
      await done.write(ODD_ITEMS);
      await done.close();
      assert.notEqual(fs.readFileSync(file, 'utf8'), 'the user\'s own data');
      assert.deepEqual(fs.readdirSync(dir), [`existing.${format}`]);
      fs.rmSync(file);
    });
  }

  it('csv: an existing file is replaced at close, and left alone by an abort before it', async () => {
    const file = path.join(dir, 'existing.csv');
    fs.writeFileSync(file, 'old');
    const aborted = await createItemWriter(file, 'csv');
    await aborted.write([{ a: 1 }]);
    await aborted.abort();
    assert.equal(fs.readFileSync(file, 'utf8'), 'old');
    const writer = await createItemWriter(file, 'csv');
    await writer.write([{ a: 1 }]);
    await writer.close();
    assert.equal(fs.readFileSync(file, 'utf8'), '\uFEFFa\r\n1\r\n');
    await writer.abort(); // after close: nothing to undo
    assert.ok(fs.existsSync(file));
  });

  it('an unwritable target rejects at creation', async () => {
    await assert.rejects(createItemWriter(path.join(dir, 'no', 'such', 'dir.json'), 'json'), /ENOENT/);
    await assert.rejects(createItemWriter(path.join(dir, 'x.csv'), 'tsv' as ItemFormat), /Unknown item format/);
  });

  it('200,000 items in every format: memory stays flat', async function () {
    this.timeout(30_000);
    const pages = 200;
    const perPage = 1_000;
    const item = (n: number): unknown => ({ id: n, userName: `user${n}@example.com`, name: { givenName: 'Zoë', familyName: `Müller ${n}` }, active: n % 2 === 0, ...(n % 1000 === 999 ? { late: n } : {}) });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const started = Date.now();
    for (const format of ['json', 'ndjson', 'csv'] as const) {
      const file = path.join(dir, `many.${format}`);
      const writer = await createItemWriter(file, format);
      for (let p = 0; p < pages; p++) {
        await writer.write(Array.from({ length: perPage }, (_, i) => item(p * perPage + i)));
        if (p % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      const { items, bytes } = await writer.close();
      peak = Math.max(peak, process.memoryUsage().rss);
      assert.equal(items, pages * perPage);
      assert.equal(bytes, fs.statSync(file).size);
      if (format === 'csv') {
        const head = fs.readFileSync(file, 'utf8').slice(0, 200);
        assert.ok(head.startsWith('\uFEFFid,userName,name.givenName,name.familyName,active,late\r\n0,user0@example.com,Zoë,Müller 0,true,\r\n'), head);
      }
      fs.rmSync(file);
    }
    const elapsed = Date.now() - started;
    const growthMB = (peak - before) / 1_048_576;
    console.log(`      200,000 items × 3 formats in ${elapsed} ms, peak RSS growth ${growthMB.toFixed(1)} MB`);
    assert.ok(growthMB < 64, `RSS grew by ${growthMB.toFixed(1)} MB`);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
  });
});
