/** The catalog's commands: filter and find, API definitions (add, published, remove, reload), body tabs, docs. */
import * as vscode from 'vscode';
import type { Endpoint } from '../catalog';
import { BuiltinCommand, Command } from '../../platform/ids';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import type { Messages } from '../../platform/ui/messages';
import type { ApiDefinitions } from './apiDefinitions';
import type { BodyDocuments } from './bodyDocuments';
import { endpointOf, type CatalogNode, type CatalogTreeProvider } from './catalogTree';

export interface CatalogCommandServices {
  readonly messages: Messages;
  readonly catalog: CatalogTreeProvider;
  readonly catalogView: vscode.TreeView<CatalogNode>;
  readonly definitions: ApiDefinitions;
  readonly bodies: BodyDocuments;
  /** Asks for an endpoint in a quick pick (the API prompts'). */
  readonly pickEndpoint: (placeholder?: string) => Promise<Endpoint | undefined>;
}

export function registerCatalogCommands(registry: CommandRegistry, services: CatalogCommandServices): vscode.Disposable[] {
  const { messages } = services;
  return registry.register({
    [Command.filterCatalog]: async (text?: unknown) => {
      const filter =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Filter the API Catalog'),
              value: services.catalog.filter,
              prompt: vscode.l10n.t('Words that must all appear in the method, path, title, product or scope (such as "users scim" or "receipts.read"); empty shows everything'),
            });
      if (filter === undefined) return;
      await services.catalog.setFilter(filter);
      const shown = services.catalog.shownCount;
      const words = services.catalog.filter ? messages.redact(services.catalog.filter) : undefined;
      services.catalogView.message =
        words === undefined ? undefined : shown === 1 ? vscode.l10n.t('1 endpoint matching "{0}"', words) : vscode.l10n.t('{0} endpoints matching "{1}"', shown, words);
      await vscode.commands.executeCommand(BuiltinCommand.focusCatalog);
    },
    [Command.clearCatalogFilter]: async () => {
      await services.catalog.setFilter('');
      services.catalogView.message = undefined;
    },
    [Command.findEndpoint]: async () => {
      await services.definitions.ensureLoaded();
      const endpoint = await services.pickEndpoint(vscode.l10n.t('Find a Concur endpoint by method, path, title, product or scope'));
      if (!endpoint) return undefined;
      if (services.catalog.filter && !services.catalog.getParent({ kind: 'endpoint', endpoint })) await vscode.commands.executeCommand(Command.clearCatalogFilter);
      await vscode.commands.executeCommand(BuiltinCommand.focusCatalog);
      const node = services.catalog.nodeOf(endpoint.id);
      if (node) await services.catalogView.reveal(node, { select: true, focus: true });
      return endpoint.id;
    },
    [Command.sendBody]: (uri?: vscode.Uri) => services.bodies.sendBody(uri instanceof vscode.Uri ? uri : undefined),
    [Command.chooseFormFile]: (uri?: unknown, field?: unknown, picked?: unknown) =>
      services.bodies.chooseFile(uri instanceof vscode.Uri ? uri : undefined, typeof field === 'string' ? field : undefined, picked instanceof vscode.Uri ? picked : undefined),
    [Command.addPublishedDefinitions]: async (families?: unknown) => {
      const outcome = await services.definitions.addPublished(Array.isArray(families) ? families.filter((f): f is string => typeof f === 'string') : undefined);
      if (outcome?.added.length) await vscode.commands.executeCommand(BuiltinCommand.focusCatalog);
      return outcome;
    },
    [Command.addApiDefinition]: async (location?: unknown) => {
      const added = await services.definitions.add(typeof location === 'string' ? location : undefined);
      if (!added) return undefined;
      await vscode.commands.executeCommand(BuiltinCommand.focusCatalog);
      const node = services.catalog.productNode(added.id);
      if (node) await services.catalogView.reveal(node, { select: true, focus: true, expand: true });
      return added.id;
    },
    [Command.removeApiDefinition]: async (target?: unknown) => {
      // From the palette (asked), a command argument, or a product or problem entry in the catalog.
      const node = target as Partial<{ location: unknown; problem: { location?: unknown } }> | undefined;
      const given = typeof target === 'string' ? target : typeof node?.location === 'string' ? node.location : node?.problem?.location;
      const location = typeof given === 'string' ? given : await pickDefinition(services);
      if (location) await services.definitions.remove(location);
    },
    [Command.reloadApiDefinitions]: async () => {
      // With nothing configured there is nothing to reload: say so, rather than do nothing visible.
      if (services.definitions.configured().length === 0) {
        void messages.info(vscode.l10n.t('No API definitions are configured. Add one with "Concur: Add API Definition…".'));
        return;
      }
      await services.definitions.reload();
    },
    [Command.openEndpointDocs]: async (target?: string | Endpoint | CatalogNode) => {
      const docs = endpointOf(target)?.docs;
      if (docs) await vscode.env.openExternal(vscode.Uri.parse(docs));
    },
  });
}

/** Which configured API definition to remove, picked by the user. */
async function pickDefinition(services: CatalogCommandServices): Promise<string | undefined> {
  const locations = services.definitions.configured();
  if (locations.length === 0) {
    void services.messages.info(vscode.l10n.t('No API definitions are configured. Add one with "Concur: Add API Definition…".'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    locations.map((location) => ({ label: location, description: services.definitions.definitions.find((d) => d.location === location)?.product ?? '' })),
    { placeHolder: vscode.l10n.t('Remove which API definition from the catalog?') },
  );
  return picked?.label;
}
