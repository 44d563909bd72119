import * as assert from 'node:assert/strict';
import { assertAbsent, assertDifferentSecret } from '../../support/secretAsserts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { grantForm, parseTokenError, parseTokenResponse, TokenClient, type Grant } from '../../../src/auth/tokenClient';
import { baseOrigin, checkBaseUrl, RefusedTargetError, tokenEndpoint } from '../../../src/platform/resolver';
import { CancelledError, ConcurError, endsGrant, NetworkError, ResponseFormatError } from '../../../src/platform/errors';
import { HttpClient, type HttpResponse } from '../../../src/platform/http';
import { claimsOf } from '../../../src/auth/jwt';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';

const NOW = Date.UTC(2026, 10, 27, 9, 0, 0);
const client = { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'secret-value' };

function fakeResponse(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    method: 'POST', url: 'https://us2.api.concursolutions.com/oauth2/v0/token', status, headers, body: Buffer.from(body), bytes: body.length,
    truncated: false, durationMs: 1, correlationId: headers['concur-correlationid'] ?? 'sent-id', contentType: headers['content-type'] ?? '',
  };
}

describe('token requests: form encoding', () => {
  it('sends the password grant with username and password', () => {
    const form = grantForm(client, { kind: 'password', username: 'u@x.com', password: 'p w&d' });
    assert.deepEqual(Object.fromEntries(form), { client_id: client.clientId, client_secret: 'secret-value', grant_type: 'password', username: 'u@x.com', password: 'p w&d' });
    assert.match(form.toString(), /password=p\+w%26d/);
  });

  it('sends the company request token as password grant with credtype=authtoken', () => {
    const form = grantForm(client, { kind: 'companyRequestToken', companyId: 'c-id', requestToken: 'rt' });
    assert.deepEqual(Object.fromEntries(form), { client_id: client.clientId, client_secret: 'secret-value', grant_type: 'password', username: 'c-id', password: 'rt', credtype: 'authtoken' });
  });

  it('sends client_credentials with nothing else', () => {
    assert.deepEqual(Object.fromEntries(grantForm(client, { kind: 'clientCredentials' })), { client_id: client.clientId, client_secret: 'secret-value', grant_type: 'client_credentials' });
  });

  it('sends grant_type=refresh_token, never refresh', () => {
    const form = grantForm(client, { kind: 'refreshToken', refreshToken: 'opaque', scope: 'user.read' });
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('refresh_token'), 'opaque');
    assert.equal(form.get('scope'), 'user.read');
    assert.doesNotMatch(form.toString(), /grant_type=refresh(&|$)/);
  });
});

describe('token responses: every documented variant', () => {
  const base = { access_token: 'a.b.c', token_type: 'Bearer', scope: 'openid user.read', geolocation: 'https://us2.api.concursolutions.com' };

  it('accepts expires_in as a string and as a number', () => {
    assert.equal(parseTokenResponse({ ...base, expires_in: '3600' }, NOW).expiresAt, NOW + 3_600_000);
    assert.equal(parseTokenResponse({ ...base, expires_in: 3600 }, NOW).expiresAt, NOW + 3_600_000);
  });

  it('reads refresh_expires_in as an absolute epoch in seconds', () => {
    const tokens = parseTokenResponse({ ...base, expires_in: '3600', refresh_token: 'r', refresh_expires_in: 1800000000 }, NOW);
    assert.equal(tokens.refreshExpiresAt, 1_800_000_000_000);
    assert.equal(parseTokenResponse({ ...base, expires_in: '3600', refresh_expires_in: '1800000000' }, NOW).refreshExpiresAt, 1_800_000_000_000);
  });

  it('accepts token_type in any case, and keeps only the origin of a geolocation with a path', () => {
    const tokens = parseTokenResponse({ ...base, expires_in: 60, token_type: 'bearer', geolocation: 'https://us.api.concursolutions.com/oauth2/v0/token' }, NOW);
    assert.equal(tokens.tokenType, 'Bearer');
    assert.equal(tokens.namedGeolocation, 'https://us.api.concursolutions.com');
    assert.equal(parseTokenResponse({ ...base, expires_in: 60, token_type: 'BEARER' }, NOW).tokenType, 'Bearer');
  });

  it('accepts app tokens without refresh token or id_token, and names no geolocation when Concur sends none', () => {
    const tokens = parseTokenResponse({ access_token: 'a.b.c', token_type: 'Bearer', expires_in: '3600', scope: '' }, NOW);
    assertAbsent(tokens.refreshToken);
    assertAbsent(tokens.idToken);
    assert.equal(tokens.namedGeolocation, undefined);
    assert.deepEqual(tokens.scopes, []);
  });

  it('splits scope into a list', () => {
    assert.deepEqual(parseTokenResponse({ ...base, expires_in: '60' }, NOW).scopes, ['openid', 'user.read']);
  });

  for (const [what, body, message] of [
    ['an array', [], /not a JSON object/],
    ['no access_token', { ...base, access_token: undefined, expires_in: '3600' }, /no access_token/],
    ['a MAC token', { ...base, token_type: 'mac', expires_in: '3600' }, /not Bearer/],
    ['expires_in that is not a number', { ...base, expires_in: 'soon' }, /expires_in/],
    ['a geolocation that is not a URL', { ...base, expires_in: '3600', geolocation: 'nowhere' }, /geolocation is not a URL/],
  ] as const) {
    it(`rejects ${what} with a clear error`, () => {
      assert.throws(() => parseTokenResponse(body, NOW), (e: Error) => e instanceof ResponseFormatError && message.test(e.message));
    });
  }
});

describe('token errors', () => {
  it('carries Concur\'s code (also when sent as a string), error, description and correlation id', () => {
    const error = parseTokenError(fakeResponse(400, '{"error":"invalid_grant","error_description":"bad or expired refresh token","code":"108"}', { 'concur-correlationid': 'c0ffee00-0000-4000-8000-000000000001' }));
    assert.equal(error.code, 108);
    assert.equal(error.error, 'invalid_grant');
    assert.equal(error.status, 400);
    assert.equal(error.correlationId, 'c0ffee00-0000-4000-8000-000000000001');
    assert.match(error.message, /Sign in again/);
    assert.match(error.detail, /Correlation id: c0ffee00/);
    assert.ok(endsGrant(error));
  });

  it('turns an HTML 503 page into a readable message, not a parse error', () => {
    const html = '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Down for maintenance</h1></body></html>';
    const error = parseTokenError(fakeResponse(503, html, { 'content-type': 'text/html' }));
    assert.equal(error.status, 503);
    assert.equal(error.code, undefined);
    assert.match(error.message, /HTTP 503 \(service unavailable\) with an HTML page "Service Unavailable"/);
    assert.doesNotMatch(error.message, /JSON|Unexpected token/);
    assert.ok(!endsGrant(error), 'a 503 does not end the grant');
  });

  it('has a message that says what to do for each common code', () => {
    for (const code of [5, 10, 12, 14, 16, 19, 20, 21, 54, 61, 64, 107, 108, 136, 139]) {
      const error = new ConcurError({ status: 400, code });
      assert.doesNotMatch(error.message, /HTTP 400/, `code ${code} has no message of its own`);
    }
  });
});

describe('URLs that may receive secrets', () => {
  it('accepts https anywhere and http only on loopback', () => {
    for (const ok of ['https://us2.api.concursolutions.com', 'http://localhost:5050', 'http://127.0.0.1:9', 'http://127.1.2.3', 'http://[::1]:8080']) {
      assert.ok(checkBaseUrl(ok).ok, ok);
    }
    for (const bad of ['http://us2.api.concursolutions.com', 'http://10.0.0.5', 'ftp://x', 'not a url', 'http://localhost.evil.com', 'http://app.localhost:5050']) {
      assert.ok(!checkBaseUrl(bad).ok, bad);
    }
    assert.match((checkBaseUrl('http://example.com') as { message: string }).message, /must use https/);
    assert.equal(baseOrigin('https://us2.api.concursolutions.com/some/path?x=1'), 'https://us2.api.concursolutions.com');
  });

  it('sends nothing to a URL the resolver has not made, even one cast to the type', async () => {
    const http = new HttpClient();
    const forged = { href: 'http://127.0.0.1:9/x', origin: 'http://127.0.0.1:9', host: '127.0.0.1:9', hostname: '127.0.0.1' } as unknown as ReturnType<typeof tokenEndpoint>;
    await assert.rejects(http.request({ method: 'GET', url: forged }), RefusedTargetError);
    assert.throws(() => tokenEndpoint('http://example.com'), RefusedTargetError);
  });
});

describe('token client against the local Concur server', function () {
  let mock: MockConcur;
  let http: HttpClient;
  let tokens: TokenClient;
  const demoClient = (): { clientId: string; clientSecret: string } => ({ clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret });
  const password = (): Grant => ({ kind: 'password', username: mock.demo.username, password: mock.demo.password });

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
  });
  after(async () => {
    await http?.close();
    await mock.close();
  });
  beforeEach(() => {
    http = new HttpClient({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
    tokens = new TokenClient(http, () => mock.now());
    mock.clearFaults();
    mock.resetLog();
  });
  afterEach(() => http.close());

  it('password grant at the user\'s datacenter: access, refresh and id token, geolocation', async () => {
    const { tokens: t, issuedBy } = await tokens.requestToken(mock.geoUrl, demoClient(), password());
    assert.equal(issuedBy, mock.geoUrl);
    assert.equal(t.namedGeolocation, mock.geoUrl);
    assert.ok(t.refreshToken && t.idToken);
    assert.ok(t.refreshExpiresAt && t.refreshExpiresAt > mock.now() + 170 * 86_400_000);
    assert.equal(claimsOf(t.idToken)?.sub, mock.demo.userId);
    assert.ok(t.scopes.includes('user.read'));
  });

  it('code 16 at the wrong datacenter: retries once at the geolocation the caller accepts', async () => {
    const named: string[] = [];
    const { tokens: t, issuedBy } = await tokens.requestToken(mock.url, demoClient(), password(), { followGeolocation: async (geo) => (named.push(geo), geo) });
    assert.deepEqual(named, [mock.geoUrl]);
    assert.equal(issuedBy, mock.geoUrl);
    assert.equal(t.namedGeolocation, mock.geoUrl);
    const tokenRequests = mock.requests.filter((r) => r.path === '/oauth2/v0/token');
    assert.deepEqual(tokenRequests.map((r) => [r.host, r.status]), [['landing', 400], ['geo', 200]]);
  });

  it('code 16 is not followed unless the caller accepts the geolocation: the credentials stay where they were sent', async () => {
    await assert.rejects(tokens.requestToken(mock.url, demoClient(), password()), (e: ConcurError) => e.code === 16);
    await assert.rejects(tokens.requestToken(mock.url, demoClient(), password(), { followGeolocation: async () => undefined }), (e: ConcurError) => e.code === 16);
    assert.deepEqual(mock.requests.filter((r) => r.path === '/oauth2/v0/token').map((r) => r.host), ['landing', 'landing']);
  });

  it('company request token grant gives a company token', async () => {
    const { tokens: t } = await tokens.requestToken(mock.url, demoClient(), { kind: 'companyRequestToken', companyId: mock.demo.companyId, requestToken: mock.demo.companyRequestToken }, { followGeolocation: async (g) => g });
    assert.equal(claimsOf(t.accessToken)?.['concur.type'], 'company');
    assert.ok(t.refreshToken);
  });

  it('client_credentials gives an app token without refresh token or id_token', async () => {
    const { tokens: t } = await tokens.requestToken(mock.geoUrl, demoClient(), { kind: 'clientCredentials' });
    assert.equal(claimsOf(t.accessToken)?.['concur.type'], 'app');
    assertAbsent(t.refreshToken);
    assertAbsent(t.idToken);
  });

  it('refresh_token grant rotates the refresh token; the old one then fails with 108', async () => {
    const first = (await tokens.requestToken(mock.geoUrl, demoClient(), password())).tokens;
    const second = (await tokens.requestToken(mock.geoUrl, demoClient(), { kind: 'refreshToken', refreshToken: first.refreshToken as string })).tokens;
    assertDifferentSecret(second.refreshToken, first.refreshToken);
    await assert.rejects(tokens.requestToken(mock.geoUrl, demoClient(), { kind: 'refreshToken', refreshToken: first.refreshToken as string }), (e: ConcurError) => e.code === 108 && endsGrant(e));
    assert.equal(mock.requests.filter((r) => r.grantType === 'refresh_token').length, 2);
    assert.ok(!mock.requests.some((r) => r.grantType === 'refresh'));
  });

  for (const [what, grant, clientOverride, code] of [
    ['a wrong password', { kind: 'password', username: 'demo.traveler@globex.example', password: 'wrong' }, undefined, 5],
    ['a locked account', { kind: 'password', username: 'locked@globex.example', password: 'Concur-Demo-1' }, undefined, 14],
    ['a code sent as a string', { kind: 'password', username: 'string.code@globex.example', password: 'Concur-Demo-1' }, undefined, 5],
    ['a password that must be changed', { kind: 'password', username: 'password.expired@globex.example', password: 'Concur-Demo-1' }, undefined, 139],
    ['an SSO-only user', { kind: 'password', username: 'sso.only@globex.example', password: 'Concur-Demo-1' }, undefined, 21],
    ['a wrong client secret', { kind: 'clientCredentials' }, { clientSecret: '00000000-0000-4000-8000-000000000000' }, 64],
    ['an unknown client', { kind: 'clientCredentials' }, { clientId: '00000000-0000-4000-8000-000000000000' }, 61],
  ] as const) {
    it(`maps ${what} to code ${code} with a message that says what to do`, async () => {
      await assert.rejects(
        tokens.requestToken(mock.geoUrl, { ...demoClient(), ...clientOverride }, grant as Grant),
        (e: unknown) => {
          assert.ok(e instanceof ConcurError, String(e));
          assert.equal(e.code, code);
          assert.match(e.correlationId ?? '', /^[0-9a-f-]{36}$/);
          assert.ok(!e.message.includes('Concur-Demo-1') && !e.message.includes('wrong'), 'no secret in the message');
          return true;
        },
      );
    });
  }

  it('reads an HTML 503 from the token endpoint as a readable ConcurError', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'html503' });
    await assert.rejects(tokens.requestToken(mock.geoUrl, demoClient(), password()), (e: ConcurError) => e.status === 503 && /HTML page/.test(e.message));
  });

  it('reports a malformed 200 answer as "not a token response", without quoting the part of a token it holds', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'malformedJson' });
    await assert.rejects(tokens.requestToken(mock.geoUrl, demoClient(), password()), (e: Error) => {
      assert.ok(e instanceof ResponseFormatError);
      assert.match(e.message, /bytes that are not JSON instead of a token response/);
      assert.doesNotMatch(e.message, /eyJ|access_token/);
      return true;
    });
  });

  it('maps a connection reset to a NetworkError', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'reset' });
    await assert.rejects(tokens.requestToken(mock.geoUrl, demoClient(), password()), (e: NetworkError) => e instanceof NetworkError && e.failure === 'reset');
  });

  it('times out when Concur stops answering', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'hang' });
    const impatient = new TokenClient(new HttpClient({ headersTimeoutMs: 300 }), () => mock.now());
    await assert.rejects(impatient.requestToken(mock.geoUrl, demoClient(), password()), (e: NetworkError) => e instanceof NetworkError && e.failure === 'timeout');
  });

  it('cancels through an AbortSignal', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'hang' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    // A CancelledError, not the NetworkError the 2 s header timeout would give.
    await assert.rejects(tokens.requestToken(mock.geoUrl, demoClient(), password(), { signal: abort.signal }), CancelledError);
  });

  it('reuses one connection for consecutive requests', async () => {
    const server = createServer((_req, res) => res.end('{}'));
    let connections = 0;
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const h = new HttpClient();
    for (let i = 0; i < 50; i++) assert.equal((await h.request({ method: 'GET', url: tokenEndpoint(`http://127.0.0.1:${port}`, '/') })).status, 200);
    await h.close();
    server.close();
    // undici opens a second socket while the first is being released after the first response; after that, reuse.
    assert.ok(connections <= 2, `${connections} connections for 50 requests`);
  });
});
