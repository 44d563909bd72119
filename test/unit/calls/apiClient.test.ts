import * as assert from 'node:assert/strict';
import { ApiClient, retryAfterMs, type SessionToken, type TokenSource } from '../../../src/calls/apiClient';
import { ApiUsageError } from '../../../src/platform/errors';
import { RefusedTargetError, requireApiTarget, resolveApiTarget } from '../../../src/platform/resolver';
import { endpointById } from '../../../src/catalog/catalog';
import { shellQuote, toCurl } from '../../../src/calls/curl';
import { explainResponse, type ExplainResponse } from '../../../src/calls/explain';
import { formatBody } from '../../../src/responses/format';
import { HttpClient } from '../../../src/platform/http';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';

const GEO = 'https://us2.api.concursolutions.com';

describe('API calls against the local Concur server', () => {
  let mock: MockConcur;
  let http: HttpClient;
  let token: SessionToken;
  let refreshes: number;
  let sleeps: number[];
  let client: ApiClient;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    http = new HttpClient();
  });
  after(async () => {
    await http.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.clearFaults();
    mock.resetLog();
    token = { sessionId: 's1', accessToken: mock.issueTokens({}).access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
    refreshes = 0;
    sleeps = [];
    const source: TokenSource = {
      get: async () => token,
      refresh: async () => {
        refreshes++;
        token = { ...token, accessToken: mock.issueTokens({}).access_token };
        return token;
      },
    };
    // Fake time: waits are recorded, not slept.
    client = new ApiClient(http, source, { sleep: async (ms) => void sleeps.push(ms) });
  });

  it('sends paths to the geolocation with the bearer token and a correlation id', async () => {
    const result = await client.call({ method: 'GET', target: '/profile/v1/me' });
    assert.equal(result.status, 200);
    assert.equal(result.request.url, `${mock.geoUrl}/profile/v1/me`);
    assert.equal(JSON.parse(result.body.toString()).id, mock.demo.userId);
    assert.match(result.correlationId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(mock.requests.map((r) => [r.host, r.path, r.status]), [['geo', '/profile/v1/me', 200]]);
    assert.ok(!('authorization' in result.request.headers), 'the recorded request carries no token');
  });

  it('refreshes once and sends again when Concur answers 401', async () => {
    token = { ...token, accessToken: 'revoked-or-unknown-token-value' };
    const result = await client.call({ method: 'GET', target: '/profile/v1/me' });
    assert.equal(result.status, 200);
    assert.equal(result.retriedAfter401, true);
    assert.equal(refreshes, 1);
    assert.deepEqual(mock.requests.map((r) => r.status), [401, 200]);
  });

  it('returns the second 401 instead of refreshing forever', async () => {
    mock.setFaults([]);
    mock.revokeAccessTokens();
    const source: TokenSource = { get: async () => ({ ...token, accessToken: 'bad-token-one' }), refresh: async () => ({ ...token, accessToken: 'bad-token-two' }) };
    const result = await new ApiClient(http, source).call({ method: 'GET', target: '/profile/v1/me' });
    assert.equal(result.status, 401);
    assert.equal(mock.requests.length, 2);
  });

  it('waits out 429 for retry-after seconds, then succeeds (fake time)', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'rate429', retryAfter: 7, times: 2 });
    const waits: number[] = [];
    const result = await client.call({ method: 'GET', target: '/profile/v1/me' }, (w) => waits.push(w.waitMs));
    assert.equal(result.status, 200);
    assert.deepEqual(sleeps, [7000, 7000]);
    assert.deepEqual(waits, [7000, 7000]);
    assert.equal(result.rateLimitWaits, 2);
  });

  it('gives up after three waits and returns the 429', async () => {
    mock.addFault({ route: '/profile/v1/me', kind: 'rate429', retryAfter: 1 });
    const result = await client.call({ method: 'GET', target: '/profile/v1/me' });
    assert.equal(result.status, 429);
    assert.equal(sleeps.length, 3);
  });

  it('sends the token only to the session\'s hosts', async () => {
    assert.equal(requireApiTarget(`${mock.url}/profile/v1/me`, token).origin, mock.url);
    assert.throws(() => requireApiTarget('https://evil.example.com/profile/v1/me', token), RefusedTargetError);
    assert.match((resolveApiTarget('profile/v1/me', token) as { message: string }).message, /neither a path/);
    await assert.rejects(client.call({ method: 'GET', target: 'https://example.com/x' }), RefusedTargetError);
    await assert.rejects(client.call({ method: 'GET /x HTTP/1.1\r\nHost: evil', target: '/profile/v1/me' }), ApiUsageError);
    assert.equal(mock.requests.length, 0);
  });

  it('reads a large body into place as it arrives: the same bytes, cut at the limit when larger', async () => {
    mock.addFault({ route: '/localities/v5/countries', kind: 'largeBody', mb: 3 });
    const whole = await client.call({ method: 'GET', target: '/localities/v5/countries' });
    assert.equal(whole.truncated, false);
    assert.equal(whole.body.length, whole.bytes);
    assert.ok(whole.bytes > 3 * 1024 * 1024);
    assert.equal(whole.body.byteOffset, 0, 'a buffer of its own, which a worker can take over');
    assert.equal(whole.body.buffer.byteLength, whole.body.length);
    const parsed = JSON.parse(whole.body.toString('utf8')) as { Resources: unknown[]; totalResults: number };
    assert.equal(parsed.Resources.length, parsed.totalResults);
    mock.addFault({ route: '/localities/v5/countries', kind: 'largeBody', mb: 3 });
    const cut = await client.call({ method: 'GET', target: '/localities/v5/countries', maxBodyBytes: 2 * 1024 * 1024 });
    assert.equal(cut.truncated, true);
    assert.equal(cut.body.length, 2 * 1024 * 1024);
    assert.ok(cut.bytes > 2 * 1024 * 1024);
    assert.equal(Buffer.compare(cut.body, whole.body.subarray(0, cut.body.length)), 0);
  });

  it('cuts a body at the size limit and says so', async () => {
    const users = await client.call({ method: 'GET', target: '/localities/v5/countries', maxBodyBytes: 1000 });
    assert.equal(users.truncated, true);
    assert.equal(users.body.length, 1000);
    assert.ok(users.bytes > 1000);
    const formatted = formatBody(users.body, users.contentType, true, 1);
    assert.equal(formatted.language, 'plaintext');
    assert.match(formatted.note ?? '', /cut at 1 MB/);
  });

  it('reads retry-after as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('12', 0), 12_000);
    assert.equal(retryAfterMs(new Date(60_000).toUTCString(), 0), 60_000);
    assert.equal(retryAfterMs(undefined, 0), 5_000);
  });
});

describe('error explanations', () => {
  const res = (status: number, body = '', url = `${GEO}/profile/v1/me`): ExplainResponse => ({
    status, url, correlationId: 'c0ffee00-0000-4000-8000-0000000000aa', body: Buffer.from(body), contentType: 'application/json',
  });

  it('says nothing for success', () => {
    assert.equal(explainResponse(res(200), { geolocation: GEO }), undefined);
  });

  it('401: the token was rejected even after a refresh: sign in again', () => {
    const e = explainResponse(res(401, '{"Message":"Invalid access token"}'), { geolocation: GEO, retriedAfter401: true });
    assert.match(e?.message ?? '', /even after it was refreshed\. Sign in again/);
    assert.match(e?.message ?? '', /Concur says: "Invalid access token"/);
    assert.match(e?.message ?? '', /Correlation id: c0ffee00/);
    assert.deepEqual(e?.actions, ['signIn']);
  });

  it('401 or 404 from another host: points at the geolocation', () => {
    for (const status of [401, 404]) {
      const e = explainResponse(res(status, '', 'https://us.api.concursolutions.com/profile/v1/me'), { geolocation: GEO });
      assert.match(e?.message ?? '', /resources live at its geolocation, https:\/\/us2\.api\.concursolutions\.com \(us2\)/);
      assert.deepEqual(e?.actions, ['callAtGeolocation']);
    }
  });

  it('403: names the scope the endpoint needs and the scopes the token has', () => {
    const e = explainResponse(res(403, '', `${GEO}/expensereports/v4/users/u/context/TRAVELER/reports/r`), {
      geolocation: GEO, endpoint: endpointById('expense.v4.report'), tokenScopes: ['openid', 'user.read'],
    });
    assert.match(e?.message ?? '', /needs the scope expense\.report\.read; the token has openid, user\.read/);
  });

  it('403 from Receipts for another user: the user id must be the token\'s sub', () => {
    const e = explainResponse(res(403, '', `${GEO}/receipts/v4/users/someone-else`), {
      geolocation: GEO, endpoint: endpointById('receipts.v4.user'), tokenScopes: ['receipts.read'], tokenType: 'user', sub: 'my-sub',
    });
    assert.match(e?.message ?? '', /only accepts the token's own user id \(its sub, my-sub\), not someone-else/);
  });

  it('429 and 5xx: try again, with the correlation id; HTML bodies read as their title', () => {
    assert.match(explainResponse(res(429), { geolocation: GEO, rateLimitWaits: 3 })?.message ?? '', /limiting the request rate and still was after 3 waits/);
    const html = { ...res(503, '<html><head><title>Service Unavailable</title></head></html>'), contentType: 'text/html' };
    const e = explainResponse(html, { geolocation: GEO });
    assert.match(e?.message ?? '', /HTTP 503 Service Unavailable: Concur had a problem.*HTML page "Service Unavailable".*Correlation id/);
    assert.deepEqual(e?.actions, ['retry']);
  });
});

describe('Copy as cURL', () => {
  const at = (path: string): ReturnType<typeof requireApiTarget> => requireApiTarget(path, { geolocation: GEO, baseUrl: GEO });
  const request = { method: 'GET', url: at(`/profile/v1/me?x='y'`), headers: { accept: 'application/json', authorization: 'Bearer real' } };

  it('puts $CONCUR_TOKEN in place of the token', () => {
    const curl = toCurl(request);
    assert.equal(curl, `curl -sS --globoff '${GEO}/profile/v1/me?x=%27y%27' \\\n  -H "Authorization: Bearer $CONCUR_TOKEN" \\\n  -H 'accept: application/json'`);
    assert.doesNotMatch(curl, /real|-k\b|--insecure/);
  });

  it('includes the token only when asked, quoted literally', () => {
    assert.match(toCurl(request, { accessToken: 'ey.tok.en' }), /-H 'Authorization: Bearer ey\.tok\.en'/);
  });

  it('sends a body with its method', () => {
    assert.match(toCurl({ method: 'POST', url: at('/x'), headers: {}, body: '{"a":"it\'s"}' }), /curl -sS --globoff -X 'POST' .* --data-raw '\{"a":"it'\\''s"\}'/s);
    assert.equal(shellQuote("a'b"), `'a'\\''b'`);
  });
});

describe('response bodies', () => {
  it('pretty-prints JSON and opens XML, HTML and text in their own modes', () => {
    assert.deepEqual(formatBody(Buffer.from('{"a":[1]}'), 'application/json'), { text: '{\n  "a": [\n    1\n  ]\n}', language: 'json', json: { a: [1] } });
    assert.equal(formatBody(Buffer.from('<ProfileResponse/>'), 'application/xml').language, 'xml');
    assert.equal(formatBody(Buffer.from('<!DOCTYPE html><html></html>'), '').language, 'html');
    assert.equal(formatBody(Buffer.from('plain'), 'text/plain').language, 'plaintext');
  });

  it('shows malformed JSON as it came, with a note', () => {
    const f = formatBody(Buffer.from('{"truncated": '), 'application/json');
    assert.equal(f.language, 'plaintext');
    assert.match(f.note ?? '', /not valid JSON/);
  });
});
