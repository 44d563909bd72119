import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Log } from './log';

/**
 * The composition root: builds the services in dependency order and hands every disposable to
 * VS Code. Nothing here talks to the network; the HTTP stack loads on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  context.subscriptions.push(log);

  // The views exist from the start so that their welcome content shows while they are empty.
  for (const viewId of ['concur.sessions', 'concur.catalog']) {
    context.subscriptions.push(vscode.window.createTreeView(viewId, { treeDataProvider: new EmptyTree() }));
  }

  context.subscriptions.push(...registerCommands({ log }));
  log.info(`Concur API Explorer ${String(context.extension.packageJSON.version)} activated in ${vscode.env.appName} ${vscode.version}`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

class EmptyTree implements vscode.TreeDataProvider<never> {
  getChildren(): never[] {
    return [];
  }

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
}
