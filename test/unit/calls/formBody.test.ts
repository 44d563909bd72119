import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ApiUsageError } from '../../../src/platform/errors';
import type { FormField } from '../../../src/catalog/catalog';
import { toCurl } from '../../../src/calls/curl';
import { encodeForm, formFromTab, formToHttpText, mediaTypeOf, type FormRequestBody } from '../../../src/calls/formBody';
import { formSchema, initialForm } from '../../../src/catalog/requestBody';
import { resolveApiTarget } from '../../../src/platform/resolver';
import { parseMultipart } from '../../../src/localConcur/uploads';

const FIELDS: FormField[] = [
  { name: 'receipt', kind: 'text', required: true, description: 'The receipt as JSON' },
  { name: 'image', kind: 'file', required: false, description: 'The image' },
];

describe('Form bodies', () => {
  let dir: string;
  let image: string;
  let bytes: Buffer;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-form-'));
    image = path.join(dir, 'receipt.png');
    // Every byte value, CR and LF among them, and the text of a boundary line.
    bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--\r\n'), randomBytes(4096)]);
    fs.writeFileSync(image, bytes);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the tab\'s object into fields: empty ones left out, file fields marked, required ones checked', () => {
    const form = formFromTab({ $schema: 'x', receipt: '{"total": 1}', image: 'receipt.png', note: '' }, 'multipart', FIELDS);
    assert.deepEqual(form, { kind: 'multipart', fields: [{ name: 'receipt', value: '{"total": 1}' }, { name: 'image', value: 'receipt.png', file: true }] });
    assert.throws(() => formFromTab({ image: 'x.png' }, 'multipart', FIELDS), (e: Error) => e instanceof ApiUsageError && /"receipt" is required/.test(e.message));
    assert.throws(() => formFromTab({ receipt: { nested: true } }, 'multipart', FIELDS), /must be text, a number or true\/false/);
    assert.throws(() => formFromTab([1], 'multipart', FIELDS), /must be a JSON object/);
    // In a form-urlencoded body a "file" field is text.
    assert.deepEqual(formFromTab({ receipt: 'a', image: 'b' }, 'urlencoded', FIELDS).fields, [{ name: 'receipt', value: 'a' }, { name: 'image', value: 'b' }]);
  });

  it('sends multipart/form-data with CRLF line ends, a boundary found in no part, and the file\'s exact bytes', async () => {
    const encoded = await encodeForm({ kind: 'multipart', fields: [{ name: 'receipt', value: '{"total":1}' }, { name: 'image', value: 'receipt.png', file: true }] }, dir);
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(encoded.contentType)?.[1];
    assert.ok(boundary && boundary.length <= 70, encoded.contentType);
    assert.ok(!bytes.includes(boundary));
    const text = encoded.body.toString('latin1');
    assert.ok(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="receipt"\r\nContent-Type: application/json\r\n\r\n{"total":1}\r\n--${boundary}\r\n`), JSON.stringify(text.slice(0, 300)));
    assert.ok(text.includes(`Content-Disposition: form-data; name="image"; filename="receipt.png"\r\nContent-Type: image/png\r\n\r\n`));
    assert.ok(text.endsWith(`\r\n--${boundary}--\r\n`));
    const parts = parseMultipart(encoded.body, encoded.contentType);
    assert.ok(Array.isArray(parts), String(parts));
    assert.deepEqual(parts.map((p) => [p.name, p.filename, p.contentType]), [
      ['receipt', undefined, 'application/json'],
      ['image', 'receipt.png', 'image/png'],
    ]);
    assert.equal(createHash('sha256').update(parts[1].content).digest('hex'), createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(encoded.summary, ['receipt (11 B)', `image: receipt.png (${(bytes.length / 1024).toFixed(1)} KB)`]);
  });

  it('round-trips any field names and values through the multipart a server reads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), value: fc.string({ maxLength: 200 }) }), { minLength: 1, maxLength: 6 }), async (fields) => {
        const encoded = await encodeForm({ kind: 'multipart', fields }, dir);
        const parts = parseMultipart(encoded.body, encoded.contentType);
        assert.ok(Array.isArray(parts), String(parts));
        assert.deepEqual(parts.map((p) => p.content.toString('utf8')), fields.map((f) => f.value));
        // Names travel with CR, LF and quotes escaped (RFC 7578 §4.2).
        assert.deepEqual(parts.map((p) => p.name), fields.map((f) => f.name.replace(/[\r\n"]/g, (c) => encodeURIComponent(c))));
      }),
      { numRuns: 100 },
    );
  });

  it('sends form-urlencoded as name=value pairs joined with &, and says what is wrong with a file', async () => {
    const encoded = await encodeForm({ kind: 'urlencoded', fields: [{ name: 'client_id', value: 'a b&c' }, { name: 'x', value: 'é' }] }, dir);
    assert.equal(encoded.contentType, 'application/x-www-form-urlencoded');
    assert.equal(encoded.body.toString(), 'client_id=a+b%26c&x=%C3%A9');
    await assert.rejects(encodeForm({ kind: 'multipart', fields: [{ name: 'image', value: 'missing.png', file: true }] }, dir), /missing\.png for the form field "image" does not exist/);
    await assert.rejects(encodeForm({ kind: 'multipart', fields: [{ name: 'image', value: dir, file: true }] }, dir), /which is not a file/);
  });

  it('names media types by extension', () => {
    assert.equal(mediaTypeOf('a.JPG'), 'image/jpeg');
    assert.equal(mediaTypeOf('a.pdf'), 'application/pdf');
    assert.equal(mediaTypeOf('a.bin'), 'application/octet-stream');
  });

  it('offers the fields in the tab with a schema: required ones required, file fields as paths', () => {
    const endpoint = { id: 'def-x:postReceipt' } as Parameters<typeof initialForm>[0];
    assert.deepEqual(JSON.parse(initialForm(endpoint, FIELDS)), { $schema: 'concur-schema:/def-x%3ApostReceipt/form.json', receipt: '', image: '' });
    const schema = formSchema(FIELDS, 'multipart') as { required: string[]; properties: Record<string, { type: unknown; description?: string }> };
    assert.deepEqual(schema.required, ['receipt']);
    assert.equal(schema.properties.image.type, 'string');
    assert.match(schema.properties.image.description ?? '', /path of the file/);
  });

  it('copies as cURL with -F (the file by path) and writes a request file\'s multipart text', () => {
    const form: FormRequestBody = { kind: 'multipart', fields: [{ name: 'receipt', value: '{"a":"it\'s"}' }, { name: 'image', value: 'receipt.png', file: true }] };
    const resolution = resolveApiTarget('/receipts/v4/users/u1', { geolocation: 'https://us2.api.concursolutions.com', baseUrl: 'https://us2.api.concursolutions.com' });
    assert.ok(resolution.ok);
    const curl = toCurl({ method: 'POST', url: resolution.url, headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: Buffer.from('bytes'), form, baseDir: dir });
    assert.ok(!/content-type/i.test(curl), 'cURL writes its own boundary');
    assert.match(curl, /--form-string 'receipt=\{"a":"it'\\''s"\}'/);
    assert.ok(curl.includes(`-F 'image=@${image};type=image/png'`));
    const text = formToHttpText(form, dir);
    assert.equal(text.contentType, 'multipart/form-data; boundary=ConcurApiExplorerBoundary');
    assert.ok(text.body.includes(`filename="receipt.png"\nContent-Type: image/png\n\n< ${image}\n--ConcurApiExplorerBoundary--`));
  });
});
