/**
 * Calling Concur APIs with a session's access token, on the session's own hosts (resolver.ts
 * decides where each request may go): refresh-and-retry once on 401, wait out 429 (`retry-after`)
 * a few times, and fetch every page of a paged response. Knows nothing of VS Code.
 */
import { sleep as realSleep } from '../util/clock';
import { l10n } from '../util/l10n';
import { CancelledError } from './errors';
import type { FormRequestBody } from './formBody';
import type { HttpClient, HttpResponse } from './http';
import type { PagingStyle } from './catalog';
import { type CheckedUrl, requireApiTarget, resolveLink } from './resolver';
import { mergePages, nextPageUrl, pageItems, totalItems } from './paging';

export interface SessionToken {
  readonly sessionId: string;
  readonly accessToken: string;
  /** The session's API base: where its resources live. */
  readonly geolocation: string;
  /** Where the session signed in; full URLs may name this host too. */
  readonly baseUrl: string;
}

export interface TokenSource {
  /** A valid access token of the session (the active one when no id is given), refreshed first when it is about to expire. */
  get(sessionId: string | undefined, signal?: AbortSignal): Promise<SessionToken>;
  /** A refresh after Concur rejected the token, then the new token. */
  refresh(sessionId: string, signal?: AbortSignal): Promise<SessionToken>;
}

export interface ApiCall {
  readonly method: string;
  /** A path (`/profile/v1/me?x=1`) on the session's geolocation, or a full URL on one of the session's hosts. */
  readonly target: string;
  /** Text, or bytes (a multipart form with files). */
  readonly body?: string | Uint8Array;
  /** The form the body was encoded from, kept with the sent request for history, cURL and request files. */
  readonly form?: FormRequestBody;
  readonly headers?: Record<string, string>;
  /** The session whose token is sent; the active session when absent. */
  readonly sessionId?: string;
  readonly signal?: AbortSignal;
  readonly maxBodyBytes?: number;
}

/** A request as it was sent, minus the Authorization header: what history, cURL and re-runs use. */
export interface SentRequest {
  readonly method: string;
  /** The checked URL's text. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly form?: FormRequestBody;
  /** The session whose token went with it. */
  readonly sessionId: string;
}

export interface ApiResult extends HttpResponse {
  readonly request: SentRequest;
  /** Where the request went, as the resolver checked it. */
  readonly target: CheckedUrl;
  readonly sessionId: string;
  readonly geolocation: string;
  /** The first answer was 401, the token was refreshed and the call sent again. */
  readonly retriedAfter401: boolean;
  /** How many 429 answers were waited out. */
  readonly rateLimitWaits: number;
}

/** A call that cannot be made as asked (a method that is no HTTP method, say); nothing was sent. */
export class ApiUsageError extends Error {
  override readonly name = 'ApiUsageError';
}

export interface ApiClientOptions {
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Longest single wait for a 429's retry-after. */
  readonly maxRateLimitWaitMs?: number;
  /** How many 429 answers to wait out before returning the 429. */
  readonly maxRateLimitRetries?: number;
  readonly now?: () => number;
}

export interface RateLimitWait {
  readonly waitMs: number;
  readonly attempt: number;
}

export interface FetchAllOptions {
  readonly maxItems?: number;
  readonly onPage?: (progress: { pages: number; items: number; total?: number }) => void;
  readonly onRateLimited?: (wait: RateLimitWait) => void;
  /** The first page, when it is already at hand (the response tab the user ran Fetch All from). */
  readonly firstResult?: ApiResult;
  readonly firstBody?: unknown;
}

export interface FetchAllOutcome {
  /** Every page's items in one document of the first page's shape (undefined when the first page failed). */
  readonly merged: unknown;
  readonly pages: number;
  readonly items: number;
  /** The last page was reached. */
  readonly complete: boolean;
  readonly last: ApiResult;
  /** An error answer that stopped the walk. */
  readonly stoppedBy?: ApiResult;
  /** Why the walk stopped before the last page, for the user (a cap, a refused link, a page that added nothing). */
  readonly stopReason?: string;
}

/** An HTTP method is a token (RFC 9110 §5.6.2); anything else is refused, not sent. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The method as sent (upper case), or an ApiUsageError when it is no HTTP method: nothing is sent then. */
export function checkMethod(raw: string): string {
  const method = raw.trim().toUpperCase();
  if (!HTTP_TOKEN.test(method)) throw new ApiUsageError(l10n.t('"{0}" is not an HTTP method. Use GET, POST, PUT, PATCH or DELETE.', method.slice(0, 20)));
  return method;
}

export class ApiClient {
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly http: HttpClient,
    private readonly tokens: TokenSource,
    private readonly options: ApiClientOptions = {},
  ) {
    this.sleep = options.sleep ?? realSleep;
  }

  async call(call: ApiCall, onRateLimited?: (wait: RateLimitWait) => void): Promise<ApiResult> {
    const method = checkMethod(call.method);
    let token = await this.tokens.get(call.sessionId, call.signal);
    let retriedAfter401 = false;
    let rateLimitWaits = 0;
    for (;;) {
      // Resolved for each attempt: a refresh may have moved the session's geolocation.
      const url = requireApiTarget(call.target, token);
      const headers = requestHeaders(call.headers);
      if (call.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await this.http.request({
        method,
        url,
        headers: Object.assign({ authorization: `Bearer ${token.accessToken}` }, headers),
        body: call.body,
        signal: call.signal,
        maxBodyBytes: call.maxBodyBytes,
      });
      if (response.status === 401 && !retriedAfter401) {
        retriedAfter401 = true;
        token = await this.tokens.refresh(token.sessionId, call.signal);
        continue;
      }
      if (response.status === 429 && rateLimitWaits < (this.options.maxRateLimitRetries ?? 3)) {
        const waitMs = Math.min(retryAfterMs(response.headers['retry-after'], this.options.now?.() ?? Date.now()), this.options.maxRateLimitWaitMs ?? 120_000);
        rateLimitWaits++;
        onRateLimited?.({ waitMs, attempt: rateLimitWaits });
        await this.sleep(waitMs, call.signal).catch(() => {
          throw new CancelledError('Cancelled while waiting for Concur\'s rate limit.');
        });
        continue;
      }
      // Field by field: spreading a response object costs microseconds on this hot path.
      return {
        method: response.method,
        url: response.url,
        status: response.status,
        headers: response.headers,
        body: response.body,
        bytes: response.bytes,
        truncated: response.truncated,
        durationMs: response.durationMs,
        correlationId: response.correlationId,
        contentType: response.contentType,
        request: { method, url: url.href, headers, body: call.body, ...(call.form ? { form: call.form } : {}), sessionId: token.sessionId },
        target: url,
        sessionId: token.sessionId,
        geolocation: token.geolocation,
        retriedAfter401,
        rateLimitWaits,
      };
    }
  }

  /** Where a next-page link from an answer may go: the resolver's decision for the session's hosts, relative to the page it came in. */
  async resolvePageLink(link: string, from: CheckedUrl, sessionId: string, signal?: AbortSignal): Promise<ReturnType<typeof resolveLink>> {
    return resolveLink(link, from, await this.tokens.get(sessionId, signal));
  }

  /**
   * Follows a paged response to its last page (or until `maxItems`), one page at a time, and merges
   * the pages into one document. Every next page goes through the resolver like any request: a
   * link to another host is not followed, and the walk stops — keeping what it has — on a page that
   * adds nothing or a link it has already been to.
   */
  async fetchAllPages(first: ApiCall, style: PagingStyle, options: FetchAllOptions = {}): Promise<FetchAllOutcome> {
    let result = options.firstResult ?? (await this.call(first, options.onRateLimited));
    if (result.status >= 300) return { merged: undefined, pages: 0, items: 0, complete: false, last: result, stoppedBy: result };
    const session = { sessionId: result.sessionId };
    let body = options.firstBody ?? JSON.parse(result.body.toString('utf8'));
    const bodies: unknown[] = [body];
    let items = pageItems(style, body).length;
    const total = totalItems(style, body);
    const visited = new Set<string>([result.target.href]);
    options.onPage?.({ pages: 1, items, total });
    const partial = (stopReason: string, stoppedBy?: ApiResult): FetchAllOutcome => ({
      merged: mergePages(style, bodies, false),
      pages: bodies.length,
      items,
      complete: false,
      last: result,
      stoppedBy,
      stopReason,
    });
    for (;;) {
      if (options.maxItems !== undefined && items >= options.maxItems) return partial(l10n.t('the limit of {0} items', options.maxItems.toLocaleString('en-US')));
      const next = nextPageUrl(style, result.target.href, body);
      if (!next) break;
      const resolution = await this.resolvePageLink(next, result.target, session.sessionId, first.signal);
      if (!resolution.ok) return partial(l10n.t("the next page's link was refused: {0}", resolution.message));
      if (visited.has(resolution.url.href)) return partial(l10n.t('Concur sent a link to a page already fetched ({0})', resolution.url.pathAndQuery));
      visited.add(resolution.url.href);
      if (first.signal?.aborted) throw new CancelledError();
      const pageResult = await this.call({ ...first, target: resolution.url.href, sessionId: session.sessionId }, options.onRateLimited);
      if (pageResult.status >= 300) return partial(l10n.t('page {0} answered HTTP {1}', bodies.length + 1, pageResult.status), pageResult);
      const pageBody: unknown = JSON.parse(pageResult.body.toString('utf8'));
      const added = pageItems(style, pageBody).length;
      result = pageResult;
      body = pageBody;
      bodies.push(body);
      items += added;
      options.onPage?.({ pages: bodies.length, items, total });
      if (added === 0 && nextPageUrl(style, result.target.href, body)) return partial(l10n.t('page {0} added no items but named a further page', bodies.length));
    }
    return { merged: mergePages(style, bodies, true), pages: bodies.length, items, complete: true, last: result };
  }
}

/** `retry-after` as seconds or an HTTP date; 5 s when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number {
  if (!value) return 5_000;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : 5_000;
}

/**
 * The headers a call sends besides the token: `accept` by default, names in lower case. An
 * `authorization` header of the caller's is dropped: the session's token is the only one sent.
 */
function requestHeaders(given: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = { accept: 'application/json' };
  if (given) {
    for (const name in given) {
      const lower = name.toLowerCase();
      if (lower !== 'authorization') out[lower] = given[name];
    }
  }
  return out;
}
