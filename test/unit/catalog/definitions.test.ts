import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DefinitionEntries, Endpoint } from '../../../src/catalog/catalog';
import { checkAgainstSchema, DefinitionError, loadDefinition, type LoadOptions } from '../../../src/catalog/definitions/openapi';
import { repoRoot } from '../../host/paths';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'definitions');
const fixture = (name: string): string => path.join(fixtures, name);

/** A fetchText that must not be called (local documents without remote refs). */
const noFetch: LoadOptions = {
  fetchText: async (url: string) => {
    throw new Error(`unexpected download of ${url}`);
  },
};

const byId = (entries: DefinitionEntries, id: string): Endpoint => {
  const endpoint = entries.endpoints.find((e) => e.id === `${entries.id}:${id}`);
  assert.ok(endpoint, `no endpoint ${id} in ${entries.endpoints.map((e) => e.id).join(', ')}`);
  return endpoint;
};

async function rejection(promise: Promise<unknown>): Promise<DefinitionError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DefinitionError, `expected a DefinitionError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the definition not to load');
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-definitions-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('API definitions: Swagger 2.0', () => {
  let entries: DefinitionEntries;
  before(async () => {
    entries = await loadDefinition({ id: 'exp', location: fixture('sample-expenses.swagger.json') }, noFetch);
  });

  it('has one entry per GET/POST/PUT/PATCH/DELETE operation, with ids from operationId (else method and path), product from the title and version', () => {
    assert.equal(entries.id, 'exp');
    assert.equal(entries.product, 'Sample Expenses 1.4');
    assert.deepEqual(
      entries.endpoints.map((e) => [e.id, e.method, e.path]),
      [
        ['exp:listReports', 'GET', '/sample/expenses/v1/reports'],
        ['exp:createReport', 'POST', '/sample/expenses/v1/reports'],
        ['exp:getReport', 'GET', '/sample/expenses/v1/reports/{reportId}'],
        ['exp:DELETE /sample/expenses/v1/reports/{reportId}', 'DELETE', '/sample/expenses/v1/reports/{reportId}'],
        ['exp:attachReceipt', 'POST', '/sample/expenses/v1/reports/{reportId}/receipt'],
      ],
    );
    for (const e of entries.endpoints) {
      assert.equal(e.product, 'Sample Expenses 1.4');
      assert.equal(e.source, 'exp');
      assert.equal(e.paging, 'none');
      assert.deepEqual(e.tokenTypes, []);
    }
  });

  it('puts basePath in front of each path and ignores host and schemes', () => {
    assert.ok(entries.endpoints.every((e) => e.path.startsWith('/sample/expenses/v1/')));
    assert.ok(!JSON.stringify(entries).includes('expenses.elsewhere.invalid'));
  });

  it('maps parameters: required, defaults as text, enum choices, headers, one-line descriptions; Accept is the extension\'s own', () => {
    const list = byId(entries, 'listReports');
    assert.equal(list.title, 'List the reports of a user');
    assert.equal(list.description, 'Lists the reports the user owns.');
    assert.equal(list.tag, 'Reports');
    assert.deepEqual(list.params, [
      { name: 'status', in: 'query', description: 'Only reports in this status.', default: 'DRAFT', choices: ['DRAFT', 'SUBMITTED', 'APPROVED'] },
      { name: 'limit', in: 'query', description: '', required: true, default: '25' },
      { name: 'X-Correlation-Id', in: 'header', description: 'An id to trace the call.', required: true },
    ]);
    // The operation's own parameter wins over the path item's of the same name and place.
    assert.deepEqual(byId(entries, 'getReport').params, [{ name: 'reportId', in: 'path', description: 'Which report (operation level).', required: true }]);
    assert.equal(byId(entries, 'getReport').title, 'getReport');
  });

  it('maps the body (consumes, required, schema), formData as a form body, and the JSON responses', () => {
    const create = byId(entries, 'createReport');
    assert.equal(create.body?.contentType, 'application/json');
    assert.equal(create.body?.required, true);
    assert.deepEqual(Object.keys(create.responses ?? {}), ['201', 'default']);
    assert.deepEqual(checkAgainstSchema({ name: 'Trip', policy: 'STANDARD' }, create.body!.schema!), []);
    assert.deepEqual(
      checkAgainstSchema({ name: 'Trip' }, create.body!.schema!).map((m) => m.message),
      ['missing required property "policy"'],
    );
    const attach = byId(entries, 'attachReceipt');
    assert.deepEqual(attach.body, {
      contentType: 'multipart/form-data',
      required: true,
      fields: [
        { name: 'image', kind: 'file', required: true, description: '' },
        { name: 'note', kind: 'text', required: false, description: '' },
      ],
    });
    assert.equal(attach.tag, 'Other');
    const list = byId(entries, 'listReports');
    assert.equal(list.body, undefined);
    assert.deepEqual(Object.keys(list.responses ?? {}), ['200', '400']);
  });

  it('takes scopes from the operation\'s oauth2 security, else the document\'s; none for `security: []`', () => {
    assert.deepEqual(byId(entries, 'listReports').scopes, ['expenses.read']);
    assert.deepEqual(byId(entries, 'createReport').scopes, ['expenses.write']);
    assert.deepEqual(byId(entries, 'DELETE /sample/expenses/v1/reports/{reportId}').scopes, []);
  });

  it('marks deprecated operations, takes https externalDocs (the operation\'s, else the document\'s)', () => {
    const del = byId(entries, 'DELETE /sample/expenses/v1/reports/{reportId}');
    assert.deepEqual(del.status, { kind: 'deprecated' });
    assert.equal(del.title, 'Delete a report');
    assert.equal(byId(entries, 'listReports').status, undefined);
    assert.equal(byId(entries, 'createReport').docs, 'https://docs.invalid/sample-expenses/create');
    assert.equal(byId(entries, 'listReports').docs, 'https://docs.invalid/sample-expenses');
  });

  it('stores schemas that stand alone (draft-07, definitions beside them) with Swagger\'s keywords made draft-07', () => {
    const schema = byId(entries, 'getReport').responses!['200'] as Record<string, unknown>;
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const definitions = schema.definitions as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    // The same objects in every endpoint's schema, not copies.
    assert.equal((byId(entries, 'createReport').responses!['201'] as Record<string, unknown>).definitions, definitions);
    assert.deepEqual(definitions.Money.properties.amount, { type: 'number', exclusiveMinimum: 0 });
    assert.deepEqual(definitions.NewReport.properties.comment.type, ['string', 'null']);
    const report = { id: 'R1', name: 'Trip', policy: 'STANDARD', status: 'DRAFT', total: { amount: 0, currency: 'USD' }, comment: null, receipt: 'anything' };
    assert.deepEqual(
      checkAgainstSchema(report, schema).map((m) => [m.path.join('.'), m.message]),
      [['total.amount', 'must be > 0']],
    );
    assert.doesNotThrow(() => JSON.stringify(entries));
  });

  it('puts nothing in front of the paths when basePath is "/" or missing', async () => {
    const dir = tempDir();
    const doc = (basePath?: string): string => JSON.stringify({ swagger: '2.0', info: { title: 'Base', version: '1' }, ...(basePath ? { basePath } : {}), paths: { '/x': { get: { responses: { 200: { description: 'ok' } } } } } });
    fs.writeFileSync(path.join(dir, 'root.json'), doc('/'));
    fs.writeFileSync(path.join(dir, 'none.json'), doc());
    fs.writeFileSync(path.join(dir, 'api.json'), doc('api/v2'));
    assert.equal((await loadDefinition({ id: 'a', location: path.join(dir, 'root.json') }, noFetch)).endpoints[0].path, '/x');
    assert.equal((await loadDefinition({ id: 'a', location: path.join(dir, 'none.json') }, noFetch)).endpoints[0].path, '/x');
    assert.equal((await loadDefinition({ id: 'a', location: path.join(dir, 'api.json') }, noFetch)).endpoints[0].path, '/api/v2/x');
  });
});

describe('API definitions: OpenAPI 3.1', () => {
  let entries: DefinitionEntries;
  before(async () => {
    entries = await loadDefinition({ id: 'trv', location: fixture('sample-travel.openapi.yaml') }, noFetch);
  });

  it('reads the YAML with its $refs into the other file, and puts the server URL\'s path (never its host) before each path', () => {
    assert.equal(entries.product, 'Sample Travel 2.0');
    assert.deepEqual(
      entries.endpoints.map((e) => [e.id, e.method, e.path, e.tag]),
      [
        ['trv:listTrips', 'GET', '/travel/v2/trips', 'Trips'],
        ['trv:createTrip', 'POST', '/travel/v2/trips', 'Trips'],
        ['trv:getTrip', 'GET', '/travel/v2/trips/{tripId}', 'Trips'],
        ['trv:PATCH /travel/v2/trips/{tripId}', 'PATCH', '/travel/v2/trips/{tripId}', 'Trips'],
        ['trv:cancelTrip', 'DELETE', '/travel/v2/trips/{tripId}', 'Other'],
        ['trv:placeTree', 'GET', '/travel/v2/places', 'Places'],
      ],
    );
    assert.ok(!JSON.stringify(entries.endpoints).includes('travel.elsewhere.invalid'));
  });

  it('maps parameters from schemas (enum, default), leaves cookies out with a warning, and takes path-level ones from the other file', () => {
    assert.ok(entries.warnings?.some((w) => /parameter ".*" of GET \/travel\/v2\/trips is in "cookie"/.test(w)), String(entries.warnings));
    const list = byId(entries, 'listTrips');
    assert.deepEqual(list.params, [
      { name: 'status', in: 'query', description: '', choices: ['PLANNED', 'BOOKED', 'DONE'] },
      { name: 'X-Locale', in: 'header', description: 'The language of the answer.', required: true, default: 'en-US' },
      { name: 'pageSize', in: 'query', description: '', default: '20', choices: ['10', '20', '50'] },
    ]);
    assert.equal(list.description, 'The trips the user has planned or taken, newest first.');
    assert.deepEqual(byId(entries, 'getTrip').params, [{ name: 'tripId', in: 'path', description: "The trip's id.", required: true }]);
  });

  it('prefers the JSON request body (or any +json), with its required flag', () => {
    const create = byId(entries, 'createTrip');
    assert.equal(create.body?.contentType, 'application/json');
    assert.equal(create.body?.required, true);
    assert.deepEqual(checkAgainstSchema({ destination: 'Oslo', start: '2026-03-01', purpose: null }, create.body!.schema!), []);
    assert.deepEqual(
      checkAgainstSchema({ destination: 'Oslo', start: 1, purpose: 7 }, create.body!.schema!).map((m) => [m.path.join('.'), m.kind, m.message]),
      [
        ['start', 'type', 'is a number, the schema says string'],
        ['purpose', 'type', 'is a number, the schema says string or null'],
      ],
    );
    const patch = byId(entries, 'PATCH /travel/v2/trips/{tripId}');
    assert.equal(patch.body?.contentType, 'application/merge-patch+json');
    assert.equal(patch.body?.required, false);
    assert.ok(patch.body?.schema);
  });

  it('keeps response schemas by status code as written, in the 2020-12 dialect', () => {
    const list = byId(entries, 'listTrips');
    assert.deepEqual(Object.keys(list.responses ?? {}), ['200', '4XX']);
    assert.equal((list.responses!['200'] as Record<string, unknown>).$schema, 'https://json-schema.org/draft/2020-12/schema');
    const answer = { trips: [{ id: 'T1', status: 'BOOKED', destination: 'Oslo', start: '2026-03-01' }, { id: 'T2', status: 'LOST', destination: 'Rome' }] };
    assert.deepEqual(
      checkAgainstSchema(answer, list.responses!['200']).map((m) => [m.path, m.kind]),
      [
        [['trips', 1, 'start'], 'required'],
        [['trips', 1, 'status'], 'enum'],
      ],
    );
    assert.deepEqual(checkAgainstSchema({ title: 'No', detail: null }, list.responses!['4XX']), []);
  });

  it('takes scopes from the operation, else the document; marks deprecated; takes only https docs', () => {
    assert.deepEqual(byId(entries, 'listTrips').scopes, ['travel.read']);
    assert.deepEqual(byId(entries, 'createTrip').scopes, ['travel.write', 'travel.read']);
    assert.deepEqual(byId(entries, 'placeTree').scopes, []);
    assert.deepEqual(byId(entries, 'cancelTrip').status, { kind: 'deprecated' });
    assert.equal(byId(entries, 'cancelTrip').docs, undefined);
  });

  it('loads a recursive schema, which stays JSON and checks nested levels', () => {
    const schema = byId(entries, 'placeTree').responses!['200'];
    const text = JSON.stringify(entries);
    assert.ok(text.length > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
    const tree = { name: 'Europe', children: [{ name: 'Norway', children: [{ name: 'Oslo', children: [{ name: 7, children: [] }] }] }] };
    assert.deepEqual(
      checkAgainstSchema(tree, schema).map((m) => m.path),
      [['children', 0, 'children', 0, 'children', 0, 'name']],
    );
  });
});

describe('API definitions: problems', () => {
  it('reads a $ref that points nowhere as any value, with a warning naming the file, its pointer and the target, and keeps every operation', async () => {
    const entries = await loadDefinition({ id: 'b', location: fixture('broken-ref.yaml') }, noFetch);
    assert.deepEqual(entries.endpoints.map((e) => `${e.method} ${e.path}`), ['GET /things']);
    assert.equal(entries.warnings?.length, 1);
    assert.match(entries.warnings![0], /"#\/components\/schemas\/Missing"/);
    assert.match(entries.warnings![0], /broken-ref\.yaml#\/paths\/~1things\/get\/responses\/200\/content\/application~1json\/schema\/items/);
    // The stub accepts anything in that place; the rest of the schema still checks.
    const schema = entries.endpoints[0].responses!['200'];
    assert.deepEqual(checkAgainstSchema([{ any: 'thing' }, 3], schema), []);
    assert.equal(checkAgainstSchema({ not: 'an array' }, schema).length, 1);
  });

  it('reads a broken $ref in a second file, and one to a file that does not exist, as any value, saying where each is written', async () => {
    const dir = tempDir();
    const op = (ref: string): unknown => ({ get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } } } });
    fs.writeFileSync(path.join(dir, 'main.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'M', version: '1' }, paths: { '/a': op('parts.json#/Thing'), '/b': op('parts.json#/Elsewhere') } }));
    fs.writeFileSync(path.join(dir, 'parts.json'), JSON.stringify({ Thing: { type: 'object', properties: { inner: { $ref: '#/Gone' } } } }));
    const broken = await loadDefinition({ id: 'm', location: path.join(dir, 'main.json') }, noFetch);
    assert.deepEqual(broken.endpoints.map((e) => e.path), ['/a', '/b']);
    assert.equal(broken.warnings?.length, 2, String(broken.warnings));
    assert.ok(broken.warnings!.some((w) => /"#\/Gone"/.test(w) && /parts\.json#\/Thing\/properties\/inner/.test(w)), String(broken.warnings));
    assert.ok(broken.warnings!.some((w) => /Elsewhere/.test(w) && /main\.json at #\/paths\/~1b\/get/.test(w)), String(broken.warnings));

    fs.writeFileSync(path.join(dir, 'lost.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'L', version: '1' }, paths: { '/a': op('nowhere.json#/Thing') } }));
    const lost = await loadDefinition({ id: 'l', location: path.join(dir, 'lost.json') }, noFetch);
    assert.deepEqual(lost.endpoints.map((e) => e.path), ['/a']);
    assert.equal(lost.warnings?.length, 1);
    assert.match(lost.warnings![0], /nowhere\.json does not exist/);
    assert.match(lost.warnings![0], /lost\.json at #\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema/);
  });

  it('gives the line and column of a YAML syntax error, and of a JSON one', async () => {
    const yaml = await rejection(loadDefinition({ id: 's', location: fixture('broken-syntax.yaml') }, noFetch));
    assert.equal(yaml.where, 'broken-syntax.yaml line 6, column 4');
    assert.match(yaml.message, /not valid YAML/);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{\n  "openapi": "3.0.3",\n  "info": { "title": "x" "version": "1" },\n  "paths": {}\n}\n');
    const json = await rejection(loadDefinition({ id: 'j', location: path.join(dir, 'bad.json') }, noFetch));
    assert.equal(json.where, 'bad.json line 3, column 26');
    assert.match(json.message, /not valid JSON: comma expected/);
  });

  it('says so for a document that is neither Swagger 2.0 nor OpenAPI 3, one without operations, a missing file, one over 20 MB', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'name: not an API\nitems: [1, 2]\n');
    assert.match((await rejection(loadDefinition({ id: 'o', location: path.join(dir, 'other.yaml') }, noFetch))).message, /neither a Swagger 2\.0 nor an OpenAPI 3\.x document/);
    fs.writeFileSync(path.join(dir, 'v4.yaml'), 'openapi: 4.0.0\ninfo: { title: Future, version: "1" }\npaths: {}\n');
    assert.match((await rejection(loadDefinition({ id: 'o', location: path.join(dir, 'v4.yaml') }, noFetch))).message, /neither/);
    fs.writeFileSync(path.join(dir, 'empty.yaml'), 'openapi: 3.1.0\ninfo: { title: Empty, version: "1" }\npaths: {}\n');
    assert.match((await rejection(loadDefinition({ id: 'e', location: path.join(dir, 'empty.yaml') }, noFetch))).message, /has no operations/);
    assert.match((await rejection(loadDefinition({ id: 'm', location: path.join(dir, 'missing.yaml') }, noFetch))).message, /does not exist/);
    const huge = `openapi: 3.1.0\ninfo: { title: Huge, version: "1" }\npaths: {}\n#${'x'.repeat(21 * 1024 * 1024)}\n`;
    const tooLarge = await rejection(loadDefinition({ id: 'h', location: 'https://definitions.invalid/huge.yaml' }, { fetchText: async () => huge }));
    assert.match(tooLarge.message, /larger than 20 MB/);
  });

  it('stops when the signal is aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(loadDefinition({ id: 'x', location: fixture('sample-travel.openapi.yaml') }, { ...noFetch, signal: abort.signal }));
  });
});

describe('API definitions: from a URL', () => {
  let server: http.Server;
  let base: string;
  let fetched: string[];
  const files: Record<string, string> = {
    '/api/main.yaml': [
      'openapi: 3.1.0',
      'info: { title: Remote Sample, version: "1" }',
      'servers: [{ url: "https://remote.elsewhere.invalid" }]',
      'paths:',
      '  /remote/things:',
      '    get:',
      '      operationId: listThings',
      '      parameters:',
      '        - $ref: "parts/common.yaml#/components/parameters/Limit"',
      '      responses:',
      '        "200":',
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema: { $ref: "parts/common.yaml#/components/schemas/Thing" }',
    ].join('\n'),
    '/api/parts/common.yaml': [
      'components:',
      '  parameters:',
      '    Limit: { name: limit, in: query, schema: { type: integer, default: 10 } }',
      '  schemas:',
      '    Thing: { type: object, required: [id], properties: { id: { type: string } } }',
    ].join('\n'),
    '/api/sneaky.yaml': [
      'openapi: 3.1.0',
      'info: { title: Sneaky, version: "1" }',
      'paths:',
      '  /x:',
      '    get:',
      '      responses:',
      '        "200":',
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema: { $ref: "file:///etc/hosts" }',
    ].join('\n'),
    '/api/relative-path.yaml': [
      'openapi: 3.1.0',
      'info: { title: Relative, version: "1" }',
      'paths:',
      '  /x:',
      '    get:',
      '      responses:',
      '        "200":',
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema: { $ref: "parts/common.yaml#/components/schemas/Thing" }',
    ].join('\n'),
  };

  /** The caller's fetchText: https anywhere, http only on loopback, no credentials. */
  const options = (): LoadOptions => ({
    fetchText: async (url: string) => {
      fetched.push(url);
      const target = new URL(url);
      if (target.protocol !== 'https:' && target.hostname !== '127.0.0.1') throw new Error(`refused ${url}`);
      const res = await fetch(target);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.text();
    },
  });

  before(async () => {
    server = http.createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/yaml' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    fetched = [];
  });

  it('fetches the document and its cross-file $refs through fetchText, relative to the URL', async () => {
    const entries = await loadDefinition({ id: 'r', location: `${base}/api/main.yaml` }, options());
    assert.deepEqual(fetched, [`${base}/api/main.yaml`, `${base}/api/parts/common.yaml`]);
    const [endpoint] = entries.endpoints;
    assert.equal(endpoint.path, '/remote/things');
    assert.deepEqual(endpoint.params, [{ name: 'limit', in: 'query', description: '', default: '10' }]);
    assert.deepEqual(checkAgainstSchema({}, endpoint.responses!['200']).map((m) => m.message), ['missing required property "id"']);
  });

  it('refuses a file: $ref in a document read from a URL, saying where it is', async () => {
    const error = await rejection(loadDefinition({ id: 's', location: `${base}/api/sneaky.yaml` }, options()));
    assert.match(error.message, /may not refer to local files/);
    assert.equal(error.where, 'sneaky.yaml at #/paths/~1x/get/responses/200/content/application~1json/schema');
    assert.deepEqual(fetched, [`${base}/api/sneaky.yaml`]);
  });

  it('reports a download that fails: the document asked for by its reason alone (its caller names it), a file it refers to by its URL', async () => {
    const error = await rejection(loadDefinition({ id: 'n', location: `${base}/api/none.yaml` }, options()));
    assert.equal(error.message, 'HTTP 404');
    files['/api/refers.yaml'] = files['/api/main.yaml'].replace(/parts\/common\.yaml/g, 'parts/gone.yaml');
    try {
      const read = await loadDefinition({ id: 'g', location: `${base}/api/refers.yaml` }, options());
      assert.ok(read.warnings?.some((w) => w.includes(`${base}/api/parts/gone.yaml could not be downloaded: HTTP 404`)), String(read.warnings));
    } finally {
      delete files['/api/refers.yaml'];
    }
  });

  it('lets a local document refer to a URL, fetched through fetchText', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'local.yaml');
    fs.writeFileSync(file, files['/api/relative-path.yaml'].replace('parts/common.yaml', `${base}/api/parts/common.yaml`));
    const entries = await loadDefinition({ id: 'l', location: file }, options());
    assert.deepEqual(fetched, [`${base}/api/parts/common.yaml`]);
    assert.deepEqual(checkAgainstSchema({ id: 1 }, entries.endpoints[0].responses!['200']).map((m) => m.kind), ['type']);
  });
});
