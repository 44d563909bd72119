/** The Request History view: the last requests, to reopen, run again or copy as cURL. */
import * as vscode from 'vscode';
import { Command } from '../ids';
import type { HistoryEntry, RequestStore } from '../requests/requestStore';
import { Disposable } from '../util/lifecycle';
import { shortTarget } from './apiSender';
import type { Messages } from './messages';
import { statusLine } from './responses';

export function describeEntry(e: HistoryEntry): string {
  const time = new Date(e.at).toLocaleTimeString();
  if (e.error) return `failed · ${time}`;
  return `${e.status !== undefined ? statusLine(e.status) : ''}${e.durationMs !== undefined ? ` · ${Math.round(e.durationMs)} ms` : ''} · ${time}`;
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
    item.accessibilityInformation = { label: `${label}, ${failed ? 'failed' : 'succeeded'}, ${describeEntry(entry)}` };
    item.contextValue = 'history.entry';
    item.command = { title: 'Reopen Response', command: Command.reopenResponse, arguments: [{ historyId: entry.id }] };
    return item;
  }
}
