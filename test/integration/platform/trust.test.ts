import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { scriptedServer, tokenAnswer, type ScriptedServer } from '../../support/scriptedServer';
import { clearNotifications, labelOf, readLog, signInToMock, signOutEverything, testingApi, type TestingApi, waitUntil, walkTree } from '../helpers';

/** An unsigned JWT: the Sessions view only decodes tokens, so a test can hand it any claims. */
function jwt(claims: Record<string, unknown>): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe('Trust boundary (in the real VS Code)', () => {
  let mock: MockConcur;
  let other: ScriptedServer;
  let api: TestingApi;

  const signIn = (grant: 'password' | 'companyRequestToken'): Promise<void> => signInToMock(mock, grant);

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 30 });
    other = await scriptedServer(() => ({ status: 200, body: { stolen: true } }));
    api = await testingApi();
    await signIn('password');
  });

  after(async () => {
    await signOutEverything(api);
    await other.close();
    await mock.close();
  });

  it('"Call API…" with a path that names another local server never reaches it, and says why', async () => {
    const historyBefore = api.requests.entries.length;
    for (const target of [`//127.0.0.1:${other.port}/steal`, `/\\127.0.0.1:${other.port}/steal`, `http://127.0.0.1:${other.port}/steal`]) {
      const result = await vscode.commands.executeCommand('concur.callApi', { method: 'GET', target });
      assert.equal(result, undefined, `${target} was sent`);
    }
    assert.deepEqual(other.requests, [], 'the other server was reached');
    assert.equal(api.requests.entries.length, historyBefore, 'a refused request is not listed as if it had been answered');
    assert.ok(!vscode.window.visibleTextEditors.some((e) => /steal/.test(e.document.uri.path)), 'no response tab for it');
    await waitUntil('the reason in the log', () => new RegExp(`names another host \\(127\\.0\\.0\\.1:${other.port}\\)`).test(readLog(api)));
    await clearNotifications();
  });

  it('a request the resolver refuses opens no "Concur: GET …" progress: it is refused before anything is shown as sent', async () => {
    const titles: string[] = [];
    const withProgress = vscode.window.withProgress;
    (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = (options, task) => {
      titles.push(String(options.title));
      return withProgress(options, task);
    };
    try {
      for (const target of [`http://127.0.0.1:${other.port}/steal-it`, `//127.0.0.1:${other.port}/steal-it`, 'https://attacker.example.com/steal-it']) {
        assert.equal(await vscode.commands.executeCommand('concur.callApi', { method: 'GET', target }), undefined, `${target} was sent`);
      }
      assert.equal(await vscode.commands.executeCommand('concur.callApi', { method: 'GET /x HTTP/1.1', target: '/profile/v1/me' }), undefined);
      assert.deepEqual(titles, [], 'a progress notification opened for a request that was never sent');
      await waitUntil('the refusal', () => new RegExp(`names another host \\(127\\.0\\.0\\.1:${other.port}\\)`).test(readLog(api)));
      assert.deepEqual(other.requests, []);
      // A request that is sent shows its progress, naming the host where the request named one.
      // (The demo user's geolocation is the local server's home datacenter.)
      const record = await vscode.commands.executeCommand('concur.callApi', { method: 'GET', target: `${mock.geoUrl}/profile/v1/me` });
      assert.ok(record, 'the full URL on the session\'s own host was not sent');
      assert.deepEqual(titles, [`Concur: GET ${new URL(mock.geoUrl).host}/profile/v1/me`]);
    } finally {
      (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = withProgress;
    }
    await clearNotifications();
  });

  it('a request refused for its headers, or without a session, opens no progress either: nothing is shown as sent', async () => {
    const titles: string[] = [];
    const withProgress = vscode.window.withProgress;
    (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = (options, task) => {
      titles.push(String(options.title));
      return withProgress(options, task);
    };
    try {
      mock.resetLog();
      // A header that routes the request at a front end is refused by the header check (headers.ts).
      await assert.rejects(api.sender.send({ method: 'GET', target: '/profile/v1/me', headers: { 'X-Forwarded-Host': `127.0.0.1:${other.port}` }, paging: 'none' }), /X-Forwarded-Host header is refused/);
      await assert.rejects(api.sender.send({ method: 'GET', target: '/profile/v1/me', headers: { Host: `127.0.0.1:${other.port}` }, paging: 'none' }), /Host header names 127\.0\.0\.1/);
      // A session that is gone: the sign-in message, before anything is shown as sent.
      await assert.rejects(api.sender.send({ method: 'GET', target: '/profile/v1/me', sessionId: 'no-such-session', paging: 'none' }), /no longer exists/);
      assert.deepEqual(titles, [], 'a progress notification opened for a request that was never sent');
      assert.deepEqual(mock.requests.filter((r) => r.path === '/profile/v1/me'), []);
      assert.deepEqual(other.requests, []);
    } finally {
      (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = withProgress;
    }
  });

  it('copies as cURL with the token of the session that made the request, not the active one', async () => {
    await signIn('companyRequestToken');
    const company = api.sessions.activeSession;
    assert.ok(company);
    await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.countries', {});
    const entry = api.requests.entries[0];
    assert.equal(entry.sent?.sessionId, company.id);
    const user = api.sessions.sessions.find((s) => s.id !== company.id);
    assert.ok(user);
    await vscode.commands.executeCommand('concur.makeSessionActive', user.id);
    const curl = (await vscode.commands.executeCommand('concur.copyAsCurl', { historyId: entry.id }, true)) as string;
    assert.ok(curl.includes(company.accessToken), 'the request\'s own session token');
    assert.ok(!curl.includes(user.accessToken), 'not the active session\'s token');
    assert.match(curl, /^curl -sS --globoff 'http:\/\/127\.0\.0\.1:\d+\/localities\/v5\/countries'/);
    await vscode.env.clipboard.writeText('');
  });

  it('reports a command\'s failure itself: nothing escapes to VS Code\'s generic "command failed"', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // No response tab is open and nothing is picked: each says what to do instead of throwing.
    assert.equal(await vscode.commands.executeCommand('concur.loadNextPage'), undefined);
    assert.equal(await vscode.commands.executeCommand('concur.copyAsCurl', { historyId: 987654 }), undefined);
    assert.equal(await vscode.commands.executeCommand('concur.callEndpoint', 'no.such.endpoint'), undefined);
    assert.equal(await vscode.commands.executeCommand('concur.callApi', { method: 'GET /x HTTP/1.1', target: '/profile/v1/me' }), undefined);
    await waitUntil('the messages in the log', () => {
      const log = readLog(api);
      return /Open a Concur response tab first/.test(log) && /no longer in the history/.test(log) && /no Concur endpoint "no\.such\.endpoint"/.test(log) && /is not an HTTP method/.test(log);
    });
    await clearNotifications();
  });

  it('ignores concur.datacenters set by a workspace: only the user\'s own settings add sign-in hosts', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test host opens a workspace folder');
    const look = [{ label: 'US (us2)', baseUrl: 'https://us2.api.concursolutions.com.evil.example' }];
    await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration('concur').update('datacenters', look, vscode.ConfigurationTarget.Workspace)));
    const file = path.join(folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ 'concur.datacenters': look }));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(api.settings.datacenters(), []);
      await vscode.workspace.getConfiguration('concur').update('datacenters', [{ label: 'Mine', baseUrl: mock.url }], vscode.ConfigurationTarget.Global);
      assert.deepEqual(api.settings.datacenters(), [{ label: 'Mine', baseUrl: mock.url }]);
    } finally {
      fs.rmSync(path.join(folder, '.vscode'), { recursive: true, force: true });
      await vscode.workspace.getConfiguration('concur').update('datacenters', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows claim times Concur could not mean (beyond year 9999) as they are, and the Sessions view still draws', async () => {
    const odd = await scriptedServer(() => tokenAnswer({ access_token: jwt({ sub: 'odd-user', exp: 1e15, iat: 1e300, nbf: -1, 'concur.type': 'user' }) }));
    try {
      await vscode.commands.executeCommand('concur.signIn', {
        baseUrl: odd.url, grant: 'password', clientId: mock.demo.clientId, clientSecret: 'odd-client-secret', username: 'odd@example.com', password: 'odd-password',
      });
      await clearNotifications();
      const oddId = api.sessions.sessions.find((s) => s.label === 'odd@example.com')?.id;
      assert.ok(oddId, 'signed in at the odd server');
      const rows = await walkTree(api.tree);
      const exp = rows.find((r) => r.node.kind === 'claim' && r.node.name === 'exp' && r.node.id.startsWith(`${oddId}/access/`));
      assert.equal(exp?.item.description, '1000000000000000');
      assert.ok(rows.some((r) => labelOf(r.item) === 'odd@example.com'));
    } finally {
      const oddSession = api.sessions.sessions.find((s) => s.label === 'odd@example.com');
      if (oddSession) await vscode.commands.executeCommand('concur.signOut', oddSession.id);
      await clearNotifications();
      await odd.close();
    }
  });

  it('redacts what reaches notifications, explanations, the log and the history, whatever the server says', async () => {
    const clientSecret = 'hostile-client-secret-42';
    let accessToken = '';
    const hostile = await scriptedServer((req) => {
      if (req.url.startsWith('/oauth2/v0/token')) return tokenAnswer({ access_token: jwt({ sub: 'hostile-user', 'concur.type': 'user', exp: Math.floor(Date.now() / 1000) + 3600 }) });
      // An error body that quotes the token it was sent and a secret-looking field.
      return { status: 403, body: { message: `rejected ${req.headers.authorization?.slice(7) ?? ''} with "clientSecret": "${clientSecret}", password=hunter22 hunter` } };
    });
    try {
      await vscode.commands.executeCommand('concur.signIn', {
        baseUrl: hostile.url, grant: 'password', clientId: mock.demo.clientId, clientSecret, username: 'hostile@example.com', password: 'hostile-password-1',
      });
      await clearNotifications();
      accessToken = api.sessions.activeSession?.accessToken ?? '';
      assert.ok(accessToken.length > 20);
      await vscode.commands.executeCommand('concur.callApi', { method: 'GET', target: '/x?password=hunter22' });
      await waitUntil('the explanation', () => api.messages.recent.some((m) => /HTTP 403/.test(m)));
      const shown = api.messages.recent.join('\n');
      const history = (await walkTree(api.history as unknown as vscode.TreeDataProvider<{ kind: string; id: string }>))
        .map(({ item }) => [labelOf(item), item.description, typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value].join(' '))
        .join('\n');
      const log = readLog(api);
      for (const [where, text] of [['notifications', shown], ['history', history], ['log', log]] as const) {
        for (const secret of [accessToken, clientSecret, 'hunter22', 'hostile-password-1']) {
          assert.ok(!text.includes(secret), `a secret (${secret.length} characters) reached the ${where}`);
        }
      }
      assert.match(shown, /Concur says: "rejected «redacted»/);
      assert.match(history, /password=«redacted»/);
    } finally {
      const session = api.sessions.sessions.find((s) => s.label === 'hostile@example.com');
      if (session) await vscode.commands.executeCommand('concur.signOut', session.id);
      await clearNotifications();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await hostile.close();
    }
  });
});
