/**
 * The built-in catalog: the Concur endpoints integrators use most, written from Concur's public API
 * reference (https://developer.concur.com/api-reference/) and its API definition files
 * (https://developer.concur.com/api-explorer/) as facts in this project's own words. Each entry says
 * its method, path, parameters, scopes, token types, paging style, the reference page it was checked
 * against and its status; write operations carry a JSON Schema of their body, written here, from
 * which the body tab's skeleton and IntelliSense come.
 *
 * A body's `required` list is what Concur's reference page marks required, joined with what the
 * definition file requires of the request, except for fields the page calls read-only or gives a
 * default (a definition file that shares one schema between request and answer requires the
 * server-made `id`, which no caller sends).
 */
import { l10n } from '../platform/l10n';
import type { Endpoint, EndpointParam, TokenType } from './endpoint';

const USER_ID: EndpointParam = { name: 'userId', in: 'path', required: true, fromSession: 'sub', description: l10n.t('The user\'s UUID (the token\'s sub)') };
/** The read scopes of Identity v4 and v4.1: any one lets a token read users, each only its own attributes. */
const IDENTITY_READ = ['identity.user.core.read', 'identity.user.enterprise.read', 'identity.user.coresensitive.read', 'identity.user.ids.read'];
const IDENTITY_V41_READ = [...IDENTITY_READ, 'identity.user.sap.read'];
/** Identity writes: one scope for core and enterprise attributes, others for externalId, the SAP id and verified e-mail. */
const IDENTITY_WRITE = ['identity.user.coreenterprise.writeonly', 'identity.user.externalID.writeonly', 'identity.user.sap.writeonly', 'identity.user.emails.verified.writeonly'];
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
const TRAVELER_MANAGER_CONTEXT: EndpointParam = { ...CONTEXT, choices: ['TRAVELER', 'MANAGER', 'PROXY'], description: l10n.t('Acting as the traveler, the approving manager or a proxy') };
const MANAGER_CONTEXT: EndpointParam = { ...CONTEXT, default: 'MANAGER', choices: ['MANAGER'], description: l10n.t('Only the manager (approver) context is offered') };
const QE_CONTEXT: EndpointParam = { ...CONTEXT, choices: ['TRAVELER'], description: l10n.t('Only the traveler context is offered') };
const ALLOCATION_ID: EndpointParam = { name: 'allocationId', in: 'path', required: true, description: l10n.t('The allocation id (from Allocations of an expense)') };
const COMPANY_ONLY: readonly TokenType[] = ['company'];
const USER_ONLY: readonly TokenType[] = ['user'];
const USER_OR_COMPANY: readonly TokenType[] = ['user', 'company'];
const DOCS = 'https://developer.concur.com/api-reference';
const EXPENSE_V4 = `${DOCS}/expense/expense-report`;
const IDENTITY_V41_DOCS = `${DOCS}/profile/v4.1.identity.html`;
const PROVISIONING_DOCS = `${DOCS}/user-provisioning/v4.user-provisioning.html`;
const LIST_DOCS = `${DOCS}/common/lists/v4.list.html`;
const LIST_ITEM_DOCS = `${DOCS}/common/list-item/v4.list-item.html`;
const REQUEST_DOCS = `${DOCS}/request/v4.endpoints.request-resources.html`;
const FIS_DOCS = `${DOCS}/financial-integration/v4.financial-integration.html`;
/** The financial document types Financial Integration v4 serves, one per call. */
const FIS_DOC_TYPES = ['expense', 'invoice', 'cashadvance', 'payroll', 'requestobligation', 'reportobligation'];

// ---- Small JSON Schemas shared by the bodies below (written for this catalog).
const STRING = { type: 'string' } as const;
const BOOLEAN = { type: 'boolean' } as const;
const DATE = { type: 'string', format: 'date', description: 'YYYY-MM-DD' } as const;
const AMOUNT = {
  type: 'object',
  required: ['value', 'currencyCode'],
  properties: { value: { type: 'number', description: l10n.t('The amount') }, currencyCode: { type: 'string', description: l10n.t('ISO 4217 code, e.g. USD') } },
} as const;
/** Request v4 writes its amounts with `currency`, not `currencyCode`. */
const REQUEST_AMOUNT = {
  type: 'object',
  required: ['value', 'currency'],
  properties: { value: { type: 'number', description: l10n.t('The amount') }, currency: { type: 'string', description: l10n.t('ISO 4217 code, e.g. USD') } },
} as const;
/** An object holding just an id; `description` says whose id it is. */
const ID_REF = (description: string) => ({ type: 'object', required: ['id'], properties: { id: { type: 'string', description } } }) as const;
const CUSTOM_DATA = {
  type: 'array',
  description: l10n.t('Custom and org-unit fields configured for the form'),
  items: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: l10n.t('Field id, e.g. custom1 or orgUnit2') }, value: { type: 'string' } } },
} as const;
/** A SCIM PATCH request (RFC 7644 3.5.2), as Identity and User Provisioning take it. */
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
const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/**
 * A user as Identity v4.1 and User Provisioning v4 take it in a create or replace: Concur requires
 * `active`, `emails`, `name` and `userName`; the enterprise extension needs `companyId` when sent.
 */
const SCIM_USER = {
  type: 'object',
  required: ['active', 'emails', 'name', 'userName'],
  properties: {
    schemas: { type: 'array', items: { type: 'string' }, description: l10n.t('The SCIM schemas the body uses') },
    userName: { type: 'string', description: l10n.t('The sign-in name, usually an e-mail address; unique in Concur') },
    active: { type: 'boolean', description: l10n.t('Whether the user may sign in') },
    name: { type: 'object', required: ['familyName', 'givenName'], properties: { familyName: STRING, givenName: STRING, middleName: STRING, honorificPrefix: STRING } },
    emails: {
      type: 'array',
      items: { type: 'object', required: ['value'], properties: { value: STRING, type: { type: 'string', enum: ['work', 'home', 'work2', 'other', 'other2'] }, notifications: BOOLEAN, verified: BOOLEAN } },
    },
    displayName: STRING,
    nickName: STRING,
    title: STRING,
    externalId: { type: 'string', description: l10n.t('The id of the user in the caller\'s system') },
    preferredLanguage: { type: 'string', description: l10n.t('e.g. en-US (the default)') },
    timezone: { type: 'string', description: l10n.t('IANA zone, e.g. America/New_York (the default)') },
    entitlements: { type: 'array', items: { type: 'string', enum: ['Expense', 'Invoice', 'Request', 'Travel'] }, description: l10n.t('The products enabled for the user') },
    [SCIM_ENTERPRISE]: {
      type: 'object',
      required: ['companyId'],
      properties: {
        companyId: { type: 'string', description: l10n.t('The company\'s Concur id (cannot change)') },
        employeeNumber: STRING,
        department: STRING,
        costCenter: STRING,
        manager: { type: 'object', properties: { value: { type: 'string', description: l10n.t('The manager\'s user id') } } },
      },
    },
  },
} as const;
/** JSON Merge Patch bodies (RFC 7386): only the fields sent change, none is required. */
const mergePatch = (properties: Record<string, unknown>, description: string) => ({ type: 'object', required: [], minProperties: 1, description, properties }) as const;
const jsonBody = (schema: Record<string, unknown>) => ({ contentType: 'application/json', required: true, schema }) as const;
/** A JSON body Concur lets the caller leave out. */
const optionalJsonBody = (schema: Record<string, unknown>) => ({ contentType: 'application/json', required: false, schema }) as const;
/** Expense v4 comments: one text. */
const COMMENT_BODY = jsonBody({ type: 'object', required: ['comment'], properties: { comment: { type: 'string', description: l10n.t('The comment text') } } });
/** A Purchase Order v3 billing or shipping address: Concur requires each of these but the optional lines and name. */
const PO_ADDRESS = {
  type: 'object',
  required: ['Address1', 'City', 'CountryCode', 'ExternalID', 'PostalCode', 'StateProvince'],
  properties: { ExternalID: { type: 'string', description: l10n.t('The caller\'s unique id of the address') }, Name: STRING, Address1: STRING, Address2: STRING, City: STRING, StateProvince: STRING, PostalCode: STRING, CountryCode: STRING },
} as const;

export const BUILTIN_CATALOG: readonly Endpoint[] = [
  // Profile v1 (deprecated)
  {
    id: 'profile.me', product: 'Profile v1', title: l10n.t('My profile'), method: 'GET', path: '/profile/v1/me',
    scopes: ['user.read'], tokenTypes: ['user'], paging: 'none',
    params: [{ name: 'schema', in: 'query', description: l10n.t('compact for less, expense for the expense fields too (comma-separated)') }],
    description: l10n.t('The signed-in user\'s profile (still the call every sample uses).'), docs: `${DOCS}/profile/v1.user.html`,
    status: { kind: 'deprecated', since: '2025-05-15', successor: 'identity.v41.user' },
  },
  // Identity v4 (company tokens)
  {
    id: 'identity.v4.users', product: 'Identity v4', title: l10n.t('Users'), method: 'GET', path: '/profile/identity/v4/Users',
    scopes: IDENTITY_READ, tokenTypes: COMPANY_ONLY, paging: 'scim',
    params: [
      { name: 'startIndex', in: 'query', default: '1', paging: true, description: l10n.t('First result, from 1') },
      { name: 'count', in: 'query', default: '100', paging: true, description: l10n.t('Results per page (at most 100)') },
      { name: 'filter', in: 'query', description: l10n.t('SCIM filter on userName, employeeNumber or externalId, e.g. userName eq "a@b.com"') },
      { name: 'attributes', in: 'query', description: l10n.t('Comma-separated attributes to return') },
      { name: 'excludedAttributes', in: 'query', description: l10n.t('Comma-separated attributes to leave out') },
    ],
    description: l10n.t('The company\'s users, SCIM paging.'), docs: `${DOCS}/profile/v4.identity.html`,
  },
  {
    id: 'identity.v4.user', product: 'Identity v4', title: l10n.t('User by id'), method: 'GET', path: '/profile/identity/v4/Users/{id}',
    scopes: IDENTITY_READ, tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('One user\'s identity.'), docs: `${DOCS}/profile/v4.identity.html`,
  },
  // Identity v4.1: users' core identity (company tokens)
  {
    id: 'identity.v41.users', product: 'Identity v4.1', tag: 'Users', title: l10n.t('Users'), method: 'GET', path: '/profile/identity/v4.1/Users',
    scopes: IDENTITY_V41_READ, tokenTypes: COMPANY_ONLY, paging: 'cursor',
    params: [
      { name: 'count', in: 'query', default: '100', paging: true, description: l10n.t('Results per page (at most 1000)') },
      { name: 'cursor', in: 'query', paging: true, description: l10n.t('The nextCursor of the previous page (empty for the first)') },
      { name: 'attributes', in: 'query', description: l10n.t('Comma-separated attributes to return') },
      { name: 'excludedAttributes', in: 'query', description: l10n.t('Comma-separated attributes to leave out') },
    ],
    description: l10n.t('The company\'s users, cursor paging.'), docs: IDENTITY_V41_DOCS,
  },
  {
    id: 'identity.v41.user', product: 'Identity v4.1', tag: 'Users', title: l10n.t('User by id'), method: 'GET', path: '/profile/identity/v4.1/Users/{id}',
    scopes: IDENTITY_V41_READ, tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ ...USER_ID, name: 'id' }],
    description: l10n.t('One user\'s identity (with a company token; the successor of Profile v1\'s /me).'), docs: IDENTITY_V41_DOCS,
  },
  {
    id: 'identity.v41.search', product: 'Identity v4.1', title: l10n.t('Search users'), method: 'POST', path: '/profile/identity/v4.1/Users/.search',
    scopes: IDENTITY_V41_READ, tokenTypes: COMPANY_ONLY, paging: 'cursor', params: [],
    description: l10n.t('Finds users with a SCIM filter (e.g. userName eq "a@b.com"), cursor paging in the body.'), docs: IDENTITY_V41_DOCS, tag: 'Users',
    body: jsonBody({
      type: 'object',
      required: ['schemas'],
      properties: {
        schemas: { type: 'array', items: { type: 'string', enum: ['urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest'] }, description: l10n.t('Always Concur\'s SearchRequest message schema') },
        filter: { type: 'string', description: l10n.t('SCIM filter: attribute, operator (eq, ne, co, sw, ew, gt, lt, pr) and value, joined with and/or') },
        attributes: { type: 'array', items: { type: 'string' }, description: l10n.t('The attributes to return') },
        excludedAttributes: { type: 'array', items: { type: 'string' }, description: l10n.t('The attributes to leave out') },
        count: { type: 'integer', description: l10n.t('Results per page (at most 1000)') },
        cursor: { type: 'string', description: l10n.t('The nextCursor of the previous page') },
      },
    }),
  },
  {
    id: 'identity.v41.create', product: 'Identity v4.1', title: l10n.t('Create user'), method: 'POST', path: '/profile/identity/v4.1/Users',
    scopes: IDENTITY_WRITE, tokenTypes: COMPANY_ONLY, paging: 'none', params: [],
    description: l10n.t('Creates a user\'s identity (core and enterprise attributes).'), docs: IDENTITY_V41_DOCS, tag: 'Users',
    body: jsonBody(SCIM_USER),
  },
  {
    id: 'identity.v41.patch', product: 'Identity v4.1', title: l10n.t('Update user'), method: 'PATCH', path: '/profile/identity/v4.1/Users/{id}',
    scopes: ['identity.user.coreenterprise.writeonly', 'identity.user.externalID.writeonly', 'identity.user.sap.writeonly'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('Changes some of a user\'s attributes with SCIM patch operations.'), docs: IDENTITY_V41_DOCS, tag: 'Users',
    body: jsonBody(SCIM_PATCH),
  },
  {
    id: 'identity.v41.replace', product: 'Identity v4.1', title: l10n.t('Replace user'), method: 'PUT', path: '/profile/identity/v4.1/Users/{id}',
    scopes: IDENTITY_WRITE, tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('Replaces a user\'s whole identity: attributes left out are cleared or set to their defaults.'), docs: IDENTITY_V41_DOCS, tag: 'Users',
    body: jsonBody(SCIM_USER),
  },
  {
    id: 'identity.v41.delete', product: 'Identity v4.1', title: l10n.t('Delete user'), method: 'DELETE', path: '/profile/identity/v4.1/Users/{id}',
    scopes: ['identity.user.delete'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('Deletes a user for good; Concur advises it only for users without any transactions.'), docs: IDENTITY_V41_DOCS, tag: 'Users',
  },
  // User Provisioning v4: users' identity, spend and travel data, processed asynchronously
  {
    id: 'provisioning.v4.createUser', product: 'User Provisioning v4', title: l10n.t('Provision a user'), method: 'POST', path: '/profile/v4/Users',
    scopes: ['user.provision.write'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [],
    description: l10n.t('Creates one user (identity first; spend and travel extensions in the same body or a later patch); answers the user and a provisionId.'), docs: PROVISIONING_DOCS,
    body: jsonBody(SCIM_USER),
  },
  {
    id: 'provisioning.v4.patchUser', product: 'User Provisioning v4', title: l10n.t('Update a provisioned user'), method: 'PATCH', path: '/profile/v4/Users/{id}',
    scopes: ['user.provision.write'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The user\'s UUID') }],
    description: l10n.t('Changes a user\'s identity, spend or travel attributes with SCIM patch operations (the way to change Spend user settings).'), docs: PROVISIONING_DOCS,
    body: jsonBody(SCIM_PATCH),
  },
  {
    id: 'provisioning.v4.provision', product: 'User Provisioning v4', title: l10n.t('Provision users in bulk'), method: 'POST', path: '/profile/v4/Bulk',
    scopes: ['user.provision.write'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [],
    description: l10n.t('Sends up to 100 SCIM user operations (create, replace, patch, delete) to be processed in the background; answers the provision status.'), docs: PROVISIONING_DOCS,
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
              method: { type: 'string', enum: ['POST', 'PUT', 'PATCH', 'DELETE'] },
              bulkId: { type: 'string', description: l10n.t('Caller\'s id of the operation, echoed in the status (needed for POST)') },
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
      { name: 'provisionId', in: 'path', required: true, description: l10n.t('The provisionId (or bulk id) the provisioning request answered') },
      { name: 'attributes', in: 'query', choices: ['operations'], description: l10n.t('operations: include each operation\'s result') },
      { name: 'startIndex', in: 'query', description: l10n.t('First operation, from 1') },
      { name: 'count', in: 'query', description: l10n.t('Operations per page') },
      { name: 'state', in: 'query', choices: ['pending', 'success', 'failed'], description: l10n.t('Only the operations in this state') },
    ],
    description: l10n.t('Whether a provisioning request has finished, and how each operation went (kept for 7 days).'), docs: PROVISIONING_DOCS,
  },
  // Spend user v4.1: reimbursement and approval settings (read-only; changed through User Provisioning v4)
  {
    id: 'spend.v41.user', product: 'Spend user v4.1', title: l10n.t('Spend user'), method: 'GET', path: '/profile/spend/v4.1/Users/{id}',
    scopes: ['spend.user.general.read'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ ...USER_ID, name: 'id' }],
    description: l10n.t('A user\'s spend settings (reimbursement currency, approvers, …).'), docs: `${DOCS}/user-provisioning/spend/v4.1.spend-user-retrieval.html`,
  },
  {
    id: 'spend.v41.users', product: 'Spend user v4.1', title: l10n.t('Spend users'), method: 'GET', path: '/profile/spend/v4.1/Users',
    scopes: ['spend.user.general.read'], tokenTypes: COMPANY_ONLY, paging: 'scim',
    params: [
      { name: 'startIndex', in: 'query', default: '1', paging: true, description: l10n.t('First result, from 1') },
      { name: 'count', in: 'query', default: '100', paging: true, description: l10n.t('Results per page (at most 100)') },
      { name: 'filter', in: 'query', description: l10n.t('SCIM filter on a spend attribute, e.g. urn:ietf:params:scim:schemas:extension:spend:2.0:User:country eq "US"') },
    ],
    description: l10n.t('Every user\'s spend settings, SCIM paging.'), docs: `${DOCS}/user-provisioning/spend/v4.1.spend-user-retrieval.html`,
  },
  // Expense v3: reports and the attendee list (Attendees v3 is deprecated)
  {
    id: 'expense.v3.reports', product: 'Expense v3', tag: 'Reports', title: l10n.t('Reports'), method: 'GET', path: '/api/v3.0/expense/reports',
    scopes: ['EXPRPT'], tokenTypes: USER_OR_COMPANY, paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Reports per page (at most 100)') },
      { name: 'user', in: 'query', description: l10n.t('Login id of the user whose reports to list (company tokens; ALL for everyone)') },
    ],
    description: l10n.t('Expense reports with v3 paging (Items and NextPage).'), docs: `${EXPENSE_V4}/v3.reports.html`,
  },
  {
    id: 'expense.v3.attendees', product: 'Expense v3', title: l10n.t('Attendees'), method: 'GET', path: '/api/v3.0/expense/attendees',
    scopes: ['ATTEND'], tokenTypes: USER_OR_COMPANY, paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Attendees per page (at most 100)') },
      { name: 'externalID', in: 'query', description: l10n.t('Only the attendees with these external ids (up to 10, comma-separated)') },
      { name: 'attendeeTypeID', in: 'query', description: l10n.t('Only attendees of this type') },
      { name: 'user', in: 'query', description: l10n.t('Login id of the user acting (needs an administrator role)') },
    ],
    description: l10n.t('The company\'s attendee list (business guests, employees), v3 paging.'), docs: `${DOCS}/expense/attendees/v3.attendees.html`, tag: 'Attendees',
    status: { kind: 'deprecated', since: '2025-07-01' },
  },
  {
    id: 'expense.v3.createAttendee', product: 'Expense v3', title: l10n.t('Create attendee'), method: 'POST', path: '/api/v3.0/expense/attendees',
    scopes: ['ATTEND'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'user', in: 'query', description: l10n.t('Login id of the user adding the attendee (needs an administrator role)') }],
    description: l10n.t('Adds an attendee to the attendee list, to be picked on expenses.'), docs: `${DOCS}/expense/attendees/v3.attendees.html`, tag: 'Attendees',
    status: { kind: 'deprecated', since: '2025-07-01' },
    body: jsonBody({
      type: 'object',
      required: [],
      minProperties: 1,
      properties: {
        AttendeeTypeID: { type: 'string', description: l10n.t('The attendee type (from Attendee Types v3), e.g. BUSGUEST') },
        FirstName: STRING,
        LastName: STRING,
        MiddleInitial: STRING,
        Suffix: STRING,
        Company: STRING,
        Title: STRING,
        ExternalID: { type: 'string', description: l10n.t('The attendee\'s id in the caller\'s system (unique)') },
        CurrencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
      },
    }),
  },
  // Expense v4: reports, workflow, expenses, itemizations, allocations, attendees, comments, exceptions
  {
    id: 'expense.v4.report', product: 'Expense v4', tag: 'Reports', title: l10n.t('Report'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, CONTEXT, REPORT_ID],
    description: l10n.t('One expense report.'), docs: `${EXPENSE_V4}/v4.reports.html`,
  },
  {
    id: 'expense.v4.toApprove', product: 'Expense v4', tag: 'Reports', title: l10n.t('Reports to approve'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/MANAGER/reportsToApprove',
    scopes: ['expense.report.read', 'expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      USER_ID,
      { name: 'includeDelegateApprovals', in: 'query', required: true, default: 'false', choices: ['true', 'false'], description: l10n.t('true: also the reports the user approves as a delegate') },
      { name: 'sort', in: 'query', choices: ['reportDate', 'submitDate', 'name', 'claimedAmount', 'amountDueEmployee', 'employeeFirstName', 'employeeLastName'], description: l10n.t('Field to sort by (default reportDate)') },
      { name: 'order', in: 'query', choices: ['desc', 'asc'], description: l10n.t('Sort order (default desc)') },
    ],
    description: l10n.t('Reports waiting for the user\'s approval.'), docs: `${EXPENSE_V4}/v4.reports.html`,
  },
  {
    id: 'expense.v4.createReport', product: 'Expense v4', title: l10n.t('Create report'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT],
    description: l10n.t('Creates an unsubmitted report header; answers its URI.'), docs: `${EXPENSE_V4}/v4.reports.html`, tag: 'Reports',
    body: jsonBody({
      type: 'object',
      required: ['name', 'policyId'],
      properties: {
        name: { type: 'string', description: l10n.t('The report\'s name (up to 40 characters)') },
        policyId: { type: 'string', description: l10n.t('The expense policy the report follows') },
        businessPurpose: STRING,
        comment: STRING,
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
    description: l10n.t('Changes fields of an unsubmitted report header (204, no body).'), docs: `${EXPENSE_V4}/v4.reports.html`, tag: 'Reports',
    body: jsonBody(mergePatch({
      name: STRING, businessPurpose: STRING, comment: STRING, policyId: STRING, reportDate: DATE, startDate: DATE, endDate: DATE, countryCode: STRING, countrySubDivisionCode: STRING, isPaperReceiptsReceived: BOOLEAN, customData: CUSTOM_DATA,
    }, l10n.t('The report header fields to change (JSON Merge Patch)'))),
  },
  {
    id: 'expense.v4.submit', product: 'Expense v4', title: l10n.t('Submit report'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/reports/{reportId}/submit',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, REPORT_ID],
    description: l10n.t('Submits an unsubmitted report for approval (no body; 204).'), docs: `${EXPENSE_V4}/v4.workflows.html`, tag: 'Workflow',
  },
  {
    id: 'expense.v4.approve', product: 'Expense v4', title: l10n.t('Approve report'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/approve',
    scopes: ['expense.report.workflowstatus.write'], tokenTypes: USER_ONLY, paging: 'none', params: [USER_ID, MANAGER_CONTEXT, REPORT_ID],
    description: l10n.t('Approves a report as its approver, moving it to the next workflow step (204).'), docs: `${EXPENSE_V4}/v4.workflows.html`, tag: 'Workflow',
    body: optionalJsonBody({
      type: 'object',
      required: [],
      properties: {
        comment: { type: 'string', description: l10n.t('The approver\'s comment') },
        expenseRejectedComment: { type: 'string', description: l10n.t('Why expenses were rejected (needed when any was)') },
        statusId: { type: 'string', description: l10n.t('The workflow status to set (default A_APPR)') },
        expectedStepCode: { type: 'string', description: l10n.t('Approve only while the report is at this external validation step') },
        expectedStepSequence: { type: 'string', description: l10n.t('Approve only while the report is at this step') },
      },
    }),
  },
  {
    id: 'expense.v4.sendBack', product: 'Expense v4', title: l10n.t('Send back report'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/sendBack',
    scopes: ['expense.report.workflowstatus.write'], tokenTypes: USER_ONLY, paging: 'none', params: [USER_ID, MANAGER_CONTEXT, REPORT_ID],
    description: l10n.t('Returns a report to its owner with a comment (204).'), docs: `${EXPENSE_V4}/v4.workflows.html`, tag: 'Workflow',
    body: jsonBody({
      type: 'object',
      required: ['comment'],
      properties: {
        comment: { type: 'string', description: l10n.t('Why the report is sent back') },
        expectedStepCode: { type: 'string', description: l10n.t('Send back only while the report is at this external validation step') },
        expectedStepSequence: { type: 'string', description: l10n.t('Send back only while the report is at this step') },
      },
    }),
  },
  {
    id: 'expense.v4.recall', product: 'Expense v4', title: l10n.t('Recall report'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/recall',
    scopes: ['expense.report.workflowstatus.write'], tokenTypes: USER_ONLY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID],
    description: l10n.t('Takes a submitted report back to the unsubmitted state (no body; 204).'), docs: `${EXPENSE_V4}/v4.workflows.html`, tag: 'Workflow',
  },
  {
    id: 'expense.v4.approveAsCompany', product: 'Expense v4', title: l10n.t('Approve report (company)'), method: 'PATCH', path: '/expensereports/v4/reports/{reportId}/approve',
    scopes: ['expense.report.workflowstatus.write'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [REPORT_ID],
    description: l10n.t('Approves a report with a company token, e.g. at a system step (204).'), docs: `${EXPENSE_V4}/v4.workflows.html`, tag: 'Workflow',
    body: optionalJsonBody({
      type: 'object',
      required: [],
      properties: {
        comment: { type: 'string', description: l10n.t('The approver\'s comment') },
        expenseRejectedComment: { type: 'string', description: l10n.t('Why expenses were rejected (needed when any was)') },
        statusId: { type: 'string', description: l10n.t('The workflow status to set (default A_APPR)') },
        expectedStepCode: { type: 'string', description: l10n.t('Approve only while the report is at this external validation step') },
        expectedStepSequence: { type: 'string', description: l10n.t('Approve only while the report is at this step') },
      },
    }),
  },
  {
    id: 'expense.v4.sendBackAsCompany', product: 'Expense v4', title: l10n.t('Send back report (company)'), method: 'PATCH', path: '/expensereports/v4/reports/{reportId}/sendBack',
    scopes: ['expense.report.workflowstatus.write'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [REPORT_ID],
    description: l10n.t('Returns a report to its owner with a company token (204).'), docs: `${EXPENSE_V4}/v4.workflows.html`, tag: 'Workflow',
    body: jsonBody({
      type: 'object',
      required: ['comment'],
      properties: {
        comment: { type: 'string', description: l10n.t('Why the report is sent back') },
        expectedStepCode: { type: 'string', description: l10n.t('Send back only while the report is at this external validation step') },
        expectedStepSequence: { type: 'string', description: l10n.t('Send back only while the report is at this step') },
      },
    }),
  },
  {
    id: 'expense.v4.reportComments', product: 'Expense v4', title: l10n.t('Comments of a report'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/comments',
    scopes: ['expense.report.read', 'expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, TRAVELER_MANAGER_CONTEXT, REPORT_ID, { name: 'includeAllComments', in: 'query', choices: ['true', 'false'], description: l10n.t('true: the comments of every workflow step, not only the latest') }],
    description: l10n.t('The comments on a report header.'), docs: `${EXPENSE_V4}/v4.comments.html`, tag: 'Comments',
  },
  {
    id: 'expense.v4.createReportComment', product: 'Expense v4', title: l10n.t('Comment on a report'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/comments',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_MANAGER_CONTEXT, REPORT_ID],
    description: l10n.t('Adds a comment to a report header (201).'), docs: `${EXPENSE_V4}/v4.comments.html`, tag: 'Comments',
    body: COMMENT_BODY,
  },
  {
    id: 'expense.v4.expenses', product: 'Expense v4', tag: 'Expenses', title: l10n.t('Expenses of a report'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, { name: 'includeItemizations', in: 'query', choices: ['false', 'true'], description: l10n.t('true: list itemizations as expenses too') }],
    description: l10n.t('The expenses of one report.'), docs: `${EXPENSE_V4}/v4.expenses.html`,
  },
  {
    id: 'expense.v4.expense', product: 'Expense v4', title: l10n.t('Expense by id'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_MANAGER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('One expense of a report, with its amounts, type, payment type and location.'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Expenses',
  },
  {
    id: 'expense.v4.updateExpense', product: 'Expense v4', title: l10n.t('Update expense'), method: 'PATCH', path: '/expensereports/v4/reports/{reportId}/expenses/{expenseId}',
    scopes: ['expense.report.readwrite'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [REPORT_ID, EXPENSE_ID],
    description: l10n.t('Changes the few fields of an expense that stay open after submission: business purpose, custom fields, rejection and whether the paper original arrived (204).'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Expenses',
    body: jsonBody({
      type: 'object',
      required: ['expenseSource'],
      properties: {
        expenseSource: { type: 'string', enum: ['EA', 'MOB', 'OTHER', 'SE', 'TA', 'TR', 'UI'], description: l10n.t('Where the change comes from: Expense Assistant, mobile, other, Smart Expense, travel allowance, travel request or web UI') },
        businessPurpose: STRING,
        customData: CUSTOM_DATA,
        isExpenseRejected: { type: 'boolean', description: l10n.t('true: the approver rejects the expense; it moves to a split report') },
        isPaperReceiptReceived: BOOLEAN,
      },
    }),
  },
  {
    id: 'expense.v4.itemizations', product: 'Expense v4', title: l10n.t('Itemizations of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/itemizations',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('The itemizations splitting an expense (e.g. room rate and taxes of a hotel bill).'), docs: `${EXPENSE_V4}/v4.expenses.html`, tag: 'Itemizations',
  },
  {
    id: 'expense.v4.allocations', product: 'Expense v4', title: l10n.t('Allocations of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/allocations',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_MANAGER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('How an expense is split across cost centers or projects.'), docs: `${EXPENSE_V4}/v4.allocations.html`, tag: 'Allocations',
  },
  {
    id: 'expense.v4.allocation', product: 'Expense v4', title: l10n.t('Allocation by id'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/allocations/{allocationId}',
    scopes: ['expense.report.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, ALLOCATION_ID],
    description: l10n.t('One allocation of a report.'), docs: `${EXPENSE_V4}/v4.allocations.html`, tag: 'Allocations',
  },
  {
    id: 'expense.v4.updateAllocation', product: 'Expense v4', title: l10n.t('Update allocation'), method: 'PATCH', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/allocations/{allocationId}',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, ALLOCATION_ID],
    description: l10n.t('Changes an allocation\'s custom fields (where the money goes) on the expenses named; 204, no body.'), docs: `${EXPENSE_V4}/v4.allocations.html`, tag: 'Allocations',
    body: jsonBody({
      type: 'object',
      required: ['allocation', 'expenseIds'],
      properties: {
        allocation: { type: 'object', description: l10n.t('The allocation\'s custom fields to set'), properties: { customData: CUSTOM_DATA } },
        expenseIds: { type: 'array', items: { type: 'string' }, description: l10n.t('The expenses of the report the allocation change applies to') },
      },
    }),
  },
  {
    id: 'expense.v4.attendees', product: 'Expense v4', title: l10n.t('Attendees of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees',
    scopes: ['expense.report.read', 'expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Who took part in an expense (meals, entertainment), with each person\'s share.'), docs: `${EXPENSE_V4}/v4.expense-attendee-associations.html`, tag: 'Attendees',
  },
  {
    id: 'expense.v4.updateAttendees', product: 'Expense v4', title: l10n.t('Set attendees of an expense'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Associates a set of attendees with an expense, each with their share (201).'), docs: `${EXPENSE_V4}/v4.expense-attendee-associations.html`, tag: 'Attendees',
    body: jsonBody({
      type: 'object',
      required: [],
      minProperties: 1,
      properties: {
        expenseAttendeeList: {
          type: 'array',
          items: {
            type: 'object',
            required: ['attendeeId', 'transactionAmount'],
            properties: {
              attendeeId: { type: 'string', description: l10n.t('From the attendee list') },
              transactionAmount: { type: 'number', description: l10n.t('This attendee\'s share of the expense') },
              isAmountUserEdited: BOOLEAN,
              isTraveling: BOOLEAN,
              associatedAttendeeCount: { type: 'integer', description: l10n.t('More than 1 when the entry stands for unnamed attendees too') },
              versionNumber: { type: 'integer', description: l10n.t('Keep this version of the attendee (default: the latest)') },
              customData: CUSTOM_DATA,
            },
          },
        },
        noShowAttendeeCount: { type: 'integer', description: l10n.t('Guests who did not come') },
      },
    }),
  },
  {
    id: 'expense.v4.deleteAttendees', product: 'Expense v4', title: l10n.t('Remove attendees of an expense'), method: 'DELETE', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/attendees',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Removes every attendee from an expense (204).'), docs: `${EXPENSE_V4}/v4.expense-attendee-associations.html`, tag: 'Attendees',
  },
  {
    id: 'expense.v4.expenseComments', product: 'Expense v4', title: l10n.t('Comments of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/comments',
    scopes: ['expense.report.read', 'expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('The comments on an expense.'), docs: `${EXPENSE_V4}/v4.comments.html`, tag: 'Comments',
  },
  {
    id: 'expense.v4.createExpenseComment', product: 'Expense v4', title: l10n.t('Comment on an expense'), method: 'POST', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/comments',
    scopes: ['expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, TRAVELER_CONTEXT, REPORT_ID, EXPENSE_ID],
    description: l10n.t('Adds a comment to an expense (201).'), docs: `${EXPENSE_V4}/v4.comments.html`, tag: 'Comments',
    body: COMMENT_BODY,
  },
  {
    id: 'expense.v4.reportExceptions', product: 'Expense v4', title: l10n.t('Exceptions of a report'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/exceptions',
    scopes: ['expense.report.read', 'expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, TRAVELER_MANAGER_CONTEXT, REPORT_ID, { name: 'excludeExpenses', in: 'query', choices: ['false', 'true'], description: l10n.t('true: only the report header\'s own exceptions') }],
    description: l10n.t('The policy exceptions (warnings and errors) of a report and its expenses.'), docs: `${EXPENSE_V4}/v4.exceptions.html`, tag: 'Exceptions',
  },
  {
    id: 'expense.v4.expenseExceptions', product: 'Expense v4', title: l10n.t('Exceptions of an expense'), method: 'GET', path: '/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses/{expenseId}/exceptions',
    scopes: ['expense.report.read', 'expense.report.readwrite'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [USER_ID, TRAVELER_MANAGER_CONTEXT, REPORT_ID, EXPENSE_ID, { name: 'excludeItemizations', in: 'query', choices: ['false', 'true'], description: l10n.t('true: leave out the itemizations\' exceptions') }],
    description: l10n.t('The policy exceptions of one expense.'), docs: `${EXPENSE_V4}/v4.exceptions.html`, tag: 'Exceptions',
  },
  // Lists v4: custom lists and their items
  {
    id: 'list.v4.lists', product: 'Lists v4', title: l10n.t('Lists'), method: 'GET', path: '/list/v4/lists',
    scopes: ['spend.list.read', 'spend.list.write'], tokenTypes: USER_OR_COMPANY, paging: 'listv4',
    params: [
      { name: 'page', in: 'query', default: '1', paging: true, description: l10n.t('Page, from 1') },
      { name: 'value', in: 'query', description: l10n.t('Only lists whose name matches') },
      { name: 'sortBy', in: 'query', choices: ['name', 'levelcount', 'listcategory'], description: l10n.t('Field to sort by (default name)') },
      { name: 'sortDirection', in: 'query', choices: ['asc', 'desc'], description: l10n.t('Sort order (default asc)') },
    ],
    description: l10n.t('The company\'s custom lists.'), docs: LIST_DOCS,
  },
  {
    id: 'list.v4.list', product: 'Lists v4', title: l10n.t('List by id'), method: 'GET', path: '/list/v4/lists/{listId}',
    scopes: ['spend.list.read', 'spend.list.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'listId', in: 'path', required: true, description: l10n.t('The list\'s id (from Lists)') }],
    description: l10n.t('One custom list.'), docs: LIST_DOCS,
  },
  {
    id: 'list.v4.children', product: 'Lists v4', title: l10n.t('List items'), method: 'GET', path: '/list/v4/lists/{listId}/children',
    scopes: ['spend.listitem.read', 'spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'listv4',
    params: [
      { name: 'listId', in: 'path', required: true, description: l10n.t('The list\'s id (from Lists)') },
      { name: 'page', in: 'query', default: '1', paging: true, description: l10n.t('Page, from 1') },
    ],
    description: l10n.t('The first-level items of a list.'), docs: LIST_ITEM_DOCS,
  },
  {
    id: 'list.v4.item', product: 'Lists v4', title: l10n.t('List item by id'), method: 'GET', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.read', 'spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') }],
    description: l10n.t('One list item.'), docs: LIST_ITEM_DOCS,
  },
  {
    id: 'list.v4.createList', product: 'Lists v4', title: l10n.t('Create list'), method: 'POST', path: '/list/v4/lists',
    scopes: ['spend.list.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Creates a custom list (needs a configuration administrator).'), docs: LIST_DOCS,
    body: jsonBody({
      type: 'object',
      required: ['value'],
      properties: {
        value: { type: 'string', description: l10n.t('The list\'s name') },
        categoryId: { type: 'string', description: l10n.t('The category the list belongs to') },
        searchCriteria: { type: 'string', enum: ['TEXT', 'CODE'], description: l10n.t('Whether users search by text or by code') },
        displayFormat: { type: 'string', enum: ['(CODE) TEXT', 'TEXT (CODE)'], description: l10n.t('How items are shown') },
        isManaged: { type: 'boolean', description: l10n.t('true: only this application may change the list (default false)') },
      },
    }),
  },
  {
    id: 'list.v4.updateList', product: 'Lists v4', title: l10n.t('Update list'), method: 'PUT', path: '/list/v4/lists/{listId}',
    scopes: ['spend.list.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'listId', in: 'path', required: true, description: l10n.t('The list\'s id (from Lists)') }],
    description: l10n.t('Renames a list or changes how it is searched and shown.'), docs: LIST_DOCS,
    body: jsonBody({
      type: 'object',
      required: ['value'],
      properties: {
        value: { type: 'string', description: l10n.t('The list\'s name') },
        searchCriteria: { type: 'string', enum: ['TEXT', 'CODE'] },
        displayFormat: { type: 'string', enum: ['(CODE) TEXT', 'TEXT (CODE)'] },
        isManaged: { type: 'boolean', description: l10n.t('true: only this application may change the list') },
      },
    }),
  },
  {
    id: 'list.v4.itemChildren', product: 'Lists v4', title: l10n.t('Children of a list item'), method: 'GET', path: '/list/v4/items/{itemId}/children',
    scopes: ['spend.listitem.read', 'spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'listv4',
    params: [
      { name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') },
      { name: 'page', in: 'query', default: '1', paging: true, description: l10n.t('Page, from 1') },
    ],
    description: l10n.t('The next level of a multi-level list below one item.'), docs: LIST_ITEM_DOCS,
  },
  {
    id: 'list.v4.createItem', product: 'Lists v4', title: l10n.t('Create list item'), method: 'POST', path: '/list/v4/items',
    scopes: ['spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Adds an item to a list, at the top level or below a parent item.'), docs: LIST_ITEM_DOCS,
    body: jsonBody({
      type: 'object',
      required: ['listId', 'shortCode', 'value'],
      properties: {
        listId: { type: 'string', description: l10n.t('The list to add to') },
        parentId: { type: 'string', description: l10n.t('The parent item, for a lower level') },
        parentCode: { type: 'string', description: l10n.t('The parent item\'s code, instead of its id') },
        shortCode: { type: 'string', description: l10n.t('The item\'s code at its level') },
        value: { type: 'string', description: l10n.t('The item\'s text') },
      },
    }),
  },
  {
    id: 'list.v4.updateItem', product: 'Lists v4', title: l10n.t('Update list item'), method: 'PUT', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') }],
    description: l10n.t('Changes an item\'s code or text.'), docs: LIST_ITEM_DOCS,
    body: jsonBody({ type: 'object', required: ['shortCode', 'value'], properties: { shortCode: STRING, value: STRING } }),
  },
  {
    id: 'list.v4.deleteItem', product: 'Lists v4', title: l10n.t('Delete list item'), method: 'DELETE', path: '/list/v4/items/{itemId}',
    scopes: ['spend.listitem.delete'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'itemId', in: 'path', required: true, description: l10n.t('The item\'s id (from List items)') }],
    description: l10n.t('Deletes a list item from every list that shares it, with the items below it.'), docs: LIST_ITEM_DOCS,
  },
  // Receipts v4
  {
    id: 'receipts.v4.user', product: 'Receipts v4', title: l10n.t('Receipts of a user'), method: 'GET', path: '/receipts/v4/users/{userId}',
    scopes: ['receipts.read', 'receipts.write'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID],
    description: l10n.t('The user\'s receipts. The user id must be the token\'s sub.'), docs: `${DOCS}/receipts/endpoints.html`,
  },
  {
    id: 'receipts.v4.receipt', product: 'Receipts v4', title: l10n.t('Receipt by id'), method: 'GET', path: '/receipts/v4/{receiptId}',
    scopes: ['receipts.read', 'receipts.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'receiptId', in: 'path', required: true, description: l10n.t('The receipt id (the last segment of the Location a post answered)') }],
    description: l10n.t('One receipt, once processed.'), docs: `${DOCS}/receipts/endpoints.html`,
  },
  {
    id: 'receipts.v4.status', product: 'Receipts v4', title: l10n.t('Receipt processing status'), method: 'GET', path: '/receipts/v4/status/{receiptId}',
    scopes: ['receipts.read', 'receipts.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'receiptId', in: 'path', required: true, description: l10n.t('The receipt id (from the processing-status link a post answered)') }],
    description: l10n.t('Whether a posted receipt was accepted, is processing, processed or failed, with its event log (kept two weeks).'), docs: `${DOCS}/receipts/endpoints.html`,
  },
  {
    id: 'receipts.v4.post', product: 'Receipts v4', title: l10n.t('Post a receipt'), method: 'POST', path: '/receipts/v4/users/{userId}',
    scopes: ['receipts.write', 'receipts.writeonly'], tokenTypes: USER_ONLY, paging: 'none',
    params: [
      USER_ID,
      {
        name: 'link', in: 'header', required: true, default: '<http://schema.concursolutions.com/general-receipt.schema.json>;rel=describedBy',
        choices: ['general', 'air', 'car-rental', 'ground-transport', 'hotel', 'rail'].map((type) => `<http://schema.concursolutions.com/${type}-receipt.schema.json>;rel=describedBy`),
        description: l10n.t('The receipt schema the body follows'),
      },
    ],
    description: l10n.t('Sends an e-receipt (JSON; Concur draws its image) for the user; answers 201 with the receipt\'s Location and a processing-status Link.'), docs: `${DOCS}/receipts/endpoints.html`,
    body: jsonBody({
      type: 'object',
      required: ['dateTime', 'total', 'currencyCode', 'seller', 'payments'],
      properties: {
        dateTime: { type: 'string', description: l10n.t('When the purchase happened, with its UTC offset, e.g. 2025-07-14T12:30:00-05:00') },
        total: { type: 'string', description: l10n.t('Amount paid, as a decimal string') },
        subtotal: STRING,
        taxesTotal: STRING,
        currencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        reference: { type: 'string', description: l10n.t('The merchant\'s receipt or order number') },
        seller: {
          type: 'object',
          required: ['name', 'location'],
          properties: { name: STRING, taxId: STRING, description: STRING, location: { type: 'object', required: ['address'], properties: { name: STRING, address: { type: 'object', required: ['addressCountry'], properties: { streetAddress: STRING, addressLocality: STRING, addressRegion: STRING, addressCountry: STRING, postalCode: STRING } } } } },
        },
        payments: { type: 'array', description: l10n.t('How it was paid: cash, creditCard, companyPaid, digitalWallet or unusedTicket'), items: { type: 'object', properties: { cash: { type: 'object', required: ['amount'], properties: { amount: STRING } } } } },
        lineItems: { type: 'array', items: { type: 'object', required: ['sequenceNumber', 'description', 'total'], properties: { sequenceNumber: { type: 'integer' }, description: STRING, quantity: { type: 'integer' }, unitCost: STRING, total: STRING } } },
      },
    }),
  },
  // Request v4: travel requests (pre-trip approval)
  {
    id: 'request.v4.requests', product: 'Request v4', title: l10n.t('Requests'), method: 'GET', path: '/travelrequest/v4/requests',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      {
        name: 'view', in: 'query', default: 'ALL',
        choices: ['ALL', 'ACTIVE', 'ACTIVEAPPROVED', 'UNSUBMITTED', 'PENDING', 'VALIDATED', 'APPROVED', 'CANCELED', 'CLOSED', 'SUBMITTED', 'TOAPPROVE', 'PENDINGEBOOKING', 'PENDINGPROPOSAL', 'PROPOSALAPPROVED', 'PROPOSALCANCELED'],
        description: l10n.t('Which requests: the traveler\'s by state, those to approve, or a travel agent\'s'),
      },
      { name: 'userId', in: 'query', description: l10n.t('Whose requests (company tokens)') },
      { name: 'start', in: 'query', default: '0', description: l10n.t('Index of the first request, from 0') },
      { name: 'limit', in: 'query', default: '10', description: l10n.t('Requests per page (at most 100)') },
      { name: 'sortField', in: 'query', choices: ['startDate', 'approvalStatus', 'requestId'], description: l10n.t('Field to sort by (default startDate)') },
      { name: 'sortOrder', in: 'query', choices: ['DESC', 'ASC'], description: l10n.t('Sort order (default DESC)') },
      { name: 'modifiedAfter', in: 'query', description: l10n.t('Only requests changed after this UTC date (yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ)') },
    ],
    description: l10n.t('The user\'s travel requests, newest first; next/previous pages are links in `operations`.'), docs: REQUEST_DOCS,
  },
  {
    id: 'request.v4.request', product: 'Request v4', title: l10n.t('Request by id'), method: 'GET', path: '/travelrequest/v4/requests/{requestUuid}',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (company tokens)') },
    ],
    description: l10n.t('One travel request with its dates, destination, amounts and approval state.'), docs: REQUEST_DOCS,
  },
  {
    id: 'request.v4.create', product: 'Request v4', title: l10n.t('Create request'), method: 'POST', path: '/travelrequest/v4/requests',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'userId', in: 'query', description: l10n.t('The owner of the new request (required with a company token)') }],
    description: l10n.t('Creates a travel request (not submitted).'), docs: REQUEST_DOCS,
    body: jsonBody({
      type: 'object',
      required: [],
      minProperties: 1,
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
    description: l10n.t('Changes a request\'s header fields: only those sent change, null clears one.'), docs: REQUEST_DOCS,
    body: jsonBody({
      type: 'object',
      required: [],
      minProperties: 1,
      properties: { name: STRING, policy: ID_REF(l10n.t('The request policy id')), businessPurpose: STRING, comment: STRING, startDate: DATE, endDate: DATE, startTime: STRING, endTime: STRING, mainDestination: { type: 'object', properties: { city: STRING, countryCode: STRING, countrySubDivisionCode: STRING, name: STRING } } },
    }),
  },
  {
    id: 'request.v4.delete', product: 'Request v4', title: l10n.t('Delete request'), method: 'DELETE', path: '/travelrequest/v4/requests/{requestUuid}',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (required with a company token)') },
    ],
    description: l10n.t('Deletes an unsubmitted request.'), docs: REQUEST_DOCS,
  },
  {
    id: 'request.v4.expectedExpenses', product: 'Request v4', title: l10n.t('Expected expenses of a request'), method: 'GET', path: '/travelrequest/v4/requests/{requestUuid}/expenses',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (company tokens)') },
    ],
    description: l10n.t('The expenses a travel request plans (airfare, hotel, car, …) with their amounts.'), docs: `${DOCS}/request/v4.endpoints.expected-expense-resources.html`, tag: 'Expected expenses',
  },
  {
    id: 'request.v4.createExpectedExpense', product: 'Request v4', title: l10n.t('Add expected expense'), method: 'POST', path: '/travelrequest/v4/requests/{requestUuid}/expenses',
    scopes: ['travelrequest.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (required with a company token)') },
    ],
    description: l10n.t('Adds a planned expense to a travel request (201).'), docs: `${DOCS}/request/v4.endpoints.expected-expense-resources.html`, tag: 'Expected expenses',
    body: jsonBody({
      type: 'object',
      required: ['expenseType', 'transactionAmount', 'transactionDate'],
      properties: {
        expenseType: ID_REF(l10n.t('The expense type id, e.g. AIRFR or LODNG')),
        transactionAmount: REQUEST_AMOUNT,
        transactionDate: { type: 'string', description: l10n.t('The date of the expense, yyyy-MM-dd or an RFC 3339 date-time') },
        businessPurpose: STRING,
        location: { type: 'object', properties: { city: STRING, countryCode: STRING, countrySubDivisionCode: STRING, name: STRING } },
        vendor: { type: 'object', properties: { name: STRING } },
      },
    }),
  },
  {
    id: 'request.v4.action', product: 'Request v4', title: l10n.t('Move request in workflow'), method: 'POST', path: '/travelrequest/v4/requests/{requestUuid}/{action}',
    scopes: ['travelrequest.write', 'travelrequest.externalsystemworkflow.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [
      { name: 'requestUuid', in: 'path', required: true, description: l10n.t('The request\'s id (from Requests)') },
      { name: 'action', in: 'path', required: true, default: 'submit', choices: ['submit', 'recall', 'cancel', 'close', 'reopen', 'approve', 'sendback'], description: l10n.t('The transition: the traveler submits, recalls, cancels, closes or reopens; an approver approves or sends back') },
      { name: 'userId', in: 'query', description: l10n.t('Acting user (required with a company token, except for an external validation step)') },
      { name: 'companyId', in: 'query', description: l10n.t('The company\'s id') },
    ],
    description: l10n.t('Moves a travel request through its approval workflow; answers the request.'), docs: `${DOCS}/request/v4.endpoints.workflow-resources.html`, tag: 'Workflow',
    body: optionalJsonBody({ type: 'object', required: [], properties: { comment: { type: 'string', description: l10n.t('Why the request is sent back (sendback only)') } } }),
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
  // Quick Expense v4 (create only)
  {
    id: 'quickexpense.v4.create', product: 'Quick Expense v4', title: l10n.t('Create quick expense'), method: 'POST', path: '/quickexpense/v4/users/{userId}/context/{contextType}/quickexpenses',
    scopes: ['quickexpense.writeonly'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [USER_ID, QE_CONTEXT],
    description: l10n.t('Creates an expense from date, amount, type and place, for the user to put on a report later; answers its URI.'), docs: `${DOCS}/expense/quick-expense/v4.quick-expense.html`,
    body: jsonBody({
      type: 'object',
      required: ['expenseTypeId', 'location', 'transactionAmount', 'transactionDate'],
      properties: {
        expenseTypeId: { type: 'string', description: l10n.t('e.g. BUSML (from the expense group configuration); UNDEF when not known') },
        location: { type: 'object', properties: { city: STRING, countryCode: STRING, countrySubDivisionCode: STRING, id: STRING, name: STRING } },
        transactionAmount: AMOUNT,
        transactionDate: DATE,
        paymentTypeId: { type: 'string', enum: ['CASHX', 'CPAID', 'PENDC'], description: l10n.t('Cash, company paid or pending card') },
        vendor: STRING,
        comment: STRING,
        entryDetails: STRING,
      },
    }),
  },
  // Itinerary v4 (read-only, company tokens)
  {
    id: 'itinerary.v4.trips', product: 'Itinerary v4', title: l10n.t('Trips'), method: 'GET', path: '/travel/v4/trips',
    scopes: ['travel.itinerary.read'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [
      { name: 'schema', in: 'query', choices: ['id'], description: l10n.t('id: each trip\'s id with its link') },
      { name: 'endDateFrom', in: 'query', description: l10n.t('Trips ending on or after this date, yyyy-mm-dd (at most 6 months ago; default today)') },
      { name: 'endDateTo', in: 'query', description: l10n.t('Trips ending on or before this date, yyyy-mm-dd') },
      { name: 'startAfter', in: 'query', description: l10n.t('The page marker of the next link') },
    ],
    description: l10n.t('Links to the company\'s trips booked in the last 6 months, 10 at a time; next/previous pages are links in `operations`.'), docs: `${DOCS}/travel/itinerary-v4/v4.itinerary.html`,
  },
  {
    id: 'itinerary.v4.trip', product: 'Itinerary v4', title: l10n.t('Trip by id'), method: 'GET', path: '/travel/v4/trips/{id}',
    scopes: ['travel.itinerary.read'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The trip\'s id (from Trips)') }],
    description: l10n.t('One trip with its bookings (air, hotel, car, rail) and segments.'), docs: `${DOCS}/travel/itinerary-v4/v4.itinerary.html`,
  },
  // Invoice v3: payment requests, vendors and purchase orders
  {
    id: 'invoice.v3.paymentRequestDigests', product: 'Invoice v3', title: l10n.t('Payment request digests'), method: 'GET', path: '/api/v3.0/invoice/paymentrequestdigests',
    scopes: ['INVPMT'], tokenTypes: USER_OR_COMPANY, paging: 'v3',
    params: [
      { name: 'limit', in: 'query', default: '25', paging: true, description: l10n.t('Digests per page (Concur\'s default is 1000)') },
      { name: 'approvalStatus', in: 'query', description: l10n.t('Only requests in this approval state (a code from Localized Data)') },
      { name: 'paymentStatus', in: 'query', description: l10n.t('Only requests in this payment state (a code from Localized Data)') },
      { name: 'vendorInvoiceNumber', in: 'query', description: l10n.t('Only the request with this vendor invoice number') },
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
      required: ['CountryCode', 'InvoiceAmount', 'Name', 'VendorRemitToIdentifier'],
      properties: {
        Name: { type: 'string', description: l10n.t('The invoice\'s name') },
        CountryCode: { type: 'string', description: 'ISO 3166-1 alpha-2' },
        InvoiceAmount: { type: 'string', description: l10n.t('Total, as a decimal string') },
        VendorRemitToIdentifier: {
          type: 'object',
          description: l10n.t('The vendor address to pay: its VendorCode, or its Name, Address1 and PostalCode'),
          properties: { VendorCode: STRING, AddressCode: STRING, Name: STRING, Address1: STRING, PostalCode: STRING },
        },
        CurrencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        InvoiceNumber: { type: 'string', description: l10n.t('The vendor\'s invoice number') },
        InvoiceDate: STRING,
        Description: STRING,
        PurchaseOrderNumber: { type: 'string', description: l10n.t('The purchase order to match (or give LedgerCode, an employee or ExternalPolicyId)') },
        LedgerCode: STRING,
        EmployeeLoginId: STRING,
        ExternalPolicyId: STRING,
        LineItems: {
          type: 'array',
          items: { type: 'object', properties: { Description: STRING, ExpenseTypeCode: STRING, Quantity: STRING, UnitPrice: STRING, TotalPrice: STRING, PurchaseOrderNumber: STRING } },
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
      { name: 'searchType', in: 'query', choices: ['exact', 'begins', 'contains', 'ends'], description: l10n.t('How the search values match (default exact)') },
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
            required: ['VendorCode', 'AddressCode'],
            properties: { VendorCode: STRING, AddressCode: STRING, VendorName: STRING, Address1: STRING, City: STRING, State: STRING, PostalCode: STRING, Country: STRING, CountryCode: STRING, CurrencyCode: STRING, TaxID: STRING },
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
      required: ['BillToAddress', 'CurrencyCode', 'LineItem', 'Name', 'OrderDate', 'PolicyExternalID', 'ShipToAddress', 'VendorAddressCode', 'VendorCode'],
      properties: {
        Name: { type: 'string', description: l10n.t('A name for the purchase order') },
        PurchaseOrderNumber: STRING,
        CurrencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        OrderDate: DATE,
        PolicyExternalID: { type: 'string', description: l10n.t('The external id of the purchase order policy') },
        VendorCode: STRING,
        VendorAddressCode: STRING,
        BillToAddress: PO_ADDRESS,
        ShipToAddress: PO_ADDRESS,
        Description: STRING,
        LineItem: {
          type: 'array',
          items: {
            type: 'object',
            required: ['ExternalID', 'LineNumber', 'Quantity', 'UnitPrice'],
            properties: { ExternalID: { type: 'string', description: l10n.t('The line\'s unique id within the purchase order') }, LineNumber: STRING, Description: STRING, Quantity: STRING, UnitPrice: STRING, ExpenseType: STRING, AccountCode: STRING },
          },
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
      { name: 'responseSchema', in: 'query', choices: ['COMPACT'], description: l10n.t('COMPACT: without managers, approvers, viewers, team members and fiscal periods') },
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
      required: ['budgetItemDetails', 'budgetItemStatusType', 'description', 'fiscalYear', 'name', 'owner'],
      properties: {
        id: { type: 'string', description: l10n.t('Set to update an existing budget') },
        name: { type: 'string', description: l10n.t('Name administrators see') },
        description: { type: 'string', description: l10n.t('Name users see') },
        budgetItemStatusType: { type: 'string', enum: ['OPEN', 'CLOSED', 'REMOVED'] },
        budgetType: { type: 'string', enum: ['PERSONAL_USE', 'BUDGET', 'RESTRICTED', 'TEAM'] },
        currencyCode: { type: 'string', description: l10n.t('ISO 4217 code') },
        fiscalYear: ID_REF(l10n.t('The fiscal year id')),
        owner: { type: 'object', description: l10n.t('The person responsible (pass externalUserCUUID and email)'), properties: { externalUserCUUID: STRING, email: STRING, employeeUuid: STRING } },
        budgetCategory: ID_REF(l10n.t('The budget category id')),
        isTest: BOOLEAN,
        budgetItemDetails: {
          type: 'array',
          description: l10n.t('The amount of each fiscal period'),
          items: { type: 'object', required: ['amount', 'fiscalPeriod'], properties: { amount: { type: 'number' }, currencyCode: STRING, fiscalPeriod: ID_REF(l10n.t('The fiscal period id')) } },
        },
      },
    }),
  },
  {
    id: 'budget.v4.delete', product: 'Budget v4', title: l10n.t('Delete budget item'), method: 'DELETE', path: '/budget/v4/budgetItemHeader/{id}',
    scopes: ['budgetitem.write'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'id', in: 'path', required: true, description: l10n.t('The budget item\'s UUID') }],
    description: l10n.t('Deletes a budget that has no spending yet.'), docs: `${DOCS}/budget/v4.budget-header.html`,
  },
  // Financial Integration Service v4: approved documents for the ERP (company tokens)
  {
    id: 'fis.v4.transactions', product: 'Financial Integration v4', title: l10n.t('Financial transactions'), method: 'GET', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [
      { name: 'docType', in: 'path', required: true, default: 'expense', choices: FIS_DOC_TYPES, description: l10n.t('One kind of document per call') },
      { name: 'limit', in: 'query', default: '25', description: l10n.t('Documents per page') },
      { name: 'page', in: 'query', default: '0', description: l10n.t('Page number, from 0') },
      { name: 'docId', in: 'query', description: l10n.t('Only this report, invoice or cash advance') },
      { name: 'ignoreDocumentStatus', in: 'query', choices: ['no', 'yes'], description: l10n.t('yes: also documents already acknowledged or confirmed') },
      { name: 'systemId', in: 'query', description: l10n.t('The external system that processes the documents') },
      { name: 'documentFormatAs', in: 'header', choices: ['json', 'text'], description: l10n.t('The format of each document in the answer') },
    ],
    description: l10n.t('Approved documents waiting to be posted to the ERP.'), docs: FIS_DOCS,
  },
  {
    id: 'fis.v4.acknowledge', product: 'Financial Integration v4', title: l10n.t('Acknowledge transactions'), method: 'POST', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/acknowledgements',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'docType', in: 'path', required: true, default: 'expense', choices: FIS_DOC_TYPES, description: l10n.t('The kind of the documents') }],
    description: l10n.t('Says which documents were received, taking them out of the ready queue; answers each one\'s result.'), docs: FIS_DOCS,
    body: jsonBody({
      type: 'object',
      required: ['ids', 'systemId'],
      properties: {
        ids: { type: 'array', items: { type: 'string' }, description: l10n.t('The id of each document received') },
        systemId: { type: 'string', description: l10n.t('The external system that received them (may be empty)') },
      },
    }),
  },
  {
    id: 'fis.v4.confirm', product: 'Financial Integration v4', title: l10n.t('Confirm posting'), method: 'POST', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/postingconfirmations',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'docType', in: 'path', required: true, default: 'expense', choices: FIS_DOC_TYPES, description: l10n.t('The kind of the documents') }],
    description: l10n.t('Reports whether the ERP posted each document; an error sends it back for correction.'), docs: FIS_DOCS,
    body: jsonBody({
      type: 'object',
      required: ['systemId', 'postingConfirmations'],
      properties: {
        systemId: { type: 'string', description: l10n.t('The external system that posted them (may be empty)') },
        postingConfirmations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['docId', 'overallPostingStatusCode', 'systemMessages'],
            properties: {
              docId: { type: 'string', description: l10n.t('The document (from Financial transactions)') },
              overallPostingStatusCode: { type: 'string', enum: ['success', 'error'] },
              postingDocs: {
                type: 'array',
                items: { type: 'object', required: ['companyId'], properties: { companyId: { type: 'string', description: l10n.t('The ERP\'s organizational unit') }, documentNumber: { type: 'string', description: l10n.t('The journal entry\'s number in the ERP') }, fiscalYear: { type: 'integer' }, postingDate: DATE } },
              },
              systemMessages: {
                type: 'array',
                description: l10n.t('Messages for the audit trail (may be empty)'),
                items: { type: 'object', properties: { messageId: STRING, messageLanguage: STRING, messageShortText: STRING, concurTransactionLineItemId: STRING } },
              },
            },
          },
        },
      },
    }),
  },
  {
    id: 'fis.v4.confirmPayment', product: 'Financial Integration v4', title: l10n.t('Confirm payment'), method: 'POST', path: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions/paymentconfirmations',
    scopes: ['FISVC'], tokenTypes: COMPANY_ONLY, paging: 'none',
    params: [{ name: 'docType', in: 'path', required: true, default: 'expense', choices: ['expense'], description: l10n.t('The kind of the documents (Concur takes payment confirmations for expense reports)') }],
    description: l10n.t('Reports what the ERP paid for each document: completely or partly paid, reversed or obsolete.'), docs: FIS_DOCS,
    body: jsonBody({
      type: 'object',
      required: ['systemId'],
      properties: {
        systemId: { type: 'string', description: l10n.t('The external system that paid them (may be empty)') },
        processingConfirmation: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              docId: { type: 'string', description: l10n.t('The document (from Financial transactions)') },
              processingStatusCode: { type: 'string', enum: ['CP', 'PP', 'RE', 'OB'], description: l10n.t('Completely paid, partly paid, reversal or obsolete') },
              additionalMessage: STRING,
              clearingDetails: {
                type: 'array',
                items: { type: 'object', properties: { clearingDate: STRING, clearingAmount: { type: 'number' }, clearingCurrency: STRING, receiver: { type: 'object', properties: { receiverId: STRING, receiverName: STRING, receiverType: STRING } }, clearingReference: { type: 'object', properties: { companyCode: STRING, financialDocumentId: STRING, fiscalYear: STRING, paymentRef: { type: 'string', description: l10n.t('Unique for each confirmation') }, paymentMethod: { type: 'string', enum: ['E', 'C'] } } } } },
              },
            },
          },
        },
      },
    }),
  },
  // Exchange Rate v4: the company's own currency rates (company tokens)
  {
    id: 'exchangerate.v4.upload', product: 'Exchange Rate v4', title: l10n.t('Upload exchange rates'), method: 'POST', path: '/exchangerate/v4/rates',
    scopes: ['expense.exchangerate.writeonly'], tokenTypes: COMPANY_ONLY, paging: 'none', params: [],
    description: l10n.t('Sets custom exchange rates from a start date on; answers each rate\'s outcome.'), docs: `${DOCS}/expense/exchange-rate/v4.exchange-rate.html`,
    body: jsonBody({
      type: 'object',
      required: ['currency_sets'],
      properties: {
        currency_sets: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from_crn_code', 'to_crn_code', 'start_date', 'rate'],
            properties: {
              from_crn_code: { type: 'string', description: l10n.t('ISO 4217 code of the currency converted from') },
              to_crn_code: { type: 'string', description: l10n.t('ISO 4217 code of the currency converted to') },
              start_date: DATE,
              rate: { type: 'number', description: l10n.t('The rate') },
            },
          },
        },
      },
    }),
  },
  // Localities v5 (read-only)
  {
    id: 'localities.v5.countries', product: 'Localities v5', title: l10n.t('Countries'), method: 'GET', path: '/localities/v5/countries',
    scopes: ['locality.read'], tokenTypes: USER_OR_COMPANY, paging: 'none', params: [],
    description: l10n.t('Every country Concur knows, with its codes.'), docs: `${DOCS}/common/locations/v5.localities.html`,
  },
  {
    id: 'localities.v5.country', product: 'Localities v5', title: l10n.t('Country by code'), method: 'GET', path: '/localities/v5/countries/{countryCode}',
    scopes: ['locality.read'], tokenTypes: USER_OR_COMPANY, paging: 'none',
    params: [{ name: 'countryCode', in: 'path', required: true, default: 'US', description: l10n.t('ISO 3166-1 alpha-2 country code') }],
    description: l10n.t('One country.'), docs: `${DOCS}/common/locations/v5.localities.html`,
  },
];
