/**
 * The built-in catalog: the Concur endpoints integrators use most, written from Concur's public API
 * reference (https://developer.concur.com/api-reference/) as facts in this project's own words.
 * Each entry says its method, path, parameters, scopes, token types, paging style, documentation
 * page and status; write operations carry a JSON Schema of their body, written here, from which the
 * body tab's skeleton and IntelliSense come.
 */
import { l10n } from '../util/l10n';
import type { Endpoint, EndpointParam, TokenType } from './catalog';

const USER_ID: EndpointParam = { name: 'userId', in: 'path', required: true, fromSession: 'sub', description: l10n.t('The user\'s UUID (the token\'s sub)') };
const IDENTITY_SCOPES = ['identity.user.core.read', 'identity.user.enterprise.read', 'identity.user.coresensitive.read'];
const CONTEXT: EndpointParam = {
  name: 'contextType',
  in: 'path',
  required: true,
  default: 'TRAVELER',
  choices: ['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY'],
  description: l10n.t('Whose view of the report: the traveler\'s own, a manager\'s, a processor\'s or a proxy\'s'),
};
const REPORT_ID: EndpointParam = { name: 'reportId', in: 'path', required: true, description: l10n.t('The report id (from Expense v3 reports or Reports to approve)') };
const EXPENSE_ID: EndpointParam = { name: 'expenseId', in: 'path', required: true, description: l10n.t('The expense id (from Expenses of a report)') };
const TRAVELER_CONTEXT: EndpointParam = { ...CONTEXT, choices: ['TRAVELER', 'PROXY'], description: l10n.t('Acting as the traveler or as a proxy') };
const QE_CONTEXT: EndpointParam = { ...CONTEXT, choices: ['TRAVELER'], description: l10n.t('Only the traveler context is offered') };
const COMPANY_ONLY: readonly TokenType[] = ['company'];
const USER_OR_COMPANY: readonly TokenType[] = ['user', 'company'];
const DOCS = 'https://developer.concur.com/api-reference';
const EXPENSE_V4 = `${DOCS}/expense/expense-report`;

// ---- Small JSON Schemas shared by the bodies below (written for this catalog).
const STRING = { type: 'string' } as const;
const DATE = { type: 'string', format: 'date', description: 'YYYY-MM-DD' } as const;
const AMOUNT = {
  type: 'object',
  required: ['value', 'currencyCode'],
  properties: { value: { type: 'number', description: l10n.t('The amount') }, currencyCode: { type: 'string', description: l10n.t('ISO 4217 code, e.g. USD') } },
} as const;
/** An object holding just an id; `description` says whose id it is. */
const ID_REF = (description: string) => ({ type: 'object', required: ['id'], properties: { id: { type: 'string', description } } }) as const;
const CUSTOM_DATA = {
  type: 'array',
  description: l10n.t('Custom and org-unit fields configured for the form'),
  items: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: l10n.t('Field id, e.g. custom1 or orgUnit2') }, value: { type: 'string' } } },
} as const;
/** A SCIM PATCH request (RFC 7644 3.5.2), as Identity and Spend take it. */
const SCIM_PATCH = {
  type: 'object',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: { type: 'array', items: { type: 'string', enum: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }, description: l10n.t('Always the PatchOp message schema') },
    Operations: {
      type: 'array',
      description: l10n.t('The changes, applied in order'),
      items: {
        type: 'object',
        required: ['op'],
        properties: {
          op: { type: 'string', enum: ['add', 'replace', 'remove'] },
          path: { type: 'string', description: l10n.t('Attribute to change, e.g. title or name.familyName (leave out to merge `value` into the user)') },
          value: { description: l10n.t('The new value (an object of attributes when there is no path)') },
        },
      },
    },
  },
} as const;
/** JSON Merge Patch bodies (RFC 7386): only the fields sent change, none is required. */
const mergePatch = (properties: Record<string, unknown>, description: string) => ({ type: 'object', required: [], minProperties: 1, description, properties }) as const;
const jsonBody = (schema: Record<string, unknown>) => ({ contentType: 'application/json', required: true, schema }) as const;

export const BUILTIN_CATALOG: readonly Endpoint[] = [
  // Profile v1 (deprecated)
  {
    id: 'profile.me', product: 'Profile v1', title: l10n.t('My profile'), method: 'GET', path: '/profile/v1/me',
    scopes: ['user.read'], tokenTypes: ['user'], paging: 'none', params: [],
    description: l10n.t('The signed-in user\'s profile (still the call every sample uses).'), docs: `${DOCS}/profile/v1.profile.html`,
    status: { kind: 'deprecated', since: '2025-05-15', successor: 'identity.v41.user' },
  },
  // Identity v4 (read-only)
  {
    id: 'identity.v4.users', product: 'Identity v4', title: l10n.t('Users'), method: 'GET', path: '/profile/identity/v4/Users',
    scopes: IDENTITY_SCOPES, tokenTypes: ['company'], paging: 'scim',
    params: [
      { name: 'startIndex', in: 'query', default: '1', paging: true, description: l10n.t('First result, from 1') },
      { name: 'count', in: 'query', default: '100', paging: true, description: l10n.t('Results per page (at most 100)') },
    ],
    description: l10n.t('The company\'s users, SCIM paging.'), docs: `${DOCS}/profile/v4.identity.html`,
  },
  {
    id: 'identity.v4.user', product: 'Identity v4', title: l10n.t('User by id'), method: 'GET', path: '/profile/identity/v4/Users/{id}',
    scopes: IDENTITY_SCOPES, tokenTypes: ['company'], paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('One user\'s identity.'), docs: `${DOCS}/profile/v4.identity.html`,
  },
  // Identity v4.1: users' core identity, read, search, create and patch
  {
    id: 'identity.v41.users', product: 'Identity v4.1', tag: 'Users', title: l10n.t('Users'), method: 'GET', path: '/profile/identity/v4.1/Users',
    scopes: IDENTITY_SCOPES, tokenTypes: ['company'], paging: 'cursor',
    params: [
      { name: 'count', in: 'query', default: '100', paging: true, description: l10n.t('Results per page (at most 1000)') },
      { name: 'cursor', in: 'query', paging: true, description: l10n.t('The nextCursor of the previous page (empty for the first)') },
    ],
    description: l10n.t('The company\'s users, cursor paging.'), docs: `${DOCS}/profile/v4-1.identity.html`,
  },
  {
    id: 'identity.v41.user', product: 'Identity v4.1', tag: 'Users', title: l10n.t('User by id'), method: 'GET', path: '/profile/identity/v4.1/Users/{id}',
    scopes: IDENTITY_SCOPES, tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ ...USER_ID, name: 'id' }],
    description: l10n.t('One user\'s identity (a user token reads its own: the successor of Profile v1\'s /me).'), docs: `${DOCS}/profile/v4-1.identity.html`,
  },
  {
    id: 'identity.v41.search', product: 'Identity v4.1', title: l10n.t('Search users'), method: 'POST', path: '/profile/identity/v4.1/Users/.search',
    scopes: IDENTITY_SCOPES, tokenTypes: COMPANY_ONLY, paging: 'cursor', params: [],
    description: l10n.t('Finds users with a SCIM filter (e.g. userName eq "a@b.com"), cursor paging in the body.'), docs: `${DOCS}/profile/v4.1.identity.html`, tag: 'Users',
    body: jsonBody({
      type: 'object',
      required: ['schemas', 'filter'],
      properties: {
        schemas: { type: 'array', items: { type: 'string', enum: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] }, description: l10n.t('Always the SearchRequest message schema') },
        filter: { type: 'string', description: l10n.t('SCIM filter: attribute, operator (eq, ne, co, sw, ew, gt, lt, pr) and value, joined with and/or') },
        attributes: { type: 'string', description: l10n.t('Comma-separated attributes to return') },
        excludedAttributes: { type: 'string', description: l10n.t('Comma-separated attributes to leave out') },
        count: { type: 'integer', description: l10n.t('Results per page (at most 1000)') },
        cursor: { type: 'string', description: l10n.t('The nextCursor of the previous page') },
      },
    }),
  },
  {
    id: 'identity.v41.create', product: 'Identity v4.1', title: l10n.t('Create user'), method: 'POST', path: '/profile/identity/v4.1/Users',
    scopes: ['identity.user.coreenterprise.writeonly'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [],
    description: l10n.t('Creates a user\'s identity (core and enterprise attributes).'), docs: `${DOCS}/profile/v4.1.identity.html`, tag: 'Users',
    body: jsonBody({
      type: 'object',
      required: ['schemas', 'userName', 'name'],
      properties: {
        schemas: { type: 'array', items: { type: 'string', enum: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] }, description: l10n.t('The SCIM schemas the body uses') },
        userName: { type: 'string', description: l10n.t('The sign-in name, usually an e-mail address; unique in Concur') },
        name: { type: 'object', required: ['familyName', 'givenName'], properties: { familyName: STRING, givenName: STRING, middleName: STRING } },
        displayName: STRING,
        active: { type: 'boolean', description: l10n.t('Whether the user may sign in') },
        emails: { type: 'array', items: { type: 'object', required: ['value'], properties: { value: STRING, type: { type: 'string', enum: ['work', 'home', 'other'] }, verified: { type: 'boolean' } } } },
        externalId: { type: 'string', description: l10n.t('The id of the user in the caller\'s system') },
        locale: { type: 'string', description: l10n.t('e.g. en-US') },
        timezone: { type: 'string', description: l10n.t('IANA zone, e.g. America/Chicago') },
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          type: 'object',
          properties: { employeeNumber: STRING, companyId: STRING, department: STRING, costCenter: STRING, manager: { type: 'object', properties: { value: { type: 'string', description: l10n.t('The manager\'s user id') } } } },
        },
      },
    }),
  },
  {
    id: 'identity.v41.patch', product: 'Identity v4.1', title: l10n.t('Update user'), method: 'PATCH', path: '/profile/identity/v4.1/Users/{id}',
    scopes: ['identity.user.coreenterprise.writeonly'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('Changes some of a user\'s attributes with SCIM patch operations.'), docs: `${DOCS}/profile/v4.1.identity.html`, tag: 'Users',
    body: jsonBody(SCIM_PATCH),
  },
  // User Provisioning v4: bulk SCIM operations, processed asynchronously
  {
    id: 'provisioning.v4.provision', product: 'User Provisioning v4', title: l10n.t('Provision users'), method: 'POST', path: '/profile/v4/provisions',
    scopes: ['user.provision.write'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [],
    description: l10n.t('Sends a batch of SCIM user operations (create, replace, patch) to be processed in the background.'), docs: `${DOCS}/user-provisioning/v4.user-provisioning.html`,
    body: jsonBody({
      type: 'object',
      required: ['schemas', 'Operations'],
      properties: {
        schemas: { type: 'array', items: { type: 'string', enum: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'] } },
        failOnErrors: { type: 'integer', description: l10n.t('Stop after this many failed operations') },
        Operations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['method', 'path'],
            properties: {
              method: { type: 'string', enum: ['POST', 'PUT', 'PATCH'] },
              bulkId: { type: 'string', description: l10n.t('Caller\'s id of the operation, echoed in the status') },
              path: { type: 'string', description: l10n.t('/Users for a new user, /Users/{id} for an existing one') },
              data: { type: 'object', description: l10n.t('The user (Identity, Spend and Travel extensions) or the patch') },
            },
          },
        },
      },
    }),
  },
  {
    id: 'provisioning.v4.status', product: 'User Provisioning v4', title: l10n.t('Provision status'), method: 'GET', path: '/profile/v4/provisions/{provisionId}/status',
    scopes: ['user.provision.read', 'user.provision.write'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [
      { name: 'provisionId', in: 'path', required: true, description: l10n.t('The id Provision users answered') },
      { name: 'attributes', in: 'query', choices: ['operations'], description: l10n.t('operations: include each operation\'s result') },
    ],
    description: l10n.t('Whether a provisioning batch has finished, and how each operation went.'), docs: `${DOCS}/user-provisioning/v4.user-provisioning.html`,
  },
  // Spend user v4.1: reimbursement and approval settings
  {
    id: 'spend.v41.user', product: 'Spend user v4.1', title: l10n.t('Spend user'), method: 'GET', path: '/profile/spend/v4.1/Users/{id}',
    scopes: ['spend.user.general.read'], tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ ...USER_ID, name: 'id' }],
    description: l10n.t('A user\'s spend settings (reimbursement currency, approvers, …).'), docs: `${DOCS}/profile/v4-1.spend-user.html`,
  },
  {
    id: 'spend.v41.users', product: 'Spend user v4.1', title: l10n.t('Spend users'), method: 'GET', path: '/profile/spend/v4.1/Users',
    scopes: ['spend.user.general.read'], tokenTypes: COMPANY_ONLY, paging: 'scim',
    params: [
      { name: 'startIndex', in: 'query', default: '1', paging: true, description: l10n.t('First result, from 1') },
      { name: 'count', in: 'query', default: '100', paging: true, description: l10n.t('Results per page (at most 100)') },
    ],
    description: l10n.t('Every user\'s spend settings, SCIM paging.'), docs: `${DOCS}/profile/v4-1.spend-user.html`,
  },
  {
    id: 'spend.v41.patch', product: 'Spend user v4.1', title: l10n.t('Update spend user'), method: 'PATCH', path: '/profile/spend/v4.1/Users/{id}',
    scopes: ['spend.user.general.writeonly'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('Changes a user\'s spend settings (reimbursement currency, ledger, approvers, custom fields) with SCIM patch operations.'), docs: `${DOCS}/profile/v4-1.spend-user.html`,
    body: jsonBody(SCIM_PATCH),
  },
  // Expense v3: reports and the attendee list
  {
    id: 'expense.v3.reports', product: 'Expense v3', tag: 'Reports', title: l10n.t('Reports'), method: 'GET', path: '/api/v3.0/expense/reports',
    scopes: ['EXPRPT'], tokenTypes: ['user', 'company'], paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Reports per page (at most 100)') },
      { name: 'user', in: 'query', description: l10n.t('Login id of the user whose reports to list (company tokens; ALL for everyone)') },
    ],
    description: l10n.t('Expense reports with v3 paging (Items and NextPage).'), docs: `${DOCS}/expense/expense-report/v3.reports.html`,
  },
  {
    id: 'expense.v3.attendees', product: 'Expense v3', title: l10n.t('Attendees'), method: 'GET', path: '/api/v3.0/expense/attendees',
    scopes: ['ATTEND'], tokenTypes: USER_OR_COMPANY, paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Attendees per page (at most 100)') },
      { name: 'externalID', in: 'query', description: l10n.t('Only the attendee with this external id') },
    ],
    description: l10n.t('The company\'s attendee list (business guests, employees), v3 paging.'), docs: `${DOCS}/expense/attendees/v3.attendees.html`, tag: 'Attendees',
  },
  {
    id: 'expense.v3.createAttendee', product: 'Expense v3', title: l10n.t('Create attendee'), method: 'POST', path: '/api/v3.0/expense/attendees',
    scopes: ['ATTEND'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Adds an attendee to the attendee list, to be picked on expenses.'), docs: `${DOCS}/expense/attendees/v3.attendees.html`, tag: 'Attendees',
    body: jsonBody({
      type: 'object',
      required: ['AttendeeTypeID', 'LastName'],
      properties: {
        AttendeeTypeID: { type: 'string', description: l10n.t('The attendee type (from Attendee Types v3), e.g. BUSGUEST') },
        FirstName: STRING,
        LastName: STRING,
        Company: STRING,
        Title: STRING,
        ExternalID: { type: 'string', description: l10n.t('The attendee\'s id in the caller\'s system (unique)') },
        CurrencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
      },
    }),
  },
  // Expense v4: reports, expenses, itemizations, allocations and attendees
  {
    id: 'expense.v4.report', product: 'Expense v4', tag: 'Reports', title: l10n.t('Report'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}',
    scopes: ['expense.report.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID],
    description: l10n.t('One expense report.'), docs: `${DOCS}/expense/expense-report/v4.get-report-details.html`,
  },
  {
    id: 'expense.v4.toApprove', product: 'Expense v4', tag: 'Reports', title: l10n.t('Reports to approve'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/MANAGER/reportsToApprove',
    scopes: ['expense.report.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID],
    description: l10n.t('Reports waiting for the user\'s approval.'), docs: `${DOCS}/expense/expense-report/v4.reports-to-approve.html`,
  },
  {
    id: 'expense.v4.expenses', product: 'Expense v4', tag: 'Expenses', title: l10n.t('Expenses of a report'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses',
    scopes: ['expense.report.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID],
    description: l10n.t('The expenses of one report.'), docs: `${DOCS}/expense/expense-report/v4.expenses.html`,
  },
  {
    id: 'expense.v4.createReport', product: 'Expense v4', title: l10n.t('Create report'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT],
    description: l10n.t('Creates an unsubmitted report header; answers its URI.'), docs: `${EXPENSE_V4}/v4.reports.html`, tag: 'Reports',
    body: jsonBody({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', description: l10n.t('The report\'s name (up to 40 characters)') },
        businessPurpose: STRING,
        comment: STRING,
        policyId: { type: 'string', description: l10n.t('The expense policy (the user\'s default when left out)') },
        reportDate: DATE,
        startDate: DATE,
        endDate: DATE,
        countryCode: { type: 'string', description: 'ISO 3166-1 alpha-2' },
        countrySubDivisionCode: { type: 'string', description: l10n.t('ISO 3166-2, e.g. US-WA') },
        customData: CUSTOM_DATA,
      },
    }),
  },
  {
    id: 'expense.v4.updateReport', product: 'Expense v4', title: l10n.t('Update report'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID],
    description: l10n.t('Changes fields of a report header (204, no body).'), docs: `${EXPENSE_V4}/v4.reports.html`, tag: 'Reports',
    body: jsonBody(mergePatch({ name: STRING, businessPurpose: STRING, comment: STRING, reportDate: DATE, startDate: DATE, endDate: DATE, customData: CUSTOM_DATA }, l10n.t('The report header fields to change (JSON Merge Patch)'))),
  },
  {
    id: 'expense.v4.expense', product: 'Expense v4', title: l10n.t('Expense by id'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('One expense of a report, with its amounts, type, payment type and location.'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Expenses',
  },
  {
    id: 'expense.v4.createExpense', product: 'Expense v4', title: l10n.t('Create expense'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID],
    description: l10n.t('Adds an out-of-pocket expense to an unsubmitted report; answers its URI.'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Expenses',
    body: jsonBody({
      type: 'object',
      required: ['expenseType', 'transactionAmount', 'transactionDate', 'paymentType'],
      properties: {
        expenseType: ID_REF(l10n.t('The expense type (e.g. LUNCH, LODNG, AIRFR) id')),
        transactionAmount: AMOUNT,
        transactionDate: DATE,
        paymentType: ID_REF(l10n.t('The payment type (e.g. CASH) id')),
        businessPurpose: STRING,
        vendor: { type: 'object', properties: { description: { type: 'string', description: l10n.t('The merchant\'s name as typed') } } },
        location: { type: 'object', properties: { id: STRING, city: STRING, countryCode: STRING, countrySubDivisionCode: STRING } },
        isPersonalExpense: { type: 'boolean' },
        customData: CUSTOM_DATA,
      },
    }),
  },
  {
    id: 'expense.v4.updateExpense', product: 'Expense v4', title: l10n.t('Update expense'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Changes fields of an expense (204, no body).'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Expenses',
    body: jsonBody(mergePatch({ businessPurpose: STRING, transactionAmount: AMOUNT, transactionDate: DATE, expenseType: ID_REF(l10n.t('The expense type id')), isPersonalExpense: { type: 'boolean' }, customData: CUSTOM_DATA }, l10n.t('The expense fields to change (JSON Merge Patch)'))),
  },
  {
    id: 'expense.v4.itemizations', product: 'Expense v4', title: l10n.t('Itemizations of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('The itemizations splitting an expense (e.g. room rate and taxes of a hotel bill).'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Itemizations',
  },
  {
    id: 'expense.v4.createItemization', product: 'Expense v4', title: l10n.t('Create itemization'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Adds an itemization to an expense; answers its URI.'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Itemizations',
    body: jsonBody({
      type: 'object',
      required: ['expenseType', 'transactionAmount', 'transactionDate'],
      properties: { expenseType: ID_REF(l10n.t('The expense type id')), transactionAmount: AMOUNT, transactionDate: DATE, businessPurpose: STRING, isPersonalExpense: { type: 'boolean' }, customData: CUSTOM_DATA },
    }),
  },
  {
    id: 'expense.v4.allocations', product: 'Expense v4', title: l10n.t('Allocations of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/allocations',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('How an expense is split across cost centers or projects.'), docs: `${EXPENSE_V4}/v4.allocations.html`, tag: 'Allocations',
  },
  {
    id: 'expense.v4.allocation', product: 'Expense v4', title: l10n.t('Allocation by id'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/allocations/{allocationId}',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, CONTEXT, REPORT_ID, { name: 'allocationId', in: 'path', required: true, description: l10n.t('The allocation id (from Allocations of an expense)') }],
    description: l10n.t('One allocation of a report.'), docs: `${EXPENSE_V4}/v4.allocations.html`, tag: 'Allocations',
  },
  {
    id: 'expense.v4.updateAllocation', product: 'Expense v4', title: l10n.t('Update allocation'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/allocations/{allocationId}',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, { name: 'allocationId', in: 'path', required: true, description: l10n.t('The allocation id (from Allocations of an expense)') }],
    description: l10n.t('Changes an allocation\'s custom fields (where the money goes); 204, no body.'), docs: `${EXPENSE_V4}/v4.allocations.html`, tag: 'Allocations',
    body: jsonBody(mergePatch({ customData: CUSTOM_DATA, percentage: { type: 'number', description: l10n.t('Share of the expense, 0-100') } }, l10n.t('The allocation fields to change (JSON Merge Patch)'))),
  },
  {
    id: 'expense.v4.attendees', product: 'Expense v4', title: l10n.t('Attendees of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Who took part in an expense (meals, entertainment), with each person\'s share.'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Attendees',
  },
  {
    id: 'expense.v4.updateAttendees', product: 'Expense v4', title: l10n.t('Replace attendees of an expense'), method: 'PUT', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Sets the expense\'s attendee list (204, no body).'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Attendees',
    body: jsonBody({
      type: 'object',
      required: ['expenseAttendeeList'],
      properties: {
        expenseAttendeeList: {
          type: 'array',
          items: {
            type: 'object',
            required: ['attendeeId', 'transactionAmount'],
            properties: { attendeeId: { type: 'string', description: l10n.t('From the attendee list (Attendees v3)') }, transactionAmount: AMOUNT, isAmountUserEdited: { type: 'boolean' } },
          },
        },
        noShowAttendeeCount: { type: 'integer', description: l10n.t('Guests who did not come') },
      },
    }),
  },
  // Lists v4: custom lists and their items
  {
    id: 'list.v4.lists', product: 'Lists v4', title: l10n.t('Lists'), method: 'GET', path: '/list/v4/lists',
    scopes: ['spend.list.read'], tokenTypes: ['user', 'company'], paging: 'listv4',
    params: [{ name: 'page', in: 'query', default: '1', paging: true, description: l10n.t('Page, from 1') }],
    description: l10n.t('The company\'s custom lists.'), docs: `${DOCS}/list/v4.list.html`,
  },
  {
    id: 'list.v4.list', product: 'Lists v4', title: l10n.t('List by id'), method: 'GET', path: '/list/v4/lists/{listId}',
    scopes: ['spend.list.read'], tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ name: 'listId', in: 'path', required: true, description: l10n.t('The list\'s id (from Lists)') }],
    description: l10n.t('One custom list.'), docs: `${DOCS}/list/v4.list.html`,
  },
  {
    id: 'list.v4.children', product: 'Lists v4', title: l10n.t('List items'), method: 'GET', path: '/list/v4/lists/{listId}/children',
    scopes: ['spend.listitem.read'], tokenTypes: ['user', 'company'], paging: 'listv4',
    params: [
      { name: 'listId', in: 'path', required: true, description: l10n.t('The list\'s id (from Lists)') },
      { name: 'page', in: 'query', default: '1', paging: true, description: l10n.t('Page, from 1') },
    ],
    description: l10n.t('The first-level items of a list.'), docs: `${DOCS}/list/v4.list-item.html`,
  },
  {
    id: 'list.v4.item', product: 'Lists v4', title: l10n.t('List item by id'), method: 'GET', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.read'], tokenTypes: ['user', 'company'], paging: 'none',
    params: [{ name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') }],
    description: l10n.t('One list item.'), docs: `${DOCS}/list/v4.list-item.html`,
  },
  {
    id: 'list.v4.createList', product: 'Lists v4', title: l10n.t('Create list'), method: 'POST', path: '/list/v4/lists',
    scopes: ['spend.list.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Creates a custom list (needs a configuration administrator).'), docs: `${DOCS}/common/lists/v4.list.html`,
    body: jsonBody({
      type: 'object',
      required: ['value', 'levelCount', 'searchCriteria', 'displayFormat', 'category'],
      properties: {
        value: { type: 'string', description: l10n.t('The list\'s name') },
        levelCount: { type: 'integer', minimum: 1, maximum: 10, description: l10n.t('How many levels the list has') },
        searchCriteria: { type: 'string', enum: ['TEXT', 'CODE'], description: l10n.t('Whether users search by text or by code') },
        displayFormat: { type: 'string', enum: ['(CODE) TEXT', 'TEXT (CODE)'], description: l10n.t('How items are shown') },
        category: { type: 'object', required: ['id'], properties: { id: STRING, type: { type: 'string', enum: ['Normal', 'Vendor', 'Configuration'] } } },
        isReadOnly: { type: 'boolean' },
      },
    }),
  },
  {
    id: 'list.v4.updateList', product: 'Lists v4', title: l10n.t('Update list'), method: 'PUT', path: '/list/v4/lists/{listId}',
    scopes: ['spend.list.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'listId', in: 'path', required: true, description: l10n.t('The list\'s id (from Lists)') }],
    description: l10n.t('Renames a list or changes how it is searched and shown.'), docs: `${DOCS}/common/lists/v4.list.html`,
    body: jsonBody({
      type: 'object',
      required: ['value', 'searchCriteria', 'displayFormat'],
      properties: {
        value: { type: 'string', description: l10n.t('The list\'s name') },
        searchCriteria: { type: 'string', enum: ['TEXT', 'CODE'] },
        displayFormat: { type: 'string', enum: ['(CODE) TEXT', 'TEXT (CODE)'] },
      },
    }),
  },
  {
    id: 'list.v4.itemChildren', product: 'Lists v4', title: l10n.t('Children of a list item'), method: 'GET', path: '/list/v4/items/{itemId}/children',
    scopes: ['spend.listitem.read'], tokenTypes: USER_OR_COMPANY, paging: 'listv4',
    params: [
      { name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') },
      { name: 'page', in: 'query', default: '1', paging: true, description: l10n.t('Page, from 1') },
    ],
    description: l10n.t('The next level of a multi-level list below one item.'), docs: `${DOCS}/common/list-item/v4.list-item.html`,
  },
  {
    id: 'list.v4.createItem', product: 'Lists v4', title: l10n.t('Create list item'), method: 'POST', path: '/list/v4/items',
    scopes: ['spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Adds an item to a list, at the top level or below a parent item.'), docs: `${DOCS}/common/list-item/v4.list-item.html`,
    body: jsonBody({
      type: 'object',
      required: ['listId', 'shortCode', 'value'],
      properties: {
        listId: { type: 'string', description: l10n.t('The list to add to') },
        parentId: { type: 'string', description: l10n.t('The parent item, for a lower level') },
        shortCode: { type: 'string', description: l10n.t('The item\'s code at its level') },
        value: { type: 'string', description: l10n.t('The item\'s text') },
      },
    }),
  },
  {
    id: 'list.v4.updateItem', product: 'Lists v4', title: l10n.t('Update list item'), method: 'PUT', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') }],
    description: l10n.t('Changes an item\'s code or text.'), docs: `${DOCS}/common/list-item/v4.list-item.html`,
    body: jsonBody({ type: 'object', required: ['shortCode', 'value'], properties: { shortCode: STRING, value: STRING } }),
  },
  {
    id: 'list.v4.deleteItem', product: 'Lists v4', title: l10n.t('Delete list item'), method: 'DELETE', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') },
      { name: 'listId', in: 'query', description: l10n.t('The list the item belongs to') },
    ],
    description: l10n.t('Deletes a list item (and the items below it).'), docs: `${DOCS}/common/list-item/v4.list-item.html`,
  },
  // Receipts v4
  {
    id: 'receipts.v4.user', product: 'Receipts v4', title: l10n.t('Receipts of a user'), method: 'GET', path: '/receipts/v4/users/{userId}',
    scopes: ['receipts.read'], tokenTypes: ['user', 'company'], paging: 'none', params: [USER_ID],
    description: l10n.t('The user\'s receipts. The user id must be the token\'s sub.'), docs: `${DOCS}/receipts/get-started.html`,
  },
  {
    id: 'receipts.v4.post', product: 'Receipts v4', title: l10n.t('Post a receipt'), method: 'POST', path: '/receipts/v4/users/{userId}',
    scopes: ['receipts.write', 'receipts.writeonly'], tokenTypes: ['user'], paging: 'none', params: [USER_ID],
    description: l10n.t('Sends an e-receipt (JSON) for the user; answers 202 with the receipt\'s location while it is processed.'), docs: `${DOCS}/receipts/endpoints.html`,
    body: jsonBody({
      type: 'object',
      required: ['dateTime', 'total', 'currencyCode', 'merchant'],
      properties: {
        dateTime: { type: 'string', description: l10n.t('When the purchase happened, YYYY-MM-DDThh:mm:ss') },
        total: { type: 'number', description: l10n.t('Amount paid') },
        subtotal: { type: 'number' },
        taxesTotal: { type: 'number' },
        currencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        reference: { type: 'string', description: l10n.t('The merchant\'s receipt or order number') },
        merchant: { type: 'object', required: ['name'], properties: { name: STRING, taxId: STRING, location: { type: 'object', properties: { city: STRING, countryCode: STRING } } } },
        lineItems: { type: 'array', items: { type: 'object', properties: { description: STRING, quantity: { type: 'number' }, amount: { type: 'number' } } } },
      },
    }),
  },
  // Request v4: travel requests (pre-trip approval)
  {
    id: 'request.v4.requests', product: 'Request v4', title: l10n.t('Requests'), method: 'GET', path: '/travelrequest/v4/requests',
    scopes: ['travelrequest.read', 'travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'view', in: 'query', default: 'ALL', choices: ['ALL', 'ACTIVE', 'UNSUBMITTED', 'PENDING', 'VALIDATED', 'APPROVED', 'CANCELED', 'CLOSED', 'SUBMITTED', 'TOAPPROVE'], description: l10n.t('Which requests: the traveler\'s by state, or those to approve') },
      { name: 'userId', in: 'query', description: l10n.t('Whose requests (company tokens)') },
      { name: 'start', in: 'query', default: '0', description: l10n.t('Index of the first request, from 0') },
      { name: 'limit', in: 'query', default: '10', description: l10n.t('Requests per page (at most 100)') },
    ],
    description: l10n.t('The user\'s travel requests, newest first; next/previous pages are links in `operations`.'), docs: `${DOCS}/request/v4.endpoints.request-resources.html`,
  },
  {
    id: 'request.v4.request', product: 'Request v4', title: l10n.t('Request by id'), method: 'GET', path: '/travelrequest/v4/requests/{requestUuid}',
    scopes: ['travelrequest.read', 'travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (company tokens)') },
    ],
    description: l10n.t('One travel request with its dates, destination, amounts and approval state.'), docs: `${DOCS}/request/v4.endpoints.request-resources.html`,
  },
  {
    id: 'request.v4.create', product: 'Request v4', title: l10n.t('Create request'), method: 'POST', path: '/travelrequest/v4/requests',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'userId', in: 'query', description: l10n.t('The owner of the new request (required with a company token)') }],
    description: l10n.t('Creates a travel request (not submitted).'), docs: `${DOCS}/request/v4.endpoints.request-resources.html`,
    body: jsonBody({
      type: 'object',
      required: ['name', 'policy'],
      properties: {
        name: { type: 'string', description: l10n.t('The request\'s name') },
        policy: ID_REF(l10n.t('The request policy id')),
        businessPurpose: STRING,
        comment: STRING,
        startDate: DATE,
        endDate: DATE,
        startTime: { type: 'string', description: 'hh:mm' },
        endTime: { type: 'string', description: 'hh:mm' },
        mainDestination: { type: 'object', properties: { city: STRING, countryCode: STRING, countrySubDivisionCode: STRING, name: STRING } },
        travelAgency: ID_REF(l10n.t('The travel agency id')),
      },
    }),
  },
  {
    id: 'request.v4.update', product: 'Request v4', title: l10n.t('Update request'), method: 'PUT', path: '/travelrequest/v4/requests/{requestUuid}',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (company tokens)') },
    ],
    description: l10n.t('Replaces a request\'s header fields.'), docs: `${DOCS}/request/v4.endpoints.request-resources.html`,
    body: jsonBody({
      type: 'object',
      required: ['name', 'policy'],
      properties: { name: STRING, policy: ID_REF(l10n.t('The request policy id')), businessPurpose: STRING, comment: STRING, startDate: DATE, endDate: DATE },
    }),
  },
  {
    id: 'request.v4.delete', product: 'Request v4', title: l10n.t('Delete request'), method: 'DELETE', path: '/travelrequest/v4/requests/{requestUuid}',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (company tokens)') },
    ],
    description: l10n.t('Deletes an unsubmitted request.'), docs: `${DOCS}/request/v4.endpoints.request-resources.html`,
  },
  // Cash Advance v4.1
  {
    id: 'cashadvance.v41.create', product: 'Cash Advance v4.1', title: l10n.t('Create cash advance'), method: 'POST', path: '/cashadvance/v4.1/cashadvances',
    scopes: ['cashadvance.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Creates a cash advance for a user; answers its id.'), docs: `${DOCS}/cash-advance/v4-1.cash-advance.html`,
    body: jsonBody({
      type: 'object',
      required: ['amountRequested', 'name', 'userId'],
      properties: {
        amountRequested: { type: 'object', required: ['amount', 'currency'], properties: { amount: { type: 'string', description: l10n.t('Amount, as a decimal string') }, currency: { type: 'string', description: l10n.t('ISO 4217 code') } } },
        name: { type: 'string', description: l10n.t('Up to 40 characters') },
        userId: { type: 'string', description: l10n.t('The user\'s UUID') },
        purpose: STRING,
        comment: STRING,
        accountCode: { type: 'string', description: l10n.t('Defaults to the user\'s configured account code') },
      },
    }),
  },
  {
    id: 'cashadvance.v41.get', product: 'Cash Advance v4.1', title: l10n.t('Cash advance by id'), method: 'GET', path: '/cashadvance/v4.1/cashadvances/{cashAdvanceId}',
    scopes: ['cashadvance.read', 'cashadvance.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'cashAdvanceId', in: 'path', required: true, description: l10n.t('The id Create cash advance answered') }],
    description: l10n.t('One cash advance: amount, balance, approval status, issue date.'), docs: `${DOCS}/cash-advance/v4-1.cash-advance.html`,
  },
  {
    id: 'cashadvance.v41.issue', product: 'Cash Advance v4.1', title: l10n.t('Issue cash advance'), method: 'POST', path: '/cashadvance/v4.1/cashadvances/{cashAdvanceId}/issue',
    scopes: ['cashadvance.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'cashAdvanceId', in: 'path', required: true, description: l10n.t('The cash advance to issue') }],
    description: l10n.t('Marks a cash advance as issued (paid out).'), docs: `${DOCS}/cash-advance/v4-1.cash-advance.html`,
    body: jsonBody({ type: 'object', required: [], properties: { accountCode: STRING, comment: STRING, exchangeRate: { type: 'number', description: l10n.t('Default 1') } } }),
  },
  // Quick Expense v4
  {
    id: 'quickexpense.v4.list', product: 'Quick Expense v4', title: l10n.t('Quick expenses'), method: 'GET', path: '/quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses',
    scopes: ['quickexpense.read', 'quickexpense.writeonly'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, QE_CONTEXT],
    description: l10n.t('The user\'s quick expenses not yet on a report.'), docs: `${DOCS}/expense/quick-expense/v4.quick-expense.html`,
  },
  {
    id: 'quickexpense.v4.create', product: 'Quick Expense v4', title: l10n.t('Create quick expense'), method: 'POST', path: '/quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses',
    scopes: ['quickexpense.writeonly'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, QE_CONTEXT],
    description: l10n.t('Creates an expense from date, amount and type, for the user to put on a report later.'), docs: `${DOCS}/expense/quick-expense/v4.quick-expense.html`,
    body: jsonBody({
      type: 'object',
      required: ['transactionAmount', 'transactionDate'],
      properties: {
        transactionAmount: AMOUNT,
        transactionDate: DATE,
        expenseTypeId: { type: 'string', description: l10n.t('e.g. BUSML (from the expense group configuration)') },
        paymentTypeId: { type: 'string', enum: ['CASHX', 'CPAID', 'PENDC'], description: l10n.t('Cash, company paid or pending card') },
        vendor: STRING,
        comment: STRING,
        entryDetails: STRING,
        location: { type: 'object', properties: { city: STRING, countryCode: STRING, countrySubDivisionCode: STRING, id: STRING, name: STRING } },
      },
    }),
  },
  {
    id: 'quickexpense.v4.get', product: 'Quick Expense v4', title: l10n.t('Quick expense by id'), method: 'GET', path: '/quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses/{quickExpenseId}',
    scopes: ['quickexpense.read', 'quickexpense.writeonly'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, QE_CONTEXT, { name: 'quickExpenseId', in: 'path', required: true, description: l10n.t('The last segment of the quickExpenseIdUri Create answered') }],
    description: l10n.t('One quick expense.'), docs: `${DOCS}/expense/quick-expense/v4.quick-expense.html`,
  },
  // Itinerary v4 (read-only)
  {
    id: 'itinerary.v4.trip', product: 'Itinerary v4', title: l10n.t('Trip by id'), method: 'GET', path: '/travel/trips/api/v4/trip/{id}',
    scopes: ['travel.itinerary.read'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The trip\'s UUID') }],
    description: l10n.t('One trip with its bookings (air, hotel, car, rail) and segments.'), docs: `${DOCS}/travel/itinerary-v4/v4.itinerary.html`,
  },
  // Invoice v3: payment requests, vendors and purchase orders (Concur has no v4 of these)
  {
    id: 'invoice.v3.paymentRequestDigests', product: 'Invoice v3', title: l10n.t('Payment request digests'), method: 'GET', path: '/api/v3.0/invoice/paymentrequestdigests',
    scopes: ['INVPMT'], tokenTypes: USER_OR_COMPANY, paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Digests per page (at most 100)') },
      { name: 'approvalStatus', in: 'query', choices: ['R_NOTF', 'R_PEND', 'R_APPR', 'R_RESU'], description: l10n.t('Only requests in this approval state') },
    ],
    description: l10n.t('Summaries of the company\'s invoices (payment requests), v3 paging.'), docs: `${DOCS}/invoice/v3.payment-request-digest.html`, tag: 'Payment requests',
  },
  {
    id: 'invoice.v3.paymentRequest', product: 'Invoice v3', title: l10n.t('Payment request by id'), method: 'GET', path: '/api/v3.0/invoice/paymentrequest/{id}',
    scopes: ['INVPMT'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The payment request id (from Payment request digests)') }],
    description: l10n.t('One invoice with its vendor, amounts and line items.'), docs: `${DOCS}/invoice/v3.payment-request.html`, tag: 'Payment requests',
  },
  {
    id: 'invoice.v3.createPaymentRequest', product: 'Invoice v3', title: l10n.t('Create payment request'), method: 'POST', path: '/api/v3.0/invoice/paymentrequest',
    scopes: ['INVPMT'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Creates an invoice to be paid; answers its ID and URI.'), docs: `${DOCS}/invoice/v3.payment-request.html`, tag: 'Payment requests',
    body: jsonBody({
      type: 'object',
      required: ['CurrencyCode', 'InvoiceNumber', 'InvoiceAmount', 'VendorRemitAddress'],
      properties: {
        CurrencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        InvoiceNumber: { type: 'string', description: l10n.t('The vendor\'s invoice number') },
        InvoiceAmount: { type: 'string', description: l10n.t('Total, as a decimal string') },
        InvoiceDate: DATE,
        Name: STRING,
        Description: STRING,
        PurchaseOrderNumber: STRING,
        VendorRemitAddress: { type: 'object', required: ['VendorCode', 'AddressCode'], properties: { VendorCode: STRING, AddressCode: STRING } },
        LineItems: {
          type: 'object',
          properties: { LineItem: { type: 'array', items: { type: 'object', required: ['Quantity', 'UnitPrice'], properties: { Description: STRING, Quantity: { type: 'string' }, UnitPrice: { type: 'string' }, TotalPrice: { type: 'string' } } } } },
        },
      },
    }),
  },
  {
    id: 'invoice.v3.vendors', product: 'Invoice v3', title: l10n.t('Vendors'), method: 'GET', path: '/api/v3.0/invoice/vendors',
    scopes: ['INVVEN'], tokenTypes: USER_OR_COMPANY, paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Vendors per page (at most 1000)') },
      { name: 'vendorCode', in: 'query', description: l10n.t('Only the vendor with this code') },
      { name: 'vendorName', in: 'query', description: l10n.t('Only vendors with this name') },
    ],
    description: l10n.t('The company\'s vendors (suppliers to pay), v3 paging.'), docs: `${DOCS}/invoice/v3.vendor.html`, tag: 'Vendors',
  },
  {
    id: 'invoice.v3.createVendors', product: 'Invoice v3', title: l10n.t('Create vendors'), method: 'POST', path: '/api/v3.0/invoice/vendors',
    scopes: ['INVVEN'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Adds vendors in a batch; answers each one\'s outcome.'), docs: `${DOCS}/invoice/v3.vendor.html`, tag: 'Vendors',
    body: jsonBody({
      type: 'object',
      required: ['Vendor'],
      properties: {
        Vendor: {
          type: 'array',
          items: {
            type: 'object',
            required: ['VendorCode', 'AddressCode', 'VendorName'],
            properties: { VendorCode: STRING, AddressCode: STRING, VendorName: STRING, Address1: STRING, City: STRING, State: STRING, PostalCode: STRING, Country: { type: 'string', description: 'ISO 3166-1 alpha-2' }, CurrencyCode: STRING, TaxID: STRING },
          },
        },
      },
    }),
  },
  {
    id: 'invoice.v3.purchaseOrder', product: 'Invoice v3', title: l10n.t('Purchase order by id'), method: 'GET', path: '/api/v3.0/invoice/purchaseorders/{id}',
    scopes: ['INVPO'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The purchase order number') }],
    description: l10n.t('One purchase order with its line items.'), docs: `${DOCS}/invoice/v3.purchase-order.html`, tag: 'Purchase orders',
  },
  {
    id: 'invoice.v3.createPurchaseOrder', product: 'Invoice v3', title: l10n.t('Create purchase order'), method: 'POST', path: '/api/v3.0/invoice/purchaseorders',
    scopes: ['INVPO'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Creates a purchase order that invoices can be matched against.'), docs: `${DOCS}/invoice/v3.purchase-order.html`, tag: 'Purchase orders',
    body: jsonBody({
      type: 'object',
      required: ['PurchaseOrderNumber', 'CurrencyCode', 'VendorCode', 'VendorAddressCode', 'LineItem'],
      properties: {
        PurchaseOrderNumber: STRING,
        Name: STRING,
        CurrencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        VendorCode: STRING,
        VendorAddressCode: STRING,
        OrderDate: DATE,
        LineItem: {
          type: 'array',
          items: { type: 'object', required: ['LineNumber', 'Quantity', 'UnitPrice'], properties: { LineNumber: { type: 'integer' }, Description: STRING, Quantity: { type: 'number' }, UnitPrice: { type: 'number' }, ExpenseType: STRING } },
        },
      },
    }),
  },
  // Budget v4
  {
    id: 'budget.v4.items', product: 'Budget v4', title: l10n.t('Budget items'), method: 'GET', path: '/budget/v4/budgetItemHeader',
    scopes: ['budgetitem.read', 'budgetitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'adminView', in: 'query', choices: ['true', 'false'], description: l10n.t('true: every budget of the company; false: the caller\'s own') },
      { name: 'offset', in: 'query', default: '0', description: l10n.t('Offset of the first budget (pages of 50)') },
    ],
    description: l10n.t('Budget headers (without their period details), 50 at a time.'), docs: `${DOCS}/budget/v4.budget-header.html`,
  },
  {
    id: 'budget.v4.item', product: 'Budget v4', title: l10n.t('Budget item by id'), method: 'GET', path: '/budget/v4/budgetItemHeader/{id}',
    scopes: ['budgetitem.read', 'budgetitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The budget item\'s UUID (from Budget items)') }],
    description: l10n.t('One budget with its fiscal-period details and balances.'), docs: `${DOCS}/budget/v4.budget-header.html`,
  },
  {
    id: 'budget.v4.save', product: 'Budget v4', title: l10n.t('Save budget item'), method: 'POST', path: '/budget/v4/budgetItemHeader',
    scopes: ['budgetitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Creates a budget, or updates one when the body carries its id.'), docs: `${DOCS}/budget/v4.budget-header.html`,
    body: jsonBody({
      type: 'object',
      required: ['name', 'description', 'budgetItemStatusType', 'periodType', 'currencyCode', 'fiscalYear', 'owner'],
      properties: {
        id: { type: 'string', description: l10n.t('Set to update an existing budget') },
        name: { type: 'string', description: l10n.t('Name administrators see') },
        description: { type: 'string', description: l10n.t('Name users see') },
        budgetItemStatusType: { type: 'string', enum: ['OPEN', 'CLOSED', 'REMOVED'] },
        periodType: { type: 'string', enum: ['MONTHLY', 'QUARTERLY', 'YEARLY', 'DATE_RANGE'] },
        currencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        fiscalYear: ID_REF(l10n.t('The fiscal year id')),
        owner: { type: 'object', properties: { employeeUuid: STRING, email: STRING, externalUserCUUID: STRING } },
        budgetCategory: ID_REF(l10n.t('The budget category id')),
        isTest: { type: 'boolean' },
        budgetItemDetails: { type: 'array', items: { type: 'object', required: ['amount', 'fiscalPeriod'], properties: { amount: { type: 'number' }, fiscalPeriod: ID_REF(l10n.t('The fiscal period id')) } } },
      },
    }),
  },
  {
    id: 'budget.v4.delete', product: 'Budget v4', title: l10n.t('Delete budget item'), method: 'DELETE', path: '/budget/v4/budgetItemHeader/{id}',
    scopes: ['budgetitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The budget item\'s UUID') }],
    description: l10n.t('Deletes a budget that has no spending yet.'), docs: `${DOCS}/budget/v4.budget-header.html`,
  },
  // Financial Integration Service v4: approved documents for the ERP
  {
    id: 'fis.v4.transactions', product: 'Financial Integration v4', title: l10n.t('Financial transactions'), method: 'GET', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [
      { name: 'docType', in: 'path', required: true, default: 'EXPENSE', choices: ['EXPENSE', 'CASHADVANCE', 'INVOICE', 'PAYMENTBATCH'], description: l10n.t('One kind of document per call') },
      { name: 'limit', in: 'query', default: '25', description: l10n.t('Documents per page') },
      { name: 'page', in: 'query', description: l10n.t('Page number') },
      { name: 'docId', in: 'query', description: l10n.t('Only this report, invoice or cash advance') },
    ],
    description: l10n.t('Approved documents waiting to be posted to the ERP.'), docs: `${DOCS}/financial-integration/v4.financial-integration.html`,
  },
  {
    id: 'fis.v4.acknowledge', product: 'Financial Integration v4', title: l10n.t('Acknowledge transactions'), method: 'POST', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/acknowledge',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'docType', in: 'path', required: true, default: 'EXPENSE', choices: ['EXPENSE', 'CASHADVANCE', 'INVOICE', 'PAYMENTBATCH'], description: l10n.t('The kind of the documents') }],
    description: l10n.t('Says which transactions were received, taking them out of the ready queue.'), docs: `${DOCS}/financial-integration/v4.financial-integration.html`,
    body: jsonBody({
      type: 'object',
      required: ['transactionIds'],
      properties: { transactionIds: { type: 'array', items: { type: 'string' }, description: l10n.t('The transactionId of each document received') } },
    }),
  },
  {
    id: 'fis.v4.confirm', product: 'Financial Integration v4', title: l10n.t('Confirm posting'), method: 'POST', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/{transactionId}/confirmation',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [
      { name: 'docType', in: 'path', required: true, default: 'EXPENSE', choices: ['EXPENSE', 'CASHADVANCE', 'INVOICE', 'PAYMENTBATCH'], description: l10n.t('The kind of the document') },
      { name: 'transactionId', in: 'path', required: true, description: l10n.t('The transaction (from Financial transactions)') },
    ],
    description: l10n.t('Reports whether the ERP posted the document; a failure sends it back for correction.'), docs: `${DOCS}/financial-integration/v4.financial-integration.html`,
    body: jsonBody({
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['SUCCESS', 'FAILURE'] },
        erpDocumentNumber: { type: 'string', description: l10n.t('The journal entry\'s number in the ERP') },
        postingDate: DATE,
        errorMessage: { type: 'string', description: l10n.t('Why posting failed') },
      },
    }),
  },
  // Localities v5 (read-only)
  {
    id: 'localities.v5.countries', product: 'Localities v5', title: l10n.t('Countries'), method: 'GET', path: '/localities/v5/countries',
    scopes: ['locality.read'], tokenTypes: ['user', 'company', 'app'], paging: 'none', params: [],
    description: l10n.t('Every country Concur knows, with its codes.'), docs: `${DOCS}/localities/v5.localities.html`,
  },
  {
    id: 'localities.v5.country', product: 'Localities v5', title: l10n.t('Country by code'), method: 'GET', path: '/localities/v5/countries/{code}',
    scopes: ['locality.read'], tokenTypes: ['user', 'company', 'app'], paging: 'none',
    params: [{ name: 'code', in: 'path', required: true, default: 'US', description: l10n.t('ISO 3166-1 alpha-2 country code') }],
    description: l10n.t('One country.'), docs: `${DOCS}/localities/v5.localities.html`,
  },
];
