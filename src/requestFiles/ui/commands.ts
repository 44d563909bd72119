/** The request-file commands: send one or all, copy as cURL, run the tests, pick an environment, write requests down. */
import * as vscode from 'vscode';
import type { ApiDefinitions } from '../../catalog/ui/apiDefinitions';
import { endpointOf, type CatalogNode } from '../../catalog/ui/catalogTree';
import type { Endpoint } from '../../catalog/catalog';
import { formToHttpText } from '../../calls/formBody';
import type { HistoryEntry, RequestStore, WrittenRequest } from '../../calls/requestStore';
import { requestOf, type RequestTarget } from '../../calls/ui/commands';
import { describeEntry, entryLabel } from '../../calls/ui/historyTree';
import { bodyText } from '../../platform/bodyText';
import { Command } from '../../platform/ids';
import type { CheckedUrl } from '../../platform/resolver';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import type { ResponseDocuments } from '../../responses/ui/responses';
import { endpointToRequestFile } from '../fromEndpoint';
import { requestsToFile } from '../write';
import type { RequestEnvironments } from './requestEnvironments';
import type { RequestFiles } from './requestFiles';
import type { RequestFileTests } from './requestTests';

export interface RequestFileCommandServices {
  readonly messages: Messages;
  readonly requests: RequestStore;
  readonly documents: ResponseDocuments;
  readonly definitions: ApiDefinitions;
  readonly requestFiles: RequestFiles;
  readonly requestEnvironments: RequestEnvironments;
  readonly requestTests: RequestFileTests;
}

export function registerRequestFileCommands(registry: CommandRegistry, services: RequestFileCommandServices): vscode.Disposable[] {
  const { messages, requests, documents } = services;
  const entryOf = (target: RequestTarget): ReturnType<typeof requestOf> => requestOf(requests, documents, target);
  return registry.register({
    [Command.sendRequestFromFile]: (uri?: unknown, index?: unknown) => services.requestFiles.sendFromFile(uri instanceof vscode.Uri ? uri : undefined, typeof index === 'number' ? index : undefined),
    [Command.sendAllRequests]: (uri?: unknown) => services.requestFiles.sendAll(uri instanceof vscode.Uri ? uri : undefined),
    [Command.copyRequestAsCurl]: (uri?: unknown, index?: unknown) => services.requestFiles.copyAsCurl(uri instanceof vscode.Uri ? uri : undefined, typeof index === 'number' ? index : undefined),
    [Command.runRequestFileTests]: async (uri?: unknown, index?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) throw new UserError(vscode.l10n.t('Open a request file with # @expect lines first.'));
      await services.requestTests.runFile(target, typeof index === 'number' ? index : undefined);
    },
    [Command.selectRequestEnvironment]: (name?: unknown) => services.requestEnvironments.pick(name),
    [Command.openAsRequestFile]: async (target?: unknown) => {
      // A catalog entry (node or id), else a history entry or response tab.
      await services.definitions.ensureLoaded();
      const endpoint = typeof target === 'string' || (isObject(target) && ('kind' in target || 'id' in target)) ? endpointOf(target as string | Endpoint | CatalogNode) : undefined;
      let content: string;
      if (endpoint) content = endpointToRequestFile(endpoint);
      else {
        const { entry, record } = entryOf(target as RequestTarget);
        const sent = record?.result.request ?? entry?.sent;
        const url = record?.result.target ?? entry?.url;
        if (!sent || !url) throw new UserError(vscode.l10n.t('This request was never sent, so there is nothing to write down.'));
        content = requestsToFile([historyRequest(sent, url, record?.request.asWritten ?? entry?.request.asWritten)]);
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'http', content });
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc.uri;
    },
    [Command.saveRequestsToFile]: async (ids?: unknown, to?: unknown) => {
      const sentEntries = requests.entries.filter((e) => e.sent && e.url);
      if (sentEntries.length === 0) throw new UserError(vscode.l10n.t('No request has been sent in this window yet: there is nothing to save.'));
      let chosen = Array.isArray(ids) ? sentEntries.filter((e) => (ids as unknown[]).includes(e.id)) : undefined;
      if (!chosen) {
        const picked = await vscode.window.showQuickPick(
          sentEntries.map((e) => ({ label: messages.redact(entryLabel(e)), description: describeEntry(e), entry: e, picked: true })),
          { canPickMany: true, placeHolder: vscode.l10n.t('Which requests go into the file? (The session is used by reference: no token is written.)') },
        );
        if (!picked?.length) return undefined;
        chosen = picked.map((p) => p.entry);
      }
      const content = requestsToFile([...chosen].reverse().map((e) => historyRequest(e.sent as NonNullable<HistoryEntry['sent']>, e.url as NonNullable<HistoryEntry['url']>, e.request.asWritten)));
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = to instanceof vscode.Uri ? to : await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Save Requests to File'),
        saveLabel: vscode.l10n.t('Save Requests'),
        defaultUri: folder ? vscode.Uri.joinPath(folder, 'concur-requests.http') : undefined,
        filters: { [vscode.l10n.t('Request files')]: ['http', 'rest'] },
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
      return target;
    },
  });
}

/** A sent request as the request-file writer takes it: the path when it went to the geolocation, the URL otherwise. */
function historyRequest(sent: NonNullable<HistoryEntry['sent']>, url: CheckedUrl, asWritten?: WrittenRequest): { method: string; target: string; headers: Readonly<Record<string, string>>; body?: string; comment?: string } {
  // Sent from a request file: as that file wrote it, with {{$processEnv …}}, {{$dotenv …}} and the
  // environment's variables as references, never the values they stood for.
  if (asWritten) return { method: sent.method, target: asWritten.target, headers: asWritten.headers, ...(asWritten.body === undefined ? {} : { body: asWritten.body }) };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent.headers)) if (name !== 'accept' && name !== 'concur-correlationid') headers[name] = value;
  if (sent.form) {
    // A form is written as the tools write one: parts, with each file named by its path.
    const { contentType, body } = formToHttpText(sent.form, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    return { method: sent.method, target: url.pathAndQuery, headers: { ...headers, 'content-type': contentType }, body };
  }
  const body = sent.body === undefined ? undefined : bodyText(sent.body);
  // A file's binary content (a multipart upload) cannot be request-file text: said, not written.
  if (sent.body !== undefined && body === undefined) return { method: sent.method, target: url.pathAndQuery, headers, comment: vscode.l10n.t('The body ({0} bytes) held a file\'s binary content and is not written here.', sent.body.length) };
  return { method: sent.method, target: url.pathAndQuery, headers, body };
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
