import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { clearNotifications, extension, labelOf, readLog, signInToMock, signOutEverything, testingApi, type CatalogEndpoint, type TestingApi, waitUntil, walkTree } from '../helpers';

function activeDocument(): vscode.TextDocument {
  const doc = vscode.window.activeTextEditor?.document;
  assert.ok(doc, 'no active editor');
  return doc;
}

const fixture = (name: string): string => path.join(extension().extensionPath, 'test', 'fixtures', 'integration', name);

async function setDefinitions(value: string[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('concur').update('apiDefinitions', value, vscode.ConfigurationTarget.Global);
}

describe('API definitions in the catalog, write requests, and answers checked against their schema', () => {
  const calls = (): MockConcur['requests'] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks');
  let mock: MockConcur;
  let api: TestingApi;

  const operation = (path: string): CatalogEndpoint => {
    const found = api.definitions.definitions.flatMap((d) => d.endpoints).find((e) => e.path === path);
    assert.ok(found, `no operation ${path} in the loaded definitions`);
    return found;
  };

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    await setDefinitions(undefined);
    await signInToMock(mock, 'password');
  });

  after(async () => {
    await setDefinitions(undefined);
    await signOutEverything(api);
    await mock.close();
  });

  it('"Reload API Definitions" with none configured says so, rather than doing nothing visible', async () => {
    const shown = api.messages.shownCount;
    await vscode.commands.executeCommand('concur.reloadApiDefinitions');
    await waitUntil('the message', () => api.messages.shownCount > shown);
    assert.match(api.messages.recent.at(-1) ?? '', /No API definitions are configured\. Add one with "Concur: Add API Definition…"\./);
    await clearNotifications();
  });

  it('"Add API Definition…" reads a file into a product group by tag; its operation goes to the session\'s host, never to the document\'s servers', async () => {
    const id = await vscode.commands.executeCommand<string>('concur.addApiDefinition', fixture('sample-localities.yaml'));
    assert.match(id, /^def-[0-9a-f]{10}$/);
    assert.ok(api.openApiLoaded(), 'the parser was not loaded');
    assert.deepEqual(vscode.workspace.getConfiguration('concur').inspect<string[]>('apiDefinitions')?.globalValue, [fixture('sample-localities.yaml')]);

    const rows = await walkTree(api.catalog);
    const product = rows.find((r) => labelOf(r.item) === 'Sample Localities 5.0');
    assert.ok(product, `no product group: ${rows.filter((r) => r.depth === 0).map((r) => labelOf(r.item)).join(', ')}`);
    assert.equal(product.item.contextValue, 'catalog.definition');
    const under = rows.slice(rows.indexOf(product) + 1).filter((r) => r.depth > 0);
    assert.deepEqual(under.filter((r) => r.depth === 1).map((r) => labelOf(r.item)), ['Countries', 'Lists']);
    assert.ok(under.some((r) => r.depth === 2 && labelOf(r.item) === 'GET /localities/v5/countries/{code}'));
    // The built-in catalog is still there.
    assert.ok(rows.some((r) => r.depth === 0 && labelOf(r.item) === 'Profile v1'));

    const byCode = operation('/localities/v5/countries/{code}');
    assert.equal(byCode.tag, 'Countries');
    assert.deepEqual(byCode.scopes, ['locality.read']);
    assert.deepEqual(byCode.params.map((p) => [p.name, p.in, p.required, p.default, p.choices?.join('|')]), [['code', 'path', true, 'DE', 'US|DE|FR']]);

    mock.resetLog();
    await vscode.commands.executeCommand('concur.callEndpoint', byCode.id, { code: 'FR' });
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo GET /localities/v5/countries/FR 200']);
    const doc = activeDocument();
    assert.equal((JSON.parse(doc.getText()) as { code: string }).code, 'FR');
    // The answer matches its schema: no diagnostics, and the status entry says so.
    await waitUntil('the response status entry', () => (api.responseStatusBar.text ?? '').includes('$(check) schema'));
    assert.deepEqual(vscode.languages.getDiagnostics(doc.uri), []);
  });

  it('shows where an answer differs from its schema: diagnostics on the tab and a count in the status entry', async () => {
    await clearNotifications();
    await vscode.commands.executeCommand('concur.callEndpoint', operation('/localities/v5/countries').id, {});
    const doc = activeDocument();
    assert.equal(doc.uri.scheme, 'concur-response');
    const diagnostics = vscode.languages.getDiagnostics(doc.uri);
    const kinds = new Set(diagnostics.map((d) => String(d.code)));
    assert.deepEqual([...kinds].sort(), ['enum', 'required', 'type']);
    const required = diagnostics.find((d) => d.code === 'required');
    assert.match(required?.message ?? '', /totalCount/);
    const type = diagnostics.find((d) => d.code === 'type' && d.message.includes('$.countries[0].active'));
    assert.ok(type, diagnostics.map((d) => d.message).join('\n'));
    assert.equal(doc.getText(type.range), 'true');
    assert.equal(type.severity, vscode.DiagnosticSeverity.Warning);
    const enumValue = diagnostics.find((d) => d.code === 'enum' && d.message.includes('$.countries[0].names[0].langCode'));
    assert.ok(enumValue);
    assert.equal(doc.getText(enumValue.range), '"en"');
    await waitUntil('the count in the response status entry', () => new RegExp(`\\$\\(warning\\) ${diagnostics.length} schema differences`).test(api.responseStatusBar.text ?? ''));
  });

  it('a definition that cannot be read says where and why, and the rest of the catalog stays', async () => {
    await clearNotifications();
    await setDefinitions([fixture('sample-localities.yaml'), fixture('broken.yaml')]);
    await waitUntil('the broken definition to be reported', () => api.definitions.problems.length === 1);
    const problem = api.definitions.problems[0];
    assert.equal(problem.location, fixture('broken.yaml'));
    assert.match(`${problem.message} ${problem.where ?? ''}`, /line \d+/);
    assert.equal(api.definitions.definitions.length, 1, 'the readable definition was dropped');
    await waitUntil('the notification', () => api.messages.recent.some((m) => m.includes('broken.yaml could not be read') && m.includes('The rest of the API Catalog is unchanged')));
    const rows = await walkTree(api.catalog);
    const problemRow = rows.find((r) => r.item.contextValue === 'catalog.definitionProblem');
    assert.ok(problemRow, 'no problem entry in the catalog');
    assert.equal(problemRow.item.description, 'could not be read');
    assert.ok(rows.some((r) => labelOf(r.item) === 'Sample Localities 5.0'));
    assert.ok(rows.some((r) => labelOf(r.item) === 'Profile v1'));

    await vscode.commands.executeCommand('concur.removeApiDefinition', fixture('broken.yaml'));
    assert.equal(api.definitions.problems.length, 0);
    assert.deepEqual(api.definitions.configured(), [fixture('sample-localities.yaml')]);
  });

  it('"Add API Definition…" reads an http(s) URL through the extension\'s checked client, with no token, and refuses a plain-http host elsewhere', async () => {
    const served: { url: string; authorization?: string; cookie?: string }[] = [];
    const text = fs.readFileSync(fixture('sample-localities.yaml'), 'utf8').replace('title: Sample Localities', 'title: Localities from a URL');
    const server = http.createServer((req, res) => {
      served.push({ url: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie });
      if (req.url === '/moved') res.writeHead(302, { location: '/openapi.yaml' }).end();
      else res.writeHead(200, { 'content-type': 'application/yaml' }).end(text);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/moved`;
    try {
      const id = await vscode.commands.executeCommand<string>('concur.addApiDefinition', url);
      assert.ok(id);
      assert.deepEqual(served.map((r) => r.url), ['/moved', '/openapi.yaml'], readLog(api).split('\n').filter((l) => l.includes('Reading the API')).join('\n'));
      assert.ok(served.every((r) => r.authorization === undefined && r.cookie === undefined), 'something besides the request for the file went there');
      assert.ok(api.definitions.definitions.some((d) => d.location === url && d.product === 'Localities from a URL 5.0'));
      await clearNotifications();
      // Plain http to another machine is refused before anything is sent, and nothing is added.
      await vscode.commands.executeCommand('concur.addApiDefinition', 'http://definitions.example.com/openapi.yaml');
      await waitUntil('the refusal', () => api.messages.recent.some((m) => /definitions\.example\.com\/openapi\.yaml is not added: Plain http:\/\/ is only allowed for this machine/.test(m)));
      assert.ok(!api.definitions.configured().includes('http://definitions.example.com/openapi.yaml'));
      await vscode.commands.executeCommand('concur.removeApiDefinition', url);
      assert.ok(!api.definitions.definitions.some((d) => d.location === url));
    } finally {
      server.close();
    }
  });

  it('a POST from the catalog opens its body with the schema\'s required fields and completion from the schema, asks naming method, path, host and account, and sends', async () => {
    await vscode.commands.executeCommand('concur.callEndpoint', 'list.v4.lists', { page: '1' });
    const listId = (JSON.parse(activeDocument().getText()) as { content: { id: string }[] }).content[0].id;

    const uri = await vscode.commands.executeCommand<vscode.Uri>('concur.callEndpoint', 'list.v4.createItem', {});
    const doc = activeDocument();
    assert.equal(doc.uri.toString(), uri.toString());
    assert.equal(doc.uri.scheme, 'concur-body');
    assert.equal(doc.languageId, 'json');
    assert.match(doc.uri.path, /POST ∕list∕v4∕items body\.json$/);
    // Exactly the required fields, after the $schema that names the operation's schema.
    assert.deepEqual(JSON.parse(doc.getText()), { $schema: 'concur-schema:/list.v4.createItem/request.json', listId: '', shortCode: '', value: '' });

    // VS Code's JSON language service reads that schema: the optional field is offered, a missing required one is flagged.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '  \n'));
    const labels = async (): Promise<string[]> => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 2));
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/"/g, ''));
    };
    await waitUntil('completion from the body schema', async () => (await labels()).includes('parentId'), 30_000);
    const body = { $schema: 'concur-schema:/list.v4.createItem/request.json', listId, shortCode: 'ZZ', value: 'Made in a test' };
    const replaceAll = async (text: string): Promise<void> => {
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text));
    };
    await replaceAll(JSON.stringify({ $schema: body.$schema, listId, shortCode: 'ZZ' }, null, 2));
    await waitUntil('the schema\'s missing-property error', () => vscode.languages.getDiagnostics(doc.uri).some((d) => /value/.test(d.message)), 30_000);
    await replaceAll(JSON.stringify(body, null, 2));
    await waitUntil('the body to match its schema', () => vscode.languages.getDiagnostics(doc.uri).length === 0, 30_000);

    // Declined: nothing is sent.
    const asked: { message: string; detail: string }[] = [];
    const ask = api.messages.ask;
    api.messages.ask = async (message, detail) => {
      asked.push({ message, detail });
      return undefined;
    };
    try {
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendBody', uri);
      assert.equal(asked.length, 1);
      assert.deepEqual(calls(), []);
      const session = api.sessions.activeSession;
      assert.ok(session);
      const label = api.sessions.sessions.find((s) => s.id === session.id)?.label ?? '';
      const host = new URL(mock.geoUrl).host;
      assert.equal(asked[0].message, `Send POST /list/v4/items to ${host} as ${label}?`);
      assert.match(asked[0].detail, new RegExp(`changes data in Concur: it goes to ${host.replace(/\./g, '\\.')} with the token of`));

      // Accepted: sent once, to the session's host, without the $schema the tab added.
      api.messages.ask = async (message, detail, ...actions) => {
        asked.push({ message, detail });
        return actions[0];
      };
      await vscode.commands.executeCommand('concur.sendBody', uri);
      assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo POST /list/v4/items 201']);
      const created = JSON.parse(activeDocument().getText()) as { id: string; shortCode: string; value: string; $schema?: string };
      assert.equal(created.value, 'Made in a test');
      assert.equal(created.$schema, undefined);
      assert.ok(!doc.isDirty, 'the body tab was left unsaved');

      // A DELETE from the catalog asks too, and sends nothing when declined.
      api.messages.ask = async (message, detail) => {
        asked.push({ message, detail });
        return undefined;
      };
      mock.resetLog();
      await vscode.commands.executeCommand('concur.callEndpoint', 'list.v4.deleteItem', { itemId: created.id });
      assert.match(asked[asked.length - 1].message, new RegExp(`^Send DELETE /list/v4/items/${created.id} to `));
      assert.deepEqual(calls(), []);

      // Submitting a report, which Concur documents with no payload, opens no body tab: it asks, then goes.
      const owner = mock.issueTokens().access_token;
      const report = await fetch(`${mock.geoUrl}/expensereports/v4/users/${mock.demo.userId}/context/TRAVELER/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Submitted from the catalog', policyId: 'EE095F66AEF52B4A9CE62952601E5CB1' }),
      });
      const reportId = String(report.headers.get('location')).split('/').at(-1) ?? '';
      api.messages.ask = async (message, detail, ...actions) => {
        asked.push({ message, detail });
        return actions[0];
      };
      mock.resetLog();
      await vscode.commands.executeCommand('concur.callEndpoint', 'expense.v4.submit', { reportId });
      const submit = `/expensereports/v4/users/${mock.demo.userId}/reports/${reportId}/submit`;
      assert.match(asked[asked.length - 1].message, new RegExp(`^Send PATCH ${submit.replace(/\//g, '\\/')} to `));
      assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), [`geo PATCH ${submit} 204`]);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'concur-body' && d.uri.path.includes('submit')), 'no body tab for the submit');
    } finally {
      api.messages.ask = ask;
    }
  });
});
