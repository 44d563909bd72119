/**
 * The built-in catalog held to Concur's published API: paths, methods, parameters, scopes, token
 * types and the required fields of write bodies, as Concur's reference pages and API definition
 * files give them (https://developer.concur.com/api-reference/). Each fact is written here in this
 * project's words; an entry that drifts from Concur fails its line.
 */
import * as assert from 'node:assert/strict';
import { CATALOG, endpointById, type Endpoint } from '../../../src/catalog/catalog';

type Schema = { type?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };

const entry = (method: string, path: string): Endpoint | undefined => CATALOG.find((e) => e.method === method && e.path === path);
const byId = (id: string): Endpoint => {
  const found = endpointById(id);
  assert.ok(found, `${id} is not in the catalog`);
  return found;
};
const schemaOf = (id: string): Schema => byId(id).body?.schema as Schema;
const required = (id: string): string[] => [...(schemaOf(id).required ?? [])].sort();
const param = (id: string, name: string) => byId(id).params.find((p) => p.name === name);

describe('the built-in catalog as Concur publishes it', () => {
  it('has no endpoint Concur does not publish', () => {
    for (const [method, path] of [
      ['POST', '/profile/v4/provisions'],
      ['PATCH', '/profile/spend/v4.1/Users/{id}'],
      ['POST', '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses'],
      ['PATCH', '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}'],
      ['POST', '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations'],
      ['PUT', '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees'],
      ['GET', '/quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses'],
      ['GET', '/quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses/{quickExpenseId}'],
      ['GET', '/travel/trips/api/v4/trip/{id}'],
      ['POST', '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/acknowledge'],
      ['POST', '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/{transactionId}/confirmation'],
    ]) {
      assert.equal(entry(method, path), undefined, `${method} ${path}`);
    }
    // Scopes Concur does not have.
    for (const scope of ['quickexpense.read', 'travelrequest.read']) {
      assert.deepEqual(CATALOG.filter((e) => e.scopes.includes(scope)).map((e) => e.id), [], scope);
    }
  });

  it('User Provisioning v4: creates through /Users and /Bulk; the status read pages its operations and filters them by state', () => {
    assert.equal(byId('provisioning.v4.createUser').path, '/profile/v4/Users');
    assert.equal(byId('provisioning.v4.patchUser').path, '/profile/v4/Users/{id}');
    assert.equal(byId('provisioning.v4.provision').path, '/profile/v4/Bulk');
    assert.deepEqual(required('provisioning.v4.createUser'), ['active', 'emails', 'name', 'userName']);
    assert.deepEqual((schemaOf('provisioning.v4.provision').properties?.Operations.items?.properties?.method.enum ?? []).slice().sort(), ['DELETE', 'PATCH', 'POST', 'PUT']);
    const status = byId('provisioning.v4.status');
    assert.deepEqual(status.params.filter((p) => p.in === 'query').map((p) => p.name), ['attributes', 'startIndex', 'count', 'state']);
    assert.deepEqual(param('provisioning.v4.status', 'state')?.choices, ['pending', 'success', 'failed']);
    assert.ok(status.scopes.includes('user.provision.read'));
  });

  it('Spend user v4.1 is read-only, for company tokens; its fields change through User Provisioning v4', () => {
    const spend = CATALOG.filter((e) => e.product === 'Spend user v4.1');
    assert.deepEqual(spend.map((e) => e.method), ['GET', 'GET']);
    assert.ok(spend.every((e) => e.tokenTypes.join() === 'company'));
  });

  it('Identity v4.1: company tokens; create and replace require active, emails, name and userName; search takes Concur\'s SearchRequest with attribute lists', () => {
    assert.ok(CATALOG.filter((e) => e.product === 'Identity v4.1').every((e) => e.tokenTypes.join() === 'company'));
    assert.deepEqual(required('identity.v41.create'), ['active', 'emails', 'name', 'userName']);
    assert.deepEqual(required('identity.v41.replace'), ['active', 'emails', 'name', 'userName']);
    assert.equal(byId('identity.v41.replace').method, 'PUT');
    assert.deepEqual(byId('identity.v41.delete').scopes, ['identity.user.delete']);
    const search = schemaOf('identity.v41.search');
    assert.deepEqual(search.required, ['schemas']);
    assert.deepEqual(search.properties?.schemas.items?.enum, ['urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest']);
    assert.equal(search.properties?.attributes.type, 'array');
    assert.equal(search.properties?.excludedAttributes.type, 'array');
    assert.deepEqual(schemaOf('identity.v41.create').properties?.emails.items?.properties?.type.enum, ['work', 'home', 'work2', 'other', 'other2']);
  });

  it('Expense v4: create report needs policyId; the one expense update is the short URL and needs expenseSource; allocations change by expense ids', () => {
    assert.deepEqual(required('expense.v4.createReport'), ['name', 'policyId']);
    const update = byId('expense.v4.updateExpense');
    assert.equal(`${update.method} ${update.path}`, 'PATCH /expensereports/v4/reports/{reportId}/expenses/{expenseId}');
    assert.deepEqual(update.tokenTypes, ['company']);
    assert.deepEqual(required('expense.v4.updateExpense'), ['expenseSource']);
    assert.deepEqual(schemaOf('expense.v4.updateExpense').properties?.expenseSource.enum, ['EA', 'MOB', 'OTHER', 'SE', 'TA', 'TR', 'UI']);
    assert.deepEqual(required('expense.v4.updateAllocation'), ['allocation', 'expenseIds']);
    assert.deepEqual(Object.keys(schemaOf('expense.v4.updateAllocation').properties?.allocation.properties ?? {}), ['customData']);
    assert.equal(param('expense.v4.toApprove', 'includeDelegateApprovals')?.required, true);
  });

  it('Expense v4: attendees are set with POST and removed with DELETE; each needs an attendeeId and its amount', () => {
    assert.equal(byId('expense.v4.updateAttendees').method, 'POST');
    assert.equal(byId('expense.v4.deleteAttendees').method, 'DELETE');
    assert.equal(byId('expense.v4.deleteAttendees').path, byId('expense.v4.updateAttendees').path);
    assert.deepEqual([...(schemaOf('expense.v4.updateAttendees').properties?.expenseAttendeeList.items?.required ?? [])].sort(), ['attendeeId', 'transactionAmount']);
  });

  it('Expense v4: submit, approve, send back and recall, with the contexts and scopes Concur names', () => {
    const submit = byId('expense.v4.submit');
    assert.equal(`${submit.method} ${submit.path}`, 'PATCH /expensereports/v4/users/{userId}/reports/{reportId}/submit');
    assert.deepEqual(submit.scopes, ['expense.report.readwrite']);
    for (const id of ['expense.v4.approve', 'expense.v4.sendBack']) {
      assert.equal(byId(id).method, 'PATCH');
      assert.deepEqual(param(id, 'contextType')?.choices, ['MANAGER']);
      assert.deepEqual(byId(id).scopes, ['expense.report.workflowstatus.write']);
    }
    assert.deepEqual(required('expense.v4.sendBack'), ['comment']);
    assert.deepEqual(required('expense.v4.sendBackAsCompany'), ['comment']);
    assert.equal(byId('expense.v4.approve').body?.required, false, 'an approval may carry no body');
    assert.deepEqual(param('expense.v4.recall', 'contextType')?.choices, ['TRAVELER', 'PROXY']);
    assert.equal(byId('expense.v4.approveAsCompany').path, '/expensereports/v4/reports/{reportId}/approve');
    assert.deepEqual(byId('expense.v4.approveAsCompany').tokenTypes, ['company']);
  });

  it('Expense v4: comments of reports and expenses (the comment required), and their exceptions', () => {
    assert.deepEqual(required('expense.v4.createReportComment'), ['comment']);
    assert.deepEqual(required('expense.v4.createExpenseComment'), ['comment']);
    assert.equal(byId('expense.v4.reportComments').path, '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/comments');
    assert.ok(param('expense.v4.reportExceptions', 'excludeExpenses'));
    assert.ok(param('expense.v4.expenseExceptions', 'excludeItemizations'));
  });

  it('Quick Expense v4 only creates; a quick expense needs its expense type, place, amount and date', () => {
    assert.deepEqual(CATALOG.filter((e) => e.product === 'Quick Expense v4').map((e) => e.method), ['POST']);
    assert.deepEqual(required('quickexpense.v4.create'), ['expenseTypeId', 'location', 'transactionAmount', 'transactionDate']);
    assert.deepEqual(byId('quickexpense.v4.create').scopes, ['quickexpense.writeonly']);
  });

  it('Itinerary v4 trips are /travel/v4/trips and /travel/v4/trips/{id}, for company tokens', () => {
    assert.equal(byId('itinerary.v4.trip').path, '/travel/v4/trips/{id}');
    assert.equal(byId('itinerary.v4.trips').path, '/travel/v4/trips');
    assert.deepEqual(byId('itinerary.v4.trips').params.map((p) => p.name), ['schema', 'endDateFrom', 'endDateTo', 'startAfter']);
    assert.ok(CATALOG.filter((e) => e.product === 'Itinerary v4').every((e) => e.tokenTypes.join() === 'company'));
  });

  it('Financial Integration v4: its document types; acknowledgements with ids and systemId; posting and payment confirmations', () => {
    const types = ['expense', 'invoice', 'cashadvance', 'payroll', 'requestobligation', 'reportobligation'];
    for (const id of ['fis.v4.transactions', 'fis.v4.acknowledge', 'fis.v4.confirm']) {
      assert.deepEqual(param(id, 'docType')?.choices, types, id);
      assert.equal(param(id, 'docType')?.default, 'expense', id);
    }
    assert.equal(byId('fis.v4.acknowledge').path, '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/acknowledgements');
    assert.deepEqual(required('fis.v4.acknowledge'), ['ids', 'systemId']);
    assert.equal(byId('fis.v4.confirm').path, '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/postingconfirmations');
    assert.deepEqual(required('fis.v4.confirm'), ['postingConfirmations', 'systemId']);
    assert.deepEqual([...(schemaOf('fis.v4.confirm').properties?.postingConfirmations.items?.required ?? [])].sort(), ['docId', 'overallPostingStatusCode', 'systemMessages']);
    assert.equal(byId('fis.v4.confirmPayment').path, '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/paymentconfirmations');
    assert.deepEqual(param('fis.v4.transactions', 'page')?.default, '0');
  });

  it('Lists v4: a new list needs only its name (value), with categoryId and isManaged; deleting an item needs the delete scope', () => {
    assert.deepEqual(required('list.v4.createList'), ['value']);
    assert.deepEqual(required('list.v4.updateList'), ['value']);
    const props = Object.keys(schemaOf('list.v4.createList').properties ?? {});
    assert.ok(props.includes('categoryId') && props.includes('isManaged'), props.join());
    assert.ok(!props.includes('levelCount') && !props.includes('category'), props.join());
    assert.deepEqual(byId('list.v4.deleteItem').scopes, ['spend.listitem.delete']);
    assert.deepEqual(byId('list.v4.deleteItem').params.map((p) => p.name), ['itemId']);
  });

  it('Invoice v3: a payment request names its vendor by VendorRemitToIdentifier; a purchase order carries its addresses, policy and lines', () => {
    assert.deepEqual(required('invoice.v3.createPaymentRequest'), ['CountryCode', 'InvoiceAmount', 'Name', 'VendorRemitToIdentifier']);
    assert.ok(!('VendorRemitAddress' in (schemaOf('invoice.v3.createPaymentRequest').properties ?? {})));
    assert.deepEqual(required('invoice.v3.createPurchaseOrder'), ['BillToAddress', 'CurrencyCode', 'LineItem', 'Name', 'OrderDate', 'PolicyExternalID', 'ShipToAddress', 'VendorAddressCode', 'VendorCode']);
    assert.deepEqual(schemaOf('invoice.v3.createVendors').properties?.Vendor.items?.required, ['VendorCode', 'AddressCode']);
    assert.equal(param('invoice.v3.paymentRequestDigests', 'approvalStatus')?.choices, undefined, 'codes come from Localized Data');
  });

  it('Receipts v4: the receipt by id and its processing status; a post names its schema in the link header and requires seller and payments', () => {
    assert.equal(byId('receipts.v4.receipt').path, '/receipts/v4/{receiptId}');
    assert.equal(byId('receipts.v4.status').path, '/receipts/v4/status/{receiptId}');
    const link = param('receipts.v4.post', 'link');
    assert.equal(link?.in, 'header');
    assert.equal(link?.required, true);
    assert.deepEqual(required('receipts.v4.post'), ['currencyCode', 'dateTime', 'payments', 'seller', 'total']);
    assert.equal(schemaOf('receipts.v4.post').properties?.total.type, 'string');
  });

  it('Request v4: one scope, travelrequest.write; workflow actions and expected expenses', () => {
    assert.ok(CATALOG.filter((e) => e.product === 'Request v4').every((e) => e.scopes[0] === 'travelrequest.write'));
    assert.deepEqual(param('request.v4.action', 'action')?.choices, ['submit', 'recall', 'cancel', 'close', 'reopen', 'approve', 'sendback']);
    assert.deepEqual(required('request.v4.createExpectedExpense'), ['expenseType', 'transactionAmount', 'transactionDate']);
    assert.deepEqual(required('request.v4.create'), []);
    // A POST to …/expenses is the expected expense, not an action called "expenses".
    const catalogOrder = CATALOG.map((e) => e.id);
    assert.ok(catalogOrder.indexOf('request.v4.createExpectedExpense') < catalogOrder.indexOf('request.v4.action'));
  });

  it('Budget v4 and Exchange Rate v4: the fields Concur requires', () => {
    assert.deepEqual(required('budget.v4.save'), ['budgetItemDetails', 'budgetItemStatusType', 'description', 'fiscalYear', 'name', 'owner']);
    assert.deepEqual(required('exchangerate.v4.upload'), ['currency_sets']);
    assert.deepEqual([...(schemaOf('exchangerate.v4.upload').properties?.currency_sets.items?.required ?? [])].sort(), ['from_crn_code', 'rate', 'start_date', 'to_crn_code']);
    assert.deepEqual(byId('exchangerate.v4.upload').tokenTypes, ['company']);
  });

  it('Localities v5 takes user and company tokens; its path parameter is countryCode', () => {
    assert.deepEqual(byId('localities.v5.countries').tokenTypes, ['user', 'company']);
    assert.equal(byId('localities.v5.country').path, '/localities/v5/countries/{countryCode}');
  });

  it('links each entry to the developer.concur.com reference page it was checked against', () => {
    for (const e of CATALOG) {
      assert.match(e.docs ?? '', /^https:\/\/developer\.concur\.com\/api-reference\/[\w./-]+\.html$/, e.id);
    }
    // Pages that moved or never existed on the site.
    const pages = new Set(CATALOG.map((e) => e.docs));
    for (const gone of ['profile/v1.profile.html', 'profile/v4-1.identity.html', 'profile/v4-1.spend-user.html', 'list/v4.list.html', 'list/v4.list-item.html', 'localities/v5.localities.html', 'expense/expense-report/v4.get-report-details.html', 'expense/expense-report/v4.reports-to-approve.html']) {
      assert.ok(!pages.has(`https://developer.concur.com/api-reference/${gone}`), gone);
    }
  });
});
