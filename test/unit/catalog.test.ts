import * as assert from 'node:assert/strict';
import { accessProblem, buildRequestPath, CATALOG, catalogByProduct, endpointById, matchesFilter, prefill, statusNote } from '../../src/concur/catalog';

describe('endpoint catalog', () => {
  // The GET paths of Concur's API reference the catalog offers, each with its scope.
  const documented: [string, string][] = [
    ['/profile/v1/me', 'user.read'],
    ['/profile/identity/v4/Users', 'identity.user.core.read'],
    ['/profile/identity/v4/Users/{id}', 'identity.user.core.read'],
    ['/profile/identity/v4.1/Users', 'identity.user.core.read'],
    ['/profile/spend/v4.1/Users/{id}', 'spend.user.general.read'],
    ['/api/v3.0/expense/reports', 'EXPRPT'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}', 'expense.report.read'],
    ['/expensereports/v4/users/{userId}/context/MANAGER/reportsToApprove', 'expense.report.read'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses', 'expense.report.read'],
    ['/list/v4/lists', 'spend.list.read'],
    ['/list/v4/lists/{listId}', 'spend.list.read'],
    ['/list/v4/lists/{listId}/children', 'spend.listitem.read'],
    ['/list/v4/items/{itemId}', 'spend.listitem.read'],
    ['/receipts/v4/users/{userId}', 'receipts.read'],
    ['/localities/v5/countries', 'locality.read'],
    ['/localities/v5/countries/{code}', 'locality.read'],
    // Reads and writes of the other families ("METHOD path" where a path has several methods).
    ['POST /profile/identity/v4.1/Users/.search', 'identity.user.core.read'],
    ['POST /profile/identity/v4.1/Users', 'identity.user.coreenterprise.writeonly'],
    ['PATCH /profile/identity/v4.1/Users/{id}', 'identity.user.coreenterprise.writeonly'],
    ['POST /profile/v4/provisions', 'user.provision.write'],
    ['/profile/v4/provisions/{provisionId}/status', 'user.provision.read'],
    ['/profile/spend/v4.1/Users', 'spend.user.general.read'],
    ['PATCH /profile/spend/v4.1/Users/{id}', 'spend.user.general.writeonly'],
    ['GET /api/v3.0/expense/attendees', 'ATTEND'],
    ['POST /api/v3.0/expense/attendees', 'ATTEND'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports', 'expense.report.readwrite'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}', 'expense.report.readwrite'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses', 'expense.report.readwrite'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}', 'expense.report.read'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}', 'expense.report.readwrite'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations', 'expense.report.read'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations', 'expense.report.readwrite'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/allocations', 'expense.report.read'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/allocations/{allocationId}', 'expense.report.readwrite'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees', 'expense.report.read'],
    ['PUT /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees', 'expense.report.readwrite'],
    ['POST /list/v4/lists', 'spend.list.write'],
    ['PUT /list/v4/lists/{listId}', 'spend.list.write'],
    ['POST /list/v4/items', 'spend.listitem.write'],
    ['PUT /list/v4/items/{itemId}', 'spend.listitem.write'],
    ['DELETE /list/v4/items/{itemId}', 'spend.listitem.write'],
    ['POST /receipts/v4/users/{userId}', 'receipts.write'],
    ['GET /travelrequest/v4/requests', 'travelrequest.write'],
    ['POST /travelrequest/v4/requests', 'travelrequest.write'],
    ['PUT /travelrequest/v4/requests/{requestUuid}', 'travelrequest.write'],
    ['POST /cashadvance/v4.1/cashadvances', 'cashadvance.write'],
    ['/cashadvance/v4.1/cashadvances/{cashAdvanceId}', 'cashadvance.read'],
    ['POST /quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses', 'quickexpense.writeonly'],
    ['/travel/trips/api/v4/trip/{id}', 'travel.itinerary.read'],
    ['/api/v3.0/invoice/paymentrequestdigests', 'INVPMT'],
    ['POST /api/v3.0/invoice/paymentrequest', 'INVPMT'],
    ['GET /api/v3.0/invoice/vendors', 'INVVEN'],
    ['POST /api/v3.0/invoice/vendors', 'INVVEN'],
    ['POST /api/v3.0/invoice/purchaseorders', 'INVPO'],
    ['GET /budget/v4/budgetItemHeader', 'budgetitem.read'],
    ['POST /budget/v4/budgetItemHeader', 'budgetitem.write'],
    ['/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions', 'FISVC'],
  ];

  it('has every endpoint it should, each with the scope Concur\'s reference names', () => {
    for (const [where, scope] of documented) {
      const [method, path] = where.includes(' ') ? where.split(' ') : [undefined, where];
      const endpoint = CATALOG.find((e) => e.path === path && (!method || e.method === method));
      assert.ok(endpoint, `missing ${where}`);
      assert.ok(endpoint.scopes.includes(scope), `${where} should need ${scope}`);
    }
  });

  it('gives every write a JSON body schema whose required fields are among its properties; DELETE takes no body', () => {
    for (const endpoint of CATALOG) {
      if (endpoint.method === 'GET' || endpoint.method === 'DELETE') {
        assert.equal(endpoint.body, undefined, `${endpoint.id}: ${endpoint.method} takes no body`);
        continue;
      }
      const body = endpoint.body;
      assert.ok(body, `${endpoint.id}: a write needs a body`);
      assert.equal(body.contentType, 'application/json', endpoint.id);
      const schema = body.schema as { type?: string; required?: unknown; properties?: Record<string, unknown> };
      assert.equal(schema.type, 'object', endpoint.id);
      assert.ok(Array.isArray(schema.required), `${endpoint.id}: required is a list`);
      assert.ok(schema.properties && Object.keys(schema.properties).length > 0, `${endpoint.id}: has properties`);
      for (const name of schema.required as string[]) {
        assert.ok(name in schema.properties, `${endpoint.id}: required ${name} is not a property`);
      }
      // Only merge patches (and the issue action, whose body is all optional) may require nothing.
      if ((schema.required as string[]).length === 0) {
        assert.ok(endpoint.method === 'PATCH' || endpoint.id === 'cashadvance.v41.issue', `${endpoint.id}: requires nothing`);
      }
    }
  });

  it('offers a read and a write of every family (Localities and Itinerary are read-only)', () => {
    const families = [
      'Expense v4', 'Expense v3', 'Identity v4.1', 'User Provisioning v4', 'Spend user v4.1', 'Lists v4', 'Receipts v4', 'Request v4',
      'Cash Advance v4.1', 'Quick Expense v4', 'Itinerary v4', 'Invoice v3', 'Budget v4', 'Financial Integration v4', 'Localities v5', 'Profile v1',
    ];
    const readOnly = new Set(['Localities v5', 'Itinerary v4', 'Profile v1']);
    for (const family of families) {
      const entries = CATALOG.filter((e) => e.product === family);
      assert.ok(entries.some((e) => e.method === 'GET'), `${family}: no read`);
      if (!readOnly.has(family)) {
        assert.ok(entries.some((e) => e.method !== 'GET'), `${family}: no write`);
      }
    }
    for (const tag of ['Reports', 'Expenses', 'Itemizations', 'Allocations', 'Attendees']) {
      assert.ok(CATALOG.some((e) => e.product === 'Expense v4' && e.tag === tag && e.method !== 'GET'), `Expense v4 ${tag}: no write`);
    }
    assert.ok(CATALOG.length >= 60 && CATALOG.length <= 90, `${CATALOG.length} entries`);
  });

  it('declares every path parameter it uses, and ids are unique', () => {
    assert.equal(new Set(CATALOG.map((e) => e.id)).size, CATALOG.length);
    for (const endpoint of CATALOG) {
      const inPath = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = endpoint.params.filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, inPath, endpoint.id);
    }
  });

  it('marks Profile v1 deprecated since 2025-05-15, naming Identity v4.1 as its successor; every successor is in the catalog', () => {
    assert.equal(statusNote(endpointById('profile.me')!), 'Deprecated by Concur since 2025-05-15. Use Identity v4.1: User by id (GET /profile/identity/v4.1/Users/{id}) instead.');
    assert.equal(statusNote(endpointById('receipts.v4.user')!), undefined);
    for (const endpoint of CATALOG) {
      const status = endpoint.status;
      if (!status || status.kind === 'current') continue;
      assert.match(status.since ?? '', /^\d{4}-\d{2}-\d{2}$/, endpoint.id);
      if (status.successor) assert.ok(endpointById(status.successor), `${endpoint.id}: successor ${status.successor} is not in the catalog`);
    }
    // A user token with an identity scope can call the successor for itself.
    assert.equal(accessProblem(endpointById('identity.v41.user')!, { scopes: ['identity.user.core.read'], type: 'user' }), undefined);
  });

  it('filters by every word typed, over method, path, title, product, paging, scopes and status', () => {
    const ids = (filter: string): string[] => CATALOG.filter((e) => matchesFilter(e, filter)).map((e) => e.id);
    assert.equal(ids('').length, CATALOG.length);
    assert.equal(ids('   ').length, CATALOG.length);
    assert.deepEqual(ids('receipts.read'), ['receipts.v4.user']);
    assert.deepEqual(ids('DEPRECATED'), ['profile.me']);
    assert.deepEqual(ids('identity v4.1 users'), ['identity.v41.users', 'identity.v41.user', 'identity.v41.search', 'identity.v41.create', 'identity.v41.patch']);
    assert.deepEqual(ids('identity v4.1 users get'), ['identity.v41.users', 'identity.v41.user']);
    assert.deepEqual(ids('cursor'), ['identity.v41.users', 'identity.v41.search']);
    assert.deepEqual(ids('spend.listitem.write delete'), ['list.v4.deleteItem']);
    assert.deepEqual(ids('receipts nothing-like-this'), []);
  });

  it('uses the paging style of each API family', () => {
    assert.equal(endpointById('identity.v4.users')?.paging, 'scim');
    assert.equal(endpointById('identity.v41.users')?.paging, 'cursor');
    assert.equal(endpointById('expense.v3.reports')?.paging, 'v3');
    assert.equal(endpointById('list.v4.children')?.paging, 'listv4');
    assert.equal(endpointById('profile.me')?.paging, 'none');
  });

  it('groups endpoints by product in catalog order', () => {
    const groups = catalogByProduct();
    assert.equal(groups[0].product, 'Profile v1');
    assert.equal(groups.reduce((n, g) => n + g.endpoints.length, 0), CATALOG.length);
  });

  it('prefills userId from the token\'s sub, contextType and paging from their defaults, the rest from earlier answers', () => {
    const report = endpointById('expense.v4.report');
    assert.ok(report);
    assert.deepEqual(prefill(report, { sub: 'u-1' }, { reportId: 'R9' }), { userId: 'u-1', contextType: 'TRAVELER', reportId: 'R9' });
    assert.deepEqual(report.params.find((p) => p.name === 'contextType')?.choices, ['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY']);
    assert.deepEqual(prefill(endpointById('identity.v4.users') as never, {}), { startIndex: '1', count: '100' });
  });

  it('builds the request path, encoding path values and leaving out empty query parameters', () => {
    const report = endpointById('expense.v4.report');
    assert.ok(report);
    assert.equal(buildRequestPath(report, { userId: 'a b', contextType: 'MANAGER', reportId: 'R/1' }), '/expensereports/v4/users/a%20b/context/MANAGER/reports/R%2F1');
    assert.equal(buildRequestPath(endpointById('identity.v41.users') as never, { count: '50', cursor: '' }), '/profile/identity/v4.1/Users?count=50');
    assert.throws(() => buildRequestPath(report, { userId: 'u' }), /Report needs contextType/);
  });

  it('says why a token cannot call an endpoint: missing scope or wrong token type', () => {
    const receipts = endpointById('receipts.v4.user');
    const identity = endpointById('identity.v4.users');
    assert.ok(receipts && identity);
    assert.equal(accessProblem(receipts, { scopes: ['receipts.read'], type: 'user' }), undefined);
    assert.match(accessProblem(receipts, { scopes: ['user.read'], type: 'user' }) ?? '', /needs the scope receipts\.read/i);
    assert.match(accessProblem(identity, { scopes: ['identity.user.core.read'], type: 'user' }) ?? '', /company token; the active token is a user token/);
  });
});
