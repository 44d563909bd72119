/** The Request History view: the last requests, to reopen, run again or copy as cURL. */
import * as vscode from 'vscode';
import { Command } from '../../platform/ids';
import type { HistoryEntry, RequestStore } from '../requestStore';
import { Disposable } from '../../platform/lifecycle';
import { shortTarget } from './apiSender';
import type { Messages } from '../../platform/ui/messages';
import { statusLine } from '../../responses/ui/responses';
import { spokenDuration, spokenRelative } from '../../platform/ui/spoken';

export function describeEntry(e: HistoryEntry): string {
  const time = new Date(e.at).toLocaleTimeString(vscode.env.language);
  if (e.error) return vscode.l10n.t('failed · {0}', time);
  return [e.status !== undefined ? statusLine(e.status) : undefined, e.durationMs !== undefined ? vscode.l10n.t('{0} ms', Math.round(e.durationMs)) : undefined, time]
    .filter((part): part is string => part !== undefined)
    .join(' · ');
}

/** The entry as a screen reader reads it: "GET /profile/v1/me, 200 OK, 120 milliseconds, 2 minutes ago". */
export function spokenEntry(e: HistoryEntry, label: string, redact: (text: string) => string, now = Date.now()): string {
  const ago = spokenRelative(e.at, now);
  if (e.error) {
    const error = redact(e.error);
    return vscode.l10n.t('{0}, failed: {1}, {2}', label, error.length > 200 ? `${error.slice(0, 199)}…` : error, ago);
  }
  return [label, e.status !== undefined ? statusLine(e.status) : undefined, e.durationMs !== undefined ? spokenDuration(e.durationMs) : undefined, ago]
    .filter((part): part is string => part !== undefined)
    .join(', ');
}

/** What the entry asked for, as a line: "GET /profile/v1/me". */
export function entryLabel(e: HistoryEntry): string {
  return `${e.request.method} ${e.url ? e.url.pathAndQuery : shortTarget(e.request.target)}`;
}

export class HistoryTreeProvider extends Disposable implements vscode.TreeDataProvider<HistoryEntry> {
  private readonly emitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly store: RequestStore,
    private readonly messages: Messages,
  ) {
    super();
    this._register(store.onDidChangeHistory(() => this.emitter.fire()));
    // The accessibility labels say how long ago each request ran ("2 minutes ago"): redrawn once a minute while there are any.
    const timer = setInterval(() => {
      if (this.store.entries.length) this.emitter.fire();
    }, 60_000);
    timer.unref?.();
    this._register({ dispose: () => clearInterval(timer) });
  }

  getChildren(entry?: HistoryEntry): HistoryEntry[] {
    return entry ? [] : [...this.store.entries];
  }

  getTreeItem(entry: HistoryEntry): vscode.TreeItem {
    const label = this.messages.redact(entryLabel(entry));
    const item = new vscode.TreeItem(label);
    item.id = `history/${entry.id}`;
    item.description = describeEntry(entry);
    const failed = entry.error !== undefined || (entry.status ?? 0) >= 400;
    item.iconPath = new vscode.ThemeIcon(failed ? 'error' : 'pass', new vscode.ThemeColor(failed ? 'problemsErrorIcon.foreground' : 'testing.iconPassed'));
    item.tooltip = this.messages.redact(entry.error ?? `${entry.request.method} ${entry.url?.href ?? entry.request.target}`);
    item.accessibilityInformation = { label: spokenEntry(entry, label, (text) => this.messages.redact(text)) };
    item.contextValue = 'history.entry';
    item.command = { title: vscode.l10n.t('Reopen Response'), command: Command.reopenResponse, arguments: [{ historyId: entry.id }] };
    return item;
  }
}
