/**
 * The write endpoints of the extension's catalog (and the reads that come with them), each family as
 * Concur's public API reference (https://developer.concur.com/api-reference/) describes it: the
 * same paths, scopes and token types as the catalog, bodies in the family's own shape. Bodies must be
 * JSON with the fields the reference marks required, else 400 with the family's error body. What
 * they create or change lives in the server's `MockState`, so a following GET sees it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExpenseRecord, ListItemRecord, ListRecord, ReceiptRecord, ReportRecord, UserRecord } from './data';
import { COMPANY, SCOPES } from './directory';
import type { ServerEnv } from './env';
import { apiError, sendEmpty, sendJson, type ApiFamily, type Ctx } from './http';
import { amount, decodeMarker, encodeMarker, identityResource, intParam, itemView, link, listView, receiptView, sameId, spendResource, v4ExpenseBody, v4ReportFor, v4User, type Handler, type Route } from './api';
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
export const nowIso = (ctx: Ctx): string => new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------- bodies

/**
 * The request body as a JSON object with every `required` field present (not null or empty), or
 * undefined once a 400 in the family's error shape has been sent.
 */
export function readBody(ctx: Ctx, family: ApiFamily, required: readonly string[]): Json | undefined {
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

export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

export function obj(value: unknown): Json {
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

// ---------------------------------------------------------------- Identity v4.1, User Provisioning v4

/** The fields Concur requires of a user in a create or replace (Identity v4.1, User Provisioning v4). */
const USER_REQUIRED = ['active', 'emails', 'name', 'userName'] as const;

/** Whether `userName` belongs to a user other than `except` (seeded or created here, not deleted). */
function userNameTaken(env: ServerEnv, userName: string, except?: string): boolean {
  const wanted = userName.toLowerCase();
  const seeded = env.dataset.usersByName.get(wanted);
  if (seeded && seeded.id !== except && !env.state.deletedUsers.has(seeded.id)) {
    return true;
  }
  return [...env.state.identity.entries()].some(([id, u]) => id !== except && !env.state.deletedUsers.has(id) && str(u.userName).toLowerCase() === wanted);
}

/** A new or replacing identity resource from a SCIM user body, or why the body is not a valid user. */
function userFromBody(body: Json, id: string, created: string, now: string, origin: string): Json | string {
  if (!Array.isArray(body.emails) || body.emails.length === 0 || body.emails.some((e) => !str(obj(e).value))) {
    return 'emails must be a non-empty array of objects with a value';
  }
  const name = obj(body.name);
  if (!str(name.familyName) || !str(name.givenName)) {
    return 'name needs familyName and givenName';
  }
  if (body[SCIM_ENTERPRISE] !== undefined && !str(obj(body[SCIM_ENTERPRISE]).companyId)) {
    return `${SCIM_ENTERPRISE}:companyId is required`;
  }
  return {
    schemas: [SCIM_CORE, SCIM_ENTERPRISE],
    id,
    meta: { resourceType: 'User', created, lastModified: now, version: `W/"${hashSeed(`${id}${now}`).toString(16)}"`, location: `${origin}/profile/identity/v4.1/Users/${id}` },
    userName: body.userName,
    displayName: body.displayName ?? `${str(name.givenName)} ${str(name.familyName)}`.trim(),
    name: { formatted: `${str(name.givenName)} ${str(name.familyName)}`.trim(), ...name },
    active: body.active,
    emails: body.emails,
    ...(body.externalId ? { externalId: body.externalId } : {}),
    ...(body.title ? { title: body.title } : {}),
    // Concur's defaults for what a create leaves out.
    preferredLanguage: body.preferredLanguage ?? 'en-US',
    timezone: body.timezone ?? 'America/New_York',
    [SCIM_ENTERPRISE]: { companyId: COMPANY.id, organization: COMPANY.name, ...obj(body[SCIM_ENTERPRISE]) },
  };
}

/** Creates a user from a SCIM body: the resource, or the HTTP status and reason it was refused. */
function createUser(ctx: Ctx, env: ServerEnv, body: Json): Json | { status: number; scimType: string; detail: string } {
  const missing = USER_REQUIRED.filter((k) => body[k] === undefined || body[k] === null || body[k] === '');
  if (missing.length) {
    return { status: 400, scimType: 'invalidValue', detail: `Missing required field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` };
  }
  if (userNameTaken(env, str(body.userName))) {
    return { status: 409, scimType: 'uniqueness', detail: `userName ${str(body.userName)} is already taken` };
  }
  const id = randomUUID();
  const resource = userFromBody(body, id, nowIso(ctx), nowIso(ctx), ctx.origin);
  if (typeof resource === 'string') {
    return { status: 400, scimType: 'invalidValue', detail: resource };
  }
  env.state.identity.set(id, resource);
  return resource;
}

const refused = (value: Json): value is { status: number; scimType: string; detail: string } => typeof value.status === 'number' && typeof value.detail === 'string';

function identityCreate(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', USER_REQUIRED);
  if (!body) {
    return;
  }
  const resource = createUser(ctx, env, body);
  if (refused(resource)) {
    apiError(ctx, 'scim', resource.status, resource.detail, { scimType: resource.scimType });
    return;
  }
  sendJson(ctx, 201, resource, { location: String(obj(resource.meta).location) });
}

/** The identity resource of a user (patched here or seeded), or undefined once the 404 has been sent. */
function identityOf(ctx: Ctx, env: ServerEnv, id: string): Json | undefined {
  const key = id.toLowerCase();
  const existing = env.state.deletedUsers.has(key) ? undefined : env.state.identity.get(key);
  const user = existing || env.state.deletedUsers.has(key) ? undefined : userOf(env, id);
  if (!existing && !user) {
    apiError(ctx, 'scim', 404, `User ${id} not found`);
    return undefined;
  }
  return structuredClone(existing ?? identityResource(env, ctx, user as UserRecord, 'v4.1'));
}

function identityReplace(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const current = identityOf(ctx, env, id);
  if (!current) {
    return;
  }
  const body = readBody(ctx, 'scim', USER_REQUIRED);
  if (!body) {
    return;
  }
  if (body.id !== undefined && !sameId(str(body.id), id)) {
    apiError(ctx, 'scim', 400, 'The id in the body differs from the one in the path', { scimType: 'mutability' });
    return;
  }
  if (userNameTaken(env, str(body.userName), str(current.id).toLowerCase())) {
    apiError(ctx, 'scim', 409, `userName ${str(body.userName)} is already taken`, { scimType: 'uniqueness' });
    return;
  }
  // A replace keeps nothing but the id and the creation time: what the body leaves out is gone.
  const resource = userFromBody(body, str(current.id), str(obj(current.meta).created), nowIso(ctx), ctx.origin);
  if (typeof resource === 'string') {
    apiError(ctx, 'scim', 400, resource, { scimType: 'invalidValue' });
    return;
  }
  env.state.identity.set(str(resource.id).toLowerCase(), resource);
  sendJson(ctx, 200, resource);
}

function identityDelete(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  if (!identityOf(ctx, env, id)) {
    return;
  }
  env.state.deletedUsers.add(id.toLowerCase());
  sendEmpty(ctx, 204);
}

/**
 * Applies SCIM PATCH operations (add/replace/remove, dotted paths or a value object) to a resource;
 * answers why it could not (the resource is then partly changed: callers patch a copy).
 */
function scimPatch(resource: Json, body: Json, now: string): string | undefined {
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    return 'Operations must be a non-empty array';
  }
  for (const raw of operations) {
    const op = str(obj(raw).op).toLowerCase();
    const path = str(obj(raw).path);
    const value = obj(raw).value;
    if (!['add', 'replace', 'remove'].includes(op)) {
      return `Unsupported op ${str(obj(raw).op) || '(none)'}`;
    }
    if (!path) {
      if (op === 'remove' || !value || typeof value !== 'object') {
        return 'An operation without a path needs an object value';
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
  resource.meta = { ...meta, lastModified: now, version: `W/"${hashSeed(`${now}${JSON.stringify(resource).length}`).toString(16)}"` };
  return undefined;
}

/** `scimPatch`, answering a 400 when the operations are not valid; false then. */
function applyScimPatch(ctx: Ctx, resource: Json, body: Json): boolean {
  const problem = scimPatch(resource, body, nowIso(ctx));
  if (problem) {
    apiError(ctx, 'scim', 400, problem, { scimType: 'invalidSyntax' });
  }
  return !problem;
}

function identityPatch(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const resource = identityOf(ctx, env, id);
  if (!resource) {
    return;
  }
  const body = readBody(ctx, 'scim', ['schemas', 'Operations']);
  if (!body || !applyScimPatch(ctx, resource, body)) {
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

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest';

/** A resource with only `id` and the attributes asked for, or without those excluded (top-level names). */
function projected(resource: Json, attributes: unknown, excluded: unknown): Json {
  const names = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map((v) => str(v)).filter(Boolean) : undefined);
  const only = names(attributes);
  const without = names(excluded);
  if (only?.length) {
    return Object.fromEntries(Object.entries(resource).filter(([key]) => key === 'id' || key === 'schemas' || only.includes(key)));
  }
  return without?.length ? Object.fromEntries(Object.entries(resource).filter(([key]) => !without.includes(key))) : resource;
}

function identitySearch(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', ['schemas']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.schemas) || !body.schemas.includes(SEARCH_REQUEST)) {
    apiError(ctx, 'scim', 400, `schemas must name ${SEARCH_REQUEST}`, { scimType: 'invalidValue' });
    return;
  }
  for (const key of ['attributes', 'excludedAttributes']) {
    if (body[key] !== undefined && !Array.isArray(body[key])) {
      apiError(ctx, 'scim', 400, `${key} must be an array of attribute names`, { scimType: 'invalidSyntax' });
      return;
    }
  }
  const matches = body.filter === undefined || body.filter === '' ? () => true : scimMatcher(str(body.filter));
  if (!matches) {
    apiError(ctx, 'scim', 400, `The filter ${JSON.stringify(body.filter)} is not valid`, { scimType: 'invalidFilter' });
    return;
  }
  const count = Math.min(1000, Math.max(1, Number(body.count) || 100));
  const offset = body.cursor ? Number.parseInt(Buffer.from(str(body.cursor), 'base64url').toString('utf8').replace(/^s:/, ''), 10) || 0 : 0;
  const found: Json[] = [];
  for (const user of env.dataset.users) {
    const resource = env.state.identity.get(user.id) ?? identityResource(env, ctx, user, 'v4.1');
    if (!env.state.deletedUsers.has(user.id) && matches(resource)) {
      found.push(resource);
    }
  }
  for (const [id, resource] of env.state.identity) {
    if (!env.dataset.usersById.has(id) && !env.state.deletedUsers.has(id) && matches(resource)) {
      found.push(resource);
    }
  }
  const page = found.slice(offset, offset + count);
  sendJson(ctx, 200, {
    schemas: [SCIM_LIST],
    totalResults: found.length,
    itemsPerPage: page.length,
    Resources: page.map((r) => projected(r, body.attributes, body.excludedAttributes)),
    ...(offset + count < found.length ? { nextCursor: Buffer.from(`s:${offset + count}`).toString('base64url') } : {}),
  });
}

// User Provisioning v4: every request is a provision with a status, kept by id; the work is done at once.

const PROVISION_STATUS = 'urn:ietf:params:scim:schemas:extension:concur:2.0:Provision:Status';

interface ProvisionOperation extends Json {
  id: string;
  bulkId: string | null;
  method: string;
  path: string;
  status: { code: string; completed: boolean; success: boolean };
  resource?: { id: string; type: string };
  messages: Json[];
}

/** Records a provision of these operations and answers its status body. */
function recordProvision(ctx: Ctx, env: ServerEnv, type: 'Users' | 'Bulk', operations: ProvisionOperation[]): Json {
  const id = randomUUID();
  const failed = operations.filter((o) => !o.status.success).length;
  const created = nowIso(ctx).replace(/Z$/, '+0000');
  const status: Json = {
    schemas: [PROVISION_STATUS],
    id,
    operationsCount: { total: operations.length, success: operations.length - failed, failed, pending: 0 },
    status: { completed: true, success: failed === 0 },
    meta: { location: `${ctx.origin}/profile/v4/provisions/${id}/status`, created, lastModified: created, provisionType: type, resourceType: 'ProvisionRequest', correlationId: ctx.correlationId },
    operations,
  };
  env.state.provisions.set(id, status);
  const { operations: _all, ...summary } = status;
  return summary;
}

const SPEND_EXTENSION = 'urn:ietf:params:scim:schemas:extension:spend:2.0';

/**
 * Applies a SCIM patch to a user: operations on a spend extension (`urn:…:spend:2.0:…`) change the
 * Spend user (so Spend user v4.1 reads them), the others the identity. Answers why it could not.
 */
function patchUser(ctx: Ctx, env: ServerEnv, identity: Json, body: Json): string | undefined {
  const operations = Array.isArray(body.Operations) ? body.Operations : [];
  const spendOps = operations.filter((o) => str(obj(o).path).startsWith(SPEND_EXTENSION) || Object.keys(obj(obj(o).value)).some((k) => k.startsWith(SPEND_EXTENSION)));
  const identityOps = operations.filter((o) => !spendOps.includes(o));
  const user = userOf(env, str(identity.id));
  if (spendOps.length && !user) {
    return 'This user has no Spend profile yet';
  }
  // Both are patched on copies and kept only when every operation applies.
  const nextIdentity = structuredClone(identity);
  const problem = identityOps.length || !spendOps.length ? scimPatch(nextIdentity, { ...body, Operations: identityOps.length ? identityOps : operations }, nowIso(ctx)) : undefined;
  const spend = spendOps.length && user ? structuredClone(env.state.spend.get(user.id) ?? spendResource(env, ctx, user)) : undefined;
  const spendProblem = spend ? scimPatch(spend, { ...body, Operations: spendOps }, nowIso(ctx)) : undefined;
  if (problem || spendProblem) {
    return problem ?? spendProblem;
  }
  if (identityOps.length || !spendOps.length) {
    Object.assign(identity, nextIdentity);
    env.state.identity.set(str(identity.id).toLowerCase(), identity);
  }
  if (spend && user) {
    spend.schemas = [...new Set([...(spend.schemas as string[]), SPEND_USER])];
    env.state.spend.set(user.id, spend);
  }
  return undefined;
}

/** One operation's outcome in a provision status. */
const done = (method: string, path: string, bulkId: string | null, code: string, resource?: string, message?: string): ProvisionOperation => ({
  id: randomUUID(),
  bulkId,
  method,
  path,
  status: { code, completed: true, success: /^2/.test(code) },
  ...(resource ? { resource: { id: resource, type: 'User' } } : {}),
  messages: message ? [{ code, message, type: 'error' }] : [],
});

function provisionUser(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', USER_REQUIRED);
  if (!body) {
    return;
  }
  const resource = createUser(ctx, env, body);
  if (refused(resource)) {
    apiError(ctx, 'scim', resource.status, resource.detail, { scimType: resource.scimType });
    return;
  }
  const summary = recordProvision(ctx, env, 'Users', [done('POST', '/Users', null, '201', str(resource.id))]);
  const meta = { ...obj(resource.meta), statusUrl: obj(summary.meta).location, provisionId: summary.id };
  sendJson(ctx, 201, { ...resource, meta }, { location: String(obj(resource.meta).location) });
}

function provisionPatch(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const identity = identityOf(ctx, env, id);
  if (!identity) {
    return;
  }
  const body = readBody(ctx, 'scim', ['schemas', 'Operations']);
  if (!body) {
    return;
  }
  const problem = patchUser(ctx, env, identity, body);
  if (problem) {
    apiError(ctx, 'scim', 400, problem, { scimType: 'invalidSyntax' });
    return;
  }
  const summary = recordProvision(ctx, env, 'Users', [done('PATCH', `/Users/${str(identity.id)}`, null, '200', str(identity.id))]);
  sendJson(ctx, 200, { ...identity, meta: { ...obj(identity.meta), statusUrl: obj(summary.meta).location, provisionId: summary.id } });
}

function provisionBulk(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'scim', ['schemas', 'Operations']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.Operations) || body.Operations.length === 0 || body.Operations.length > 100) {
    apiError(ctx, 'scim', 400, 'Operations must be an array of 1 to 100 operations', { scimType: 'invalidSyntax' });
    return;
  }
  const operations = body.Operations.map((raw): ProvisionOperation => {
    const op = obj(raw);
    const method = str(op.method).toUpperCase();
    const path = str(op.path);
    const bulkId = op.bulkId === undefined ? null : str(op.bulkId);
    const target = /^\/Users\/([^/]+)$/.exec(path)?.[1];
    // Each operation has its own outcome; the bulk request itself is accepted whatever they are.
    if (method === 'POST' && path === '/Users') {
      if (!bulkId) {
        return done(method, path, bulkId, '400', undefined, 'bulkId is required for POST');
      }
      const created = createUser(ctx, env, obj(op.data));
      return refused(created) ? done(method, path, bulkId, String(created.status), undefined, created.detail) : done(method, path, bulkId, '201', str(created.id));
    }
    if (target && (method === 'PATCH' || method === 'PUT' || method === 'DELETE')) {
      const seeded = userOf(env, target);
      const identity = env.state.deletedUsers.has(target.toLowerCase()) ? undefined : (env.state.identity.get(target.toLowerCase()) ?? (seeded ? identityResource(env, ctx, seeded, 'v4.1') : undefined));
      if (!identity) {
        return done(method, path, bulkId, '404', undefined, `User ${target} not found`);
      }
      if (method === 'DELETE') {
        env.state.deletedUsers.add(target.toLowerCase());
        return done(method, path, bulkId, '204', target);
      }
      if (method === 'PATCH') {
        const problem = patchUser(ctx, env, structuredClone(identity), obj(op.data));
        return done(method, path, bulkId, problem ? '400' : '200', target, problem);
      }
      const replaced = userFromBody(obj(op.data), str(identity.id), str(obj(identity.meta).created), nowIso(ctx), ctx.origin);
      if (typeof replaced === 'string') {
        return done(method, path, bulkId, '400', target, replaced);
      }
      env.state.identity.set(target.toLowerCase(), replaced);
      return done(method, path, bulkId, '200', target);
    }
    return done(method, path, bulkId, '400', undefined, 'method must be POST (path /Users) or PUT, PATCH, DELETE (path /Users/{id})');
  });
  const summary = recordProvision(ctx, env, 'Bulk', operations);
  sendJson(ctx, 202, summary, { location: String(obj(summary.meta).location) });
}

function provisionStatus(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const status = env.state.provisions.get(id.toLowerCase());
  if (!status) {
    apiError(ctx, 'scim', 404, `Provision ${id} not found`);
    return;
  }
  const { operations, ...summary } = status;
  // The operations' results only when asked for (attributes=operations), filtered by state and paged.
  if (ctx.query.get('attributes') !== 'operations') {
    sendJson(ctx, 200, summary);
    return;
  }
  const state = ctx.query.get('state');
  if (state !== null && !['pending', 'success', 'failed'].includes(state)) {
    apiError(ctx, 'scim', 400, 'state must be pending, success or failed', { scimType: 'invalidValue' });
    return;
  }
  const startIndex = intParam(ctx, 'startIndex');
  const count = intParam(ctx, 'count');
  if (Number.isNaN(startIndex) || Number.isNaN(count) || (startIndex !== undefined && startIndex < 1) || (count !== undefined && count < 0)) {
    apiError(ctx, 'scim', 400, 'startIndex must be 1 or more and count 0 or more', { scimType: 'invalidValue' });
    return;
  }
  const all = (operations as ProvisionOperation[]).filter((o) => state === null || (state === 'success' ? o.status.success : state === 'failed' ? !o.status.success : !o.status.completed));
  const from = (startIndex ?? 1) - 1;
  const page = all.slice(from, from + (count ?? all.length));
  sendJson(ctx, 200, { ...summary, operations: page, totalResults: all.length, startIndex: from + 1, itemsPerPage: page.length });
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
  // Attendees v3 marks no field required: any JSON object is an attendee.
  const body = readBody(ctx, 'legacy', []);
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
  const body = readBody(ctx, 'expense4', ['name', 'policyId']);
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

const EXPENSE_SOURCES = ['EA', 'MOB', 'OTHER', 'SE', 'TA', 'TR', 'UI'];

/** The short-URL expense update (company tokens): the few fields that stay open after submission. */
function v4UpdateExpense(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [reportId, expenseId]: string[]): void {
  const report = env.state.findReport(reportId);
  const expense = report ? env.state.expensesOf(report).find((e) => e.expenseId === expenseId.toUpperCase()) : undefined;
  if (!report || !expense) {
    apiError(ctx, 'expense4', 404, report ? `Expense ${expenseId} not found` : `Report ${reportId} not found`);
    return;
  }
  const body = readBody(ctx, 'expense4', ['expenseSource']);
  if (!body) {
    return;
  }
  if (!EXPENSE_SOURCES.includes(str(body.expenseSource))) {
    apiError(ctx, 'expense4', 400, `expenseSource must be one of ${EXPENSE_SOURCES.join(', ')}`, { validationErrors: [{ id: 'expenseSource', message: 'Unsupported value', source: 'body' }] });
    return;
  }
  if (report.payment.code === 'P_PAID') {
    apiError(ctx, 'expense4', 409, 'A paid report cannot be changed');
    return;
  }
  const list = env.state.mutableExpenses(report);
  const index = list.findIndex((e) => e.expenseId === expense.expenseId);
  list[index] = { ...list[index], ...(body.businessPurpose === undefined ? {} : { businessPurpose: str(body.businessPurpose) }) };
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
  const body = readBody(ctx, 'expense4', ['allocation', 'expenseIds']);
  if (!body) {
    return;
  }
  const change = obj(body.allocation);
  if (!Array.isArray(body.expenseIds) || body.expenseIds.length === 0 || (change.customData !== undefined && !Array.isArray(change.customData))) {
    apiError(ctx, 'expense4', 400, 'expenseIds must be a non-empty array and allocation.customData an array', { validationErrors: [{ id: 'expenseIds', message: 'Invalid value', source: 'body' }] });
    return;
  }
  // The allocation belongs to one expense of the report: that expense must be among those named.
  if (!body.expenseIds.some((id) => sameId(str(id), str(allocation.expenseId)))) {
    apiError(ctx, 'expense4', 400, `Allocation ${str(allocation.allocationId)} is not on the expenses named`, { validationErrors: [{ id: 'expenseIds', message: 'Does not name the allocation\'s expense', source: 'body' }] });
    return;
  }
  env.state.allocations.set(String(allocation.allocationId), {
    ...allocation,
    ...(Array.isArray(change.customData) ? { customData: change.customData } : {}),
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

/** Associates attendees with an expense (POST): each needs an attendeeId and its share. */
function v4UpdateAttendees(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (!found) {
    return;
  }
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  const list = body.expenseAttendeeList ?? [];
  const share = (a: unknown): boolean => typeof obj(a).transactionAmount === 'number' || amountOf(obj(a).transactionAmount) !== undefined;
  const bad = Array.isArray(list) ? list.findIndex((a) => !str(obj(a).attendeeId) || !share(a)) : 0;
  if (!Array.isArray(list) || bad >= 0) {
    apiError(ctx, 'expense4', 400, 'Each attendee needs an attendeeId and a transactionAmount', { validationErrors: [{ id: `expenseAttendeeList[${Math.max(bad, 0)}]`, message: 'attendeeId and transactionAmount are required', source: 'body' }] });
    return;
  }
  env.state.expenseAttendees.set(found.expense.expenseId, { expenseAttendeeList: list, noShowAttendeeCount: Number(body.noShowAttendeeCount) || 0 });
  const uri = `${ctx.origin}/expensereports/v4/users/${m[0]}/context/${m[1]}/reports/${m[2]}/expenses/${m[3]}/attendees`;
  sendJson(ctx, 201, { uri }, { location: uri });
}

function v4DeleteAttendees(ctx: Ctx, env: ServerEnv, auth: AccessRecord, m: string[]): void {
  const found = v4ExpenseFor(ctx, env, auth, m);
  if (found) {
    env.state.expenseAttendees.set(found.expense.expenseId, { expenseAttendeeList: [], noShowAttendeeCount: 0 });
    sendEmpty(ctx, 204);
  }
}

// ---------------------------------------------------------------- Lists v4

const SEARCH_CRITERIA = ['TEXT', 'CODE'];
const DISPLAY_FORMATS = ['(CODE) TEXT', 'TEXT (CODE)'];

/** Whether the optional searchCriteria and displayFormat of a list body are Concur's values; answers 400 when not. */
function listOptionsValid(ctx: Ctx, body: Json): boolean {
  if ((body.searchCriteria !== undefined && !SEARCH_CRITERIA.includes(str(body.searchCriteria))) || (body.displayFormat !== undefined && !DISPLAY_FORMATS.includes(str(body.displayFormat)))) {
    apiError(ctx, 'list4', 400, 'searchCriteria must be TEXT or CODE; displayFormat (CODE) TEXT or TEXT (CODE)', { id: 'INVALID_VALUE' });
    return false;
  }
  return true;
}

function createList(ctx: Ctx, env: ServerEnv, auth: AccessRecord): void {
  const body = readBody(ctx, 'list4', ['value']);
  if (!body || !listOptionsValid(ctx, body)) {
    return;
  }
  const list: ListRecord = {
    id: randomUUID(),
    value: str(body.value),
    // A new list has one level; items below another item add levels.
    levelCount: 1,
    searchCriteria: (body.searchCriteria ?? 'TEXT') as ListRecord['searchCriteria'],
    displayFormat: (body.displayFormat ?? '(CODE) TEXT') as ListRecord['displayFormat'],
    category: { id: str(body.categoryId, randomUUID()), type: 'Normal' },
    isReadOnly: false,
    isDeleted: false,
    managedBy: body.isManaged === true ? `appId:${auth.clientId}` : null,
    items: [],
  };
  env.state.lists.push(list);
  env.state.listsById.set(list.id, list);
  sendJson(ctx, 201, listView(list), { location: `${ctx.origin}/list/v4/lists/${list.id}`, 'cache-control': 'no-cache, private' }, LIST_JSON);
}

function updateList(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const list = env.state.findList(id);
  if (!list) {
    apiError(ctx, 'list4', 404, `List ${id} not found`, { id: 'LIST_NOT_FOUND' });
    return;
  }
  const body = readBody(ctx, 'list4', ['value']);
  if (!body || !listOptionsValid(ctx, body)) {
    return;
  }
  const changed: ListRecord = {
    ...list,
    value: str(body.value),
    searchCriteria: (body.searchCriteria ?? list.searchCriteria) as ListRecord['searchCriteria'],
    displayFormat: (body.displayFormat ?? list.displayFormat) as ListRecord['displayFormat'],
    managedBy: body.isManaged === undefined ? list.managedBy : body.isManaged === true ? `appId:${auth.clientId}` : null,
  };
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
  // The parent by id, or by its code (parentCode) among the list's items.
  const byCode = (code: string): ListItemRecord | undefined => [...env.state.items.values(), ...env.dataset.itemsById.values()].find((i) => i.listId === list.id && i.code === code && env.state.findItem(i.id));
  const parent = body.parentId ? env.state.findItem(str(body.parentId)) : body.parentCode ? byCode(str(body.parentCode)) : undefined;
  if ((body.parentId || body.parentCode) && (!parent || parent.listId !== list.id)) {
    apiError(ctx, 'list4', 400, `Parent item ${str(body.parentId ?? body.parentCode)} is not in the list`, { id: 'PARENT_NOT_FOUND' });
    return;
  }
  const level = parent ? parent.level + 1 : 1;
  if (level > 10) {
    apiError(ctx, 'list4', 400, 'A list has at most 10 levels', { id: 'LEVEL_EXCEEDED' });
    return;
  }
  if (level > list.levelCount) {
    // An item below the deepest level adds a level to the list.
    const deeper: ListRecord = { ...list, levelCount: level };
    env.state.listsById.set(list.id, deeper);
    const index = env.state.lists.findIndex((l) => l.id === list.id);
    if (index >= 0) {
      env.state.lists[index] = deeper;
    }
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

const RECEIPT_TYPES = ['general', 'air', 'car-rental', 'ground-transport', 'hotel', 'rail'];

function postReceipt(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId]: string[]): void {
  const user = auth.principal.user;
  if (!user || !sameId(userId, auth.principal.sub)) {
    apiError(ctx, 'receipts', 403, 'userId does not match the token subject');
    return;
  }
  // The link header names the receipt schema the body follows.
  const schema = /^<(http:\/\/schema\.concursolutions\.com\/([a-z-]+)-receipt\.schema\.json)>\s*;\s*rel="?describedBy"?$/i.exec(String(ctx.req.headers.link ?? '').trim());
  if (!schema || !RECEIPT_TYPES.includes(schema[2])) {
    apiError(ctx, 'receipts', 400, 'A link header naming a receipt schema (rel=describedBy) is required');
    return;
  }
  const body = readBody(ctx, 'receipts', ['dateTime', 'total', 'currencyCode', 'seller', 'payments']);
  if (!body) {
    return;
  }
  const total = Number(body.total);
  if (typeof body.total !== 'string' || !Number.isFinite(total)) {
    apiError(ctx, 'receipts', 400, 'total must be an amount as a string, e.g. "42.50"');
    return;
  }
  if (!/[+-]\d{2}:?\d{2}$/.test(str(body.dateTime))) {
    apiError(ctx, 'receipts', 400, 'dateTime needs a date, a time and a UTC offset, e.g. 2025-07-14T12:30:00-05:00');
    return;
  }
  if (!str(obj(body.seller).name) || !Array.isArray(body.payments) || body.payments.length === 0) {
    apiError(ctx, 'receipts', 400, 'seller needs a name and payments at least one payment');
    return;
  }
  const id = randomBytes(16).toString('hex');
  const list = env.state.receipts.get(user.id) ?? [];
  list.push({ id, userId: user.id, dateTimeReceived: nowIso(ctx), merchant: str(obj(body.seller).name), total: Math.round(total * 100), currency: str(body.currencyCode), transactionDate: str(body.dateTime).slice(0, 10), category: 'General', data: body, schema: schema[1] });
  env.state.receipts.set(user.id, list);
  // 201 with the receipt's URL and, in Link, where to follow its processing.
  sendEmpty(ctx, 201, { location: `${ctx.origin}/receipts/v4/${id}`, link: `<${schema[1]}>; rel="describedBy", <${ctx.origin}/receipts/v4/status/${id}>; rel="processing-status"` });
}

/** A receipt the token may see: a user's own (seeded or posted); a company token's, any posted here. */
function receiptFor(ctx: Ctx, env: ServerEnv, auth: AccessRecord, id: string): ReceiptRecord | undefined {
  const user = auth.principal.user;
  const mine = user ? [...env.dataset.receiptsOf(user), ...(env.state.receipts.get(user.id) ?? [])] : [...env.state.receipts.values()].flat();
  const found = mine.find((r) => sameId(r.id, id));
  if (!found) {
    apiError(ctx, 'receipts', 404, `Receipt ${id} not found`);
  }
  return found;
}

function receiptById(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const found = receiptFor(ctx, env, auth, id);
  if (found) {
    sendJson(ctx, 200, receiptView(ctx, found));
  }
}

function receiptStatus(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const found = receiptFor(ctx, env, auth, id);
  if (!found) {
    return;
  }
  const at = new Date(found.dateTimeReceived).toUTCString();
  sendJson(ctx, 200, {
    status: 'PROCESSED',
    logs: [
      { logLevel: 'INFO', message: 'Received, waiting to be processed', timestamp: at },
      { logLevel: 'INFO', message: 'Processing started', timestamp: at },
      { logLevel: 'INFO', message: 'Image drawn from the receipt data', timestamp: at },
      { logLevel: 'INFO', message: 'Done', timestamp: at },
    ],
  });
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
  const code = str(obj(request.approvalStatus).code);
  // The workflow actions open from the request's state, as links.
  const operations = Object.entries(REQUEST_ACTIONS)
    .filter(([, t]) => t.from.includes(code) && (t.closed === undefined || (request.closed === true) !== t.closed))
    .map(([action]) => ({ rel: action, href: `${ctx.origin}/travelrequest/v4/requests/${id}/${action}` }));
  return { href: `${ctx.origin}/travelrequest/v4/requests/${id}`, ...request, operations };
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
    CLOSED: () => true,
    TOAPPROVE: () => false,
    ACTIVEAPPROVED: (c) => c === 'APPROVED',
    PENDINGEBOOKING: () => false,
    PENDINGPROPOSAL: () => false,
    PROPOSALAPPROVED: () => false,
    PROPOSALCANCELED: () => false,
  };
  if (!byView[view]) {
    apiError(ctx, 'expense4', 400, `Unknown view ${view}`);
    return;
  }
  const sortField = ctx.query.get('sortField') ?? 'startDate';
  const sortOrder = (ctx.query.get('sortOrder') ?? 'DESC').toUpperCase();
  if (!['startDate', 'approvalStatus', 'requestId'].includes(sortField) || !['ASC', 'DESC'].includes(sortOrder)) {
    apiError(ctx, 'expense4', 400, 'sortField must be startDate, approvalStatus or requestId; sortOrder ASC or DESC', { id: 'invalidParam' });
    return;
  }
  const key = (r: Json): string => (sortField === 'approvalStatus' ? str(obj(r.approvalStatus).code) : str(r[sortField]));
  const all = env.state.requestsOf(user)
    .filter((r) => byView[view](str(obj(r.approvalStatus).code)) && (view !== 'CLOSED' || r.closed === true) && (view === 'CLOSED' || view === 'ALL' || r.closed !== true))
    .sort((a, b) => (sortOrder === 'ASC' ? 1 : -1) * key(a).localeCompare(key(b)));
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
  // Request v4 marks no field of a new request required.
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  if (body.id !== undefined) {
    apiError(ctx, 'expense4', 400, 'id may not be sent when creating a request', { id: 'invalidField' });
    return;
  }
  const request = newRequest(hexId(), user, { ...body, ...(body.policy === undefined ? {} : { policy: { id: str(obj(body.policy).id) } }) }, ['NOT_SUBMITTED', 'Not Submitted'], 0, nowIso(ctx));
  env.state.addRequest(user, request);
  const view = requestView(ctx, request);
  sendJson(ctx, 201, view, { location: String(view.href) });
}

function updateRequest(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const request = requestFor(ctx, env, auth, id);
  if (!request) {
    return;
  }
  // A partial update: only the fields sent change, null clears one; others are ignored.
  const body = readBody(ctx, 'expense4', []);
  if (!body) {
    return;
  }
  if (body.id !== undefined && !sameId(str(body.id), id)) {
    apiError(ctx, 'expense4', 400, 'The id in the body differs from the requestUuid', { id: 'invalidField' });
    return;
  }
  for (const key of ['name', 'businessPurpose', 'comment', 'startDate', 'endDate', 'startTime', 'endTime', 'mainDestination', 'policy', 'travelAgency']) {
    if (body[key] === null) {
      delete request[key];
    } else if (body[key] !== undefined) {
      request[key] = body[key];
    }
  }
  request.lastModified = nowIso(ctx);
  sendJson(ctx, 200, requestView(ctx, request));
}

/** Request v4 needs the acting user's id with a company token for this call; false once the 400 is sent. */
function userIdGiven(ctx: Ctx, auth: AccessRecord): boolean {
  if (auth.principal.type === 'company' && !ctx.query.get('userId')) {
    apiError(ctx, 'expense4', 400, 'userId is required with a company token', { id: 'missingRequiredParam' });
    return false;
  }
  return true;
}

function deleteRequest(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  if (!userIdGiven(ctx, auth)) {
    return;
  }
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

function expectedExpenses(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const request = requestFor(ctx, env, auth, id);
  if (request) {
    sendJson(ctx, 200, (env.state.expectedExpenses.get(String(request.id)) ?? []).map((e) => ({ ...e, href: `${ctx.origin}/travelrequest/v4/expenses/${String(e.id)}` })));
  }
}

function createExpectedExpense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  if (!userIdGiven(ctx, auth)) {
    return;
  }
  const request = requestFor(ctx, env, auth, id);
  if (!request) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['expenseType', 'transactionAmount', 'transactionDate']);
  if (!body) {
    return;
  }
  const money = obj(body.transactionAmount);
  if (!str(obj(body.expenseType).id) || typeof money.value !== 'number' || !str(money.currency)) {
    apiError(ctx, 'expense4', 400, 'expenseType needs an id; transactionAmount a value and a currency', { id: 'invalidField' });
    return;
  }
  if (str(obj(request.approvalStatus).code) !== 'NOT_SUBMITTED' && str(obj(request.approvalStatus).code) !== 'SENTBACK') {
    apiError(ctx, 'expense4', 400, 'Expected expenses can only be added to a request that is not submitted', { id: 'invalidWorkflowAction' });
    return;
  }
  const expense: Json = { id: hexId(), ...body, parentRequest: { id: request.id }, lastModifiedDate: nowIso(ctx) };
  const list = env.state.expectedExpenses.get(String(request.id)) ?? [];
  list.push(expense);
  env.state.expectedExpenses.set(String(request.id), list);
  request.expenses = list.map((e) => ({ id: e.id, href: `${ctx.origin}/travelrequest/v4/expenses/${String(e.id)}` }));
  sendJson(ctx, 201, { ...expense, href: `${ctx.origin}/travelrequest/v4/expenses/${String(expense.id)}` }, { location: `${ctx.origin}/travelrequest/v4/expenses/${String(expense.id)}` });
}

/** The workflow transitions of Request v4: from which states each action moves a request, and to what. */
const REQUEST_ACTIONS: Record<string, { from: readonly string[]; to?: [string, string]; closed?: boolean }> = {
  submit: { from: ['NOT_SUBMITTED', 'SENTBACK', 'RECALLED'], to: ['SUBMITTED', 'Submitted & Pending Approval'] },
  recall: { from: ['SUBMITTED'], to: ['RECALLED', 'Recalled'] },
  approve: { from: ['SUBMITTED'], to: ['APPROVED', 'Approved'] },
  sendback: { from: ['SUBMITTED'], to: ['SENTBACK', 'Sent Back'] },
  cancel: { from: ['NOT_SUBMITTED', 'SUBMITTED', 'APPROVED', 'SENTBACK', 'RECALLED'], to: ['CANCELED', 'Canceled'] },
  close: { from: ['APPROVED', 'CANCELED'], closed: true },
  reopen: { from: ['APPROVED', 'CANCELED'], closed: false },
};

function requestAction(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id, action]: string[]): void {
  const transition = REQUEST_ACTIONS[action];
  if (!transition) {
    apiError(ctx, 'expense4', 400, `Unknown action ${action}: submit, recall, approve, sendback, cancel, close or reopen`, { id: 'invalidWorkflowAction' });
    return;
  }
  if (!userIdGiven(ctx, auth)) {
    return;
  }
  // The body is optional; a comment counts only when sending back.
  const text = ctx.body.toString('utf8').trim();
  const body = text ? readBody(ctx, 'expense4', []) : {};
  if (!body) {
    return;
  }
  const request = requestFor(ctx, env, auth, id);
  if (!request) {
    return;
  }
  const code = str(obj(request.approvalStatus).code);
  if (!transition.from.includes(code) || (transition.closed !== undefined && (request.closed === true) === transition.closed)) {
    apiError(ctx, 'expense4', 409, `A request in the state ${code}${request.closed === true ? ' (closed)' : ''} cannot be moved with ${action}`, { id: 'invalidWorkflowAction' });
    return;
  }
  if (transition.to) {
    request.approvalStatus = { code: transition.to[0], name: transition.to[1] };
    request.approved = transition.to[0] === 'APPROVED';
    request.pendingApproval = transition.to[0] === 'SUBMITTED';
    if (transition.to[0] === 'SUBMITTED') {
      request.submitDate = nowIso(ctx);
    }
    if (transition.to[0] === 'SENTBACK') {
      request.everSentBack = true;
      if (body.comment !== undefined) {
        request.comment = str(body.comment);
      }
    }
  }
  if (transition.closed !== undefined) {
    request.closed = transition.closed;
  }
  request.lastModified = nowIso(ctx);
  sendJson(ctx, 200, requestView(ctx, request));
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

function createQuickExpense(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context]: string[]): void {
  const user = qeUser(ctx, env, auth, userId, context);
  if (!user) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['expenseTypeId', 'location', 'transactionAmount', 'transactionDate']);
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

const TRIPS_PER_PAGE = 10;

/** Itinerary v4 trips: links to the company's trips, 10 a page, the next page after a `startAfter` marker. */
function trips(ctx: Ctx, env: ServerEnv): void {
  const schema = ctx.query.get('schema');
  const from = ctx.query.get('endDateFrom');
  const to = ctx.query.get('endDateTo');
  const isDate = (d: string | null): boolean => d === null || /^\d{4}-\d{2}-\d{2}$/.test(d);
  if ((schema !== null && schema !== 'id') || !isDate(from) || !isDate(to) || (from && to && to < from)) {
    apiError(ctx, 'expense4', 400, 'schema is id; endDateFrom and endDateTo are yyyy-mm-dd, endDateTo not before endDateFrom', { id: 'invalidParam' });
    return;
  }
  const all = [...env.state.trips.values()].filter((t) => (!from || str(t.EndDateLocal).slice(0, 10) >= from) && (!to || str(t.EndDateLocal).slice(0, 10) <= to));
  const after = ctx.query.get('startAfter');
  const start = after ? all.findIndex((t) => str(t.TripId) === after) + 1 : 0;
  if (after && start === 0) {
    apiError(ctx, 'expense4', 400, `startAfter ${after} is not a trip of this query`, { id: 'invalidParam' });
    return;
  }
  const page = all.slice(start, start + TRIPS_PER_PAGE);
  const query = (marker: string): string => {
    const q = new URLSearchParams(ctx.query);
    q.set('startAfter', marker);
    return `${ctx.origin}/travel/v4/trips?${q.toString()}`;
  };
  sendJson(ctx, 200, {
    data: page.map((t) => ({ ...(schema === 'id' ? { id: t.TripId } : {}), href: `${ctx.origin}/travel/v4/trips/${str(t.TripId)}` })),
    operations: start + TRIPS_PER_PAGE < all.length ? [{ rel: 'next', href: query(str(page[page.length - 1].TripId)) }] : [],
  });
}

function trip(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [id]: string[]): void {
  const found = env.state.trips.get(id.toLowerCase());
  if (!found) {
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
  const body = readBody(ctx, 'legacy', ['CountryCode', 'InvoiceAmount', 'Name', 'VendorRemitToIdentifier']);
  if (!body) {
    return;
  }
  // The vendor to pay: by its VendorCode (and AddressCode when given), or by Name, Address1 and PostalCode.
  const remit = obj(body.VendorRemitToIdentifier);
  const vendor = remit.VendorCode
    ? env.state.vendors.find((v) => v.VendorCode === remit.VendorCode && (!remit.AddressCode || v.AddressCode === remit.AddressCode))
    : env.state.vendors.find((v) => v.VendorName === remit.Name && v.Address1 === remit.Address1 && v.PostalCode === remit.PostalCode);
  if (!vendor) {
    apiError(ctx, 'legacy', 400, remit.VendorCode ? `No vendor ${str(remit.VendorCode)}${remit.AddressCode ? ` with address ${str(remit.AddressCode)}` : ''}` : 'VendorRemitToIdentifier needs a VendorCode, or a Name, Address1 and PostalCode of a vendor');
    return;
  }
  const id = hexId(10);
  env.state.paymentRequests.unshift({
    ID: id,
    PaymentRequestId: hexId(10),
    Name: str(body.Name),
    CountryCode: str(body.CountryCode),
    InvoiceNumber: str(body.InvoiceNumber),
    InvoiceDate: str(body.InvoiceDate, today(ctx)),
    InvoiceAmount: str(body.InvoiceAmount),
    CurrencyCode: str(body.CurrencyCode, String(vendor.CurrencyCode)),
    ApprovalStatus: 'R_NOTF',
    PaymentStatus: 'P_NOTP',
    VendorRemitAddress: { VendorCode: vendor.VendorCode, AddressCode: vendor.AddressCode, Name: vendor.VendorName },
    OwnerLoginID: auth.principal.user?.userName ?? env.dataset.users[0].userName,
    CreateDate: nowIso(ctx),
    LineItems: { LineItem: Array.isArray(body.LineItems) ? body.LineItems : [] },
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
    const missing = ['VendorCode', 'AddressCode'].filter((k) => !v[k]);
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

const PO_ADDRESS_REQUIRED = ['Address1', 'City', 'CountryCode', 'ExternalID', 'PostalCode', 'StateProvince'];

function createPurchaseOrder(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'legacy', ['BillToAddress', 'CurrencyCode', 'LineItem', 'Name', 'OrderDate', 'PolicyExternalID', 'ShipToAddress', 'VendorAddressCode', 'VendorCode']);
  if (!body) {
    return;
  }
  const problems = [
    ...['BillToAddress', 'ShipToAddress'].flatMap((k) => PO_ADDRESS_REQUIRED.filter((f) => !obj(body[k])[f]).map((f) => `${k}.${f}`)),
    ...(Array.isArray(body.LineItem) && body.LineItem.length ? body.LineItem.flatMap((l, i) => ['ExternalID', 'LineNumber', 'Quantity', 'UnitPrice'].filter((f) => obj(l)[f] === undefined).map((f) => `LineItem[${i}].${f}`)) : ['LineItem']),
  ];
  if (problems.length) {
    // Purchase Order v3 answers a refused order with 200 and the reason in the body.
    sendJson(ctx, 200, { Status: 'FAILURE', ErrorCode: 'MISSING_FIELD', ErrorMessage: `Missing: ${problems.join(', ')}`, PurchaseOrderNumber: body.PurchaseOrderNumber ?? null });
    return;
  }
  if (!env.state.vendors.some((v) => v.VendorCode === body.VendorCode && v.AddressCode === body.VendorAddressCode)) {
    sendJson(ctx, 200, { Status: 'FAILURE', ErrorCode: 'INVALID_VENDOR', ErrorMessage: `No vendor ${str(body.VendorCode)} with address ${str(body.VendorAddressCode)}`, PurchaseOrderNumber: body.PurchaseOrderNumber ?? null });
    return;
  }
  const number = str(body.PurchaseOrderNumber, `PO-${hexId(4)}`);
  if (env.state.purchaseOrders.has(number)) {
    apiError(ctx, 'legacy', 400, `Purchase order ${number} exists; update it with PUT`);
    return;
  }
  env.state.purchaseOrders.set(number, { ...body, PurchaseOrderNumber: number, Status: 'Transmitted' });
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
  const body = readBody(ctx, 'expense4', ['budgetItemDetails', 'budgetItemStatusType', 'description', 'fiscalYear', 'name', 'owner']);
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

const FIS_DOC_TYPES = ['expense', 'invoice', 'cashadvance', 'payroll', 'requestobligation', 'reportobligation'];
const FIS = '/financialintegration/fi/v4/companies/transactiontypes';

function fisDocType(ctx: Ctx, docType: string, allowed: readonly string[] = FIS_DOC_TYPES): boolean {
  if (!allowed.includes(docType)) {
    apiError(ctx, 'expense4', 400, `Unknown docType ${docType}`, { validationErrors: [{ id: 'docType', message: `Supported values: ${allowed.join(', ')}`, source: 'path' }] });
    return false;
  }
  return true;
}

/** Financial documents of a type, `page` from 0, with first/self/next/last links (Spring-style paging). */
function fisTransactions(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType]: string[]): void {
  if (!fisDocType(ctx, docType)) {
    return;
  }
  const limit = intParam(ctx, 'limit') ?? 25;
  const page = intParam(ctx, 'page') ?? 0;
  const ignore = ctx.query.get('ignoreDocumentStatus') ?? 'no';
  if (Number.isNaN(limit) || Number.isNaN(page) || limit < 1 || page < 0 || !['yes', 'no'].includes(ignore)) {
    apiError(ctx, 'expense4', 400, 'limit must be 1 or more, page 0 or more, ignoreDocumentStatus yes or no', { validationErrors: [{ id: 'query', message: 'Invalid value', source: 'query' }] });
    return;
  }
  const docId = ctx.query.get('docId');
  const systemId = ctx.query.get('systemId');
  const all = env.state.fisTransactions.filter((t) => t.docType === docType && (ignore === 'yes' || t.docStatus === 'READY') && (!docId || t.id === docId) && (!systemId || !t.erpSystemId || t.erpSystemId === systemId));
  const totalPages = Math.ceil(all.length / limit);
  const href = (n: number): string => `${ctx.origin}${FIS}/${docType}/transactions?limit=${limit}&page=${n}&size=${limit}`;
  const links = [{ rel: 'first', href: href(0) }, { rel: 'self', href: href(page) }, ...(page + 1 < totalPages ? [{ rel: 'next', href: href(page + 1) }] : []), ...(totalPages ? [{ rel: 'last', href: href(totalPages - 1) }] : [])];
  const asText = (ctx.req.headers.documentformatas ?? '').toString().toLowerCase() === 'text';
  sendJson(ctx, 200, {
    links: links.map((l) => ({ ...l, hreflang: null, media: null, title: null, type: null, deprecation: null })),
    content: all.slice(page * limit, (page + 1) * limit).map((t) => ({ ...t, document: asText ? t.document : JSON.parse(str(t.document)) })),
    page: { size: limit, totalElements: all.length, totalPages, number: page },
  });
}

/** The result of one document of a request, with Financial Integration's service code. */
const fisResult = (docId: string, systemId: string, key: string, code: number, result: string, errorMessage: string | null = null): Json => ({ code, docId, systemId, [key]: result, errorMessage });

function fisAcknowledge(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType]: string[]): void {
  if (!fisDocType(ctx, docType)) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['ids', 'systemId']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.ids) || typeof body.systemId !== 'string') {
    apiError(ctx, 'expense4', 400, 'ids must be an array and systemId a string', { validationErrors: [{ id: 'ids', message: 'Not an array', source: 'body' }] });
    return;
  }
  const systemId = body.systemId;
  sendJson(ctx, 200, body.ids.map((raw) => {
    const id = str(raw);
    const doc = env.state.fisTransactions.find((t) => t.id === id);
    if (!doc) {
      return fisResult(id, systemId, 'acknowledgeResult', 104, 'FAILURE', 'This document does not exist.');
    }
    if (doc.docType !== docType) {
      return fisResult(id, systemId, 'acknowledgeResult', 105, 'FAILURE', `This document is not of type ${docType}.`);
    }
    if (doc.docStatus !== 'READY') {
      return fisResult(id, systemId, 'acknowledgeResult', 101, 'FAILURE', `This document was acknowledged before (system ${String(doc.erpSystemId)}).`);
    }
    doc.docStatus = 'ACKNOWLEDGED';
    doc.erpSystemId = systemId;
    return fisResult(id, systemId, 'acknowledgeResult', 0, 'SUCCESS', '');
  }));
}

function fisPostingConfirmations(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType]: string[]): void {
  if (!fisDocType(ctx, docType)) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['systemId', 'postingConfirmations']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.postingConfirmations) || typeof body.systemId !== 'string') {
    apiError(ctx, 'expense4', 400, 'postingConfirmations must be an array and systemId a string', { validationErrors: [{ id: 'postingConfirmations', message: 'Not an array', source: 'body' }] });
    return;
  }
  const systemId = body.systemId;
  sendJson(ctx, 200, body.postingConfirmations.map((raw) => {
    const item = obj(raw);
    const id = str(item.docId);
    const status = str(item.overallPostingStatusCode);
    const doc = env.state.fisTransactions.find((t) => t.id === id && t.docType === docType);
    if (!id || !['success', 'error'].includes(status) || !Array.isArray(item.systemMessages)) {
      return fisResult(id, systemId, 'postingConfirmationResult', 198, 'FAILURE', 'docId, overallPostingStatusCode (success or error) and systemMessages are required.');
    }
    if (!doc) {
      return fisResult(id, systemId, 'postingConfirmationResult', 116, 'DOCUMENT_NOT_FOUND', 'This document does not exist.');
    }
    if (doc.docStatus === 'READY') {
      return fisResult(id, systemId, 'postingConfirmationResult', 111, 'NOT_YET_ACKNOWLEDGED', 'Acknowledge the document first.');
    }
    if (doc.docStatus !== 'ACKNOWLEDGED') {
      return fisResult(id, systemId, 'postingConfirmationResult', 113, 'FAILURE', 'This document\'s posting was confirmed before.');
    }
    doc.docStatus = status === 'success' ? 'POSTING_CONFIRMED_SUCCESS' : 'POSTING_CONFIRMED_FAILURE';
    return { ...fisResult(id, systemId, 'postingConfirmationResult', 0, 'SUCCESS'), detailMessage: '' };
  }));
}

function fisPaymentConfirmations(ctx: Ctx, env: ServerEnv, _auth: AccessRecord, [docType]: string[]): void {
  // Concur takes payment confirmations for expense reports only, so far.
  if (!fisDocType(ctx, docType, ['expense'])) {
    return;
  }
  const body = readBody(ctx, 'expense4', ['systemId']);
  if (!body) {
    return;
  }
  const items = body.processingConfirmation ?? [];
  if (!Array.isArray(items) || typeof body.systemId !== 'string') {
    apiError(ctx, 'expense4', 400, 'processingConfirmation must be an array and systemId a string', { validationErrors: [{ id: 'processingConfirmation', message: 'Not an array', source: 'body' }] });
    return;
  }
  const systemId = body.systemId;
  sendJson(ctx, 200, items.map((raw) => {
    const item = obj(raw);
    const id = str(item.docId);
    const refs = (Array.isArray(item.clearingDetails) ? item.clearingDetails : []).map((d) => str(obj(obj(d).clearingReference).paymentRef));
    const paymentRef = refs.join(', ');
    const doc = env.state.fisTransactions.find((t) => t.id === id && t.docType === docType);
    if (!['CP', 'PP', 'RE', 'OB'].includes(str(item.processingStatusCode))) {
      return { ...fisResult(id, systemId, 'paymentConfirmationResult', 298, 'FAILURE', 'processingStatusCode must be CP, PP, RE or OB.'), paymentRef };
    }
    if (!doc) {
      return { ...fisResult(id, systemId, 'paymentConfirmationResult', 116, 'DOCUMENT_NOT_FOUND', 'This document does not exist.'), paymentRef };
    }
    if (doc.docStatus !== 'POSTING_CONFIRMED_SUCCESS') {
      return { ...fisResult(id, systemId, 'paymentConfirmationResult', 111, 'NOT_POSTING_CONFIRMED', 'Confirm the document\'s posting first.'), paymentRef };
    }
    const seen = env.state.fisPayments.get(id);
    if (seen && refs.some((r) => (seen.paymentRefs as string[]).includes(r))) {
      return { ...fisResult(id, systemId, 'paymentConfirmationResult', 213, 'NOOP', 'This payment was confirmed before.'), paymentRef };
    }
    env.state.fisPayments.set(id, { processingStatusCode: item.processingStatusCode, paymentRefs: [...((seen?.paymentRefs as string[]) ?? []), ...refs] });
    return { ...fisResult(id, systemId, 'paymentConfirmationResult', 0, 'SUCCESS'), paymentRef, detailMessage: '' };
  }));
}

// ---------------------------------------------------------------- Exchange Rate v4

function uploadExchangeRates(ctx: Ctx, env: ServerEnv): void {
  const body = readBody(ctx, 'expense4', ['currency_sets']);
  if (!body) {
    return;
  }
  if (!Array.isArray(body.currency_sets) || body.currency_sets.length === 0) {
    apiError(ctx, 'expense4', 400, 'currency_sets must be a non-empty array', { validationErrors: [{ id: 'currency_sets', message: 'Not a non-empty array', source: 'body' }] });
    return;
  }
  const code = /^[A-Z]{3}$/;
  const results = body.currency_sets.map((raw) => {
    const set = obj(raw);
    const valid = code.test(str(set.from_crn_code)) && code.test(str(set.to_crn_code)) && /^\d{4}-\d{2}-\d{2}$/.test(str(set.start_date)) && typeof set.rate === 'number' && set.rate > 0;
    if (valid) {
      env.state.exchangeRates.push({ ...set, uploaded: nowIso(ctx) });
    }
    const { from_crn_code, to_crn_code, start_date, rate } = set;
    return { from_crn_code, to_crn_code, start_date, rate, statusCode: valid ? 200 : 400, statusMessage: valid ? 'success' : 'ISO 4217 codes, a YYYY-MM-DD start date and a positive rate are required' };
  });
  const failed = results.filter((r) => r.statusCode !== 200).length;
  // Exchange Rate v4 answers each set's outcome; the request fails only when every set does.
  sendJson(ctx, failed === results.length ? 400 : 200, {
    overallStatus: failed === 0 ? 'Success' : failed === results.length ? 'Failure' : 'Partial Success',
    message: failed === 0 ? 'Every rate was saved' : `${failed} of ${results.length} rates were refused`,
    currencySets: results,
  });
}

// ---------------------------------------------------------------- routes

const UC: Route['principals'] = ['user', 'company'];
const C: Route['principals'] = ['company'];
/** Identity writes: core and enterprise attributes, externalId, the SAP id, verified e-mail (PATCH takes the first three). */
const IDENTITY_WRITE = ['identity.user.coreenterprise.writeonly', 'identity.user.externalID.writeonly', 'identity.user.sap.writeonly', 'identity.user.emails.verified.writeonly'];
const route = (method: NonNullable<Route['method']>, source: string, family: ApiFamily, scopes: readonly string[], principals: Route['principals'], handle: Handler): Route => ({ method, pattern: R(source), family, scopes, principals, handle });

export const WRITE_ROUTES: readonly Route[] = [
  // Identity v4.1 (SCIM, company tokens)
  route('POST', '^\\/profile\\/identity\\/v4\\.1\\/Users$', 'scim', IDENTITY_WRITE, C, identityCreate),
  route('POST', '^\\/profile\\/identity\\/v4\\.1\\/Users\\/\\.search$', 'scim', SCOPES.identityV41, C, identitySearch),
  route('PATCH', '^\\/profile\\/identity\\/v4\\.1\\/Users\\/([^/]+)$', 'scim', IDENTITY_WRITE.slice(0, 3), C, identityPatch),
  route('PUT', '^\\/profile\\/identity\\/v4\\.1\\/Users\\/([^/]+)$', 'scim', IDENTITY_WRITE, C, identityReplace),
  route('DELETE', '^\\/profile\\/identity\\/v4\\.1\\/Users\\/([^/]+)$', 'scim', ['identity.user.delete'], C, identityDelete),
  // User Provisioning v4 (company tokens); Spend user v4.1 has no write of its own
  route('POST', '^\\/profile\\/v4\\/Users$', 'scim', ['user.provision.write'], C, provisionUser),
  route('PATCH', '^\\/profile\\/v4\\/Users\\/([^/]+)$', 'scim', ['user.provision.write'], C, provisionPatch),
  route('POST', '^\\/profile\\/v4\\/Bulk$', 'scim', ['user.provision.write'], C, provisionBulk),
  route('GET', '^\\/profile\\/v4\\/provisions\\/([^/]+)\\/status$', 'scim', ['user.provision.read', 'user.provision.write'], C, provisionStatus),
  // Expense v3 attendee list
  route('GET', '^\\/api\\/v3\\.0\\/expense\\/attendees$', 'legacy', ['ATTEND'], UC, v3Attendees),
  route('POST', '^\\/api\\/v3\\.0\\/expense\\/attendees$', 'legacy', ['ATTEND'], UC, v3CreateAttendee),
  // Expense v4 (its workflow, comments and exceptions: expenseWorkflow.ts)
  route('POST', `${V4}\\/reports$`, 'expense4', ['expense.report.readwrite'], UC, v4CreateReport),
  route('PATCH', `${V4}\\/reports\\/([^/]+)$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateReport),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Expense),
  route('PATCH', '^\\/expensereports\\/v4\\/reports\\/([^/]+)\\/expenses\\/([^/]+)$', 'expense4', ['expense.report.readwrite'], C, v4UpdateExpense),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/itemizations$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Itemizations),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/allocations$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Allocations),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/allocations\\/([^/]+)$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Allocation),
  route('PATCH', `${V4}\\/reports\\/([^/]+)\\/allocations\\/([^/]+)$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateAllocation),
  route('GET', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/attendees$`, 'expense4', ['expense.report.read', 'expense.report.readwrite'], UC, v4Attendees),
  route('POST', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/attendees$`, 'expense4', ['expense.report.readwrite'], UC, v4UpdateAttendees),
  route('DELETE', `${V4}\\/reports\\/([^/]+)\\/expenses\\/([^/]+)\\/attendees$`, 'expense4', ['expense.report.readwrite'], UC, v4DeleteAttendees),
  // Lists v4
  route('POST', '^\\/list\\/v4\\/lists$', 'list4', ['spend.list.write'], UC, createList),
  route('PUT', '^\\/list\\/v4\\/lists\\/([^/]+)$', 'list4', ['spend.list.write'], UC, updateList),
  route('POST', '^\\/list\\/v4\\/items$', 'list4', ['spend.listitem.write'], UC, createItem),
  route('PUT', '^\\/list\\/v4\\/items\\/([^/]+)$', 'list4', ['spend.listitem.write'], UC, updateItem),
  route('DELETE', '^\\/list\\/v4\\/items\\/([^/]+)$', 'list4', ['spend.listitem.delete'], UC, deleteItem),
  // Receipts v4 (`/v4/users/{id}` reads are in api.ts)
  route('POST', '^\\/receipts\\/v4\\/users\\/([^/]+)$', 'receipts', ['receipts.write', 'receipts.writeonly'], ['user'], postReceipt),
  route('GET', '^\\/receipts\\/v4\\/status\\/([^/]+)$', 'receipts', ['receipts.read', 'receipts.write'], UC, receiptStatus),
  route('GET', '^\\/receipts\\/v4\\/(?!users$|status$)([^/]+)$', 'receipts', ['receipts.read', 'receipts.write'], UC, receiptById),
  route('POST', '^\\/receipts\\/v4\\/users\\/([^/]+)\\/image-only-receipts$', 'receipts', ['receipts.write', 'receipts.writeonly'], ['user'], postImageOnlyReceipt),
  // Request v4 (one scope, travelrequest.write, for reads and writes)
  route('GET', '^\\/travelrequest\\/v4\\/requests$', 'expense4', ['travelrequest.write'], UC, requests),
  route('POST', '^\\/travelrequest\\/v4\\/requests$', 'expense4', ['travelrequest.write'], UC, createRequest),
  route('GET', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)$', 'expense4', ['travelrequest.write'], UC, requestById),
  route('PUT', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)$', 'expense4', ['travelrequest.write'], UC, updateRequest),
  route('DELETE', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)$', 'expense4', ['travelrequest.write'], UC, deleteRequest),
  route('GET', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)\\/expenses$', 'expense4', ['travelrequest.write'], UC, expectedExpenses),
  // Before the workflow route: `expenses` is not an action.
  route('POST', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)\\/expenses$', 'expense4', ['travelrequest.write'], UC, createExpectedExpense),
  route('POST', '^\\/travelrequest\\/v4\\/requests\\/([^/]+)\\/([^/]+)$', 'expense4', ['travelrequest.write', 'travelrequest.externalsystemworkflow.write'], UC, requestAction),
  // Cash Advance v4.1
  route('POST', '^\\/cashadvance\\/v4\\.1\\/cashadvances$', 'expense4', ['cashadvance.write'], UC, createCashAdvance),
  route('GET', '^\\/cashadvance\\/v4\\.1\\/cashadvances\\/([^/]+)$', 'expense4', ['cashadvance.read', 'cashadvance.write'], UC, cashAdvance),
  route('POST', '^\\/cashadvance\\/v4\\.1\\/cashadvances\\/([^/]+)\\/issue$', 'expense4', ['cashadvance.write'], UC, issueCashAdvance),
  // Quick Expense v4 (create only: Concur offers no read)
  route('POST', '^\\/quickexpense\\/v4\\/users\\/([^/]+)\\/context\\/([^/]+)\\/quickexpenses$', 'expense4', ['quickexpense.writeonly'], UC, createQuickExpense),
  // Itinerary v4 (company tokens)
  route('GET', '^\\/travel\\/v4\\/trips$', 'expense4', ['travel.itinerary.read'], C, trips),
  route('GET', '^\\/travel\\/v4\\/trips\\/([^/]+)$', 'expense4', ['travel.itinerary.read'], C, trip),
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
  route('POST', '^\\/financialintegration\\/fi\\/v4\\/companies\\/transactiontypes\\/([^/]+)\\/transactions\\/acknowledgements$', 'expense4', ['FISVC'], C, fisAcknowledge),
  route('POST', '^\\/financialintegration\\/fi\\/v4\\/companies\\/transactiontypes\\/([^/]+)\\/transactions\\/postingconfirmations$', 'expense4', ['FISVC'], C, fisPostingConfirmations),
  route('POST', '^\\/financialintegration\\/fi\\/v4\\/companies\\/transactiontypes\\/([^/]+)\\/transactions\\/paymentconfirmations$', 'expense4', ['FISVC'], C, fisPaymentConfirmations),
  // Exchange Rate v4 (company tokens)
  route('POST', '^\\/exchangerate\\/v4\\/rates$', 'expense4', ['expense.exchangerate.writeonly'], C, uploadExchangeRates),
];
