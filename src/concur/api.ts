/**
 * Calling Concur APIs with a session's access token, on the session's geolocation: refresh-and-
 * retry once on 401, wait out 429 (`retry-after`) a few times, and fetch every page of a paged
 * response. Knows nothing of VS Code.
 */
import { sleep as realSleep } from '../util/clock';
import { CancelledError } from './errors';
import type { HttpClient, HttpResponse } from './http';
import type { PagingStyle } from './catalog';
import { mergePages, nextPageUrl, pageItems, totalItems } from './paging';

export interface SessionToken {
  readonly sessionId: string;
  readonly accessToken: string;
  /** The session's API base: where its resources live. */
  readonly geolocation: string;
  /** Where the session signed in; full URLs may name this host too. */
  readonly baseUrl?: string;
}

export interface TokenSource {
  /** A valid access token of the active session, refreshed first when it is about to expire. */
  get(signal?: AbortSignal): Promise<SessionToken>;
  /** A refresh after Concur rejected the token, then the new token. */
  refresh(sessionId: string, signal?: AbortSignal): Promise<SessionToken>;
}

export interface ApiCall {
  readonly method: string;
  /** A path (`/profile/v1/me?x=1`) on the session's geolocation, or a full URL on one of the session's hosts. */
  readonly target: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly maxBodyBytes?: number;
}

export interface ApiResult extends HttpResponse {
  /** What was sent, minus the Authorization header. */
  readonly request: { readonly method: string; readonly url: string; readonly headers: Record<string, string>; readonly body?: string };
  readonly sessionId: string;
  readonly geolocation: string;
  /** The first answer was 401, the token was refreshed and the call sent again. */
  readonly retriedAfter401: boolean;
  /** How many 429 answers were waited out. */
  readonly rateLimitWaits: number;
}

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

export class ApiClient {
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly http: HttpClient,
    private readonly tokens: TokenSource,
    private readonly options: ApiClientOptions = {},
  ) {
    this.sleep = options.sleep ?? realSleep;
  }

  /** The absolute URL of a call for a session: paths go to the geolocation. */
  static resolveUrl(target: string, token: Pick<SessionToken, 'geolocation' | 'baseUrl'>): URL {
    const trimmed = target.trim();
    if (trimmed.startsWith('/')) return new URL(trimmed, token.geolocation);
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ApiUsageError(`"${trimmed}" is neither a path (starting with /) nor a URL.`);
    }
    const allowed = [token.geolocation, token.baseUrl].filter((o): o is string => !!o).map((o) => new URL(o).origin);
    if (!allowed.includes(url.origin)) {
      // The access token goes only to the session's own Concur hosts.
      throw new ApiUsageError(`The access token is only sent to this session's hosts (${allowed.join(', ')}), not to ${url.origin}. Use a path instead.`);
    }
    return url;
  }

  async call(call: ApiCall, onRateLimited?: (wait: RateLimitWait) => void): Promise<ApiResult> {
    let token = await this.tokens.get(call.signal);
    let retriedAfter401 = false;
    let rateLimitWaits = 0;
    for (;;) {
      const url = ApiClient.resolveUrl(call.target, token);
      const headers: Record<string, string> = { accept: 'application/json', ...lowerCaseKeys(call.headers) };
      if (call.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await this.http.request({
        method: call.method,
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
        request: { method: call.method, url: url.href, headers, body: call.body },
        sessionId: token.sessionId,
        geolocation: token.geolocation,
        retriedAfter401,
        rateLimitWaits,
      };
    }
  }

  /**
   * Follows a paged response to its last page (or until `maxItems`), one page at a time, and merges
   * the pages into one document. The token goes only to the session's hosts: a next-page URL
   * elsewhere stops the walk.
   */
  async fetchAllPages(
    first: ApiCall,
    style: PagingStyle,
    options: { maxItems?: number; onPage?: (progress: { pages: number; items: number; total?: number }) => void; onRateLimited?: (wait: RateLimitWait) => void; firstResult?: ApiResult; firstBody?: unknown } = {},
  ): Promise<{ merged: unknown; pages: number; items: number; complete: boolean; last: ApiResult; stoppedBy?: ApiResult }> {
    let result = options.firstResult ?? (await this.call(first, options.onRateLimited));
    if (result.status >= 300) return { merged: undefined, pages: 0, items: 0, complete: false, last: result, stoppedBy: result };
    let body = options.firstBody ?? JSON.parse(result.body.toString('utf8'));
    const bodies: unknown[] = [body];
    let items = pageItems(style, body).length;
    const total = totalItems(style, body);
    options.onPage?.({ pages: 1, items, total });
    let last = result;
    for (;;) {
      if (options.maxItems !== undefined && items >= options.maxItems) {
        return { merged: mergePages(style, bodies, false), pages: bodies.length, items, complete: false, last };
      }
      const next = nextPageUrl(style, result.request.url, body);
      if (!next) break;
      if (first.signal?.aborted) throw new CancelledError();
      result = await this.call({ ...first, target: next }, options.onRateLimited);
      if (result.status >= 300) return { merged: mergePages(style, bodies, false), pages: bodies.length, items, complete: false, last, stoppedBy: result };
      body = JSON.parse(result.body.toString('utf8'));
      bodies.push(body);
      items += pageItems(style, body).length;
      last = result;
      options.onPage?.({ pages: bodies.length, items, total });
    }
    return { merged: mergePages(style, bodies, true), pages: bodies.length, items, complete: true, last };
  }
}

/** `retry-after` as seconds or an HTTP date; 5 s when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number {
  if (!value) return 5_000;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : 5_000;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}
