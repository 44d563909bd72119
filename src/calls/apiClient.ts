/**
 * Calling Concur (`calls/`): this client, the one page walk (pages.ts), cURL, forms, the request
 * history and item writers; its ui/ holds the sender (progress, cancellation), the prompts for
 * parameters, the Request History view and the commands that call.
 *
 * Calling Concur APIs with a session's access token, on the session's own hosts (resolver.ts
 * decides where each request may go): refresh-and-retry once on 401, wait out 429 (`retry-after`)
 * a few times, and resolve a next-page link for the page walk (pages.ts). Knows nothing of VS Code.
 */
import { sleep as realSleep } from '../platform/clock';
import { l10n } from '../platform/l10n';
import { CancelledError, ApiUsageError } from '../platform/errors';
import type { FormRequestBody } from './formBody';
import type { HttpClient, HttpResponse } from '../platform/http';
import { type CheckedUrl, requireApiTarget, resolveLink, type SessionOrigins } from '../platform/resolver';
import { type CheckedHeaders, type DroppedHeader, headerRecord, requireRequestHeaders } from '../platform/headers';

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
  /** The headers headers.ts let it carry (names in lower case). */
  readonly headers: Record<string, string>;
  /** Headers the caller gave that were not sent, and why. */
  readonly dropped?: readonly DroppedHeader[];
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



/** An HTTP method is a token (RFC 9110 §5.6.2); anything else is refused, not sent. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The method as sent (upper case), or an ApiUsageError when it is no HTTP method: nothing is sent then. */
export function checkMethod(raw: string): string {
  const method = raw.trim().toUpperCase();
  if (!HTTP_TOKEN.test(method)) throw new ApiUsageError(l10n.t('"{0}" is not an HTTP method. Use GET, POST, PUT, PATCH or DELETE.', method.slice(0, 20)));
  return method;
}

/** A call as `checkCall` passed it: where it goes, and the headers it may carry there. */
export interface CheckedCall {
  readonly method: string;
  readonly url: CheckedUrl;
  readonly headers: CheckedHeaders;
  readonly dropped: readonly DroppedHeader[];
}

/**
 * What every call is held to before anything goes out, for a session's origins: its method, where
 * it goes (the resolver) and the headers it may carry there (the header check). Throws an
 * ApiUsageError or a RefusedTargetError, as `ApiClient.call` does; a caller that shows progress
 * asks here first, so that a request that would be refused is never shown as being sent.
 */
export function checkCall(call: Pick<ApiCall, 'method' | 'target' | 'headers' | 'body'>, session: SessionOrigins): CheckedCall {
  const method = checkMethod(call.method);
  const url = requireApiTarget(call.target, session);
  const checked = requireRequestHeaders(call.headers, url, call.body === undefined ? DEFAULT_HEADERS : DEFAULT_BODY_HEADERS);
  return { method, url, headers: checked.headers, dropped: checked.dropped };
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
      // Resolved for each attempt: a refresh may have moved the session's geolocation. The headers
      // are checked for the URL they go to (a Host header must name it), in the same place.
      const checked = checkCall({ method, target: call.target, headers: call.headers, body: call.body }, token);
      const url = checked.url;
      const headers = { ...headerRecord(checked.headers) };
      const response = await this.http.request({
        method,
        url,
        headers: checked.headers,
        bearer: token.accessToken,
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
        request: { method, url: url.href, headers, ...(checked.dropped.length ? { dropped: checked.dropped } : {}), body: call.body, ...(call.form ? { form: call.form } : {}), sessionId: token.sessionId },
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
}

/** `retry-after` as seconds or an HTTP date; 5 s when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number {
  if (!value) return 5_000;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : 5_000;
}

/** The headers a call sends unless it names them itself: JSON, which is what Concur's APIs answer and take. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = { accept: 'application/json' };
const DEFAULT_BODY_HEADERS: Readonly<Record<string, string>> = { accept: 'application/json', 'content-type': 'application/json' };
