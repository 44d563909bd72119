/**
 * A bundled Swagger 2.0 or OpenAPI 3.x document (internal `$ref`s only) → the catalog's entries.
 *
 * - Servers (`servers`, `host`, `schemes`) are ignored: requests always go to the signed-in
 *   session's own host. The path is kept as `paths` writes it, except that a Swagger 2.0 `basePath`
 *   other than '/' is put in front of it: Concur's Swagger files keep the API's prefix there
 *   (`basePath: /expensereports/v4`, `paths: /users/{userId}/…`), and without it the path would not
 *   reach the API. An OpenAPI 3 server URL's path is not added (servers are ignored entirely).
 * - Each stored schema stands alone: `{ $schema, allOf: [fragment], definitions?, components?,
 *   paths? }`, the fragment and the document's sections shared by reference between endpoints, so
 *   that the document's internal `$ref`s resolve inside each schema and it stays JSON.
 */
import type { DefinitionEntries, Endpoint, EndpointBody, EndpointParam, HttpMethod, JsonSchema } from '../concur/catalog';
import { l10n } from '../util/l10n';
import { SchemaNormaliser } from './normalise';
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
  const product = version ? `${title} ${version}` : title;
  const dialect = kind === 'openapi31' ? DRAFT_2020_12 : DRAFT_07;
  const normaliser = new SchemaNormaliser(doc, kind !== 'openapi31');
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

  const swagger = kind === 'swagger2';
  const basePrefix = swagger ? basePathPrefix(doc.basePath) : '';
  const schemes = swagger ? (isObject(doc.securityDefinitions) ? doc.securityDefinitions : {}) : isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
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
  for (const [rawPath, rawItem] of Object.entries(paths)) {
    if (rawPath.startsWith('x-')) continue;
    const item = deref(doc, rawItem);
    if (!item) continue;
    const path = basePrefix + rawPath;
    for (const [key, rawOperation] of Object.entries(item)) {
      const method = key.toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) {
        if (['HEAD', 'OPTIONS', 'TRACE'].includes(method)) skipped++;
        continue;
      }
      const op = deref(doc, rawOperation);
      if (!op) continue;
      const operationId = str(op.operationId)?.trim() || undefined;

      // Parameters: the path item's, then the operation's (which win on the same name and place).
      const merged = new Map<string, JsonObject>();
      for (const list of [item.parameters, op.parameters]) {
        if (!Array.isArray(list)) continue;
        for (const raw of list) {
          const p = deref(doc, raw);
          if (p && typeof p.name === 'string' && typeof p.in === 'string') merged.set(`${p.in}\n${p.name}`, p);
        }
      }
      const params: EndpointParam[] = [];
      let body: EndpointBody | undefined;
      const formData: JsonObject[] = [];
      for (const p of merged.values()) {
        if (p.in === 'body') {
          const consumes = listOf(op.consumes ?? doc.consumes);
          body = withSchema({ contentType: pickJson(consumes) ?? consumes[0] ?? 'application/json', required: p.required === true }, wrap(p.schema));
          continue;
        }
        if (p.in === 'formData') {
          formData.push(p);
          continue;
        }
        if (p.in !== 'path' && p.in !== 'query' && p.in !== 'header') continue;
        if (p.in === 'header' && OWN_HEADERS.has((p.name as string).toLowerCase())) continue;
        const schema = swagger ? p : (deref(doc, p.schema) ?? {});
        const param: Mutable<EndpointParam> = { name: p.name as string, in: p.in, description: oneLine(str(p.description) ?? '') };
        if (p.in === 'path' || p.required === true) param.required = true;
        const defaultValue = asString(schema.default);
        if (defaultValue !== undefined) param.default = defaultValue;
        const choices = choicesOf(schema.enum);
        if (choices) param.choices = choices;
        params.push(param);
      }
      if (formData.length && !body) {
        const consumes = listOf(op.consumes ?? doc.consumes);
        const multipart = formData.some((p) => p.type === 'file') || (consumes.some((t) => /^multipart\/form-data/i.test(t)) && !consumes.some((t) => /^application\/x-www-form-urlencoded/i.test(t)));
        body = { contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded', required: formData.some((p) => p.required === true) };
      }
      if (!swagger && op.requestBody !== undefined) {
        const requestBody = deref(doc, op.requestBody);
        const content = requestBody && isObject(requestBody.content) ? requestBody.content : {};
        const types = Object.keys(content);
        const json = pickJson(types);
        const chosen = json ?? types[0];
        if (requestBody && chosen) {
          const media = deref(doc, content[chosen]);
          body = withSchema({ contentType: chosen, required: requestBody.required === true }, json && media ? wrap(media.schema) : undefined);
        }
      }

      // Responses: the JSON schema of each status code that has one.
      const responses: Record<string, JsonSchema> = {};
      let hasResponses = false;
      const produces = listOf(op.produces ?? doc.produces);
      const producesJson = !produces.length || pickJson(produces) !== undefined;
      if (isObject(op.responses)) {
        for (const [status, raw] of Object.entries(op.responses)) {
          if (status.startsWith('x-')) continue;
          const response = deref(doc, raw);
          if (!response) continue;
          let fragment: unknown;
          if (swagger) {
            if (producesJson) fragment = response.schema;
          } else if (isObject(response.content)) {
            const json = pickJson(Object.keys(response.content));
            if (json) fragment = deref(doc, response.content[json])?.schema;
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
  // Refs into `paths` (where bundling puts a schema first met under an operation) need it beside each schema.
  if (normaliser.refRoots.has('paths')) for (const w of wrappers) w.paths = doc.paths;
  return { id: source.id, location: source.location, product, endpoints };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function withSchema(body: Mutable<EndpointBody>, schema: JsonSchema | undefined): EndpointBody {
  if (schema !== undefined) body.schema = schema;
  return body;
}

function basePathPrefix(basePath: unknown): string {
  if (typeof basePath !== 'string') return '';
  const trimmed = basePath.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
