/**
 * Concur in chat (`chat/`): this text for the language model; its ui/ registers the tools.
 *
 * What the Concur chat tools tell a language model, built from the extension's own state: the
 * sessions, the API Catalog, an answer, an error. Every text is made to fit a budget of characters
 * (the `concur.chat.resultBudget` setting) and says when it was cut. Knows nothing of VS Code, so
 * it is unit-tested in plain Node; chatTools.ts hands it the sessions, answers and the redactor.
 *
 * Nothing here ever reads a token's value into a text: sessions are described by their label,
 * account id, host, scopes and times only. The caller still passes every text through the redactor.
 */
import type { GrantKind } from '../auth/tokenClient';
import { accessProblem, endpointForPath, statusNote, type Endpoint, type PagingStyle } from '../catalog/catalog';
import { describeOrigin } from '../auth/datacenters';
import { knownTokenError, oneLine, statusText, tokenErrorMessage } from '../platform/errors';
import { explainResponse, type ExplainContext } from '../calls/explain';
import { pageItems, totalItems } from '../responses/paging';
import { hostOf } from '../platform/resolver';
import type { Session } from '../sessions/types';
import { l10n } from '../platform/l10n';

/** The `concur.chat.resultBudget` setting's range and default, in characters. */
export const RESULT_BUDGET = { min: 1000, max: 100_000, fallback: 8000 } as const;

/** Turns text into what may leave the extension (the extension's redactor). */
export type Redact = (text: string) => string;

// ── signed out ───────────────────────────────────────────────────────────────────────────────

/** What every tool says when it needs a session and none is signed in. */
export function signInText(): string {
  return l10n.t(
    'No Concur session is signed in. Ask the user to run "Concur: Sign In" from the Command Palette (or "Concur: Sign In with Browser" for single sign-on), then try again.',
  );
}

// ── budget ───────────────────────────────────────────────────────────────────────────────────

/**
 * Text cut to `budget` characters, with a note that says so (the note is inside the budget). The
 * text must already be redacted: cutting first could leave part of a secret that the redactor no
 * longer recognises.
 */
export function fitText(text: string, budget: number, note: (shown: number, total: number) => string = cutNote): string {
  if (text.length <= budget) return text;
  let shown = Math.max(0, budget - note(text.length, text.length).length - 2);
  // Never end inside a surrogate pair.
  if (shown > 0 && /[\uD800-\uDBFF]/.test(text.charAt(shown - 1))) shown--;
  return `${text.slice(0, shown)}\n\n${note(shown, text.length)}`;
}

function cutNote(shown: number, total: number): string {
  return l10n.t('[Cut to fit the chat result budget (setting concur.chat.resultBudget): {0} of {1} characters shown.]', shown, total);
}

// ── sessions ─────────────────────────────────────────────────────────────────────────────────

/** The token type a session's token stands for: from its claims, else from how it was obtained. */
export function tokenTypeOfSession(session: Session, claimedType: string | undefined): string {
  if (claimedType) return claimedType;
  const byGrant: Record<GrantKind, string> = {
    password: 'user',
    otp: 'user',
    authorizationCode: 'user',
    companyRequestToken: 'company',
    clientCredentials: 'app',
  };
  return byGrant[session.grant] ?? 'user';
}

export interface SessionAccess {
  readonly scopes: readonly string[];
  readonly type?: string;
}

function minutesLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 60_000));
}

function iso(epochMs: number | undefined): string | undefined {
  return epochMs !== undefined && Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : undefined;
}

/** One session as the model reads it: who, where, which token type and scopes, until when. Never a token. */
export function sessionFacts(session: Session, access: SessionAccess, now: number): Record<string, unknown> {
  return {
    account: session.label,
    accountId: session.accountId,
    username: session.username,
    companyId: session.companyId,
    state: session.state,
    grant: session.grant,
    tokenType: tokenTypeOfSession(session, access.type),
    datacenter: describeOrigin(session.geolocation),
    geolocation: session.geolocation,
    signInHost: hostOf(session.baseUrl),
    scopes: [...access.scopes],
    accessTokenExpiresAt: session.state === 'active' ? iso(session.expiresAt) : undefined,
    minutesLeft: session.state === 'active' ? minutesLeft(session.expiresAt, now) : undefined,
    refreshTokenExpiresAt: iso(session.refreshExpiresAt),
    lastRefreshAt: iso(session.lastRefreshAt),
    signedInAt: iso(session.signedInAt),
    signedOutReason: session.signedOutReason,
  };
}

/** The `concur_session` tool's answer. */
export function describeSessions(
  active: Session | undefined,
  all: readonly Session[],
  accessOf: (session: Session) => SessionAccess,
  now: number,
): string {
  const usable = active?.state === 'active' ? active : undefined;
  const others = all.filter((s) => s.id !== usable?.id).map((s) => sessionFacts(s, accessOf(s), now));
  if (!active || !usable) {
    const lines = [signInText()];
    if (others.length > 0) lines.push(l10n.t('Other Concur sessions in this window (none is usable until it is signed in again):'), JSON.stringify({ otherSessions: others }, null, 2));
    return lines.join('\n');
  }
  const access = accessOf(active);
  const type = tokenTypeOfSession(active, access.type);
  const left = minutesLeft(active.expiresAt, now);
  const summary =
    active.expiresAt > now
      ? l10n.t(
          'Signed in to Concur as {0} ({1} token) at {2}; the access token expires at {3} (in {4} minutes) and is refreshed automatically.',
          active.label,
          type,
          describeOrigin(active.geolocation),
          iso(active.expiresAt) ?? '',
          left,
        )
      : l10n.t('Signed in to Concur as {0} ({1} token) at {2}; the access token expired at {3} and is refreshed on the next call.', active.label, type, describeOrigin(active.geolocation), iso(active.expiresAt) ?? '');
  return [summary, JSON.stringify({ active: sessionFacts(active, access, now), otherSessions: others }, null, 2)].join('\n');
}

// ── catalog search ───────────────────────────────────────────────────────────────────────────

export interface FindInput {
  readonly query?: string;
  readonly scope?: string;
  readonly product?: string;
}

export const FIND_LIMIT = { fallback: 20, max: 100 } as const;

/** Words that say nothing about which endpoint is meant. */
const STOP_WORDS = new Set([
  'a', 'an', 'the', 'for', 'of', 'to', 'in', 'on', 'and', 'or', 'my', 'me', 'i', 'with', 'by', 'from', 'what', 'which', 'how', 'do', 'does', 'is', 'are',
  'can', 'that', 'this', 'all', 'any', 'api', 'apis', 'endpoint', 'endpoints', 'concur', 'sap', 'call', 'calls', 'list', 'find', 'show',
  // Words of questions about access: which scopes a token has is what every entry says anyway.
  'scope', 'scopes', 'token', 'tokens', 'lack', 'lacks', 'missing', 'need', 'needs', 'have', 'has', 'want', 'use', 'using',
]);

/**
 * How much of a model-supplied text is looked at: no question needs more, and the regular expressions
 * below then never see a long run of anything.
 */
export const INPUT_CHARS = 500;

/** The words of a query, lower case, plural `s` dropped so that "receipts" finds "receipt" too. */
export function queryWords(query: string): string[] {
  const words = query
    .slice(0, INPUT_CHARS)
    .toLowerCase()
    .split(/[^a-z0-9_.{}/-]+/)
    .map((w) => w.replace(/^[/.-]+|[.-]+$/g, ''))
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  return [...new Set(words)];
}

/** How well an endpoint matches the words: weighted by where each word is found; 0 where one is not found. */
function scoreOf(endpoint: Endpoint, words: readonly string[]): { score: number; matched: number } {
  const fields: [string, number][] = [
    [endpoint.path.toLowerCase(), 3],
    [endpoint.title.toLowerCase(), 3],
    [endpoint.id.toLowerCase(), 2],
    [`${endpoint.product} ${endpoint.tag ?? ''}`.toLowerCase(), 2],
    [endpoint.scopes.join(' ').toLowerCase(), 2],
    [endpoint.description.toLowerCase(), 1],
    [endpoint.paging, 1],
  ];
  let score = 0;
  let matched = 0;
  for (const word of words) {
    let best = word === endpoint.method.toLowerCase() ? 2 : 0;
    for (const [text, weight] of fields) if (weight > best && text.includes(word)) best = weight;
    if (best > 0) matched++;
    score += best;
  }
  return { score, matched };
}

export interface EndpointSearch {
  readonly found: readonly Endpoint[];
  /** How many entries matched in all (before the limit). */
  readonly total: number;
  /** False when no entry matched every word and the closest ones are given instead. */
  readonly everyWord: boolean;
}

/** Catalog entries by words (method, path, summary, product, tag, scopes, description), scope and product. */
export function searchEndpoints(endpoints: readonly Endpoint[], input: FindInput, limit: number): EndpointSearch {
  const scope = input.scope?.slice(0, INPUT_CHARS).trim().toLowerCase();
  const product = input.product?.slice(0, INPUT_CHARS).trim().toLowerCase();
  const candidates = endpoints.filter(
    (e) => (!scope || e.scopes.some((s) => s.toLowerCase().includes(scope))) && (!product || `${e.product} ${e.tag ?? ''} ${e.source ?? ''}`.toLowerCase().includes(product)),
  );
  const words = queryWords(input.query ?? '');
  if (words.length === 0) return { found: candidates.slice(0, limit), total: candidates.length, everyWord: true };
  const scored = candidates.map((endpoint, index) => ({ endpoint, index, ...scoreOf(endpoint, words) })).filter((s) => s.matched > 0);
  const all = scored.filter((s) => s.matched === words.length);
  const everyWord = all.length > 0;
  const most = everyWord ? words.length : scored.reduce((max, s) => Math.max(max, s.matched), 0);
  const best = everyWord ? all : scored.filter((s) => s.matched === most);
  best.sort((a, b) => b.score - a.score || a.index - b.index);
  return { found: best.slice(0, limit).map((s) => s.endpoint), total: best.length, everyWord };
}

/** One entry as the model reads it, and what the active token lacks for it. */
export function endpointFacts(endpoint: Endpoint, access: SessionAccess | undefined, describeSuccessor: (id: string) => string | undefined): Record<string, unknown> {
  const status = endpoint.status && endpoint.status.kind !== 'current' ? endpoint.status : undefined;
  const problem = access ? accessProblem(endpoint, access) : undefined;
  const lacksScope = !!access && endpoint.scopes.length > 0 && !endpoint.scopes.some((s) => access.scopes.includes(s));
  return {
    id: endpoint.id,
    method: endpoint.method,
    path: endpoint.path,
    summary: endpoint.title,
    description: endpoint.description ? oneLine(endpoint.description, 240) : undefined,
    product: endpoint.product,
    tag: endpoint.tag,
    parameters: endpoint.params.map((p) => ({ name: p.name, in: p.in, required: p.required ?? p.in === 'path' })),
    requestBody: endpoint.body ? { contentType: endpoint.body.contentType, required: endpoint.body.required } : undefined,
    scopes: endpoint.scopes,
    tokenTypes: endpoint.tokenTypes,
    paging: endpoint.paging,
    deprecation: status ? { state: status.kind, since: status.since, successor: status.successor ? (describeSuccessor(status.successor) ?? status.successor) : undefined, note: statusNote(endpoint) } : undefined,
    docs: endpoint.docs,
    apiDefinition: endpoint.source,
    activeToken: access ? { canCall: problem === undefined, problem, needsOneOfScopes: lacksScope ? endpoint.scopes : undefined } : undefined,
  };
}

/**
 * The `concur_findEndpoints` tool's answer, cut to the budget by leaving out the last entries (then,
 * if one entry alone is too long, by cutting the text).
 */
export function describeEndpointSearch(
  search: EndpointSearch,
  input: FindInput,
  context: {
    readonly access?: SessionAccess & { readonly account: string };
    readonly products: readonly string[];
    readonly describeSuccessor: (id: string) => string | undefined;
    readonly budget: number;
    readonly redact: Redact;
  },
): string {
  const { access } = context;
  const head: string[] = [];
  const asked = [input.query?.trim(), input.scope ? `scope ${input.scope.trim()}` : '', input.product ? `product ${input.product.trim()}` : ''].filter(Boolean).join(', ');
  if (search.total === 0) {
    head.push(l10n.t('No API Catalog entry matches {0}.', asked ? `"${asked}"` : '—'));
    head.push(l10n.t('Products in the catalog: {0}.', context.products.join('; ')));
  } else if (!search.everyWord) {
    head.push(l10n.t('No API Catalog entry matches every word of "{0}"; listed are the {1} that match the most words.', asked, search.total));
  } else {
    head.push(l10n.t('{0} API Catalog entries match {1}.', search.total, asked ? `"${asked}"` : l10n.t('(everything)')));
  }
  if (access) {
    head.push(l10n.t('The active session ({0}) has a {1} token with the scopes: {2}.', access.account, access.type ?? 'unknown', access.scopes.length ? access.scopes.join(', ') : l10n.t('none')));
    const lacking = new Set<string>();
    let cannot = 0;
    for (const e of search.found) {
      if (accessProblem(e, access)) cannot++;
      if (e.scopes.length > 0 && !e.scopes.some((s) => access.scopes.includes(s))) for (const s of e.scopes) lacking.add(s);
    }
    if (cannot > 0) head.push(l10n.t('The active token cannot call {0} of the entries shown (see activeToken.problem).', cannot));
    if (lacking.size > 0) head.push(l10n.t('Scopes those entries need that the token lacks (any one per entry): {0}.', [...lacking].join(', ')));
  } else {
    head.push(signInText(), l10n.t('Whether a token has the scopes an entry needs is therefore not known.'));
  }
  const facts = search.found.map((e) => endpointFacts(e, access, context.describeSuccessor));
  const render = (count: number): string => {
    const lines = [...head];
    if (count < facts.length) {
      lines.push(l10n.t('Only the first {0} of {1} entries are listed, to fit the chat result budget (setting concur.chat.resultBudget); narrow the search for more.', count, search.total));
    } else if (facts.length < search.total) {
      lines.push(l10n.t('Only the first {0} of {1} entries are listed (the limit); narrow the search or raise the limit for more.', facts.length, search.total));
    }
    lines.push(JSON.stringify(facts.slice(0, count)));
    return context.redact(lines.join('\n'));
  };
  return fitText(fitCount(facts.length, render, context.budget), context.budget);
}

/**
 * The rendering with the most items (from `max` down to 0) that fits the budget, found by halving;
 * the rendering with none when nothing fits.
 */
function fitCount(max: number, render: (count: number) => string, budget: number): string {
  const full = render(max);
  if (full.length <= budget) return full;
  let low = 0;
  let high = max - 1;
  let best = render(0);
  while (low <= high) {
    const mid = (low + high) >> 1;
    const text = render(mid);
    if (text.length <= budget) {
      best = text;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

// ── calling the API ──────────────────────────────────────────────────────────────────────────

export interface CallInput {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
}

/** The tool's input as a request: method upper case (GET by default), the query joined to the path, the body as text. */
export function callInputOf(raw: unknown): CallInput | { readonly problem: string } {
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const method = typeof input.method === 'string' && input.method.trim() ? input.method.trim().toUpperCase() : 'GET';
  if (typeof input.path !== 'string' || !input.path.trim()) return { problem: l10n.t('Give the path to call, such as /profile/identity/v4.1/Users/{id}.') };
  let path = input.path.trim();
  if (input.query !== undefined && input.query !== null) {
    if (typeof input.query !== 'object' || Array.isArray(input.query)) return { problem: l10n.t('"query" must be an object of query parameter names and values.') };
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(input.query as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v === undefined || v === null) continue;
        params.append(name, typeof v === 'object' ? JSON.stringify(v) : String(v));
      }
    }
    const qs = params.toString();
    if (qs) path += (path.includes('?') ? '&' : '?') + qs;
  }
  let body: string | undefined;
  let contentType: string | undefined;
  if (typeof input.body === 'string') {
    body = input.body;
    const start = body.trimStart().charAt(0);
    contentType = start === '{' || start === '[' ? 'application/json' : start === '<' ? 'application/xml' : 'text/plain';
  } else if (input.body !== undefined && input.body !== null) {
    body = JSON.stringify(input.body);
    contentType = 'application/json';
  }
  return { method, path, body, contentType };
}

/** Longer paths are not looked up in the catalog (no Concur path comes near it). */
const LOOKUP_PATH_CHARS = 2048;

/** The catalog entry a call is for: same method, and a path its template matches (see endpointForPath). */
export function endpointForCall(endpoints: readonly Endpoint[], method: string, target: string): Endpoint | undefined {
  // Only the path counts: the query (which may be long) is left out before any regular expression runs.
  const query = target.search(/[?#]/);
  const path = query < 0 ? target : target.slice(0, query);
  return path.length > LOOKUP_PATH_CHARS ? undefined : endpointForPath(method, path, endpoints);
}

/** An answer as the tool describes it (what chatTools.ts takes from the response record). */
export interface CallOutcome {
  readonly method: string;
  /** Where it went: host and path. */
  readonly host: string;
  readonly pathAndQuery: string;
  readonly status: number;
  readonly contentType: string;
  readonly bytes: number;
  readonly durationMs: number;
  readonly correlationId: string;
  /** The parsed body, when it is JSON. */
  readonly json?: unknown;
  /** Otherwise the body as text: all of it, or (a large answer) its beginning. */
  readonly text: string;
  /** The length of the whole body text when `text` is only its beginning (a file's bytes, for one kept in a file). */
  readonly textLength?: number;
  readonly paging: PagingStyle;
  /** The next page's path and query, when there is one. */
  readonly next?: string;
  readonly nextRefused?: string;
  /** Why the answer is not what it seems (cut at the size limit, not valid JSON). */
  readonly note?: string;
  /** What an error answer means (the extension's explanation). */
  readonly explanation?: string;
}

const ITEMS_KEY: Partial<Record<PagingStyle, string>> = { scim: 'Resources', cursor: 'Resources', v3: 'Items', listv4: 'content' };

/**
 * Beyond the budget, text is cut before it is redacted (redacting megabytes for a few thousand
 * characters is waste) — but with this much to spare, so that no secret can straddle the first cut
 * and still reach the part that is shown.
 */
export const REDACTION_MARGIN = 64 * 1024;

/** The parameter a next page is asked for with, and its value. */
function nextParameter(style: PagingStyle, next: string): string | undefined {
  const name = style === 'scim' ? 'startIndex' : style === 'cursor' ? 'cursor' : style === 'listv4' ? 'page' : undefined;
  if (!name) return undefined;
  const value = new URL(next, 'https://path.invalid').searchParams.get(name);
  return value === null ? undefined : `${name}=${value}`;
}

/**
 * The `concur_callApi` tool's answer: status, content type, size, correlation id, the paging facts
 * and how to ask for the next page, what an error means, then the body — compact JSON where it is
 * JSON — cut to the budget. A page keeps as many whole items as fit; other bodies are cut.
 */
export function describeCallOutcome(outcome: CallOutcome, budget: number, redact: Redact): string {
  const head: string[] = [];
  const status = `${outcome.status}${statusText(outcome.status) ? ` ${statusText(outcome.status)}` : ''}`;
  head.push(
    l10n.t(
      '{0} {1} on {2} answered HTTP {3} ({4}, {5} bytes, {6} ms, correlation id {7}). The full response is open in an editor tab.',
      outcome.method,
      outcome.pathAndQuery,
      outcome.host,
      status,
      outcome.contentType || l10n.t('no content type'),
      outcome.bytes,
      Math.round(outcome.durationMs),
      outcome.correlationId,
    ),
  );
  if (outcome.note) head.push(outcome.note);
  if (outcome.explanation) head.push(outcome.explanation);
  const itemsKey = ITEMS_KEY[outcome.paging];
  const items = outcome.paging !== 'none' && itemsKey ? pageItems(outcome.paging, outcome.json) : [];
  const isPage = items.length > 0 && typeof outcome.json === 'object' && outcome.json !== null && !Array.isArray(outcome.json);
  if (outcome.paging !== 'none' && itemsKey && outcome.json !== undefined) {
    const total = totalItems(outcome.paging, outcome.json);
    head.push(
      total !== undefined
        ? l10n.t('This is one page ({0} paging): {1} items on it, {2} in all.', outcome.paging, items.length, total)
        : l10n.t('This is one page ({0} paging): {1} items on it.', outcome.paging, items.length),
    );
    if (outcome.next) {
      const parameter = nextParameter(outcome.paging, outcome.next);
      head.push(parameter ? l10n.t('Next page: call again with the path {0} ({1}).', outcome.next, parameter) : l10n.t('Next page: call again with the path {0}.', outcome.next));
    } else if (outcome.nextRefused) {
      head.push(l10n.t('The answer names a next page, but it is not offered: {0}', outcome.nextRefused));
    } else {
      head.push(l10n.t('This is the last page.'));
    }
  }
  const headText = redact(head.join('\n'));
  const bodyLabel = l10n.t('Body:');
  const withBody = (body: string): string => `${headText}\n${bodyLabel}\n${body}`;

  // Small enough to give whole? (Bytes are at most the characters of the compact form; a large answer is not serialised whole.)
  if (outcome.bytes <= budget * 4 || !isPage) {
    const compact = outcome.json !== undefined ? JSON.stringify(outcome.json) : outcome.text;
    const length = outcome.json !== undefined ? compact.length : Math.max(compact.length, outcome.textLength ?? 0);
    const complete = length <= budget + REDACTION_MARGIN;
    // Redacted once: the shorter cut below is a prefix of this one.
    const redacted = redact(complete ? compact : compact.slice(0, budget + REDACTION_MARGIN));
    const whole = withBody(redacted);
    if (whole.length <= budget && complete) return whole;
    if (!isPage) {
      const note = (shown: number): string =>
        l10n.t('[The body was cut to fit the chat result budget (setting concur.chat.resultBudget): the first {0} of {1} characters are shown. The full response is in the editor tab.]', shown, length);
      const bodyBudget = budget - headText.length - bodyLabel.length - 2;
      if (bodyBudget < 200) return fitText(whole, budget);
      return withBody(fitText(redacted, bodyBudget, note));
    }
  }

  // A page: its other fields and as many whole items as fit.
  const page = outcome.json as Record<string, unknown>;
  const render = (count: number): string => {
    const shown = { ...page, [itemsKey as string]: items.slice(0, count) };
    const note = l10n.t('[Only the first {0} of the {1} items on this page are shown, to fit the chat result budget (setting concur.chat.resultBudget). The full page is in the editor tab.]', count, items.length);
    return `${withBody(redact(JSON.stringify(shown)))}\n${note}`;
  };
  // Items are measured one by one up to the budget, so that a page of thousands is never serialised whole.
  // That count is the most taken to fit; redaction can change the lengths, so the most that does fit is found by halving.
  let count = 0;
  let length = render(0).length;
  while (count < items.length) {
    length += JSON.stringify(items[count]).length + 1;
    if (length > budget) break;
    count++;
  }
  return fitText(fitCount(count, render, budget), budget);
}

// ── explaining errors ────────────────────────────────────────────────────────────────────────

export interface ExplainInput {
  readonly code?: string;
  readonly status?: number;
  readonly correlationId?: string;
}

export function explainInputOf(raw: unknown): ExplainInput {
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const code = typeof input.code === 'number' && Number.isFinite(input.code) ? String(input.code) : typeof input.code === 'string' && input.code.trim() ? input.code.trim() : undefined;
  const statusValue = typeof input.status === 'string' ? Number(input.status) : input.status;
  const status = typeof statusValue === 'number' && Number.isInteger(statusValue) && statusValue >= 100 && statusValue <= 599 ? statusValue : undefined;
  const correlationId = typeof input.correlationId === 'string' && input.correlationId.trim() ? input.correlationId.trim() : undefined;
  return { code, status, correlationId };
}

/** What a Concur error code means: the token endpoint's documented codes (5, 16, 108 …) or its OAuth error names. */
export function explainCode(code: string, status: number | undefined): string {
  const number = /^\d+$/.test(code) ? Number(code) : undefined;
  if (number !== undefined && knownTokenError(number)) {
    return l10n.t('Concur code {0} (from the token endpoint, /oauth2/v0/token): {1}', number, tokenErrorMessage({ status: status ?? 400, code: number }));
  }
  if (number === undefined && /^[a-z_]+$/i.test(code)) {
    return l10n.t('"{0}" is an OAuth 2.0 error name: {1} Concur\'s numeric code, when it sent one, says more.', code, tokenErrorMessage({ status: status ?? 400, error: code }));
  }
  return l10n.t('Code {0} is not one of the token endpoint\'s documented codes. Error codes of other Concur APIs are documented with each API on developer.concur.com; the HTTP status and Concur\'s error text say more.', code);
}

/** What an HTTP status from a Concur API means, as the extension explains answers, without a particular request. */
export function explainStatus(status: number, context: Omit<ExplainContext, 'geolocation'> & { readonly geolocation?: string }): string {
  if (status < 400) return l10n.t('HTTP {0} is not an error.', `${status} ${statusText(status)}`.trim());
  const geolocation = context.geolocation ?? 'https://us2.api.concursolutions.com';
  // Without a request there is no correlation id to give support: the sentence that would carry it is left out.
  const marker = 'NO-CORRELATION-ID';
  const message = explainResponse({ status, url: `${geolocation}/`, correlationId: marker, body: Buffer.alloc(0), contentType: '' }, { ...context, geolocation })?.message ?? `HTTP ${status}`;
  const at = message.indexOf(marker);
  if (at < 0) return message;
  const before = message.slice(0, at);
  return before.slice(0, before.lastIndexOf('.') + 1).trim();
}

/** Whether `word` is in `text` as a whole: not part of a longer run of letters, digits and hyphens. */
export function containsWord(text: string, word: string): boolean {
  const inWord = (char: string): boolean => /[\p{L}\p{N}-]/u.test(char);
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!inWord(text.charAt(at - 1)) && !inWord(text.charAt(at + word.length))) return true;
  }
  return false;
}

/** A request from this window's history as the model reads it: when, what, the answer and Concur's error text. */
export interface HistoryFacts {
  readonly at: number;
  readonly method: string;
  readonly host?: string;
  readonly pathAndQuery: string;
  readonly status?: number;
  readonly correlationId: string;
  /** Concur's error text from the body, or why no answer came. */
  readonly serverText?: string;
  readonly explanation?: string;
}

export function describeHistoryEntry(facts: HistoryFacts): string {
  const status = facts.status !== undefined ? `HTTP ${facts.status}${statusText(facts.status) ? ` ${statusText(facts.status)}` : ''}` : l10n.t('no answer');
  const lines = [
    l10n.t('The request with correlation id {0}: {1} {2}{3} at {4}, {5}.', facts.correlationId, facts.method, facts.host ?? '', facts.pathAndQuery, new Date(facts.at).toISOString(), status),
  ];
  if (facts.serverText) lines.push(l10n.t('Concur said: "{0}"', facts.serverText));
  if (facts.explanation) lines.push(facts.explanation);
  return lines.join('\n');
}
