/**
 * What the extension does around write requests and API definition documents, without VS Code:
 * where a definition may be downloaded from (and that nothing but the request for it goes there),
 * the body tab's first text, the text that is sent, and which schema an answer is checked against.
 */
import * as assert from 'node:assert/strict';
import { changesData, type Endpoint } from '../../../src/catalog/catalog';
import { DefinitionDownloadError, fetchDefinitionText, MAX_DEFINITION_BYTES } from '../../../src/catalog/definitionFetch';
import { HttpClient } from '../../../src/platform/http';
import { bodySchemaUri, bodyToSend, initialBody, isJsonBody, servedBodySchema } from '../../../src/catalog/requestBody';
import { definitionUrl, RefusedTargetError } from '../../../src/platform/resolver';
import { jsonPathOf, schemaForStatus } from '../../../src/catalog/responseSchema';
import { scriptedServer, type ScriptedAnswer, type ScriptedServer } from '../../support/scriptedServer';

const ENDPOINT: Endpoint = {
  id: 'sample.create',
  product: 'Sample',
  title: 'Create',
  method: 'POST',
  path: '/sample/v1/things',
  scopes: ['sample.write'],
  tokenTypes: ['user'],
  paging: 'none',
  params: [],
  description: '',
  body: {
    contentType: 'application/json',
    required: true,
    schema: {
      type: 'object',
      required: ['name', 'kind'],
      properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['A', 'B'] }, note: { type: 'string' } },
    },
  },
};

describe('API definition downloads', () => {
  let server: ScriptedServer;
  let other: ScriptedServer;
  let http: HttpClient;

  before(async () => {
    other = await scriptedServer(() => ({ status: 200, body: 'openapi: 3.0.3' }));
    server = await scriptedServer((req): ScriptedAnswer => {
      if (req.url === '/spec.yaml') return { status: 200, headers: { 'content-type': 'application/yaml' }, body: 'openapi: 3.1.0\ninfo: {title: T, version: "1"}\n' };
      if (req.url === '/moved') return { status: 302, headers: { location: '/spec.yaml' } };
      if (req.url === '/to-ftp') return { status: 302, headers: { location: 'ftp://example.com/spec.yaml' } };
      if (req.url === '/to-plain-http') return { status: 302, headers: { location: 'http://example.com/spec.yaml' } };
      if (req.url === '/loop') return { status: 302, headers: { location: '/loop' } };
      if (req.url === '/big') return { status: 200, body: 'x'.repeat(MAX_DEFINITION_BYTES + 10) };
      return { status: 404, body: 'no' };
    });
    http = new HttpClient();
  });
  after(async () => {
    await http.close();
    await server.close();
    await other.close();
  });

  it('accepts https anywhere and http only on this machine, never credentials in the URL', () => {
    assert.ok(definitionUrl('https://developer.example.com/openapi.yaml').ok);
    assert.ok(definitionUrl('http://127.0.0.1:5050/spec.json').ok);
    for (const refused of ['http://example.com/spec.yaml', 'https://user:pw@example.com/spec.yaml', 'file:///etc/passwd', 'ftp://example.com/x', 'https://exa\nmple.com/x', 'not a url']) {
      const checked = definitionUrl(refused);
      assert.equal(checked.ok, false, refused);
    }
  });

  it('downloads a document with nothing but accept, follows a redirect through the same rules, and refuses the rest', async () => {
    server.requests.length = 0;
    assert.match(await fetchDefinitionText(http, `${server.url}/moved`), /^openapi: 3\.1\.0/);
    assert.deepEqual(server.requests.map((r) => r.url), ['/moved', '/spec.yaml']);
    for (const request of server.requests) {
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.headers.cookie, undefined);
      assert.match(String(request.headers.accept), /application\/json/);
    }
    await assert.rejects(fetchDefinitionText(http, `${server.url}/to-ftp`), RefusedTargetError);
    await assert.rejects(fetchDefinitionText(http, `${server.url}/to-plain-http`), /only allowed for this machine/);
    await assert.rejects(fetchDefinitionText(http, `${server.url}/loop`), /redirected more than 3 times/);
    await assert.rejects(fetchDefinitionText(http, `${server.url}/missing`), (e: unknown) => e instanceof DefinitionDownloadError && /HTTP 404/.test(e.message));
    await assert.rejects(fetchDefinitionText(http, `${server.url}/big`), /larger than 20 MB/);
    await assert.rejects(fetchDefinitionText(http, 'http://example.com/spec.yaml'), RefusedTargetError);
    assert.equal(other.requests.length, 0);
  });
});

describe('write request bodies', () => {
  it('start with $schema and exactly the required fields of the body schema', () => {
    const text = initialBody(ENDPOINT);
    assert.deepEqual(JSON.parse(text), { $schema: bodySchemaUri('sample.create'), name: '', kind: 'A' });
    assert.match(text, /^\{\n {2}"\$schema": "concur-schema:\/sample\.create\/request\.json",\n/);
    assert.equal(initialBody({ ...ENDPOINT, body: undefined }), '{}\n');
    assert.equal(initialBody(ENDPOINT, '{"given":1}'), '{"given":1}');
  });

  it('name a schema that allows $schema beside the operation\'s own fields', () => {
    const served = servedBodySchema(ENDPOINT.body?.schema ?? {});
    assert.equal(served.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(served.allOf, [ENDPOINT.body?.schema]);
    assert.equal(servedBodySchema({ $schema: 'https://json-schema.org/draft/2020-12/schema' }).$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(bodySchemaUri('def-0123456789:create thing'), 'concur-schema:/def-0123456789%3Acreate%20thing/request.json');
  });

  it('are sent without the $schema the tab added, and otherwise as written', () => {
    const text = '{\n  "$schema": "concur-schema:/sample.create/request.json",\n  "name": "x",\n  "amount": 1.50,\n  "kind": "B"\n}\n';
    assert.equal(bodyToSend(text, 'sample.create'), '{\n  "name": "x",\n  "amount": 1.50,\n  "kind": "B"\n}\n');
    assert.equal(bodyToSend('{ "$schema": "concur-schema:/sample.create/request.json" }', 'sample.create'), '{}');
    // Someone else's $schema, or one not at the top, is the user's: sent as written.
    const theirs = '{"$schema":"https://example.com/s.json","name":"x"}';
    assert.equal(bodyToSend(theirs, 'sample.create'), theirs);
    // Moved elsewhere in the object: still taken out, the rest kept.
    assert.deepEqual(JSON.parse(bodyToSend('{"name":"x","$schema":"concur-schema:/sample.create/request.json"}', 'sample.create') ?? ''), { name: 'x' });
    assert.equal(bodyToSend('  \n', 'sample.create'), undefined);
    assert.throws(() => bodyToSend('{"name": }', 'sample.create'), /not valid JSON .*Fix it in the tab/);
  });

  it('that are not JSON (a form, XML) start empty and are sent as typed', () => {
    const form: Endpoint = { ...ENDPOINT, body: { contentType: 'application/x-www-form-urlencoded', required: true } };
    assert.equal(isJsonBody(form), false);
    assert.equal(isJsonBody(ENDPOINT), true);
    assert.equal(isJsonBody({ ...ENDPOINT, body: { contentType: 'application/vnd.concur+json', required: true } }), true);
    assert.equal(isJsonBody({ ...ENDPOINT, body: undefined }), true);
    assert.equal(initialBody(form), '');
    assert.equal(bodyToSend('a=1&b={x', 'sample.create', false), 'a=1&b={x');
  });

  it('are asked about for every method that changes data', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'MERGE']) assert.equal(changesData(method), true, method);
    for (const method of ['GET', 'HEAD', 'OPTIONS']) assert.equal(changesData(method), false, method);
  });
});

describe('response schemas', () => {
  it('are picked by status code, then by class (2XX), then default', () => {
    const responses = { '200': { title: 'ok' }, '4xx': { title: 'client' }, default: { title: 'other' } };
    assert.deepEqual(schemaForStatus(responses, 200), { title: 'ok' });
    assert.deepEqual(schemaForStatus(responses, 404), { title: 'client' });
    assert.deepEqual(schemaForStatus(responses, 201), { title: 'other' });
    assert.equal(schemaForStatus({ '200': { title: 'ok' } }, 500), undefined);
    assert.equal(schemaForStatus(undefined, 200), undefined);
    assert.equal(jsonPathOf([]), '$');
    assert.equal(jsonPathOf(['Resources', 0, 'name']), '$.Resources[0].name');
    assert.equal(jsonPathOf(['a b', 'x-y', '$ok']), '$["a b"]["x-y"].$ok');
  });
});
