/**
 * The status bar countdown until the active session's access token expires: warning colours under
 * five minutes, "expired" after, a spinning icon while refreshing; a click offers the session's
 * actions. Signed out, it is a quiet "Concur: Sign In" (or nothing, per setting).
 */
import * as vscode from 'vscode';
import { formatCountdown, formatDateTime, formatRelative } from '../concur/claims';
import { describeOrigin } from '../concur/datacenters';
import { Command } from '../ids';
import type { SessionManager } from '../session/sessionManager';
import { Disposable } from '../util/lifecycle';
import type { Ticker } from './ticker';

export const STATUS_BAR_ICON = '$(concur-logo)';

export class ExpiryStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('concur.expiry', vscode.StatusBarAlignment.Left, 90));
  private shown = false;

  constructor(
    private readonly sessions: SessionManager,
    ticker: Ticker,
    private readonly showWhenSignedOut: () => boolean,
  ) {
    super();
    this.item.name = 'Concur Access Token';
    this._register(ticker.onDidTick(() => this.update()));
    this._register(sessions.onDidChangeSessions(() => this.update()));
    this._register(sessions.onDidChangeRefreshing(() => this.update()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('concur.statusBar')) this.update();
      }),
    );
    this.update();
  }

  update(now = Date.now()): void {
    const session = this.sessions.activeSession;
    if (!session || session.state !== 'active') {
      if (!this.showWhenSignedOut()) {
        this.item.hide();
        this.shown = false;
        return;
      }
      this.item.text = `${STATUS_BAR_ICON} Concur: Sign In`;
      this.item.tooltip = session ? `The Concur session for ${session.label} has ended. Sign in again.` : 'Sign in to Concur';
      this.item.command = { title: 'Sign In', command: Command.signIn, arguments: [] };
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: 'Concur: sign in' };
      this.item.show();
      this.shown = true;
      return;
    }
    const refreshing = this.sessions.isRefreshing(session.id);
    const { text, level } = formatCountdown(session.expiresAt - now);
    this.item.text = `${refreshing ? '$(sync~spin)' : STATUS_BAR_ICON} ${text}`;
    this.item.backgroundColor =
      level === 'expired' ? new vscode.ThemeColor('statusBarItem.errorBackground') : level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { title: 'Concur Session Actions', command: Command.showSessionActions };
    this.item.accessibilityInformation = {
      label: level === 'expired' ? `Concur access token of ${session.label} expired` : `Concur access token of ${session.label} expires in ${text}`,
    };
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escape(session.label)}** — ${refreshing ? 'refreshing…' : level === 'expired' ? 'access token expired' : 'signed in'}\n\n`);
    tooltip.appendMarkdown(`Datacenter: ${escape(describeOrigin(session.geolocation))} (\`${session.geolocation}\`)\n\n`);
    tooltip.appendMarkdown(`Access token expires: ${formatDateTime(session.expiresAt)} (${formatRelative(session.expiresAt, now)})\n\n`);
    tooltip.appendMarkdown(
      session.refreshExpiresAt
        ? `Refresh token expires: ${formatDateTime(session.refreshExpiresAt)} (${formatRelative(session.refreshExpiresAt, now)}; each refresh moves it forward)\n\n`
        : 'No refresh token: a new token is requested with the client credentials\n\n',
    );
    tooltip.appendMarkdown(`Last refresh: ${session.lastRefreshAt ? `${formatDateTime(session.lastRefreshAt)} (${formatRelative(session.lastRefreshAt, now)})` : 'none since sign-in'}\n\n`);
    tooltip.appendMarkdown('Click for session actions');
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = true;
  }

  /** For tests: what the item shows now. */
  get state(): { text: string; visible: boolean; background?: string } {
    return { text: this.item.text, visible: this.shown, background: (this.item.backgroundColor as vscode.ThemeColor | undefined)?.id };
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
