/** The commands of the platform itself: the log. */
import type { CommandRegistry } from './commandRegistry';
import { Command } from '../ids';
import type { Log } from './log';

export function registerPlatformCommands(registry: CommandRegistry, { log }: { readonly log: Log }): { dispose(): unknown }[] {
  return registry.register({
    [Command.showLog]: () => log.show(),
  });
}
