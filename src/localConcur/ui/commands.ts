/** The local Concur server's commands: start, stop, its tab, one-step sign-in, connection settings, scenarios. */
import * as vscode from 'vscode';
import type { SignInFlow } from '../../auth/ui/signIn';
import { Command } from '../../platform/ids';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import type { ScenarioId } from '../scenarios';
import { loadLocalConcur, LocalServer } from './localServer';

export interface LocalServerCommandServices {
  readonly messages: Messages;
  readonly localServer: LocalServer;
  readonly signIn: SignInFlow;
}

interface ScenarioItem extends vscode.QuickPickItem {
  readonly id: ScenarioId;
}

export function registerLocalServerCommands(registry: CommandRegistry, services: LocalServerCommandServices): vscode.Disposable[] {
  const { messages, localServer } = services;
  const start = (): Thenable<void> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the local Concur server…') }, async () => {
      await localServer.start();
    });
  const running = () => {
    const server = localServer.running;
    if (!server) throw new UserError(vscode.l10n.t('The local Concur server is not running. Start it with "Concur: Start Local Concur Server".'));
    return server;
  };
  const showTab = async (): Promise<void> => {
    const document = await vscode.workspace.openTextDocument(LocalServer.uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: false });
  };
  return registry.register({
    [Command.startLocalServer]: async () => {
      const wasRunning = localServer.running !== undefined;
      await start();
      const server = running();
      await showTab();
      if (!wasRunning) {
        const signIn = vscode.l10n.t('Sign In');
        const copy = vscode.l10n.t('Copy Connection Settings');
        void messages.info(vscode.l10n.t('The local Concur server runs at {0}, on this machine only.', server.url), signIn, copy).then((choice) => {
          if (choice === signIn) void vscode.commands.executeCommand(Command.signInToLocalServer);
          if (choice === copy) void vscode.commands.executeCommand(Command.copyLocalServerConnection);
        });
      }
      return server.url;
    },
    [Command.stopLocalServer]: async () => {
      if (await localServer.stop()) void messages.info(vscode.l10n.t('The local Concur server stopped. Sessions signed in to it end with it.'));
    },
    [Command.showLocalServer]: async () => {
      if (!localServer.running) {
        const startIt = vscode.l10n.t('Start');
        if ((await messages.info(vscode.l10n.t('The local Concur server is not running.'), startIt)) !== startIt) return;
        await start();
      }
      await showTab();
    },
    [Command.signInToLocalServer]: async () => {
      if (!localServer.running) await start();
      const demo = running().demo;
      // The demo app and user, at the landing datacenter: Concur's code 16 sends the sign-in on to the
      // users' home datacenter, as it would at Concur. The session's tokens go to SecretStorage only.
      const session = await services.signIn.run({
        baseUrl: running().url,
        grant: 'password',
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        username: demo.username,
        password: demo.password,
      });
      return session?.id;
    },
    [Command.copyLocalServerConnection]: async () => {
      await vscode.env.clipboard.writeText(localServer.connectionSettings());
      messages.status(vscode.l10n.t('$(check) Copied the local Concur server\'s connection settings (base URL, client id and secret, a user)'), 4000);
    },
    [Command.chooseLocalServerScenarios]: async (wanted?: unknown) => {
      const server = running();
      const m = loadLocalConcur();
      const active = new Set(m.activeScenarios(server));
      let chosen: ScenarioId[] | undefined;
      if (Array.isArray(wanted)) {
        // From a test or a link: the scenarios to have on (the `once` ones happen now).
        chosen = wanted.filter((id): id is ScenarioId => (m.SCENARIO_IDS as readonly string[]).includes(String(id)));
      } else {
        const items: ScenarioItem[] = m.scenarioChoices(server);
        const picked = await vscode.window.showQuickPick(items, {
          title: vscode.l10n.t('Local Concur Server: Scenarios'),
          placeHolder: vscode.l10n.t('Check the faults your code should meet from the next call on; uncheck to switch them off'),
          canPickMany: true,
          ignoreFocusOut: true,
        });
        if (!picked) return undefined;
        chosen = picked.map((i) => i.id);
      }
      const on = new Set(chosen);
      for (const { id } of m.SCENARIOS) {
        if (on.has(id) !== active.has(id) || (on.has(id) && (id === 'expiredToken' || id === 'refreshRevoked'))) m.switchScenario(server, id, on.has(id));
      }
      localServer.changed();
      const now = m.activeScenarios(server);
      messages.status(on.size ? vscode.l10n.t('$(beaker) Local Concur server scenarios: {0}', [...on].map(m.scenarioLabel).join(', ')) : vscode.l10n.t('$(beaker) No local Concur server scenario is on'), 5000);
      return now;
    },
  });
}
