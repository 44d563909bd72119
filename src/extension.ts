import * as vscode from 'vscode';
import { TokenClient } from './concur/auth';
import { HttpClient } from './concur/http';
import { registerCommands } from './commands';
import { BuiltinCommand, ContextKey, View } from './ids';
import { Log } from './log';
import { RequestStore } from './requests/requestStore';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, ConcurAuthenticationProvider } from './session/authProvider';
import { SessionManager } from './session/sessionManager';
import { Settings } from './settings';
import { ApiDefinitions, openApiLoaded } from './ui/apiDefinitions';
import { ApiPrompts } from './ui/apiPrompts';
import { ApiSender } from './ui/apiSender';
import { BODY_SCHEME, BodyDocuments, SCHEMA_SCHEME } from './ui/bodyDocuments';
import { BrowserSignIn } from './ui/browserSignIn';
import { CatalogTreeProvider } from './ui/catalogTree';
import type { ErrorReporting } from './ui/commandErrors';
import { ExpiryStatusBar } from './ui/expiryStatusBar';
import { HistoryTreeProvider } from './ui/historyTree';
import { ConfirmedHosts } from './ui/hostTrust';
import { ChatTools } from './ui/chatTools';
import { Messages } from './ui/messages';
import { ANSWER_SCHEME, ResponseFiles } from './ui/responseFiles';
import { RESPONSE_SCHEME, ResponseDocuments, ResponseStatusBar } from './ui/responses';
import { ResponseSchemaCheck } from './ui/responseSchemaCheck';
import { HTTP_LANGUAGE, RequestFiles } from './ui/requestFiles';
import { RequestFileTests } from './ui/requestTests';
import { RequestFileEditor } from './ui/requestFileEditor';
import { registerSessionNotifications } from './ui/sessionNotifications';
import { SessionsTreeProvider } from './ui/sessionsTree';
import { SignInFlow } from './ui/signIn';
import { SignOutFlow } from './ui/signOut';
import { Ticker } from './ui/ticker';
import { TokenVerifier } from './ui/tokenVerification';
import { DecodedTokenDocuments, TOKEN_SCHEME } from './ui/tokenDocument';

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
    readonly requestTests: RequestFileTests;
    readonly chatTools: ChatTools;
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
  // One redactor for everything that leaves the extension: the log, notifications, tooltips, titles.
  const messages = new Messages(log.redactor);
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
  const requestTests = new RequestFileTests(requestFiles);
  const requestFileEditor = new RequestFileEditor(requestFiles);
  const catalogView = vscode.window.createTreeView(View.catalog, { treeDataProvider: catalog, showCollapseAll: true });
  const history = new HistoryTreeProvider(requests, messages);
  // Language model tools for VS Code chat: registered only; nothing runs until chat calls one.
  const chatTools = new ChatTools({ sessions, sender, requests, definitions, messages, log });
  context.subscriptions.push(chatTools);
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
    requestTests,
    vscode.languages.registerCodeLensProvider({ language: HTTP_LANGUAGE }, requestFiles),
    vscode.languages.registerCodeActionsProvider({ language: HTTP_LANGUAGE }, requestFiles, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerCompletionItemProvider({ language: HTTP_LANGUAGE }, requestFileEditor, '{', ' ', '$', '.'),
    vscode.languages.registerHoverProvider({ language: HTTP_LANGUAGE }, requestFileEditor),
    vscode.languages.registerFoldingRangeProvider({ language: HTTP_LANGUAGE }, requestFileEditor),
    catalogView,
    vscode.window.createTreeView(View.history, { treeDataProvider: history }),
  );

  const titles = new Map<string, string>(
    ((context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string; category?: string }[] } }).contributes?.commands ?? []).map((c) => [
      c.command,
      c.category ? `${c.category}: ${c.title}` : c.title,
    ]),
  );
  context.subscriptions.push(...registerCommands({ log, messages, sessions, signIn, signOut, browserSignIn, catalog, catalogView, globalState: context.globalState, tree, treeView, tokenDocuments, requests, documents, prompts, sender, definitions, bodies, requestFiles, requestTests, titles, reporting }));
  sessions.initialize().then(updateContext, (error: unknown) => log.error('Reading the stored Concur sessions failed; they are read again on the next use', error));
  log.info(`Concur API Explorer ${version} activated in ${vscode.env.appName} ${vscode.version}`);

  if (process.env.CONCUR_EXTENSION_TESTING === '1') {
    return { testing: { secrets: context.secrets, globalState: context.globalState, logUri: context.logUri, sessions, statusBar, ticker, tree, catalog, requests, history, responseStatusBar, responseFiles, sender, settings, messages, signIn, browserSignIn, signOut, definitions, newDefinitions: () => new ApiDefinitions(http, log, messages, context.globalStorageUri.fsPath), bodies, schemaCheck, openApiLoaded, requestFiles, requestTests, chatTools } };
  }
  return {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
