/**
 * API definition files as Concur publishes them: each quirk of Concur's own files reproduced in a
 * small document written here (none of Concur's files is in this repository), and each read the way
 * Concur's hosts serve the operations. Also the hostile documents a workspace could list: templates,
 * schemas and YAML that would hold the extension host, and `$ref`s that would read what they should not.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { allEndpoints, catalogByProduct, endpointForPath, setDefinitionEntries, type DefinitionEntries, type Endpoint } from '../../../src/catalog/catalog';
import { BUILTIN_CATALOG } from '../../../src/catalog/builtinCatalog';
import { publishedByKey, publishedKeyOf, publishedUrl, PUBLISHED_DEFINITIONS } from '../../../src/catalog/publishedDefinitions';
import { checkAgainstSchema, DefinitionError, loadDefinition, schemaCompileFailure, type LoadOptions } from '../../../src/catalog/definitions/openapi';
import { documentPrefix, joinPrefix, splitTemplateQuery } from '../../../src/catalog/definitions/paths';

const noFetch: LoadOptions = { fetchText: async (url) => Promise.reject(new Error(`unexpected download of ${url}`)) };

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-quirks-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a document and loads it. */
async function load(doc: unknown, options: { name?: string; basePath?: string; product?: string; text?: string } = {}): Promise<DefinitionEntries> {
  const dir = tempDir();
  const file = path.join(dir, options.name ?? 'doc.json');
  fs.writeFileSync(file, options.text ?? JSON.stringify(doc));
  return loadDefinition({ id: 'q', location: file, basePath: options.basePath, product: options.product }, noFetch);
}

const ok = { description: 'ok' };
const routes = (entries: DefinitionEntries): string[] => entries.endpoints.map((e) => `${e.method} ${e.path}`);

describe('API definitions as Concur publishes them', () => {
  it('puts an OpenAPI 3 server URL\'s path before each path, never its host, with server variables filled in', async () => {
    const entries = await load({
      openapi: '3.0.1',
      info: { title: 'Cards like', version: 'v4' },
      servers: [{ url: 'https://{region}.api.example.invalid/{service}', variables: { region: { default: 'us' }, service: { default: 'cards' } } }, { url: 'https://eu.elsewhere.invalid/other' }],
      paths: { '/v4/companies/{companyId}/bulkrequests/{id}': { get: { responses: { 200: ok } } } },
    });
    assert.deepEqual(routes(entries), ['GET /cards/v4/companies/{companyId}/bulkrequests/{id}']);
    assert.ok(!JSON.stringify(entries.endpoints).includes('example.invalid'));
  });

  it('keeps three versions of one API apart: each file\'s server path decides, so the same /Users paths do not collapse', async () => {
    const doc = (version: string): unknown => ({ openapi: '3.0.1', info: { title: 'Identity APIs', version }, servers: [{ url: `https://us.example.invalid/profile/identity/${version}` }], paths: { '/Users/{id}': { get: { responses: { 200: ok } } } } });
    assert.deepEqual(routes(await load(doc('v4'))), ['GET /profile/identity/v4/Users/{id}']);
    assert.deepEqual(routes(await load(doc('v4.1'))), ['GET /profile/identity/v4.1/Users/{id}']);
  });

  it('reads a file that says swagger 2.0 but is written OpenAPI 3 style: servers, requestBody and content', async () => {
    const entries = await load({
      swagger: '2.0',
      info: { title: 'SCIM like', version: '4.0' },
      servers: [{ url: 'https://{region}.api.example.invalid/scim/v4' }],
      paths: {
        '/Users': {
          post: {
            requestBody: { required: true, content: { 'application/scim+json': { schema: { $ref: '#/components/schemas/User' } } } },
            responses: { 201: { description: 'created', content: { 'application/scim+json': { schema: { $ref: '#/components/schemas/User' } } } } },
          },
          get: { parameters: [{ name: 'count', in: 'query', schema: { type: 'integer', default: 100 } }], responses: { 200: ok } },
        },
      },
      components: { schemas: { User: { type: 'object', required: ['userName'], properties: { userName: { type: 'string' } } } } },
    });
    assert.deepEqual(routes(entries), ['POST /scim/v4/Users', 'GET /scim/v4/Users']);
    const post = entries.endpoints[0];
    assert.equal(post.body?.contentType, 'application/scim+json');
    assert.equal(post.body?.required, true);
    assert.deepEqual(checkAgainstSchema({}, post.body!.schema!).map((m) => m.message), ['missing required property "userName"']);
    assert.deepEqual(Object.keys(post.responses ?? {}), ['201']);
    assert.deepEqual(entries.endpoints[1].params, [{ name: 'count', in: 'query', description: '', default: '100' }]);
  });

  it('puts the basePath before each path once: not again when the paths already start with it, and a repeated version once', async () => {
    const spend = await load({ swagger: '2.0', info: { title: 'Spend Documents like', version: '4.0' }, basePath: '/spend-documents/v4/receipts', paths: { '/spend-documents/v4/receipts/{receiptId}/representations': { get: { responses: { 200: ok } } } } });
    assert.deepEqual(routes(spend), ['GET /spend-documents/v4/receipts/{receiptId}/representations']);
    const request = await load({
      swagger: '2.0',
      info: { title: 'Request like', version: '4.0' },
      basePath: '/travelrequest/v4',
      paths: { '/requests': { get: { responses: { 200: ok } } }, '/v4/requests/{requestUuid}/agencyproposals': { get: { responses: { 200: ok } } } },
    });
    assert.deepEqual(routes(request), ['GET /travelrequest/v4/requests', 'GET /travelrequest/v4/requests/{requestUuid}/agencyproposals']);
    const report = await load({ openapi: '3.0.1', info: { title: 'Expense like', version: '4.0' }, servers: [{ url: 'https://us2.example.invalid/expensereports/v4' }], paths: { '/expensereports/v4/reports/{reportId}/comments': { get: { responses: { 200: ok } } } } });
    assert.deepEqual(routes(report), ['GET /expensereports/v4/reports/{reportId}/comments']);
  });

  it('reads SAP API hub\'s /concur/api as /api, Concur\'s own prefix', async () => {
    const image = await load({ swagger: '2.0', info: { title: 'Image like', version: '1.0' }, host: 'sandbox.api.example.invalid', basePath: '/concur/api', paths: { '/image/v1.0/receipt': { post: { consumes: ['multipart/form-data'], parameters: [{ name: 'file', in: 'formData', type: 'file', required: true }], responses: { 200: ok } } } } });
    assert.deepEqual(routes(image), ['POST /api/image/v1.0/receipt']);
    const payment = await load({ swagger: '2.0', info: { title: 'Payment like', version: '3.0' }, basePath: '/concur/api/v3.0', paths: { '/invoice/paymentrequest/{id}': { get: { responses: { 200: ok } } } } });
    assert.deepEqual(routes(payment), ['GET /api/v3.0/invoice/paymentrequest/{id}']);
  });

  it('takes a base-path override for a file whose own is wrong, and a product name', async () => {
    const doc = { openapi: '3.0.1', info: { title: 'FIS like', version: '4.0' }, servers: [{ url: 'https://us2.example.invalid/api/v4.0' }], paths: { '/fi/v4/companies/transactiontypes/{docType}/transactions': { get: { responses: { 200: ok } } } } };
    assert.deepEqual(routes(await load(doc)), ['GET /api/v4.0/fi/v4/companies/transactiontypes/{docType}/transactions']);
    const fixed = await load(doc, { basePath: '/financialintegration', product: 'Financial Integration v4' });
    assert.deepEqual(routes(fixed), ['GET /financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions']);
    assert.equal(fixed.product, 'Financial Integration v4');
    assert.deepEqual(routes(await load(doc, { basePath: '' })), ['GET /fi/v4/companies/transactiontypes/{docType}/transactions']);
  });

  it('turns a query string in a path template into a query parameter with that value', async () => {
    const entries = await load({
      swagger: '2.0',
      info: { title: 'Purchase Request like', version: '4.0' },
      paths: { '/purchaserequest/v4/purchaserequests/{id}?mode=COMPACT': { get: { parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }, { name: 'mode', in: 'parameter', type: 'string', required: true }], responses: { 200: ok } } } },
    });
    assert.deepEqual(routes(entries), ['GET /purchaserequest/v4/purchaserequests/{id}']);
    assert.deepEqual(entries.endpoints[0].params.find((p) => p.name === 'mode'), { name: 'mode', in: 'query', default: 'COMPACT', description: 'Written into the path template as mode=COMPACT' });
    // `in: parameter` named in the query string is not a drop worth a warning.
    assert.equal(entries.warnings, undefined);
  });

  it('keeps formData fields, and OpenAPI 3 multipart and form-urlencoded fields, with file fields marked', async () => {
    const entries = await load({
      openapi: '3.0.1',
      info: { title: 'Forms', version: '1' },
      paths: {
        '/receipts': {
          post: {
            requestBody: {
              content: {
                'multipart/form-data': {
                  schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary', description: 'The receipt image' }, receipt: { type: 'string' } } },
                },
              },
            },
            responses: { 201: ok },
          },
        },
        '/login-url': { post: { requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { allOf: [{ $ref: '#/components/schemas/Client' }] } } } }, responses: { 200: ok } } },
      },
      components: { schemas: { Client: { type: 'object', required: ['client_id'], properties: { client_id: { type: 'string' }, scope: { type: 'string', enum: ['a', 'b'] } } } } },
    });
    assert.deepEqual(entries.endpoints[0].body, {
      contentType: 'multipart/form-data',
      required: false,
      fields: [
        { name: 'image', kind: 'file', required: true, description: 'The receipt image' },
        { name: 'receipt', kind: 'text', required: false, description: '' },
      ],
    });
    assert.deepEqual(entries.endpoints[1].body, {
      contentType: 'application/x-www-form-urlencoded',
      required: false,
      fields: [
        { name: 'client_id', kind: 'text', required: true, description: '' },
        { name: 'scope', kind: 'text', required: false, description: '', choices: ['a', 'b'] },
      ],
    });
  });

  it('loads around a $ref that points nowhere in an error schema, keeping every operation (Quick Expense v4\'s case)', async () => {
    const entries = await load({
      swagger: '2.0',
      info: { title: 'Quick Expenses like', version: '4.0' },
      paths: {
        '/quickexpense/v4/users/{userID}/context/{contextType}/quickexpenses': { post: { parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Create' } }], responses: { 201: ok, 400: { description: 'bad', schema: { $ref: '#/definitions/ErrorMessage' } } } } },
      },
      definitions: {
        Create: { type: 'object', required: ['expenseTypeId', 'location'], properties: { expenseTypeId: { type: 'string' }, location: { type: 'object' } } },
        ErrorMessage: { type: 'object', properties: { validationErrors: { type: 'array', items: { $ref: '#/definitions/ValidationError' } } } },
      },
    });
    assert.equal(entries.endpoints.length, 1);
    assert.equal(entries.warnings?.length, 1);
    assert.match(entries.warnings![0], /#\/definitions\/ValidationError.*#\/definitions\/ErrorMessage\/properties\/validationErrors\/items/);
    assert.deepEqual(checkAgainstSchema({ expenseTypeId: 'x' }, entries.endpoints[0].body!.schema!).map((m) => m.message), ['missing required property "location"']);
  });

  it('compiles schemas with draft-03 required: true and types such as "date", and checks them as meant', async () => {
    const entries = await load({
      swagger: '2.0',
      info: { title: 'Old drafts', version: '1' },
      paths: { '/x': { get: { responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Thing' } } } } } },
      definitions: { Thing: { type: 'object', properties: { id: { type: 'string', required: true }, on: { type: 'date' }, count: { type: 'int' }, note: { type: 'string', required: false }, odd: { type: 'wibble' } } } },
    });
    const schema = entries.endpoints[0].responses!['200'];
    assert.equal(schemaCompileFailure(schema), undefined);
    assert.deepEqual(checkAgainstSchema({ on: '2026-01-01', count: 2, odd: {} }, schema).map((m) => m.message), ['missing required property "id"']);
    assert.deepEqual(checkAgainstSchema({ id: 'a', on: 7, count: 1.5 }, schema).map((m) => m.message), ['is a number, the schema says string', 'is a number, the schema says integer']);
    assert.ok(entries.warnings?.some((w) => /"wibble"/.test(w)), String(entries.warnings));
  });

  it('leaves out what it cannot read with a warning that names it, never silently', async () => {
    const entries = await load({
      openapi: '3.0.1',
      info: { title: 'Drops', version: '1' },
      paths: {
        '/a': { head: { responses: { 200: ok } }, get: { parameters: [{ name: 'session', in: 'cookie', schema: { type: 'string' } }, { name: 'Host', in: 'header', schema: { type: 'string', default: 'other.example' } }], responses: { 200: ok } } },
        '/b': { $ref: '#/x-nowhere' },
        '/{a}{b': { get: { responses: { 200: ok } } },
      },
    });
    assert.deepEqual(routes(entries), ['GET /a']);
    assert.deepEqual(entries.endpoints[0].params, []);
    const text = (entries.warnings ?? []).join('\n');
    for (const expected of [/"session" of GET \/a is in "cookie"/, /header parameter "Host" of GET \/a is left out/, /"#\/x-nowhere" at doc\.json#\/paths\/~1b points nowhere/, /\/\{a\}\{b is left out: its braces are not balanced/, /1 operation with HEAD/]) {
      assert.match(text, expected);
    }
  });
});

describe('API definitions in the catalog', () => {
  afterEach(() => setDefinitionEntries([]));

  it('a loaded definition\'s operation wins over a built-in entry for the same method and path', async () => {
    const builtin = BUILTIN_CATALOG.find((e) => e.method === 'GET' && !e.path.includes('{'))!;
    const entries = await load({ openapi: '3.0.1', info: { title: 'Corrected', version: '1' }, paths: { [builtin.path]: { get: { summary: 'From the file', responses: { 200: ok } } } } });
    setDefinitionEntries([entries]);
    assert.equal(endpointForPath('GET', builtin.path)?.source, 'q');
    assert.ok(!allEndpoints().some((e) => e.id === builtin.id));
    const withParam = BUILTIN_CATALOG.find((e) => e.method === 'GET' && /\{[^}]+\}/.test(e.path))!;
    const renamed = withParam.path.replace(/\{[^}]+\}/g, '{other}');
    const second = await load({ openapi: '3.0.1', info: { title: 'Renamed', version: '1' }, paths: { [renamed]: { get: { responses: { 200: ok } } } } });
    setDefinitionEntries([{ ...second, id: 'r', endpoints: second.endpoints.map((e) => ({ ...e, source: 'r' })) }]);
    assert.ok(!allEndpoints().some((e) => e.id === withParam.id), 'parameter names do not make another path');
  });

  it('tells two definitions with the same title and version apart by the version in their paths, else the file', () => {
    const endpoint = (source: string, p: string): Endpoint => ({ id: `${source}:x`, product: 'Cash Advance API Documentation 1.0', title: 'x', method: 'GET', path: p, scopes: [], tokenTypes: [], paging: 'none', params: [], description: '', source });
    setDefinitionEntries([
      { id: 'a', location: '/defs/v4-0/CashAdvance.swagger2.json', product: 'Cash Advance API Documentation 1.0', endpoints: [endpoint('a', '/cashadvance/v4/cashadvances')] },
      { id: 'b', location: '/defs/v4-1/CashAdvance.swagger2.json', product: 'Cash Advance API Documentation 1.0', endpoints: [endpoint('b', '/cashadvance/v4.1/cashadvances')] },
      { id: 'c', location: '/defs/other.json', product: 'Cash Advance API Documentation 1.0', endpoints: [endpoint('c', '/x')] },
    ]);
    const groups = catalogByProduct().filter((g) => g.product.startsWith('Cash Advance API'));
    assert.deepEqual(
      groups.map((g) => g.product),
      ['Cash Advance API Documentation 1.0 (v4)', 'Cash Advance API Documentation 1.0 (v4.1)', 'Cash Advance API Documentation 1.0 (other.json)'],
    );
  });
});

describe('Concur\'s published definitions (facts)', () => {
  it('lists each file once, with a product, family and (where needed) a base path', () => {
    assert.equal(new Set(PUBLISHED_DEFINITIONS.map((d) => d.key)).size, PUBLISHED_DEFINITIONS.length);
    for (const d of PUBLISHED_DEFINITIONS) assert.match(d.key, /^v\d-\d\/[A-Za-z-]+\.(swagger2?|oas3)\.json$/, d.key);
    assert.equal(new Set(PUBLISHED_DEFINITIONS.map((d) => d.product)).size, PUBLISHED_DEFINITIONS.length, 'products are told apart');
    assert.equal(publishedByKey('v4-0/FinancialIntegrationService.swagger2.json')?.basePath, '/financialintegration');
  });

  it('builds and reads back the developer site\'s URLs', () => {
    const url = publishedUrl('https://developer.concur.com/api-explorer/', 'v4-0/Cards.oas3.json');
    assert.equal(url, 'https://developer.concur.com/api-explorer/v4-0/Cards.oas3.json');
    assert.equal(publishedKeyOf('https://developer.concur.com/api-explorer', url), 'v4-0/Cards.oas3.json');
    assert.equal(publishedKeyOf('https://developer.concur.com/api-explorer', 'https://developer.concur.com/api-explorer/v9-9/Nope.json'), undefined);
  });
});

describe('Base paths', () => {
  it('reads a server URL\'s path, relative ones too', () => {
    assert.equal(documentPrefix({ servers: [{ url: '/relative/v1/' }] }), '/relative/v1');
    assert.equal(documentPrefix({ servers: [{ url: 'https://host.invalid' }] }), '');
    assert.equal(documentPrefix({ basePath: '/' }), '');
    assert.equal(documentPrefix({ basePath: 'api/v3.0' }), '/api/v3.0');
  });
  it('joins once', () => {
    assert.equal(joinPrefix('/a/v2', '/a/v2'), '/a/v2');
    assert.equal(joinPrefix('/a/v2', '/v2/x/'), '/a/v2/x/');
    assert.equal(joinPrefix('/a/b', '/b/x'), '/a/b/b/x', 'only a repeated version segment is written once');
    assert.equal(joinPrefix('', '/concur/api/x'), '/api/x');
  });
  it('splits a template\'s query', () => {
    assert.deepEqual(splitTemplateQuery('/x/{id}?mode=COMPACT&flag'), { path: '/x/{id}', query: [{ name: 'mode', value: 'COMPACT' }, { name: 'flag', value: '' }] });
  });
});

describe('Hostile definitions stay bounded', () => {
  /** Runs `work` and fails when it takes longer than `ms` (the class of input took seconds to minutes before). */
  async function within<T>(ms: number, work: () => Promise<T> | T): Promise<T> {
    const started = process.hrtime.bigint();
    const result = await work();
    const took = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(took < ms, `took ${took.toFixed(0)} ms, more than ${ms} ms`);
    return result;
  }

  it('matches a path against a template of adjacent placeholders in linear time', async () => {
    const template = `/${'abcdefghijkl'.split('').map((c) => `{${c}}`).join('')}.json`;
    const endpoint: Endpoint = { id: 'h', product: 'h', title: 'h', method: 'GET', path: template, scopes: [], tokenTypes: [], paging: 'none', params: [], description: '' };
    await within(200, () => assert.equal(endpointForPath('GET', `/${'x'.repeat(40)}`, [endpoint]), undefined));
    await within(200, () => assert.equal(endpointForPath('GET', `/${'x'.repeat(40)}.json`, [endpoint])?.id, 'h'));
    const dotted: Endpoint = { ...endpoint, path: `/${Array.from({ length: 12 }, (_, i) => `{p${i}}`).join('.')}/end` };
    await within(200, () => assert.equal(endpointForPath('GET', `/${'.'.repeat(5000)}`, [dotted]), undefined));
    assert.equal(endpointForPath('GET', `/${Array.from({ length: 12 }, (_, i) => `v${i}`).join('.')}/end`, [dotted])?.id, 'h');
  });

  it('never runs a definition\'s patternProperties against an answer', async () => {
    const entries = await load({
      openapi: '3.0.1',
      info: { title: 'Patterns', version: '1' },
      paths: { '/x': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', patternProperties: { '^(a+)+$': { type: 'string' } }, additionalProperties: false } } } } } } } },
    });
    const schema = entries.endpoints[0].responses!['200'];
    await within(500, () => assert.deepEqual(checkAgainstSchema({ [`${'a'.repeat(40)}!`]: 1 }, schema), []));
  });

  it('refuses a small YAML file whose aliases stand for billions of values, quickly', async () => {
    const lines = ['openapi: 3.0.1', 'info: { title: Aliases, version: "1" }', 'x-a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i <= 9; i++) lines.push(`x-a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    lines.push('paths:', '  /x:', '    get:', '      responses:', '        "200": { description: *a9 }');
    const text = lines.join('\n');
    assert.ok(text.length < 1000, `${text.length} bytes`);
    const error = await within(3000, () => load(undefined, { name: 'bomb.yaml', text }).then(
      () => assert.fail('the document loaded'),
      (e: unknown) => e as DefinitionError,
    ));
    assert.ok(error instanceof DefinitionError);
    assert.match(error.message, /more than 2,000,000 values/);
  });
});

describe('Definitions read only what the user put there', () => {
  let server: http.Server;
  let base: string;
  let served: string[];
  const files = new Map<string, string>();
  before(async () => {
    server = http.createServer((req, res) => {
      served.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/yaml' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (served = []));

  /** fetchText as the extension's: this test's loopback server stands in for a web host. */
  const fetchVia = (rewrite: (url: string) => string = (u) => u): LoadOptions => ({
    fetchText: async (url) => {
      const res = await fetch(rewrite(url));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.text();
    },
  });

  it('a local definition that $refs a web document which $refs a local file: the local file is not read', async () => {
    const dir = tempDir();
    const secret = path.join(dir, 'secret.json');
    fs.writeFileSync(secret, JSON.stringify({ type: 'string', description: 'TOP SECRET CONTENT' }));
    files.set('/web/part.yaml', `Thing: { $ref: "file://${secret}" }\n`);
    const root = path.join(dir, 'root.json');
    fs.writeFileSync(root, JSON.stringify({ openapi: '3.0.1', info: { title: 'L', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: `${base}/web/part.yaml#/Thing` } } } } } } } } }));
    const error = await loadDefinition({ id: 'l', location: root }, fetchVia()).then(
      (entries) => assert.fail(`loaded: ${JSON.stringify(entries)}`),
      (e: unknown) => e as DefinitionError,
    );
    assert.match(error.message, /may not refer to local files/);
    assert.ok(!JSON.stringify(error).includes('TOP SECRET'));
  });

  it('a local definition may not $ref a file outside its folder (or the allowed folders)', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'private.json'), JSON.stringify({ type: 'string' }));
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'root.json'), JSON.stringify({ openapi: '3.0.1', info: { title: 'L', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: `../${path.basename(outside)}/private.json` } } } } } } } } }));
    const error = await loadDefinition({ id: 'l', location: path.join(dir, 'root.json') }, noFetch).then(
      () => assert.fail('loaded'),
      (e: unknown) => e as DefinitionError,
    );
    assert.match(error.message, /only to files in its own folder or the workspace/);
    assert.match(error.where ?? '', /root\.json at #\/paths/);
    const allowed = await loadDefinition({ id: 'l', location: path.join(dir, 'root.json') }, { ...noFetch, allowedFolders: [outside] });
    assert.equal(allowed.endpoints.length, 1);
  });

  it('a web definition elsewhere may not send the extension to this machine: its $ref to a loopback address is not fetched', async () => {
    files.set('/probe', '{}');
    files.set('/remote/root.yaml', `openapi: 3.0.1\ninfo: { title: R, version: "1" }\npaths:\n  /a:\n    get:\n      responses:\n        "200": { description: ok, content: { application/json: { schema: { $ref: "${base}/probe" } } } }\n`);
    // The root is named by a public address; the test's loopback server answers for it.
    const publicRoot = 'https://definitions.example.invalid/remote/root.yaml';
    const error = await loadDefinition({ id: 'w', location: publicRoot }, fetchVia((url) => url.replace('https://definitions.example.invalid', base))).then(
      () => assert.fail('loaded'),
      (e: unknown) => e as DefinitionError,
    );
    assert.match(error.message, /on this machine or the local network/);
    assert.deepEqual(served, ['/remote/root.yaml']);
  });
});

describe('The stand-ins for Concur\'s published files (test/fixtures/published)', () => {
  const folder = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'published');
  const loadPublished = async (key: string): Promise<DefinitionEntries> => {
    const known = publishedByKey(key);
    assert.ok(known, `${key} is not one of Concur's published files`);
    return loadDefinition({ id: key, location: path.join(folder, key), product: known.product, basePath: known.basePath }, noFetch);
  };

  it('each reads at the paths Concur\'s hosts serve, with the product name and correction the extension gives it', async () => {
    const expected: Record<string, string[]> = {
      'v4-0/Receipts.swagger2.json': ['GET /receipts/v4/users/{userId}', 'POST /receipts/v4/users/{userId}', 'POST /receipts/v4/users/{userId}/image-only-receipts'],
      'v1-0/Image.swagger2.json': ['POST /api/image/v1.0/receipt'],
      'v4-1/Identity.swagger2.json': ['GET /profile/identity/v4.1/Users/{id}'],
      'v4-0/Identity.swagger2.json': ['GET /profile/identity/v4/Users/{id}'],
      'v4-0/Scim.swagger2.json': ['POST /scim/v4/Users'],
      'v4-0/QuickExpenses.swagger.json': ['POST /quickexpense/v4/users/{userID}/context/{contextType}/quickexpenses'],
      'v4-0/FinancialIntegrationService.swagger2.json': ['GET /financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions'],
    };
    for (const [key, paths] of Object.entries(expected)) {
      const entries = await loadPublished(key);
      assert.deepEqual(routes(entries), paths, key);
      assert.equal(entries.product, publishedByKey(key)?.product);
    }
    const receipts = await loadPublished('v4-0/Receipts.swagger2.json');
    assert.deepEqual(receipts.endpoints[1].body?.fields?.map((f) => `${f.name}:${f.kind}:${f.required}`), ['receipt:text:true', 'image:file:false']);
    const image = await loadPublished('v1-0/Image.swagger2.json');
    assert.deepEqual(image.endpoints[0].body?.fields?.map((f) => `${f.name}:${f.kind}`), ['Image File:file']);
  });

  it('npm run check:definitions reads a folder and ends with its summary line', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = path.resolve(__dirname, '..', '..', 'support', 'checkDefinitions.js');
    const run = spawnSync(process.execPath, [script, folder], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[lines.length - 1], /^7 of 7 files loaded, 9 operations \(3 with form fields\), \d+ warnings?, (\d+) of \1 schemas compile, \d+ of \d+ built-in entries found in these files$/);
    assert.match(run.stdout, /✔ v4-0\/Receipts\.swagger2\.json: "Receipts v4", 3 operations \(published file\)/);
    assert.match(run.stdout, /POST {3}\/receipts\/v4\/users\/\{userId\} \[multipart\/form-data: receipt\*, image \(file\)\]/);
    assert.match(run.stdout, /! The \$ref "#\/definitions\/ValidationError"/);
    const usage = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Usage: npm run check:definitions -- <folder/);
  });
});
