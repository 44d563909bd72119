/**
 * The write endpoints of the extension's catalog (and the reads that come with them), each family as
 * Concur's public API reference (https://developer.concur.com/api-reference/) describes it: the
 * same paths, scopes and token types as the catalog, bodies in the family's own shape. Bodies must be
 * JSON with the fields the reference marks required, else 400 with the family's error body. What
 * they create or change lives in the server's `MockState`, so a following GET sees it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExpenseRecord, ListItemRecord, ListRecord, ReportRecord, UserRecord } from './data';
import { COMPANY, SCOPES } from './directory';
import type { ServerEnv } from './env';
import { apiError, sendEmpty, sendJson, type ApiFamily, type Ctx } from './http';
import { amount, decodeMarker, encodeMarker, identityResource, intParam, itemView, link, listView, sameId, spendResource, v4ExpenseBody, v4ReportFor, v4User, type Handler, type Route } from './api';
import { hashSeed } from './prng';
import { newRequest } from './state';
import type { AccessRecord } from './tokens';

type Json = Record<string, unknown>;

const SCIM_CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SPEND_USER = 'urn:ietf:params:scim:schemas:extension:spend:2.0:User';
const LIST_JSON = 'application/json;charset=UTF-8';
const V4 = '^\\/expensereports\\/v4\\/users\\/([^/]+)\\/context\\/([^/]+)';
const R = (source: string): RegExp => new RegExp(source);
const hexId = (bytes = 16): string => randomBytes(bytes).toString('hex').toUpperCase();
const today = (ctx: Ctx): string => new Date(ctx.now).toISOString().slice(0, 10);
const nowIso = (ctx: Ctx): string => new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------- bodies

/**
 * The request body as a JSON object with every `required` field present (not null or empty), or
 * undefined once a 400 in the family's error shape has been sent.
 */
function readBody(ctx: Ctx, family: ApiFamily, required: readonly string[]): Json | undefined {
  const text = ctx.body.toString('utf8').trim();
  let value: unknown;
  if (!text) {
    apiError(ctx, family, 400, 'A JSON request body is required', family === 'expense4' ? { validationErrors: [{ message: 'The body is empty', source: 'body' }] } : { scimType: 'invalidSyntax' });
    return undefined;
  }
  try {
    value = JSON.parse(text);
  } catch {
    apiError(ctx, family, 400, 'The request body is not valid JSON', family === 'expense4' ? { validationErrors: [{ message: 'Malformed JSON', source: 'body' }] } : { scimType: 'invalidSyntax' });
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    apiError(ctx, family, 400, 'The request body must be a JSON object', { scimType: 'invalidSyntax' });
    return undefined;
  }
  const body = value as Json;
  const missing = required.filter((name) => body[name] === undefined || body[name] === null || body[name] === '');
  if (missing.length) {
    apiError(ctx, family, 400, `Missing required field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, {
      scimType: 'invalidValue',
      id: 'MISSING_REQUIRED_FIELD',
      validationErrors: missing.map((name) => ({ id: name, message: `${name} is required`, source: 'body' })),
    });
    return undefined;
  }
  return body;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function amountOf(value: unknown): { value: number; currencyCode: string } | undefined {
  const a = obj(value);
  const n = typeof a.value === 'number' ? a.value : Number(a.value);
  return Number.isFinite(n) && typeof a.currencyCode === 'string' ? { value: n, currencyCode: a.currencyCode } : undefined;
}

function userOf(env: ServerEnv, id: string): UserRecord | undefined {
  return env.dataset.usersById.get(id.toLowerCase());
}

/** The acting user of a user token, or the named user for a company token. */
function actingUser(ctx: Ctx, env: ServerEnv, auth: AccessRecord, family: ApiFamily, named?: string | null): UserRecord | undefined {
  if (auth.principal.type === 'user') {
    if (named && !sameId(named, auth.principal.sub)) {
      apiError(ctx, family, 403, 'A user token may only act for its own user');
      return undefined;
    }
    return auth.principal.user;
  }
  const user = named ? userOf(env, named) : env.dataset.users[0];
  if (!user) {
    apiError(ctx, family, 404, `User ${named} not found`);
  }
  return user;
}

// ---------------------------------------------------------------- Identity v4.1, User Provisioning v4, Spend v4.1

function identityCreate(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', ['schemas', 'userName', 'name']);
  if (!body) {
    return;
  }
  const userName = str(body.userName).toLowerCase();
  const taken = env.dataset.usersByName.has(userName) || [...env.state.identity.values()].some((u) => str(u.userName).toLowerCase() === userName);
  if (taken) {
    apiError(ctx, 'scim', 409, `userName ${body.userName} is already taken`, { scimType: 'uniqueness' });
    return;
  }
  const id = randomUUID();
  const name = obj(body.name);
  const created = nowIso(ctx);
  const resource: Json = {
    schemas: [SCIM_CORE, SCIM_ENTERPRISE],
    id,
    meta: { resourceType: 'User', created, lastModified: created, version: `W/"${hashSeed(created).toString(16)}"`, location: `${ctx.origin}/profile/identity/v4.1/Users/${id}` },
    userName: body.userName,
    displayName: body.displayName ?? `${str(name.givenName)} ${str(name.familyName)}`.trim(),
    name: { formatted: `${str(name.givenName)} ${str(name.familyName)}`.trim(), ...name },
    active: body.active ?? true,
    emails: body.emails ?? [{ value: body.userName, type: 'work', verified: false }],
    ...(body.externalId ? { externalId: body.externalId } : {}),
    locale: body.locale ?? 'en-US',
    timezone: body.timezone ?? 'America/Chicago',
    [SCIM_ENTERPRISE]: { companyId: COMPANY.id, organization: COMPANY.name, ...obj(body[SCIM_ENTERPRISE]) },
  };
  env.state.identity.set(id, resource);
  sendJson(ctx, 201, resource, { location: String((resource.meta as Json).location) });
}

/** Applies SCIM PATCH operations (add/replace/remove, dotted paths or a value object) to a resource. */
function applyScimPatch(ctx: Ctx, resource: Json, body: Json): boolean {
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    apiError(ctx, 'scim', 400, 'Operations must be a non-empty array', { scimType: 'invalidSyntax' });
    return false;
  }
  for (const raw of operations) {
    const op = str(obj(raw).op).toLowerCase();
    const path = str(obj(raw).path);
    const value = obj(raw).value;
    if (!['add', 'replace', 'remove'].includes(op)) {
      apiError(ctx, 'scim', 400, `Unsupported op ${str(obj(raw).op) || '(none)'}`, { scimType: 'invalidSyntax' });
      return false;
    }
    if (!path) {
      if (op === 'remove' || !value || typeof value !== 'object') {
        apiError(ctx, 'scim', 400, 'An operation without a path needs an object value', { scimType: 'noTarget' });
        return false;
      }
      for (const [key, v] of Object.entries(value as Json)) {
        resource[key] = v && typeof v === 'object' && !Array.isArray(v) ? { ...obj(resource[key]), ...(v as Json) } : v;
      }
      continue;
    }
    // "urn:…:User:attribute" addresses an extension's attribute; "a.b" a sub-attribute.
    const urn = /^(urn:.+):([^:]+)$/.exec(path);
    const target = urn ? (resource[urn[1]] = obj(resource[urn[1]])) : resource;
    const parts = (urn ? urn[2] : path).split('.');
    let holder = target as Json;
    for (const part of parts.slice(0, -1)) {
      holder = holder[part] = obj(holder[part]);
    }
    const last = parts[parts.length - 1];
    if (op === 'remove') {
      delete holder[last];
    } else {
      holder[last] = value;
    }
  }
  const meta = obj(resource.meta);
  resource.meta = { ...meta, lastModified: nowIso(ctx), version: `W/"${hashSeed(`${nowIso(ctx)}${JSON.stringify(resource).length}`).toString(16)}"` };
  return true;
}

function identityPatch(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const existing = env.state.identity.get(id.toLowerCase());
  const user = existing ? undefined : userOf(env, id);
  if (!existing && !user) {
    apiError(ctx, 'scim', 404, `User ${id} not found`);
    return;
  }
  const body = readBody(ctx, 'scim', ['schemas', 'Operations']);
  if (!body) {
    return;
  }
  const resource = structuredClone(existing ?? identityResource(env, ctx, user as UserRecord, 'v4.1'));
  if (!applyScimPatch(ctx, resource, body)) {
    return;
  }
  env.state.identity.set(str(resource.id).toLowerCase(), resource);
  sendJson(ctx, 200, resource);
}

/** A SCIM filter over flattened attributes: `attr op "value"` joined with `and`; ops eq ne co sw ew pr. */
function scimMatcher(filter: string): ((u: Json) => boolean) | undefined {
  const clauses = filter.split(/\s+and\s+/i).map((clause) => /^\s*([\w.:]+)\s+(eq|ne|co|sw|ew|pr|gt|lt)(?:\s+("(?:[^"\\]|\\.)*"|true|false|[\d.]+))?\s*$/i.exec(clause));
  if (clauses.some((c) => !c || (c[2].toLowerCase() !== 'pr' && c[3] === undefined))) {
    return undefined;
  }
  const read = (u: Json, attr: string): unknown[] => {
    const ent = obj(u[SCIM_ENTERPRISE]);
    const values: unknown[] = [];
    const [head, sub] = attr.split('.');
    const root = head in u ? u[head] : ent[head];
    for (const item of Array.isArray(root) ? root : [root]) {
      values.push(sub ? obj(item)[sub] : item);
    }
    return values.filter((v) => v !== undefined && v !== null);
  };
  return (u) =>
    clauses.every((c) => {
      const [, attr, rawOp, raw] = c as RegExpExecArray;
      const op = rawOp.toLowerCase();
      const values = read(u, attr);
      if (op === 'pr') {
        return values.length > 0;
      }
      const wanted = raw.startsWith('"') ? (JSON.parse(raw) as string).toLowerCase() : raw.toLowerCase();
      return values.some((v) => {
        const have = String(v).toLowerCase();
        switch (op) {
          case 'eq': return have === wanted;
          case 'ne': return have !== wanted;
          case 'co': return have.includes(wanted);
          case 'sw': return have.startsWith(wanted);
          case 'ew': return have.endsWith(wanted);
          case 'gt': return have > wanted;
          default: return have < wanted;
        }
      });
    });
}

function identitySearch(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', ['schemas', 'filter']);
  if (!body) {
    return;
  }
  const matches = scimMatcher(str(body.filter));
  if (!matches) {
    apiError(ctx, 'scim', 400, `The filter ${JSON.stringify(body.filter)} is not valid`, { scimType: 'invalidFilter' });
    return;
  }
  const count = Math.min(1000, Math.max(1, Number(body.count) || 1000));
  const offset = body.cursor ? Number.parseInt(Buffer.from(str(body.cursor), 'base64url').toString('utf8').replace(/^s:/, ''), 10) || 0 : 0;
  const found: Json[] = [];
  for (const user of env.dataset.users) {
    const resource = env.state.identity.get(user.id) ?? identityResource(env, ctx, user, 'v4.1');
    if (matches(resource)) {
      found.push(resource);
    }
  }
  for (const [id, resource] of env.state.identity) {
    if (!env.dataset.usersById.has(id) && matches(resource)) {
      found.push(resource);
    }
  }
  const page = found.slice(offset, offset + count);
  sendJson(ctx, 200, {
    schemas: [SCIM_LIST],
    totalResults: found.length,
    itemsPerPage: page.length,
    Resources: page,
    ...(offset + count < found.length ? { nextCursor: Buffer.from(`s:${offset + count}`).toString('base64url') } : {}),
  });
}

function provision(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', ['schemas', 'Operations']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.Operations) || body.Operations.length === 0) {
    apiError(ctx, 'scim', 400, 'Operations must be a non-empty array', { scimType: 'invalidSyntax' });
    return;
  }
  const id = randomUUID();
  const operations = body.Operations.map((raw, i) => {
    const op = obj(raw);
    const method = str(op.method).toUpperCase();
    const ok = ['POST', 'PUT', 'PATCH'].includes(method) && /^\/Users(\/[^/]+)?$/.test(str(op.path));
    return {
      bulkId: op.bulkId ?? String(i + 1),
      method,
      ...(ok ? { location: `${ctx.origin}/profile/identity/v4.1${str(op.path) === '/Users' ? `/Users/${randomUUID()}` : str(op.path)}`, status: method === 'POST' ? '201' : '200' } : { status: '400', response: { detail: 'method must be POST, PUT or PATCH and path /Users or /Users/{id}' } }),
    };
  });
  const status = { id, status: 'COMPLETED', created: nowIso(ctx), completed: nowIso(ctx), operationCount: operations.length, failureCount: operations.filter((o) => o.status === '400').length, operations };
  env.state.provisions.set(id, status);
  const location = `${ctx.origin}/profile/v4/provisions/${id}/status`;
  sendJson(ctx, 202, { id, status: 'QUEUED', location }, { location });
}

function provisionStatus(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const status = env.state.provisions.get(id.toLowerCase());
  if (!status) {
    apiError(ctx, 'scim', 404, `Provision ${id} not found`);
    return;
  }
  // The operations' results only when asked for (attributes=operations).
  const summary = Object.fromEntries(Object.entries(status).filter(([key]) => key !== 'operations'));
  sendJson(ctx, 200, ctx.query.get('attributes') === 'operations' ? status : summary);
}

function spendPatch(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const user = userOf(env, id);
  if (!user) {
    apiError(ctx, 'scim', 404, `User ${id} not found`);
    return;
  }
  const body = readBody(ctx, 'scim', ['schemas', 'Operations']);
  if (!body) {
    return;
  }
  const resource = structuredClone(env.state.spend.get(user.id) ?? spendResource(env, ctx, user));
  if (!applyScimPatch(ctx, resource, body)) {
    return;
  }
  resource.schemas = [...new Set([...(resource.schemas as string[]), SPEND_USER])];
  env.state.spend.set(user.id, resource);
  sendJson(ctx, 200, resource);
}

// ---------------------------------------------------------------- Expense v3 attendees

function v3Attendees(ctx: Ctx, env: ServerEnv): void {
  const limitParam = intParam(ctx, 'limit');
  if (Number.isNaN(limitParam) || (limitParam !== undefined && limitParam < 1)) {
    apiError(ctx, 'legacy', 400, 'The limit parameter must be a positive integer');
    return;
  }
  const limit = Math.min(100, limitParam ?? 25);
  const offset = ctx.query.get('offset') ? decodeMarker(String(ctx.query.get('offset'))) : 0;
  if (offset === undefined) {
    apiError(ctx, 'legacy', 400, 'The offset parameter is not valid');
    return;
  }
  const external = ctx.query.get('externalID');
  const all = env.state.attendees.filter((a) => !external || a.ExternalID === external);
  const page = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? `${ctx.origin}/api/v3.0/expense/attendees?${new URLSearchParams({ offset: encodeMarker(offset + limit), limit: String(limit) }).toString()}` : null;
  sendJson(ctx, 200, { Items: page.map((a) => ({ ...a, URI: `${ctx.origin}/api/v3.0/expense/attendees/${a.ID}` })), NextPage: next });
}

function v3CreateAttendee(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'legacy', ['AttendeeTypeID', 'LastName']);
  if (!body) {
    return;
  }
  const attendee = {
    ID: hexId(),
    AttendeeTypeID: str(body.AttendeeTypeID),
    FirstName: str(body.FirstName),
    LastName: str(body.LastName),
    Company: str(body.Company),
    Title: str(body.Title),
    ExternalID: str(body.ExternalID),
    CurrencyCode: str(body.CurrencyCode, 'USD'),
  };
  env.state.attendees.push(attendee);
  // v3 answers a create with 200 and the new object's ID and URI.
  sendJson(ctx, 200, { ID: attendee.ID, URI: `${ctx.origin}/api/v3.0/expense/attendees/${attendee.ID}` });
}

// ---------------------------------------------------------------- Expense v4 writes and sub-resources

function v4CreateReport(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context]: string[]): void {
  const user = v4User(ctx, env, auth, userId, context);
  if (!user) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['name']);
  if (!body) {
    return;
  }
  const id = hexId(10);
  const created = nowIso(ctx);
  env.state.reports.set(id, {
    id,
    ownerIndex: user.index,
    approverIndex: user.managerIndex,
    name: str(body.name),
    businessPurpose: str(body.businessPurpose),
    reportDate: str(body.reportDate, today(ctx)),
    creationDate: created,
    submitDate: null,
    paidDate: null,
    lastModified: created,
    approval: { code: 'A_NOTF', name: 'Not Submitted' },
    payment: { code: 'P_NOTP', name: 'Not Paid' },
    currency: user.currency,
    countryCode: str(body.countryCode, user.address.country),
    subdivision: str(body.countrySubDivisionCode, `${user.address.country}-${user.address.region}`),
    amounts: [],
    total: 0,
    seed: hashSeed(id),
  });
  env.state.expenses.set(id, []);
  const uri = `${ctx.origin}/expensereports/v4/users/${userId}/context/${context}/reports/${id}`;
  sendJson(ctx, 201, { uri }, { location: uri });
}

function v4UpdateReport(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId]: string[]): void {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return;
  }
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  if (report.submitDate !== null && report.approval.code !== 'A_RESU') {
    apiError(ctx, 'expense4', 400, 'A submitted report cannot be changed', { validationErrors: [{ id: 'reportId', message: 'The report is submitted', source: 'path' }] });
    return;
  }
  env.state.reports.set(report.id, {
    ...report,
    name: body.name === undefined ? report.name : str(body.name),
    businessPurpose: body.businessPurpose === undefined ? report.businessPurpose : str(body.businessPurpose),
    reportDate: body.reportDate === undefined ? report.reportDate : str(body.reportDate),
    lastModified: nowIso(ctx),
  });
  sendEmpty(ctx, 204);
}

/** The expense a v4 path names, or undefined once the 404 has been sent. */
function v4ExpenseFor(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId, expenseId]: string[]): { report: ReportRecord; expense: ExpenseRecord } | undefined {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return undefined;
  }
  const expense = env.state.expensesOf(report).find((e) => e.expenseId === expenseId.toUpperCase());
  if (!expense) {
    apiError(ctx, 'expense4', 404, `Expense ${expenseId} not found`);
    return undefined;
  }
  return { report, expense };
}

function v4Expense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (found) {
    sendJson(ctx, 200, v4ExpenseBody(ctx, found.report, found.expense, m[0], m[1]));
  }
}

function v4CreateExpense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId]: string[]): void {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['expenseType', 'transactionAmount', 'transactionDate', 'paymentType']);
  if (!body) {
    return;
  }
  const total = amountOf(body.transactionAmount);
  if (!total) {
    apiError(ctx, 'expense4', 400, 'transactionAmount needs a numeric value and a currencyCode', { validationErrors: [{ id: 'transactionAmount', message: 'Invalid amount', source: 'body' }] });
    return;
  }
  const typeId = str(obj(body.expenseType).id, 'UNDEF');
  const payId = str(obj(body.paymentType).id, 'CASH');
  const expense: ExpenseRecord = {
    expenseId: hexId(),
    transactionDate: str(body.transactionDate),
    expenseType: { id: typeId, code: typeId, name: typeId },
    vendor: str(obj(body.vendor).description),
    city: str(obj(body.location).city),
    countryCode: str(obj(body.location).countryCode, report.countryCode),
    businessPurpose: str(body.businessPurpose),
    amount: Math.round(total.value * 100),
    currency: total.currencyCode,
    paymentType: { id: payId, name: payId, code: payId },
    hasReceipt: false,
    isPersonal: body.isPersonalExpense === true,
    receiptImageId: null,
  };
  env.state.mutableExpenses(report).push(expense);
  const amounts = [...report.amounts, expense.amount];
  env.state.reports.set(report.id, { ...report, amounts, total: amounts.reduce((a, b) => a + b, 0), lastModified: nowIso(ctx) });
  const uri = `${ctx.origin}/expensereports/v4/users/${userId}/context/${context}/reports/${report.id}/expenses/${expense.expenseId}`;
  sendJson(ctx, 201, { uri }, { location: uri });
}

function v4UpdateExpense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (!found) {
    return;
  }
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  const list = env.state.mutableExpenses(found.report);
  const index = list.findIndex((e) => e.expenseId === found.expense.expenseId);
  const total = body.transactionAmount === undefined ? undefined : amountOf(body.transactionAmount);
  if (body.transactionAmount !== undefined && !total) {
    apiError(ctx, 'expense4', 400, 'transactionAmount needs a numeric value and a currencyCode', { validationErrors: [{ id: 'transactionAmount', message: 'Invalid amount', source: 'body' }] });
    return;
  }
  list[index] = {
    ...list[index],
    ...(body.businessPurpose === undefined ? {} : { businessPurpose: str(body.businessPurpose) }),
    ...(body.transactionDate === undefined ? {} : { transactionDate: str(body.transactionDate) }),
    ...(body.isPersonalExpense === undefined ? {} : { isPersonal: body.isPersonalExpense === true }),
    ...(total ? { amount: Math.round(total.value * 100), currency: total.currencyCode } : {}),
  };
  sendEmpty(ctx, 204);
}

function itemizationsOf(env: ServerEnv, expense: ExpenseRecord): Json[] {
  let list = env.state.itemizations.get(expense.expenseId);
  if (!list) {
    // Hotel bills come itemized into room rate and taxes; other expenses are not itemized.
    list = expense.expenseType.id === 'LODNG'
      ? [
          { itemizationId: `${expense.expenseId.slice(0, 28)}I001`, expenseType: { id: 'LODNG', name: 'Hotel Room Rate' }, transactionDate: expense.transactionDate, transactionAmount: amount(Math.round(expense.amount * 0.85), expense.currency) },
          { itemizationId: `${expense.expenseId.slice(0, 28)}I002`, expenseType: { id: 'LODGT', name: 'Hotel Tax' }, transactionDate: expense.transactionDate, transactionAmount: amount(expense.amount - Math.round(expense.amount * 0.85), expense.currency) },
        ]
      : [];
    env.state.itemizations.set(expense.expenseId, list);
  }
  return list;
}

function v4Itemizations(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (found) {
    sendJson(ctx, 200, itemizationsOf(env, found.expense).map((i) => ({ ...i, isPersonalExpense: false, links: [link(`${ctx.origin}/expensereports/v4/users/${m[0]}/context/${m[1]}/reports/${m[2]}/expenses/${String(i.itemizationId)}`)] })));
  }
}

function v4CreateItemization(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (!found) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['expenseType', 'transactionAmount', 'transactionDate']);
  if (!body) {
    return;
  }
  const total = amountOf(body.transactionAmount);
  if (!total) {
    apiError(ctx, 'expense4', 400, 'transactionAmount needs a numeric value and a currencyCode', { validationErrors: [{ id: 'transactionAmount', message: 'Invalid amount', source: 'body' }] });
    return;
  }
  const itemization = { itemizationId: hexId(), expenseType: { id: str(obj(body.expenseType).id), name: str(obj(body.expenseType).id) }, transactionDate: str(body.transactionDate), transactionAmount: total, businessPurpose: str(body.businessPurpose) };
  itemizationsOf(env, found.expense).push(itemization);
  const uri = `${ctx.origin}/expensereports/v4/users/${m[0]}/context/${m[1]}/reports/${m[2]}/expenses/${itemization.itemizationId}`;
  sendJson(ctx, 201, { uri }, { location: uri });
}

function allocationsOf(env: ServerEnv, reportId: string, expense: ExpenseRecord, costCenter: string): Json[] {
  const id = `${expense.expenseId.slice(0, 28)}A001`;
  let allocation = env.state.allocations.get(id);
  if (!allocation) {
    allocation = { allocationId: id, expenseId: expense.expenseId, reportId, percentage: 100, allocationAmount: amount(expense.amount, expense.currency), claimedAmount: amount(expense.isPersonal ? 0 : expense.amount, expense.currency), approvedAmount: amount(expense.amount, expense.currency), isPercentEdited: false, isSystemAllocation: true, customData: [{ id: 'custom1', value: costCenter, isValid: true }] };
    env.state.allocations.set(id, allocation);
  }
  return [allocation];
}

function v4Allocations(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (found) {
    const owner = env.dataset.users[found.report.ownerIndex];
    sendJson(ctx, 200, allocationsOf(env, found.report.id, found.expense, owner.costCenter).map((a) => ({ ...a, links: [link(`${ctx.origin}/expensereports/v4/users/${m[0]}/context/${m[1]}/reports/${m[2]}/allocations/${String(a.allocationId)}`)] })));
  }
}

function allocationFor(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId, allocationId]: string[]): Json | undefined {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return undefined;
  }
  let allocation = env.state.allocations.get(allocationId.toUpperCase());
  if (!allocation) {
    // Not read yet: derive it from the report's expenses.
    const owner = env.dataset.users[report.ownerIndex];
    for (const expense of env.state.expensesOf(report)) {
      if (`${expense.expenseId.slice(0, 28)}A001` === allocationId.toUpperCase()) {
        allocation = allocationsOf(env, report.id, expense, owner.costCenter)[0];
      }
    }
  }
  if (!allocation || allocation.reportId !== report.id) {
    apiError(ctx, 'expense4', 404, `Allocation ${allocationId} not found`);
    return undefined;
  }
  return allocation;
}

function v4Allocation(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const allocation = allocationFor(ctx, env, auth, m);
  if (allocation) {
    sendJson(ctx, 200, { ...allocation, links: [link(`${ctx.origin}/expensereports/v4/users/${m[0]}/context/${m[1]}/reports/${m[2]}/allocations/${m[3]}`)] });
  }
}

function v4UpdateAllocation(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const allocation = allocationFor(ctx, env, auth, m);
  if (!allocation) {
    return;
  }
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  if (body.percentage !== undefined && (typeof body.percentage !== 'number' || body.percentage <= 0 || body.percentage > 100)) {
    apiError(ctx, 'expense4', 400, 'percentage must be a number above 0 and at most 100', { validationErrors: [{ id: 'percentage', message: 'Out of range', source: 'body' }] });
    return;
  }
  env.state.allocations.set(String(allocation.allocationId), {
    ...allocation,
    ...(body.percentage === undefined ? {} : { percentage: body.percentage, isPercentEdited: true }),
    ...(Array.isArray(body.customData) ? { customData: body.customData } : {}),
    isSystemAllocation: false,
  });
  sendEmpty(ctx, 204);
}

function attendeesOf(env: ServerEnv, report: { ownerIndex: number }, expense: ExpenseRecord): Json {
  let entry = env.state.expenseAttendees.get(expense.expenseId);
  if (!entry) {
    const owner = env.dataset.users[report.ownerIndex];
    const meal = ['BRKFT', 'LUNCH', 'DINNR'].includes(expense.expenseType.id);
    const guest = env.state.attendees[hashSeed(expense.expenseId) % env.state.attendees.length];
    const share = meal ? Math.floor(expense.amount / 2) : expense.amount;
    entry = {
      expenseAttendeeList: [
        { attendeeId: owner.id.replace(/-/g, '').toUpperCase(), firstName: owner.givenName, lastName: owner.familyName, attendeeType: 'EMPLOYEE', transactionAmount: amount(share, expense.currency), isAmountUserEdited: false, isTraveling: true },
        ...(meal ? [{ attendeeId: guest.ID, firstName: guest.FirstName, lastName: guest.LastName, attendeeType: guest.AttendeeTypeID, company: guest.Company, transactionAmount: amount(expense.amount - share, expense.currency), isAmountUserEdited: false, isTraveling: false }] : []),
      ],
      noShowAttendeeCount: 0,
    };
    env.state.expenseAttendees.set(expense.expenseId, entry);
  }
  return entry;
}

function v4Attendees(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (found) {
    sendJson(ctx, 200, attendeesOf(env, found.report, found.expense));
  }
}

function v4UpdateAttendees(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (!found) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['expenseAttendeeList']);
  if (!body) {
    return;
  }
  const list = body.expenseAttendeeList;
  const bad = Array.isArray(list) ? list.findIndex((a) => !obj(a).attendeeId || !amountOf(obj(a).transactionAmount)) : 0;
  if (!Array.isArray(list) || bad >= 0) {
    apiError(ctx, 'expense4', 400, 'Each attendee needs an attendeeId and a transactionAmount', { validationErrors: [{ id: `expenseAttendeeList[${Math.max(bad, 0)}]`, message: 'attendeeId and transactionAmount are required', source: 'body' }] });
    return;
  }
  env.state.expenseAttendees.set(found.expense.expenseId, { expenseAttendeeList: list, noShowAttendeeCount: Number(body.noShowAttendeeCount) || 0 });
  sendEmpty(ctx, 204);
}

// ---------------------------------------------------------------- Lists v4

function createList(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'list4', ['value', 'levelCount', 'searchCriteria', 'displayFormat', 'category']);
  if (!body) {
    return;
  }
  if (!['TEXT', 'CODE'].includes(str(body.searchCriteria)) || !['(CODE) TEXT', 'TEXT (CODE)'].includes(str(body.displayFormat))) {
    apiError(ctx, 'list4', 400, 'searchCriteria must be TEXT or CODE; displayFormat (CODE) TEXT or TEXT (CODE)', { id: 'INVALID_VALUE' });
    return;
  }
  const category = obj(body.category);
  const list: ListRecord = {
    id: randomUUID(),
    value: str(body.value),
    levelCount: Number(body.levelCount) || 1,
    searchCriteria: body.searchCriteria as ListRecord['searchCriteria'],
    displayFormat: body.displayFormat as ListRecord['displayFormat'],
    category: { id: str(category.id), type: str(category.type, 'Normal') },
    isReadOnly: body.isReadOnly === true,
    isDeleted: false,
    managedBy: null,
    items: [],
  };
  env.state.lists.push(list);
  env.state.listsById.set(list.id, list);
  sendJson(ctx, 201, listView(list), { location: `${ctx.origin}/list/v4/lists/${list.id}`, 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function updateList(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const list = env.state.findList(id);
  if (!list) {
    apiError(ctx, 'list4', 404, `List ${id} not found`, { id: 'LIST_NOT_FOUND' });
    return;
  }
  const body = readBody(ctx, 'list4', ['value', 'searchCriteria', 'displayFormat']);
  if (!body) {
    return;
  }
  const changed: ListRecord = { ...list, value: str(body.value), searchCriteria: body.searchCriteria as ListRecord['searchCriteria'], displayFormat: body.displayFormat as ListRecord['displayFormat'] };
  env.state.listsById.set(list.id, changed);
  const index = env.state.lists.findIndex((l) => l.id === list.id);
  if (index >= 0) {
    env.state.lists[index] = changed;
  }
  sendJson(ctx, 200, listView(changed), { 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function createItem(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'list4', ['listId', 'shortCode', 'value']);
  if (!body) {
    return;
  }
  const list = env.state.findList(str(body.listId));
  if (!list) {
    apiError(ctx, 'list4', 400, `List ${str(body.listId)} does not exist`, { id: 'LIST_NOT_FOUND' });
    return;
  }
  const parent = body.parentId ? env.state.findItem(str(body.parentId)) : undefined;
  if (body.parentId && (!parent || parent.listId !== list.id)) {
    apiError(ctx, 'list4', 400, `Parent item ${str(body.parentId)} is not in the list`, { id: 'PARENT_NOT_FOUND' });
    return;
  }
  const level = parent ? parent.level + 1 : 1;
  if (level > list.levelCount) {
    apiError(ctx, 'list4', 400, `The list has ${list.levelCount} level(s)`, { id: 'LEVEL_EXCEEDED' });
    return;
  }
  const shortCode = str(body.shortCode);
  const item: ListItemRecord = { id: randomUUID(), listId: list.id, code: parent ? `${parent.code}-${shortCode}` : shortCode, shortCode, value: str(body.value), parentId: parent?.id ?? null, level, children: [] };
  env.state.items.set(item.id, item);
  sendJson(ctx, 201, itemView(item), { location: `${ctx.origin}/list/v4/items/${item.id}`, 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function updateItem(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const item = env.state.findItem(id);
  if (!item) {
    apiError(ctx, 'list4', 404, `List item ${id} not found`, { id: 'LIST_ITEM_NOT_FOUND' });
    return;
  }
  const body = readBody(ctx, 'list4', ['shortCode', 'value']);
  if (!body) {
    return;
  }
  const shortCode = str(body.shortCode);
  const changed: ListItemRecord = { ...item, shortCode, code: item.parentId ? `${item.code.slice(0, item.code.length - item.shortCode.length)}${shortCode}` : shortCode, value: str(body.value) };
  env.state.items.set(item.id, changed);
  sendJson(ctx, 200, itemView(changed), { 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function deleteItem(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const item = env.state.findItem(id);
  if (!item) {
    apiError(ctx, 'list4', 404, `List item ${id} not found`, { id: 'LIST_ITEM_NOT_FOUND' });
    return;
  }
  const remove = (i: ListItemRecord): void => {
    env.state.deletedItems.add(i.id);
    i.children.forEach(remove);
    [...env.state.items.values()].filter((c) => c.parentId === i.id).forEach(remove);
  };
  remove(item);
  sendEmpty(ctx, 204);
}

// ---------------------------------------------------------------- Receipts v4

function postReceipt(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId]: string[]): void {
  const user = auth.principal.user;
  if (!user || !sameId(userId, auth.principal.sub)) {
    apiError(ctx, 'receipts', 403, 'userId does not match the token subject');
    return;
  }
  const body = readBody(ctx, 'receipts', ['dateTime', 'total', 'currencyCode', 'merchant']);
  if (!body) {
    return;
  }
  const total = Number(body.total);
  if (!Number.isFinite(total)) {
    apiError(ctx, 'receipts', 400, 'total must be a number');
    return;
  }
  const id = randomBytes(16).toString('hex');
  const list = env.state.receipts.get(user.id) ?? [];
  list.push({ id, userId: user.id, dateTimeReceived: nowIso(ctx), merchant: str(obj(body.merchant).name, 'Unknown merchant'), total: Math.round(total * 100), currency: str(body.currencyCode), transactionDate: str(body.dateTime).slice(0, 10), category: 'General' });
  env.state.receipts.set(user.id, list);
  // Receipts are processed asynchronously: 202, the receipt's URL and where to follow processing.
  sendEmpty(ctx, 202, { location: `${ctx.origin}/receipts/v4/${id}`, link: `<${ctx.origin}/receipts/v4/status/${id}>; rel="processing-status"` });
}

/**
 * The parts of a multipart body (RFC 2046 §5.1.1), strictly: delimiters are CRLF + `--` + boundary,
 * headers end at an empty line, every line ends in CRLF. Undefined when the body is not one: a body
 * written with bare LF line ends is not, so a client that sends one is caught here.
 */
function multipartParts(body: Buffer, boundary: string): Array<{ headers: Record<string, string>; content: Buffer }> | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const crlf = Buffer.from('\r\n');
  let at = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(Buffer.concat([crlf, delimiter]));
  if (at < 0) return undefined;
  at += at === 0 ? delimiter.length : delimiter.length + 2;
  const parts: Array<{ headers: Record<string, string>; content: Buffer }> = [];
  for (;;) {
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    if (!body.subarray(at, at + 2).equals(crlf)) return undefined;
    const start = at + 2;
    const end = body.indexOf(Buffer.concat([crlf, delimiter]), start);
    if (end < 0) return undefined;
    const part = body.subarray(start, end);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, part.subarray(0, 2).equals(crlf) ? 0 : split < 0 ? part.length : split).toString('latin1');
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      else if (line) return undefined;
    }
    parts.push({ headers, content: part.subarray(part.subarray(0, 2).equals(crlf) ? 2 : split < 0 ? part.length : split + 4) });
    at = end + 2 + delimiter.length;
  }
}

const RECEIPT_IMAGE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpg', 'image/jpeg', 'image/tiff', 'image/gif']);

/** Receipts v4 image-only receipts: a multipart form with the image under `image`; 202 with where to find it. */
function postImageOnlyReceipt(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId]: string[]): void {
  const user = auth.principal.user;
  if (!user || !sameId(userId, auth.principal.sub)) {
    apiError(ctx, 'receipts', 403, 'userId does not match the token subject');
    return;
  }
  const type = ctx.req.headers['content-type'] ?? '';
  const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!boundary) {
    apiError(ctx, 'receipts', 415, 'The content-type must be multipart/form-data with a boundary');
    return;
  }
  const parts = multipartParts(ctx.body, boundary[1] ?? boundary[2]);
  if (!parts) {
    apiError(ctx, 'receipts', 400, 'The multipart body is malformed');
    return;
  }
  const image = parts.find((p) => /\bname="?image"?(?:;|$)/.test(p.headers['content-disposition'] ?? ''));
  if (!image || image.content.length === 0) {
    apiError(ctx, 'receipts', 400, 'The image is required');
    return;
  }
  if (!RECEIPT_IMAGE_TYPES.has((image.headers['content-type'] ?? '').toLowerCase())) {
    apiError(ctx, 'receipts', 415, 'Images must be .pdf, .png, .jpg, .jpeg, .tiff, or .gif');
    return;
  }
  const id = randomBytes(16).toString('hex');
  const list = env.state.receipts.get(user.id) ?? [];
  list.push({ id, userId: user.id, dateTimeReceived: nowIso(ctx), merchant: 'Image only', total: 0, currency: '', transactionDate: nowIso(ctx).slice(0, 10), category: 'General' });
  env.state.receipts.set(user.id, list);
  sendEmpty(ctx, 202, { location: `${ctx.origin}/receipts/v4/${id}`, link: `<${ctx.origin}/receipts/v4/status/${id}>; rel="processing-status"` });
}

// ---------------------------------------------------------------- Request v4

function requestView(ctx: Ctx, request: Json): Json {
  const id = String(request.id);
  return { href: `${ctx.origin}/travelrequest/v4/requests/${id}`, ...request, operations: request.approvalStatus && obj(request.approvalStatus).code === 'NOT_SUBMITTED' ? [{ rel: 'submit', href: `${ctx.origin}/travelrequest/v4/requests/${id}/submit` }] : [] };
}

function requests(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const user = actingUser(ctx, env, auth, 'expense4', ctx.query.get('userId'));
  if (!user) {
    return;
  }
  const start = intParam(ctx, 'start') ?? 0;
  const limit = intParam(ctx, 'limit') ?? 10;
  if (Number.isNaN(start) || Number.isNaN(limit) || start < 0 || limit < 1 || limit > 100) {
    apiError(ctx, 'expense4', 400, 'start must be 0 or more and limit between 1 and 100');
    return;
  }
  const view = (ctx.query.get('view') ?? 'ALL').toUpperCase();
  const byView: Record<string, (code: string) => boolean> = {
    ALL: () => true,
    ACTIVE: (c) => c !== 'CANCELED',
    UNSUBMITTED: (c) => c === 'NOT_SUBMITTED',
    PENDING: (c) => c === 'SUBMITTED',
    SUBMITTED: (c) => c === 'SUBMITTED',
    VALIDATED: (c) => c === 'APPROVED',
    APPROVED: (c) => c === 'APPROVED',
    CANCELED: (c) => c === 'CANCELED',
    CLOSED: () => false,
    TOAPPROVE: () => false,
  };
  if (!byView[view]) {
    apiError(ctx, 'expense4', 400, `Unknown view ${view}`);
    return;
  }
  const all = env.state.requestsOf(user).filter((r) => byView[view](str(obj(r.approvalStatus).code)));
  const page = all.slice(start, start + limit);
  const href = (s: number): string => `${ctx.origin}/travelrequest/v4/requests?view=${view}&limit=${limit}&start=${s}`;
  sendJson(ctx, 200, {
    data: page.map((r) => requestView(ctx, r)),
    operations: [
      ...(start + limit < all.length ? [{ rel: 'next', href: href(start + limit) }] : []),
      ...(start > 0 ? [{ rel: 'previous', href: href(Math.max(0, start - limit)) }] : []),
      { rel: 'first', href: href(0) },
    ],
  });
}

function requestFor(ctx: Ctx, env: ServerEnv, auth: AccessRecord, id: string): Json | undefined {
  const user = actingUser(ctx, env, auth, 'expense4', ctx.query.get('userId'));
  if (!user) {
    return undefined;
  }
  env.state.requestsOf(user);
  const request = env.state.requestsById.get(id.toUpperCase());
  if (!request || (auth.principal.type === 'user' && !sameId(str(obj(request.owner).id), auth.principal.sub))) {
    apiError(ctx, 'expense4', 404, `Request ${id} not found`);
    return undefined;
  }
  return request;
}

function requestById(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const request = requestFor(ctx, env, auth, id);
  if (request) {
    sendJson(ctx, 200, requestView(ctx, request));
  }
}

function createRequest(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const named = ctx.query.get('userId');
  if (auth.principal.type === 'company' && !named) {
    apiError(ctx, 'expense4', 400, 'userId is required with a company token', { id: 'missingRequiredParam' });
    return;
  }
  const user = actingUser(ctx, env, auth, 'expense4', named);
  if (!user) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['name', 'policy']);
  if (!body) {
    return;
  }
  if (body.id !== undefined) {
    apiError(ctx, 'expense4', 400, 'id may not be sent when creating a request', { id: 'invalidField' });
    return;
  }
  const request = newRequest(hexId(), user, { ...body, policy: { id: str(obj(body.policy).id) } }, ['NOT_SUBMITTED', 'Not Submitted'], 0, nowIso(ctx));
  env.state.addRequest(user, request);
  const view = requestView(ctx, request);
  sendJson(ctx, 201, view, { location: String(view.href) });
}

function updateRequest(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const request = requestFor(ctx, env, auth, id);
  if (!request) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['name', 'policy']);
  if (!body) {
    return;
  }
  for (const key of ['name', 'businessPurpose', 'comment', 'startDate', 'endDate', 'startTime', 'endTime', 'mainDestination', 'policy']) {
    if (body[key] !== undefined) {
      request[key] = body[key];
    }
  }
  request.lastModified = nowIso(ctx);
  sendJson(ctx, 200, requestView(ctx, request));
}

function deleteRequest(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const request = requestFor(ctx, env, auth, id);
  if (!request) {
    return;
  }
  if (str(obj(request.approvalStatus).code) !== 'NOT_SUBMITTED') {
    apiError(ctx, 'expense4', 400, 'Only an unsubmitted request can be deleted', { id: 'invalidWorkflowAction' });
    return;
  }
  env.state.removeRequest(String(request.id));
  sendEmpty(ctx, 204);
}

// ---------------------------------------------------------------- Cash Advance v4.1

function createCashAdvance(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const body = readBody(ctx, 'expense4', ['amountRequested', 'name', 'userId']);
  if (!body) {
    return;
  }
  const user = actingUser(ctx, env, auth, 'expense4', str(body.userId));
  if (!user) {
    return;
  }
  const requested = obj(body.amountRequested);
  const value = Number(requested.amount);
  if (!Number.isFinite(value) || value <= 0 || typeof requested.currency !== 'string') {
    apiError(ctx, 'expense4', 400, 'amountRequested needs a positive amount and a currency', { validationErrors: [{ id: 'amountRequested', message: 'Invalid amount', source: 'body' }] });
    return;
  }
  const id = hexId();
  env.state.cashAdvances.set(id, {
    cashAdvanceId: id,
    userId: user.id,
    name: str(body.name).slice(0, 40),
    purpose: str(body.purpose),
    comment: body.comment ?? null,
    accountCode: str(body.accountCode, `CA${user.employeeId.slice(1)}`),
    amountRequested: { amount: value.toFixed(2), currency: requested.currency },
    availableBalance: { amount: '0.00', currency: requested.currency },
    exchangeRate: { operation: 'MULTIPLY', value: '1.00000000000000' },
    paymentType: { description: 'Payment in cash', paymentCode: 'CASH' },
    approvalStatus: { code: 'C_NOTF', name: 'Not Submitted' },
    requestDate: today(ctx),
    issuedDate: null,
    lastModifiedDate: today(ctx),
    hasReceipts: false,
    reimbursementCurrency: user.currency,
  });
  sendJson(ctx, 201, { cashAdvanceId: id }, { location: `${ctx.origin}/cashadvance/v4.1/cashadvances/${id}` });
}

function cashAdvanceFor(ctx: Ctx, env: ServerEnv, auth: AccessRecord, id: string): Json | undefined {
  const advance = env.state.cashAdvances.get(id.toUpperCase());
  if (!advance || (auth.principal.type === 'user' && !sameId(str(advance.userId), auth.principal.sub))) {
    apiError(ctx, 'expense4', 404, `Cash advance ${id} not found`);
    return undefined;
  }
  return advance;
}

function cashAdvance(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const advance = cashAdvanceFor(ctx, env, auth, id);
  if (advance) {
    const { userId: _owner, ...view } = advance;
    sendJson(ctx, 200, view);
  }
}

function issueCashAdvance(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const advance = cashAdvanceFor(ctx, env, auth, id);
  if (!advance) {
    return;
  }
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  if (obj(advance.approvalStatus).code === 'C_ISSU') {
    apiError(ctx, 'expense4', 400, 'The cash advance has already been issued');
    return;
  }
  advance.approvalStatus = { code: 'C_ISSU', name: 'Issued' };
  advance.issuedDate = today(ctx);
  advance.availableBalance = { ...obj(advance.amountRequested) };
  if (body.comment !== undefined) {
    advance.comment = body.comment;
  }
  sendJson(ctx, 201, { status: advance.approvalStatus, issuedDate: advance.issuedDate });
}

// ---------------------------------------------------------------- Quick Expense v4

function qeUser(ctx: Ctx, env: ServerEnv, auth: AccessRecord, userId: string, context: string): UserRecord | undefined {
  if (context !== 'TRAVELER') {
    apiError(ctx, 'expense4', 400, `Invalid contextType: ${context}`, { validationErrors: [{ id: 'contextType', message: 'Supported value: TRAVELER', source: 'path' }] });
    return undefined;
  }
  return v4User(ctx, env, auth, userId, context);
}

function quickExpenses(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context]: string[]): void {
  const user = qeUser(ctx, env, auth, userId, context);
  if (user) {
    sendJson(ctx, 200, env.state.quickExpensesOf(user).map((q) => ({ ...q, quickExpenseIdUri: `${ctx.origin}/quickexpense/v4/users/${userId}/context/${context}/quickexpenses/${String(q.quickExpenseId)}` })));
  }
}

function quickExpense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, id]: string[]): void {
  const user = qeUser(ctx, env, auth, userId, context);
  if (!user) {
    return;
  }
  const found = env.state.quickExpensesOf(user).find((q) => q.quickExpenseId === id.toUpperCase());
  if (!found) {
    apiError(ctx, 'expense4', 404, `Quick expense ${id} not found`);
    return;
  }
  sendJson(ctx, 200, found);
}

function createQuickExpense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context]: string[]): void {
  const user = qeUser(ctx, env, auth, userId, context);
  if (!user) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['transactionAmount', 'transactionDate']);
  if (!body) {
    return;
  }
  const total = amountOf(body.transactionAmount);
  if (!total || !/^\d{4}-\d{2}-\d{2}$/.test(str(body.transactionDate))) {
    apiError(ctx, 'expense4', 400, 'transactionAmount needs value and currencyCode; transactionDate is YYYY-MM-DD', { validationErrors: [{ id: total ? 'transactionDate' : 'transactionAmount', message: 'Invalid value', source: 'body' }] });
    return;
  }
  const id = hexId();
  env.state.quickExpensesOf(user).push({
    quickExpenseId: id,
    expenseTypeId: str(body.expenseTypeId, 'UNDEF'),
    transactionDate: str(body.transactionDate),
    transactionAmount: total,
    paymentTypeId: str(body.paymentTypeId, 'CASHX'),
    vendor: body.vendor ?? null,
    comment: body.comment ?? null,
    location: body.location ?? null,
  });
  const uri = `${ctx.origin}/quickexpense/v4/users/${userId}/context/${context}/quickexpenses/${id}`;
  sendJson(ctx, 201, { quickExpenseIdUri: uri }, { location: uri });
}

// ---------------------------------------------------------------- Itinerary v4

function trip(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const found = env.state.trips.get(id.toLowerCase());
  if (!found || (auth.principal.type === 'user' && !sameId(str(found.TravelerUuid), auth.principal.sub))) {
    apiError(ctx, 'expense4', 404, `Trip ${id} not found`);
    return;
  }
  sendJson(ctx, 200, found);
}

// ---------------------------------------------------------------- Invoice v3

/** v3 paging over a list, as Expense v3 reports page. */
function v3Page(ctx: Ctx, items: readonly Json[], path: string, maxLimit: number, view: (item: Json) => Json): void {
  const limitParam = intParam(ctx, 'limit');
  if (Number.isNaN(limitParam) || (limitParam !== undefined && limitParam < 1)) {
    apiError(ctx, 'legacy', 400, 'The limit parameter must be a positive integer');
    return;
  }
  const limit = Math.min(maxLimit, limitParam ?? 25);
  const offset = ctx.query.get('offset') ? decodeMarker(String(ctx.query.get('offset'))) : 0;
  if (offset === undefined) {
    apiError(ctx, 'legacy', 400, 'The offset parameter is not valid');
    return;
  }
  const next = new URLSearchParams(ctx.query);
  next.set('offset', encodeMarker(offset + limit));
  next.set('limit', String(limit));
  sendJson(ctx, 200, { Items: items.slice(offset, offset + limit).map(view), NextPage: offset + limit < items.length ? `${ctx.origin}${path}?${next.toString()}` : null });
}

function paymentRequestDigests(ctx: Ctx, env: ServerEnv): void {
  const status = ctx.query.get('approvalStatus');
  const items = env.state.paymentRequests.filter((p) => !status || p.ApprovalStatus === status);
  v3Page(ctx, items, '/api/v3.0/invoice/paymentrequestdigests', 100, (p) => ({
    ID: p.ID,
    PaymentRequestId: p.PaymentRequestId,
    Name: p.Name,
    InvoiceNumber: p.InvoiceNumber,
    Total: p.InvoiceAmount,
    CurrencyCode: p.CurrencyCode,
    ApprovalStatusCode: p.ApprovalStatus,
    PaymentStatusCode: p.PaymentStatus,
    VendorName: obj(p.VendorRemitAddress).Name,
    OwnerLoginID: p.OwnerLoginID,
    CreateDate: str(p.CreateDate).replace(/Z$/, ''),
    PaymentRequestUri: `${ctx.origin}/api/v3.0/invoice/paymentrequest/${String(p.ID)}`,
    URI: `${ctx.origin}/api/v3.0/invoice/paymentrequestdigests/${String(p.ID)}`,
  }));
}

function paymentRequest(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const found = env.state.paymentRequests.find((p) => p.ID === id.toUpperCase());
  if (!found) {
    apiError(ctx, 'legacy', 404, `Payment request ${id} not found`);
    return;
  }
  sendJson(ctx, 200, { ...found, URI: `${ctx.origin}/api/v3.0/invoice/paymentrequest/${String(found.ID)}` });
}

function createPaymentRequest(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const body = readBody(ctx, 'legacy', ['CurrencyCode', 'InvoiceNumber', 'InvoiceAmount', 'VendorRemitAddress']);
  if (!body) {
    return;
  }
  const remit = obj(body.VendorRemitAddress);
  const vendor = env.state.vendors.find((v) => v.VendorCode === remit.VendorCode && v.AddressCode === remit.AddressCode);
  if (!vendor) {
    apiError(ctx, 'legacy', 400, `No vendor ${str(remit.VendorCode)} with address ${str(remit.AddressCode)}`);
    return;
  }
  const id = hexId(10);
  env.state.paymentRequests.unshift({
    ID: id,
    PaymentRequestId: hexId(10),
    Name: str(body.Name, `${String(vendor.VendorName)} ${str(body.InvoiceNumber)}`),
    InvoiceNumber: str(body.InvoiceNumber),
    InvoiceDate: str(body.InvoiceDate, today(ctx)),
    InvoiceAmount: str(body.InvoiceAmount),
    CurrencyCode: str(body.CurrencyCode),
    ApprovalStatus: 'R_NOTF',
    PaymentStatus: 'P_NOTP',
    VendorRemitAddress: { VendorCode: vendor.VendorCode, AddressCode: vendor.AddressCode, Name: vendor.VendorName },
    OwnerLoginID: auth.principal.user?.userName ?? env.dataset.users[0].userName,
    CreateDate: nowIso(ctx),
    LineItems: body.LineItems ?? { LineItem: [] },
  });
  sendJson(ctx, 200, { ID: id, URI: `${ctx.origin}/api/v3.0/invoice/paymentrequest/${id}` });
}

function vendors(ctx: Ctx, env: ServerEnv): void {
  const code = ctx.query.get('vendorCode');
  const name = ctx.query.get('vendorName');
  const items = env.state.vendors.filter((v) => (!code || v.VendorCode === code) && (!name || v.VendorName === name));
  v3Page(ctx, items, '/api/v3.0/invoice/vendors', 1000, (v) => v);
}

function createVendors(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'legacy', ['Vendor']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.Vendor) || body.Vendor.length === 0) {
    apiError(ctx, 'legacy', 400, 'Vendor must be a non-empty array');
    return;
  }
  const results = body.Vendor.map((raw) => {
    const v = obj(raw);
    const missing = ['VendorCode', 'AddressCode', 'VendorName'].filter((k) => !v[k]);
    if (missing.length) {
      return { VendorCode: v.VendorCode ?? null, AddressCode: v.AddressCode ?? null, Status: 'FAILURE', StatusMessage: `Missing ${missing.join(', ')}` };
    }
    if (env.state.vendors.some((e) => e.VendorCode === v.VendorCode && e.AddressCode === v.AddressCode)) {
      return { VendorCode: v.VendorCode, AddressCode: v.AddressCode, Status: 'FAILURE', StatusMessage: 'A vendor with this code and address code exists' };
    }
    env.state.vendors.push({ ...v, Approved: true });
    return { VendorCode: v.VendorCode, AddressCode: v.AddressCode, Status: 'SUCCESS', StatusMessage: null };
  });
  sendJson(ctx, 200, { Vendor: results });
}

function purchaseOrder(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const found = env.state.purchaseOrders.get(id);
  if (!found) {
    apiError(ctx, 'legacy', 404, `Purchase order ${id} not found`);
    return;
  }
  sendJson(ctx, 200, found);
}

function createPurchaseOrder(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'legacy', ['PurchaseOrderNumber', 'CurrencyCode', 'VendorCode', 'VendorAddressCode', 'LineItem']);
  if (!body) {
    return;
  }
  const number = str(body.PurchaseOrderNumber);
  if (env.state.purchaseOrders.has(number)) {
    apiError(ctx, 'legacy', 400, `Purchase order ${number} exists; update it with PUT`);
    return;
  }
  env.state.purchaseOrders.set(number, { ...body, Status: 'OPEN' });
  sendJson(ctx, 200, { PurchaseOrderNumber: number, Status: 'SUCCESS', URI: `${ctx.origin}/api/v3.0/invoice/purchaseorders/${encodeURIComponent(number)}` });
}

// ---------------------------------------------------------------- Budget v4

function budgetItems(ctx: Ctx, env: ServerEnv): void {
  const offset = intParam(ctx, 'offset') ?? 0;
  if (Number.isNaN(offset) || offset < 0) {
    apiError(ctx, 'expense4', 400, 'offset must be 0 or more');
    return;
  }
  const admin = ctx.query.get('adminView') === 'true';
  const all = env.state.budgets.filter((b) => admin || b.owned);
  sendJson(ctx, 200, {
    totalRows: all.length,
    offset,
    limit: 50,
    budgetItemHeaders: all.slice(offset, offset + 50).map(({ budgetItemDetails: _details, ...header }) => header),
    href: `${ctx.origin}/budget/v4/budgetItemHeader?offset=${offset}`,
    next: offset + 50 < all.length ? { href: `${ctx.origin}/budget/v4/budgetItemHeader?adminView=${admin}&offset=${offset + 50}` } : null,
    previous: null,
  });
}

function budgetDetails(budget: Json): Json[] {
  if (Array.isArray(budget.budgetItemDetails)) {
    return budget.budgetItemDetails as Json[];
  }
  const annual = Number(budget.annualBudget) || 0;
  const quarters = budget.periodType === 'QUARTERLY' ? 4 : 1;
  return Array.from({ length: quarters }, (_, q) => ({
    id: `${String(budget.id).slice(0, 34)}${String(q).padStart(2, '0')}`,
    currencyCode: budget.currencyCode,
    amount: annual / quarters,
    budgetItemDetailStatusType: 'OPEN',
    fiscalPeriod: quarters === 1 ? { name: '2025', periodType: 'YEARLY', startDate: '2025-01-01', endDate: '2025-12-31' } : { name: `2025 - Q${q + 1}`, periodType: 'QUARTERLY', startDate: `2025-${String(q * 3 + 1).padStart(2, '0')}-01`, endDate: ['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31'][q] },
  }));
}

function budgetItem(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const found = env.state.budgets.find((b) => b.id === id.toLowerCase());
  if (!found) {
    apiError(ctx, 'expense4', 404, `Budget item ${id} not found`);
    return;
  }
  sendJson(ctx, 200, { ...found, budgetItemDetails: budgetDetails(found) });
}

function saveBudget(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'expense4', ['name', 'description', 'budgetItemStatusType', 'periodType', 'currencyCode', 'fiscalYear', 'owner']);
  if (!body) {
    return;
  }
  const existing = body.id ? env.state.budgets.find((b) => b.id === str(body.id).toLowerCase()) : undefined;
  if (body.id && !existing) {
    apiError(ctx, 'expense4', 404, `Budget item ${str(body.id)} not found`);
    return;
  }
  const details = Array.isArray(body.budgetItemDetails) ? (body.budgetItemDetails as Json[]) : undefined;
  const annual = details ? details.reduce((sum, d) => sum + (Number(obj(d).amount) || 0), 0) : Number(existing?.annualBudget ?? 0);
  const saved: Json = {
    ...(existing ?? { id: randomUUID(), active: true, owned: true, isTest: false, budgetAmounts: { pendingAmount: 0, unExpensedAmount: 0, spendAmount: 0, availableAmount: annual, threshold: 'UNDER', consumedPercent: 0 } }),
    ...body,
    id: existing?.id ?? randomUUID(),
    annualBudget: annual,
    ...(details ? { budgetItemDetails: details.map((d) => ({ id: randomUUID(), budgetItemDetailStatusType: 'OPEN', ...obj(d) })) } : {}),
  };
  if (existing) {
    env.state.budgets[env.state.budgets.indexOf(existing)] = saved;
  } else {
    env.state.budgets.push(saved);
  }
  // Budget answers a save with 200 and the saved budget's id and name.
  sendJson(ctx, 200, { id: saved.id, name: saved.name, href: `${ctx.origin}/budget/v4/budgetItemHeader/${String(saved.id)}` });
}

function deleteBudget(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const index = env.state.budgets.findIndex((b) => b.id === id.toLowerCase());
  if (index < 0) {
    apiError(ctx, 'expense4', 404, `Budget item ${id} not found`);
    return;
  }
  const spend = Number(obj(env.state.budgets[index].budgetAmounts).spendAmount) || 0;
  if (spend > 0) {
    apiError(ctx, 'expense4', 400, 'A budget with spending cannot be deleted; close it instead');
    return;
  }
  env.state.budgets.splice(index, 1);
  sendEmpty(ctx, 204);
}

// ---------------------------------------------------------------- Financial Integration v4

const DOC_TYPES = new Set(['EXPENSE', 'CASHADVANCE', 'INVOICE', 'PAYMENTBATCH']);

function fisDocType(ctx: Ctx, docType: string): boolean {
  if (!DOC_TYPES.has(docType)) {
    apiError(ctx, 'expense4', 400, `Unknown docType ${docType}`, { validationErrors: [{ id: 'docType', message: 'Supported values: EXPENSE, CASHADVANCE, INVOICE, PAYMENTBATCH', source: 'path' }] });
    return false;
  }
  return true;
}

function fisTransactions(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType]: string[]): void {
  if (!fisDocType(ctx, docType)) {
    return;
  }
  const limit = Math.min(100, Math.max(1, intParam(ctx, 'limit') || 25));
  const page = Math.max(1, intParam(ctx, 'page') || 1);
  const docId = ctx.query.get('docId');
  const ready = env.state.fisTransactions.filter((t) => t.docType === docType && !env.state.fisAcknowledged.has(String(t.transactionId)) && (!docId || t.docId === docId));
  sendJson(ctx, 200, {
    page,
    limit,
    totalCount: ready.length,
    transactions: ready.slice((page - 1) * limit, page * limit).map((t) => ({ ...t, href: `${ctx.origin}/financialintegration/fi/v4/companies/transactiontypes/${docType}/transactions?docId=${String(t.docId)}` })),
  });
}

function fisAcknowledge(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType]: string[]): void {
  if (!fisDocType(ctx, docType)) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['transactionIds']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.transactionIds)) {
    apiError(ctx, 'expense4', 400, 'transactionIds must be an array', { validationErrors: [{ id: 'transactionIds', message: 'Not an array', source: 'body' }] });
    return;
  }
  const known = new Set(env.state.fisTransactions.filter((t) => t.docType === docType).map((t) => String(t.transactionId)));
  const results = body.transactionIds.map((raw) => {
    const id = str(raw);
    if (!known.has(id)) {
      return { transactionId: id, status: 'FAILURE', message: 'Unknown transaction' };
    }
    env.state.fisAcknowledged.add(id);
    return { transactionId: id, status: 'SUCCESS' };
  });
  sendJson(ctx, 200, { acknowledged: results.filter((r) => r.status === 'SUCCESS').length, results });
}

function fisConfirm(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType, transactionId]: string[]): void {
  if (!fisDocType(ctx, docType)) {
    return;
  }
  if (!env.state.fisTransactions.some((t) => t.docType === docType && t.transactionId === transactionId)) {
    apiError(ctx, 'expense4', 404, `Transaction ${transactionId} not found`);
    return;
  }
  const body = readBody(ctx, 'expense4', ['status']);
  if (!body) {
    return;
  }
  if (!['SUCCESS', 'FAILURE'].includes(str(body.status))) {
    apiError(ctx, 'expense4', 400, 'status must be SUCCESS or FAILURE', { validationErrors: [{ id: 'status', message: 'Supported values: SUCCESS, FAILURE', source: 'body' }] });
    return;
  }
  env.state.fisConfirmations.set(transactionId, { ...body, confirmedAt: nowIso(ctx) });
  env.state.fisAcknowledged.add(transactionId);
  sendJson(ctx, 200, { transactionId, status: body.status, documentStatus: body.status === 'SUCCESS' ? 'POSTED' : 'SENT_BACK' });
}

// ---------------------------------------------------------------- routes

const UC: Route['principals'] = ['user', 'company'];
const C: Route['principals'] = ['company'];
const route = (method: NonNullable<Route['method']>, source: string, family: ApiFamily, scopes: readonly string[], principals: Route['principals'], handle: Handler): Route => ({ method, pattern: R(source), family, scopes, principals, handle });

export const WRITE_ROUTES: readonly Route[] = [
  // Identity v4.1 (SCIM), User Provisioning v4, Spend user v4.1
  route('POST', '^\\/profile\\/identity\\/v4\\.1\\/Users$', 'scim', ['identity.user.coreenterprise.writeonly'], C, identityCreate),
  route('POST', '^\\/profile\\/identity\\/v4\\.1\\/Users\\/\\.search$', 'scim', SCOPES.identity, C, identitySearch),
  route('PATCH', '^\\/profile\\/identity\\/v4\\.1\\/Users\\/([^/]+)$', 'scim', ['identity.user.coreenterprise.writeonly'], C, identityPatch),
  route('POST', '^\\/profile\\/v4\\/provisions$', 'scim', ['user.provision.write'], C, provision),
  route('GET', '^\\/profile\\/v4\\/provisions\\/([^/]+)\\/status$', 'scim', ['user.provision.read', 'user.provision.write'], C, provisionStatus),
  route('PATCH', '^\\/profile\\/spend\\/v4\\.1\\/Users\\/([^/]+)$', 'scim', ['spend.user.general.writeonly'], C, spendPatch),
  // Expense v3 attendee list
  route('GET', '^\\/api\\/v3\\.0\\/expense\\/attendees$', 'legacy', ['ATTEND'], UC, v3Attendees),
  route('POST', '^\\/api\\/v3\\.0\\/expense\\/attendees$', 'legacy', ['ATTEND'], UC, v3CreateAttendee),
  // Expense v4
  route('POST', `${V4}\\/reports$`, 'expense4', ['expense.report.readwrite'], UC, v4CreateReport),
  route('PATCH', `${V4}\\/reports\\/([^/]+)$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateReport),
  route('POST', `${V4}\\/reports\\/([^/]+)\\/expenses$`, 'expense4', ['expense.report.readwrite'], UC, v4CreateExpense),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Expense),
  route('PATCH', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateExpense),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/itemizations$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Itemizations),
  route('POST', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/itemizations$`, 'expense4', ['expense.report.readwrite'], UC, v4CreateItemization),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/allocations$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Allocations),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/allocations\\/([^/]+)$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Allocation),
  route('PATCH', `${V4}\\/reports\\/([^/]+)\\/allocations\\/([^/]+)$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateAllocation),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/attendees$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Attendees),
  route('PUT', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/attendees$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateAttendees),
  // Lists v4
  route('POST', '^\\/list\\/v4\\/lists$', 'list4', ['spend.list.write'], UC, createList),
  route('PUT', '^\\/list\\/v4\\/lists\\/([^/]+)$', 'list4', ['spend.list.write'], UC, updateList),
  route('POST', '^\\/list\\/v4\\/items$', 'list4', ['spend.listitem.write'], UC, createItem),
  route('PUT', '^\\/list\\/v4\\/items\\/([^/]+)$', 'list4', ['spend.listitem.write'], UC, updateItem),
  route('DELETE', '^\\/list\\/v4\\/items\\/([^/]+)$', 'list4', ['spend.listitem.write'], UC, deleteItem),
  // Receipts v4
  route('POST', '^\\/receipts\\/v4\\/users\\/([^/]+)$', 'receipts', ['receipts.write', 'receipts.writeonly'], ['user'], postReceipt),
  route('POST', '^\\/receipts\\/v4\\/users\\/([^/]+)\\/image-only-receipts$', 'receipts', ['receipts.write', 'receipts.writeonly'], ['user'], postImageOnlyReceipt),
  // Request v4
  route('GET', '^\\/travelrequest\\/v4\\/requests$', 'expense4', ['travelrequest.read', 'travelrequest.write'], UC, requests),
  route('POST', '^\\/travelrequest\\/v4\\/requests$', 'expense4', ['travelrequest.write'], UC, createRequest),
  route('GET', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)$', 'expense4', ['travelrequest.read', 'travelrequest.write'], UC, requestById),
  route('PUT', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)$', 'expense4', ['travelrequest.write'], UC, updateRequest),
  route('DELETE', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)$', 'expense4', ['travelrequest.write'], UC, deleteRequest),
  // Cash Advance v4.1
  route('POST', '^\\/cashadvance\\/v4\\.1\\/cashadvances$', 'expense4', ['cashadvance.write'], UC, createCashAdvance),
  route('GET', '^\\/cashadvance\\/v4\\.1\\/cashadvances\\/([^/]+)$', 'expense4', ['cashadvance.read', 'cashadvance.write'], UC, cashAdvance),
  route('POST', '^\\/cashadvance\\/v4\\.1\\/cashadvances\\/([^/]+)\\/issue$', 'expense4', ['cashadvance.write'], UC, issueCashAdvance),
  // Quick Expense v4
  route('GET', '^\\/quickexpense\\/v4\\/users\\/([^/]+)\\/context\\/([^/]+)\\/quickexpenses$', 'expense4', ['quickexpense.read', 'quickexpense.writeonly'], UC, quickExpenses),
  route('POST', '^\\/quickexpense\\/v4\\/users\\/([^/]+)\\/context\\/([^/]+)\\/quickexpenses$', 'expense4', ['quickexpense.writeonly'], UC, createQuickExpense),
  route('GET', '^\\/quickexpense\\/v4\\/users\\/([^/]+)\\/context\\/([^/]+)\\/quickexpenses\\/([^/]+)$', 'expense4', ['quickexpense.read', 'quickexpense.writeonly'], UC, quickExpense),
  // Itinerary v4
  route('GET', '^\\/travel\\/trips\\/api\\/v4\\/trip\\/([^/]+)$', 'expense4', ['travel.itinerary.read'], UC, trip),
  // Invoice v3
  route('GET', '^\\/api\\/v3\\.0\\/invoice\\/paymentrequestdigests$', 'legacy', ['INVPMT'], UC, paymentRequestDigests),
  route('GET', '^\\/api\\/v3\\.0\\/invoice\\/paymentrequest\\/([^/]+)$', 'legacy', ['INVPMT'], UC, paymentRequest),
  route('POST', '^\\/api\\/v3\\.0\\/invoice\\/paymentrequest$', 'legacy', ['INVPMT'], UC, createPaymentRequest),
  route('GET', '^\\/api\\/v3\\.0\\/invoice\\/vendors$', 'legacy', ['INVVEN'], UC, vendors),
  route('POST', '^\\/api\\/v3\\.0\\/invoice\\/vendors$', 'legacy', ['INVVEN'], UC, createVendors),
  route('GET', '^\\/api\\/v3\\.0\\/invoice\\/purchaseorders\\/([^/]+)$', 'legacy', ['INVPO'], UC, purchaseOrder),
  route('POST', '^\\/api\\/v3\\.0\\/invoice\\/purchaseorders$', 'legacy', ['INVPO'], UC, createPurchaseOrder),
  // Budget v4
  route('GET', '^\\/budget\\/v4\\/budgetItemHeader$', 'expense4', ['budgetitem.read', 'budgetitem.write'], UC, budgetItems),
  route('POST', '^\\/budget\\/v4\\/budgetItemHeader$', 'expense4', ['budgetitem.write'], UC, saveBudget),
  route('GET', '^\\/budget\\/v4\\/budgetItemHeader\\/([^/]+)$', 'expense4', ['budgetitem.read', 'budgetitem.write'], UC, budgetItem),
  route('DELETE', '^\\/budget\\/v4\\/budgetItemHeader\\/([^/]+)$', 'expense4', ['budgetitem.write'], UC, deleteBudget),
  // Financial Integration v4 (company tokens only)
  route('GET', '^\\/financialintegration\\/fi\\/v4\\/companies\\/transactiontypes\\/([^/]+)\\/transactions$', 'expense4', ['FISVC'], C, fisTransactions),
  route('POST', '^\\/financialintegration\\/fi\\/v4\\/companies\\/transactiontypes\\/([^/]+)\\/transactions\\/acknowledge$', 'expense4', ['FISVC'], C, fisAcknowledge),
  route('POST', '^\\/financialintegration\\/fi\\/v4\\/companies\\/transactiontypes\\/([^/]+)\\/transactions\\/([^/]+)\\/confirmation$', 'expense4', ['FISVC'], C, fisConfirm),
];
