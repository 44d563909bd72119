import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ApiClient, type SessionToken, type TokenSource } from '../../src/concur/api';
import { revokeConnection } from '../../src/concur/connections';
import { HttpClient } from '../../src/concur/http';
import { startMockConcur, type MockConcur } from '../mock-concur';

describe('revoking the app\'s access (DELETE /app-mgmt/v0/connections)', function () {
  let mock: MockConcur;
  let http: HttpClient;
  const sourceFor = (token: SessionToken): TokenSource => ({ get: async () => token, refresh: async () => token });
  const userToken = (): SessionToken => ({ sessionId: 's1', accessToken: mock.issueTokens({}).access_token, geolocation: mock.geoUrl, baseUrl: mock.url });

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
  });
  after(() => mock.close());
  beforeEach(() => {
    http = new HttpClient({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
    mock.clearFaults();
    mock.resetLog();
  });
  afterEach(() => http.close());

  it('revokes at the session\'s geolocation, after which Concur takes none of the user\'s tokens', async () => {
    const token = userToken();
    const outcome = await revokeConnection(new ApiClient(http, sourceFor(token)), 's1');
    assert.equal(outcome.revoked, true);
    assert.deepEqual(mock.requests.map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo DELETE /app-mgmt/v0/connections 204']);
    const after = await new ApiClient(http, sourceFor(token)).call({ method: 'GET', target: '/profile/v1/me' });
    assert.equal(after.status, 401);
  });

  it('says why when Concur refuses (an app token) or fails (500), with Concur\'s words', async () => {
    const app: SessionToken = { ...userToken(), accessToken: mock.issueTokens({ principal: 'app' }).access_token };
    const refused = await revokeConnection(new ApiClient(http, sourceFor(app)), 's1');
    assert.equal(refused.revoked, false);
    assert.match(refused.revoked ? '' : refused.reason, /^Concur answered HTTP 403 \(.+\)\.$/);
    mock.addFault({ route: '/app-mgmt/v0/connections', kind: 'status500' });
    const failed = await revokeConnection(new ApiClient(http, sourceFor(userToken())), 's1');
    assert.deepEqual(failed.revoked ? undefined : failed.reason.slice(0, 25), 'Concur answered HTTP 500.');
  });

  it('turns a network failure into an outcome, and lets cancellation through', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const nowhere: SessionToken = { ...userToken(), geolocation: `http://127.0.0.1:${closed}`, baseUrl: `http://127.0.0.1:${closed}` };
    const outcome = await revokeConnection(new ApiClient(http, sourceFor(nowhere)), 's1');
    assert.equal(outcome.revoked, false);
    assert.match(outcome.revoked ? '' : outcome.reason, /127\.0\.0\.1/);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(revokeConnection(new ApiClient(http, sourceFor(userToken())), 's1', abort.signal), (e: unknown) => e instanceof Error && /cancel|abort/i.test(`${e.name} ${e.message}`));
  });
});
