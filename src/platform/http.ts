/**
 * What every feature uses (`platform/`): this HTTP client, the resolver that decides where a
 * request may go (resolver.ts), the headers it may carry (headers.ts), the redactor, errors, l10n,
 * lifecycle, clock and bounds; its ui/ holds the log, settings, messages, the multi-step input, the
 * command registry and the one error path for commands.
 *
 * The one HTTP stack every Concur request goes through: undici with connection reuse, connect,
 * header and body timeouts, cancellation through an AbortSignal, and a `concur-correlationid` on
 * every request. It sends only to a `CheckedUrl`, which only the resolver makes, with only
 * `CheckedHeaders`, which only headers.ts makes: where a request may go and what it may carry are
 * decided there, once, and this client cannot be handed anything else. The session's token it adds
 * itself, as the one Authorization a request carries. Redirects are never followed (undici's
 * `request` does not), so an answer cannot move a token to another host.
 *
 * undici is required on the first request, not when this module loads: it is about 520 KB of code
 * that activation does not need.
 */
import { randomUUID } from 'node:crypto';
import { l10n } from './l10n';
import type * as Undici from 'undici';
import { type CheckedUrl, isCheckedUrl, isLoopbackHost, RefusedTargetError, requestUrl } from './resolver';
import { type CheckedHeaders, headerRecord, isCheckedHeaders } from './headers';
import { CancelledError, NetworkError, type NetworkFailure } from './errors';

let undiciModule: typeof Undici | undefined;

/** Loads undici (the bundle maps this require to dist/undici.js). */
export function loadUndici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  undiciModule ??= require('undici') as typeof Undici;
  return undiciModule;
}

export interface HttpRequest {
  readonly method: string;
  readonly url: CheckedUrl;
  /** What headers.ts let the request carry; nothing else is accepted. */
  readonly headers?: CheckedHeaders;
  /** The session's access token, sent as `Authorization: Bearer …`: the only credential a header carries. */
  readonly bearer?: string;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** Stop reading the body after this many bytes and mark the response truncated. */
  readonly maxBodyBytes?: number;
}

export interface HttpResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Bytes received; more than body.length when truncated. */
  readonly bytes: number;
  readonly truncated: boolean;
  readonly durationMs: number;
  /** Concur's `concur-correlationid` response header, or the one sent when Concur sent none. */
  readonly correlationId: string;
  readonly contentType: string;
}

/** One line per exchange for the log: never headers or bodies, which may carry secrets. */
export interface HttpExchange {
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly correlationId: string;
  readonly bytes?: number;
  readonly error?: string;
}

export interface HttpClientOptions {
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  readonly userAgent?: string;
  /** An http(s) proxy for Concur's hosts (loopback hosts are always reached directly). */
  readonly proxyUrl?: string;
  /**
   * Certificates to trust instead of Node's: for a test server with a certificate of its own.
   * Certificates are always checked; this only says which authorities sign them.
   */
  readonly ca?: string | readonly string[];
  readonly onExchange?: (exchange: HttpExchange) => void;
}

export class HttpClient {
  private direct?: Undici.Dispatcher;
  private proxied?: Undici.Dispatcher;

  constructor(private readonly options: HttpClientOptions = {}) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = req.url;
    // The types say so already; this holds against a cast, too.
    if (!isCheckedUrl(url)) throw new RefusedTargetError(l10n.t('Refused to send a request to a URL the resolver has not checked.'));
    if (req.headers !== undefined && !isCheckedHeaders(req.headers)) throw new RefusedTargetError(l10n.t('Refused to send a request with headers that were not checked.'));
    const given = req.headers ? headerRecord(req.headers) : {};
    const sentCorrelationId = given['concur-correlationid'] ?? randomUUID();
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'ConcurApiExplorer', 'concur-correlationid': sentCorrelationId };
    for (const name in given) headers[name] = given[name];
    if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
    const started = performance.now();
    const undici = loadUndici();
    if (req.signal?.aborted) throw new CancelledError();
    let exchangeStatus: number | undefined;
    try {
      const res = await undici.request(requestUrl(url), {
        method: req.method as Undici.Dispatcher.HttpMethod,
        headers,
        body: req.body,
        signal: req.signal,
        dispatcher: this.dispatcherFor(url),
        headersTimeout: this.options.headersTimeoutMs ?? 30_000,
        bodyTimeout: this.options.bodyTimeoutMs ?? 30_000,
      });
      exchangeStatus = res.statusCode;
      const { body, bytes, truncated } = await readBody(res.body, req.maxBodyBytes, Number(res.headers['content-length'] ?? NaN));
      const responseHeaders = flattenHeaders(res.headers);
      const response: HttpResponse = {
        method: req.method,
        url: url.href,
        status: res.statusCode,
        headers: responseHeaders,
        body,
        bytes,
        truncated,
        durationMs: performance.now() - started,
        correlationId: responseHeaders['concur-correlationid'] ?? sentCorrelationId,
        contentType: responseHeaders['content-type'] ?? '',
      };
      this.options.onExchange?.({ method: req.method, url: url.href, status: res.statusCode, durationMs: response.durationMs, correlationId: response.correlationId, bytes });
      return response;
    } catch (error) {
      const mapped = mapNetworkError(error, url, req.signal);
      this.options.onExchange?.({
        method: req.method,
        url: url.href,
        status: exchangeStatus,
        durationMs: performance.now() - started,
        correlationId: sentCorrelationId,
        error: mapped.message,
      });
      throw mapped;
    }
  }

  async close(): Promise<void> {
    const dispatchers = [this.direct, this.proxied].filter((d): d is Undici.Dispatcher => d !== undefined);
    this.direct = this.proxied = undefined;
    await Promise.all(dispatchers.map((d) => d.close().catch(() => undefined)));
  }

  private dispatcherFor(url: CheckedUrl): Undici.Dispatcher {
    const undici = loadUndici();
    if (this.options.proxyUrl && !isLoopbackHost(url.hostname)) {
      this.proxied ??= new undici.ProxyAgent({
        uri: this.options.proxyUrl,
        connect: this.connectOptions(),
      });
      return this.proxied;
    }
    this.direct ??= new undici.Agent({
      connect: this.connectOptions(),
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
    });
    return this.direct;
  }

  private connectOptions(): { timeout: number; ca?: string | string[] } {
    const ca = this.options.ca;
    return { timeout: this.options.connectTimeoutMs ?? 10_000, ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : [...ca] }) };
  }
}

/** Bodies declared larger than this are read chunk by chunk into one buffer. */
const INCREMENTAL_BYTES = 1024 * 1024;

async function readBody(
  body: AsyncIterable<Buffer> & { destroy(): void; arrayBuffer(): Promise<ArrayBuffer> },
  maxBytes: number | undefined,
  contentLength: number,
): Promise<{ body: Buffer; bytes: number; truncated: boolean }> {
  if (contentLength > INCREMENTAL_BYTES) {
    // A large body is copied into place as it arrives: concatenating 50 MB at the end would hold the
    // extension host's thread for about 100 ms in one go.
    const size = maxBytes === undefined ? contentLength : Math.min(contentLength, maxBytes);
    const whole = Buffer.allocUnsafe(size);
    let bytes = 0;
    for await (const chunk of body) {
      if (bytes < size) chunk.copy(whole, bytes, 0, Math.min(chunk.length, size - bytes));
      bytes += chunk.length;
      if (maxBytes !== undefined && bytes > maxBytes) {
        body.destroy();
        break;
      }
    }
    return { body: bytes < size ? whole.subarray(0, bytes) : whole, bytes, truncated: maxBytes !== undefined && bytes > maxBytes };
  }
  if (maxBytes === undefined || contentLength <= maxBytes) {
    // The usual case: a body known to fit is read whole, which is faster than chunk by chunk.
    const whole = Buffer.from(await body.arrayBuffer());
    if (maxBytes === undefined || whole.length <= maxBytes) return { body: whole, bytes: whole.length, truncated: false };
    return { body: whole.subarray(0, maxBytes), bytes: whole.length, truncated: true };
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  let kept = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (maxBytes === undefined || kept < maxBytes) {
      const take = maxBytes === undefined ? chunk : chunk.subarray(0, maxBytes - kept);
      chunks.push(take);
      kept += take.length;
    }
    if (maxBytes !== undefined && bytes > maxBytes) {
      // Enough has been read; the rest is not needed and would only use memory.
      body.destroy();
      break;
    }
  }
  return { body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, kept), bytes, truncated: maxBytes !== undefined && bytes > maxBytes };
}

/** undici gives lower-case names; only repeated headers (arrays) need joining. */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in headers) {
    if (typeof headers[name] !== 'string') {
      const out: Record<string, string> = {};
      for (const key in headers) {
        const value = headers[key];
        if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return out;
    }
  }
  return headers as Record<string, string>;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function mapNetworkError(error: unknown, url: CheckedUrl, signal?: AbortSignal): Error {
  if (error instanceof CancelledError || error instanceof RefusedTargetError) return error;
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError') || errorCode(error) === 'UND_ERR_ABORTED') {
    return new CancelledError(`The request to ${url.host} was cancelled.`);
  }
  const code = errorCode(error) ?? '';
  const host = url.host;
  let failure: NetworkFailure = 'other';
  let message: string;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    failure = 'timeout';
    message = l10n.t('Could not connect to {0} in time. Check your network or proxy settings and try again.', host);
  } else if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    failure = 'timeout';
    message = l10n.t('{0} stopped answering (timed out). Try again in a moment.', host);
  } else if (code === 'ECONNREFUSED') {
    failure = 'connection';
    message = l10n.t('{0} refused the connection. Check the base URL, or that the server is running.', host);
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    failure = 'connection';
    message = l10n.t('Could not find {0} (DNS). Check the base URL and your network.', url.hostname);
  } else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    failure = 'reset';
    message = l10n.t('The connection to {0} was closed before the answer arrived. Try again.', host);
  } else if (TLS_CODES.has(code)) {
    failure = 'tls';
    message = l10n.t(
      'The TLS certificate of {0} could not be verified ({1}). Certificate checks are never turned off; if a corporate proxy re-signs traffic, add its CA with the NODE_EXTRA_CA_CERTS environment variable.',
      host,
      code,
    );
  } else {
    const said = error instanceof Error ? error.message : String(error);
    message = code ? l10n.t('Could not reach {0}: {1} ({2}).', host, said, code) : l10n.t('Could not reach {0}: {1}.', host, said);
  }
  return new NetworkError(message, failure, host, code || undefined);
}
