import assert from 'node:assert/strict';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { FakeClock, UUID, decodeJwt, get, send, token, verifyWithJwks, type Json } from './helpers';

describe('mock Concur: faults', () => {
  let mock: MockConcur;
  let access: string;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
    access = mock.issueTokens().access_token;
  });
  after(() => mock.close());
  afterEach(() => mock.clearFaults());

  const me = (): ReturnType<typeof get> => get(`${mock.geoUrl}/profile/v1/me`, access);
  const signIn = (): ReturnType<typeof token> =>
    token(mock.geoUrl, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password });

  it('latency: delays, then serves normally', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'latency', ms: 150 });
    const started = Date.now();
    const res = await me();
    assert.ok(Date.now() - started >= 140, 'delayed');
    assert.equal(res.status, 200);
    assert.equal(mock.requests.at(-1)?.fault, 'latency');
  });

  it('status500: plain-text 500, then normal once `times` is used up', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'status500', times: 2 });
    const first = await me();
    assert.equal(first.status, 500);
    assert.match(first.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(first.text, 'Internal Server Error');
    assert.match(first.headers.get('concur-correlationid') ?? '', UUID);
    assert.deepEqual(mock.faults().map((f) => f.times), [1]);
    assert.equal((await me()).status, 500);
    assert.deepEqual(mock.faults(), []);
    assert.equal((await me()).status, 200);
  });

  it('html503: a 503 with an HTML body', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'html503' });
    const res = await signIn();
    assert.equal(res.status, 503);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.text, /<html>/);
    assert.equal(res.body, undefined, 'not JSON');
  });

  it('rate429: retry-after and the rate-limit JSON', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'rate429', retryAfter: 7 });
    const res = await me();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.deepEqual(res.body, { error: { id: 'security.rate.limit.reached', message: 'Too many requests' } });
  });

  it('reset: the connection is destroyed', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'reset', times: 1 });
    await assert.rejects(me(), (err: Error) => err instanceof TypeError);
    assert.equal(mock.requests.at(-1)?.status, 0);
    assert.equal(mock.requests.at(-1)?.fault, 'reset');
    assert.equal((await me()).status, 200);
  });

  it('malformedJson: 200 with truncated JSON', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'malformedJson' });
    const res = await me();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /json/);
    assert.throws(() => JSON.parse(res.text));
    assert.ok(res.text.startsWith('{"id":'));
  });

  it('malformedJson also breaks error bodies, as a proxy would', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'malformedJson' });
    const res = await token(mock.geoUrl, {});
    assert.equal(res.status, 200);
    assert.throws(() => JSON.parse(res.text));
  });

  it('opaqueAccessToken: a non-JWT access token the APIs still accept', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'opaqueAccessToken', times: 1 });
    const res = await signIn();
    assert.equal(res.status, 200);
    assert.ok(!res.body.access_token.includes('.'), 'not a JWT');
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(res.body.access_token).digest();
    assert.equal(decodeJwt(res.body.id_token).payload.at_hash, digest.subarray(0, 16).toString('base64url'));
    assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, res.body.access_token)).status, 200);
    const next = await signIn();
    assert.equal(next.body.access_token.split('.').length, 3, 'back to JWTs after `times`');
  });

  it('unknownKey: tokens signed with a key whose kid the JWKS does not publish', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'unknownKey', times: 1 });
    const res = await signIn();
    assert.equal(res.status, 200);
    const jwks = (await get(`${mock.geoUrl}/oauth2/v0/jwks`)).body;
    assert.deepEqual(jwks, mock.jwks(), 'the JWKS is unchanged');
    const published = jwks.keys.map((k: Json) => k.kid);
    for (const jwt of [res.body.access_token, res.body.id_token]) {
      const { header } = decodeJwt(jwt);
      assert.equal(header.alg, 'RS256');
      assert.match(header.kid, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(!published.includes(header.kid), 'kid not in the JWKS');
      assert.equal(verifyWithJwks(jwt, jwks), false);
    }
    assert.equal(mock.requests.at(-2)?.fault, 'unknownKey');
    assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, res.body.access_token)).status, 200, 'the APIs accept it');
    const next = await signIn();
    assert.equal(verifyWithJwks(next.body.access_token, jwks), true, 'the published key again after `times`');
    assert.notEqual(decodeJwt(next.body.access_token).header.kid, decodeJwt(res.body.access_token).header.kid);
  });

  it('unknownKey applies to every grant, set over the control endpoint too', async () => {
    const set = await send(`${mock.url}/_mock/faults`, 'POST', [{ route: '/oauth2/v0/token', kind: 'unknownKey' }]);
    assert.equal(set.status, 200);
    const jwks = mock.jwks();
    const app = await token(mock.geoUrl, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'client_credentials' });
    assert.equal(verifyWithJwks(app.body.access_token, jwks), false);
    const user = await signIn();
    const refreshed = await token(mock.geoUrl, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'refresh_token', refresh_token: user.body.refresh_token });
    assert.equal(verifyWithJwks(refreshed.body.access_token, jwks), false);
    assert.equal(decodeJwt(refreshed.body.access_token).header.kid, decodeJwt(app.body.access_token).header.kid, 'one unpublished key per process');
  });

  it('stringErrorCode: token errors carry code as a string', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'stringErrorCode' });
    const res = await token(mock.geoUrl, {});
    assert.equal(res.body.code, '62');
  });

  it('hang: no answer until close() ends the connection', async () => {
    const other = await startMockConcur({ quiet: true, companyUsers: 20, faults: [{ route: '/profile/v1/me', kind: 'hang' }] });
    const t = other.issueTokens().access_token;
    const pending = fetch(`${other.geoUrl}/profile/v1/me`, { headers: { authorization: `Bearer ${t}` } });
    const outcome = await Promise.race([pending.then(() => 'answered', () => 'failed'), new Promise((r) => setTimeout(() => r('waiting'), 200))]);
    assert.equal(outcome, 'waiting');
    assert.equal(other.requests.at(-1)?.fault, 'hang');
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 1000, 'close() does not wait for the hung request');
    await assert.rejects(pending);
  });

  it('close() also ends a request still in its latency', async () => {
    const other = await startMockConcur({ quiet: true, companyUsers: 20, faults: [{ route: '*', kind: 'latency', ms: 60_000 }] });
    const pending = fetch(`${other.geoUrl}/profile/v1/me`);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(pending);
  });

  it('matches by host, method, prefix and RegExp', async () => {
    mock.setFaults([{ route: '/profile/*', host: 'landing', kind: 'status500' }]);
    assert.equal((await me()).status, 200, 'only the landing host is faulted');
    assert.equal((await get(`${mock.url}/profile/v1/me`, access)).status, 500);
    mock.setFaults([{ route: /^\/profile\/v\d\/me$/, kind: 'rate429', method: 'POST' }]);
    assert.equal((await me()).status, 200, 'GET is not faulted');
    mock.setFaults([{ route: /^\/profile\/v\d\/me$/, kind: 'rate429' }]);
    assert.equal((await me()).status, 429);
    mock.setFaults([{ route: '*', kind: 'status500' }]);
    assert.equal((await get(`${mock.url}/oauth2/v0/jwks`)).status, 500);
  });

  it('combines latency with another fault', async () => {
    mock.setFaults([
      { route: '/profile/v1/me', kind: 'latency', ms: 100 },
      { route: '/profile/v1/me', kind: 'html503' },
    ]);
    const started = Date.now();
    const res = await me();
    assert.equal(res.status, 503);
    assert.ok(Date.now() - started >= 90);
  });

  it('refuses an unknown fault kind', () => {
    assert.throws(() => mock.addFault({ route: '*', kind: 'explode' as never }), /unknown fault kind/);
  });
});

describe('mock Concur: request log, counters and control endpoints', () => {
  let mock: MockConcur;
  const clock = new FakeClock();

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 50 });
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.resetLog();
    mock.clearFaults();
  });

  const signIn = (base: string): ReturnType<typeof token> =>
    token(base, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password });

  it('logs every request with host, grant type, status and correlation id', async () => {
    await signIn(mock.url);
    const ok = await signIn(mock.geoUrl);
    await token(mock.geoUrl, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'refresh_token', refresh_token: ok.body.refresh_token });
    await get(`${mock.geoUrl}/api/v3.0/expense/reports?limit=5`, ok.body.access_token);
    const log = mock.requests;
    assert.deepEqual(
      log.map((r) => [r.seq, r.host, r.method, r.path, r.status, r.grantType]),
      [
        [0, 'landing', 'POST', '/oauth2/v0/token', 400, 'password'],
        [1, 'geo', 'POST', '/oauth2/v0/token', 200, 'password'],
        [2, 'geo', 'POST', '/oauth2/v0/token', 200, 'refresh_token'],
        [3, 'geo', 'GET', '/api/v3.0/expense/reports', 200, undefined],
      ],
    );
    assert.deepEqual(log[3].query, { limit: '5' });
    assert.equal(log[0].clientId, mock.demo.clientId);
    assert.equal(log[0].time, clock.ms);
    assert.ok(log.every((r) => UUID.test(r.correlationId)));
    assert.equal(mock.counters.tokenRequests, 3);
    assert.equal(mock.counters.refreshGrants, 1);
    assert.equal(mock.counters.apiRequests, 1);
    assert.equal(mock.counters.passwordGrants, 2);
    assert.equal(mock.counters.tokenErrors, 1);
    assert.equal(mock.counters.refreshRotations, 1);
    assert.equal(mock.counters.requests, 4);
  });

  it('resetLog() clears the log and counters in place', async () => {
    const log = mock.requests;
    const counters = mock.counters;
    await signIn(mock.geoUrl);
    mock.resetLog();
    assert.equal(log.length, 0);
    assert.equal(counters.tokenRequests, 0);
    await signIn(mock.geoUrl);
    assert.equal(log.length, 1);
    assert.equal(log[0].seq, 0);
  });

  it('sets, adds, lists and clears faults over HTTP, on either host', async () => {
    const set = await send(`${mock.geoUrl}/_mock/faults`, 'POST', [
      { route: '/profile/v1/me', kind: 'rate429', retryAfter: 3, times: 2 },
      { route: { regex: '^/list/', flags: 'i' }, kind: 'status500' },
    ]);
    assert.equal(set.status, 200);
    assert.equal(set.body.rules.length, 2);
    assert.deepEqual(set.body.rules[1].route, { regex: new RegExp('^/list/').source, flags: 'i' });
    const added = await send(`${mock.url}/_mock/faults/add`, 'POST', { route: '/oauth2/v0/jwks', kind: 'html503' });
    assert.equal(added.body.rules.length, 3);
    assert.equal(mock.faults().length, 3);
    const t = mock.issueTokens().access_token;
    assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, t)).status, 429);
    assert.equal((await get(`${mock.geoUrl}/LIST/v4/lists`, t)).status, 500);
    const listed = await get(`${mock.url}/_mock/faults`);
    assert.equal(listed.body.rules[0].times, 1);
    const cleared = await send(`${mock.url}/_mock/faults`, 'DELETE');
    assert.deepEqual(cleared.body.rules, []);
    assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, t)).status, 200);
  });

  it('replaces faults with {"rules": [...]} and rejects bad rules with 400', async () => {
    assert.equal((await send(`${mock.url}/_mock/faults`, 'POST', { rules: [{ route: '*', kind: 'latency', ms: 1 }] })).status, 200);
    assert.equal(mock.faults().length, 1);
    const bad = await send(`${mock.url}/_mock/faults`, 'POST', [{ route: '*', kind: 'nope' }]);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /unknown fault kind/);
    assert.equal(mock.faults().length, 1, 'a rejected replacement changes nothing');
    assert.equal((await send(`${mock.url}/_mock/faults`, 'POST', '{not json')).status, 400);
  });

  it('serves the log and counters, and is never logged or faulted itself', async () => {
    mock.setFaults([{ route: '*', kind: 'status500' }]);
    await signIn(mock.geoUrl);
    const requests = await get(`${mock.url}/_mock/requests`);
    assert.equal(requests.status, 200);
    assert.equal(requests.body.requests.length, 1);
    assert.equal(requests.body.requests[0].fault, 'status500');
    assert.equal(requests.body.requests[0].status, 500);
    const counters = await get(`${mock.geoUrl}/_mock/counters`);
    assert.equal(counters.body.tokenRequests, 1);
    assert.equal(counters.body.faultsInjected, 1);
    assert.equal(mock.requests.length, 1, 'control requests are not logged');
    const since = await get(`${mock.url}/_mock/requests?since=1`);
    assert.deepEqual(since.body.requests, []);
    const reset = await send(`${mock.url}/_mock/requests`, 'DELETE');
    assert.equal(reset.status, 200);
    assert.equal(mock.requests.length, 0);
  });

  it('moves the clock, issues request tokens, revokes, and shows the demo over HTTP', async () => {
    const before = (await get(`${mock.url}/_mock/clock`)).body.now;
    assert.equal(before, clock.ms);
    const moved = await send(`${mock.url}/_mock/clock`, 'POST', { advanceSeconds: 3601 });
    assert.equal(moved.body.now, clock.ms + 3_601_000);
    assert.equal(mock.now(), clock.ms + 3_601_000);

    const issued = await send(`${mock.url}/_mock/company-request-token`, 'POST', {});
    assert.match(issued.body.requestToken, UUID);
    assert.equal(issued.body.expiresAt, Math.floor(mock.now() / 1000) + 86_400);
    const company = await token(mock.url, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', credtype: 'authtoken', username: mock.demo.companyId, password: issued.body.requestToken });
    assert.equal(company.status, 200);

    const signedIn = await signIn(mock.geoUrl);
    const revoked = await send(`${mock.url}/_mock/revoke`, 'POST', { sub: mock.demo.userId });
    assert.ok(revoked.body.refreshRevoked >= 1);
    assert.ok(revoked.body.accessRevoked >= 1);
    assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, signedIn.body.access_token)).status, 401);

    const demo = await get(`${mock.url}/_mock/demo`);
    assert.equal(demo.body.clientId, mock.demo.clientId);
    const index = await get(`${mock.url}/_mock`);
    assert.ok(index.body.endpoints.length > 5);
    assert.equal((await get(`${mock.url}/_mock/otp?handle=nobody@globex.example`)).status, 404);
    assert.equal((await get(`${mock.url}/_mock/unknown`)).status, 404);
    assert.equal(mock.requests.length, 3, 'only the two token requests and the API call are logged');
  });
});

describe('mock Concur: load', function () {
  this.timeout(20_000);

  // How fast is for the benchmarks (npm run bench) to say; this checks that nothing drops under load.
  it('answers 1,000 API calls, 100 at a time, every one with 200', async () => {
    const mock = await startMockConcur({ quiet: true });
    try {
      const t = mock.issueTokens().access_token;
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(Array.from({ length: 100 }, () => get(`${mock.geoUrl}/profile/v1/me`, t)));
      }
      assert.equal(mock.counters.apiRequests, 1000);
      assert.ok(mock.requests.every((r: Json) => r.status === 200));
    } finally {
      await mock.close();
    }
  });
});

describe('mock Concur: largeBody fault', () => {
  it('replaces a successful JSON answer with a body of about the asked size', async () => {
    const large = await startMockConcur({ quiet: true, companyUsers: 20, faults: [{ route: '/localities/v5/countries', kind: 'largeBody', mb: 2 }] });
    try {
      const bearer = large.issueTokens({}).access_token;
      const res = await fetch(`${large.geoUrl}/localities/v5/countries`, { headers: { authorization: `Bearer ${bearer}` } });
      const text = await res.text();
      const size = Buffer.byteLength(text) / 1024 / 1024;
      assert.equal(res.status, 200);
      assert.ok(size >= 2 && size < 2.1, `${size.toFixed(2)} MB`);
      const body = JSON.parse(text) as { Resources: unknown[]; totalResults: number };
      assert.equal(body.Resources.length, body.totalResults);
    } finally {
      await large.close();
    }
  });
});
