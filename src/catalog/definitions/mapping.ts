/**
 * A bundled Swagger 2.0 or OpenAPI 3.x document (internal `$ref`s only) → the catalog's entries.
 *
 * - Hosts (`servers`' hosts, `host`, `schemes`) are ignored: requests always go to the signed-in
 *   session's own host. The API's prefix is not: a Swagger `basePath`, or the path of the first
 *   server URL, goes in front of each path once (paths.ts), as Concur's files need it
 *   (`basePath: /expensereports/v4`, `paths: /users/{userId}/…`). A source may override it.
 * - Nothing is dropped silently: what cannot be read (a cookie parameter, a path item whose `$ref`
 *   points nowhere, HEAD operations) is left out with a warning that names it.
 * - Each stored schema stands alone: `{ $schema, allOf: [fragment], definitions?, components?,
 *   paths? }`, the fragment and the document's sections shared by reference between endpoints, so
 *   that the document's internal `$ref`s resolve inside each schema and it stays JSON.
 */
import type { DefinitionEntries, Endpoint, EndpointBody, EndpointParam, FormField, HttpMethod, JsonSchema } from '../catalog';
import { l10n } from '../../platform/l10n';
import { SchemaNormaliser } from './normalise';
import { documentPrefix, joinPrefix, normalisePrefix, splitTemplateQuery } from './paths';
import { deref, isObject, type JsonObject } from './pointer';

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Headers the extension sets itself; OpenAPI says such parameters are ignored. */
const OWN_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export type DocumentKind = 'swagger2' | 'openapi30' | 'openapi31';

/** Which specification a parsed document follows, or undefined for neither. */
export function documentKind(doc: unknown): DocumentKind | undefined {
  if (!isObject(doc)) return undefined;
  if (doc.swagger !== undefined) return /^2(\.0)?$/.test(String(doc.swagger)) ? 'swagger2' : undefined;
  if (doc.openapi === undefined) return undefined;
  const version = String(doc.openapi);
  if (!/^3(\.|$)/.test(version)) return undefined;
  return /^3\.0(\.|$)/.test(version) || version === '3' ? 'openapi30' : 'openapi31';
}

export interface MappingSource {
  readonly id: string;
  readonly location: string;
  /** Replaces the document's own base path (Swagger `basePath`, or the first server URL's path); '' for none. */
  readonly basePath?: string;
  /** The product group's name, instead of the document's title and version. */
  readonly product?: string;
  /** What the loader already read leniently (a broken `$ref` stubbed), to be reported with the rest. */
  readonly warnings?: readonly string[];
}

/** What went wrong mapping the document (the loader turns it into a DefinitionError). */
export class MappingError extends Error {}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function firstParagraph(text: unknown): string {
  if (typeof text !== 'string') return '';
  return clip(oneLine(text.trim().split(/\r?\n[ \t]*\r?\n/)[0] ?? ''), 300);
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value.join(',');
  return undefined;
}

function choicesOf(values: unknown): string[] | undefined {
  if (!Array.isArray(values)) return undefined;
  const choices = values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  return choices.length ? choices : undefined;
}

/** The JSON media type of a `content` map (or of a Swagger `consumes`/`produces` list): application/json, else any +json, else *\/*. */
function pickJson(types: readonly string[]): string | undefined {
  if (types.includes('application/json')) return 'application/json';
  return (
    types.find((t) => /^application\/json\s*(;|$)/i.test(t)) ??
    types.find((t) => /^[^/]+\/([^;]*\+)?json\s*(;|$)/i.test(t)) ??
    types.find((t) => t.trim().startsWith('*/*'))
  );
}

const isHttps = (url: unknown): url is string => typeof url === 'string' && /^https:\/\/[^\s]+$/i.test(url);

export function documentToEntries(doc: JsonObject, kind: DocumentKind, source: MappingSource, name: string): DefinitionEntries {
  const info = isObject(doc.info) ? doc.info : {};
  const title = oneLine(str(info.title) ?? '') || name;
  const version = oneLine(asString(info.version) ?? '');
  const product = source.product ?? (version ? `${title} ${version}` : title);
  const dialect = kind === 'openapi31' ? DRAFT_2020_12 : DRAFT_07;
  const normaliser = new SchemaNormaliser(doc, kind !== 'openapi31');
  const warnings: string[] = [...(source.warnings ?? [])];
  const wrappers: JsonObject[] = [];
  const shared: JsonObject = {};
  if (doc.definitions !== undefined) shared.definitions = doc.definitions;
  if (doc.components !== undefined) shared.components = doc.components;

  const wrap = (fragment: unknown): JsonSchema | undefined => {
    if (!isObject(fragment) && typeof fragment !== 'boolean') return undefined;
    normaliser.visit(fragment);
    const schema: JsonObject = { $schema: dialect, allOf: [fragment], ...shared };
    wrappers.push(schema);
    return schema;
  };

  // A document is read by what it contains, not only by what it says it is: Concur publishes files
  // labelled `swagger: '2.0'` that are written with OpenAPI 3's `servers`, `requestBody` and
  // `content` (SCIM v4, Maestro v4, User Retrieval v4). Each part is read in whichever form it has.
  const prefix = source.basePath !== undefined ? normalisePrefix(source.basePath) : documentPrefix(doc);
  const components = isObject(doc.components) ? doc.components : {};
  const schemes: JsonObject = { ...(isObject(components.securitySchemes) ? components.securitySchemes : {}), ...(isObject(doc.securityDefinitions) ? doc.securityDefinitions : {}) };
  const docSecurity = doc.security;
  const docDocs = isObject(doc.externalDocs) && isHttps(doc.externalDocs.url) ? doc.externalDocs.url : undefined;
  const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

  const scopesOf = (security: unknown): string[] => {
    const scopes = new Set<string>();
    if (!Array.isArray(security)) return [];
    for (const requirement of security) {
      if (!isObject(requirement)) continue;
      for (const [schemeName, list] of Object.entries(requirement)) {
        const scheme = deref(doc, schemes[schemeName]);
        if (scheme && (scheme.type === 'oauth2' || scheme.type === 'openIdConnect')) for (const s of listOf(list)) scopes.add(s);
      }
    }
    return [...scopes];
  };

  const endpoints: Endpoint[] = [];
  const ids = new Set<string>();
  const paths = isObject(doc.paths) ? doc.paths : {};
  let skipped = 0;
  for (const [rawTemplate, rawItem] of Object.entries(paths)) {
    if (rawTemplate.startsWith('x-')) continue;
    const item = deref(doc, rawItem);
    if (!item) {
      warnings.push(l10n.t('The path {0} could not be read (its $ref points nowhere); its operations are left out.', clip(rawTemplate, 200)));
      continue;
    }
    const templateProblem = templateProblemOf(rawTemplate);
    if (templateProblem) {
      warnings.push(l10n.t('The path {0} is left out: {1}', clip(rawTemplate, 200), templateProblem));
      continue;
    }
    // A query string written into the template (`…/{id}?mode=COMPACT`) is a query parameter with that value.
    const { path: rawPath, query: templateQuery } = splitTemplateQuery(rawTemplate);
    const path = joinPrefix(prefix, rawPath);
    for (const [key, rawOperation] of Object.entries(item)) {
      const method = key.toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) {
        if (['HEAD', 'OPTIONS', 'TRACE'].includes(method)) skipped++;
        continue;
      }
      const op = deref(doc, rawOperation);
      if (!op) {
        warnings.push(l10n.t('{0} {1} could not be read (its $ref points nowhere) and is left out.', method, clip(rawTemplate, 200)));
        continue;
      }
      const operationId = str(op.operationId)?.trim() || undefined;
      const where = `${method} ${path}`;

      // Parameters: the path item's, then the operation's (which win on the same name and place).
      const merged = new Map<string, JsonObject>();
      for (const list of [item.parameters, op.parameters]) {
        if (!Array.isArray(list)) continue;
        for (const raw of list) {
          const p = deref(doc, raw);
          if (p && typeof p.name === 'string' && typeof p.in === 'string') merged.set(`${p.in}\n${p.name}`, p);
          else if (raw !== undefined) warnings.push(l10n.t('A parameter of {0} could not be read and is left out.', where));
        }
      }
      const params: EndpointParam[] = [];
      let body: EndpointBody | undefined;
      const formData: JsonObject[] = [];
      for (const p of merged.values()) {
        const pname = p.name as string;
        if (p.in === 'body') {
          const consumes = listOf(op.consumes ?? doc.consumes);
          body = withSchema({ contentType: pickJson(consumes) ?? consumes[0] ?? 'application/json', required: p.required === true }, wrap(p.schema));
          continue;
        }
        if (p.in === 'formData') {
          formData.push(p);
          continue;
        }
        if (p.in !== 'path' && p.in !== 'query' && p.in !== 'header') {
          // One written into the template's query string is offered there (Purchase Request v4's `mode`).
          if (!templateQuery.some((q) => q.name === pname)) {
            warnings.push(l10n.t('The parameter "{0}" of {1} is in "{2}", which the explorer does not send; it is left out.', clip(pname, 100), where, clip(String(p.in), 40)));
          }
          continue;
        }
        if (p.in === 'header' && OWN_HEADERS.has(pname.toLowerCase())) continue;
        if (p.in === 'header' && !isSendableHeader(pname)) {
          warnings.push(l10n.t('The header parameter "{0}" of {1} is left out: the extension sets that header itself, or it decides where a request goes.', clip(pname, 100), where));
          continue;
        }
        // Swagger 2.0 writes a parameter's type on the parameter; OpenAPI 3 in its `schema`.
        const schema = isObject(p.schema) ? (deref(doc, p.schema) ?? {}) : p;
        const param: Mutable<EndpointParam> = { name: pname, in: p.in, description: oneLine(str(p.description) ?? '') };
        if (p.in === 'path' || p.required === true) param.required = true;
        // Concur's user-scoped paths (Receipts v4, Expense v4, Quick Expense v4) take the user's UUID, the token's `sub`.
        if (p.in === 'path' && /^user_?id$/i.test(pname)) param.fromSession = 'sub';
        const defaultValue = asString(schema.default);
        if (defaultValue !== undefined) param.default = defaultValue;
        const choices = choicesOf(schema.enum);
        if (choices) param.choices = choices;
        params.push(param);
      }
      for (const { name: qname, value } of templateQuery) {
        const known = params.findIndex((p) => p.in === 'query' && p.name === qname);
        if (known >= 0) {
          if (params[known].default === undefined) params[known] = { ...params[known], default: value };
        } else {
          params.push({ name: qname, in: 'query', default: value, description: l10n.t('Written into the path template as {0}={1}', qname, value) });
        }
      }
      if (formData.length && !body) {
        const consumes = listOf(op.consumes ?? doc.consumes);
        const multipart = formData.some((p) => p.type === 'file') || (consumes.some((t) => /^multipart\/form-data/i.test(t)) && !consumes.some((t) => /^application\/x-www-form-urlencoded/i.test(t)));
        body = {
          contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
          required: formData.some((p) => p.required === true),
          fields: formData.map((p) => formField(p.name as string, p, p.required === true, multipart)),
        };
      }
      if (op.requestBody !== undefined) {
        const requestBody = deref(doc, op.requestBody);
        const content = requestBody && isObject(requestBody.content) ? requestBody.content : {};
        const types = Object.keys(content);
        const json = pickJson(types);
        const form = types.find((t) => /^multipart\/form-data\s*(;|$)/i.test(t)) ?? types.find((t) => /^application\/x-www-form-urlencoded\s*(;|$)/i.test(t));
        const chosen = json ?? form ?? types[0];
        if (!requestBody) {
          warnings.push(l10n.t('The request body of {0} could not be read (its $ref points nowhere).', where));
        } else if (chosen) {
          const media = deref(doc, content[chosen]);
          const required = requestBody.required === true;
          if (json) {
            body = withSchema({ contentType: chosen, required }, media ? wrap(media.schema) : undefined);
          } else if (chosen === form) {
            const multipart = /^multipart\//i.test(chosen);
            body = { contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded', required, fields: formFieldsOf(doc, media?.schema, multipart) };
          } else {
            body = { contentType: chosen, required };
          }
        }
      }

      // Responses: the JSON schema of each status code that has one (a `schema`, or a JSON `content`).
      const responses: Record<string, JsonSchema> = {};
      let hasResponses = false;
      const produces = listOf(op.produces ?? doc.produces);
      const producesJson = !produces.length || pickJson(produces) !== undefined;
      if (isObject(op.responses)) {
        for (const [status, raw] of Object.entries(op.responses)) {
          if (status.startsWith('x-')) continue;
          const response = deref(doc, raw);
          if (!response) {
            warnings.push(l10n.t('The {0} answer of {1} could not be read (its $ref points nowhere).', status, where));
            continue;
          }
          let fragment: unknown;
          if (isObject(response.content)) {
            const json = pickJson(Object.keys(response.content));
            if (json) fragment = deref(doc, response.content[json])?.schema;
          } else if (response.schema !== undefined && producesJson) {
            fragment = response.schema;
          }
          const schema = fragment === undefined ? undefined : wrap(fragment);
          if (schema !== undefined) {
            responses[status] = schema;
            hasResponses = true;
          }
        }
      }

      const tags = listOf(op.tags);
      const fallbackTitle = `${method} ${path}`;
      const title = clip(oneLine(str(op.summary) ?? '') || operationId || fallbackTitle, 120);
      let id = `${source.id}:${operationId ?? fallbackTitle}`;
      for (let n = 2; ids.has(id); n++) id = `${source.id}:${operationId ?? fallbackTitle} (${n})`;
      ids.add(id);
      const endpoint: Mutable<Endpoint> = {
        id,
        product,
        title,
        method,
        path,
        scopes: scopesOf(op.security !== undefined ? op.security : docSecurity),
        tokenTypes: [],
        paging: 'none',
        params,
        description: firstParagraph(op.description),
      };
      const docs = isObject(op.externalDocs) && isHttps(op.externalDocs.url) ? op.externalDocs.url : docDocs;
      if (docs) endpoint.docs = docs;
      if (op.deprecated === true) endpoint.status = { kind: 'deprecated' };
      if (body) endpoint.body = body;
      if (hasResponses) endpoint.responses = responses;
      endpoint.tag = tags[0] ?? l10n.t('Other');
      endpoint.source = source.id;
      endpoints.push(endpoint);
    }
  }
  if (!endpoints.length) {
    throw new MappingError(skipped ? l10n.t('{0} has no operations the explorer can send (GET, POST, PUT, PATCH or DELETE)', name) : l10n.t('{0} has no operations', name));
  }
  if (skipped) {
    warnings.push(
      skipped === 1
        ? l10n.t('1 operation with HEAD, OPTIONS or TRACE is not offered (the explorer sends GET, POST, PUT, PATCH and DELETE).')
        : l10n.t('{0} operations with HEAD, OPTIONS or TRACE are not offered (the explorer sends GET, POST, PUT, PATCH and DELETE).', skipped),
    );
  }
  // Refs into `paths` (where bundling puts a schema first met under an operation) need it beside each schema.
  if (normaliser.refRoots.has('paths')) for (const w of wrappers) w.paths = doc.paths;
  warnings.push(...normaliser.warnings);
  const out: Mutable<DefinitionEntries> = { id: source.id, location: source.location, product, endpoints };
  if (warnings.length) out.warnings = [...new Set(warnings)];
  return out;
}

/** At most this many `{placeholders}` in a path template, and this long: beyond, a template is refused (no API has such paths). */
const MAX_TEMPLATE_PLACEHOLDERS = 24;
const MAX_TEMPLATE_LENGTH = 1000;

/** Why a path template is not taken, or undefined. */
function templateProblemOf(template: string): string | undefined {
  if (template.length > MAX_TEMPLATE_LENGTH) return l10n.t('it is longer than {0} characters', MAX_TEMPLATE_LENGTH);
  let open = false;
  let count = 0;
  for (const c of template) {
    if (c === '{') {
      if (open) return l10n.t('its braces are not balanced');
      open = true;
      count++;
    } else if (c === '}') {
      if (!open) return l10n.t('its braces are not balanced');
      open = false;
    }
  }
  if (open) return l10n.t('its braces are not balanced');
  if (count > MAX_TEMPLATE_PLACEHOLDERS) return l10n.t('it has more than {0} path parameters', MAX_TEMPLATE_PLACEHOLDERS);
  return undefined;
}

/** Header names a definition's parameter may set: not those that decide where a request goes or how it is framed. */
function isSendableHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return /^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(lower) && !FRAMING_HEADERS.has(lower) && !lower.startsWith('proxy-') && !lower.startsWith('sec-');
}

const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'cookie']);

/** A form field from a Swagger `formData` parameter or an OpenAPI 3 form schema property. */
function formField(name: string, schema: JsonObject, required: boolean, multipart: boolean): FormField {
  const binary = schema.type === 'file' || (schema.type === 'string' && (schema.format === 'binary' || schema.format === 'base64')) || (isObject(schema.items) && (schema.items.type === 'file' || schema.items.format === 'binary'));
  const field: Mutable<FormField> = { name, kind: multipart && binary ? 'file' : 'text', required, description: oneLine(str(schema.description) ?? '') };
  const defaultValue = asString(schema.default);
  if (defaultValue !== undefined) field.default = defaultValue;
  const choices = choicesOf(schema.enum);
  if (choices) field.choices = choices;
  return field;
}

/** The fields of an OpenAPI 3 form body: its schema's properties (followed through `$ref` and `allOf`). */
function formFieldsOf(doc: JsonObject, rawSchema: unknown, multipart: boolean): FormField[] {
  const properties = new Map<string, JsonObject>();
  const required = new Set<string>();
  const visit = (raw: unknown, depth: number): void => {
    const schema = deref(doc, raw);
    if (!schema || depth > 8) return;
    if (isObject(schema.properties)) for (const [key, value] of Object.entries(schema.properties)) properties.set(key, deref(doc, value) ?? {});
    if (Array.isArray(schema.required)) for (const key of schema.required) if (typeof key === 'string') required.add(key);
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) visit(part, depth + 1);
  };
  visit(rawSchema, 0);
  return [...properties].map(([key, value]) => formField(key, value, required.has(key), multipart));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function withSchema(body: Mutable<EndpointBody>, schema: JsonSchema | undefined): EndpointBody {
  if (schema !== undefined) body.schema = schema;
  return body;
}
