/**
 * The calls the extension makes to Concur for a signed-in user beyond the API views: revoking the
 * app's access at sign-out, and reading the user's name after a browser sign-in. Both go through
 * the API client (and with it the resolver) against the local Concur server.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { accountName } from '../../../src/calls/accountName';
import { ApiClient, type SessionToken } from '../../../src/calls/apiClient';
import { revokeConnection } from '../../../src/calls/connections';
import { HttpClient } from '../../../src/platform/http';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { fixedTokens } from '../../support/fakes';

describe('calls on a user\'s behalf', function () {
  let mock: MockConcur;
  let http: HttpClient;
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

  describe('revoking the app\'s access (DELETE /app-mgmt/v0/connections)', () => {
    it('revokes at the session\'s geolocation, after which Concur takes none of the user\'s tokens', async () => {
      const token = userToken();
      const outcome = await revokeConnection(new ApiClient(http, fixedTokens(token)), 's1');
      assert.equal(outcome.revoked, true);
      assert.deepEqual(mock.requests.map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo DELETE /app-mgmt/v0/connections 204']);
      const after = await new ApiClient(http, fixedTokens(token)).call({ method: 'GET', target: '/profile/v1/me' });
      assert.equal(after.status, 401);
  });

  it('says why when Concur refuses (an app token) or fails (500), with Concur\'s words', async () => {
    const app: SessionToken = { ...userToken(), accessToken: mock.issueTokens({ principal: 'app' }).access_token };
    const refused = await revokeConnection(new ApiClient(http, fixedTokens(app)), 's1');
    assert.equal(refused.revoked, false);
    assert.match(refused.revoked ? '' : refused.reason, /^Concur answered HTTP 403 \(.+\)\.$/);
    mock.addFault({ route: '/app-mgmt/v0/connections', kind: 'status500' });
    const failed = await revokeConnection(new ApiClient(http, fixedTokens(userToken())), 's1');
    assert.match(failed.revoked ? '' : failed.reason, /^Concur answered HTTP 500\b/);
  });

  it('turns a network failure into an outcome, and lets cancellation through', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const nowhere: SessionToken = { ...userToken(), geolocation: `http://127.0.0.1:${closed}`, baseUrl: `http://127.0.0.1:${closed}` };
    const outcome = await revokeConnection(new ApiClient(http, fixedTokens(nowhere)), 's1');
    assert.equal(outcome.revoked, false);
    assert.match(outcome.revoked ? '' : outcome.reason, /127\.0\.0\.1/);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(revokeConnection(new ApiClient(http, fixedTokens(userToken())), 's1', abort.signal), (e: unknown) => e instanceof Error && /cancel|abort/i.test(`${e.name} ${e.message}`));
  });
  });

  describe('the name of a browser sign-in, from Concur\'s profile', () => {
    const named = (scopes?: string[], principal?: string): Promise<string | undefined> => {
      const issued = mock.issueTokens({ scopes, principal });
      const token: SessionToken = { sessionId: 's1', accessToken: issued.access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
      const api = new ApiClient(http, fixedTokens(token));
      return accountName(api, { id: 's1', accessToken: issued.access_token, idToken: issued.id_token, scopes: scopes ?? [] });
    };

    it('reads the user\'s own Profile v1 record where the token has user.read', async () => {
      assert.equal(await named(['openid', 'user.read']), mock.demo.username);
      assert.deepEqual(mock.requests.map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /profile/v1/me 200']);
  });

  it('asks nothing of a token without user.read: Identity v4.1 takes company tokens only', async () => {
    assert.equal(await named(['openid', 'identity.user.core.read']), undefined);
    assert.equal(await named(['openid', 'receipts.read']), undefined);
    assert.deepEqual(mock.requests, []);
  });

  it('keeps the label it has when Concur fails', async () => {
    mock.addFault({ route: '*', kind: 'status500' });
    assert.equal(await named(['openid', 'user.read']), undefined);
  });
  });
});
