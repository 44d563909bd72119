import * as assert from 'node:assert/strict';
import { accessProblem, buildRequestPath, CATALOG, catalogByProduct, endpointById, matchesFilter, prefill, statusNote } from '../../../src/catalog/catalog';

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
    ['/localities/v5/countries/{countryCode}', 'locality.read'],
    // Reads and writes of the other families ("METHOD path" where a path has several methods).
    ['POST /profile/identity/v4.1/Users/.search', 'identity.user.core.read'],
    ['POST /profile/identity/v4.1/Users', 'identity.user.coreenterprise.writeonly'],
    ['PATCH /profile/identity/v4.1/Users/{id}', 'identity.user.coreenterprise.writeonly'],
    ['PUT /profile/identity/v4.1/Users/{id}', 'identity.user.coreenterprise.writeonly'],
    ['DELETE /profile/identity/v4.1/Users/{id}', 'identity.user.delete'],
    ['POST /profile/v4/Users', 'user.provision.write'],
    ['PATCH /profile/v4/Users/{id}', 'user.provision.write'],
    ['POST /profile/v4/Bulk', 'user.provision.write'],
    ['/profile/v4/provisions/{provisionId}/status', 'user.provision.read'],
    ['/profile/spend/v4.1/Users', 'spend.user.general.read'],
    ['GET /api/v3.0/expense/attendees', 'ATTEND'],
    ['POST /api/v3.0/expense/attendees', 'ATTEND'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports', 'expense.report.readwrite'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}', 'expense.report.readwrite'],
    ['PATCH /expensereports/v4/users/{userId}/reports/{reportId}/submit', 'expense.report.readwrite'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/approve', 'expense.report.workflowstatus.write'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/sendBack', 'expense.report.workflowstatus.write'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/recall', 'expense.report.workflowstatus.write'],
    ['PATCH /expensereports/v4/reports/{reportId}/approve', 'expense.report.workflowstatus.write'],
    ['PATCH /expensereports/v4/reports/{reportId}/sendBack', 'expense.report.workflowstatus.write'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/comments', 'expense.report.read'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/comments', 'expense.report.readwrite'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/comments', 'expense.report.read'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/comments', 'expense.report.readwrite'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/exceptions', 'expense.report.read'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/exceptions', 'expense.report.read'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}', 'expense.report.read'],
    ['PATCH /expensereports/v4/reports/{reportId}/expenses/{expenseId}', 'expense.report.readwrite'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations', 'expense.report.read'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/allocations', 'expense.report.read'],
    ['PATCH /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/allocations/{allocationId}', 'expense.report.readwrite'],
    ['GET /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees', 'expense.report.read'],
    ['POST /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees', 'expense.report.readwrite'],
    ['DELETE /expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees', 'expense.report.readwrite'],
    ['POST /list/v4/lists', 'spend.list.write'],
    ['PUT /list/v4/lists/{listId}', 'spend.list.write'],
    ['POST /list/v4/items', 'spend.listitem.write'],
    ['PUT /list/v4/items/{itemId}', 'spend.listitem.write'],
    ['DELETE /list/v4/items/{itemId}', 'spend.listitem.delete'],
    ['POST /receipts/v4/users/{userId}', 'receipts.write'],
    ['/receipts/v4/{receiptId}', 'receipts.read'],
    ['/receipts/v4/status/{receiptId}', 'receipts.read'],
    ['GET /travelrequest/v4/requests', 'travelrequest.write'],
    ['POST /travelrequest/v4/requests', 'travelrequest.write'],
    ['PUT /travelrequest/v4/requests/{requestUuid}', 'travelrequest.write'],
    ['POST /travelrequest/v4/requests/{requestUuid}/{action}', 'travelrequest.write'],
    ['GET /travelrequest/v4/requests/{requestUuid}/expenses', 'travelrequest.write'],
    ['POST /travelrequest/v4/requests/{requestUuid}/expenses', 'travelrequest.write'],
    ['POST /cashadvance/v4.1/cashadvances', 'cashadvance.write'],
    ['/cashadvance/v4.1/cashadvances/{cashAdvanceId}', 'cashadvance.read'],
    ['POST /quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses', 'quickexpense.writeonly'],
    ['/travel/v4/trips', 'travel.itinerary.read'],
    ['/travel/v4/trips/{id}', 'travel.itinerary.read'],
    ['/api/v3.0/invoice/paymentrequestdigests', 'INVPMT'],
    ['POST /api/v3.0/invoice/paymentrequest', 'INVPMT'],
    ['GET /api/v3.0/invoice/vendors', 'INVVEN'],
    ['POST /api/v3.0/invoice/vendors', 'INVVEN'],
    ['POST /api/v3.0/invoice/purchaseorders', 'INVPO'],
    ['GET /budget/v4/budgetItemHeader', 'budgetitem.read'],
    ['POST /budget/v4/budgetItemHeader', 'budgetitem.write'],
    ['/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions', 'FISVC'],
    ['POST /financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/acknowledgements', 'FISVC'],
    ['POST /financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/postingconfirmations', 'FISVC'],
    ['POST /financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/paymentconfirmations', 'FISVC'],
    ['POST /exchangerate/v4/rates', 'expense.exchangerate.writeonly'],
  ];

  it('has every endpoint it should, each with the scope Concur\'s reference names', () => {
    for (const [where, scope] of documented) {
      const [method, path] = where.includes(' ') ? where.split(' ') : [undefined, where];
      const endpoint = CATALOG.find((e) => e.path === path && (!method || e.method === method));
      assert.ok(endpoint, `missing ${where}`);
      assert.ok(endpoint.scopes.includes(scope), `${where} should need ${scope}`);
    }
  });

  it('gives every write a JSON body schema whose required fields are among its properties; DELETE and the writes Concur sends nothing with take no body', () => {
    // Concur documents no payload for these: submitting and recalling a report.
    const noPayload = new Set(['expense.v4.submit', 'expense.v4.recall']);
    // Concur marks no field of these bodies required: merge patches aside, each of these.
    const nothingRequired = new Set(['expense.v3.createAttendee', 'expense.v4.updateAttendees', 'request.v4.create', 'request.v4.update', 'cashadvance.v41.issue']);
    for (const endpoint of CATALOG) {
      if (endpoint.method === 'GET' || endpoint.method === 'DELETE' || noPayload.has(endpoint.id)) {
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
      // Only merge patches, bodies the caller may leave out and those listed may require nothing.
      if ((schema.required as string[]).length === 0) {
        assert.ok(endpoint.method === 'PATCH' || !body.required || nothingRequired.has(endpoint.id), `${endpoint.id}: requires nothing`);
      }
    }
  });

  it('offers a read and a write of every family (Localities, Itinerary and Spend user are read-only; Quick Expense and Exchange Rate write-only)', () => {
    const families = [
      'Expense v4', 'Expense v3', 'Identity v4.1', 'User Provisioning v4', 'Spend user v4.1', 'Lists v4', 'Receipts v4', 'Request v4', 'Cash Advance v4.1',
      'Quick Expense v4', 'Itinerary v4', 'Invoice v3', 'Budget v4', 'Financial Integration v4', 'Localities v5', 'Profile v1', 'Exchange Rate v4',
    ];
    const readOnly = new Set(['Localities v5', 'Itinerary v4', 'Profile v1', 'Spend user v4.1']);
    const writeOnly = new Set(['Quick Expense v4', 'Exchange Rate v4']);
    for (const family of families) {
      const entries = CATALOG.filter((e) => e.product === family);
      assert.ok(entries.length > 0, `${family}: no entry`);
      assert.equal(entries.some((e) => e.method === 'GET'), !writeOnly.has(family), `${family}: reads`);
      assert.equal(entries.some((e) => e.method !== 'GET'), !readOnly.has(family), `${family}: writes`);
    }
    assert.deepEqual([...new Set(CATALOG.map((e) => e.product))].filter((p) => !families.includes(p)), ['Identity v4']);
    for (const tag of ['Reports', 'Workflow', 'Expenses', 'Allocations', 'Attendees', 'Comments']) {
      assert.ok(CATALOG.some((e) => e.product === 'Expense v4' && e.tag === tag && e.method !== 'GET'), `Expense v4 ${tag}: no write`);
    }
    assert.ok(CATALOG.length >= 85 && CATALOG.length <= 100, `${CATALOG.length} entries`);
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
    // Identity v4.1 takes company tokens only: a user token is told so, a company token may call it.
    assert.equal(accessProblem(endpointById('identity.v41.user')!, { scopes: ['identity.user.core.read'], type: 'user' }), 'Needs a company token; the active token is a user token.');
    assert.equal(accessProblem(endpointById('identity.v41.user')!, { scopes: ['identity.user.core.read'], type: 'company' }), undefined);
    // Attendees v3 is deprecated since 2025-07-01.
    assert.equal(statusNote(endpointById('expense.v3.attendees')!), 'Deprecated by Concur since 2025-07-01.');
  });

  it('filters by every word typed, over method, path, title, product, paging, scopes and status', () => {
    const ids = (filter: string): string[] => CATALOG.filter((e) => matchesFilter(e, filter)).map((e) => e.id);
    assert.equal(ids('').length, CATALOG.length);
    assert.equal(ids('   ').length, CATALOG.length);
    assert.deepEqual(ids('receipts.read'), ['receipts.v4.user', 'receipts.v4.receipt', 'receipts.v4.status']);
    assert.deepEqual(ids('DEPRECATED'), ['profile.me', 'expense.v3.attendees', 'expense.v3.createAttendee']);
    assert.deepEqual(ids('identity v4.1 users'), ['identity.v41.users', 'identity.v41.user', 'identity.v41.search', 'identity.v41.create', 'identity.v41.patch', 'identity.v41.replace', 'identity.v41.delete']);
    assert.deepEqual(ids('identity v4.1 users get'), ['identity.v41.users', 'identity.v41.user']);
    assert.deepEqual(ids('cursor'), ['identity.v41.users', 'identity.v41.search']);
    assert.deepEqual(ids('spend.listitem.delete'), ['list.v4.deleteItem']);
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
