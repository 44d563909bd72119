import * as vscode from 'vscode';
import { TokenClient } from './concur/auth';
import { HttpClient } from './concur/http';
import { registerCommands } from './commands';
import { Log } from './log';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, ConcurAuthenticationProvider } from './session/authProvider';
import { SessionManager } from './session/sessionManager';
import { apiSettings, configuredDatacenters, proxyUrl, refreshSettings } from './settings';
import { ApiExplorer } from './ui/apiExplorer';
import { CatalogTreeProvider } from './ui/catalogTree';
import { ExpiryStatusBar } from './ui/expiryStatusBar';
import { HistoryTreeProvider } from './ui/historyTree';
import { RESPONSE_SCHEME, ResponseStatusBar, ResponseStore } from './ui/responses';
import { registerSessionNotifications } from './ui/sessionNotifications';
import { SessionsTreeProvider } from './ui/sessionsTree';
import { SignInFlow } from './ui/signIn';
import { Ticker } from './ui/ticker';
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
    readonly responses: ResponseStore;
    readonly responseStatusBar: ResponseStatusBar;
    readonly api: ApiExplorer;
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

  const http = new HttpClient({
    userAgent: `ConcurApiExplorer/${version} (VS Code ${vscode.version})`,
    proxyUrl: proxyUrl(),
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
    settings: refreshSettings,
  });
  context.subscriptions.push(sessions);

  const signIn = new SignInFlow(sessions, log, configuredDatacenters);
  const authProvider = new ConcurAuthenticationProvider(sessions, (scope) => signIn.run({ scope }));
  context.subscriptions.push(
    authProvider,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider, { supportsMultipleAccounts: true }),
    registerSessionNotifications(sessions, log, (args) => signIn.run(args)),
  );

  // One clock for everything on screen, running only while a session is active.
  const ticker = new Ticker(() => {
    const active = sessions.activeSession;
    return active?.state === 'active' ? active.expiresAt : undefined;
  });
  const statusBar = new ExpiryStatusBar(sessions, ticker, () => vscode.workspace.getConfiguration('concur').get<boolean>('statusBar.showWhenSignedOut', true));
  const tree = new SessionsTreeProvider(sessions, ticker.onDidTick);
  const treeView = vscode.window.createTreeView('concur.sessions', { treeDataProvider: tree, showCollapseAll: true });
  const tokenDocuments = new DecodedTokenDocuments(sessions);
  context.subscriptions.push(ticker, statusBar, tree, treeView, tokenDocuments, vscode.workspace.registerTextDocumentContentProvider(TOKEN_SCHEME, tokenDocuments));

  const updateContext = (): void => {
    void vscode.commands.executeCommand('setContext', 'concur.signedIn', sessions.sessions.some((s) => s.state === 'active'));
    void vscode.commands.executeCommand('setContext', 'concur.hasSessions', sessions.sessions.length > 0);
    ticker.update();
  };
  context.subscriptions.push(sessions.onDidChangeSessions(updateContext));

  const responses = new ResponseStore();
  const responseStatusBar = new ResponseStatusBar(responses);
  const api = new ApiExplorer(http, sessions, responses, responseStatusBar, log, apiSettings);
  const catalog = new CatalogTreeProvider(sessions);
  const history = new HistoryTreeProvider(api);
  context.subscriptions.push(
    responses,
    responseStatusBar,
    api,
    catalog,
    history,
    vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, responses),
    vscode.window.createTreeView('concur.catalog', { treeDataProvider: catalog, showCollapseAll: true }),
    vscode.window.createTreeView('concur.history', { treeDataProvider: history }),
  );

  context.subscriptions.push(...registerCommands({ log, sessions, signIn, tree, treeView, tokenDocuments, api }));
  sessions.initialize().then(updateContext, (error: unknown) => log.error('Reading the stored Concur sessions failed', error));
  log.info(`Concur API Explorer ${version} activated in ${vscode.env.appName} ${vscode.version}`);

  if (process.env.CONCUR_EXTENSION_TESTING === '1') {
    return { testing: { secrets: context.secrets, globalState: context.globalState, logUri: context.logUri, sessions, statusBar, ticker, tree, catalog, responses, responseStatusBar, api } };
  }
  return {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
