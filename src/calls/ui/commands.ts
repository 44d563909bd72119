/** The commands that call Concur: Call API, a catalog endpoint, the profile, a claim's URL, pages, and the request history. */
import * as vscode from 'vscode';
import { accessProblem, endpointById, statusNote, tokenAccess, type Endpoint } from '../../catalog/catalog';
import type { BodyDocuments } from '../../catalog/ui/bodyDocuments';
import type { ApiDefinitions } from '../../catalog/ui/apiDefinitions';
import { endpointOf, type CatalogNode } from '../../catalog/ui/catalogTree';
import { subjectOf } from '../../auth/jwt';
import { Command } from '../../platform/ids';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import { responseOf } from '../../responses/ui/commands';
import type { ResponseDocuments } from '../../responses/ui/responses';
import type { SessionManager } from '../../sessions/sessionManager';
import type { SessionTreeNode } from '../../sessions/ui/sessionsTree';
import { toCurl } from '../curl';
import type { ItemFormat } from '../itemWriters';
import type { HistoryEntry, RequestStore, ResponseRecord } from '../requestStore';
import type { ApiPrompts, CallApiArgs } from './apiPrompts';
import type { ApiSender } from './apiSender';
import { describeEntry, entryLabel } from './historyTree';

export interface CallCommandServices {
  readonly messages: Messages;
  readonly sessions: SessionManager;
  /** Non-secret, once-only notices (globalState). */
  readonly globalState: vscode.Memento;
  readonly requests: RequestStore;
  readonly documents: ResponseDocuments;
  readonly prompts: ApiPrompts;
  readonly sender: ApiSender;
  readonly definitions: ApiDefinitions;
  readonly bodies: BodyDocuments;
}

/** globalState: Open My Profile has said that Profile v1 is deprecated. */
export const PROFILE_V1_NOTICE_KEY = 'concur.profileV1DeprecationShown';

/** A history entry or a response tab, as command arguments name them. */
export type RequestTarget = vscode.Uri | { historyId: number } | HistoryEntry | undefined;

/** The history entry (or response tab) a command is about, and what was sent for it. */
export function requestOf(requests: RequestStore, documents: ResponseDocuments, target: RequestTarget): { entry?: HistoryEntry; record?: ResponseRecord } {
  const id = target && !(target instanceof vscode.Uri) ? ('historyId' in target ? target.historyId : 'request' in target ? target.id : undefined) : undefined;
  if (typeof id === 'number') {
    const entry = requests.entry(id);
    if (!entry) throw new UserError(vscode.l10n.t('That request is no longer in the history.'));
    return { entry, record: entry.responseId !== undefined ? requests.response(entry.responseId) : undefined };
  }
  const record = documents.fromUri(target instanceof vscode.Uri ? target : undefined) ?? documents.active();
  if (!record) throw new UserError(vscode.l10n.t('Pick a request in Request History, or open a Concur response tab first.'));
  return { entry: requests.entryForResponse(record.id), record };
}

export function registerCallCommands(registry: CommandRegistry, services: CallCommandServices): vscode.Disposable[] {
  const { messages, sessions, requests, documents, prompts, sender } = services;
  const entryOf = (target: RequestTarget): { entry?: HistoryEntry; record?: ResponseRecord } => requestOf(requests, documents, target);

  /** Once: Profile v1 is deprecated; where the token can read Identity v4.1, offer the same for the user there. */
  const tellProfileDeprecated = async (): Promise<void> => {
    if (services.globalState.get<boolean>(PROFILE_V1_NOTICE_KEY)) return;
    await services.globalState.update(PROFILE_V1_NOTICE_KEY, true);
    const profile = endpointById('profile.me');
    const successor = profile?.status && profile.status.kind !== 'current' && profile.status.successor ? endpointById(profile.status.successor) : undefined;
    const session = sessions.activeSession;
    if (!profile || !successor || !session || session.state !== 'active') return;
    const access = tokenAccess(session);
    const problem = accessProblem(successor, access);
    // "for Me" reads the token's subject: a user, never a company (whose id names no user).
    const canCall = !problem && access.type !== 'company';
    const call = vscode.l10n.t('Call {0} for Me', successor.product);
    const said = [
      vscode.l10n.t('"Open My Profile" calls {0}.', profile.product),
      statusNote(profile) ?? '',
      problem ? vscode.l10n.t('Your token cannot ({0}), so Open My Profile keeps calling {1}.', problem, profile.product) : vscode.l10n.t('Your token can call it.'),
    ];
    const choice = await messages.info(said.filter(Boolean).join(' '), ...(canCall ? [call] : []));
    const sub = subjectOf(session.accessToken, session.idToken);
    if (choice === call && sub) await vscode.commands.executeCommand(Command.callEndpoint, successor.id, { id: sub });
  };

  return registry.register({
    [Command.openProfile]: async () => {
      const result = await sender.send({ method: 'GET', target: '/profile/v1/me', endpointId: 'profile.me', paging: 'none' });
      void tellProfileDeprecated();
      return result;
    },
    [Command.callApi]: async (args?: CallApiArgs) => {
      const request = await prompts.callRequest(isObject(args) ? args : undefined);
      return request && sender.send(request);
    },
    [Command.callEndpoint]: async (target?: string | Endpoint | CatalogNode, values?: Record<string, string>) => {
      // An API definition's operations are in the catalog once its definitions are read.
      await services.definitions.ensureLoaded();
      const endpoint = target === undefined ? await prompts.pickEndpoint() : endpointOf(target);
      if (!endpoint) {
        if (target !== undefined) throw new UserError(vscode.l10n.t('There is no Concur endpoint "{0}" in the catalog.', String(typeof target === 'string' ? target : '')));
        return undefined;
      }
      const request = await prompts.endpointRequest(endpoint, isObject(values) ? values : undefined);
      if (!request) return undefined;
      // A write with a body opens the body tab; Send there asks before it goes. A built-in entry without
      // a body is one Concur documents no payload for (submitting a report): it is sent as it is, after
      // the same question. An API definition that names no body may still take one: it gets the tab.
      const mayTakeBody = endpoint.source !== undefined && (endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH');
      if (endpoint.body || mayTakeBody) return services.bodies.open(request, endpoint);
      return sender.send(request);
    },
    [Command.callClaimUrl]: async (node?: SessionTreeNode) => {
      if (node?.kind !== 'claim' || typeof node.value !== 'string') throw new UserError(vscode.l10n.t('Pick a claim whose value is a URL to call it.'));
      // With the token of the session the claim belongs to, and only on that session's hosts.
      return sender.send({ method: 'GET', target: node.value, sessionId: node.sessionId, paging: 'none' });
    },
    [Command.loadNextPage]: (uri?: vscode.Uri) => sender.nextPage(responseOf(documents, uri)),
    [Command.fetchAllPages]: (uri?: vscode.Uri) => sender.fetchAll(responseOf(documents, uri)),
    [Command.fetchAllPagesToFile]: async (uri?: unknown, to?: unknown, format?: unknown) => {
      const record = responseOf(documents, uri instanceof vscode.Uri ? uri : undefined);
      // Without the session that fetched it, no format or file is asked for pages that would not come.
      if (record.paging !== 'none') await sender.requireSessionOf(record);
      const formats: { label: string; detail: string; format: ItemFormat; extension: string }[] = [
        { label: 'NDJSON', detail: vscode.l10n.t('One JSON item per line: streams, greps and loads line by line'), format: 'ndjson', extension: 'ndjson' },
        { label: vscode.l10n.t('JSON array'), detail: vscode.l10n.t('One array of every item'), format: 'json', extension: 'json' },
        { label: 'CSV', detail: vscode.l10n.t('One row per item, nested fields as dotted columns (opens in spreadsheets)'), format: 'csv', extension: 'csv' },
      ];
      const chosen = typeof format === 'string' ? formats.find((f) => f.format === format) : await vscode.window.showQuickPick(formats, { placeHolder: vscode.l10n.t('Write every item as…') });
      if (!chosen) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target =
        to instanceof vscode.Uri
          ? to
          : await vscode.window.showSaveDialog({
              title: vscode.l10n.t('Fetch All Pages to File'),
              saveLabel: vscode.l10n.t('Fetch and Write'),
              defaultUri: folder ? vscode.Uri.joinPath(folder, `concur-items.${chosen.extension}`) : undefined,
              filters: { [chosen.label]: [chosen.extension] },
            });
      if (!target) return undefined;
      if (target.scheme !== 'file') throw new UserError(vscode.l10n.t('Fetch All Pages to File writes to a file on this machine; pick a folder on disk.'));
      return sender.fetchAllToFile(record, target, chosen.format);
    },
    [Command.copyAsCurl]: async (target?: RequestTarget, includeToken?: boolean) => {
      const { entry, record } = entryOf(target);
      const sent = record?.result.request ?? entry?.sent;
      const url = record?.result.target ?? entry?.url;
      if (!sent || !url) throw new UserError(vscode.l10n.t('This request was never sent (it failed before it left), so there is nothing to copy.'));
      let include = includeToken;
      if (include === undefined) {
        const placeholder = { label: vscode.l10n.t('$(shield) With $CONCUR_TOKEN'), detail: vscode.l10n.t('Set CONCUR_TOKEN in your shell; the clipboard holds no secret'), include: false };
        const withToken = { label: vscode.l10n.t('$(key) With the access token'), detail: vscode.l10n.t('The clipboard will hold a secret that works until the token expires'), include: true };
        const picked = await vscode.window.showQuickPick([placeholder, withToken], { placeHolder: vscode.l10n.t('Copy as cURL') });
        if (!picked) return undefined;
        include = picked.include;
      }
      // The token of the session that made the request: the URL is on that session's hosts.
      const accessToken = include ? (await sessions.getAccessToken(sent.sessionId)).accessToken : undefined;
      const command = toCurl({ method: sent.method, url, headers: sent.headers, body: sent.body, form: sent.form, baseDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath }, { accessToken });
      await vscode.env.clipboard.writeText(command);
      messages.status(include ? vscode.l10n.t('Copied as cURL, with the access token (a secret)') : vscode.l10n.t('Copied as cURL (with $CONCUR_TOKEN)'), 4000);
      return command;
    },
    [Command.rerunRequest]: async (target?: RequestTarget) => {
      const { entry, record } = entryOf(target);
      const request = record?.request ?? entry?.request;
      if (!request) throw new UserError(vscode.l10n.t('Pick a request in Request History to run it again.'));
      const sessionId = record?.result.sessionId ?? entry?.sent?.sessionId ?? request.sessionId;
      return sender.rerun({ ...request, sessionId }, (record?.result.target ?? entry?.url)?.href);
    },
    [Command.reopenResponse]: async (target?: RequestTarget) => {
      const { entry, record } = entryOf(target);
      if (record) return sender.show(record);
      if (entry) return vscode.commands.executeCommand(Command.rerunRequest, { historyId: entry.id });
      return undefined;
    },
    [Command.showHistory]: async () => {
      if (requests.entries.length === 0) {
        void messages.info(vscode.l10n.t('No Concur requests yet.'));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        requests.entries.map((e) => ({ label: messages.redact(entryLabel(e)), description: describeEntry(e), entry: e })),
        { placeHolder: vscode.l10n.t('Reopen a response (its request runs again when it is no longer kept)') },
      );
      if (picked) await vscode.commands.executeCommand(Command.reopenResponse, { historyId: picked.entry.id });
    },
    [Command.clearHistory]: () => requests.clearHistory(),
  });
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
