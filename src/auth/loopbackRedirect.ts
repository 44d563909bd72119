/**
 * The loopback listener of "Sign In with Browser" in a desktop window (RFC 8252 §7.3): a one-shot
 * HTTP server on 127.0.0.1 that Concur's authorize page redirects the user's browser to, with
 * `?code=…&geolocation=…&state=…` or `?error_code=…&error_description=…&state=…`. It takes exactly
 * one redirect, the one carrying this sign-in's `state`, answers the browser with a small page, and
 * closes; it never reads the code, so nothing here can log or show it. What the redirect means is
 * for the caller (`readAuthorizeRedirect`) to decide.
 *
 * Any program on this machine, and any web page the browser shows, can send requests to the port,
 * so the listener trusts nothing but the state: it binds 127.0.0.1 only (never all interfaces, so
 * the network cannot reach it, and not `localhost`, which may resolve to ::1 while the redirect
 * names 127.0.0.1); it refuses a `Host` that is not this listener (a page whose own host name was
 * re-pointed at 127.0.0.1, "DNS rebinding", would send its own); it reads no request body and
 * bounds the request line; and after the one answer it stops listening, so a second request,
 * even with the right state, finds the port closed.
 *
 * Plain Node, no `vscode`: the caller passes the port, state and time limit, and tests play the browser.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { carriesState } from './authorize';
import { CancelledError, oneLine } from '../platform/errors';
import { l10n } from '../platform/l10n';

/** The query of the redirect that was accepted: it carried this sign-in's state. */
export interface RedirectResult {
  readonly params: URLSearchParams;
}

export type RedirectOutcome = 'success' | 'error';

export interface LoopbackOptions {
  /** 0 or undefined: any free port (for apps whose registered redirect URI accepts any loopback port). */
  readonly port?: number;
  /** The redirect URI's path; `/callback` when not given. */
  readonly path?: string;
  /** The `state` of the authorize URL; a redirect without exactly this value is refused. */
  readonly state: string;
  /** Stop listening, and reject `result` with a `LoopbackTimeoutError`, after this long. */
  readonly timeoutMs: number;
  /** Stops listening and rejects `result` with a `CancelledError`. */
  readonly signal?: AbortSignal;
  /**
   * The HTML the browser gets for the accepted redirect, instead of the built-in page. `message` is
   * Concur's error description as plain text (bounded, not escaped): escape it before putting it in HTML.
   */
  readonly page?: (outcome: RedirectOutcome, message?: string) => string;
}

export const DEFAULT_LOOPBACK_PATH = '/callback';
/** The address the listener binds: the IPv4 loopback, which RFC 8252 §8.3 recommends over `localhost`. */
export const LOOPBACK_HOST = '127.0.0.1';
/** A redirect's query is a code, a state and a geolocation, a few hundred bytes; anything longer is not one. */
export const MAX_REQUEST_URL_LENGTH = 8 * 1024;
/** The request line and headers together; Node refuses more with 431 before any of it reaches us. */
const MAX_HEADER_BYTES = 16 * 1024;
/** Concur's error description on the page is one line of at most this many characters. */
const MAX_ERROR_DESCRIPTION = 300;

/**
 * The page may not load or run anything (it has no script, image or font of its own), and the
 * address bar holds the code: no cache may keep it and no referrer may carry it anywhere.
 */
export const LOOPBACK_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Each answer ends its connection: the server has no keep-alive sockets to wait for when it closes.
  Connection: 'close',
};

/** The port is taken by another program; the setting names another one. */
export class LoopbackPortInUseError extends Error {
  override readonly name = 'LoopbackPortInUseError';
  constructor(readonly port: number) {
    super(
      l10n.t(
        "Port {0} on {1} is in use by another program, so VS Code cannot wait there for Concur's sign-in redirect. Close that program, or choose another port with the setting concur.signIn.loopbackPort (it must match a redirect URI registered for your Concur app; 0 takes any free port).",
        port,
        LOOPBACK_HOST,
      ),
    );
  }
}

/** The browser did not come back with the redirect in time (to the listener, or to VS Code's URI handler). */
export class LoopbackTimeoutError extends Error {
  override readonly name = 'LoopbackTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(timeoutMessage(timeoutMs));
  }
}

/**
 * One sign-in's listener. `listen` resolves once the port is bound; `result` settles once: with the
 * accepted redirect, or rejected on timeout, cancellation or `close()`. `result` never counts as an
 * unhandled rejection when nobody awaits it (a handler is attached here); promises derived from it
 * (`result.then(…)`) are the caller's to handle.
 */
export class LoopbackRedirect {
  /** `http://127.0.0.1:<port><path>`, the redirect URI to send in the authorize URL. */
  readonly redirectUri: string;
  readonly result: Promise<RedirectResult>;

  private settled = false;
  private closed = false;
  private resolveResult!: (result: RedirectResult) => void;
  private rejectResult!: (error: Error) => void;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => this.fail(new CancelledError());

  private constructor(
    private readonly server: Server,
    /** The port actually bound (the one asked for, or the one the system chose for 0). */
    readonly port: number,
    private readonly path: string,
    private readonly options: LoopbackOptions,
  ) {
    this.redirectUri = `http://${LOOPBACK_HOST}:${port}${path}`;
    this.result = new Promise<RedirectResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.result.catch(() => undefined);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
    // After listening, a server error (rare: the socket failing) ends this sign-in rather than the extension host.
    server.on('error', (error: Error) => this.fail(error));
    // setTimeout cannot wait longer than 2^31-1 ms; the settings allow at most 30 minutes anyway.
    this.timer = setTimeout(() => this.fail(new LoopbackTimeoutError(options.timeoutMs)), Math.min(options.timeoutMs, 2 ** 31 - 1));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Binds 127.0.0.1:<port> and starts waiting. Throws `LoopbackPortInUseError` when the port is taken. */
  static async listen(options: LoopbackOptions): Promise<LoopbackRedirect> {
    const port = options.port ?? 0;
    const path = options.path ?? DEFAULT_LOOPBACK_PATH;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`The loopback port must be a whole number from 0 to 65535, not ${port}.`);
    if (!/^\/[^?#\s]*$/.test(path)) throw new TypeError(`The loopback path must start with "/" and have no query, fragment or spaces: ${JSON.stringify(path.slice(0, 80))}.`);
    // An empty state would accept `?state=`: every redirect must carry the sign-in's own random value.
    if (!options.state) throw new TypeError('The loopback listener needs the state of the authorize URL.');
    if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) throw new RangeError(`The loopback time limit must be a positive number of milliseconds, not ${options.timeoutMs}.`);
    if (options.signal?.aborted) throw new CancelledError();

    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES });
    // A browser sends the request at once; a connection that dawdles is not one and is not waited for.
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    server.keepAliveTimeout = 1_000;
    const bound = await bind(server, port);
    // The handler is attached before this tick ends, so no request can arrive unanswered in between.
    const redirect = new LoopbackRedirect(server, bound, path, options);
    // Cancelled while binding: the listener closes at once (the abort listener missed the event).
    if (options.signal?.aborted) {
      redirect.close();
      throw new CancelledError();
    }
    return redirect;
  }

  /** Where the server is bound (always 127.0.0.1), or null once it has closed. */
  address(): AddressInfo | null {
    return this.server.address() as AddressInfo | null;
  }

  /** Stops listening; a result still pending is rejected with `CancelledError`. Safe to call more than once. */
  close(): void {
    this.fail(new CancelledError());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '';
    // Only after close() has started, on a connection that was already open: nothing is accepted any more.
    if (this.settled) return send(res, 410, messagePage(l10n.t('VS Code is no longer waiting for this sign-in'), l10n.t('Start "Sign In with Browser" in VS Code again.')));
    if (target.length > MAX_REQUEST_URL_LENGTH) return send(res, 414, messagePage(l10n.t('This address is too long'), l10n.t('It is not a sign-in redirect from Concur.')));
    // DNS rebinding: a page at attacker.example whose name now resolves to 127.0.0.1 reaches this port
    // as "same origin", but its requests still say `Host: attacker.example:<port>`.
    if (!this.isOwnHost(req.headers.host)) return send(res, 400, messagePage(l10n.t('This request is not for VS Code'), l10n.t('It did not name this sign-in listener as its host.')));
    // Origin form only (`/path?query`): an absolute URL in the request line is a proxy request, not a redirect.
    if (!target.startsWith('/')) return send(res, 400, messagePage(l10n.t('This request is not a sign-in redirect'), l10n.t('VS Code is waiting only for the redirect from Concur.')));
    const queryAt = target.indexOf('?');
    const pathname = queryAt < 0 ? target : target.slice(0, queryAt);
    // Browsers ask for the icon on their own: no page, nothing to see.
    if (pathname === '/favicon.ico') return send(res, 404, '');
    if (pathname !== this.path) return send(res, 404, messagePage(l10n.t('Nothing here'), l10n.t('VS Code is waiting only for the redirect from Concur.')));
    if (req.method !== 'GET') return send(res, 405, messagePage(l10n.t('This request is not a sign-in redirect'), l10n.t('Concur redirects the browser with GET.')), { Allow: 'GET' });
    const params = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1));
    if (!carriesState(params, this.options.state)) {
      return send(
        res,
        400,
        messagePage(
          l10n.t('This sign-in link is not the one VS Code is waiting for'),
          l10n.t('Start "Sign In with Browser" in VS Code again, and finish signing in in the browser tab it opens.'),
        ),
      );
    }
    this.accept(params, res);
  }

  /** The one answer: the page, then the server closes as soon as the page is out. */
  private accept(params: URLSearchParams, res: ServerResponse): void {
    this.settled = true;
    this.stopWaiting();
    // No new connection from here on: a second request finds the port closed.
    this.server.close();
    const failed = params.has('error_code') || params.has('error');
    const description = failed ? errorDescription(params) : undefined;
    const outcome: RedirectOutcome = failed ? 'error' : 'success';
    const body = this.customPage(outcome, description) ?? (failed ? errorPage(description) : successPage());
    // Idle connections (a browser's preconnects) would keep the server half open: they end with the answer.
    res.on('close', () => this.server.closeAllConnections());
    send(res, 200, body);
    this.resolveResult({ params });
  }

  /** The caller's page; a page function that throws gets the built-in page instead of no answer at all. */
  private customPage(outcome: RedirectOutcome, description: string | undefined): string | undefined {
    try {
      return this.options.page?.(outcome, description);
    } catch {
      return undefined;
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWaiting();
    // Accepted already: the server closes on its own once the page is out; cutting the connection
    // now could cut the page short.
    if (this.settled) return;
    this.settled = true;
    // The result is rejected once the port is free, so a caller may listen on it again straight away.
    this.server.close(() => this.rejectResult(error));
    this.server.closeAllConnections();
  }

  private stopWaiting(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  private isOwnHost(host: string | undefined): boolean {
    if (!host) return false;
    const lower = host.toLowerCase();
    return lower === `${LOOPBACK_HOST}:${this.port}` || lower === `localhost:${this.port}`;
  }
}

function bind(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new LoopbackPortInUseError(port));
      else if (error.code === 'EACCES') {
        reject(
          new Error(
            l10n.t(
              'VS Code is not allowed to listen on port {0} of {1} (ports below 1024 usually need administrator rights). Choose another port with the setting concur.signIn.loopbackPort.',
              port,
              LOOPBACK_HOST,
            ),
          ),
        );
      } else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // `exclusive`: in a cluster worker the port is not shared with the primary; it is this process's own.
    server.listen({ port, host: LOOPBACK_HOST, exclusive: true });
  });
}

function send(res: ServerResponse, status: number, body: string, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { ...LOOPBACK_RESPONSE_HEADERS, 'Content-Length': String(Buffer.byteLength(body)), ...extraHeaders });
  res.end(body);
}

/** What Concur said, for the page: one bounded line. Never the code, which an error redirect does not carry anyway. */
function errorDescription(params: URLSearchParams): string | undefined {
  const said = params.get('error_description') ?? params.get('error_code') ?? params.get('error');
  return said ? oneLine(said, MAX_ERROR_DESCRIPTION) || undefined : undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A whole page from plain text: both strings are escaped here. */
function messagePage(heading: string, ...paragraphs: string[]): string {
  return page(heading, `<h1>${escapeHtml(heading)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}`);
}

function errorPage(description: string | undefined): string {
  const said = description ? [l10n.t('Concur said: {0}', description)] : [];
  return messagePage(l10n.t('Concur did not sign you in'), ...said, l10n.t('Return to VS Code to see what to do, then start "Sign In with Browser" again.'));
}

function successPage(): string {
  return messagePage(l10n.t('Signed in'), l10n.t('You can close this tab and return to VS Code.'));
}

/**
 * Self-contained: inline style only, which is all the Content-Security-Policy allows. The page's
 * `lang` is the language its text is in: each translation gives its own language tag for "en".
 */
function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(l10n.t('en'))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Concur API Explorer</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; color: #1f1f1f; background: #f6f6f6; }
main { max-width: 32rem; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
p { line-height: 1.5; margin: 0.5rem 0; overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) { body { color: #e6e6e6; background: #1e1e1e; } main { background: #252526; } }
</style>
</head>
<body><main>${content}</main></body>
</html>
`;
}

/** "The browser did not come back … within 5 minutes": whole sentences, one per unit and number. */
function timeoutMessage(ms: number): string {
  if (ms >= 60_000) {
    const minutes = Math.round(ms / 60_000);
    return minutes === 1
      ? l10n.t('The browser did not come back to VS Code within 1 minute. Start "Sign In with Browser" again.')
      : l10n.t('The browser did not come back to VS Code within {0} minutes. Start "Sign In with Browser" again.', minutes);
  }
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1
    ? l10n.t('The browser did not come back to VS Code within 1 second. Start "Sign In with Browser" again.')
    : l10n.t('The browser did not come back to VS Code within {0} seconds. Start "Sign In with Browser" again.', seconds);
}
