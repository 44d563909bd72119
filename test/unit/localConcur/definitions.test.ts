/**
 * The local server answers the operations of loaded API definitions (this repository's own fixture
 * definitions, test/fixtures/definitions/): checked against their parameters, body schemas and
 * scopes, answered with examples their response schemas accept, and writes kept for later reads.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DefinitionEntries, Endpoint } from '../../../src/catalog/endpoint';
import { checkAgainstSchema, loadDefinition } from '../../../src/catalog/definitions/openapi';
import { schemaForStatus } from '../../../src/catalog/responseSchema';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { exampleOf } from '../../../src/localConcur/definitions';
import { repoRoot } from '../../host/paths';
import { get, send, token, type Json } from './helpers';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'definitions');
/** Every fixture definition that reads (broken-ref.yaml reads leniently; travel-common.yaml is only a $ref target). */
const FILES = ['sample-travel.openapi.yaml', 'sample-expenses.swagger.json', 'nullable-3.0.yaml', 'broken-ref.yaml'];

async function load(file: string, n: number): Promise<DefinitionEntries> {
  return loadDefinition({ id: `def-${n}`, location: path.join(FIXTURES, file) }, { fetchText: async () => Promise.reject(new Error('no network in this test')) });
}

/** A concrete path for an operation: each path parameter its first choice, else `id-<name>`. */
function pathOf(endpoint: Endpoint, values: Record<string, string> = {}): string {
  return endpoint.path.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? endpoint.params.find((p) => p.name === name)?.choices?.[0] ?? `id-${name}`));
}

/** The headers and query an operation requires, each its default or first choice. */
function required(endpoint: Endpoint): { query: string; headers: Record<string, string> } {
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of endpoint.params) {
    if (!p.required) continue;
    const value = p.default ?? p.choices?.[0] ?? '1';
    if (p.in === 'query') query.set(p.name, value);
    if (p.in === 'header') headers[p.name] = value;
  }
  return { query: query.size ? `?${query}` : '', headers };
}

describe('local Concur server: the operations of loaded API definitions', function () {
  this.timeout(30_000);
  let mock: MockConcur;
  let entries: DefinitionEntries[];
  let user: string;
  const op = (method: string, template: string): Endpoint => {
    const found = entries.flatMap((d) => d.endpoints).find((e) => e.method === method && e.path === template);
    assert.ok(found, `no ${method} ${template}`);
    return found;
  };

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
    entries = await Promise.all(FILES.map(load));
    mock.setDefinitions(entries);
    // A token the demo app is granted after the definitions were set: it has their scopes too.
    const answer = await token(mock.geoUrl, { grant_type: 'password', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, username: mock.demo.username, password: mock.demo.password });
    assert.equal(answer.status, 200, answer.text);
    user = answer.body.access_token;
    for (const scope of ['travel.read', 'travel.write', 'expenses.read', 'expenses.write']) assert.ok(String(answer.body.scope).split(' ').includes(scope), `the demo app lacks ${scope}`);
  });
  after(() => mock.close());

  it('answers every operation of the fixture definitions with a body its response schema accepts', async () => {
    const operations = entries.flatMap((d) => d.endpoints);
    assert.equal(mock.definitionOperations(), operations.length);
    assert.ok(operations.length >= 13, `only ${operations.length} operations`);
    for (const endpoint of operations) {
      const { query, headers } = required(endpoint);
      let body: string | undefined;
      if (endpoint.body?.schema !== undefined && /json/.test(endpoint.body.contentType)) {
        body = JSON.stringify(exampleOf(endpoint.body.schema));
        headers['content-type'] = endpoint.body.contentType;
      } else if (endpoint.body?.fields) {
        const form = new FormData();
        for (const f of endpoint.body.fields) {
          if (f.kind === 'file') form.append(f.name, new Blob([Buffer.from('%PDF-1.4\n')], { type: 'application/pdf' }), 'receipt.pdf');
          else form.append(f.name, f.default ?? f.choices?.[0] ?? 'x');
        }
        const response = await fetch(`${mock.geoUrl}${pathOf(endpoint)}${query}`, { method: endpoint.method, headers: { authorization: `Bearer ${user}`, ...headers }, body: form });
        assert.ok(response.status < 300, `${endpoint.method} ${endpoint.path}: ${response.status} ${await response.text()}`);
        continue;
      }
      const answer = await send(`${mock.geoUrl}${pathOf(endpoint)}${query}`, endpoint.method, body, { authorization: `Bearer ${user}`, ...headers });
      const where = `${endpoint.method} ${endpoint.path}`;
      assert.ok(answer.status >= 200 && answer.status < 300, `${where}: ${answer.status} ${answer.text}`);
      const schema = schemaForStatus(endpoint.responses, answer.status);
      if (schema === undefined) {
        assert.equal(answer.text, '', `${where} has no response schema, and answered a body`);
        continue;
      }
      assert.deepEqual(checkAgainstSchema(answer.body, schema), [], `${where}: ${answer.text}`);
    }
  });

  it('gives the same example for the same path, and the path\'s id where the answer has one', async () => {
    const getTrip = op('GET', '/travel/v2/trips/{tripId}');
    const first = await get(`${mock.geoUrl}${pathOf(getTrip, { tripId: 'trip-7' })}`, user);
    const again = await get(`${mock.geoUrl}${pathOf(getTrip, { tripId: 'trip-7' })}`, user);
    assert.equal(first.status, 200);
    assert.equal(first.text, again.text);
    assert.equal(first.body.id, 'trip-7');
  });

  it('keeps what a write sends: a created report is in the list and read back; a change shows; a deleted one is gone', async () => {
    const base = `${mock.geoUrl}/sample/expenses/v1/reports`;
    const auth = { authorization: `Bearer ${user}` };
    const created = await send(base, 'POST', { name: 'Trip to Lyon', policy: 'STANDARD' }, auth);
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.name, 'Trip to Lyon');
    assert.equal(created.headers.get('location'), `${base}/${id}`);

    // Listing takes a limit and a correlation id (both required by the definition).
    const listReports = (): Promise<Json> => get(`${base}?limit=25`, user, { 'X-Correlation-Id': 'test' });
    const list = await listReports();
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.items.some((r: Json) => r.id === id && r.name === 'Trip to Lyon'), list.text);
    const one = await get(`${base}/${id}`, user);
    assert.equal(one.body.name, 'Trip to Lyon');
    assert.deepEqual(checkAgainstSchema(one.body, schemaForStatus(op('GET', '/sample/expenses/v1/reports/{reportId}').responses, 200)!), []);

    // Sample Travel: a trip planned, then changed by a merge patch.
    const trips = `${mock.geoUrl}/travel/v2/trips`;
    const trip = await send(trips, 'POST', { destination: 'Oslo', start: '2026-03-01' }, auth);
    assert.equal(trip.status, 201, trip.text);
    const patched = await send(`${trips}/${trip.body.id}`, 'PATCH', { destination: 'Bergen', start: '2026-03-01' }, { ...auth, 'content-type': 'application/merge-patch+json' });
    assert.ok(patched.status < 300, patched.text);
    assert.equal((await get(`${trips}/${trip.body.id}`, user, { 'X-Locale': 'en-US' })).body.destination, 'Bergen');

    const deleted = await send(`${base}/${id}`, 'DELETE', undefined, auth);
    assert.equal(deleted.status, 204);
    const gone = await get(`${base}/${id}`, user);
    assert.equal(gone.status, 404);
    assert.ok(!(await listReports()).body.items.some((r: Json) => r.id === id));
  });

  it('refuses a body its schema does not accept with a 400 naming each problem, in the Expense v4 shape', async () => {
    const answer = await send(`${mock.geoUrl}/travel/v2/trips`, 'POST', { destination: 42 }, { authorization: `Bearer ${user}` });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.httpStatus, '400 BAD_REQUEST');
    assert.equal(answer.body.path, '/travel/v2/trips');
    const errors = answer.body.validationErrors as { id: string; message: string; source: string }[];
    assert.ok(errors.some((e) => e.id === '$.start' && /required/.test(e.message) && e.source === 'body'), answer.text);
    assert.ok(errors.some((e) => e.id === '$.destination' && /string/.test(e.message)), answer.text);
    // Malformed JSON, and a required body left out.
    assert.equal((await send(`${mock.geoUrl}/travel/v2/trips`, 'POST', '{"destination":', { authorization: `Bearer ${user}` })).body.errorMessage, 'The request body is not valid JSON');
    assert.equal((await send(`${mock.geoUrl}/travel/v2/trips`, 'POST', undefined, { authorization: `Bearer ${user}` })).body.errorMessage, 'A request body is required');
  });

  it('checks parameters: a missing required header and a value outside the choices are named', async () => {
    const missing = await get(`${mock.geoUrl}/travel/v2/trips`, user);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.validationErrors, [{ id: 'X-Locale', message: 'Required header parameter X-Locale is missing', source: 'header' }]);
    const bad = await get(`${mock.geoUrl}/travel/v2/trips?status=LOST`, user, { 'X-Locale': 'en-US' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.validationErrors[0].message, /status must be one of PLANNED, BOOKED, DONE; got "LOST"/);
  });

  it('enforces the operation\'s scopes (403 with the scopes it needs) and the bearer (401)', async () => {
    const narrow = await token(mock.geoUrl, { grant_type: 'password', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, username: mock.demo.username, password: mock.demo.password, scope: 'travel.read' });
    assert.equal(narrow.status, 200, narrow.text);
    const forbidden = await send(`${mock.geoUrl}/sample/expenses/v1/reports`, 'POST', { name: 'x' }, { authorization: `Bearer ${narrow.body.access_token}` });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.errorMessage, 'Insufficient scope: requires expenses.write');
    // travel.read is enough for the list.
    assert.equal((await get(`${mock.geoUrl}/travel/v2/trips`, narrow.body.access_token, { 'X-Locale': 'en-US' })).status, 200);
    const anonymous = await get(`${mock.geoUrl}/travel/v2/trips`, undefined, { 'X-Locale': 'en-US' });
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);
    // An operation without scopes (Sample Travel's places) takes any token of the datacenter.
    assert.equal((await get(`${mock.geoUrl}/travel/v2/places`, narrow.body.access_token)).status, 200);
  });

  it('answers 405 with the methods a definition\'s path takes, and leaves the built-in routes as they are', async () => {
    const put = await send(`${mock.geoUrl}/travel/v2/trips`, 'PUT', {}, { authorization: `Bearer ${user}` });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST');
    // Built-in routes answer as before: Profile v1 from the demo company.
    const me = await get(`${mock.geoUrl}/profile/v1/me`, user);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, mock.demo.userId);
    // A path nobody serves is still the legacy 404.
    assert.equal((await get(`${mock.geoUrl}/nothing/here`, user)).status, 404);
  });

  it('forgets the operations when the definitions are taken away', async () => {
    mock.setDefinitions([]);
    try {
      assert.equal(mock.definitionOperations(), 0);
      assert.equal((await get(`${mock.geoUrl}/travel/v2/places`, user)).status, 404);
    } finally {
      mock.setDefinitions(entries);
    }
  });
});

describe('local Concur server: a definition naming more of a path than a built-in route', function () {
  this.timeout(30_000);
  let mock: MockConcur;
  let dir: string;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
    // Request v4's shape (written here): a generic {action} route beside an operation with its own literal segment.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-def-'));
    const file = path.join(dir, 'requests.json');
    const action = { post: { operationId: 'action', parameters: [{ name: 'requestUuid', in: 'path', required: true, schema: { type: 'string' } }, { name: 'action', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { fromDefinition: { type: 'boolean', enum: [true] } }, required: ['fromDefinition'] } } } } }, security: [{ oauth: ['travelrequest.write'] }] } };
    const proposals = { post: { operationId: 'proposals', parameters: [{ name: 'requestUuid', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { proposalKept: { type: 'boolean', enum: [true] } }, required: ['proposalKept'] } } } } }, security: [{ oauth: ['travelrequest.write'] }] } };
    fs.writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title: 'Requests (test)', version: '4' }, servers: [{ url: 'https://example.invalid/travelrequest/v4' }], paths: { '/requests/{requestUuid}/{action}': action, '/requests/{requestUuid}/agencyproposals': proposals }, components: { securitySchemes: { oauth: { type: 'oauth2', flows: { password: { tokenUrl: 'https://example.invalid/token', scopes: { 'travelrequest.write': 'w' } } } } } } }));
    mock.setDefinitions([await loadDefinition({ id: 'requests', location: file }, { fetchText: async () => Promise.reject(new Error('no network in this test')) })]);
  });
  after(async () => {
    await mock.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the definition where it names a literal the route takes as any value, and from the built-in route where both take the same values', async () => {
    const answer = await token(mock.geoUrl, { grant_type: 'password', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, username: mock.demo.username, password: mock.demo.password });
    const user = answer.body.access_token;
    // agencyproposals is not one of the built-in workflow route's actions: the definition's operation answers.
    const proposal = await send(`${mock.geoUrl}/travelrequest/v4/requests/0123456789ab/agencyproposals`, 'POST', {}, { authorization: `Bearer ${user}` });
    assert.equal(proposal.status, 200, proposal.text);
    assert.equal(proposal.body.proposalKept, true);
    // The definition's own {action} takes the same values as the built-in route: the built-in route (with its state) answers.
    const unknown = await send(`${mock.geoUrl}/travelrequest/v4/requests/0123456789ab/frobnicate`, 'POST', {}, { authorization: `Bearer ${user}` });
    assert.equal(unknown.status, 400, unknown.text);
    assert.match(unknown.text, /Unknown action frobnicate/);
  });
});
