/**
 * The local Concur server as a feature of the extension, in the real VS Code: started from the
 * command palette (its bundle, dist/localConcur.js, required on that first start), signed in to in
 * one step, every operation of this repository's fixture definitions answered with a body its
 * response schema accepts, a scenario met by the next call, and reached by curl from outside.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkAgainstSchema } from '../../../src/catalog/definitions/openapi';
import type { Endpoint } from '../../../src/catalog/endpoint';
import { schemaForStatus } from '../../../src/catalog/responseSchema';
import { exampleOf } from '../../../src/localConcur/definitions';
import { repoRoot } from '../../host/paths';
import { clearNotifications, extension, signOutEverything, testingApi, type TestingApi, waitUntil } from '../helpers';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('concur');
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'definitions', name);
/** This repository's own fixture definitions (never Concur's files). */
const DEFINITIONS = ['sample-travel.openapi.yaml', 'sample-expenses.swagger.json', 'nullable-3.0.yaml'].map(fixture);

describe('The local Concur server, from the command palette', () => {
  let api: TestingApi;
  let url: string;
  const server = () => {
    const running = api.localServer.running;
    assert.ok(running, 'the local Concur server is not running');
    return running;
  };
  /** The active session's access token, never printed. */
  const accessToken = (): string => {
    const session = api.sessions.activeSession;
    assert.ok(session, 'no active session');
    return session.accessToken;
  };

  before(async () => {
    api = await testingApi();
    await config().update('apiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await config().update('localServer.port', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('apiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await signOutEverything(api);
    await vscode.commands.executeCommand('concur.stopLocalServer');
    await clearNotifications();
  });

  it('starts from the extension\'s own bundle: dist/localConcur.js is required on first start; loopback only; a status entry and a read-only tab with its demo company', async () => {
    const dist = path.join(extension().extensionPath, 'dist');
    const lazyLoaded = (): boolean => Object.keys(require.cache).some((file) => file === path.join(dist, 'localConcur.js'));
    assert.equal(lazyLoaded(), false, 'dist/localConcur.js was loaded before the server was started');
    assert.equal(api.localConcurLoaded(), false);

    url = String(await vscode.commands.executeCommand('concur.startLocalServer'));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(lazyLoaded(), `dist/localConcur.js is not in require.cache: ${Object.keys(require.cache).filter((f) => f.startsWith(dist)).join(', ')}`);
    assert.equal(api.localConcurLoaded(), true);
    assert.equal(server().url, url);
    assert.match(server().geoUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    // Started again: the same server.
    assert.equal(await vscode.commands.executeCommand('concur.startLocalServer'), url);

    const entry = api.localServer.statusEntry;
    assert.ok(entry.visible);
    assert.equal(entry.text, `$(server-process) Local Concur ${new URL(url).host}`);
    assert.ok(entry.tooltip.includes(url));

    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no tab opened');
    assert.equal(editor.document.uri.scheme, 'concur-local');
    assert.equal(editor.document.languageId, 'markdown');
    const text = editor.document.getText();
    for (const part of [url, server().geoUrl, server().demo.clientId, server().demo.clientSecret, server().demo.username, 'Globex Demo Corporation']) assert.ok(text.includes(part), `the tab lacks ${part}`);
    assert.equal(editor.document.isDirty, false);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.command]),
      [
        ['$(sign-in) Sign In to It', 'concur.signInToLocalServer'],
        ['$(copy) Copy Connection Settings', 'concur.copyLocalServerConnection'],
        ['$(beaker) Scenarios…', 'concur.chooseLocalServerScenarios'],
        ['$(debug-stop) Stop', 'concur.stopLocalServer'],
      ],
    );
  });

  it('signs in to it in one step (code 16 followed to the home datacenter); the tokens go to SecretStorage only', async () => {
    const id = await vscode.commands.executeCommand<string>('concur.signInToLocalServer');
    assert.ok(id, 'no session');
    const session = api.sessions.sessions.find((s) => s.id === id);
    assert.ok(session);
    assert.equal(session.state, 'active');
    assert.equal(session.geolocation, server().geoUrl);
    assert.equal(api.sessions.activeSession?.id, id);
    // What went over the wire: the sign-in at the landing datacenter, code 16, then the home one.
    const tokenCalls = server().requests.filter((r) => r.path === '/oauth2/v0/token').map((r) => `${r.host} ${r.status}`);
    assert.deepEqual(tokenCalls.slice(-2), ['landing 400', 'geo 200']);
    const state = JSON.stringify(api.globalState.keys().map((k) => [k, api.globalState.get(k)]));
    assert.ok(!state.includes(session.accessToken), 'the access token is in globalState');
    assert.ok(!state.includes(server().demo.password), 'the demo password is in globalState');
    assert.ok(!state.includes(server().demo.clientSecret), 'the client secret is in globalState');

    await vscode.commands.executeCommand('concur.callApi', { method: 'GET', target: '/profile/v1/me' });
    // The history is newest first.
    const last = api.requests.entries[0];
    assert.equal(last.status, 200);
    assert.equal(last.sent?.url, `${server().geoUrl}/profile/v1/me`);
    await clearNotifications();
  });

  it('answers every operation of the repository\'s fixture definitions with a body its response schema accepts', async function () {
    this.timeout(120_000);
    await config().update('apiDefinitions', DEFINITIONS, vscode.ConfigurationTarget.Global);
    await api.definitions.reload({ keepLoaded: true });
    await waitUntil('the fixture definitions in the catalog', () => api.definitions.definitions.length === DEFINITIONS.length, 60_000);
    // The catalog's entries, in full (the testing API's type names only some of their fields).
    const operations = api.definitions.definitions.flatMap((d) => d.endpoints) as unknown as Endpoint[];
    await waitUntil('the server to take the definitions', () => server().definitionOperations() === operations.length);
    assert.ok(operations.length >= 12, `${operations.length} operations`);
    // The tab counts them too.
    const tab = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'concur-local', path: '/Local Concur Server.md' }));
    await waitUntil('the tab to count the operations', () => tab.getText().includes(`${operations.length} operations of the API definitions`));

    // A session signed in after the definitions were loaded has their scopes.
    await vscode.commands.executeCommand('concur.signInToLocalServer');
    await clearNotifications();
    const bearer = { authorization: `Bearer ${accessToken()}` };
    for (const endpoint of operations) {
      const where = `${endpoint.method} ${endpoint.path}`;
      const query = new URLSearchParams();
      const headers: Record<string, string> = { ...bearer };
      for (const p of endpoint.params.filter((p) => p.required && p.in !== 'path')) {
        if (p.in === 'query') query.set(p.name, p.default ?? p.choices?.[0] ?? '1');
        else headers[p.name] = p.default ?? p.choices?.[0] ?? '1';
      }
      const target = `${server().geoUrl}${endpoint.path.replace(/\{([^{}]+)\}/g, (_, name: string) => endpoint.params.find((p) => p.name === name)?.choices?.[0] ?? `id-${name}`)}${query.size ? `?${query}` : ''}`;
      let body: string | FormData | undefined;
      if (endpoint.body?.schema !== undefined && /json/.test(endpoint.body.contentType)) {
        body = JSON.stringify(exampleOf(endpoint.body.schema));
        headers['content-type'] = endpoint.body.contentType;
      } else if (endpoint.body?.fields) {
        const form = new FormData();
        for (const f of endpoint.body.fields) {
          if (f.kind === 'file') form.append(f.name, new Blob([Buffer.from('%PDF-1.4\n')], { type: 'application/pdf' }), 'receipt.pdf');
          else form.append(f.name, f.default ?? 'x');
        }
        body = form;
      }
      const response = await fetch(target, { method: endpoint.method, headers, body });
      const text = await response.text();
      assert.ok(response.status >= 200 && response.status < 300, `${where}: ${response.status} ${text}`);
      const schema = schemaForStatus(endpoint.responses, response.status);
      if (schema === undefined) continue;
      assert.deepEqual(checkAgainstSchema(JSON.parse(text), schema), [], `${where}: ${text}`);
    }

    // Through the extension's own call path, the schema check agrees.
    const getTrip = operations.find((e) => e.method === 'GET' && e.path === '/travel/v2/trips/{tripId}');
    assert.ok(getTrip);
    await vscode.commands.executeCommand('concur.callEndpoint', getTrip.id, { tripId: 'trip-42' });
    await waitUntil('the response status entry', () => (api.responseStatusBar.text ?? '').includes('$(check) schema'));
    assert.equal((JSON.parse(vscode.window.activeTextEditor?.document.getText() ?? '{}') as { id?: string }).id, 'trip-42');
  });

  it('a scenario switched on is met by the next call, and switched off, no more', async () => {
    const call = async (): Promise<number | undefined> => {
      await vscode.commands.executeCommand('concur.callApi', { method: 'GET', target: '/profile/v1/me' });
      await clearNotifications();
      return api.requests.entries[0].status;
    };
    assert.deepEqual(await vscode.commands.executeCommand('concur.chooseLocalServerScenarios', ['serverError']), ['serverError']);
    assert.match(api.localServer.statusEntry.text, /\$\(beaker\) 1$/);
    assert.match(api.localServer.statusEntry.tooltip, /500 Internal Server Error/);
    assert.equal(await call(), 500);
    assert.deepEqual(await vscode.commands.executeCommand('concur.chooseLocalServerScenarios', []), []);
    assert.equal(await call(), 200);

    // An expired token: the next call meets the 401; a refresh (Concur: Refresh Token) gets a token that works.
    const refreshes = server().counters.refreshGrants;
    await vscode.commands.executeCommand('concur.chooseLocalServerScenarios', ['expiredToken']);
    assert.equal(await call(), 401);
    assert.ok(server().requests.some((r) => r.path === '/profile/v1/me' && r.status === 401), 'the expired token was not refused');
    await vscode.commands.executeCommand('concur.refreshToken', api.sessions.activeSession?.id);
    assert.ok(server().counters.refreshGrants > refreshes, 'the session was not refreshed');
    assert.equal(await call(), 200);
  });

  it('answers curl from outside VS Code at the printed address: code 16, a token at the home datacenter, an API call', async () => {
    const demo = server().demo;
    // Asynchronously: the server answers from this very process.
    const curl = async (...args: string[]): Promise<string> => (await promisify(execFile)('curl', ['-s', '--max-time', '20', ...args], { encoding: 'utf8' })).stdout;
    const form = ['-d', `client_id=${demo.clientId}`, '-d', `client_secret=${demo.clientSecret}`, '-d', 'grant_type=password', '--data-urlencode', `username=${demo.username}`, '-d', `password=${demo.password}`];
    const first = JSON.parse(await curl('-X', 'POST', `${url}/oauth2/v0/token`, ...form)) as { code: number; geolocation: string };
    assert.equal(first.code, 16);
    assert.equal(first.geolocation, server().geoUrl);
    const tokens = JSON.parse(await curl('-X', 'POST', `${first.geolocation}/oauth2/v0/token`, ...form)) as { access_token?: string; geolocation: string };
    assert.ok(tokens.access_token, 'no access token');
    const me = JSON.parse(await curl('-H', `Authorization: Bearer ${tokens.access_token}`, `${tokens.geolocation}/profile/v1/me`)) as { id: string };
    assert.equal(me.id, demo.userId);
  });

  it('copies its connection settings for the user\'s own code', async () => {
    await vscode.commands.executeCommand('concur.copyLocalServerConnection');
    const text = await vscode.env.clipboard.readText();
    const demo = server().demo;
    for (const line of [`CONCUR_BASE_URL=${url}`, `CONCUR_CLIENT_ID=${demo.clientId}`, `CONCUR_CLIENT_SECRET=${demo.clientSecret}`, `CONCUR_USERNAME=${demo.username}`, `CONCUR_PASSWORD=${demo.password}`]) {
      assert.ok(text.split('\n').includes(line), `missing ${line.split('=')[0]}`);
    }
  });

  it('stops: the status entry goes, the port is closed, and the tab says so', async () => {
    await vscode.commands.executeCommand('concur.stopLocalServer');
    await clearNotifications();
    assert.equal(api.localServer.running, undefined);
    assert.equal(api.localServer.statusEntry.visible, false);
    await assert.rejects(fetch(`${url}/oauth2/v0/jwks`));
    const tab = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'concur-local', path: '/Local Concur Server.md' }));
    await waitUntil('the tab to say it is not running', () => tab.getText().includes('It is not running'));
  });
});
