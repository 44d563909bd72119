import assert from 'node:assert/strict';
import { FIXTURES, startMockConcur, type MockConcur } from '../../mock-concur';
import { FakeClock, UUID, get, send, token, type HttpResult, type Json } from './helpers';

describe('mock Concur: APIs', () => {
  let mock: MockConcur;
  const clock = new FakeClock();
  let user: Json;
  let company: Json;
  let limited: Json;

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 300 });
    user = (await token(mock.geoUrl, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password })).body;
    company = (await token(mock.url, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', credtype: 'authtoken', username: mock.demo.companyId, password: mock.demo.companyRequestToken })).body;
    const app = mock.demo.apps.find((a) => a.key === 'limited');
    assert.ok(app);
    limited = (await token(mock.geoUrl, { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password })).body;
  });
  after(() => mock.close());

  const api = (path: string, accessToken?: string, base?: string): ReturnType<typeof get> => get(`${base ?? mock.geoUrl}${path}`, accessToken);
  const me = (): string => mock.demo.userId;

  describe('Profile v1', () => {
    it('returns exactly the documented user fields at /profile/v1/me', async () => {
      const res = await api('/profile/v1/me', user.access_token);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), [
        'id', 'displayName', 'name', 'emails', 'phoneNumbers', 'addresses', 'active', 'userType', 'meta', 'schemas',
        'com:concur:Employee:1.0', 'com:concur:TravelPreferences:1.0',
      ]);
      assert.equal(res.body.id, me());
      assert.deepEqual(Object.keys(res.body.name), ['formatted', 'familyName', 'givenName']);
      assert.deepEqual(Object.keys(res.body.meta), ['created', 'lastModified', 'resourceType']);
      assert.ok(res.body['com:concur:Employee:1.0'].employeeId);
      assert.deepEqual(Object.keys(res.body['com:concur:TravelPreferences:1.0']), ['air', 'rail', 'car', 'hotel']);
      assert.ok(res.body.schemas.includes('com:concur:Employee:1.0'));
    });

    it('serves the concur.profile URL of the token', async () => {
      const res = await get(`${mock.geoUrl}/profile/v1/principals/${me()}`, user.access_token);
      assert.equal(res.status, 200);
      assert.equal(res.body.id, me());
    });

    it('is deterministic across servers', async () => {
      const other = await startMockConcur({ quiet: true, companyUsers: 300 });
      try {
        const a = await api('/profile/v1/me', user.access_token);
        const t = other.issueTokens();
        const b = await get(`${other.geoUrl}/profile/v1/me`, t.access_token);
        assert.deepEqual(a.body, b.body);
      } finally {
        await other.close();
      }
    });
  });

  describe('authorization', () => {
    const families: Array<{ name: string; path: () => string; shape: (body: Json) => void }> = [
      { name: 'legacy v1-v3', path: () => '/api/v3.0/expense/reports', shape: (b) => assert.deepEqual(Object.keys(b), ['Message', 'Server-Time', 'Id']) },
      { name: 'SCIM', path: () => '/profile/identity/v4/Users', shape: (b) => assert.equal(b.schemas[0], 'urn:ietf:params:scim:api:messages:2.0:Error') },
      { name: 'Expense v4', path: () => `/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, shape: (b) => assert.deepEqual(Object.keys(b), ['timestamp', 'httpStatus', 'errorMessage', 'errorId', 'path']) },
      { name: 'List v4', path: () => '/list/v4/lists', shape: (b) => assert.deepEqual(Object.keys(b), ['timestamp', 'httpStatus', 'error', 'path']) },
      { name: 'Localities v5', path: () => '/localities/v5/countries', shape: (b) => assert.equal(typeof b.errorMessage, 'string') },
    ];

    for (const family of families) {
      it(`answers a missing or unknown bearer with 401 and the ${family.name} error body`, async () => {
        for (const accessToken of [undefined, 'not-a-token']) {
          const res = await api(family.path(), accessToken);
          assert.equal(res.status, 401);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
          family.shape(res.body);
        }
      });
    }

    it('answers Receipts auth failures with 403 and an empty body', async () => {
      for (const accessToken of [undefined, 'not-a-token', limited.access_token]) {
        const res = await api(`/receipts/v4/users/${me()}`, accessToken);
        assert.equal(res.status, 403);
        assert.equal(res.text, '');
      }
    });

    it('answers a missing scope with 403 in each family', async () => {
      const v3 = await api('/api/v3.0/expense/reports', limited.access_token);
      assert.equal(v3.status, 403);
      assert.match(v3.body.Message, /EXPRPT/);
      const lists = await api('/list/v4/lists', limited.access_token);
      assert.equal(lists.status, 403);
      assert.equal(lists.body.httpStatus, '403 FORBIDDEN');
      const v4 = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, limited.access_token);
      assert.equal(v4.status, 403);
      assert.equal(v4.body.httpStatus, '403 FORBIDDEN');
      assert.equal((await api('/profile/v1/me', limited.access_token)).status, 200, 'user.read is granted');
    });

    it('serves Identity to company tokens only', async () => {
      assert.equal((await api('/profile/identity/v4/Users', user.access_token)).status, 403);
      assert.equal((await api('/profile/identity/v4/Users', company.access_token)).status, 200);
      const app = mock.issueTokens({ principal: 'app' });
      assert.equal((await api('/profile/identity/v4.1/Users', app.access_token)).status, 403);
      const noIdentity = mock.issueTokens({ principal: 'company', scopes: ['user.read'] });
      assert.equal((await api('/profile/identity/v4/Users', noIdentity.access_token)).status, 403);
    });

    it('answers 401 at the landing datacenter, where the token is unknown', async () => {
      const res = await api('/profile/v1/me', user.access_token, mock.url);
      assert.equal(res.status, 401);
      assert.equal(res.body.Message, 'Invalid access token');
    });

    it('answers 401 once the access token has expired', async () => {
      const shortLived = mock.issueTokens({ lifetime: 60 });
      assert.equal((await api('/profile/v1/me', shortLived.access_token)).status, 200);
      clock.advance(61);
      const res = await api('/profile/v1/me', shortLived.access_token);
      assert.equal(res.status, 401);
      assert.equal(res.body.Message, 'Access token has expired');
      assert.equal((await api('/profile/v1/me', user.access_token)).status, 200, 'the hour-long token still works');
    });

    it('accepts a lower-case bearer scheme', async () => {
      const res = await get(`${mock.geoUrl}/profile/v1/me`, undefined, { authorization: `bearer ${user.access_token}` });
      assert.equal(res.status, 200);
    });

    it('answers other methods with 405 and unknown paths with 404', async () => {
      assert.equal((await send(`${mock.geoUrl}/profile/v1/me`, 'DELETE')).status, 405);
      const missing = await api('/nothing/here', user.access_token);
      assert.equal(missing.status, 404);
      assert.ok(missing.body.Message);
    });
  });

  describe('Receipts v4', () => {
    it("serves the token subject's receipts and rejects any other user id with an empty 403", async () => {
      const own = await api(`/receipts/v4/users/${me()}`, user.access_token);
      assert.equal(own.status, 200);
      assert.ok(own.body.receipts.length > 0);
      assert.ok(own.body.receipts.every((r: Json) => r.userId === me()));
      const other = mock.demo.users[1].id;
      const res = await api(`/receipts/v4/users/${other}`, user.access_token);
      assert.equal(res.status, 403);
      assert.equal(res.text, '');
      const byCompany = await api(`/receipts/v4/users/${me()}`, company.access_token);
      assert.equal(byCompany.status, 403, 'a company token is not the user');
    });

    it('takes an image-only receipt as multipart/form-data (202), keeps the body as it arrived, refuses a malformed form, no image or another type', async () => {
      const url = `${mock.geoUrl}/receipts/v4/users/${me()}/image-only-receipts`;
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 0, 255]);
      const form = new FormData();
      form.append('image', new Blob([png], { type: 'image/png' }), 'receipt.png');
      mock.resetLog();
      const posted = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${user.access_token}` }, body: form });
      assert.equal(posted.status, 202);
      assert.match(posted.headers.get('location') ?? '', /\/receipts\/v4\/[0-9a-f]{32}$/);
      assert.match(posted.headers.get('link') ?? '', /rel="processing-status"/);
      const logged = mock.requests.find((r) => r.path.endsWith('/image-only-receipts'));
      assert.ok(logged?.body && logged.body.includes(Buffer.from(png)), 'the body as it arrived');
      assert.match(logged.contentType ?? '', /^multipart\/form-data; boundary=/);
      const raw = (lineEnd: string, type = 'image/png', name = 'image'): string =>
        ['--b', `Content-Disposition: form-data; name="${name}"; filename="r.png"`, `Content-Type: ${type}`, '', 'PNG', '--b--', ''].join(lineEnd);
      const post = (body: string, type = 'multipart/form-data; boundary=b'): Promise<Response> =>
        fetch(url, { method: 'POST', headers: { authorization: `Bearer ${user.access_token}`, 'content-type': type }, body });
      assert.equal((await post(raw('\r\n'))).status, 202);
      assert.equal((await post(raw('\n'))).status, 400, 'bare LF line ends');
      assert.equal((await post(raw('\r\n', 'image/png', 'picture'))).status, 400, 'no image part');
      assert.equal((await post(raw('\r\n', 'text/plain'))).status, 415);
      assert.equal((await post('{}', 'application/json')).status, 415);
      // Token requests are not kept with their bodies: they carry passwords.
      assert.ok(mock.requests.filter((r) => r.path.startsWith('/oauth2/')).every((r) => r.body === undefined));
    });
  });

  describe('Expense v4', () => {
    it('reads a report, its expenses and the reports to approve', async () => {
      const v3 = await api('/api/v3.0/expense/reports?limit=1', user.access_token);
      const reportId = v3.body.Items[0].ID;
      const report = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/${reportId}`, user.access_token);
      assert.equal(report.status, 200);
      assert.equal(report.body.reportId, reportId);
      assert.equal(report.body.userId, me());
      const expenses = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/${reportId}/expenses`, user.access_token);
      assert.equal(expenses.status, 200);
      const sum = expenses.body.reduce((s: number, e: Json) => s + Math.round(e.transactionAmount.value * 100), 0);
      assert.equal(sum, Math.round(report.body.reportTotal.value * 100));
      const queue = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, user.access_token);
      assert.equal(queue.status, 200);
      assert.ok(queue.body.length >= 8);
      const pending = queue.body[0].reportId;
      const asManager = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reports/${pending}`, user.access_token);
      assert.equal(asManager.status, 200);
      assert.equal(asManager.body.approvalStatusId, 'A_PEND');
      assert.equal((await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/${pending}`, user.access_token)).status, 404);
    });

    it('rejects an unknown context with 400, another user with 403, an unknown report with 404', async () => {
      const bad = await api(`/expensereports/v4/users/${me()}/context/AUDITOR/reports/ABC`, user.access_token);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.validationErrors[0].id, 'contextType');
      const other = await api(`/expensereports/v4/users/${mock.demo.users[1].id}/context/TRAVELER/reports/ABC`, user.access_token);
      assert.equal(other.status, 403);
      const missing = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/0000`, user.access_token);
      assert.equal(missing.status, 404);
      const toApprove = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reportsToApprove`, user.access_token);
      assert.equal(toApprove.status, 400);
    });

    it('lets a company token read any user', async () => {
      const res = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, company.access_token);
      assert.equal(res.status, 200);
    });
  });

  describe('Spend v4.1, Lists v4 and Localities v5', () => {
    it('reads a Spend user (own with a user token, any with a company token)', async () => {
      const own = await api(`/profile/spend/v4.1/Users/${me()}`, user.access_token);
      assert.equal(own.status, 200);
      assert.ok(own.body['urn:ietf:params:scim:schemas:extension:spend:2.0:User'].reimbursementCurrency);
      assert.equal((await api(`/profile/spend/v4.1/Users/${mock.demo.users[1].id}`, user.access_token)).status, 403);
      assert.equal((await api(`/profile/spend/v4.1/Users/${mock.demo.users[1].id}`, company.access_token)).status, 200);
      assert.equal((await api('/profile/spend/v4.1/Users/unknown', company.access_token)).status, 404);
    });

    it('reads lists and items, with 404 for unknown ids', async () => {
      const lists = await api('/list/v4/lists', user.access_token);
      assert.match(lists.headers.get('content-type') ?? '', /^application\/json;charset=UTF-8$/);
      const projects = lists.body.content.find((l: Json) => l.value === 'Projects');
      assert.equal(projects.levelCount, 2);
      const list = await api(`/list/v4/lists/${projects.id}`, user.access_token);
      assert.equal(list.body.value, 'Projects');
      const children = await api(`/list/v4/lists/${projects.id}/children`, user.access_token);
      const first = children.body.content[0];
      assert.equal(first.lists[0].hasChildren, true);
      const item = await api(`/list/v4/items/${first.id}`, user.access_token);
      assert.equal(item.body.code, first.code);
      const tasks = await api(`/list/v4/items/${first.id}/children`, user.access_token);
      assert.ok(tasks.body.content.length >= 2);
      assert.ok(tasks.body.content.every((t: Json) => t.parentId === first.id && t.level === 2 && t.code.startsWith(`${first.code}-`)));
      const missing = await api('/list/v4/lists/00000000-0000-4000-8000-000000000000', user.access_token);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.id, 'LIST_NOT_FOUND');
      assert.equal(missing.body.path, '/list/v4/lists/00000000-0000-4000-8000-000000000000');
    });

    it('reads countries for user, company and app tokens', async () => {
      const app = mock.issueTokens({ principal: 'app' });
      for (const t of [user.access_token, company.access_token, app.access_token]) {
        const res = await api('/localities/v5/countries', t);
        assert.equal(res.status, 200);
        assert.ok(res.body.countries.some((c: Json) => c.code === 'US'));
      }
      const us = await api('/localities/v5/countries/us', user.access_token);
      assert.equal(us.body.code, 'US');
      assert.equal(us.body.alpha3Code, 'USA');
      assert.equal((await api('/localities/v5/countries/QQ', user.access_token)).status, 404);
      assert.equal((await api('/localities/v5/countries/USA', user.access_token)).status, 400);
    });
  });

  describe('correlation ids', () => {
    it('puts a concur-correlationid UUID on every kind of response', async () => {
      const responses = [
        await api('/profile/v1/me', user.access_token),
        await api('/profile/v1/me'),
        await api(`/receipts/v4/users/${me()}`),
        await api('/nothing'),
        await get(`${mock.url}/oauth2/v0/jwks`),
        await get(`${mock.url}/oauth2/v0/authorize?client_id=${mock.demo.clientId}&redirect_uri=http://127.0.0.1/cb&response_type=code`),
        await get(`${mock.url}/_mock/counters`),
        await get(`${mock.url}/_mock/nothing`),
        await token(mock.url, {}),
      ];
      for (const res of responses) {
        assert.match(res.headers.get('concur-correlationid') ?? '', UUID);
      }
    });

    it('echoes the caller-sent id on API responses', async () => {
      const res = await get(`${mock.geoUrl}/profile/v1/me`, user.access_token, { 'concur-correlationid': 'abc-123' });
      assert.equal(res.headers.get('concur-correlationid'), 'abc-123');
      assert.equal(mock.requests.at(-1)?.correlationId, 'abc-123');
    });
  });
});

describe('mock Concur: revoking a connection (DELETE /app-mgmt/v0/connections)', () => {
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

  const revoke = (base: string, accessToken?: string, method = 'DELETE'): Promise<HttpResult> =>
    send(`${base}/app-mgmt/v0/connections`, method, undefined, accessToken ? { authorization: `Bearer ${accessToken}` } : {});
  const signIn = async (clientId = mock.demo.clientId, clientSecret = mock.demo.clientSecret, username = mock.demo.username, base = mock.geoUrl): Promise<Json> =>
    (await token(base, { client_id: clientId, client_secret: clientSecret, grant_type: 'password', username, password: mock.demo.password })).body;
  const refresh = async (refreshToken: string, clientId = mock.demo.clientId, clientSecret = mock.demo.clientSecret): Promise<Json> =>
    (await token(mock.geoUrl, { client_id: clientId, client_secret: clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken })).body;
  const me = (accessToken: string): Promise<number> => get(`${mock.geoUrl}/profile/v1/me`, accessToken).then((r) => r.status);

  it("ends the user's grant to the token's app: 204, and every token of theirs for that app stops working", async () => {
    const first = await signIn();
    const second = await signIn();
    const limitedApp = mock.demo.apps.find((a) => a.key === 'limited');
    assert.ok(limitedApp);
    const other = await signIn(limitedApp.clientId, limitedApp.clientSecret);
    const res = await revoke(mock.geoUrl, first.access_token);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.match(res.headers.get('concur-correlationid') ?? '', UUID);
    assert.equal(await me(first.access_token), 401);
    assert.equal(await me(second.access_token), 401, 'every access token of the user for this app');
    assert.equal((await refresh(first.refresh_token)).code, 108);
    assert.equal((await refresh(second.refresh_token)).code, 108);
    assert.equal(await me(other.access_token), 200, "another app's tokens live on");
    assert.ok((await refresh(other.refresh_token, limitedApp.clientId, limitedApp.clientSecret)).access_token);
    assert.equal(mock.counters.connectionsRevoked, 1);
  });

  it("revokes a company's grant with a company token", async () => {
    const company = (await token(mock.url, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', credtype: 'authtoken', username: mock.demo.companyId, password: mock.demo.companyRequestToken })).body;
    const user = await signIn();
    assert.equal((await revoke(mock.geoUrl, company.access_token)).status, 204);
    assert.equal((await refresh(company.refresh_token)).code, 108);
    assert.equal(await me(user.access_token), 200, "the users' own grants are theirs");
  });

  it('answers a missing, unknown, expired or other-datacenter token with 401 and the API error body', async () => {
    const expiring = mock.issueTokens({ lifetime: 60 });
    const user = await signIn();
    clock.advance(61);
    const cases: Array<[string, string | undefined, string, string]> = [
      ['missing', undefined, mock.geoUrl, 'Authorization header with a Bearer token is required'],
      ['unknown', 'not-a-token', mock.geoUrl, 'Invalid access token'],
      ['expired', expiring.access_token, mock.geoUrl, 'Access token has expired'],
      ['other datacenter', user.access_token, mock.url, 'Invalid access token'],
    ];
    for (const [what, accessToken, base, message] of cases) {
      const res = await revoke(base, accessToken);
      assert.equal(res.status, 401, what);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /, what);
      assert.deepEqual(Object.keys(res.body), ['Message', 'Server-Time', 'Id'], what);
      assert.equal(res.body.Message, message, what);
    }
    assert.equal(await me(user.access_token), 200, 'nothing was revoked');
    assert.equal(mock.counters.connectionsRevoked, 0);
  });

  it('serves the landing datacenter too, for the tokens it issued', async () => {
    const resident = await signIn(undefined, undefined, 'glz.resident@globex.example', mock.url);
    assert.equal((await revoke(mock.url, resident.access_token)).status, 204);
    assert.equal((await get(`${mock.url}/profile/v1/me`, resident.access_token)).status, 401);
  });

  it('refuses an app token with 403 and says why', async () => {
    const app = mock.issueTokens({ principal: 'app' });
    const res = await revoke(mock.geoUrl, app.access_token);
    assert.equal(res.status, 403);
    assert.match(res.body.Message, /app token \(client credentials\) has no user or company connection/);
    assert.equal(mock.counters.connectionsRevoked, 0);
  });

  it('answers other methods with 405 and allow: DELETE', async () => {
    const user = await signIn();
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await revoke(mock.geoUrl, user.access_token, method);
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'DELETE');
    }
    assert.equal(await me(user.access_token), 200);
  });

  it('can be faulted like any path, and is logged', async () => {
    const user = await signIn();
    mock.addFault({ route: '/app-mgmt/v0/connections', kind: 'status500', times: 1 });
    assert.equal((await revoke(mock.geoUrl, user.access_token)).status, 500);
    assert.equal(await me(user.access_token), 200, 'a faulted revoke revokes nothing');
    assert.equal((await revoke(mock.geoUrl, user.access_token)).status, 204);
    assert.deepEqual(mock.requests.filter((r) => r.path === '/app-mgmt/v0/connections').map((r) => [r.method, r.status, r.fault]), [
      ['DELETE', 500, 'status500'],
      ['DELETE', 204, undefined],
    ]);
  });
});

describe('mock Concur: the write endpoints, one read and one write of every family', () => {
  let mock: MockConcur;
  let user: string;
  let company: string;
  const me = (): string => mock.demo.userId;
  const call = (method: string, path: string, accessToken: string, body?: unknown): Promise<HttpResult> =>
    send(`${mock.geoUrl}${path}`, method, body, { authorization: `Bearer ${accessToken}` });
  const at = (location: string | null): string => new URL(location ?? '').pathname;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 300 });
    user = mock.issueTokens().access_token;
    company = mock.issueTokens({ principal: 'company' }).access_token;
  });
  after(() => mock.close());

  it('Expense v4: creates a report, an expense, an itemization; changes the report, an allocation and the attendees', async () => {
    const base = `/expensereports/v4/users/${me()}/context/TRAVELER`;
    const created = await call('POST', `${base}/reports`, user, { name: 'Boston workshop', businessPurpose: 'Customer workshop' });
    assert.equal(created.status, 201);
    assert.equal(created.body.uri, created.headers.get('location'));
    const reportPath = at(created.headers.get('location'));
    const report = await call('GET', reportPath, user);
    assert.equal(report.status, 200);
    assert.equal(report.body.name, 'Boston workshop');
    assert.equal(report.body.approvalStatusId, 'A_NOTF');
    assert.equal((await call('PATCH', reportPath, user, { name: 'Boston workshop (July)' })).status, 204);
    assert.equal((await call('GET', reportPath, user)).body.name, 'Boston workshop (July)');

    const expense = await call('POST', `${reportPath}/expenses`, user, { expenseType: { id: 'LODNG' }, transactionAmount: { value: 289.5, currencyCode: 'USD' }, transactionDate: '2025-07-14', paymentType: { id: 'CASH' } });
    assert.equal(expense.status, 201);
    const expensePath = at(expense.headers.get('location'));
    const read = await call('GET', expensePath, user);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.transactionAmount, { value: 289.5, currencyCode: 'USD' });
    assert.equal((await call('GET', reportPath, user)).body.reportTotal.value, 289.5);
    assert.equal((await call('PATCH', expensePath, user, { businessPurpose: 'Hotel, 3 nights' })).status, 204);
    assert.equal((await call('GET', expensePath, user)).body.businessPurpose, 'Hotel, 3 nights');

    const itemized = await call('GET', `${expensePath}/itemizations`, user);
    assert.equal(itemized.status, 200);
    assert.equal(itemized.body.length, 2, 'hotel bills come itemized');
    assert.equal((await call('POST', `${expensePath}/itemizations`, user, { expenseType: { id: 'LODGT' }, transactionAmount: { value: 12, currencyCode: 'USD' }, transactionDate: '2025-07-15' })).status, 201);
    assert.equal((await call('GET', `${expensePath}/itemizations`, user)).body.length, 3);

    const allocations = await call('GET', `${expensePath}/allocations`, user);
    assert.equal(allocations.status, 200);
    assert.equal(allocations.body[0].percentage, 100);
    const allocationPath = at(allocations.body[0].links[0].href);
    assert.equal((await call('PATCH', allocationPath, user, { percentage: 60, customData: [{ id: 'custom1', value: 'CC1042' }] })).status, 204);
    const allocation = await call('GET', allocationPath, user);
    assert.equal(allocation.body.percentage, 60);
    assert.equal(allocation.body.customData[0].value, 'CC1042');

    const attendees = await call('GET', `${expensePath}/attendees`, user);
    assert.equal(attendees.status, 200);
    assert.equal(attendees.body.expenseAttendeeList.length, 1);
    const guest = { attendeeId: 'A1B2C3', transactionAmount: { value: 100, currencyCode: 'USD' } };
    assert.equal((await call('PUT', `${expensePath}/attendees`, user, { expenseAttendeeList: [guest], noShowAttendeeCount: 1 })).status, 204);
    assert.deepEqual((await call('GET', `${expensePath}/attendees`, user)).body, { expenseAttendeeList: [guest], noShowAttendeeCount: 1 });
  });

  it('Expense v3: lists attendees and adds one', async () => {
    const list = await call('GET', '/api/v3.0/expense/attendees?limit=5', user);
    assert.equal(list.status, 200);
    assert.equal(list.body.Items.length, 5);
    assert.match(list.body.NextPage, /offset=/);
    const created = await call('POST', '/api/v3.0/expense/attendees', user, { AttendeeTypeID: 'BUSGUEST', FirstName: 'Ada', LastName: 'Lovelace', ExternalID: 'EXT-1' });
    assert.equal(created.status, 200);
    assert.match(created.body.ID, /^[0-9A-F]{32}$/);
    const found = await call('GET', '/api/v3.0/expense/attendees?externalID=EXT-1', user);
    assert.deepEqual(found.body.Items.map((a: Json) => a.LastName), ['Lovelace']);
  });

  it('Identity v4.1: creates, reads, patches and searches users with a company token', async () => {
    const created = await call('POST', '/profile/identity/v4.1/Users', company, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'new.hire@globex.example', name: { givenName: 'New', familyName: 'Hire' },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, UUID);
    const path = at(created.headers.get('location'));
    assert.equal((await call('GET', path, company)).body.userName, 'new.hire@globex.example');
    const patched = await call('PATCH', path, company, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Analyst' }] });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.title, 'Analyst');
    assert.equal((await call('GET', path, company)).body.title, 'Analyst');
    const search = await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName eq "new.hire@globex.example"' });
    assert.equal(search.status, 200);
    assert.deepEqual(search.body.Resources.map((u: Json) => u.id), [created.body.id]);
    const demo = await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: [], filter: `userName eq "${mock.demo.username}"` });
    assert.equal(demo.body.Resources[0].id, me());
    const bad = await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: [], filter: 'userName is nice' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidFilter');
    assert.equal((await call('POST', '/profile/identity/v4.1/Users', user, { schemas: [], userName: 'x', name: {} })).status, 403, 'company tokens only');
  });

  it('User Provisioning v4 and Spend user v4.1: a batch and its status; a spend setting changed', async () => {
    const batch = await call('POST', '/profile/v4/provisions', company, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', bulkId: 'hire-1', path: '/Users', data: { userName: 'bulk@globex.example' } }],
    });
    assert.equal(batch.status, 202);
    const status = await call('GET', `${at(batch.headers.get('location'))}?attributes=operations`, company);
    assert.equal(status.status, 200);
    assert.equal(status.body.status, 'COMPLETED');
    assert.equal(status.body.operations[0].bulkId, 'hire-1');

    const spend = 'urn:ietf:params:scim:schemas:extension:spend:2.0:User';
    const patched = await call('PATCH', `/profile/spend/v4.1/Users/${me()}`, company, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: `${spend}:reimbursementCurrency`, value: 'EUR' }],
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body[spend].reimbursementCurrency, 'EUR');
    assert.equal((await call('GET', `/profile/spend/v4.1/Users/${me()}`, user)).body[spend].reimbursementCurrency, 'EUR');
  });

  it('Lists v4: creates a list and an item, updates and deletes the item', async () => {
    const list = await call('POST', '/list/v4/lists', company, { value: 'Vessels', levelCount: 1, searchCriteria: 'TEXT', displayFormat: '(CODE) TEXT', category: { id: 'c1', type: 'Normal' } });
    assert.equal(list.status, 201);
    assert.match(list.headers.get('content-type') ?? '', /charset=UTF-8/);
    assert.ok((await call('GET', '/list/v4/lists', user)).body.content.some((l: Json) => l.value === 'Vessels'));
    const item = await call('POST', '/list/v4/items', company, { listId: list.body.id, shortCode: 'MV1', value: 'Motor vessel 1' });
    assert.equal(item.status, 201);
    assert.equal(at(item.headers.get('location')), `/list/v4/items/${item.body.id}`);
    assert.deepEqual((await call('GET', `/list/v4/lists/${list.body.id}/children`, user)).body.content.map((i: Json) => i.code), ['MV1']);
    const renamed = await call('PUT', `/list/v4/items/${item.body.id}`, company, { shortCode: 'MV1', value: 'Motor vessel one' });
    assert.equal(renamed.status, 200);
    assert.equal((await call('GET', `/list/v4/items/${item.body.id}`, user)).body.value, 'Motor vessel one');
    assert.equal((await call('DELETE', `/list/v4/items/${item.body.id}`, company)).status, 204);
    assert.equal((await call('GET', `/list/v4/items/${item.body.id}`, user)).status, 404);
  });

  it('Receipts v4: posts a receipt (202 with its location) that the user\'s receipts then include', async () => {
    const posted = await call('POST', `/receipts/v4/users/${me()}`, user, { dateTime: '2025-07-14T12:30:00', total: 42.5, currencyCode: 'USD', merchant: { name: 'Union Oyster House' } });
    assert.equal(posted.status, 202);
    assert.match(posted.headers.get('location') ?? '', /\/receipts\/v4\/[0-9a-f]{32}$/);
    const receipts = await call('GET', `/receipts/v4/users/${me()}`, user);
    assert.ok(receipts.body.receipts.some((r: Json) => r.receipt.merchant.name === 'Union Oyster House' && r.receipt.total === 42.5));
    assert.equal((await call('POST', `/receipts/v4/users/${me()}`, company, { dateTime: 'x', total: 1, currencyCode: 'USD', merchant: {} })).status, 403);
  });

  it('Request v4: lists, creates, reads, updates and deletes a travel request', async () => {
    const list = await call('GET', '/travelrequest/v4/requests?view=ALL', user);
    assert.equal(list.status, 200);
    assert.equal(list.body.data.length, 4);
    const created = await call('POST', '/travelrequest/v4/requests', user, { name: 'Lyon training', policy: { id: 'F4C8BD31CA9D4D6292795BE687EB9B2A' }, startDate: '2025-09-01', endDate: '2025-09-03' });
    assert.equal(created.status, 201);
    assert.equal(created.body.approvalStatus.code, 'NOT_SUBMITTED');
    const path = at(created.headers.get('location'));
    assert.equal((await call('GET', path, user)).body.name, 'Lyon training');
    assert.equal((await call('PUT', path, user, { name: 'Lyon training (2 days)', policy: { id: 'F4C8BD31CA9D4D6292795BE687EB9B2A' } })).body.name, 'Lyon training (2 days)');
    assert.equal((await call('GET', '/travelrequest/v4/requests?view=UNSUBMITTED', user)).body.data[0].id, created.body.id);
    assert.equal((await call('DELETE', path, user)).status, 204);
    assert.equal((await call('GET', path, user)).status, 404);
    assert.equal((await call('POST', '/travelrequest/v4/requests', company, { name: 'x', policy: { id: 'p' } })).body.errorId, 'missingRequiredParam');
  });

  it('Cash Advance v4.1: creates, reads and issues a cash advance', async () => {
    const created = await call('POST', '/cashadvance/v4.1/cashadvances', user, { amountRequested: { amount: '300', currency: 'USD' }, name: 'Cash for Lyon', userId: me() });
    assert.equal(created.status, 201);
    const path = `/cashadvance/v4.1/cashadvances/${created.body.cashAdvanceId}`;
    const read = await call('GET', path, user);
    assert.equal(read.body.approvalStatus.code, 'C_NOTF');
    assert.equal(read.body.amountRequested.amount, '300.00');
    const issued = await call('POST', `${path}/issue`, company, { comment: 'Paid at the desk' });
    assert.equal(issued.status, 201);
    assert.equal(issued.body.status.code, 'C_ISSU');
    assert.equal((await call('GET', path, user)).body.issuedDate, issued.body.issuedDate);
    assert.equal((await call('GET', `/cashadvance/v4.1/cashadvances/${FIXTURES.cashAdvanceId}`, user)).body.approvalStatus.code, 'C_APPR');
  });

  it('Quick Expense v4 and Itinerary v4: creates and reads quick expenses; reads the demo trip', async () => {
    const base = `/quickexpense/v4/users/${me()}/context/TRAVELER/quickexpenses`;
    const created = await call('POST', base, user, { transactionAmount: { value: 88.05, currencyCode: 'USD' }, transactionDate: '2025-07-15', expenseTypeId: 'BUSML' });
    assert.equal(created.status, 201);
    const path = at(created.body.quickExpenseIdUri);
    assert.equal((await call('GET', path, user)).body.expenseTypeId, 'BUSML');
    assert.equal((await call('GET', base, user)).body.length, 4);
    const trip = await call('GET', `/travel/trips/api/v4/trip/${FIXTURES.tripId}`, user);
    assert.equal(trip.status, 200);
    assert.equal(trip.body.Bookings[0].Segments.Air[0].EndCityCode, 'BOS');
    assert.equal((await call('GET', '/travel/trips/api/v4/trip/00000000-0000-4000-8000-000000000000', user)).status, 404);
  });

  it('Invoice v3: payment requests, vendors and purchase orders', async () => {
    const digests = await call('GET', '/api/v3.0/invoice/paymentrequestdigests?limit=10', company);
    assert.equal(digests.body.Items.length, 10);
    assert.equal((await call('GET', at(digests.body.Items[0].PaymentRequestUri), company)).status, 200);
    const vendors = await call('GET', '/api/v3.0/invoice/vendors?limit=2', company);
    const vendor = vendors.body.Items[0];
    const created = await call('POST', '/api/v3.0/invoice/paymentrequest', company, { CurrencyCode: 'USD', InvoiceNumber: 'INV-1', InvoiceAmount: '120.00', VendorRemitAddress: { VendorCode: vendor.VendorCode, AddressCode: vendor.AddressCode } });
    assert.equal(created.status, 200);
    assert.equal((await call('GET', at(created.body.URI), company)).body.InvoiceNumber, 'INV-1');
    const added = await call('POST', '/api/v3.0/invoice/vendors', company, { Vendor: [{ VendorCode: 'V900', AddressCode: 'MAIN', VendorName: 'Initech' }, { VendorCode: 'V901' }] });
    assert.deepEqual(added.body.Vendor.map((v: Json) => v.Status), ['SUCCESS', 'FAILURE']);
    assert.equal((await call('GET', '/api/v3.0/invoice/vendors?vendorCode=V900', company)).body.Items[0].VendorName, 'Initech');
    const po = await call('POST', '/api/v3.0/invoice/purchaseorders', company, { PurchaseOrderNumber: 'PO-9', CurrencyCode: 'USD', VendorCode: 'V900', VendorAddressCode: 'MAIN', LineItem: [{ LineNumber: 1, Quantity: 2, UnitPrice: 5 }] });
    assert.equal(po.status, 200);
    assert.equal((await call('GET', '/api/v3.0/invoice/purchaseorders/PO-9', company)).body.VendorCode, 'V900');
  });

  it('Budget v4 and Financial Integration v4: saves and deletes a budget; acknowledges and confirms a transaction', async () => {
    const budgets = await call('GET', '/budget/v4/budgetItemHeader?adminView=true', user);
    assert.equal(budgets.body.budgetItemHeaders.length, 6);
    assert.equal((await call('GET', `/budget/v4/budgetItemHeader/${budgets.body.budgetItemHeaders[1].id}`, user)).body.budgetItemDetails.length, 4);
    const saved = await call('POST', '/budget/v4/budgetItemHeader', user, {
      name: 'Legal-US', description: 'Legal travel', budgetItemStatusType: 'OPEN', periodType: 'YEARLY', currencyCode: 'USD', fiscalYear: { id: 'b1f2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }, owner: { email: mock.demo.username },
      budgetItemDetails: [{ amount: 5000, fiscalPeriod: { id: 'fy2025' } }],
    });
    assert.equal(saved.status, 200);
    assert.equal((await call('GET', `/budget/v4/budgetItemHeader/${saved.body.id}`, user)).body.annualBudget, 5000);
    assert.equal((await call('DELETE', `/budget/v4/budgetItemHeader/${saved.body.id}`, user)).status, 204);

    const fis = '/financialintegration/fi/v4/companies/transactiontypes/EXPENSE/transactions';
    const ready = await call('GET', fis, company);
    assert.equal(ready.status, 200);
    const first = ready.body.transactions[0].transactionId;
    const ack = await call('POST', `${fis}/acknowledge`, company, { transactionIds: [first, 'nope'] });
    assert.deepEqual(ack.body.results.map((r: Json) => r.status), ['SUCCESS', 'FAILURE']);
    assert.equal((await call('GET', fis, company)).body.totalCount, ready.body.totalCount - 1);
    const confirmed = await call('POST', `${fis}/${first}/confirmation`, company, { status: 'SUCCESS', erpDocumentNumber: 'JE-1001' });
    assert.equal(confirmed.body.documentStatus, 'POSTED');
    assert.equal((await call('GET', fis, user)).status, 403, 'company tokens only');
  });

  it('answers a write without a required field, or with no JSON, with 400 in the family\'s error shape', async () => {
    const v4 = await call('POST', `/quickexpense/v4/users/${me()}/context/TRAVELER/quickexpenses`, user, { transactionAmount: { value: 1, currencyCode: 'USD' } });
    assert.equal(v4.status, 400);
    assert.deepEqual(Object.keys(v4.body), ['timestamp', 'httpStatus', 'errorMessage', 'errorId', 'path', 'validationErrors']);
    assert.equal(v4.body.validationErrors[0].id, 'transactionDate');
    const scim = await call('POST', '/profile/identity/v4.1/Users', company, { schemas: [], name: {} });
    assert.equal(scim.status, 400);
    assert.equal(scim.body.schemas[0], 'urn:ietf:params:scim:api:messages:2.0:Error');
    assert.match(scim.body.detail, /userName/);
    const list = await call('POST', '/list/v4/items', company, { listId: 'x' });
    assert.equal(list.status, 400);
    assert.match(list.body.error.message, /shortCode, value/);
    const legacy = await call('POST', '/api/v3.0/expense/attendees', user, 'not json');
    assert.equal(legacy.status, 400);
    assert.deepEqual(Object.keys(legacy.body), ['Message', 'Server-Time', 'Id']);
    const receipts = await call('POST', `/receipts/v4/users/${me()}`, user, { total: 1 });
    assert.equal(receipts.status, 400);
    assert.match(receipts.body.message, /dateTime/);
  });

  it('answers an unknown method on a known path with 405 and the methods it allows', async () => {
    const lists = await call('PUT', '/list/v4/lists', user, {});
    assert.equal(lists.status, 405);
    assert.equal(lists.headers.get('allow'), 'GET, POST');
    assert.equal(lists.body.httpStatus, '405 METHOD_NOT_ALLOWED');
    const item = await call('PATCH', '/list/v4/items/abc', user, {});
    assert.equal(item.headers.get('allow'), 'GET, PUT, DELETE');
    const me1 = await call('DELETE', '/profile/v1/me', user);
    assert.equal(me1.status, 405);
    assert.equal(me1.headers.get('allow'), 'GET');
  });
});
