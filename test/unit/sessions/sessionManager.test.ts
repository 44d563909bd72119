import * as assert from 'node:assert/strict';
import { assertAbsent, assertDifferentSecret, assertSameSecret } from '../../support/secretAsserts';
import { TokenClient } from '../../../src/auth/tokenClient';
import { type ConcurError, NetworkError } from '../../../src/platform/errors';
import { HttpClient } from '../../../src/platform/http';
import { Redactor } from '../../../src/platform/redact';
import { SessionManager, SIGN_IN_DEFAULTS_KEY, SignedOutError, type SessionEnded, type SignInRequest, type RefreshFailed } from '../../../src/sessions/sessionManager';
import { clientSecretKey, INDEX_KEY, LEGACY_SESSIONS_KEY, sessionKey } from '../../../src/sessions/sessionStore';
import type { SessionsChange } from '../../../src/sessions/types';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { FakeClock, MemoryLog, MemorySecrets, MemoryState, settle, until } from '../../support/fakes';

describe('sessions', function () {
  let mock: MockConcur;
  let clock: FakeClock;
  let http: HttpClient;
  let secrets: MemorySecrets;
  let state: MemoryState;
  let redactor: Redactor;
  let log: MemoryLog;
  let managers: SessionManager[];

  const LIFETIME_S = 600;

  before(async () => {
    clock = new FakeClock();
    mock = await startMockConcur({ quiet: true, companyUsers: 50, accessTokenLifetime: LIFETIME_S, now: () => clock.now() });
  });
  after(() => mock.close());

  beforeEach(() => {
    clock.time = Date.UTC(2026, 10, 27, 9, 0, 0);
    mock.clearFaults();
    mock.resetLog();
    http = new HttpClient({ headersTimeoutMs: 500, bodyTimeoutMs: 500 });
    secrets = new MemorySecrets();
    state = new MemoryState();
    redactor = new Redactor();
    log = new MemoryLog((t) => redactor.redact(t));
    managers = [];
  });

  afterEach(async () => {
    for (const m of managers) m.dispose();
    await http.close();
  });

  function manager(options: { secrets?: MemorySecrets; fraction?: number } = {}): SessionManager {
    const tokenClient = new TokenClient(http, () => clock.now());
    const m = new SessionManager({
      secrets: options.secrets ?? secrets,
      globalState: state,
      tokenClient: async () => tokenClient,
      log,
      redactor,
      clock,
      settings: () => ({ lifetimeFraction: options.fraction ?? 0.75, failuresBeforeNotice: 3 }),
      random: () => 0,
    });
    managers.push(m);
    return m;
  }

  const passwordSignIn = (overrides: Partial<{ password: string; baseUrl: string }> = {}): SignInRequest => ({
    baseUrl: overrides.baseUrl ?? mock.url,
    clientId: mock.demo.clientId,
    clientSecret: mock.demo.clientSecret,
    grant: { kind: 'password', username: mock.demo.username, password: overrides.password ?? mock.demo.password },
  });

  function stored(): { activeId?: string; sessions: { id: string; state: string; refreshToken?: string; accessToken: string; geolocation: string }[] } {
    const index = JSON.parse(secrets.data.get(INDEX_KEY) ?? '{"ids":[]}') as { activeId?: string; ids: string[] };
    return { activeId: index.activeId, sessions: index.ids.map((id) => JSON.parse(secrets.data.get(sessionKey(id)) ?? '{}').session) };
  }

  it('signs in, keeps the session in its own SecretStorage entry (with an index) and the client secret under its client id and host', async () => {
    const m = manager();
    const session = await m.signIn(passwordSignIn());
    assert.equal(session.label, mock.demo.username);
    assert.equal(session.accountId, mock.demo.userId);
    assert.equal(session.geolocation, mock.geoUrl, 'the API base is the token\'s geolocation, not the landing host');
    assert.equal(m.activeSession?.id, session.id);
    assert.deepEqual([...secrets.data.keys()].sort(), [clientSecretKey(mock.demo.clientId, mock.url), INDEX_KEY, sessionKey(session.id)].sort());
    assert.equal(secrets.data.get(clientSecretKey(mock.demo.clientId, mock.url)), mock.demo.clientSecret);
    assertSameSecret(stored().sessions[0].refreshToken, session.refreshToken);
    // Only non-secret choices go to globalState.
    assert.deepEqual(state.get(SIGN_IN_DEFAULTS_KEY), { baseUrl: mock.url, grant: 'password', clientId: mock.demo.clientId, username: mock.demo.username, companyId: undefined });
  });

  it('keeps the previous session when a sign-in fails (wrong password)', async () => {
    const m = manager();
    const first = await m.signIn(passwordSignIn());
    const before = JSON.stringify([...secrets.data]);
    await assert.rejects(m.signIn(passwordSignIn({ password: 'wrong-password' })), (e: ConcurError) => e.code === 5);
    assert.equal(JSON.stringify([...secrets.data]), before);
    assert.equal(m.activeSession?.id, first.id);
    assert.equal(m.activeSession?.state, 'active');
  });

  it('holds several sessions with one active; switching and signing out are per session', async () => {
    const m = manager();
    const user = await m.signIn(passwordSignIn());
    const company = await m.signIn({
      baseUrl: mock.url, clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret,
      grant: { kind: 'companyRequestToken', companyId: mock.demo.companyId, requestToken: mock.demo.companyRequestToken },
    });
    assert.equal(m.sessions.length, 2);
    assert.equal(m.activeSession?.id, company.id);
    await m.setActive(user.id);
    assert.equal(m.activeSession?.id, user.id);
    await m.signOut(user.id);
    assert.deepEqual(m.sessions.map((s) => s.id), [company.id]);
    assert.equal(m.activeSession?.id, company.id);
    assert.ok(secrets.data.has(clientSecretKey(mock.demo.clientId, mock.url)), 'the client secret stays while a session uses it');
    await m.signOut(company.id);
    assert.equal(secrets.data.size, 0, 'nothing secret is left after the last sign-out');
  });

  it('signing in again as the same account replaces its session instead of adding one', async () => {
    const m = manager();
    const first = await m.signIn(passwordSignIn());
    const second = await m.signIn(passwordSignIn());
    assert.equal(m.sessions.length, 1);
    assert.equal(second.id, first.id);
    assertDifferentSecret(second.accessToken, first.accessToken);
  });

  it('refreshes once for 50 concurrent callers (single flight), and everyone gets the new token', async () => {
    const m = manager();
    const session = await m.signIn(passwordSignIn());
    clock.time = session.expiresAt - 30_000; // inside the one-minute margin
    mock.resetLog();
    const results = await Promise.all(Array.from({ length: 50 }, () => m.getAccessToken()));
    assert.equal(mock.counters.refreshGrants, 1);
    assert.equal(mock.counters.tokenRequests, 1);
    assert.equal(new Set(results.map((r) => r.accessToken)).size, 1);
    assertDifferentSecret(results[0].accessToken, session.accessToken);
  });

  it('persists the rotated refresh token and the geolocation before handing out the new access token', async () => {
    const m = manager();
    const session = await m.signIn(passwordSignIn());
    secrets.writeDelayMs = 30;
    let persistedWhenResolved: { refreshToken?: string; accessToken: string; geolocation: string } | undefined;
    const refreshed = await m.refresh(session.id).then((s) => {
      persistedWhenResolved = stored().sessions[0];
      return s;
    });
    assertDifferentSecret(refreshed.refreshToken, session.refreshToken);
    assertSameSecret(persistedWhenResolved?.refreshToken, refreshed.refreshToken);
    assertSameSecret(persistedWhenResolved?.accessToken, refreshed.accessToken);
    assert.equal(persistedWhenResolved?.geolocation, mock.geoUrl);
    // The stored one works for the next refresh (the old one would give 108).
    await m.refresh(session.id);
    assert.equal(mock.counters.refreshGrants, 2);
  });

  it('refreshes on its own at the configured fraction of the token lifetime', async () => {
    const m = manager({ fraction: 0.5 });
    const session = await m.signIn(passwordSignIn());
    mock.resetLog();
    await clock.advance((LIFETIME_S * 1000) / 2 - 1000);
    assert.equal(mock.counters.refreshGrants, 0, 'not before half the lifetime');
    await clock.advance(2000);
    await until('the scheduled refresh', () => m.getSession(session.id)?.accessToken !== session.accessToken);
    assert.equal(mock.counters.refreshGrants, 1);
    assert.ok((m.getSession(session.id)?.lastRefreshAt ?? 0) > session.signedInAt);
  });

  it('ends the session on 108, keeps it listed as signed out without tokens, and says so', async () => {
    const m = manager();
    const session = await m.signIn(passwordSignIn());
    const ended: SessionEnded[] = [];
    m.onDidEndSession((e) => ended.push(e));
    mock.revokeRefreshTokens();
    await assert.rejects(m.refresh(session.id), (e: ConcurError) => e.code === 108);
    const after = m.getSession(session.id);
    assert.equal(after?.state, 'signedOut');
    assertAbsent(after?.accessToken);
    assertAbsent(after?.refreshToken);
    assert.equal(stored().sessions[0].state, 'signedOut');
    assert.equal(ended.length, 1);
    assert.match(ended[0].reason, /Sign in again/);
    await assert.rejects(m.getAccessToken(session.id), SignedOutError);
  });

  it('keeps the session on 5xx and timeouts, retries with backoff, and tells the user only when it keeps failing', async () => {
    const m = manager({ fraction: 0.5 });
    const session = await m.signIn(passwordSignIn());
    const failures: RefreshFailed[] = [];
    m.onDidFailRefresh((e) => failures.push(e));
    mock.addFault({ route: '/oauth2/v0/token', kind: 'status500', times: 2 });
    // Then a timeout: Concur stops answering (the client gives up after 500 ms here).
    mock.addFault({ route: '/oauth2/v0/token', kind: 'hang', times: 1 });
    mock.resetLog();
    await clock.advance((LIFETIME_S * 1000) / 2);
    await until('the first failure', () => mock.counters.tokenRequests === 1);
    await settle(20);
    assert.equal(m.getSession(session.id)?.state, 'active');
    assertSameSecret(m.getSession(session.id)?.accessToken, session.accessToken, 'the valid token is kept');
    assert.deepEqual(clock.pending()[0], 30_000, 'first retry after 30 s');
    await clock.advance(30_000);
    await until('the second failure', () => mock.counters.tokenRequests === 2);
    await settle(20);
    assert.equal(failures.length, 0, 'not told after two failures');
    assert.deepEqual(clock.pending()[0], 60_000, 'then after 60 s');
    await clock.advance(60_000);
    await until('the third failure', () => mock.counters.tokenRequests === 3);
    await until('the notice', () => failures.length === 1);
    assert.ok(failures[0].error instanceof NetworkError && failures[0].error.failure === 'timeout');
    assert.equal(failures[0].attempts, 3);
    await clock.advance(120_000);
    await until('the refresh to succeed', () => m.getSession(session.id)?.accessToken !== session.accessToken);
    assert.equal(m.getSession(session.id)?.state, 'active');
  });

  it('returns the current token when a refresh fails for a passing reason while it is still valid', async () => {
    const m = manager();
    const session = await m.signIn(passwordSignIn());
    clock.time = session.expiresAt - 30_000;
    mock.addFault({ route: '/oauth2/v0/token', kind: 'html503' });
    const { accessToken } = await m.getAccessToken();
    assertSameSecret(accessToken, session.accessToken);
    clock.time = session.expiresAt + 1;
    await assert.rejects(m.getAccessToken(), (e: ConcurError) => e.status === 503);
    assert.equal(m.getSession(session.id)?.state, 'active');
  });

  it('re-obtains app tokens (no refresh token) with client credentials', async () => {
    const m = manager();
    const session = await m.signIn({ baseUrl: mock.geoUrl, clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret, grant: { kind: 'clientCredentials' } });
    assertAbsent(session.refreshToken);
    mock.resetLog();
    const refreshed = await m.refresh(session.id);
    assertDifferentSecret(refreshed.accessToken, session.accessToken);
    assert.deepEqual(mock.requests.map((r) => r.grantType), ['client_credentials']);
  });

  it('drops a corrupt stored entry with a message instead of crashing', async () => {
    secrets.data.set(LEGACY_SESSIONS_KEY, '{"version":1,"sessions":[{"id":5}]');
    const m = manager();
    let dropped = 0;
    m.onDidReportStorageProblem(() => dropped++);
    await m.initialize();
    assert.deepEqual(m.sessions, []);
    assert.equal(dropped, 1);
    assert.ok(!secrets.data.has(LEGACY_SESSIONS_KEY));
    assert.ok(log.lines.some((l) => /could not be read/.test(l)));
  });

  it('keeps two windows in step through SecretStorage change events', async () => {
    const windowA = manager();
    const windowB = manager({ secrets: new MemorySecrets(secrets.data) });
    await windowB.initialize();
    const changes: SessionsChange[] = [];
    windowB.onDidChangeSessions((c) => changes.push(c));
    const session = await windowA.signIn(passwordSignIn());
    await until('window B to see the sign-in', () => windowB.sessions.length === 1);
    assert.equal(changes[0].added[0].id, session.id);
    const refreshed = await windowA.refresh(session.id);
    await until('window B to see the refresh', () => windowB.getSession(session.id)?.accessToken === refreshed.accessToken);
    // Window B refreshing now uses the rotated refresh token window A stored: no 108.
    const again = await windowB.refresh(session.id);
    assert.equal(again.state, 'active');
    await windowA.signOut(session.id);
    await until('window B to see the sign-out', () => windowB.sessions.length === 0);
  });

  it('adopts the token another window just rotated instead of ending the session on 108', async () => {
    const windowA = manager();
    const windowB = manager({ secrets: new MemorySecrets(secrets.data) });
    const session = await windowA.signIn(passwordSignIn());
    await windowB.initialize();
    await until('window B to load', () => windowB.sessions.length === 1);
    // Window A refreshes but window B does not hear of it before its own attempt.
    const staleB = windowB.getSession(session.id);
    await windowA.refresh(session.id);
    assertDifferentSecret(staleB?.refreshToken, windowA.getSession(session.id)?.refreshToken);
    const result = await windowB.refresh(session.id);
    assert.equal(result.state, 'active');
    assert.equal(windowA.getSession(session.id)?.state, 'active');
  });

  it('writes no secret to the log or globalState', async () => {
    const m = manager();
    const session = await m.signIn(passwordSignIn());
    const refreshed = await m.refresh(session.id);
    await assert.rejects(m.signIn(passwordSignIn({ password: 'another-wrong-password' })));
    const everything = log.lines.join('\n') + JSON.stringify([...state.data]);
    for (const secret of [mock.demo.clientSecret, mock.demo.password, 'another-wrong-password', session.accessToken, session.refreshToken, session.idToken, refreshed.accessToken, refreshed.refreshToken]) {
      assert.ok(secret && !everything.includes(secret), `a secret reached the log or globalState`);
    }
    assert.ok(log.lines.some((l) => /Signed in/.test(l)) && log.lines.some((l) => /Refreshed/.test(l)));
  });
});

describe('sessions: registered tokens over time', () => {
  it('after a week of hourly refreshes the redactor holds the live secrets only, and still hides them', async function () {
    this.timeout(120_000);
    const clock = new FakeClock();
    // Concur's access tokens live an hour; the session refreshes them on its own schedule.
    const mock = await startMockConcur({ quiet: true, accessTokenLifetime: 3600, now: () => clock.now() });
    const http = new HttpClient();
    const redactor = new Redactor({ now: () => clock.now() });
    const tokenClient = new TokenClient(http, () => clock.now());
    const m = new SessionManager({
      secrets: new MemorySecrets(),
      globalState: new MemoryState(),
      tokenClient: async () => tokenClient,
      log: new MemoryLog((t) => redactor.redact(t)),
      redactor,
      clock,
      settings: () => ({ lifetimeFraction: 0.75, failuresBeforeNotice: 3 }),
      random: () => 0,
    });
    try {
      const first = await m.signIn({ baseUrl: mock.url, clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret, grant: { kind: 'password', username: mock.demo.username, password: mock.demo.password } });
      for (let hour = 0; hour < 7 * 24; hour++) await clock.advance(3600_000);
      const session = m.getSession(first.id);
      assert.ok(session && session.state === 'active' && session.accessToken !== first.accessToken, 'the session was refreshed all week');
      assert.ok(mock.counters.refreshRotations >= 7 * 24, `${mock.counters.refreshRotations} refreshes`);
      // The client secret, the password, the refresh token, and the access and ID tokens still valid.
      assert.ok(redactor.size <= 8, `${redactor.size} values registered after a week (${mock.counters.refreshRotations} refreshes)`);
      const shown = redactor.redact(`${session.accessToken} ${session.refreshToken ?? ''} ${session.idToken ?? ''} ${mock.demo.clientSecret}`);
      assert.equal(shown, '«redacted» «redacted» «redacted» «redacted»');
    } finally {
      m.dispose();
      await http.close();
      await mock.close();
    }
  });
});

