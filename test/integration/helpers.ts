import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MockConcur } from '../../src/localConcur';

export const EXTENSION_ID = 'concur-api-explorer.concur-api-explorer';

let activeBeforeTests: boolean | undefined;

export function recordActivationState(active: boolean): void {
  activeBeforeTests = active;
}

export function wasActiveBeforeTests(): boolean | undefined {
  return activeBeforeTests;
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export interface PackageJson {
  main: string;
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: unknown }[];
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    menus?: Record<string, { command: string; when?: string }[]>;
    walkthroughs?: { id: string; title: string; steps: { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
  };
}

export function packageJson(): PackageJson {
  return extension().packageJSON as PackageJson;
}

/** What the extension exposes to tests when CONCUR_EXTENSION_TESTING=1 (see src/extension.ts). */
export interface TestingApi {
  secrets: vscode.SecretStorage;
  globalState: vscode.Memento;
  logUri: vscode.Uri;
  sessions: {
    sessions: readonly { id: string; state: string; accessToken: string; refreshToken?: string; idToken?: string; label: string; geolocation: string; expiresAt: number }[];
    activeSession?: { id: string; accessToken: string; expiresAt: number };
    isRefreshing(id: string): boolean;
    storedClientSecret(clientId: string, baseUrl: string): Promise<string | undefined>;
  };
  statusBar: { state: { text: string; visible: boolean; background?: string; accessibilityLabel?: string; labelChanges: number } };
  ticker: { running: boolean };
  tree: vscode.TreeDataProvider<TreeNode>;
  catalog: vscode.TreeDataProvider<TreeNode>;
  responseStatusBar: { text: string | undefined };
  responseFiles: { root: string; folder: string; removeStale(): Promise<void> };
  requests: { retainedBytes: number; keptResponses(): readonly { id: number; body: { text: string; file?: string; fileBytes?: number } }[]; entries: readonly { id: number; request: { method: string; target: string }; sent?: { url: string; sessionId: string }; status?: number; error?: string }[] };
  history: vscode.TreeDataProvider<{ id: number }>;
  /** Sends an ApiRequest as every command does (see src/calls/ui/apiSender.ts). */
  sender: { send(request: { method: string; target: string; headers?: Record<string, string>; body?: string; sessionId?: string; paging: 'none' }): Promise<unknown> };
  settings: { datacenters(): { label: string; baseUrl: string }[] };
  messages: { recent: readonly string[]; shownCount: number; ask: (message: string, detail: string, ...actions: string[]) => Thenable<string | undefined> };
  signIn: { askOtp: (email: string, problem?: string) => Thenable<string | undefined> };
  browserSignIn: { opener: (url: string) => Thenable<boolean>; handleUri(uri: vscode.Uri): void; lastAuthorizeUrl?: string };
  definitions: TestingDefinitions;
  newDefinitions(): TestingDefinitions & vscode.Disposable;
  bodies: { requestOf(uri: vscode.Uri): { method: string; target: string } | undefined };
  schemaCheck: { count(recordId: number): number | undefined };
  openApiLoaded(): boolean;
  requestTests: { outcomes: ReadonlyMap<string, { state: string; messages?: readonly string[] }> };
  /** Request-file environments (see src/requestFiles/ui/requestEnvironments.ts). */
  requestEnvironments: {
    readonly selected: string | undefined;
    readonly statusBarState: { text: string; visible: boolean; command?: string };
    showPick: (items: (vscode.QuickPickItem & { environment?: string | null })[], options: vscode.QuickPickOptions) => Thenable<(vscode.QuickPickItem & { environment?: string | null }) | undefined>;
  };
  workspaceState: vscode.Memento;
  /** `input` asks for a `# @prompt` value (replaced by tests that answer it). */
  requestFiles: { input: (options: vscode.InputBoxOptions) => Thenable<string | undefined> };
  /** The Concur language model tools, as registered with vscode.lm.registerTool (see src/chat/ui/chatTools.ts). */
  chatTools: { tools: Record<string, vscode.LanguageModelTool<Record<string, unknown>>>; budget(tokenBudget?: number): number };
  /** The local Concur server started from the command palette (see src/localConcur/ui/localServer.ts). */
  localServer: { running?: MockConcur; statusEntry: { text: string; tooltip: string; visible: boolean } };
  localConcurLoaded(): boolean;
}

/** The API definitions as tests read them (see src/catalog/ui/apiDefinitions.ts). */
export interface TestingDefinitions {
  definitions: readonly { id: string; location: string; product: string; endpoints: readonly CatalogEndpoint[]; warnings?: readonly string[] }[];
  problems: readonly { location: string; message: string; where?: string }[];
  configured(): string[];
  reload(options?: { keepLoaded?: boolean }): Promise<void>;
}

/** A catalog entry as tests read it. */
export interface CatalogEndpoint {
  id: string;
  method: string;
  path: string;
  product: string;
  tag?: string;
  title: string;
  scopes: readonly string[];
  params: readonly { name: string; in: string; required?: boolean; default?: string; choices?: readonly string[] }[];
  body?: { contentType: string; required: boolean; schema?: unknown };
  responses?: Record<string, unknown>;
  status?: { kind: string };
}

/**
 * Makes a stored session look older than it is — as if time had passed — by rewriting its
 * SecretStorage entry the way another window would: the token then expires in `expiresInMs`.
 */
export async function ageStoredSession(api: TestingApi, id: string, expiresInMs: number): Promise<void> {
  const key = `concur-api-explorer.session.${id}`;
  const entry = JSON.parse((await api.secrets.get(key)) ?? 'null') as { version: number; gen: number; session: Record<string, unknown> } | null;
  if (!entry) throw new Error(`no stored session ${id}`);
  const now = Date.now();
  entry.session.expiresAt = now + expiresInMs;
  entry.session.obtainedAt = now + expiresInMs - 60_000;
  entry.gen += 1;
  await api.secrets.store(key, JSON.stringify(entry));
  await waitUntil('the extension to read the aged session', () => Math.abs((api.sessions.activeSession?.expiresAt ?? 0) - (now + expiresInMs)) < 5);
}

/** The extension's log as written to disk by its LogOutputChannel. */
export function readLog(api: TestingApi): string {
  const dirs = [api.logUri.fsPath, path.dirname(api.logUri.fsPath)];
  const files = dirs.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : []));
  return files
    .filter((f) => /Concur API Explorer/.test(path.basename(f)) && fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

export interface TreeNode {
  kind: string;
  id: string;
  name?: string;
  value?: unknown;
}

/** Every node of a tree with its TreeItem, depth first, as VS Code would draw it fully expanded. */
export async function walkTree(provider: vscode.TreeDataProvider<TreeNode>): Promise<{ node: TreeNode; item: vscode.TreeItem; depth: number }[]> {
  const out: { node: TreeNode; item: vscode.TreeItem; depth: number }[] = [];
  const visit = async (parent: TreeNode | undefined, depth: number): Promise<void> => {
    for (const node of (await provider.getChildren(parent)) ?? []) {
      out.push({ node, item: await provider.getTreeItem(node), depth });
      await visit(node, depth + 1);
    }
  };
  await visit(undefined, 0);
  return out;
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export async function testingApi(): Promise<TestingApi> {
  const exports = (await extension().activate()) as { testing?: TestingApi } | undefined;
  if (!exports?.testing) throw new Error('The extension exposes no testing API: is CONCUR_EXTENSION_TESTING=1 set for the extension host?');
  return exports.testing;
}

export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Signs in at the local Concur server through the command, as a user (password) or a company. */
export async function signInToMock(mock: { url: string; demo: { clientId: string; clientSecret: string; username: string; password: string; companyId: string; companyRequestToken: string } }, grant: 'password' | 'companyRequestToken'): Promise<void> {
  await vscode.commands.executeCommand('concur.signIn', {
    baseUrl: mock.url, clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret, grant,
    ...(grant === 'password' ? { username: mock.demo.username, password: mock.demo.password } : { companyId: mock.demo.companyId, requestToken: mock.demo.companyRequestToken }),
  });
  await clearNotifications();
}

/** After a suite: every editor closed, every session signed out, every notification gone. */
export async function signOutEverything(api: TestingApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const s of api.sessions.sessions) await vscode.commands.executeCommand('concur.signOut', s.id);
  await clearNotifications();
}

/** Closes every notification, which settles the promises of messages the extension awaits. */
export async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
}
