/** The Request History view: the last requests, to reopen, run again or copy as cURL. */
import * as vscode from 'vscode';
import { describeEntry, type ApiExplorer, type HistoryEntry } from './apiExplorer';

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly explorer: ApiExplorer) {
    this.subscription = explorer.onDidChangeHistory(() => this.emitter.fire());
  }

  getChildren(entry?: HistoryEntry): HistoryEntry[] {
    return entry ? [] : [...this.explorer.entries];
  }

  getTreeItem(entry: HistoryEntry): vscode.TreeItem {
    let path = entry.request.url;
    try {
      const url = new URL(entry.request.url);
      path = url.pathname + url.search;
    } catch {
      // A target that never became a URL (the request failed before it was sent).
    }
    const item = new vscode.TreeItem(`${entry.request.method} ${path}`);
    item.id = `history/${entry.id}`;
    item.description = describeEntry(entry);
    const failed = entry.error !== undefined || (entry.status ?? 0) >= 400;
    item.iconPath = new vscode.ThemeIcon(failed ? 'error' : 'pass', new vscode.ThemeColor(failed ? 'problemsErrorIcon.foreground' : 'testing.iconPassed'));
    item.tooltip = entry.error ?? `${entry.request.method} ${entry.request.url}`;
    item.contextValue = 'history.entry';
    item.command = { title: 'Reopen Response', command: 'concur.reopenResponse', arguments: [{ historyId: entry.id }] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
