import * as vscode from 'vscode';
import { TokenClient } from './auth/tokenClient';
import { HttpClient } from './platform/http';
import { useRedactorForCuts } from './platform/redact';
import { BuiltinCommand, ContextKey, View } from './platform/ids';
import { Log } from './platform/ui/log';
import { RequestStore } from './calls/requestStore';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, ConcurAuthenticationProvider } from './sessions/ui/authProvider';
import { SessionManager } from './sessions/sessionManager';
import { Settings } from './platform/ui/settings';
import { ApiDefinitions, openApiLoaded } from './catalog/ui/apiDefinitions';
import { ApiPrompts } from './calls/ui/apiPrompts';
import { ApiSender } from './calls/ui/apiSender';
import { BODY_SCHEME, BodyDocuments, SCHEMA_SCHEME } from './catalog/ui/bodyDocuments';
import { BrowserSignIn } from './auth/ui/browserSignIn';
import { CatalogTreeProvider } from './catalog/ui/catalogTree';
import type { ErrorReporting } from './platform/ui/commandErrors';
import { CommandRegistry, commandTitles } from './platform/ui/commandRegistry';
import { registerPlatformCommands } from './platform/ui/commands';
import { registerAuthCommands } from './auth/ui/commands';
import { registerSessionCommands } from './sessions/ui/commands';
import { registerCatalogCommands } from './catalog/ui/commands';
import { registerResponseCommands } from './responses/ui/commands';
import { registerCallCommands } from './calls/ui/commands';
import { registerRequestFileCommands } from './requestFiles/ui/commands';
import { ExpiryStatusBar } from './sessions/ui/expiryStatusBar';
import { HistoryTreeProvider } from './calls/ui/historyTree';
import { ConfirmedHosts } from './auth/ui/hostTrust';
import { ChatTools } from './chat/ui/chatTools';
import { Messages } from './platform/ui/messages';
import { ANSWER_SCHEME, ResponseFiles } from './responses/ui/responseFiles';
import { RESPONSE_SCHEME, ResponseDocuments, ResponseStatusBar } from './responses/ui/responses';
import { ResponseSchemaCheck } from './responses/ui/responseSchemaCheck';
import { HTTP_LANGUAGE, RequestFiles } from './requestFiles/ui/requestFiles';
import { RequestFileTests } from './requestFiles/ui/requestTests';
import { RequestEnvironments } from './requestFiles/ui/requestEnvironments';
import { RequestFileEditor } from './requestFiles/ui/requestFileEditor';
import { registerSessionNotifications } from './sessions/ui/sessionNotifications';
import { SessionsTreeProvider } from './sessions/ui/sessionsTree';
import { SignInFlow } from './auth/ui/signIn';
import { SignOutFlow } from './auth/ui/signOut';
import { Ticker } from './sessions/ui/ticker';
import { TokenVerifier } from './auth/ui/tokenVerification';
import { DecodedTokenDocuments, TOKEN_SCHEME } from './sessions/ui/tokenDocument';
import { LOCAL_SERVER_SCHEME, LocalServer, localConcurLoaded } from './localConcur/ui/localServer';
import { registerLocalServerCommands } from './localConcur/ui/commands';

/** Returned from activate(). `testing` exists only when the test runner sets CONCUR_EXTENSION_TESTING=1. */
export interface ExtensionApi {
  readonly testing?: {
    readonly secrets: vscode.SecretStorage;
    readonly globalState: vscode.Memento;
    readonly logUri: vscode.Uri;
    readonly sessions: SessionManager;
    readonly statusBar: ExpiryStatusBar;
    readonly ticker: Ticker;
    readonly tree: SessionsTreeProvider;
    readonly catalog: CatalogTreeProvider;
    readonly requests: RequestStore;
    readonly history: HistoryTreeProvider;
    readonly responseStatusBar: ResponseStatusBar;
    readonly responseFiles: ResponseFiles;
    readonly sender: ApiSender;
    readonly settings: Settings;
    readonly messages: Messages;
    readonly signIn: SignInFlow;
    readonly browserSignIn: BrowserSignIn;
    readonly signOut: SignOutFlow;
    readonly definitions: ApiDefinitions;
    /** Another window's view of the API definitions: a new instance on the same global storage. */
    readonly newDefinitions: () => ApiDefinitions;
    readonly bodies: BodyDocuments;
    readonly schemaCheck: ResponseSchemaCheck;
    readonly openApiLoaded: () => boolean;
    readonly requestFiles: RequestFiles;
    readonly requestEnvironments: RequestEnvironments;
    readonly workspaceState: vscode.Memento;
    readonly requestTests: RequestFileTests;
    readonly chatTools: ChatTools;
    readonly localServer: LocalServer;
    readonly localConcurLoaded: () => boolean;
  };
}

/**
 * The composition root: builds the services in dependency order and hands every disposable to
 * VS Code. Nothing here talks to the network, and the HTTP client's code (undici) is not loaded
 * until the first request.
 */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = new Log();
  context.subscriptions.push(log);
  const version = String(context.extension.packageJSON.version);
  // One redactor for everything that leaves the extension: the log, notifications, tooltips, titles,
  // and the server text the protocol core cuts into messages (redacted before it is cut).
  const messages = new Messages(log.redactor);
  useRedactorForCuts(log.redactor);
  context.subscriptions.push({ dispose: () => useRedactorForCuts(undefined) });
  const settings = new Settings((problem) => log.warn(problem));
  const reporting: ErrorReporting = { log, messages, execute: (command, ...args) => vscode.commands.executeCommand(command, ...args) };

  const http = new HttpClient({
    userAgent: `ConcurApiExplorer/${version} (VS Code ${vscode.version})`,
    proxyUrl: settings.proxyUrl(),
    onExchange: (e) =>
      e.error
        ? log.warn(`${e.method} ${e.url} failed after ${Math.round(e.durationMs)} ms: ${e.error} (correlation id ${e.correlationId})`)
        : log.info(`${e.method} ${e.url} → ${e.status} in ${Math.round(e.durationMs)} ms, ${e.bytes ?? 0} bytes (correlation id ${e.correlationId})`),
  });
  context.subscriptions.push({ dispose: () => void http.close() });
  const tokenClient = new TokenClient(http);

  const sessions = new SessionManager({
    secrets: context.secrets,
    globalState: context.globalState,
    tokenClient: async () => tokenClient,
    log,
    redactor: log.redactor,
    settings: () => settings.refresh(),
    hostTrust: new ConfirmedHosts(context.globalState, messages),
  });
  context.subscriptions.push(sessions);

  // The API client comes later (with the response views); sign-in asks for it only once it has a session.
  const browserSignIn = new BrowserSignIn(sessions, messages, log, context.extension.id, () => settings.browserSignIn(), () => sender.client);
  context.subscriptions.push(browserSignIn, vscode.window.registerUriHandler(browserSignIn));
  const signIn = new SignInFlow(sessions, log, messages, () => settings.datacenters(), browserSignIn, () => settings.signInScopes());
  const authProvider = new ConcurAuthenticationProvider(sessions, (scope) => signIn.run({ scope }));
  context.subscriptions.push(
    authProvider,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider, { supportsMultipleAccounts: true }),
    registerSessionNotifications(sessions, log, messages, (args) => signIn.run(args), context.globalState),
  );

  // One clock for everything on screen, running only while a session is active.
  const ticker = new Ticker(() => {
    const active = sessions.activeSession;
    return active?.state === 'active' ? active.expiresAt : undefined;
  });
  const statusBar = new ExpiryStatusBar(sessions, ticker, () => settings.showWhenSignedOut());
  const verifier = new TokenVerifier(http, log);
  const tree = new SessionsTreeProvider(sessions, ticker.onDidTick, verifier);
  const treeView = vscode.window.createTreeView(View.sessions, { treeDataProvider: tree, showCollapseAll: true });
  const tokenDocuments = new DecodedTokenDocuments(sessions);
  context.subscriptions.push(ticker, statusBar, verifier, tree, treeView, tokenDocuments, vscode.workspace.registerTextDocumentContentProvider(TOKEN_SCHEME, tokenDocuments));

  const updateContext = (): void => {
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.signedIn, sessions.sessions.some((s) => s.state === 'active'));
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.hasSessions, sessions.sessions.length > 0);
    ticker.update();
  };
  context.subscriptions.push(sessions.onDidChangeSessions(updateContext));

  const requests = new RequestStore();
  const responseFiles = new ResponseFiles(context.globalStorageUri, requests, log);
  const documents = new ResponseDocuments(requests, messages, responseFiles);
  const responseStatusBar = new ResponseStatusBar(documents, messages);
  const prompts = new ApiPrompts(sessions);
  const sender = new ApiSender(http, sessions, requests, documents, responseStatusBar, messages, log, () => settings.api(), reporting);
  const signOut = new SignOutFlow(sessions, messages, log, () => sender.client, settings);
  const definitions = new ApiDefinitions(http, log, messages, context.globalStorageUri.fsPath);
  const catalog = new CatalogTreeProvider(sessions, definitions);
  const schemaCheck = new ResponseSchemaCheck(documents, log);
  sender.checkResponse = (record) => void schemaCheck.check(record);
  responseStatusBar.schemaDifferences = (record) => schemaCheck.count(record.id);
  const bodies = new BodyDocuments(sessions, (request, options) => sender.send(request, options));
  const requestFiles = new RequestFiles(sessions, sender, messages, log, () => settings.requestFileLenses());
  const requestEnvironments = new RequestEnvironments(context.workspaceState, log, messages);
  requestFiles.attachEnvironments(requestEnvironments);
  const requestTests = new RequestFileTests(requestFiles);
  const requestFileEditor = new RequestFileEditor(requestFiles);
  const catalogView = vscode.window.createTreeView(View.catalog, { treeDataProvider: catalog, showCollapseAll: true });
  const history = new HistoryTreeProvider(requests, messages);
  // Language model tools for VS Code chat: registered only; nothing runs until chat calls one.
  const chatTools = new ChatTools({ sessions, sender, requests, definitions, messages, log });
  context.subscriptions.push(chatTools);
  // The local Concur server: nothing of it is loaded until it is first started.
  const localServer = new LocalServer({
    log,
    port: () => settings.localServerPort(),
    loadDefinitions: async () => {
      await definitions.ensureLoaded();
      return definitions.definitions;
    },
  });
  context.subscriptions.push(
    localServer,
    vscode.workspace.registerTextDocumentContentProvider(LOCAL_SERVER_SCHEME, localServer),
    vscode.languages.registerCodeLensProvider({ scheme: LOCAL_SERVER_SCHEME }, localServer),
  );
  context.subscriptions.push(
    requests,
    documents,
    responseFiles,
    responseStatusBar,
    sender,
    definitions,
    catalog,
    schemaCheck,
    bodies,
    history,
    vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, documents),
    vscode.workspace.registerFileSystemProvider(ANSWER_SCHEME, responseFiles, { isCaseSensitive: true, isReadonly: true }),
    vscode.workspace.registerFileSystemProvider(BODY_SCHEME, bodies, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(SCHEMA_SCHEME, bodies),
    vscode.languages.registerCodeLensProvider({ scheme: BODY_SCHEME }, bodies),
    requestFiles,
    requestEnvironments,
    requestTests,
    vscode.languages.registerCodeLensProvider({ language: HTTP_LANGUAGE }, requestFiles),
    vscode.languages.registerCodeActionsProvider([{ pattern: '**/http-client.env.json' }, { pattern: '**/settings.json' }, { pattern: '**/*.code-workspace' }], requestEnvironments, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.languages.registerCodeActionsProvider({ language: HTTP_LANGUAGE }, requestFiles, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerCompletionItemProvider({ language: HTTP_LANGUAGE }, requestFileEditor, '{', ' ', '$', '.'),
    vscode.languages.registerHoverProvider({ language: HTTP_LANGUAGE }, requestFileEditor),
    vscode.languages.registerFoldingRangeProvider({ language: HTTP_LANGUAGE }, requestFileEditor),
    catalogView,
    vscode.window.createTreeView(View.history, { treeDataProvider: history }),
  );

  // Each feature registers its own commands, given the services it needs.
  const commands = new CommandRegistry(commandTitles(context.extension.packageJSON), reporting);
  const { globalState } = context;
  context.subscriptions.push(
    ...registerPlatformCommands(commands, { log }),
    ...registerAuthCommands(commands, { sessions, signIn, browserSignIn }),
    ...registerSessionCommands(commands, { messages, sessions, signOut, tree, treeView, tokenDocuments }),
    ...registerCatalogCommands(commands, { messages, catalog, catalogView, definitions, bodies, pickEndpoint: (placeholder) => prompts.pickEndpoint(placeholder) }),
    ...registerResponseCommands(commands, { messages, globalState, requests, documents, show: (record) => sender.show(record) }),
    ...registerCallCommands(commands, { messages, sessions, globalState, requests, documents, prompts, sender, definitions, bodies }),
    ...registerRequestFileCommands(commands, { messages, requests, documents, definitions, requestFiles, requestEnvironments, requestTests }),
    ...registerLocalServerCommands(commands, { messages, localServer, signIn }),
  );
  sessions.initialize().then(updateContext, (error: unknown) => log.error('Reading the stored Concur sessions failed; they are read again on the next use', error));
  log.info(`Concur API Explorer ${version} activated in ${vscode.env.appName} ${vscode.version}`);

  if (process.env.CONCUR_EXTENSION_TESTING === '1') {
    return { testing: { secrets: context.secrets, globalState: context.globalState, logUri: context.logUri, sessions, statusBar, ticker, tree, catalog, requests, history, responseStatusBar, responseFiles, sender, settings, messages, signIn, browserSignIn, signOut, definitions, newDefinitions: () => new ApiDefinitions(http, log, messages, context.globalStorageUri.fsPath), bodies, schemaCheck, openApiLoaded, requestFiles, requestEnvironments, workspaceState: context.workspaceState, requestTests, chatTools, localServer, localConcurLoaded } };
  }
  return {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
