/**
 * The Concur endpoints the explorer offers, typed: method, path template, the scopes that grant
 * access (any one of them), which token types Concur accepts, the paging style and the
 * parameters to ask for, with where a value can be prefilled from.
 */

import { l10n } from '../util/l10n';
import { ApiUsageError } from './api';
import { BUILTIN_CATALOG } from './builtinCatalog';
import { orList } from './errors';
import { scopesOf, tokenTypeOf } from './jwt';

export type PagingStyle = 'none' | 'scim' | 'cursor' | 'v3' | 'listv4';
export type TokenType = 'user' | 'company' | 'app';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The methods that change data: asked about before they are sent. */
export function changesData(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * A JSON Schema (draft-07 or 2020-12 subset, as Swagger and OpenAPI documents write them). Internal
 * `$ref`s point into the same object: a definition's operation schemas carry the document's
 * `definitions`/`components` beside them, so each schema stands alone.
 */
export type JsonSchema = { readonly [key: string]: unknown } | boolean;

export interface EndpointBody {
  readonly contentType: string;
  readonly required: boolean;
  readonly schema?: JsonSchema;
}

export interface EndpointParam {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly description: string;
  readonly required?: boolean;
  /** Prefilled value. */
  readonly default?: string;
  /** A fixed set of values, offered as a pick list. */
  readonly choices?: readonly string[];
  /** Prefill from the session: the token's subject (the user's UUID). */
  readonly fromSession?: 'sub';
  /** A paging parameter (prefilled with a sensible default, filled in by "Load Next Page"). */
  readonly paging?: boolean;
}

/**
 * Whether Concur still offers an endpoint, from Concur's list of deprecated APIs (or an API
 * definition's `deprecated` flag): `since` is the date (YYYY-MM-DD) when known and `successor` the
 * catalog id of what to use instead.
 */
export type EndpointStatus =
  | { readonly kind: 'current' }
  | { readonly kind: 'deprecated'; readonly since?: string; readonly successor?: string }
  | { readonly kind: 'decommissioned'; readonly since?: string; readonly successor?: string };

export interface Endpoint {
  readonly id: string;
  readonly product: string;
  readonly title: string;
  readonly method: HttpMethod;
  /** Path template with `{name}` for path parameters. */
  readonly path: string;
  readonly scopes: readonly string[];
  readonly tokenTypes: readonly TokenType[];
  readonly paging: PagingStyle;
  readonly params: readonly EndpointParam[];
  readonly description: string;
  readonly docs?: string;
  /** Current when absent. */
  readonly status?: EndpointStatus;
  /** The request body, for methods that take one. */
  readonly body?: EndpointBody;
  /** Schemas of the answers by status code as the document writes it (`200`, `2XX`, `default`). */
  readonly responses?: Readonly<Record<string, JsonSchema>>;
  /** The group inside the product (an API definition's tag). */
  readonly tag?: string;
  /** The API definition the entry comes from (its id in the catalog); built-in when absent. */
  readonly source?: string;
}

/** An API definition's entries, as the catalog holds them next to the built-in ones. */
export interface DefinitionEntries {
  /** Stable id of the source (from the setting's text). */
  readonly id: string;
  /** The setting's text: a file path or an https URL. */
  readonly location: string;
  /** The document's title and version: the product group's name. */
  readonly product: string;
  readonly endpoints: readonly Endpoint[];
}

export const CATALOG: readonly Endpoint[] = BUILTIN_CATALOG;

let definitions: readonly DefinitionEntries[] = [];
const listeners = new Set<() => void>();

/** Puts the loaded API definitions into the catalog (replacing those before), in the setting's order. */
export function setDefinitionEntries(entries: readonly DefinitionEntries[]): void {
  definitions = entries;
  for (const listener of listeners) listener();
}

export function definitionEntries(): readonly DefinitionEntries[] {
  return definitions;
}

/** Called when the definitions in the catalog change; returns the unsubscribe. */
export function onCatalogChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every endpoint: the built-in ones, then each API definition's. */
export function allEndpoints(): readonly Endpoint[] {
  return definitions.length ? [...CATALOG, ...definitions.flatMap((d) => d.endpoints)] : CATALOG;
}

export function endpointById(id: string): Endpoint | undefined {
  return CATALOG.find((e) => e.id === id) ?? definitions.find((d) => id.startsWith(`${d.id}:`))?.endpoints.find((e) => e.id === id);
}

/**
 * The catalog entry a request is for: the first with the same method whose path template matches the
 * URL's path (a path parameter and a request-file variable `{{…}}` each stand for one segment; the
 * query is ignored).
 */
export function endpointForPath(method: string, url: string, endpoints: readonly Endpoint[] = allEndpoints()): Endpoint | undefined {
  // `[^{}]*` (as variables are read) rather than `[^}]*`: linear on any text, even long runs of braces.
  let path = url.replace(/\{\{[^{}]*\}\}/g, 'x');
  try {
    path = new URL(path).pathname;
  } catch {
    path = path.split(/[?#]/)[0] ?? path;
  }
  const upper = method.toUpperCase();
  return endpoints.find((e) => e.method === upper && templateRegex(e.path).test(path));
}

/** A path template as a regular expression, made once per template. */
const templates = new Map<string, RegExp>();
function templateRegex(template: string): RegExp {
  let regex = templates.get(template);
  if (!regex) {
    regex = new RegExp(`^${template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}/?$`, 'i');
    templates.set(template, regex);
  }
  return regex;
}

/** "Deprecated since 2025-05-15; use Identity v4.1: User by id (GET …) instead.", or undefined for a current endpoint. */
export function statusNote(endpoint: Endpoint): string | undefined {
  const status = endpoint.status;
  if (!status || status.kind === 'current') return undefined;
  const successor = status.successor ? endpointById(status.successor) : undefined;
  const note = stateNote(status.kind, !endpoint.source, status.since);
  return successor ? `${note} ${l10n.t('Use {0}: {1} ({2} {3}) instead.', successor.product, successor.title, successor.method, successor.path)}` : note;
}

/** "Deprecated by Concur since 2025-05-15.": one sentence for each case, as translators need them. */
function stateNote(kind: 'deprecated' | 'decommissioned', byConcur: boolean, since: string | undefined): string {
  if (kind === 'deprecated') {
    if (byConcur) return since ? l10n.t('Deprecated by Concur since {0}.', since) : l10n.t('Deprecated by Concur.');
    return since ? l10n.t('Deprecated since {0}.', since) : l10n.t('Deprecated.');
  }
  if (byConcur) return since ? l10n.t('Decommissioned by Concur since {0}.', since) : l10n.t('Decommissioned by Concur.');
  return since ? l10n.t('Decommissioned since {0}.', since) : l10n.t('Decommissioned.');
}

/**
 * Whether an endpoint matches what was typed into the catalog filter: every word must appear in
 * its method, path, title, product, paging style, scopes or status (case-insensitive).
 */
export function matchesFilter(endpoint: Endpoint, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [endpoint.method, endpoint.path, endpoint.title, endpoint.product, endpoint.tag ?? '', endpoint.paging, ...endpoint.scopes, endpoint.status?.kind ?? 'current'].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}

/** Products in catalog order, each with its endpoints. */
export function catalogByProduct(endpoints: readonly Endpoint[] = allEndpoints()): { product: string; endpoints: Endpoint[] }[] {
  const out: { product: string; endpoints: Endpoint[] }[] = [];
  for (const endpoint of endpoints) {
    let group = out.find((g) => g.product === endpoint.product);
    if (!group) out.push((group = { product: endpoint.product, endpoints: [] }));
    group.endpoints.push(endpoint);
  }
  return out;
}

/** What a session's token allows, as `accessProblem` reads it: the token's scopes (else those granted at sign-in) and its type. */
export function tokenAccess(session: { readonly accessToken: string; readonly idToken?: string; readonly scopes: readonly string[] }): { scopes: readonly string[]; type?: string } {
  return { scopes: scopesOf(session.accessToken) ?? [...session.scopes], type: tokenTypeOf(session.accessToken, session.idToken) };
}

/** Why the token cannot call the endpoint, or undefined when it can (as far as the token says). */
export function accessProblem(endpoint: Endpoint, token: { scopes?: readonly string[]; type?: string }): string | undefined {
  // An API definition may not say which tokens or scopes an operation takes: then nothing is assumed.
  if (token.type && endpoint.tokenTypes.length > 0 && (endpoint.tokenTypes as readonly string[]).indexOf(token.type) < 0) {
    return l10n.t('Needs a {0} token; the active token is a {1} token.', orList(endpoint.tokenTypes), token.type);
  }
  if (token.scopes && endpoint.scopes.length > 0 && !endpoint.scopes.some((s) => token.scopes?.includes(s))) {
    return l10n.t('Needs the scope {0}, which the active token does not have.', orList(endpoint.scopes));
  }
  return undefined;
}

/** The path with its parameters filled in (path values URL-encoded) and the query string. */
export function buildRequestPath(endpoint: Endpoint, values: Readonly<Record<string, string | undefined>>): string {
  let path = endpoint.path;
  const query = new URLSearchParams();
  for (const param of endpoint.params) {
    const value = values[param.name];
    if (param.in === 'path') {
      if (!value) throw new ApiUsageError(l10n.t('{0} needs {1}: {2}.', endpoint.title, param.name, param.description));
      path = path.replace(`{${param.name}}`, encodeURIComponent(value));
    } else if (param.in === 'query' && value !== undefined && value !== '') {
      query.set(param.name, value);
    }
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The header parameters' values (those given), to send with the request. */
export function requestHeaders(endpoint: Endpoint, values: Readonly<Record<string, string | undefined>>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const param of endpoint.params) {
    const value = values[param.name];
    if (param.in === 'header' && value !== undefined && value !== '') out[param.name.toLowerCase()] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The prefilled value of each parameter for a session whose token subject is `sub`. */
export function prefill(endpoint: Endpoint, session: { sub?: string }, remembered: Readonly<Record<string, string>> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of endpoint.params) {
    const value = param.fromSession === 'sub' ? session.sub : (remembered[param.name] ?? param.default);
    if (value !== undefined) values[param.name] = value;
  }
  return values;
}
