/**
 * Where every feature registers its commands (each feature's `ui/commands.ts`). Each handler runs
 * behind the one error path (commandErrors.ts), its failures named by the command's title from the
 * manifest. The registry refuses a command registered twice; the integration suite checks that what
 * was registered and `contributes.commands` in package.json are the same set.
 */
import * as vscode from 'vscode';
import type { CommandId } from '../ids';
import { guarded, type ErrorReporting } from './commandErrors';

/** A command's handler: its arguments come from menus, keybindings, links and other commands. */
export type CommandHandler = (...args: never[]) => unknown;

/** Some of the extension's commands, by id. */
export type CommandHandlers = Partial<Record<CommandId, CommandHandler>>;

export class CommandRegistry {
  private readonly ids = new Set<string>();

  /** `titles`: each command's "Category: Title" from the manifest, for "… failed" messages. */
  constructor(
    private readonly titles: ReadonlyMap<string, string>,
    private readonly reporting: ErrorReporting,
  ) {}

  /** Registers a feature's commands; the disposables unregister them. */
  register(handlers: CommandHandlers): vscode.Disposable[] {
    return Object.entries(handlers).map(([id, handler]) => {
      if (this.ids.has(id)) throw new Error(`The command ${id} is registered twice`);
      this.ids.add(id);
      return vscode.commands.registerCommand(id, guarded(this.titles.get(id) ?? id, handler as (...args: unknown[]) => unknown, this.reporting));
    });
  }

  /** The ids registered so far. */
  get registered(): ReadonlySet<string> {
    return this.ids;
  }
}

/** The manifest's command titles, as "Category: Title". */
export function commandTitles(packageJSON: unknown): Map<string, string> {
  const commands = (packageJSON as { contributes?: { commands?: { command: string; title: string; category?: string }[] } }).contributes?.commands ?? [];
  return new Map(commands.map((c) => [c.command, c.category ? `${c.category}: ${c.title}` : c.title]));
}
