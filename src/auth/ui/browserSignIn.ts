/**
 * "Sign In with Browser": Concur's authorization-code grant. The authorize page opens in the
 * user's browser; the redirect comes back either to a loopback listener on 127.0.0.1 (a desktop
 * window on this machine) or to VS Code's own URI handler through `vscode.env.asExternalUri`
 * (remote windows, Codespaces, VS Code in the browser). The redirect's `state` must be the one this
 * sign-in made; its `geolocation` passes the resolver's trust rules before the code goes there.
 */
import * as vscode from 'vscode';
import type { ApiClient } from '../../calls/apiClient';
import { accountName } from '../../calls/accountName';
import { authorizeUrl, carriesState, newState, readAuthorizeRedirect } from '../authorize';
import { CancelledError, oneLine } from '../../platform/errors';
import { hostOf, isLoopbackHost } from '../../platform/resolver';
import type { Log } from '../../platform/ui/log';
import { LoopbackRedirect, LoopbackTimeoutError } from '../loopbackRedirect';
import type { SessionManager } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import { BuiltinCommand, Command, ContextKey } from '../../platform/ids';
import { Disposable } from '../../platform/lifecycle';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import type { BrowserSignInSettings, RedirectMode } from '../../platform/ui/settings';


export interface BrowserSignInRequest {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
}

/** The path VS Code's URI handler is called with when Concur redirects to it. */
export const URI_HANDLER_PATH = '/signed-in';
export const LOOPBACK_PATH = '/callback';
/** How long a sign-in waits for the user's name before it keeps the id-based label. */
const NAME_TIMEOUT_MS = 5_000;

interface PendingRedirect {
  readonly state: string;
  readonly resolve: (params: URLSearchParams) => void;
}

/**
 * The address under which the user's browser reaches a URL. Only a sign-in server on this machine
 * (a local Concur stand-in, a local proxy) needs care: in a remote window or VS Code in the
 * browser, VS Code forwards `localhost` URLs, and where its forwarding gives back only the base of
 * a forwarded port (as VS Code Server's `/proxy/<port>/` does), the path and query are put back on it.
 */
export async function reachableFromBrowser(url: string): Promise<string> {
  const parsed = new URL(url);
  if (!isLoopbackHost(parsed.hostname)) return url;
  const original = vscode.Uri.parse(url, true);
  const external = await vscode.env.asExternalUri(original);
  if (external.toString() === original.toString() || (external.path.endsWith(original.path) && external.query === original.query)) return url;
  return `${external.with({ query: '', fragment: '' }).toString(true).replace(/\/$/, '')}${parsed.pathname}${parsed.search}`;
}

/**
 * Opens a URL in the user's browser exactly as written. `openExternal` re-encodes a `vscode.Uri`'s
 * query (microsoft/vscode#85930), which splits a `redirect_uri` that has a query of its own; given
 * the string, VS Code opens it as it is.
 */
export async function openInBrowser(url: string): Promise<boolean> {
  return vscode.env.openExternal((await reachableFromBrowser(url)) as unknown as vscode.Uri);
}

export class BrowserSignIn extends Disposable implements vscode.UriHandler {
  private pending: PendingRedirect | undefined;
  /** Opens a URL in the user's browser; tests replace it to play the browser themselves. */
  opener: (url: string) => Thenable<boolean> = openInBrowser;
  /** The last authorize URL opened, for "Copy the Sign-In Link" (it holds no secret). */
  lastAuthorizeUrl: string | undefined;
  private waiting = false;
  private busy = false;

  constructor(
    private readonly sessions: SessionManager,
    private readonly messages: Messages,
    private readonly log: Log,
    private readonly extensionId: string,
    private readonly settings: () => BrowserSignInSettings,
    /** The API client, for the user's name after sign-in (made after this, so asked for when needed). */
    private readonly api: () => ApiClient,
  ) {
    super();
  }

  /** Where a redirect should come back to in this window. */
  static chooseMode(mode: RedirectMode): Exclude<RedirectMode, 'auto'> {
    if (mode !== 'auto') return mode;
    // A loopback listener is on the extension host's machine: the user's browser reaches it only
    // when both are on this machine, in a desktop window that is not remote.
    return vscode.env.uiKind === vscode.UIKind.Web || vscode.env.remoteName ? 'uriHandler' : 'loopback';
  }

  /** VS Code calls this with `<scheme>://<extension id>/signed-in?…` after Concur's redirect. */
  handleUri(uri: vscode.Uri): void {
    if (uri.path !== URI_HANDLER_PATH) {
      this.log.warn(`Ignored a link to the Concur extension with the path ${oneLine(uri.path, 80)}`);
      return;
    }
    const params = new URLSearchParams(uri.query);
    const pending = this.pending;
    if (!pending || !carriesState(params, pending.state)) {
      // Not the sign-in this window is waiting for: nothing of it is read, nothing is sent.
      void this.messages.warn(vscode.l10n.t('A Concur sign-in link came back to VS Code that this window did not start, or that does not match the sign-in it is waiting for. It was ignored.'));
      return;
    }
    this.pending = undefined;
    pending.resolve(params);
  }

  /**
   * Runs the browser step and the code exchange. Resolves with the session, or undefined when the
   * user cancels; Concur's refusals, a timeout and a port in use are thrown for the sign-in flow to show.
   */
  async signIn(request: BrowserSignInRequest): Promise<Session | undefined> {
    // One at a time: the waiting notification, its links and the URI handler serve one sign-in.
    if (this.busy) throw new UserError(vscode.l10n.t('A browser sign-in is already waiting in this window. Finish it in the browser, or cancel its notification, then start again.'));
    this.busy = true;
    const settings = this.settings();
    const mode = BrowserSignIn.chooseMode(settings.mode);
    const state = newState();
    const abort = new AbortController();
    let loopback: LoopbackRedirect | undefined;
    try {
      let redirectUri: string;
      let redirect: Promise<URLSearchParams>;
      if (mode === 'loopback') {
        loopback = await LoopbackRedirect.listen({ port: settings.loopbackPort, path: LOOPBACK_PATH, state, timeoutMs: settings.timeoutMs, signal: abort.signal });
        redirectUri = loopback.redirectUri;
        redirect = loopback.result.then((r) => r.params);
      } else {
        const callback = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}${URI_HANDLER_PATH}`);
        redirectUri = (await vscode.env.asExternalUri(callback)).toString(true);
        redirect = this.waitForUri(state, settings.timeoutMs, abort.signal);
      }
      // Awaited below; a failure before that (the authorize URL, the browser) must not leave it unhandled.
      redirect.catch(() => undefined);
      const url = authorizeUrl({ baseUrl: request.baseUrl, clientId: request.clientId, redirectUri, state, scope: request.scope });
      this.lastAuthorizeUrl = url;
      this.log.info(`Browser sign-in at ${hostOf(url)} for client ${request.clientId}, redirect to ${redirectUri.split('?')[0]} (${mode === 'loopback' ? 'loopback listener' : 'VS Code URI handler'})`);

      // One notification while the browser is out: it closes when the browser comes back, and its
      // links (a progress notification has no buttons of its own) open or copy the link again.
      const params = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Waiting for you to sign in to Concur in your browser ({0})', hostOf(url)), cancellable: true },
        async (progress, token) => {
          const cancelled = token.onCancellationRequested(() => abort.abort());
          await this.setWaiting(true);
          try {
            progress.report({
              message: vscode.l10n.t('No page opened? [Open the link again]({0}) or [copy the link]({1}) into your browser.', `command:${Command.openSignInLink}`, `command:${Command.copySignInLink}`),
            });
            await this.opener(url);
            return await redirect;
          } finally {
            cancelled.dispose();
            await this.setWaiting(false);
          }
        },
      );
      const answer = readAuthorizeRedirect(params, state);
      // The geolocation the redirect named goes through the trust rules before the code is sent there.
      const tokenOrigin = await this.sessions.tokenOriginFor(request.baseUrl, answer.geolocation);
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to Concur at {0}…', hostOf(tokenOrigin)), cancellable: true },
        async (_progress, token) => {
          const sub = token.onCancellationRequested(() => abort.abort());
          try {
            const session = await this.sessions.signIn(
              {
                baseUrl: request.baseUrl,
                clientId: request.clientId,
                clientSecret: request.clientSecret,
                grant: { kind: 'authorizationCode', code: answer.code, redirectUri, scope: request.scope },
                tokenOrigin,
              },
              abort.signal,
            );
            return await this.named(session, abort.signal);
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (error) {
      if (abort.signal.aborted || error instanceof CancelledError) return undefined;
      throw error;
    } finally {
      loopback?.close();
      this.pending = undefined;
      this.busy = false;
    }
  }

  /**
   * The session, labelled with the user's name from Concur's profile when that comes within a few
   * seconds (the browser grant's tokens carry only the user's id); as it was otherwise.
   */
  private async named(session: Session, signal: AbortSignal): Promise<Session> {
    const name = await accountName(this.api(), session, AbortSignal.any([signal, AbortSignal.timeout(NAME_TIMEOUT_MS)]));
    if (!name) return session;
    await this.sessions.relabel(session.id, name);
    return this.sessions.getSession(session.id) ?? session;
  }

  /** "Open the Sign-In Link Again": while a browser sign-in waits. */
  async openLinkAgain(): Promise<void> {
    if (!this.waiting || !this.lastAuthorizeUrl) throw new UserError(vscode.l10n.t('No browser sign-in is waiting. Run "Concur: Sign In with Browser".'));
    await this.opener(this.lastAuthorizeUrl);
  }

  /** "Copy the Sign-In Link": for a browser on another machine, or when none opened. */
  async copyLink(): Promise<void> {
    if (!this.waiting || !this.lastAuthorizeUrl) throw new UserError(vscode.l10n.t('No browser sign-in is waiting. Run "Concur: Sign In with Browser".'));
    await vscode.env.clipboard.writeText(this.lastAuthorizeUrl);
    this.messages.status(vscode.l10n.t('Copied the Concur sign-in link: open it in the browser you sign in with'), 4000);
  }

  private async setWaiting(waiting: boolean): Promise<void> {
    this.waiting = waiting;
    await vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.browserSignInWaiting, waiting);
  }

  private waitForUri(state: string, timeoutMs: number, signal: AbortSignal): Promise<URLSearchParams> {
    return new Promise<URLSearchParams>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new LoopbackTimeoutError(timeoutMs));
      }, timeoutMs);
      const onAbort = (): void => {
        done();
        reject(new CancelledError());
      };
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.pending?.state === state) this.pending = undefined;
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        state,
        resolve: (params) => {
          done();
          resolve(params);
        },
      };
    });
  }

  override dispose(): void {
    this.pending = undefined;
    super.dispose();
  }
}
