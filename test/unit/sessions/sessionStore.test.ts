/**
 * Session storage: one entry per session with an index, the move from the single-entry layout,
 * one bad session costing only itself, an unknown storage version left alone, and two windows
 * that cannot lose a rotated refresh token however their writes interleave.
 */
import * as assert from 'node:assert/strict';
import { TokenClient } from '../../../src/auth/tokenClient';
import { HttpClient } from '../../../src/platform/http';
import { SessionManager, type SignInRequest } from '../../../src/sessions/sessionManager';
import { clientSecretKey, INDEX_KEY, LEGACY_SESSIONS_KEY, sessionKey, StorageLockedError } from '../../../src/sessions/sessionStore';
import type { Session } from '../../../src/sessions/types';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { MemoryLog, MemorySecrets, MemoryState, settle } from '../../support/fakes';

const HOUR = 3_600_000;

function legacySession(id: string, overrides: Partial<Record<keyof Session, unknown>> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    id, state: 'active', label: `user-${id}`, accountId: `acct-${id}`, baseUrl: 'http://127.0.0.1:5050', geolocation: 'http://127.0.0.1:5051',
    grant: 'password', clientId: '11111111-2222-4333-8444-555555555555', scopes: ['user.read'], accessToken: `access-${id}-xxxxxxxx`,
    expiresAt: now + HOUR, obtainedAt: now, refreshToken: `refresh-${id}-xxxxxxxx`, signedInAt: now, ...overrides,
  };
}


/**
 * Runs `work` with every storage operation of the given windows held at a gate, released one at a
 * time in an order drawn from `seed`. A gate is held until another window is waiting too (or nothing
 * has moved for a while), so that the windows really do overtake each other — including while one
 * of them is waiting for Concur.
 */
async function interleaved(windows: MemorySecrets[], seed: number, work: () => Promise<unknown>): Promise<void> {
  let state = seed;
  const random = (n: number): number => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  const pending: (() => void)[] = [];
  for (const w of windows) {
    w.interleave = async (_op, _key, phase) => {
      if (phase === 'before') await new Promise<void>((resolve) => pending.push(resolve));
    };
  }
  let finished = false;
  void Promise.allSettled([work()]).then(() => (finished = true));
  let quiet = 0;
  let seen = 0;
  while (!(finished && pending.length === 0 && quiet > 10)) {
    await new Promise((r) => setTimeout(r, 1));
    quiet = pending.length === seen ? quiet + 1 : 0;
    seen = pending.length;
    if (pending.length >= 2 || (pending.length === 1 && quiet > 8)) {
      pending.splice(random(pending.length), 1)[0]();
      seen = pending.length;
      quiet = 0;
    }
  }
  for (const w of windows) w.interleave = undefined;
}

describe('session storage', function () {
  let mock: MockConcur;
  let http: HttpClient;
  const managers: SessionManager[] = [];

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 20 });
    http = new HttpClient({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
  });
  after(async () => {
    for (const m of managers) m.dispose();
    await http.close();
    await mock.close();
  });

  function manager(secrets: MemorySecrets, log = new MemoryLog()): SessionManager {
    const tokenClient = new TokenClient(http);
    const m = new SessionManager({ secrets, globalState: new MemoryState(), tokenClient: async () => tokenClient, log, random: () => 0 });
    managers.push(m);
    return m;
  }

  const signInRequest = (): SignInRequest => ({
    baseUrl: mock.url,
    clientId: mock.demo.clientId,
    clientSecret: mock.demo.clientSecret,
    grant: { kind: 'password', username: mock.demo.username, password: mock.demo.password },
  });

  it('moves the single-entry layout to one entry per session, with the client secret kept for its host', async () => {
    const secrets = new MemorySecrets();
    secrets.data.set(LEGACY_SESSIONS_KEY, JSON.stringify({ version: 1, activeId: 'b', sessions: [legacySession('a'), legacySession('b')] }));
    secrets.data.set('concur-api-explorer.clientSecret.11111111-2222-4333-8444-555555555555', 'the-client-secret');
    const m = manager(secrets);
    await m.initialize();
    assert.deepEqual(m.sessions.map((s) => s.id), ['a', 'b']);
    assert.equal(m.activeSession?.id, 'b');
    assert.deepEqual(
      [...secrets.data.keys()].sort(),
      [INDEX_KEY, sessionKey('a'), sessionKey('b'), clientSecretKey('11111111-2222-4333-8444-555555555555', 'http://127.0.0.1:5050')].sort(),
    );
    assert.equal(await m.storedClientSecret('11111111-2222-4333-8444-555555555555', 'http://127.0.0.1:5050'), 'the-client-secret');
    assert.equal(await m.storedClientSecret('11111111-2222-4333-8444-555555555555', 'https://us2.api.concursolutions.com'), undefined, 'not offered for another host');
  });

  it('drops only the session that cannot be read: an infinite expiry stored as null costs that session alone', async () => {
    const secrets = new MemorySecrets();
    secrets.data.set(LEGACY_SESSIONS_KEY, JSON.stringify({ version: 1, sessions: [legacySession('good'), legacySession('bad', { expiresAt: null }), legacySession('good2')] }));
    const log = new MemoryLog();
    const m = manager(secrets, log);
    const problems: string[] = [];
    m.onDidReportStorageProblem((p) => problems.push(p.message));
    await m.initialize();
    assert.deepEqual(m.sessions.map((s) => s.id), ['good', 'good2']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /user-bad.*expiresAt is not a time/);

    // The same in the new layout: a bad entry is removed, the others stay.
    secrets.data.set(sessionKey('good2'), '{"version":2,"gen":1,"session":{"id":"good2"');
    const again = manager(secrets);
    await again.initialize();
    assert.deepEqual(again.sessions.map((s) => s.id), ['good']);
    assert.ok(!secrets.data.has(sessionKey('good2')));
    assert.deepEqual(JSON.parse(secrets.data.get(INDEX_KEY) ?? '{}').ids, ['good']);
  });

  it('drops a stored session whose geolocation no longer passes the trust rules', async () => {
    const secrets = new MemorySecrets();
    secrets.data.set(
      LEGACY_SESSIONS_KEY,
      JSON.stringify({ version: 1, sessions: [legacySession('ok'), legacySession('evil', { baseUrl: 'https://us2.api.concursolutions.com', geolocation: 'https://evil.example.com' })] }),
    );
    const m = manager(secrets);
    await m.initialize();
    assert.deepEqual(m.sessions.map((s) => s.id), ['ok']);
  });

  for (const [what, key, value] of [
    ['an index of a newer version', INDEX_KEY, JSON.stringify({ version: 3, ids: ['x'], somethingNew: true })],
    ['a single entry of an unknown version', LEGACY_SESSIONS_KEY, JSON.stringify({ version: 7, sessions: [] })],
  ] as const) {
    it(`leaves ${what} untouched, says so, and writes nothing`, async () => {
      const secrets = new MemorySecrets();
      secrets.data.set(key, value);
      secrets.data.set(sessionKey('x'), 'whatever a newer version wrote');
      const before = JSON.stringify([...secrets.data]);
      const m = manager(secrets);
      const problems: string[] = [];
      m.onDidReportStorageProblem((p) => problems.push(p.kind));
      await m.initialize();
      assert.deepEqual(m.sessions, []);
      assert.deepEqual(problems, ['unknownVersion']);
      await assert.rejects(m.signIn(signInRequest()), (e: Error) => e instanceof StorageLockedError && /newer version/.test(e.message));
      assert.equal(JSON.stringify([...secrets.data]), before, 'storage changed');
    });
  }

  it('tries reading storage again after a failed first read, instead of failing every later call', async () => {
    const secrets = new MemorySecrets();
    let fail = true;
    secrets.interleave = async (op) => {
      if (fail && op === 'get') throw new Error('secret storage is not available yet');
    };
    const m = manager(secrets);
    await assert.rejects(m.initialize(), /not available/);
    fail = false;
    await m.initialize();
    const session = await m.signIn(signInRequest());
    assert.equal(m.activeSession?.id, session.id);
  });

  it('two windows refreshing two sessions at once keep both rotations', async () => {
    const data = new Map<string, string>();
    const windowA = manager(new MemorySecrets(data));
    const user = await windowA.signIn(signInRequest());
    const company = await windowA.signIn({ ...signInRequest(), grant: { kind: 'companyRequestToken', companyId: mock.demo.companyId, requestToken: mock.demo.companyRequestToken } });
    const slowB = new MemorySecrets(data);
    slowB.writeDelayMs = 20;
    const windowB = manager(slowB);
    await windowB.initialize();
    await Promise.all([windowA.refresh(user.id), windowB.refresh(company.id)]);
    await settle(20);
    // Each stored refresh token is the live one: a third window refreshes both without a 108.
    const windowC = manager(new MemorySecrets(data));
    await windowC.initialize();
    assert.equal((await windowC.refresh(user.id)).state, 'active');
    assert.equal((await windowC.refresh(company.id)).state, 'active');
  });

  it('puts back a rotation that a stale write overwrote long after it was stored', async () => {
    const data = new Map<string, string>();
    const windowA = manager(new MemorySecrets(data));
    const session = await windowA.signIn(signInRequest());
    const before = data.get(sessionKey(session.id)) as string;
    await windowA.refresh(session.id);
    await settle(20);
    // Another window, which read the entry before the refresh, now writes what it decided then: signed out.
    const stale = JSON.parse(before) as { session: Record<string, unknown> };
    stale.session = { ...stale.session, state: 'signedOut', accessToken: '', refreshToken: undefined, signedOutReason: 'stale' };
    await new MemorySecrets(data).store(sessionKey(session.id), JSON.stringify(stale));
    for (let i = 0; i < 5; i++) await settle(20);
    const windowC = manager(new MemorySecrets(data));
    await windowC.initialize();
    assert.equal(windowC.getSession(session.id)?.state, 'active', 'the rotation was not put back');
    assert.equal((await windowC.refresh(session.id)).state, 'active');
  });

  describe('two windows refreshing one session, the other window landing at every interleaving point', function () {
    this.timeout(60_000);

    /** Two windows over one storage; `settled()` lets every change event and repair run out, then reads storage afresh as a third window. */
    async function twoWindows(): Promise<{ secretsA: MemorySecrets; secretsB: MemorySecrets; windowA: SessionManager; windowB: SessionManager; settled(): Promise<SessionManager>; dispose(): void }> {
      const data = new Map<string, string>();
      const secretsA = new MemorySecrets(data);
      const secretsB = new MemorySecrets(data);
      const windowA = manager(secretsA);
      const windowB = manager(secretsB);
      await windowA.initialize();
      await windowB.initialize();
      const windows = [windowA, windowB];
      return {
        secretsA,
        secretsB,
        windowA,
        windowB,
        async settled() {
          for (let i = 0; i < 5; i++) {
            await settle(20);
            await windowA.initialize();
          }
          const windowC = manager(new MemorySecrets(data));
          windows.push(windowC);
          await windowC.initialize();
          return windowC;
        },
        dispose: () => windows.forEach((m) => m.dispose()),
      };
    }

    /**
     * Window B refreshes; at its k-th storage operation (before or after it touches the data),
     * window A runs a whole refresh of the same session. Whatever k, the session survives with a
     * refresh token Concur still accepts.
     */
    async function round(k: number, phase: 'before' | 'after'): Promise<{ landed: boolean }> {
      const { secretsB, windowA, windowB, settled, dispose } = await twoWindows();
      const session = await windowA.signIn(signInRequest());
      await settle(10);
      let ops = 0;
      let landed = false;
      secretsB.interleave = async (_op, _key, at) => {
        if (at !== phase) return;
        if (ops++ !== k || landed) return;
        landed = true;
        await windowA.refresh(session.id).catch(() => undefined);
      };
      await windowB.refresh(session.id).catch(() => undefined);
      secretsB.interleave = undefined;
      const windowC = await settled();
      const stored = windowC.getSession(session.id);
      assert.equal(stored?.state, 'active', `k=${k} ${phase}: the session was lost (${stored?.signedOutReason ?? 'gone'})`);
      const refreshed = await windowC.refresh(session.id);
      assert.equal(refreshed.state, 'active', `k=${k} ${phase}: the stored refresh token is dead`);
      dispose();
      return { landed };
    }

    /**
     * Both windows refresh at once, every storage operation of either held at a gate that a random
     * schedule releases: A's Concur call can come before B's while A's write lands after B's read,
     * the order that lets a stale write overtake a rotation.
     */
    async function randomRound(seed: number): Promise<void> {
      const { secretsA, secretsB, windowA, windowB, settled, dispose } = await twoWindows();
      const session = await windowA.signIn(signInRequest());
      await settle(10);
      await interleaved([secretsA, secretsB], seed, () => Promise.allSettled([windowA.refresh(session.id), windowB.refresh(session.id)]));
      const windowC = await settled();
      assert.equal(windowC.getSession(session.id)?.state, 'active', `seed ${seed}: the session was lost`);
      assert.equal((await windowC.refresh(session.id)).state, 'active', `seed ${seed}: the stored refresh token is dead`);
      dispose();
    }

    it('loses neither sign-in when two windows sign in different accounts at once, the other landing at every storage operation', async () => {
      const company = { ...signInRequest(), grant: { kind: 'companyRequestToken' as const, companyId: mock.demo.companyId, requestToken: mock.demo.companyRequestToken } };
      for (const phase of ['before', 'after'] as const) {
        let k = 0;
        for (let landed = true; landed; k++) {
          const { secretsB, windowA, windowB, settled, dispose } = await twoWindows();
          let ops = 0;
          landed = false;
          secretsB.interleave = async (_op, _key, at) => {
            if (at !== phase || ops++ !== k || landed) return;
            landed = true;
            await windowA.signIn(signInRequest());
          };
          await windowB.signIn(company);
          secretsB.interleave = undefined;
          const windowC = await settled();
          assert.equal(windowC.sessions.length, landed ? 2 : 1, `k=${k} ${phase}: ${windowC.sessions.length} sessions listed`);
          dispose();
        }
        assert.ok(k > 5, `only ${k} interleaving points were tried`);
      }
    });

    it('loses no session under 60 random interleavings of both windows\' storage operations', async () => {
      for (let seed = 1; seed <= 60; seed++) await randomRound(seed);
    });

    for (const phase of ['before', 'after'] as const) {
      it(`loses no session when the other window's refresh lands ${phase} any storage operation (run three times)`, async () => {
        for (let run = 0; run < 3; run++) {
          let k = 0;
          for (;;) {
            const { landed } = await round(k, phase);
            if (!landed) break;
            k++;
          }
          assert.ok(k >= 5, `only ${k} interleaving points were tried`);
        }
      });
    }
  });
});
