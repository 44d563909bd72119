import * as vscode from 'vscode';
import type { Log } from './log';

/** What the commands act on; built by the composition root in extension.ts. */
export interface CommandServices {
  readonly log: Log;
}

/**
 * Every command the extension contributes, registered in one place. The integration suite checks
 * that this set and `contributes.commands` in package.json are the same.
 */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const handlers: Record<string, (...args: never[]) => unknown> = {
    'concur.showLog': () => services.log.show(),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
