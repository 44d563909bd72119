/**
 * The operations of the API definitions loaded into the catalog (the user's files, Concur's published
 * ones), answered by the local server where no built-in route serves them: the request is checked
 * against the operation's parameters and body schema (a 400 in the family's shape, with
 * `validationErrors`), its bearer and scopes as every API checks them (401, 403), and the answer is
 * an example generated from the operation's response schema (openapi-sampler: the same schema gives
 * the same example), with the path's ids put where the schema has them. What a write sends to a
 * collection (`POST /things`, `PUT|PATCH|DELETE /things/{id}`) is kept in this server's memory, so
 * that a following GET of the item or the collection sees it.
 */
import { createHash } from 'node:crypto';
import { sample } from 'openapi-sampler';
import type { DefinitionEntries, Endpoint, JsonSchema } from '../catalog/endpoint';
import { schemaErrors } from '../catalog/definitions/openapi';
import { authenticateBearer, safeDecode } from './api';
import type { DefinitionOperations, ServerEnv } from './env';
import { apiError, sendEmpty, sendJson, type ApiFamily, type Ctx } from './http';
import { parseMultipart } from './uploads';

type Json = Record<string, unknown>;
type ValidationError = { id?: string; message: string; source: string };

/** The family whose error bodies an operation's path takes after (Concur's shapes differ by API). */
export function familyOfPath(path: string): ApiFamily {
  const p = path.toLowerCase();
  if (/^\/profile\/v1\//.test(p) || p.startsWith('/api/')) return 'legacy';
  if (p.startsWith('/profile/') || p.startsWith('/scim/')) return 'scim';
  if (p.startsWith('/list/')) return 'list4';
  if (p.startsWith('/receipts/')) return 'receipts';
  if (p.startsWith('/localities/')) return 'localities';
  return 'expense4';
}

/** An operation's template, segment by segment: a lone `{name}`, a literal, or a mix (`{a}.{b}`). */
interface CompiledOperation {
  readonly endpoint: Endpoint;
  readonly segments: readonly Segment[];
  /** How many segments are literals: the more, the better a match (`/trips/search` over `/trips/{id}`). */
  readonly literals: number;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'mixed'; pieces: readonly string[]; names: readonly string[] };

function compile(endpoint: Endpoint): CompiledOperation {
  const segments: Segment[] = splitPath(endpoint.path).map((segment) => {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) return { kind: 'param', name: whole[1] };
    if (!segment.includes('{')) return { kind: 'literal', text: segment.toLowerCase() };
    const names = [...segment.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
    return { kind: 'mixed', pieces: segment.split(/\{[^{}]*\}/).map((p) => p.toLowerCase()), names };
  });
  return { endpoint, segments, literals: segments.filter((s) => s.kind === 'literal').length };
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [''] : trimmed.split('/');
}

/** The path parameters when the path matches the template (literals compared without case), else undefined. */
function matchPath(op: CompiledOperation, segments: readonly string[]): Record<string, string> | undefined {
  if (op.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const template = op.segments[i];
    const segment = segments[i];
    if (template.kind === 'literal') {
      if (template.text !== segment.toLowerCase()) return undefined;
    } else if (template.kind === 'param') {
      if (segment === '') return undefined;
      params[template.name] = safeDecode(segment);
    } else {
      const values = matchMixed(template.pieces, segment);
      if (!values) return undefined;
      template.names.forEach((name, n) => (params[name] = safeDecode(values[n])));
    }
  }
  return params;
}

/** A segment against its literal pieces, each placeholder at least one character, literals at their earliest place. */
function matchMixed(pieces: readonly string[], segment: string): string[] | undefined {
  const lower = segment.toLowerCase();
  if (!lower.startsWith(pieces[0])) return undefined;
  const values: string[] = [];
  let at = pieces[0].length;
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i];
    const last = i === pieces.length - 1;
    const found = last ? (lower.endsWith(piece) && lower.length - piece.length >= at + 1 ? lower.length - piece.length : -1) : piece === '' ? at + 1 : lower.indexOf(piece, at + 1);
    if (found < 0) return undefined;
    values.push(segment.slice(at, found));
    at = found + piece.length;
  }
  return values;
}

/** A kept resource: what writes sent, with its id. */
interface Kept {
  readonly id: string;
  value: Json;
}

/** The success status an operation answers with, and the schema of its body (none for 204). */
function successOf(endpoint: Endpoint): { status: number; schema?: JsonSchema } {
  const responses = endpoint.responses ?? {};
  const codes = Object.keys(responses)
    .filter((k) => /^2\d\d$/.test(k))
    .sort();
  if (codes.length) return { status: Number(codes[0]), schema: responses[codes[0]] };
  const klass = Object.keys(responses).find((k) => k.toUpperCase() === '2XX');
  if (klass) return { status: endpoint.method === 'POST' ? 201 : 200, schema: responses[klass] };
  // No schema for success: a read answers an empty object, a write nothing.
  return endpoint.method === 'GET' ? { status: 200, schema: { type: 'object' } } : { status: 204 };
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The deterministic example of a schema (openapi-sampler), or undefined when it cannot make one. */
export function exampleOf(schema: JsonSchema): unknown {
  if (typeof schema === 'boolean') return schema ? {} : undefined;
  try {
    // The schema stands alone (its `$ref`s point inside it), so it is also the document they resolve in.
    return repaired(sample(schema as never, { quiet: true, skipWriteOnly: true, maxSampleDepth: 8 }, schema), schema);
  } catch {
    return undefined;
  }
}

/**
 * An example the schema does not accept made acceptable where an array is at fault: the sampler
 * stops at a depth, leaving a recursive schema's deepest items incomplete (`children: [{}]`); the
 * array holding a failing item is emptied. Gives up (keeping the value) after a few rounds.
 */
function repaired(value: unknown, schema: JsonSchema): unknown {
  let current = value;
  for (let round = 0; round < 20; round++) {
    const errors = schemaErrors(current, schema);
    if (!errors.length) return current;
    const tokens = errors[0].pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    // The deepest array on the way to the error.
    let holder: unknown;
    let key: string | undefined;
    let node: unknown = current;
    const root = { value: current };
    let parent: unknown = root;
    let parentKey = 'value';
    for (const token of tokens) {
      if (Array.isArray(node)) {
        holder = parent;
        key = parentKey;
      }
      if (typeof node !== 'object' || node === null) break;
      parent = node;
      parentKey = token;
      node = (node as Record<string, unknown>)[token];
    }
    if (holder === undefined || key === undefined) return current;
    (holder as Record<string, unknown>)[key] = [];
    current = root.value;
  }
  return current;
}

/** `value` with `overlay`'s fields put on it where the schema still accepts them (one field at a time, in order). */
function overlayValid(base: unknown, overlay: Json, schema: JsonSchema): unknown {
  if (!isObject(base)) return base;
  let current: Json = { ...base };
  const tryWith = (candidate: Json): boolean => {
    if (schemaErrors(candidate, schema).length) return false;
    current = candidate;
    return true;
  };
  if (tryWith({ ...current, ...overlay })) return current;
  for (const [key, value] of Object.entries(overlay)) tryWith({ ...current, [key]: value });
  return current;
}

/** A UUID made from the text: the same path and count give the same id. */
function idFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The names a resource's own id goes by in an answer: the path parameter's, then the usual ones. */
function idNames(param: string | undefined): string[] {
  return [...(param ? [param] : []), 'id', 'Id', 'ID', 'uuid'];
}

export class DefinitionRoutes implements DefinitionOperations {
  private operations: CompiledOperation[] = [];
  private scopeSet = new Set<string>();
  /** Kept resources by collection path (`/travel/v2/trips`), each by id. */
  private readonly kept = new Map<string, Map<string, Kept>>();
  /** Item paths deleted here: they answer 404 until written again. */
  private readonly deleted = new Set<string>();
  private created = 0;

  /** The operations to answer: every definition's, in the catalog's order. */
  set(entries: readonly DefinitionEntries[]): void {
    this.operations = entries.flatMap((d) => d.endpoints).map(compile);
    this.scopeSet = new Set(this.operations.flatMap((o) => o.endpoint.scopes));
  }

  /** Every scope the definitions' operations name: the demo app is granted them too. */
  get scopes(): ReadonlySet<string> {
    return this.scopeSet;
  }

  get count(): number {
    return this.operations.length;
  }

  /**
   * The operation of the definitions a request is for: the best match of its method (most literal
   * segments), else undefined with the methods the path takes (for a 405).
   */
  find(method: string, path: string): { op: CompiledOperation; params: Record<string, string> } | { allow: string[] } | undefined {
    if (!this.operations.length) return undefined;
    const segments = splitPath(path);
    const wanted = method === 'HEAD' ? 'GET' : method;
    let best: { op: CompiledOperation; params: Record<string, string> } | undefined;
    const allow = new Set<string>();
    for (const op of this.operations) {
      const params = matchPath(op, segments);
      if (!params) continue;
      allow.add(op.endpoint.method);
      if (op.endpoint.method === wanted && (!best || op.literals > best.op.literals)) best = { op, params };
    }
    if (best) return best;
    return allow.size ? { allow: [...allow] } : undefined;
  }

  /** Answers a request for one of the definitions' operations; false when none has the path. */
  handle(ctx: Ctx, env: ServerEnv): boolean {
    const found = this.find(ctx.method, ctx.path);
    if (!found) return false;
    const family = familyOfPath(ctx.path);
    if ('allow' in found) {
      apiError(ctx, family, 405, `Method ${ctx.method} is not supported by this resource`, { headers: { allow: found.allow.join(', ') } });
      return true;
    }
    const { op, params } = found;
    const endpoint = op.endpoint;
    const auth = authenticateBearer(ctx, env, family);
    if (!auth) return true;
    if (endpoint.tokenTypes.length && !(endpoint.tokenTypes as readonly string[]).includes(auth.principal.type)) {
      env.count('apiForbidden');
      apiError(ctx, family, 403, `This resource does not accept ${auth.principal.type} tokens`);
      return true;
    }
    if (endpoint.scopes.length && !endpoint.scopes.some((s) => auth.scopes.includes(s))) {
      env.count('apiForbidden');
      apiError(ctx, family, 403, `Insufficient scope: requires ${endpoint.scopes.join(' or ')}`);
      return true;
    }
    const checked = this.checkRequest(ctx, endpoint, params);
    if ('errors' in checked) {
      apiError(ctx, family, 400, checked.message, { validationErrors: checked.errors, scimType: 'invalidValue' });
      return true;
    }
    this.answer(ctx, op, params, checked.body);
    return true;
  }

  /** The request against the operation's parameters and body: the body when it passes, else what is wrong. */
  private checkRequest(ctx: Ctx, endpoint: Endpoint, params: Record<string, string>): { body: unknown } | { message: string; errors: ValidationError[] } {
    const errors: ValidationError[] = [];
    for (const param of endpoint.params) {
      let values: string[];
      if (param.in === 'path') values = params[param.name] === undefined ? [] : [params[param.name]];
      else if (param.in === 'query') values = ctx.query.getAll(param.name);
      else {
        const header = ctx.req.headers[param.name.toLowerCase()];
        values = header === undefined ? [] : Array.isArray(header) ? header : [header];
      }
      if (!values.length || values.every((v) => v === '')) {
        if (param.required) errors.push({ id: param.name, message: `Required ${param.in} parameter ${param.name} is missing`, source: param.in });
        continue;
      }
      if (param.choices?.length) {
        const bad = values.flatMap((v) => v.split(',')).find((v) => !param.choices!.includes(v.trim()));
        if (bad !== undefined) errors.push({ id: param.name, message: `${param.name} must be one of ${param.choices.join(', ')}; got ${JSON.stringify(bad)}`, source: param.in });
      }
    }
    let body: unknown;
    const spec = endpoint.body;
    const text = ctx.body.toString('utf8');
    if (spec && ctx.body.length === 0) {
      if (spec.required) errors.push({ message: 'A request body is required', source: 'body' });
    } else if (spec && /json/i.test(spec.contentType)) {
      try {
        body = JSON.parse(text);
      } catch {
        return { message: 'The request body is not valid JSON', errors: [...errors, { message: 'Malformed JSON', source: 'body' }] };
      }
      if (spec.schema !== undefined) {
        for (const e of schemaErrors(body, spec.schema)) errors.push({ id: e.pointer ? `$${e.pointer.replace(/\//g, '.')}` : '$', message: e.message, source: 'body' });
      }
    } else if (spec?.fields?.length) {
      const contentType = String(ctx.req.headers['content-type'] ?? '');
      let present: Set<string>;
      if (/^multipart\/form-data/i.test(contentType)) {
        const parts = parseMultipart(ctx.body, contentType);
        if (typeof parts === 'string') return { message: parts, errors: [...errors, { message: parts, source: 'body' }] };
        present = new Set(parts.map((p) => p.name));
      } else {
        present = new Set(new URLSearchParams(text).keys());
      }
      for (const field of spec.fields) if (field.required && !present.has(field.name)) errors.push({ id: field.name, message: `Required form field ${field.name} is missing`, source: 'body' });
    }
    if (errors.length) return { message: errors.length === 1 ? errors[0].message : `The request has ${errors.length} validation errors`, errors };
    return { body };
  }

  private answer(ctx: Ctx, op: CompiledOperation, params: Record<string, string>, body: unknown): void {
    const endpoint = op.endpoint;
    const last = op.segments[op.segments.length - 1];
    const itemParam = last?.kind === 'param' ? last.name : undefined;
    const path = ctx.path.replace(/\/+$/, '');
    const collectionPath = itemParam ? path.slice(0, path.lastIndexOf('/')) : path;
    const id = itemParam ? params[itemParam] : undefined;
    const success = successOf(endpoint);
    const write = body !== undefined && isObject(body) ? body : undefined;
    const family = familyOfPath(ctx.path);

    if (id !== undefined && this.deleted.has(path.toLowerCase()) && endpoint.method !== 'PUT' && endpoint.method !== 'POST') {
      apiError(ctx, family, 404, `No resource found at ${path}`);
      return;
    }
    const collection = (): Map<string, Kept> => {
      let map = this.kept.get(collectionPath.toLowerCase());
      if (!map) this.kept.set(collectionPath.toLowerCase(), (map = new Map()));
      return map;
    };
    const keptItem = id !== undefined ? this.kept.get(collectionPath.toLowerCase())?.get(id) : undefined;
    const headers: Record<string, string> = {};
    let resource: Json | undefined;
    switch (endpoint.method) {
      case 'POST':
        if (id === undefined && write) {
          // A create: kept under a new id, which the answer and the Location header name.
          const newId = idFrom(`${collectionPath}\n${++this.created}`);
          resource = { ...write, id: newId };
          collection().set(newId, { id: newId, value: resource });
          this.deleted.delete(`${collectionPath}/${newId}`.toLowerCase());
          headers.location = `${ctx.origin}${collectionPath}/${encodeURIComponent(newId)}`;
        } else if (keptItem) {
          resource = keptItem.value;
        }
        break;
      case 'PUT':
        if (id !== undefined && write) {
          resource = { ...write, id };
          collection().set(id, { id, value: resource });
          this.deleted.delete(path.toLowerCase());
        }
        break;
      case 'PATCH':
        if (id !== undefined && write) {
          // A JSON merge patch, field by field; a SCIM PatchOp's operations are not applied.
          const patch = Array.isArray(write.Operations) ? {} : write;
          resource = { ...(keptItem?.value ?? {}), ...patch, id };
          collection().set(id, { id, value: resource });
        }
        break;
      case 'DELETE':
        if (id !== undefined) {
          this.kept.get(collectionPath.toLowerCase())?.delete(id);
          this.deleted.add(path.toLowerCase());
        }
        break;
      default:
        resource = keptItem?.value;
    }
    if (success.schema === undefined) {
      sendEmpty(ctx, success.status, headers);
      return;
    }
    const schema = success.schema;
    let value = exampleOf(schema);
    if (value === undefined) {
      apiError(ctx, family, 500, `No example could be generated from the response schema of ${endpoint.method} ${endpoint.path}`);
      return;
    }
    const ownId = id ?? (typeof resource?.id === 'string' ? resource.id : undefined);
    if (isObject(value)) {
      // The ids the path names go where the answer has them; then what writes kept.
      const ids: Json = {};
      for (const [name, v] of Object.entries(params)) if (name in value) ids[name] = v;
      if (ownId !== undefined) for (const name of idNames(itemParam)) if (name in value && typeof value[name] === 'string') ids[name] = ownId;
      value = overlayValid(value, { ...ids, ...(resource ? withoutId(resource) : {}) }, schema);
    }
    if (endpoint.method === 'GET' && id === undefined) value = this.withKept(value, collectionPath, schema);
    sendJson(ctx, success.status, value, headers);
  }

  /** A collection's answer with the resources kept for it in front of the example's items, where the schema takes them. */
  private withKept(value: unknown, collectionPath: string, schema: JsonSchema): unknown {
    const kept = [...(this.kept.get(collectionPath.toLowerCase())?.values() ?? [])].map((k) => k.value);
    if (!kept.length) return value;
    const merge = (items: unknown[]): unknown[] => {
      const template = items[0];
      return [...kept.map((k) => (isObject(template) ? { ...template, ...k } : k)), ...items];
    };
    let candidate: unknown;
    if (Array.isArray(value)) candidate = merge(value);
    else if (isObject(value)) {
      const key = Object.keys(value).find((k) => Array.isArray(value[k]));
      if (key) candidate = { ...value, [key]: merge(value[key] as unknown[]) };
    }
    if (candidate !== undefined && schemaErrors(candidate, schema).length === 0) return candidate;
    // Kept fields the list's items do not take: the ids alone, over the example's items.
    const idsOnly = (items: unknown[]): unknown[] => [...kept.map((k) => (isObject(items[0]) ? overlayValid(items[0], { id: k.id }, { type: 'object' }) : items[0])), ...items];
    if (Array.isArray(value)) candidate = idsOnly(value);
    else if (isObject(value)) {
      const key = Object.keys(value).find((k) => Array.isArray(value[k]));
      if (key) candidate = { ...value, [key]: idsOnly(value[key] as unknown[]) };
    }
    return candidate !== undefined && schemaErrors(candidate, schema).length === 0 ? candidate : value;
  }
}

function withoutId(resource: Json): Json {
  const { id: _id, ...rest } = resource;
  return rest;
}
