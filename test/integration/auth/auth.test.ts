import * as assert from 'node:assert/strict';
import { assertDifferentSecret, assertSameSecret } from '../../support/secretAsserts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { clearNotifications, testingApi, waitUntil, type TestingApi } from '../helpers';

const INDEX_KEY = 'concur-api-explorer.sessions.index';

describe('Sign-in, sessions and refresh (real SecretStorage and AuthenticationProvider)', () => {
  let mock: MockConcur;
  let api: TestingApi;
  const seenSecrets = new Set<string>();

  before(async () => {
    // The shortest lifetime the extension accepts (a minute), so that the automatic refresh happens
    // within the test: at half of it, which is also the 30 s that must pass between two refreshes.
    mock = await startMockConcur({ quiet: true, companyUsers: 60, accessTokenLifetime: 60 });
    api = await testingApi();
    await vscode.workspace.getConfiguration('concur').update('refresh.lifetimeFraction', 0.5, vscode.ConfigurationTarget.Global);
    seenSecrets.add(mock.demo.clientSecret).add(mock.demo.password);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('concur').update('refresh.lifetimeFraction', undefined, vscode.ConfigurationTarget.Global);
    await mock.close();
  });

  const signInArgs = (overrides: Record<string, string> = {}): Record<string, string> => ({
    baseUrl: mock.url,
    grant: 'password',
    clientId: mock.demo.clientId,
    clientSecret: mock.demo.clientSecret,
    username: mock.demo.username,
    password: mock.demo.password,
    ...overrides,
  });

  function remember(session: { accessToken: string; refreshToken?: string; idToken?: string } | undefined): void {
    for (const value of [session?.accessToken, session?.refreshToken, session?.idToken]) if (value) seenSecrets.add(value);
  }

  it('signs in through concur.signIn, landing at the geolocation Concur names (code 16 followed)', async () => {
    const session = (await vscode.commands.executeCommand('concur.signIn', signInArgs())) as { id: string; geolocation: string; label: string } | undefined;
    await clearNotifications();
    assert.ok(session, 'concur.signIn returned no session');
    assert.equal(session.label, mock.demo.username);
    assert.equal(session.geolocation, mock.geoUrl);
    const tokenCalls = mock.requests.filter((r) => r.path === '/oauth2/v0/token').map((r) => `${r.host}:${r.status}`);
    assert.deepEqual(tokenCalls, ['landing:400', 'geo:200']);
    const index = JSON.parse((await api.secrets.get(INDEX_KEY)) ?? '{}') as { ids: string[]; activeId: string };
    assert.deepEqual(index.ids, [session.id]);
    assert.equal(index.activeId, session.id);
    const entry = JSON.parse((await api.secrets.get(`concur-api-explorer.session.${session.id}`)) ?? '{}') as { session: { geolocation: string } };
    assert.equal(entry.session.geolocation, mock.geoUrl);
    remember(api.sessions.activeSession);
  });

  it('shares the session with VS Code: authentication.getSession("concur", scopes) returns it', async () => {
    // The user's one-time consent is in the test host's product.json (see test/host/codeServer.ts).
    const session = await vscode.authentication.getSession('concur', ['user.read'], { silent: true });
    assert.ok(session, 'no session from the concur authentication provider');
    assert.equal(session.account.label, mock.demo.username);
    assert.equal(session.account.id, mock.demo.userId);
    assert.ok(session.scopes.includes('user.read'));
    assertSameSecret(session.accessToken, api.sessions.activeSession?.accessToken);
    const none = await vscode.authentication.getSession('concur', ['no.such.scope'], { silent: true });
    assert.equal(none, undefined, 'a session without the requested scope must not be returned');
  });

  it('keeps the previous session when a sign-in fails with a wrong password', async () => {
    const id = api.sessions.activeSession?.id as string;
    const before = await api.secrets.get(`concur-api-explorer.session.${id}`);
    const running = vscode.commands.executeCommand('concur.signIn', signInArgs({ password: 'not-the-password' }));
    await waitUntil('the failed token request', () => mock.requests.some((r) => r.path === '/oauth2/v0/token' && r.status === 400 && r.host === 'geo'));
    await new Promise((r) => setTimeout(r, 300));
    await clearNotifications();
    assert.equal(await running, undefined);
    assert.equal(await api.secrets.get(`concur-api-explorer.session.${id}`), before);
    assert.equal(api.sessions.sessions.length, 1);
    seenSecrets.add('not-the-password');
  });

  it('refreshes on its own before the short-lived token expires, and hands out the new token', async () => {
    const first = api.sessions.activeSession;
    assert.ok(first);
    mock.resetLog();
    await waitUntil('an automatic refresh', () => api.sessions.activeSession?.accessToken !== first.accessToken, 45_000);
    assert.ok(mock.counters.refreshGrants >= 1);
    assert.ok(mock.requests.filter((r) => r.grantType === 'refresh_token').every((r) => r.host === 'geo'), 'refreshes go to the geolocation');
    remember(api.sessions.activeSession);
    const session = await vscode.authentication.getSession('concur', [], { silent: true });
    assertSameSecret(session?.accessToken, api.sessions.activeSession?.accessToken);
  });

  it('refreshes on demand with concur.refreshToken', async () => {
    const before = api.sessions.activeSession?.accessToken;
    mock.resetLog();
    await vscode.commands.executeCommand('concur.refreshToken');
    await clearNotifications();
    assert.equal(mock.counters.refreshGrants, 1);
    assertDifferentSecret(api.sessions.activeSession?.accessToken, before);
    remember(api.sessions.activeSession);
  });

  it('signs out: the session and its client secret leave SecretStorage and the provider', async () => {
    const id = api.sessions.activeSession?.id;
    assert.ok(id);
    const removed = new Promise<void>((resolve) => {
      const sub = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'concur') {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('concur.signOut', id);
    await clearNotifications();
    await removed;
    assert.equal(await api.secrets.get(INDEX_KEY), undefined);
    assert.equal(await api.secrets.get(`concur-api-explorer.session.${id}`), undefined);
    assert.equal(await api.secrets.get(`concur-api-explorer.clientSecret.${mock.demo.clientId}@${mock.url}`), undefined);
    assert.equal(await vscode.authentication.getSession('concur', [], { silent: true }), undefined);
  });

  it('leaves no token, password or client secret in the log, settings or globalState', async () => {
    const logDir = api.logUri.fsPath;
    const logFiles = fs.existsSync(logDir) ? fs.readdirSync(logDir).map((f) => path.join(logDir, f)) : [];
    // LogOutputChannels of an extension are written next to its logUri folder (by extension id).
    const parent = path.dirname(logDir);
    for (const f of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
      const full = path.join(parent, f);
      if (fs.statSync(full).isFile() && /Concur API Explorer/.test(f)) logFiles.push(full);
    }
    const logText = logFiles.filter((f) => fs.statSync(f).isFile()).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    assert.match(logText, /Signed in .* token issued by/, `the log was not found or is empty (looked in ${logDir} and ${parent})`);
    assert.match(logText, /POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/v0\/token → 200/);
    const settings = JSON.stringify(vscode.workspace.getConfiguration());
    const state = JSON.stringify(api.globalState.keys().map((k) => [k, api.globalState.get(k)]));
    assert.ok(seenSecrets.size >= 6, `only ${seenSecrets.size} secrets were collected`);
    for (const secret of seenSecrets) {
      const where = [logText.includes(secret) && 'log', settings.includes(secret) && 'settings', state.includes(secret) && 'globalState'].filter(Boolean);
      assert.deepEqual(where, [], `a secret (${secret.length} characters) appears in ${where.join(', ')}`);
    }
  });
});
