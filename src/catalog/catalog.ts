/**
 * The API Catalog (`catalog/`): the built-in entries and this model of them, Concur's published
 * definition files, definitions/ (reading Swagger 2.0 and OpenAPI 3), kept copies, request bodies
 * and schemas; its ui/ holds the catalog tree, API definitions, body tabs and the catalog commands.
 *
 * The Concur endpoints the explorer offers, typed: method, path template, the scopes that grant
 * access (any one of them), which token types Concur accepts, the paging style and the
 * parameters to ask for, with where a value can be prefilled from.
 */

import { l10n } from '../platform/l10n';
import { BUILTIN_CATALOG } from './builtinCatalog';
import { ApiUsageError, orList } from '../platform/errors';
import { scopesOf, tokenTypeOf } from '../auth/jwt';

export * from './endpoint';
import type { DefinitionEntries, Endpoint } from './endpoint';

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

/**
 * Every endpoint: the built-in ones, then each API definition's. A definition's operation wins over a
 * built-in entry for the same method and path: a file the user added (Concur's own, say) corrects the
 * catalog rather than being hidden by it.
 */
export function allEndpoints(): readonly Endpoint[] {
  if (!definitions.length) return CATALOG;
  const defined = definitions.flatMap((d) => d.endpoints);
  const shapes = new Set(defined.map((e) => `${e.method} ${templateShape(e.path)}`));
  return [...CATALOG.filter((e) => !shapes.has(`${e.method} ${templateShape(e.path)}`)), ...defined];
}

export function endpointById(id: string): Endpoint | undefined {
  return CATALOG.find((e) => e.id === id) ?? definitions.find((d) => id.startsWith(`${d.id}:`))?.endpoints.find((e) => e.id === id);
}

/** A path template with its parameter names taken out (`/users/{}/x`), lower case, without a trailing slash: what two templates share when they name the same path. */
function templateShape(template: string): string {
  return template.replace(/\{[^{}]*\}/g, '{}').replace(/\/+$/, '').toLowerCase();
}

/** Whether two path templates name the same paths (parameter names aside). */
export function sameTemplate(a: string, b: string): boolean {
  return templateShape(a) === templateShape(b);
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
  if (path.length > MAX_MATCHED_PATH) return undefined;
  const upper = method.toUpperCase();
  const segments = splitPath(path.toLowerCase());
  return endpoints.find((e) => e.method === upper && templateMatches(compiledTemplate(e.path), segments));
}

/** Paths longer than this are not looked up (no Concur path comes near it). */
const MAX_MATCHED_PATH = 4096;

/**
 * A template, segment by segment: each segment the literal pieces around its placeholders
 * (`{a}.{b}` → ['', '.', '']), so that a path is matched without a regular expression — a template
 * from a definition cannot make the match backtrack.
 */
type CompiledTemplate = readonly (readonly string[])[];
const compiledTemplates = new Map<string, CompiledTemplate>();

function compiledTemplate(template: string): CompiledTemplate {
  let compiled = compiledTemplates.get(template);
  if (!compiled) {
    compiled = splitPath(template.toLowerCase()).map((segment) => segment.split(/\{[^{}]*\}/));
    if (compiledTemplates.size > 10_000) compiledTemplates.clear();
    compiledTemplates.set(template, compiled);
  }
  return compiled;
}

/** A path's segments; a trailing slash is no segment of its own. */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [''] : trimmed.split('/');
}

function templateMatches(template: CompiledTemplate, segments: readonly string[]): boolean {
  if (template.length !== segments.length) return false;
  for (let i = 0; i < template.length; i++) if (!segmentMatches(template[i], segments[i])) return false;
  return true;
}

/**
 * One segment against its template pieces: literal, placeholder (one or more characters), literal, …
 * Each literal is found at its earliest place after the one before (leaving a character for the
 * placeholder between), the last one at the end — which finds a match whenever there is one, in time
 * linear in the pieces and the segment.
 */
function segmentMatches(pieces: readonly string[], segment: string): boolean {
  if (pieces.length === 1) return pieces[0] === segment;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!segment.startsWith(first)) return false;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    // Adjacent placeholders (`{a}{b}`): each needs a character of its own.
    if (piece === '') {
      at += 1;
      continue;
    }
    const found = segment.indexOf(piece, at + 1);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return segment.length - last.length >= at + 1 && segment.endsWith(last);
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

/**
 * Products in catalog order, each with its endpoints. An API definition is a group of its own even
 * when another has the same title and version (Concur's Cash Advance v4.0 and v4.1 files both say
 * "Cash Advance API Documentation 1.0"): such groups are told apart by the API version their paths
 * name, else their file name.
 */
export function catalogByProduct(endpoints: readonly Endpoint[] = allEndpoints()): { product: string; endpoints: Endpoint[] }[] {
  const out: { product: string; source?: string; endpoints: Endpoint[] }[] = [];
  for (const endpoint of endpoints) {
    let group = out.find((g) => g.product === endpoint.product && g.source === endpoint.source);
    if (!group) out.push((group = { product: endpoint.product, source: endpoint.source, endpoints: [] }));
    group.endpoints.push(endpoint);
  }
  const named = new Map<string, number>();
  for (const g of out) named.set(g.product, (named.get(g.product) ?? 0) + 1);
  return out.map(({ product, source, endpoints: list }) => {
    if ((named.get(product) ?? 0) < 2 || !source) return { product, endpoints: list };
    const version = versionOf(list);
    const name = definitions.find((d) => d.id === source)?.location.split(/[/\\]/).pop();
    return { product: version && !product.includes(version) ? `${product} (${version})` : name ? `${product} (${name})` : product, endpoints: list };
  });
}

/** The API version the endpoints' paths name, when they all name the same one (`v4.1`). */
function versionOf(endpoints: readonly Endpoint[]): string | undefined {
  const versions = new Set(endpoints.map((e) => /\/(v\d+(?:\.\d+)*)(?=\/|$)/i.exec(e.path)?.[1]?.toLowerCase()));
  return versions.size === 1 ? [...versions][0] : undefined;
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
