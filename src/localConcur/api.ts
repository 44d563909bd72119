/** The Concur API resources served at a token's home datacenter, with each family's paging and errors. */
import { COMPANY, SCOPES } from './directory';
import { money, type ExpenseRecord, type ListItemRecord, type ListRecord, type ReceiptRecord, type ReportRecord, type UserRecord } from './data';
import type { ServerEnv } from './env';
import { apiError, sendJson, type ApiFamily, type Ctx } from './http';
import { hashSeed } from './prng';
import type { AccessRecord, Principal } from './tokens';

export type Handler = (ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]) => void;

export interface Route {
  pattern: RegExp;
  /** GET when absent; HEAD is served by the GET route. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  family: ApiFamily;
  /** Any one of these scopes grants access. */
  scopes: readonly string[];
  principals: ReadonlyArray<Principal['type']>;
  handle: Handler;
}

const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SCIM_CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SPEND_USER = 'urn:ietf:params:scim:schemas:extension:spend:2.0:User';
const SPEND_APPROVER = 'urn:ietf:params:scim:schemas:extension:spend:2.0:Approver';
const LIST_JSON = 'application/json;charset=UTF-8';
const LIST_PAGE_SIZE = 100;
const SCIM_MAX_COUNT = 100;
const CURSOR_MAX_COUNT = 1000;
const V3_DEFAULT_LIMIT = 25;
const V3_MAX_LIMIT = 100;
const CONTEXTS = new Set(['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY']);

/** The reads of the built-in catalog's families (the writes are in writes.ts, uploads.ts and expenseWorkflow.ts; routes.ts puts them together). */
export const READ_ROUTES: readonly Route[] = [
  { pattern: /^\/profile\/v1\/me$/, family: 'legacy', scopes: ['user.read'], principals: ['user'], handle: profileMe },
  { pattern: /^\/profile\/v1\/principals\/([^/]+)$/, family: 'legacy', scopes: ['user.read'], principals: ['user', 'company'], handle: profilePrincipal },
  { pattern: /^\/profile\/identity\/v4\/Users$/i, family: 'scim', scopes: SCOPES.identity, principals: ['company'], handle: identityUsersByIndex },
  { pattern: /^\/profile\/identity\/v4\/Users\/([^/]+)$/i, family: 'scim', scopes: SCOPES.identity, principals: ['company'], handle: identityUser('v4') },
  { pattern: /^\/profile\/identity\/v4\.1\/Users$/i, family: 'scim', scopes: SCOPES.identityV41, principals: ['company'], handle: identityUsersByCursor },
  // Identity v4.1 and Spend user v4.1 take company tokens only, as Concur's reference says.
  { pattern: /^\/profile\/identity\/v4\.1\/Users\/([^/]+)$/i, family: 'scim', scopes: SCOPES.identityV41, principals: ['company'], handle: identityUser('v4.1') },
  { pattern: /^\/profile\/spend\/v4\.1\/Users$/i, family: 'scim', scopes: ['spend.user.general.read'], principals: ['company'], handle: spendUsers },
  { pattern: /^\/profile\/spend\/v4\.1\/Users\/([^/]+)$/i, family: 'scim', scopes: ['spend.user.general.read'], principals: ['company'], handle: spendUser },
  { pattern: /^\/api\/v3\.0\/expense\/reports$/i, family: 'legacy', scopes: ['EXPRPT'], principals: ['user', 'company'], handle: v3Reports },
  { pattern: /^\/expensereports\/v4\/users\/([^/]+)\/context\/([^/]+)\/reportsToApprove$/, family: 'expense4', scopes: ['expense.report.read', 'expense.report.readwrite'], principals: ['user', 'company'], handle: reportsToApprove },
  { pattern: /^\/expensereports\/v4\/users\/([^/]+)\/context\/([^/]+)\/reports\/([^/]+)$/, family: 'expense4', scopes: ['expense.report.read'], principals: ['user', 'company'], handle: v4Report },
  { pattern: /^\/expensereports\/v4\/users\/([^/]+)\/context\/([^/]+)\/reports\/([^/]+)\/expenses$/, family: 'expense4', scopes: ['expense.report.read'], principals: ['user', 'company'], handle: v4Expenses },
  { pattern: /^\/list\/v4\/lists$/, family: 'list4', scopes: ['spend.list.read'], principals: ['user', 'company'], handle: lists },
  { pattern: /^\/list\/v4\/lists\/([^/]+)$/, family: 'list4', scopes: ['spend.list.read'], principals: ['user', 'company'], handle: listById },
  { pattern: /^\/list\/v4\/lists\/([^/]+)\/children$/, family: 'list4', scopes: ['spend.listitem.read'], principals: ['user', 'company'], handle: listChildren },
  { pattern: /^\/list\/v4\/items\/([^/]+)$/, family: 'list4', scopes: ['spend.listitem.read'], principals: ['user', 'company'], handle: itemById },
  { pattern: /^\/list\/v4\/items\/([^/]+)\/children$/, family: 'list4', scopes: ['spend.listitem.read'], principals: ['user', 'company'], handle: itemChildren },
  { pattern: /^\/receipts\/v4\/users\/([^/]+)$/, family: 'receipts', scopes: ['receipts.read', 'receipts.write'], principals: ['user', 'company'], handle: receipts },
  { pattern: /^\/localities\/v5\/countries$/, family: 'localities', scopes: ['locality.read'], principals: ['user', 'company'], handle: countries },
  { pattern: /^\/localities\/v5\/countries\/([^/]+)$/, family: 'localities', scopes: ['locality.read'], principals: ['user', 'company'], handle: countryByCode },
];

/**
 * The live access token of the `Authorization: Bearer` header at this datacenter, or undefined once
 * the 401 has been sent (no bearer, unknown token, another datacenter's token, expired).
 */
export function authenticateBearer(ctx: Ctx, env: ServerEnv, family: ApiFamily): AccessRecord | undefined {
  const header = ctx.req.headers.authorization;
  const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!bearer) {
    env.count('apiUnauthorized');
    apiError(ctx, family, 401, 'Authorization header with a Bearer token is required');
    return undefined;
  }
  const auth = env.store.access.get(bearer[1]);
  // Another datacenter's gateway doesn't know the token: the same answer as an unknown token.
  if (!auth || auth.principal.home !== ctx.dc) {
    env.count('apiUnauthorized');
    apiError(ctx, family, 401, 'Invalid access token');
    return undefined;
  }
  if (auth.exp <= Math.floor(ctx.now / 1000)) {
    env.count('apiUnauthorized');
    apiError(ctx, family, 401, 'Access token has expired');
    return undefined;
  }
  return auth;
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Integer query parameter; `undefined` when absent, NaN when not an integer. */
export function intParam(ctx: Ctx, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') {
    return undefined;
  }
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
}

/** v3 dates carry no zone designator. */
function noZ(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/Z$/, '');
}

export function amount(cents: number, currencyCode: string): { value: number; currencyCode: string } {
  return { value: money(cents), currencyCode };
}

// ---------------------------------------------------------------- Profile v1

function profileV1(env: ServerEnv, user: UserRecord): Record<string, unknown> {
  const manager = user.managerIndex === undefined ? undefined : env.dataset.users[user.managerIndex];
  return {
    id: user.id,
    displayName: user.displayName,
    name: { formatted: user.displayName, familyName: user.familyName, givenName: user.givenName },
    emails: [{ value: user.email, type: 'work', primary: true, verified: true }],
    phoneNumbers: [
      { value: user.workPhone, type: 'work', primary: true },
      { value: user.mobilePhone, type: 'mobile', primary: false },
    ],
    addresses: [{ type: 'work', ...user.address, primary: true }],
    active: user.active,
    userType: 'Employee',
    meta: { created: user.created, lastModified: user.lastModified, resourceType: 'User' },
    schemas: [SCIM_CORE, 'com:concur:Employee:1.0', 'com:concur:TravelPreferences:1.0'],
    'com:concur:Employee:1.0': {
      employeeId: user.employeeId,
      companyId: COMPANY.id,
      companyName: COMPANY.name,
      userName: user.userName,
      title: user.title,
      department: user.department,
      costCenter: user.costCenter,
      managerId: manager?.id ?? null,
      locale: user.locale,
      timezone: user.timezone,
      reimbursementCurrency: user.currency,
    },
    'com:concur:TravelPreferences:1.0': {
      air: { seatPreference: user.travel.seat, mealPreference: user.travel.meal, homeAirport: user.travel.homeAirport },
      rail: { seatPreference: user.travel.railSeat },
      car: { carType: user.travel.carType, transmission: 'Automatic', smokingPreference: 'NonSmoking' },
      hotel: { roomType: user.travel.hotelRoom, smokingPreference: 'NonSmoking' },
    },
  };
}

function profileMe(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const user = auth.principal.user;
  if (!user) {
    apiError(ctx, 'legacy', 404, 'Principal is not a user');
    return;
  }
  sendJson(ctx, 200, profileV1(env, user));
}

function profilePrincipal(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  if (auth.principal.type === 'company' && sameId(id, COMPANY.id)) {
    sendJson(ctx, 200, { id: COMPANY.id, displayName: COMPANY.name, userType: 'Company', meta: { resourceType: 'Company' } });
    return;
  }
  if (auth.principal.type === 'user' && !sameId(id, auth.principal.sub)) {
    apiError(ctx, 'legacy', 403, 'Access to another principal is not allowed');
    return;
  }
  const user = env.dataset.usersById.get(id.toLowerCase());
  if (!user) {
    apiError(ctx, 'legacy', 404, 'Principal not found');
    return;
  }
  sendJson(ctx, 200, profileV1(env, user));
}

// ---------------------------------------------------------------- Identity v4 / v4.1, Spend v4.1

export function identityResource(env: ServerEnv, ctx: Ctx, user: UserRecord, version: string): Record<string, unknown> {
  const manager = user.managerIndex === undefined ? undefined : env.dataset.users[user.managerIndex];
  return {
    schemas: [SCIM_CORE, SCIM_ENTERPRISE],
    id: user.id,
    meta: { resourceType: 'User', created: user.created, lastModified: user.lastModified, version: `W/"${hashSeed(user.lastModified).toString(16)}"`, location: `${ctx.origin}/profile/identity/${version}/Users/${user.id}` },
    userName: user.userName,
    displayName: user.displayName,
    name: { formatted: user.displayName, familyName: user.familyName, givenName: user.givenName },
    title: user.title,
    active: user.active,
    emails: [{ value: user.email, type: 'work', verified: true }],
    phoneNumbers: [
      { value: user.workPhone, type: 'work', primary: true },
      { value: user.mobilePhone, type: 'mobile' },
    ],
    addresses: [{ type: 'work', ...user.address }],
    locale: user.locale,
    preferredLanguage: user.locale,
    timezone: user.timezone,
    [SCIM_ENTERPRISE]: {
      employeeNumber: user.employeeId,
      companyId: COMPANY.id,
      organization: COMPANY.name,
      department: user.department,
      costCenter: user.costCenter,
      ...(manager ? { manager: { value: manager.id, employeeNumber: manager.employeeId, displayName: manager.displayName } } : {}),
    },
  };
}

export function spendResource(env: ServerEnv, ctx: Ctx, user: UserRecord): Record<string, unknown> {
  const manager = user.managerIndex === undefined ? undefined : env.dataset.users[user.managerIndex];
  return {
    schemas: [SCIM_CORE, SPEND_USER, SPEND_APPROVER],
    id: user.id,
    meta: { resourceType: 'User', created: user.created, lastModified: user.lastModified, location: `${ctx.origin}/profile/spend/v4.1/Users/${user.id}` },
    [SPEND_USER]: {
      reimbursementCurrency: user.currency,
      reimbursementType: 'ADP_PAYROLL',
      country: user.address.country,
      ledgerCode: 'DEFAULT',
      cashAdvanceAccountCode: `CA${user.employeeId.slice(1)}`,
      testEmployee: false,
      customData: [
        { id: 'custom1', value: user.department },
        { id: 'orgUnit1', value: user.costCenter },
      ],
    },
    [SPEND_APPROVER]: {
      expense: manager ? [{ approver: { value: manager.id, displayName: manager.displayName }, primary: true }] : [],
    },
  };
}

/** SCIM `startIndex` (1-based) + `count`, as Identity v4 and Spend v4.1 page. */
export function scimIndexPage(ctx: Ctx, items: UserRecord[], toResource: (u: UserRecord) => unknown): void {
  const startParam = intParam(ctx, 'startIndex');
  const countParam = intParam(ctx, 'count');
  if (Number.isNaN(startParam) || Number.isNaN(countParam)) {
    apiError(ctx, 'scim', 400, 'startIndex and count must be integers', { scimType: 'invalidValue' });
    return;
  }
  // SCIM (RFC 7644 3.4.2.4): startIndex below 1 means 1; count is capped by the server.
  const startIndex = Math.max(1, startParam ?? 1);
  const count = Math.min(SCIM_MAX_COUNT, Math.max(0, countParam ?? SCIM_MAX_COUNT));
  const page = items.slice(startIndex - 1, startIndex - 1 + count);
  sendJson(ctx, 200, {
    schemas: [SCIM_LIST],
    totalResults: items.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page.map(toResource),
  });
}

function identityUsersByIndex(ctx: Ctx, env: ServerEnv): void {
  scimIndexPage(ctx, env.dataset.users, (u) => identityResource(env, ctx, u, 'v4'));
}

function encodeCursor(offset: number): string {
  return Buffer.from(`u:${offset}:${hashSeed(`cursor:${offset}`).toString(36)}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const m = /^u:(\d+):([0-9a-z]+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || hashSeed(`cursor:${m[1]}`).toString(36) !== m[2]) {
    return undefined;
  }
  return Number(m[1]);
}

/** Identity v4.1: opaque `cursor` in, `nextCursor` out, absent on the last page. */
function identityUsersByCursor(ctx: Ctx, env: ServerEnv): void {
  const users = env.dataset.users;
  const countParam = intParam(ctx, 'count');
  if (Number.isNaN(countParam)) {
    apiError(ctx, 'scim', 400, 'count must be an integer', { scimType: 'invalidValue' });
    return;
  }
  const count = Math.min(CURSOR_MAX_COUNT, Math.max(1, countParam ?? CURSOR_MAX_COUNT));
  const cursor = ctx.query.get('cursor');
  let offset = 0;
  if (cursor) {
    const decoded = decodeCursor(cursor);
    if (decoded === undefined || decoded > users.length) {
      apiError(ctx, 'scim', 400, 'The cursor is invalid or has expired', { scimType: 'invalidCursor' });
      return;
    }
    offset = decoded;
  }
  const page = users.slice(offset, offset + count);
  const next = offset + page.length;
  sendJson(ctx, 200, {
    schemas: [SCIM_LIST],
    totalResults: users.length,
    itemsPerPage: page.length,
    Resources: page.map((u) => identityResource(env, ctx, u, 'v4.1')),
    ...(next < users.length ? { nextCursor: encodeCursor(next) } : {}),
  });
}

function identityUser(version: string): Handler {
  return (ctx, env, _auth, [id]) => {
    if (env.state.deletedUsers.has(id.toLowerCase())) {
      apiError(ctx, 'scim', 404, `User ${id} not found`);
      return;
    }
    const changed = env.state.identity.get(id.toLowerCase());
    if (changed) {
      sendJson(ctx, 200, changed);
      return;
    }
    const user = env.dataset.usersById.get(id.toLowerCase());
    if (!user) {
      apiError(ctx, 'scim', 404, `User ${id} not found`);
      return;
    }
    sendJson(ctx, 200, identityResource(env, ctx, user, version));
  };
}

function spendUsers(ctx: Ctx, env: ServerEnv): void {
  scimIndexPage(ctx, env.dataset.users, (u) => spendResource(env, ctx, u));
}

function spendUser(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const user = env.dataset.usersById.get(id.toLowerCase());
  if (!user) {
    apiError(ctx, 'scim', 404, `User ${id} not found`);
    return;
  }
  sendJson(ctx, 200, env.state.spend.get(user.id) ?? spendResource(env, ctx, user));
}

// ---------------------------------------------------------------- Expense v3

/** v3 paging markers are opaque strings, not numbers: clients must follow `NextPage`. */
export function encodeMarker(offset: number): string {
  return `gW${Buffer.from(`o${offset}.${hashSeed(`v3:${offset}`) % 997}`).toString('base64url')}`;
}

export function decodeMarker(marker: string): number | undefined {
  if (/^\d+$/.test(marker)) {
    return Number(marker);
  }
  if (!marker.startsWith('gW')) {
    return undefined;
  }
  const m = /^o(\d+)\.(\d+)$/.exec(Buffer.from(marker.slice(2), 'base64url').toString('utf8'));
  if (!m || hashSeed(`v3:${m[1]}`) % 997 !== Number(m[2])) {
    return undefined;
  }
  return Number(m[1]);
}

function v3Item(env: ServerEnv, ctx: Ctx, report: ReportRecord): Record<string, unknown> {
  const owner = env.dataset.users[report.ownerIndex];
  const approver = report.approverIndex === undefined ? undefined : env.dataset.users[report.approverIndex];
  const approved = report.approval.code === 'A_APPR';
  return {
    Name: report.name,
    Total: money(report.total),
    CurrencyCode: report.currency,
    Country: report.countryCode,
    CountrySubdivision: report.subdivision,
    CreateDate: noZ(report.creationDate),
    SubmitDate: noZ(report.submitDate),
    ProcessingPaymentDate: report.payment.code === 'P_NOTP' ? null : noZ(report.paidDate ?? report.lastModified),
    PaidDate: noZ(report.paidDate),
    ReceiptsReceived: report.approval.code !== 'A_NOTF',
    UserDefinedDate: noZ(`${report.reportDate}T00:00:00Z`),
    LastComment: null,
    OwnerLoginID: owner.userName,
    OwnerName: owner.displayName,
    ApproverLoginID: approver?.userName ?? null,
    ApproverName: approver?.displayName ?? null,
    ApprovalStatusName: report.approval.name,
    ApprovalStatusCode: report.approval.code,
    PaymentStatusName: report.payment.name,
    PaymentStatusCode: report.payment.code,
    LastModifiedDate: noZ(report.lastModified),
    PersonalAmount: 0,
    AmountDueEmployee: money(report.total),
    AmountDueCompanyCard: 0,
    TotalClaimedAmount: money(report.total),
    TotalApprovedAmount: approved ? money(report.total) : 0,
    LedgerName: 'DEFAULT',
    PolicyID: 'EE095F66AEF52B4A9CE62952601E5CB1',
    EverSentBack: report.approval.code === 'A_RESU',
    HasException: false,
    WorkflowActionUrl: null,
    ID: report.id,
    URI: `${ctx.origin}/api/v3.0/expense/reports/${report.id}`,
  };
}

function v3Reports(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const limitParam = intParam(ctx, 'limit');
  if (Number.isNaN(limitParam) || (limitParam !== undefined && limitParam < 1)) {
    apiError(ctx, 'legacy', 400, 'The limit parameter must be a positive integer');
    return;
  }
  const limit = Math.min(V3_MAX_LIMIT, limitParam ?? V3_DEFAULT_LIMIT);
  const offsetParam = ctx.query.get('offset');
  const offset = offsetParam ? decodeMarker(offsetParam) : 0;
  if (offset === undefined) {
    apiError(ctx, 'legacy', 400, 'The offset parameter is not valid');
    return;
  }
  const userParam = ctx.query.get('user') || undefined;
  let reports: ReportRecord[];
  if (auth.principal.type === 'user') {
    const me = auth.principal.user as UserRecord;
    if (userParam && userParam.toLowerCase() !== me.userName) {
      apiError(ctx, 'legacy', 403, 'You are not authorized to view reports of other users');
      return;
    }
    reports = env.dataset.reportsByOwner.get(me.index) ?? [];
  } else if (!userParam || userParam.toUpperCase() === 'ALL') {
    reports = env.dataset.reports;
  } else {
    const owner = env.dataset.usersByName.get(userParam.toLowerCase());
    reports = owner ? env.dataset.reportsByOwner.get(owner.index) ?? [] : [];
  }
  const page = reports.slice(offset, offset + limit);
  let nextPage: string | null = null;
  if (offset + limit < reports.length) {
    const q = new URLSearchParams({ offset: encodeMarker(offset + limit), limit: String(limit) });
    if (userParam) {
      q.set('user', userParam);
    }
    nextPage = `${ctx.origin}/api/v3.0/expense/reports?${q.toString()}`;
  }
  sendJson(ctx, 200, { Items: page.map((r) => v3Item(env, ctx, r)), NextPage: nextPage });
}

// ---------------------------------------------------------------- Expense v4

export function link(href: string): Record<string, unknown> {
  return { rel: 'self', href, hreflang: null, media: null, title: null, type: null, deprecation: null, method: 'GET', isTemplated: false };
}

/** Resolves `{userId}` of a v4 path: a user token may only name itself; a company token anyone. */
export function v4User(ctx: Ctx, env: ServerEnv, auth: AccessRecord, userId: string, context: string): UserRecord | undefined {
  if (!CONTEXTS.has(context)) {
    apiError(ctx, 'expense4', 400, `Invalid contextType: ${context}`, {
      validationErrors: [{ id: 'contextType', message: 'Supported values: TRAVELER, MANAGER, PROCESSOR, PROXY', source: 'path' }],
    });
    return undefined;
  }
  if (auth.principal.type === 'user' && !sameId(userId, auth.principal.sub)) {
    apiError(ctx, 'expense4', 403, 'The userId does not match the access token');
    return undefined;
  }
  const user = env.dataset.usersById.get(userId.toLowerCase());
  if (!user) {
    apiError(ctx, 'expense4', 404, `User ${userId} not found`);
    return undefined;
  }
  return user;
}

export function reportInContext(env: ServerEnv, user: UserRecord, context: string, reportId: string): ReportRecord | undefined {
  const report = env.state.findReport(reportId);
  if (!report) {
    return undefined;
  }
  if (context === 'TRAVELER') {
    return report.ownerIndex === user.index ? report : undefined;
  }
  if (context === 'MANAGER') {
    return report.approverIndex === user.index ? report : undefined;
  }
  return report;
}

function v4ReportBody(env: ServerEnv, ctx: Ctx, report: ReportRecord, userId: string, context: string): Record<string, unknown> {
  const c = report.currency;
  const approved = report.approval.code === 'A_APPR';
  return {
    reportId: report.id,
    name: report.name,
    businessPurpose: report.businessPurpose,
    userId: env.dataset.users[report.ownerIndex].id,
    reportDate: report.reportDate,
    creationDate: report.creationDate,
    submitDate: report.submitDate,
    approvalStatus: report.approval.name,
    approvalStatusId: report.approval.code,
    paymentStatus: report.payment.name,
    paymentStatusId: report.payment.code,
    concurAuditStatus: 'NOTR',
    currency: c,
    currencyCode: c,
    countryCode: report.countryCode,
    countrySubDivisionCode: report.subdivision,
    reportTotal: amount(report.total, c),
    claimedAmount: amount(report.total, c),
    approvedAmount: amount(approved ? report.total : 0, c),
    amountDueEmployee: amount(report.total, c),
    amountDueCompany: amount(0, c),
    amountDueCompanyCard: amount(0, c),
    amountCompanyPaid: amount(0, c),
    personalAmount: amount(0, c),
    amountNotApproved: amount(0, c),
    ledger: 'DEFAULT',
    policy: 'Globex Expense Policy',
    policyId: 'EE095F66AEF52B4A9CE62952601E5CB1',
    reportType: 'Regular',
    isSubmitted: report.submitDate !== null,
    isSentBack: report.approval.code === 'A_RESU',
    isReceiptImageAvailable: true,
    isReceiptImageRequired: true,
    isPaperReceiptsReceived: false,
    isFinancialIntegrationEnabled: false,
    canRecall: report.approval.code === 'A_PEND',
    canReopen: false,
    isReopened: false,
    reportVersion: 0,
    links: [link(`${ctx.origin}/expensereports/v4/users/${userId}/context/${context}/reports/${report.id}`)],
  };
}

/** The report a v4 route names, seen from `context`; undefined once the error has been sent. */
export function v4ReportFor(ctx: Ctx, env: ServerEnv, auth: AccessRecord, userId: string, context: string, reportId: string): ReportRecord | undefined {
  const user = v4User(ctx, env, auth, userId, context);
  if (!user) {
    return undefined;
  }
  const report = reportInContext(env, user, context, reportId);
  if (!report) {
    apiError(ctx, 'expense4', 404, `Report ${reportId} not found`);
  }
  return report;
}

function v4Report(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId]: string[]): void {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return;
  }
  sendJson(ctx, 200, v4ReportBody(env, ctx, report, userId, context));
}

export function v4ExpenseBody(ctx: Ctx, report: ReportRecord, e: ExpenseRecord, userId: string, context: string): Record<string, unknown> {
  return {
    expenseId: e.expenseId,
    transactionDate: e.transactionDate,
    expenseType: { ...e.expenseType, isDeleted: false },
    businessPurpose: e.businessPurpose,
    vendor: { id: null, name: e.vendor, description: e.vendor },
    location: { id: null, name: e.city, city: e.city, countryCode: e.countryCode, countrySubDivisionCode: null },
    transactionAmount: amount(e.amount, e.currency),
    postedAmount: amount(e.amount, e.currency),
    claimedAmount: amount(e.isPersonal ? 0 : e.amount, e.currency),
    approvedAmount: amount(report.approval.code === 'A_APPR' && !e.isPersonal ? e.amount : 0, e.currency),
    paymentType: e.paymentType,
    isPersonalExpense: e.isPersonal,
    hasExceptions: false,
    isImageRequired: true,
    receiptImageId: e.receiptImageId,
    ereceiptImageId: null,
    hasMissingReceiptDeclaration: !e.hasReceipt,
    links: [link(`${ctx.origin}/expensereports/v4/users/${userId}/context/${context}/reports/${report.id}/expenses/${e.expenseId}`)],
  };
}

function v4Expenses(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId]: string[]): void {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return;
  }
  sendJson(ctx, 200, env.state.expensesOf(report).map((e) => v4ExpenseBody(ctx, report, e, userId, context)));
}

function reportsToApprove(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context]: string[]): void {
  const user = v4User(ctx, env, auth, userId, context);
  if (!user) {
    return;
  }
  if (context !== 'MANAGER') {
    apiError(ctx, 'expense4', 400, 'reportsToApprove is only available in the MANAGER context', {
      validationErrors: [{ id: 'contextType', message: 'Supported value: MANAGER', source: 'path' }],
    });
    return;
  }
  const delegate = ctx.query.get('includeDelegateApprovals');
  if (delegate !== 'true' && delegate !== 'false') {
    apiError(ctx, 'expense4', 400, 'includeDelegateApprovals is required: true or false', {
      validationErrors: [{ id: 'includeDelegateApprovals', message: 'Required query parameter (true or false)', source: 'query' }],
    });
    return;
  }
  const pending = env.state.pendingFor(user.index, env.dataset.pendingByApprover.get(user.index) ?? []);
  sendJson(
    ctx,
    200,
    pending.map((report) => {
      const owner = env.dataset.users[report.ownerIndex];
      return {
        reportId: report.id,
        name: report.name,
        reportDate: report.reportDate,
        submitDate: report.submitDate,
        approvalStatus: report.approval.name,
        approvalStatusId: report.approval.code,
        reportTotal: amount(report.total, report.currency),
        claimedAmount: amount(report.total, report.currency),
        approvedAmount: amount(report.total, report.currency),
        employee: { id: owner.id, employeeId: owner.employeeId, firstName: owner.givenName, lastName: owner.familyName },
        hasExceptions: false,
        links: [link(`${ctx.origin}/expensereports/v4/users/${userId}/context/MANAGER/reports/${report.id}`)],
      };
    }),
  );
}

// ---------------------------------------------------------------- Lists v4

/** List v4 paging: `page` from 1, fixed page size of 100. */
function listPage<T>(ctx: Ctx, items: readonly T[], view: (item: T) => unknown): void {
  const pageParam = intParam(ctx, 'page');
  if (Number.isNaN(pageParam) || (pageParam !== undefined && pageParam < 1)) {
    apiError(ctx, 'list4', 400, 'page must be a positive integer', { id: 'INVALID_PAGE' });
    return;
  }
  const page = pageParam ?? 1;
  const content = items.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
  sendJson(
    ctx,
    200,
    {
      links: [],
      content: content.map(view),
      page: { size: LIST_PAGE_SIZE, totalElements: items.length, totalPages: Math.ceil(items.length / LIST_PAGE_SIZE), number: page },
    },
    { 'cache-control': 'no-cache, private' },
    LIST_JSON,
  );
}

export function listView(list: ListRecord): Record<string, unknown> {
  return {
    id: list.id,
    value: list.value,
    levelCount: list.levelCount,
    searchCriteria: list.searchCriteria,
    displayFormat: list.displayFormat,
    category: list.category,
    isReadOnly: list.isReadOnly,
    isDeleted: list.isDeleted,
    managedBy: list.managedBy,
  };
}

export function itemView(item: ListItemRecord): Record<string, unknown> {
  return {
    id: item.id,
    code: item.code,
    shortCode: item.shortCode,
    value: item.value,
    parentId: item.parentId,
    level: item.level,
    isDeleted: false,
    lists: [{ id: item.listId, hasChildren: item.children.length > 0 }],
  };
}

function lists(ctx: Ctx, env: ServerEnv): void {
  const shadowed = env.dataset.lists.map((l) => env.state.listsById.get(l.id) ?? l);
  listPage(ctx, [...shadowed, ...env.state.lists.filter((l) => !env.dataset.listsById.has(l.id))], listView);
}

function listById(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const list = env.state.findList(id);
  if (!list) {
    apiError(ctx, 'list4', 404, `List ${id} not found`, { id: 'LIST_NOT_FOUND' });
    return;
  }
  sendJson(ctx, 200, listView(list), { 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function listChildren(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const list = env.state.findList(id);
  if (!list) {
    apiError(ctx, 'list4', 404, `List ${id} not found`, { id: 'LIST_NOT_FOUND' });
    return;
  }
  listPage(ctx, env.state.childrenOf(list.id, null, list.items), itemView);
}

function itemById(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const item = env.state.findItem(id);
  if (!item) {
    apiError(ctx, 'list4', 404, `List item ${id} not found`, { id: 'LIST_ITEM_NOT_FOUND' });
    return;
  }
  sendJson(ctx, 200, itemView(item), { 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function itemChildren(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const item = env.state.findItem(id);
  if (!item) {
    apiError(ctx, 'list4', 404, `List item ${id} not found`, { id: 'LIST_ITEM_NOT_FOUND' });
    return;
  }
  listPage(ctx, env.state.childrenOf(item.listId, item.id, item.children), itemView);
}

// ---------------------------------------------------------------- Receipts v4

/** A receipt as Receipts v4 answers it. */
export function receiptView(ctx: Ctx, r: ReceiptRecord): Record<string, unknown> {
  return {
    id: r.id,
    userId: r.userId,
    dateTimeReceived: r.dateTimeReceived,
    receipt: r.data ?? {
      merchant: { name: r.merchant },
      total: money(r.total),
      currencyCode: r.currency,
      dateTime: `${r.transactionDate}T12:00:00`,
      category: r.category,
    },
    validationSchema: r.schema ?? 'https://schema.concursolutions.com/general-receipt.schema.json',
    image: `${ctx.origin}/receipts/v4/${r.id}/image`,
    self: `${ctx.origin}/receipts/v4/${r.id}`,
  };
}

function receipts(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId]: string[]): void {
  // Receipts v4 takes the user id from the URL but only trusts the token's `sub`.
  const user = auth.principal.user;
  if (!user || !sameId(userId, auth.principal.sub)) {
    apiError(ctx, 'receipts', 403, 'userId does not match the token subject');
    return;
  }
  sendJson(ctx, 200, {
    receipts: [...env.dataset.receiptsOf(user), ...(env.state.receipts.get(user.id) ?? [])].map((r) => receiptView(ctx, r)),
    next: null,
  });
}

// ---------------------------------------------------------------- Localities v5

function countries(ctx: Ctx, env: ServerEnv): void {
  sendJson(ctx, 200, {
    countries: env.dataset.countries.map((c) => ({
      code: c.code,
      active: true,
      names: [{ name: c.name, langCode: 'en' }],
      currencies: [{ code: c.currency }],
      links: [{ rel: 'self', href: `${ctx.origin}/localities/v5/countries/${c.code}` }],
    })),
  });
}

function countryByCode(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [code]: string[]): void {
  if (!/^[A-Za-z]{2}$/.test(code)) {
    apiError(ctx, 'localities', 400, 'countryCode must be a two-letter ISO code');
    return;
  }
  const country = env.dataset.countriesByCode.get(code.toUpperCase());
  if (!country) {
    apiError(ctx, 'localities', 404, `Country ${code} not found`);
    return;
  }
  sendJson(ctx, 200, {
    code: country.code,
    active: true,
    numCode: country.numCode,
    alpha3Code: country.alpha3,
    distanceUnitCode: country.distanceUnitCode,
    names: [{ name: country.name, langCode: 'en' }],
    currencies: [{ code: country.currency }],
    links: [{ rel: 'self', href: `${ctx.origin}/localities/v5/countries/${country.code}` }],
  });
}
