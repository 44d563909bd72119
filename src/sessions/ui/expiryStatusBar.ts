/**
 * The status bar countdown until the active session's access token expires: warning colours under
 * five minutes, "expired" after, a spinning icon while refreshing; a click offers the session's
 * actions. Signed out, it is a quiet "Concur: Sign In" (or nothing, per setting).
 *
 * The visible countdown changes every second, but what screen readers read (the item's
 * accessibility label) changes only when its sentence does — once a minute at most.
 */
import * as vscode from 'vscode';
import { formatCountdown, formatDateTime, formatRelative } from '../../auth/claims';
import { describeOrigin } from '../../auth/datacenters';
import { Command } from '../../platform/ids';
import type { SessionManager } from '../sessionManager';
import { Disposable } from '../../platform/lifecycle';
import { expiryAnnouncement } from '../expiryAnnouncement';
import type { Ticker } from './ticker';

export const STATUS_BAR_ICON = '$(concur-logo)';

export class ExpiryStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('concur.expiry', vscode.StatusBarAlignment.Left, 90));
  private shown = false;
  /** The accessibility label last given to the item: it is set again only when it changes. */
  private spoken: string | undefined;
  /** How often the accessibility label was set (tests check that it does not follow the seconds). */
  private labelChanges = 0;

  constructor(
    private readonly sessions: SessionManager,
    ticker: Ticker,
    private readonly showWhenSignedOut: () => boolean,
  ) {
    super();
    this.item.name = vscode.l10n.t('Concur Access Token');
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
      this.item.text = `${STATUS_BAR_ICON} ${vscode.l10n.t('Concur: Sign In')}`;
      this.item.tooltip = session ? vscode.l10n.t('The Concur session for {0} has ended. Sign in again.', session.label) : vscode.l10n.t('Sign in to Concur');
      this.item.command = { title: vscode.l10n.t('Sign In'), command: Command.signIn, arguments: [] };
      this.item.backgroundColor = undefined;
      this.speak(vscode.l10n.t('Concur: sign in'));
      this.item.show();
      this.shown = true;
      return;
    }
    const refreshing = this.sessions.isRefreshing(session.id);
    const msLeft = session.expiresAt - now;
    const { text, level } = formatCountdown(msLeft);
    this.item.text = `${refreshing ? '$(sync~spin)' : STATUS_BAR_ICON} ${text}`;
    this.item.backgroundColor =
      level === 'expired' ? new vscode.ThemeColor('statusBarItem.errorBackground') : level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { title: vscode.l10n.t('Concur Session Actions'), command: Command.showSessionActions };
    // The countdown rounds its seconds up and reads "expired" exactly when the token is: the sentence follows it.
    this.speak(expiryAnnouncement(level === 'expired' ? 0 : msLeft));
    const tooltip = new vscode.MarkdownString(undefined, true);
    const state = refreshing ? vscode.l10n.t('refreshing…') : level === 'expired' ? vscode.l10n.t('access token expired') : vscode.l10n.t('signed in');
    tooltip.appendMarkdown(`**${escape(session.label)}** — ${escape(state)}\n\n`);
    tooltip.appendMarkdown(`${escape(vscode.l10n.t('Datacenter: {0}', describeOrigin(session.geolocation)))} (\`${session.geolocation}\`)\n\n`);
    tooltip.appendMarkdown(`${escape(vscode.l10n.t('Access token expires: {0} ({1})', formatDateTime(session.expiresAt), formatRelative(session.expiresAt, now)))}\n\n`);
    tooltip.appendMarkdown(
      `${escape(
        session.refreshExpiresAt
          ? vscode.l10n.t('Refresh token expires: {0} ({1}; each refresh moves it forward)', formatDateTime(session.refreshExpiresAt), formatRelative(session.refreshExpiresAt, now))
          : vscode.l10n.t('No refresh token: a new token is requested with the client credentials'),
      )}\n\n`,
    );
    tooltip.appendMarkdown(
      `${escape(
        session.lastRefreshAt
          ? vscode.l10n.t('Last refresh: {0} ({1})', formatDateTime(session.lastRefreshAt), formatRelative(session.lastRefreshAt, now))
          : vscode.l10n.t('Last refresh: none since sign-in'),
      )}\n\n`,
    );
    tooltip.appendMarkdown(escape(vscode.l10n.t('Click for session actions')));
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = true;
  }

  /** Sets the accessibility label only when the sentence changed, so that the ticks are not read out. */
  private speak(label: string): void {
    if (label === this.spoken) return;
    this.spoken = label;
    this.labelChanges++;
    this.item.accessibilityInformation = { label, role: 'button' };
  }

  /** For tests: what the item shows now, and what a screen reader reads for it. */
  get state(): { text: string; visible: boolean; background?: string; accessibilityLabel?: string; labelChanges: number } {
    return { text: this.item.text, visible: this.shown, background: (this.item.backgroundColor as vscode.ThemeColor | undefined)?.id, accessibilityLabel: this.item.accessibilityInformation?.label, labelChanges: this.labelChanges };
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
