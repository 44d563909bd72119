/**
 * The trust boundary, finding by finding: where a token may go, what a geolocation may be, which
 * numbers from Concur are believed, and what a page link may do. Each test was written to fail on
 * the extension as it was before the resolver existed.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fetchAllPages } from '../../../src/calls/pages';
import { ApiClient, type SessionToken, type TokenSource } from '../../../src/calls/apiClient';
import { describeBody, TokenClient, type Grant } from '../../../src/auth/tokenClient';
import { toCurl, CurlError } from '../../../src/calls/curl';
import { ConcurError, endsGrant, ResponseFormatError } from '../../../src/platform/errors';
import { explainResponse } from '../../../src/calls/explain';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../../src/platform/http';
import { Redactor } from '../../../src/platform/redact';
import { checkBaseUrl, isLoopbackHost, judgeGeolocation, RefusedTargetError, requireApiTarget, resolveApiTarget } from '../../../src/platform/resolver';
import { formatClaim, formatCountdown, isClaimTime, msUntilNextTick } from '../../../src/auth/claims';
import { SessionManager, type HostTrust } from '../../../src/sessions/sessionManager';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { FakeClock, MemoryLog, MemorySecrets, MemoryState } from '../../support/fakes';
import { scriptedServer, tokenAnswer, type ScriptedServer } from '../../support/scriptedServer';

const CLIENT = { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'client-secret-value-1' };
const PASSWORD: Grant = { kind: 'password', username: 'user@example.com', password: 'the-password-1' };

describe('trust: a path never names another host', function () {
  let mock: MockConcur;
  let other: ScriptedServer;
  let http: HttpClient;
  let client: ApiClient;
  let token: SessionToken;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 20 });
    other = await scriptedServer();
    http = new HttpClient();
  });
  after(async () => {
    await http.close();
    await other.close();
    await mock.close();
  });
  beforeEach(() => {
    token = { sessionId: 's', accessToken: mock.issueTokens({}).access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
    const source: TokenSource = { get: async () => token, refresh: async () => token };
    client = new ApiClient(http, source);
    other.requests.length = 0;
  });

  const spellings = (port: number): string[] => [
    `//127.0.0.1:${port}/steal`,
    `///127.0.0.1:${port}/steal`,
    `/\\127.0.0.1:${port}/steal`,
    `\\\\127.0.0.1:${port}/steal`,
    `/\t/127.0.0.1:${port}/steal`,
    `/\n/127.0.0.1:${port}/steal`,
    ` //127.0.0.1:${port}/steal`,
    `http:127.0.0.1:${port}/steal`,
    `http:/127.0.0.1:${port}/steal`,
    `HTTP://127.0.0.1:${port}/steal`,
    `http://127.0.0.1:${port}/steal`,
    `http://u:p@127.0.0.1:${port}/steal`,
    `${mock.geoUrl}@127.0.0.1:${port}/steal`,
    `http://[::1]:${port}/steal`,
    `http://localhost:${port}/steal`,
    `http://2130706433:${port}/steal`,
  ];

  it('refuses every spelling of another server, and that server gets nothing', async () => {
    for (const target of spellings(other.port)) {
      await assert.rejects(client.call({ method: 'GET', target }), RefusedTargetError, JSON.stringify(target));
    }
    assert.deepEqual(other.requests, [], 'the other server was reached');
  });

  it('says why, in words the Call API input shows while typing', () => {
    const said = resolveApiTarget(`//127.0.0.1:${other.port}/steal`, token);
    assert.ok(!said.ok);
    assert.match(said.message, new RegExp(`names another host \\(127\\.0\\.0\\.1:${other.port}\\).*Start the path with a single /`));
    assert.match((resolveApiTarget(`/\\127.0.0.1:${other.port}/x`, token) as { message: string }).message, /backslash/);
  });

  it('still sends paths and the session\'s own URLs', async () => {
    assert.equal((await client.call({ method: 'GET', target: '/profile/v1/me' })).status, 200);
    assert.equal((await client.call({ method: 'GET', target: `${mock.geoUrl}/profile/v1/me` })).target.origin, mock.geoUrl);
    assert.equal(requireApiTarget('/a/%2F%2Fevil.example/b', token).origin, mock.geoUrl, 'an encoded slash stays in the path');
    assert.equal(requireApiTarget('/@evil.example/x', token).origin, mock.geoUrl);
  });
});

describe('trust: loopback is this machine only', () => {
  it('counts 127.0.0.0/8, ::1 and localhost, and nothing that goes to DNS', () => {
    for (const host of ['localhost', '127.0.0.1', '127.255.0.9', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['app.localhost', 'localhost.', 'localhost.evil.com', '127.0.0.1.nip.io', '[::ffff:7f00:1]', '128.0.0.1', '10.0.0.1']) assert.ok(!isLoopbackHost(host), host);
    assert.ok(!checkBaseUrl('http://app.localhost:5050').ok);
    assert.ok(checkBaseUrl('http://127.1:5050').ok, 'URL writes 127.1 as 127.0.0.1');
  });
});

describe('trust: a geolocation Concur names', () => {
  const CONCUR = 'https://us2.api.concursolutions.com';

  it('a session at a Concur host takes only Concur hosts over https', () => {
    assert.deepEqual(judgeGeolocation(CONCUR, 'https://eu2.api.concursolutions.com/oauth2/v0/token'), { kind: 'accept', origin: 'https://eu2.api.concursolutions.com' });
    assert.equal(judgeGeolocation(CONCUR, 'https://www-us2.api.concursolutions.com').kind, 'accept');
    assert.equal(judgeGeolocation(CONCUR, 'https://cn.api.concurcdc.cn').kind, 'accept');
    for (const bad of ['https://evil.example.com', 'http://eu2.api.concursolutions.com', 'https://eu2.api.concursolutions.com:8443', 'https://api.concursolutions.com.evil.com', 'https://x.y.api.concursolutions.com', 'http://127.0.0.1:5051', 'https://u:p@eu2.api.concursolutions.com']) {
      assert.equal(judgeGeolocation(CONCUR, bad).kind, 'refuse', bad);
    }
  });

  it('a session at a custom base takes its own origin, another loopback host when both are loopback, and asks for anything else', () => {
    assert.equal(judgeGeolocation('http://127.0.0.1:5050', 'http://127.0.0.1:5051').kind, 'accept');
    assert.equal(judgeGeolocation('https://proxy.corp.example', 'https://proxy.corp.example/x').kind, 'accept');
    assert.deepEqual(judgeGeolocation('https://proxy.corp.example', 'https://other.corp.example'), { kind: 'confirm', origin: 'https://other.corp.example' });
    assert.equal(judgeGeolocation('http://127.0.0.1:5050', CONCUR).kind, 'confirm');
    assert.equal(judgeGeolocation('http://127.0.0.1:5050', 'http://evil.example.com').kind, 'refuse');
  });

  /** A token client over a recording HTTP stub: Concur's hosts cannot be reached from a test. */
  function recordingTokenClient(answers: (req: HttpRequest) => { status: number; body: object }): { client: TokenClient; sent: string[] } {
    const sent: string[] = [];
    const http = {
      request: async (req: HttpRequest): Promise<HttpResponse> => {
        sent.push(req.url.href);
        const { status, body } = answers(req);
        const text = JSON.stringify(body);
        return { method: req.method, url: req.url.href, status, headers: {}, body: Buffer.from(text), bytes: text.length, truncated: false, durationMs: 1, correlationId: 'c', contentType: 'application/json' };
      },
    } as unknown as HttpClient;
    return { client: new TokenClient(http), sent };
  }

  function manager(tokenClient: TokenClient, hostTrust?: HostTrust): { m: SessionManager; secrets: MemorySecrets } {
    const secrets = new MemorySecrets();
    const m = new SessionManager({ secrets, globalState: new MemoryState(), tokenClient: async () => tokenClient, log: new MemoryLog(), clock: new FakeClock(Date.now()), random: () => 0, hostTrust });
    return { m, secrets };
  }

  it('code 16 naming a host that is not Concur\'s: the client secret and password are not sent there', async () => {
    const { client, sent } = recordingTokenClient(() => ({ status: 400, body: { error: 'invalid_request', code: 16, geolocation: 'https://evil.example.com' } }));
    const { m, secrets } = manager(client);
    await assert.rejects(m.signIn({ baseUrl: CONCUR, ...CLIENT, grant: PASSWORD }), (e: Error) => e instanceof RefusedTargetError && /evil\.example\.com .*not a Concur host/.test(e.message));
    assert.deepEqual(sent, [`${CONCUR}/oauth2/v0/token`]);
    assert.equal(secrets.data.size, 0);
  });

  it('code 16 naming another Concur datacenter is followed there', async () => {
    const { client, sent } = recordingTokenClient((req) =>
      req.url.origin === CONCUR ? { status: 400, body: { code: 16, geolocation: 'https://eu2.api.concursolutions.com' } } : (tokenAnswer({ geolocation: 'https://eu2.api.concursolutions.com' }) as { status: number; body: object }),
    );
    const { m } = manager(client);
    const session = await m.signIn({ baseUrl: CONCUR, ...CLIENT, grant: PASSWORD });
    assert.deepEqual(sent, [`${CONCUR}/oauth2/v0/token`, 'https://eu2.api.concursolutions.com/oauth2/v0/token']);
    assert.equal(session.geolocation, 'https://eu2.api.concursolutions.com');
  });

  it('a token answer naming a host that is not Concur\'s: sign-in fails and nothing is stored', async () => {
    const { client } = recordingTokenClient(() => tokenAnswer({ geolocation: 'https://attacker.example' }) as { status: number; body: object });
    const { m, secrets } = manager(client);
    await assert.rejects(m.signIn({ baseUrl: CONCUR, ...CLIENT, grant: PASSWORD }), RefusedTargetError);
    assert.equal(secrets.data.size, 0);
    assert.equal(m.sessions.length, 0);
  });

  it('a custom base naming another host: asks the user first, and takes it only on yes', async () => {
    const server = await scriptedServer(() => tokenAnswer({ geolocation: 'https://api.sandbox.example' }));
    try {
      const asked: string[] = [];
      let answer = false;
      const trust: HostTrust = { isConfirmed: () => false, confirm: async (origin) => (asked.push(origin), answer) };
      const http = new HttpClient();
      const { m, secrets } = manager(new TokenClient(http), trust);
      await assert.rejects(m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD }), /not confirmed/);
      assert.equal(secrets.data.size, 0);
      answer = true;
      const session = await m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD });
      assert.equal(session.geolocation, 'https://api.sandbox.example');
      assert.deepEqual(asked, ['https://api.sandbox.example', 'https://api.sandbox.example']);
      await http.close();
    } finally {
      await server.close();
    }
  });

  it('a refresh answer naming an untrusted host keeps the new tokens and the old geolocation', async () => {
    let refreshGeo = 'http://127.0.0.1:1';
    const server = await scriptedServer((req) => tokenAnswer(new URLSearchParams(req.body).get('grant_type') === 'refresh_token' ? { geolocation: refreshGeo } : {}));
    const http = new HttpClient();
    try {
      const { m } = manager(new TokenClient(http));
      const session = await m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD });
      refreshGeo = 'https://evil.example.com';
      const refreshed = await m.refresh(session.id);
      assert.notEqual(refreshed.accessToken, undefined);
      assert.equal(refreshed.geolocation, server.url);
      assert.notEqual(refreshed.refreshToken, session.refreshToken, 'the rotated refresh token is kept');
    } finally {
      await http.close();
      await server.close();
    }
  });
});

describe('trust: numbers Concur sends', function () {
  let server: ScriptedServer;
  let next: Record<string, unknown>;
  let http: HttpClient;

  before(async () => {
    server = await scriptedServer(() => tokenAnswer(next));
    http = new HttpClient();
  });
  after(async () => {
    await http.close();
    await server.close();
  });

  const manager = (secrets = new MemorySecrets(), settings?: () => { lifetimeFraction: number; failuresBeforeNotice: number }, clock = new FakeClock(Date.now())): { m: SessionManager; log: MemoryLog; clock: FakeClock } => {
    const log = new MemoryLog();
    const m = new SessionManager({ secrets, globalState: new MemoryState(), tokenClient: async () => new TokenClient(http, () => clock.now()), log, clock, random: () => 0, settings });
    return { m, log, clock };
  };

  for (const expires of [1e306, '1e306', '9'.repeat(400), 0.001, 0, -5, 59, 31_536_001, 'NaN', 'Infinity', null]) {
    it(`refuses expires_in ${JSON.stringify(expires).slice(0, 24)} with a clear error, and stores nothing`, async () => {
      next = { expires_in: expires };
      const secrets = new MemorySecrets();
      const { m } = manager(secrets);
      await assert.rejects(m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD }), (e: Error) => e instanceof ResponseFormatError && /expires_in/.test(e.message));
      assert.equal(secrets.data.size, 0);
    });
  }

  it('refuses a refresh-token expiry beyond a year or in the past', async () => {
    for (const refresh_expires_in of [1e306, Math.floor(Date.now() / 1000) - 10, Math.floor(Date.now() / 1000) + 400 * 86_400]) {
      next = { refresh_expires_in };
      await assert.rejects(manager().m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD }), /refresh_expires_in/);
    }
  });

  it('never refreshes more often than once per 30 s, whatever the lifetime and the settings say', async () => {
    next = { expires_in: 60 };
    const { m, clock, log } = manager(undefined, () => ({ lifetimeFraction: Number('not a number'), failuresBeforeNotice: 3 }));
    const session = await m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD });
    const due = clock.pending();
    assert.equal(due.length, 1);
    assert.ok(due[0] >= 30_000 && due[0] <= 60_000, `the refresh is due in ${due[0]} ms`);
    assert.ok(log.lines.some((l) => /concur\.refresh\.lifetimeFraction is NaN.*using 0\.75/.test(l)), log.lines.join('\n'));
    // An automatic refresh within 30 s of the last one sends nothing.
    const before = server.requests.length;
    await m.getAccessToken(session.id, { minValidityMs: 3_600_000 });
    assert.equal(server.requests.length, before);
    // The lowest fraction on the shortest lifetime would be due after 6 s: the floor holds it to 30 s.
    const low = manager(undefined, () => ({ lifetimeFraction: 0.1, failuresBeforeNotice: 3 }));
    await low.m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD });
    assert.deepEqual(low.clock.pending(), [30_000]);
  });

  it('keeps the countdown and the clock sane whatever expiry they are handed', () => {
    assert.equal(msUntilNextTick(Infinity), 1000);
    assert.equal(msUntilNextTick(NaN), 1000);
    assert.equal(formatCountdown(Infinity).text, 'over a year');
    assert.equal(formatCountdown(NaN).text, 'expired');
  });

  it('shows a claim time beyond year 9999 as it is, without throwing', () => {
    assert.ok(!isClaimTime(1e15));
    assert.deepEqual(formatClaim('exp', 1e15, Date.now()), { text: '1000000000000000', kind: 'scalar' });
    assert.equal(formatClaim('exp', 1e300, Date.now()).kind, 'scalar');
    assert.equal(formatClaim('exp', 1_800_000_000, Date.now()).kind, 'time');
  });
});

describe('trust: paging links and what follows them', function () {
  let server: ScriptedServer;
  let other: ScriptedServer;
  let pages: (path: string) => object;
  let http: HttpClient;
  let client: ApiClient;

  before(async () => {
    other = await scriptedServer();
    server = await scriptedServer((req) => ({ status: 200, body: pages(req.url) }));
    http = new HttpClient();
    const token: SessionToken = { sessionId: 's', accessToken: 'token-value-123', geolocation: server.url, baseUrl: server.url };
    client = new ApiClient(http, { get: async () => token, refresh: async () => token });
  });
  after(async () => {
    await http.close();
    await server.close();
    await other.close();
  });

  it('keeps the pages it has when the next link names another host, and sends nothing there', async () => {
    pages = (path) => (path === '/r' ? { Items: [1, 2], NextPage: '/r?offset=2' } : { Items: [3], NextPage: `http://127.0.0.1:${other.port}/r?offset=3` });
    const outcome = await fetchAllPages(client, { method: 'GET', target: '/r' }, 'v3');
    assert.equal(outcome.complete, false);
    assert.deepEqual((outcome.merged as { Items: number[] }).Items, [1, 2, 3]);
    assert.match(outcome.stopReason ?? '', /link was refused/);
    assert.equal(other.requests.length, 0);
  });

  it('stops on a link it has already fetched', async () => {
    pages = () => ({ Items: [1], NextPage: '/r' });
    const outcome = await fetchAllPages(client, { method: 'GET', target: '/r' }, 'v3');
    assert.equal(outcome.complete, false);
    assert.equal(outcome.pages, 1);
    assert.match(outcome.stopReason ?? '', /already fetched/);
  });

  it('stops on a page that adds nothing but names a further page', async () => {
    let n = 0;
    pages = () => ({ Items: n++ === 0 ? [1] : [], NextPage: `/r?page=${n}` });
    const outcome = await fetchAllPages(client, { method: 'GET', target: '/r' }, 'v3');
    assert.equal(outcome.complete, false);
    assert.equal(outcome.items, 1);
    assert.match(outcome.stopReason ?? '', /added no items/);
    assert.ok(server.requests.length < 10);
  });
});

describe('trust: Copy as cURL', () => {
  const url = requireApiTarget('/x', { geolocation: 'https://us2.api.concursolutions.com', baseUrl: 'https://us2.api.concursolutions.com' });

  it('quotes the method, and refuses one that is not an HTTP method', () => {
    assert.match(toCurl({ method: 'PATCH', url, headers: {} }), /^curl -sS --globoff -X 'PATCH' 'https:\/\/us2/);
    for (const method of ['GET;rm -rf ~', 'POST $(id)', 'PUT\n', 'PO ST', '']) {
      assert.throws(() => toCurl({ method, url, headers: {} }), CurlError, JSON.stringify(method));
    }
    // A quote is a valid token character; the quoting keeps it harmless.
    assert.match(toCurl({ method: "PO'ST", url, headers: {} }), /-X 'PO'\\''ST'/);
    assert.throws(() => toCurl({ method: 'GET', url, headers: { 'x-a\nb': '1' } }), CurlError);
    assert.throws(() => toCurl({ method: 'GET', url, headers: { 'x-a': 'a\r\nb' } }), CurlError);
  });
});

describe('trust: Copy as cURL runs one request, whatever the URL holds', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await scriptedServer(() => ({ status: 200, body: {} }));
  });
  after(() => server.close());

  it('curl reads [1-5] and {a,b} in the URL as written, not as a pattern of ten requests (--globoff)', async function () {
    this.timeout(30_000);
    const url = requireApiTarget('/expense/v3/reports?page=[1-5]&fields={id,name}', { geolocation: server.url, baseUrl: server.url });
    assert.ok(url.href.includes('[1-5]') && url.href.includes('{id,name}'), url.href);
    const command = toCurl({ method: 'GET', url, headers: {} });
    assert.match(command, /^curl -sS --globoff /);
    // The command as a user pastes it into a shell, with the token in the environment (and no proxy for this machine).
    await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, CONCUR_TOKEN: 'test-token-value', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' }, timeout: 20_000 });
    assert.deepEqual(server.requests.map((r) => [r.method, r.url, r.headers.authorization]), [['GET', '/expense/v3/reports?page=[1-5]&fields={id,name}', 'Bearer test-token-value']]);
  });
});

describe('trust: error explanations', () => {
  it('explain a Receipts 403 whose path holds a malformed % escape', () => {
    const e = explainResponse(
      { status: 403, url: 'https://us2.api.concursolutions.com/receipts/v4/users/%zz', correlationId: 'c', body: Buffer.from(''), contentType: '' },
      { geolocation: 'https://us2.api.concursolutions.com', sub: 'me', tokenScopes: ['receipts.read'] },
    );
    assert.match(e?.message ?? '', /not %zz/);
  });

  it('quote at most 300 characters of what the server said', () => {
    const e = explainResponse({ status: 500, url: 'https://us2.api.concursolutions.com/x', correlationId: 'c', body: Buffer.from(JSON.stringify({ message: 'x'.repeat(5000) })), contentType: 'application/json' }, { geolocation: 'https://us2.api.concursolutions.com' });
    assert.ok((e?.message.length ?? 0) < 600);
  });
});

describe('trust: ConcurError for code 16 on refresh does not end a session', () => {
  it('is not taken for the end of the grant', () => {
    assert.equal(endsGrant(new ConcurError({ status: 400, code: 16, geolocation: 'https://evil.example.com' })), false);
    assert.equal(endsGrant(new ConcurError({ status: 400, code: 108 })), true);
  });
});

describe('trust: text Concur sends into messages', () => {
  it('keeps the reason a session ended, shown in the tree and pickers, redacted and to one bounded line', async () => {
    const server = await scriptedServer((req) =>
      new URLSearchParams(req.body).get('grant_type') === 'refresh_token'
        ? { status: 400, body: { error: 'invalid_grant', code: 999, error_description: `refresh_token=leaked-value-123456 ${'x'.repeat(50_000)}\nsecond line` } }
        : tokenAnswer(),
    );
    const http = new HttpClient();
    try {
      const redactor = new Redactor();
      const m = new SessionManager({ secrets: new MemorySecrets(), globalState: new MemoryState(), tokenClient: async () => new TokenClient(http), log: new MemoryLog(), redactor, random: () => 0 });
      const session = await m.signIn({ baseUrl: server.url, ...CLIENT, grant: PASSWORD });
      await assert.rejects(m.refresh(session.id));
      const reason = m.getSession(session.id)?.signedOutReason ?? '';
      assert.equal(m.getSession(session.id)?.state, 'signedOut');
      assert.ok(!reason.includes('leaked-value-123456'), 'the reason holds a secret');
      assert.ok(reason.length < 400 && !reason.includes('\n'), `the reason is ${reason.length} characters`);
    } finally {
      await http.close();
      await server.close();
    }
  });

  it('describes a huge HTML error page in linear time (no runaway pattern on <title<title<title…)', () => {
    const small = '<html>' + '<title'.repeat(20_000);
    const large = '<html>' + '<title'.repeat(200_000);
    const time = (text: string): number => {
      const started = performance.now();
      describeBody(text, 'text/html');
      return performance.now() - started;
    };
    // Ten times the text may cost at most 25 times as long (the pattern that read past the next tag
    // took 100 times as long, and seconds on 200 KB). Best of three, as a ratio in one process.
    const best = (text: string): number => Math.min(time(text), time(text), time(text));
    const ratio = best(large) / Math.max(best(small), 0.05);
    assert.ok(ratio < 25, `10× the text took ${ratio.toFixed(1)}× as long`);
    assert.equal(describeBody('<html><head><title>Service Unavailable</title></head></html>', 'text/html'), 'an HTML page "Service Unavailable"');
  });

  it('is one line of bounded length, however long the error_description, error or correlation id', () => {
    const e = new ConcurError({ status: 400, error: 'e'.repeat(10_000), errorDescription: `line one\n${'d'.repeat(100_000)}`, correlationId: 'c'.repeat(5_000), code: 999 });
    assert.ok(e.message.length < 340, `${e.message.length} characters`);
    assert.doesNotMatch(e.message, /\n/);
    assert.ok(e.detail.length < 600, `${e.detail.length} characters`);
  });
});
