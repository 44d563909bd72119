/**
 * Every command the extension contributes, registered in one place, each a thin handler over the
 * services, and each behind the one error path (ui/commandErrors.ts). The integration suite checks
 * that this set and `contributes.commands` in package.json are the same.
 */
import * as vscode from 'vscode';
import { accessProblem, endpointById, statusNote, tokenAccess, type Endpoint } from './concur/catalog';
import { subjectOf } from './concur/jwt';
import { claimValueToCopy, isUrl } from './concur/claims';
import { toCurl } from './concur/curl';
import { formToHttpText } from './concur/formBody';
import { isCancellation } from './concur/errors';
import { FilterExpressionError, filterJsonFileOffThread } from './concur/filterWorker';
import { BuiltinCommand, Command, type CommandId } from './ids';
import type { Log } from './log';
import { isJsonBody, loadResponseJson, type HistoryEntry, type KeptBody, type RequestStore, type ResponseRecord } from './requests/requestStore';
import type { SessionManager } from './session/sessionManager';
import type { Session } from './session/types';
import { loadOpenApi, type ApiDefinitions } from './ui/apiDefinitions';
import type { ApiPrompts, CallApiArgs } from './ui/apiPrompts';
import type { BodyDocuments } from './ui/bodyDocuments';
import type { RequestFiles } from './ui/requestFiles';
import type { RequestFileTests } from './ui/requestTests';
import { endpointToRequestFile } from './concur/requestFileText';
import { requestsToFile } from './requestFiles/write';
import type { CheckedUrl } from './concur/resolver';
import type { ItemFormat } from './requests/itemWriters';
import type { ApiSender } from './ui/apiSender';
import type { CatalogNode, CatalogTreeProvider } from './ui/catalogTree';
import { guarded, UserError, type ErrorReporting } from './ui/commandErrors';
import { describeEntry, entryLabel } from './ui/historyTree';
import type { Messages } from './ui/messages';
import { formatBytes, type ResponseDocuments } from './ui/responses';
import { signInArgsFor } from './ui/sessionNotifications';
import { grantLabel, type SessionsTreeProvider, type SessionTreeNode } from './ui/sessionsTree';
import type { SignInArgs, SignInFlow } from './ui/signIn';
import type { SignOutFlow } from './ui/signOut';
import type { BrowserSignIn } from './ui/browserSignIn';
import { DecodedTokenDocuments } from './ui/tokenDocument';

/** What the commands act on; built by the composition root in extension.ts. */
export interface CommandServices {
  readonly log: Log;
  readonly messages: Messages;
  readonly sessions: SessionManager;
  readonly signIn: SignInFlow;
  readonly signOut: SignOutFlow;
  readonly browserSignIn: BrowserSignIn;
  readonly catalog: CatalogTreeProvider;
  readonly catalogView: vscode.TreeView<CatalogNode>;
  /** Non-secret, once-only notices (globalState). */
  readonly globalState: vscode.Memento;
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<SessionTreeNode>;
  readonly tokenDocuments: DecodedTokenDocuments;
  readonly requests: RequestStore;
  readonly documents: ResponseDocuments;
  readonly prompts: ApiPrompts;
  readonly sender: ApiSender;
  readonly definitions: ApiDefinitions;
  readonly requestFiles: RequestFiles;
  readonly requestTests: RequestFileTests;
  readonly bodies: BodyDocuments;
  /** Command titles from the manifest, for "… failed" messages. */
  readonly titles: ReadonlyMap<string, string>;
  readonly reporting: ErrorReporting;
}

/** globalState: Open My Profile has said that Profile v1 is deprecated. */
export const PROFILE_V1_NOTICE_KEY = 'concur.profileV1DeprecationShown';

/** A history entry or a response tab, as command arguments name them. */
type RequestTarget = vscode.Uri | { historyId: number } | HistoryEntry | undefined;

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { log, messages, sessions, requests, documents, prompts, sender, reporting } = services;

  const makeActive = async (target?: unknown): Promise<void> => {
    const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Make which Concur session active?'), false, true);
    if (session) await sessions.setActive(session.id);
  };

  /** The response a command is about: the tab it was run from, or the active one. */
  const responseOf = (uri?: vscode.Uri): ResponseRecord => {
    const record = documents.fromUri(uri) ?? documents.active();
    if (!record) throw new UserError(vscode.l10n.t('Open a Concur response tab first (run a request from the API Catalog or "Concur: Call API…").'));
    return record;
  };

  /** The history entry (or response tab) a command is about, and what was sent for it. */
  const entryOf = (target: RequestTarget): { entry?: HistoryEntry; record?: ResponseRecord } => {
    const id = target && !(target instanceof vscode.Uri) ? ('historyId' in target ? target.historyId : 'request' in target ? target.id : undefined) : undefined;
    if (typeof id === 'number') {
      const entry = requests.entry(id);
      if (!entry) throw new UserError(vscode.l10n.t('That request is no longer in the history.'));
      return { entry, record: entry.responseId !== undefined ? requests.response(entry.responseId) : undefined };
    }
    const record = documents.fromUri(target instanceof vscode.Uri ? target : undefined) ?? documents.active();
    if (!record) throw new UserError(vscode.l10n.t('Pick a request in Request History, or open a Concur response tab first.'));
    return { entry: requests.entryForResponse(record.id), record };
  };

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

  const handlers: Record<CommandId, (...args: never[]) => unknown> = {
    [Command.signIn]: (args?: SignInArgs | { sessionId: string }) => {
      // From a signed-out session in the tree ("Sign In Again"): everything but the secrets prefilled.
      const from = args && 'sessionId' in args ? sessions.getSession(args.sessionId) : undefined;
      return services.signIn.run(from ? signInArgsFor(from) : isSignInArgs(args) ? args : {});
    },
    [Command.signInWithBrowser]: (args?: SignInArgs) =>
      services.signIn.run({ ...(isSignInArgs(args) ? args : {}), grant: 'authorizationCode' }, { lockGrant: true }),
    [Command.openSignInLink]: () => services.browserSignIn.openLinkAgain(),
    [Command.copySignInLink]: () => services.browserSignIn.copyLink(),
    [Command.signOut]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Sign out of which Concur session?'), false);
      if (session) await services.signOut.run(session);
    },
    // One action under two names: "Switch Session…" in the palette, "Make Active" on a session in the tree.
    [Command.switchSession]: makeActive,
    [Command.makeSessionActive]: makeActive,
    [Command.showClaims]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Show the claims of which Concur session?'), true);
      await vscode.commands.executeCommand(BuiltinCommand.focusSessions);
      if (session) await services.treeView.reveal(services.tree.accessTokenNode(session.id), { select: true, focus: true, expand: 2 });
    },
    [Command.showSessionActions]: async () => {
      const session = sessions.activeSession;
      if (!session || session.state !== 'active') return vscode.commands.executeCommand(Command.signIn);
      type Action = vscode.QuickPickItem & { command: string; args?: unknown[] };
      const actions: Action[] = [
        { label: vscode.l10n.t('$(refresh) Refresh Now'), command: Command.refreshToken, args: [session.id] },
        { label: vscode.l10n.t('$(account) Open My Profile'), command: Command.openProfile },
        { label: vscode.l10n.t('$(list-tree) Show Claims'), command: Command.showClaims, args: [session.id] },
        { label: vscode.l10n.t('$(copy) Copy Access Token'), command: Command.copyAccessToken, args: [session.id] },
        { label: vscode.l10n.t('$(sign-out) Sign Out'), command: Command.signOut, args: [session.id] },
      ];
      if (sessions.sessions.length > 1) actions.push({ label: vscode.l10n.t('$(arrow-swap) Switch Session…'), command: Command.switchSession });
      actions.push({ label: vscode.l10n.t('$(sign-in) Sign In Another Account…'), command: Command.signIn });
      const picked = await vscode.window.showQuickPick(actions, { placeHolder: `Concur: ${session.label}` });
      if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
    },
    [Command.copyClaimValue]: async (node?: SessionTreeNode) => {
      if (node?.kind !== 'claim') throw new UserError(vscode.l10n.t('Pick a claim in the Sessions view to copy its value.'));
      await vscode.env.clipboard.writeText(claimValueToCopy(node.value));
      messages.status(vscode.l10n.t('Copied {0}', node.name), 3000);
    },
    [Command.openClaimUrl]: async (node?: SessionTreeNode) => {
      // Only http(s) URLs are opened: a claim is text from a token, and other schemes could run commands.
      if (node?.kind !== 'claim' || !isUrl(node.value)) throw new UserError(vscode.l10n.t('Pick a claim whose value is an https URL to open it.'));
      await vscode.env.openExternal(vscode.Uri.parse(node.value));
    },
    [Command.copyDecodedToken]: async (node?: SessionTreeNode) => {
      const target = tokenTarget(node, sessions);
      const json = target && services.tokenDocuments.decodedJson(target.sessionId, target.token);
      if (!json) throw new UserError(vscode.l10n.t('This token is not a JWT: there are no claims to copy.'));
      await vscode.env.clipboard.writeText(json);
      messages.status(vscode.l10n.t('Copied the decoded claims as JSON'), 3000);
    },
    [Command.openDecodedToken]: async (node?: SessionTreeNode) => {
      const target = tokenTarget(node, sessions);
      const session = target && sessions.getSession(target.sessionId);
      if (!target || !session) throw new UserError(vscode.l10n.t("Sign in to Concur to see a token's claims."));
      const doc = await vscode.workspace.openTextDocument(DecodedTokenDocuments.uri(session.label, session.id, target.token));
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    [Command.refreshToken]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Refresh which Concur session?'), true);
      if (!session) return;
      try {
        const refreshed = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: messages.redact(vscode.l10n.t('Refreshing the Concur access token for {0}…', session.label)) },
          () => sessions.refresh(session.id, 'requested'),
        );
        void messages.info(vscode.l10n.t('Refreshed the Concur access token for {0}; it is valid until {1}.', refreshed.label, new Date(refreshed.expiresAt).toLocaleTimeString()));
      } catch (error) {
        // A session Concur ended is announced by the session layer with "Sign In Again".
        if (sessions.getSession(session.id)?.state !== 'active') return;
        throw new UserError(vscode.l10n.t('Could not refresh the Concur access token: {0} The session is kept.', (error as Error).message));
      }
    },
    [Command.copyAccessToken]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Copy the access token of which Concur session?'), true);
      if (!session) return;
      const { session: fresh, accessToken } = await sessions.getAccessToken(session.id);
      await vscode.env.clipboard.writeText(accessToken);
      void messages.warn(
        vscode.l10n.t(
          'The clipboard now holds the Concur access token of {0}, a secret: anyone who has it can call Concur as {0} until {1}. Paste it only where it belongs.',
          fresh.label,
          new Date(fresh.expiresAt).toLocaleTimeString(),
        ),
      );
    },
    [Command.openProfile]: async () => {
      const result = await sender.send({ method: 'GET', target: '/profile/v1/me', endpointId: 'profile.me', paging: 'none' });
      void tellProfileDeprecated();
      return result;
    },
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
      const endpoint = await prompts.pickEndpoint(vscode.l10n.t('Find a Concur endpoint by method, path, title, product or scope'));
      if (!endpoint) return undefined;
      if (services.catalog.filter && !services.catalog.getParent({ kind: 'endpoint', endpoint })) await vscode.commands.executeCommand(Command.clearCatalogFilter);
      await vscode.commands.executeCommand(BuiltinCommand.focusCatalog);
      const node = services.catalog.nodeOf(endpoint.id);
      if (node) await services.catalogView.reveal(node, { select: true, focus: true });
      return endpoint.id;
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
    [Command.sendRequestFromFile]: (uri?: unknown, index?: unknown) => services.requestFiles.sendFromFile(uri instanceof vscode.Uri ? uri : undefined, typeof index === 'number' ? index : undefined),
    [Command.sendAllRequests]: (uri?: unknown) => services.requestFiles.sendAll(uri instanceof vscode.Uri ? uri : undefined),
    [Command.copyRequestAsCurl]: (uri?: unknown, index?: unknown) => services.requestFiles.copyAsCurl(uri instanceof vscode.Uri ? uri : undefined, typeof index === 'number' ? index : undefined),
    [Command.runRequestFileTests]: async (uri?: unknown, index?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) throw new UserError(vscode.l10n.t('Open a request file with # @expect lines first.'));
      await services.requestTests.runFile(target, typeof index === 'number' ? index : undefined);
    },
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
        content = requestsToFile([historyRequest(sent, url)]);
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
      const content = requestsToFile([...chosen].reverse().map((e) => historyRequest(e.sent as NonNullable<HistoryEntry['sent']>, e.url as NonNullable<HistoryEntry['url']>)));
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
    [Command.openEndpointDocs]: async (target?: string | Endpoint | CatalogNode) => {
      const docs = endpointOf(target)?.docs;
      if (docs) await vscode.env.openExternal(vscode.Uri.parse(docs));
    },
    [Command.callClaimUrl]: async (node?: SessionTreeNode) => {
      if (node?.kind !== 'claim' || typeof node.value !== 'string') throw new UserError(vscode.l10n.t('Pick a claim whose value is a URL to call it.'));
      // With the token of the session the claim belongs to, and only on that session's hosts.
      return sender.send({ method: 'GET', target: node.value, sessionId: node.sessionId, paging: 'none' });
    },
    [Command.loadNextPage]: (uri?: vscode.Uri) => sender.nextPage(responseOf(uri)),
    [Command.fetchAllPages]: (uri?: vscode.Uri) => sender.fetchAll(responseOf(uri)),
    [Command.fetchAllPagesToFile]: async (uri?: unknown, to?: unknown, format?: unknown) => {
      const record = responseOf(uri instanceof vscode.Uri ? uri : undefined);
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
    [Command.showResponseHeaders]: (uri?: vscode.Uri) => documents.showHeaders(responseOf(uri)),
    [Command.filterResponse]: async (uri?: unknown, given?: unknown) => {
      const record = responseOf(uri instanceof vscode.Uri ? uri : undefined);
      if (!isJsonBody(record)) throw new UserError(vscode.l10n.t('This response is not JSON: there is nothing to filter with JSONPath.'));
      const recent = services.globalState.get<string[]>(FILTER_HISTORY_KEY, []);
      const expression = typeof given === 'string' ? given : await askFilter(recent);
      if (!expression) return undefined;
      const notReadable = (error: unknown): UserError => new UserError(vscode.l10n.t('"{0}" is not a JSONPath expression this filter reads: {1}', expression, (error as Error).message));
      let body: KeptBody;
      let matches: number;
      if (record.body.file) {
        // A large answer is read, parsed and filtered in a worker thread: the window's extensions do not wait on it.
        const file = record.body.file;
        const outcome = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Concur: filtering {0}', formatBytes(record.body.fileBytes ?? 0)), cancellable: true },
          (_progress, cancel) => {
            const abort = new AbortController();
            cancel.onCancellationRequested(() => abort.abort());
            return filterJsonFileOffThread(file, expression, { signal: abort.signal }).catch((error: unknown) => {
              if (error instanceof FilterExpressionError) throw notReadable(error);
              if (isCancellation(error)) return undefined;
              throw error;
            });
          },
        );
        if (!outcome) return undefined;
        body = { text: outcome.text, language: 'json', jsonOmitted: true };
        matches = outcome.matches;
      } else {
        let selected: unknown[];
        try {
          selected = loadOpenApi().queryJsonPath(expression, await loadResponseJson(record));
        } catch (error) {
          throw notReadable(error);
        }
        const value = selected.length === 1 ? selected[0] : selected;
        body = { text: JSON.stringify(value, null, 2) ?? 'null', language: 'json', json: value };
        matches = selected.length;
      }
      await services.globalState.update(FILTER_HISTORY_KEY, [expression, ...recent.filter((e) => e !== expression)].slice(0, 10));
      const filtered = requests.addResponse({
        request: { ...record.request, part: matches === 1 ? vscode.l10n.t('{0} · 1 match', expression) : vscode.l10n.t('{0} · {1} matches', expression, matches) },
        result: { ...record.result, body: Buffer.alloc(0), bytes: Buffer.byteLength(body.text) },
        body,
        paging: 'none',
      });
      await sender.show(filtered);
      return filtered.id;
    },
    [Command.compareWithPrevious]: async (uri?: unknown) => {
      const record = responseOf(uri instanceof vscode.Uri ? uri : undefined);
      let previous = requests.previousAnswer(record);
      if (!previous) {
        // No earlier answer to the same request: any other kept answer, picked.
        const others = requests.keptResponses().filter((r) => r.id !== record.id);
        if (others.length === 0) throw new UserError(vscode.l10n.t('There is no other response to compare with yet: run the request again, then compare.'));
        const picked = await vscode.window.showQuickPick(
          others.map((r) => ({ label: messages.redact(`${r.result.request.method} ${r.result.target.pathAndQuery}`), description: `${r.result.status}${r.request.part ? ` · ${r.request.part}` : ''}`, record: r })),
          { placeHolder: vscode.l10n.t('No earlier answer to this request is kept: compare with which response?') },
        );
        if (!picked) return undefined;
        previous = picked.record;
      }
      const title = messages.redact(`${record.result.request.method} ${record.result.target.pathAndQuery}: ${previous.result.status} ↔ ${record.result.status}`);
      await vscode.commands.executeCommand('vscode.diff', documents.uri(previous), documents.uri(record), title);
      return previous.id;
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
    [Command.showLog]: () => log.show(),
  };
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, guarded(services.titles.get(id) ?? id, handler as (...args: unknown[]) => unknown, reporting)),
  );
}

/** globalState: the last JSONPath expressions of Filter Response (expressions, never response data). */
const FILTER_HISTORY_KEY = 'concur.filterExpressions';

async function askFilter(recent: readonly string[]): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick();
  pick.title = vscode.l10n.t('Filter Response (JSONPath)');
  pick.placeholder = vscode.l10n.t('A JSONPath expression such as $.Resources[*].userName or $..[?(@.active==false)]');
  const apply = vscode.l10n.t('apply');
  const usedBefore = vscode.l10n.t('used before');
  const items = (value: string): vscode.QuickPickItem[] => [
    ...(value ? [{ label: value, description: apply }] : []),
    ...recent.filter((e) => e !== value).map((e) => ({ label: e, description: usedBefore })),
  ];
  pick.items = items('');
  pick.onDidChangeValue((value) => (pick.items = items(value.trim())));
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label ?? (pick.value.trim() || undefined));
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** Which configured API definition to remove, picked by the user. */
async function pickDefinition(services: CommandServices): Promise<string | undefined> {
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

/** A sent request as the request-file writer takes it: the path when it went to the geolocation, the URL otherwise. */
function historyRequest(sent: NonNullable<HistoryEntry['sent']>, url: CheckedUrl): { method: string; target: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent.headers)) if (name !== 'accept' && name !== 'concur-correlationid') headers[name] = value;
  if (sent.form) {
    // A form is written as the tools write one: parts, with each file named by its path.
    const { contentType, body } = formToHttpText(sent.form, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    return { method: sent.method, target: url.pathAndQuery, headers: { ...headers, 'content-type': contentType }, body };
  }
  return { method: sent.method, target: url.pathAndQuery, headers, body: typeof sent.body === 'string' ? sent.body : undefined };
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function endpointOf(target: string | Endpoint | CatalogNode | undefined): Endpoint | undefined {
  if (typeof target === 'string') return endpointById(target);
  if (target && 'kind' in target) return target.kind === 'endpoint' ? target.endpoint : undefined;
  return target && typeof target === 'object' && typeof target.id === 'string' ? endpointById(target.id) : undefined;
}

function tokenTarget(node: SessionTreeNode | undefined, sessions: SessionManager): { sessionId: string; token: 'access' | 'id' } | undefined {
  if (node && (node.kind === 'token' || node.kind === 'part' || node.kind === 'claim')) return { sessionId: node.sessionId, token: node.token };
  const active = sessions.activeSession;
  return active ? { sessionId: active.id, token: 'access' } : undefined;
}

function isSignInArgs(value: unknown): value is SignInArgs {
  return typeof value === 'object' && value !== null && !('sessionId' in value);
}

/** A command's target session: passed in (id or tree node), the only one, or picked by the user. */
export async function resolveSession(
  sessions: SessionManager,
  messages: Messages,
  target: unknown,
  placeholder: string,
  activeOnly: boolean,
  pickAlways = false,
): Promise<Session | undefined> {
  await sessions.initialize();
  const id = typeof target === 'string' ? target : (target as { sessionId?: unknown } | undefined)?.sessionId;
  if (typeof id === 'string') {
    const session = sessions.getSession(id);
    if (!session) throw new UserError(vscode.l10n.t('That Concur session no longer exists.'));
    return session;
  }
  const candidates = sessions.sessions.filter((s) => !activeOnly || s.state === 'active');
  if (candidates.length === 0) {
    void messages.info(vscode.l10n.t('You are not signed in to Concur.'), vscode.l10n.t('Sign In')).then((choice) => {
      if (choice) void vscode.commands.executeCommand(Command.signIn);
    });
    return undefined;
  }
  if (activeOnly && !pickAlways && sessions.activeSession?.state === 'active') return sessions.activeSession;
  if (candidates.length === 1 && !pickAlways) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({
      label: `${s.id === sessions.activeSession?.id ? '$(pass-filled) ' : ''}${s.label}`,
      // Whom the token is for, in the Sessions view's words (not the grant's internal name).
      description: `${grantLabel(s.grant)} · ${new URL(s.geolocation).host}`,
      detail: s.state === 'active' ? vscode.l10n.t('Access token valid until {0}', new Date(s.expiresAt).toLocaleTimeString()) : vscode.l10n.t('Signed out: {0}', s.signedOutReason ?? ''),
      session: s,
    })),
    { placeHolder: placeholder },
  );
  return picked?.session;
}
