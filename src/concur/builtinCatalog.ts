/**
 * The built-in catalog: the Concur endpoints integrators use most, written from Concur's public API
 * reference (https://developer.concur.com/api-reference/) as facts in this project's own words.
 * Each entry says its method, path, parameters, scopes, token types, paging style, documentation
 * page and status; write operations carry a JSON Schema of their body, written here, from which the
 * body tab's skeleton and IntelliSense come.
 */
import type { Endpoint, EndpointParam } from './catalog';

const USER_ID: EndpointParam = { name: 'userId', in: 'path', required: true, fromSession: 'sub', description: 'The user\'s UUID (the token\'s sub)' };
const IDENTITY_SCOPES = ['identity.user.core.read', 'identity.user.enterprise.read', 'identity.user.coresensitive.read'];
const CONTEXT: EndpointParam = {
  name: 'contextType',
  in: 'path',
  required: true,
  default: 'TRAVELER',
  choices: ['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY'],
  description: 'Whose view of the report: the traveler\'s own, a manager\'s, a processor\'s or a proxy\'s',
};
const REPORT_ID: EndpointParam = { name: 'reportId', in: 'path', required: true, description: 'The report id (from Expense v3 reports or Reports to approve)' };
const DOCS = 'https://developer.concur.com/api-reference';

export const BUILTIN_CATALOG: readonly Endpoint[] = [
  {
    id: 'profile.me', product: 'Profile v1', title: 'My profile', method: 'GET', path: '/profile/v1/me',
    scopes: ['user.read'], tokenTypes: ['user'], paging: 'none', params: [],
    description: 'The signed-in user\'s profile (still the call every sample uses).', docs: `${DOCS}/profile/v1.profile.html`,
    status: { kind: 'deprecated', since: '2025-05-15', successor: 'identity.v41.user' },
  },
  {
    id: 'identity.v4.users', product: 'Identity v4', title: 'Users', method: 'GET', path: '/profile/identity/v4/Users',
    scopes: IDENTITY_SCOPES, tokenTypes: ['company'], paging: 'scim',
    params: [
      { name: 'startIndex', in: 'query', default: '1', paging: true, description: 'First result, from 1' },
      { name: 'count', in: 'query', default: '100', paging: true, description: 'Results per page (at most 100)' },
    ],
    description: 'The company\'s users, SCIM paging.', docs: `${DOCS}/profile/v4.identity.html`,
  },
  {
    id: 'identity.v4.user', product: 'Identity v4', title: 'User by id', method: 'GET', path: '/profile/identity/v4/Users/{id}',
    scopes: IDENTITY_SCOPES, tokenTypes: ['company'], paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: 'The user\'s UUID' }],
    description: 'One user\'s identity.', docs: `${DOCS}/profile/v4.identity.html`,
  },
  {
    id: 'identity.v41.users', product: 'Identity v4.1', title: 'Users', method: 'GET', path: '/profile/identity/v4.1/Users',
    scopes: IDENTITY_SCOPES, tokenTypes: ['company'], paging: 'cursor',
    params: [
      { name: 'count', in: 'query', default: '100', paging: true, description: 'Results per page (at most 1000)' },
      { name: 'cursor', in: 'query', paging: true, description: 'The nextCursor of the previous page (empty for the first)' },
    ],
    description: 'The company\'s users, cursor paging.', docs: `${DOCS}/profile/v4-1.identity.html`,
  },
  {
    id: 'identity.v41.user', product: 'Identity v4.1', title: 'User by id', method: 'GET', path: '/profile/identity/v4.1/Users/{id}',
    scopes: IDENTITY_SCOPES, tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ ...USER_ID, name: 'id' }],
    description: 'One user\'s identity (a user token reads its own: the successor of Profile v1\'s /me).', docs: `${DOCS}/profile/v4-1.identity.html`,
  },
  {
    id: 'spend.v41.user', product: 'Spend user v4.1', title: 'Spend user', method: 'GET', path: '/profile/spend/v4.1/Users/{id}',
    scopes: ['spend.user.general.read'], tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ ...USER_ID, name: 'id' }],
    description: 'A user\'s spend settings (reimbursement currency, approvers, …).', docs: `${DOCS}/profile/v4-1.spend-user.html`,
  },
  {
    id: 'expense.v3.reports', product: 'Expense v3', title: 'Reports', method: 'GET', path: '/api/v3.0/expense/reports',
    scopes: ['EXPRPT'], tokenTypes: ['user', 'company'], paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: 'Reports per page (at most 100)' },
      { name: 'user', in: 'query', description: 'Login id of the user whose reports to list (company tokens; ALL for everyone)' },
    ],
    description: 'Expense reports with v3 paging (Items and NextPage).', docs: `${DOCS}/expense/expense-report/v3.reports.html`,
  },
  {
    id: 'expense.v4.report', product: 'Expense v4', title: 'Report', method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}',
    scopes: ['expense.report.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID],
    description: 'One expense report.', docs: `${DOCS}/expense/expense-report/v4.get-report-details.html`,
  },
  {
    id: 'expense.v4.toApprove', product: 'Expense v4', title: 'Reports to approve', method: 'GET', path: '/expensereports/v4/users/{userId}/context/MANAGER/reportsToApprove',
    scopes: ['expense.report.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID],
    description: 'Reports waiting for the user\'s approval.', docs: `${DOCS}/expense/expense-report/v4.reports-to-approve.html`,
  },
  {
    id: 'expense.v4.expenses', product: 'Expense v4', title: 'Expenses of a report', method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses',
    scopes: ['expense.report.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID],
    description: 'The expenses of one report.', docs: `${DOCS}/expense/expense-report/v4.expenses.html`,
  },
  {
    id: 'list.v4.lists', product: 'Lists v4', title: 'Lists', method: 'GET', path: '/list/v4/lists',
    scopes: ['spend.list.read'], tokenTypes: ['user', 'company'], paging: 'listv4',
    params: [{ name: 'page', in: 'query', default: '1', paging: true, description: 'Page, from 1' }],
    description: 'The company\'s custom lists.', docs: `${DOCS}/list/v4.list.html`,
  },
  {
    id: 'list.v4.list', product: 'Lists v4', title: 'List by id', method: 'GET', path: '/list/v4/lists/{listId}',
    scopes: ['spend.list.read'], tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ name: 'listId', in: 'path', required: true, description: 'The list\'s id (from Lists)' }],
    description: 'One custom list.', docs: `${DOCS}/list/v4.list.html`,
  },
  {
    id: 'list.v4.children', product: 'Lists v4', title: 'List items', method: 'GET', path: '/list/v4/lists/{listId}/children',
    scopes: ['spend.listitem.read'], tokenTypes: ['user', 'company'], paging: 'listv4',
    params: [
      { name: 'listId', in: 'path', required: true, description: 'The list\'s id (from Lists)' },
      { name: 'page', in: 'query', default: '1', paging: true, description: 'Page, from 1' },
    ],
    description: 'The first-level items of a list.', docs: `${DOCS}/list/v4.list-item.html`,
  },
  {
    id: 'list.v4.item', product: 'Lists v4', title: 'List item by id', method: 'GET', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.read'], tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ name: 'itemId', in: 'path', required: true, description: 'The item\'s id (from List items)' }],
    description: 'One list item.', docs: `${DOCS}/list/v4.list-item.html`,
  },
  {
    id: 'receipts.v4.user', product: 'Receipts v4', title: 'Receipts of a user', method: 'GET', path: '/receipts/v4/users/{userId}',
    scopes: ['receipts.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID],
    description: 'The user\'s receipts. The user id must be the token\'s sub.', docs: `${DOCS}/receipts/get-started.html`,
  },
  {
    id: 'localities.v5.countries', product: 'Localities v5', title: 'Countries', method: 'GET', path: '/localities/v5/countries',
    scopes: ['locality.read'], tokenTypes: ['user', 'company', 'app'], paging: 'none', params: [],
    description: 'Every country Concur knows, with its codes.', docs: `${DOCS}/localities/v5.localities.html`,
  },
  {
    id: 'localities.v5.country', product: 'Localities v5', title: 'Country by code', method: 'GET', path: '/localities/v5/countries/{code}',
    scopes: ['locality.read'], tokenTypes: ['user', 'company', 'app'], paging: 'none',
    params: [{ name: 'code', in: 'path', required: true, default: 'US', description: 'ISO 3166-1 alpha-2 country code' }],
    description: 'One country.', docs: `${DOCS}/localities/v5.localities.html`,
  },
];
