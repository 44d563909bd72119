/**
 * Request-file environments in VS Code: which one is chosen (remembered per workspace, by name only),
 * the status bar item that shows it while a request file is active, "Concur: Select Request
 * Environment…", and where each variable comes from (requestFiles/environments.ts reads REST
 * Client's setting, JetBrains' env files and httpYac's dotenv files).
 *
 * Public environments are meant to be committed: a value in `http-client.env.json` or in REST Client's
 * setting that looks like a secret gets a warning where it is written, with quick fixes that move it
 * to `http-client.private.env.json` or, for a Concur token, use the signed-in session instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command } from '../../platform/ids';
import type { Log } from '../../platform/ui/log';
import {
  dotenvValue,
  environmentLayers,
  environmentNames,
  NO_FOLDER_ENVIRONMENTS,
  PRIVATE_ENV_FILE,
  PUBLIC_ENV_FILE,
  readFolderEnvironments,
  resolveEnvironment,
  restClientEnvironments,
  type EnvironmentName,
  type EnvironmentSource,
  type EnvironmentTable,
  type EnvironmentVariable,
  type FolderEnvironments,
} from '../environments';
import type { EnvironmentDocumentKind, SecretFinding } from '../environmentJson';
import { Disposable } from '../../platform/lifecycle';
import { loadHeavy } from '../lazyHeavy';
import type { Messages } from '../../platform/ui/messages';
import { REST_CLIENT_KEY, REST_CLIENT_SECTION } from '../restClient';

/** workspaceState: the chosen environment's name (never a value). */
export const ENVIRONMENT_STATE_KEY = 'concur.requestEnvironment';
export const ENVIRONMENT_ICON = '$(server-environment)';
const SECRET_CODE = 'environment-secret';
const SESSION_REFERENCE = '{{$concur.accessToken}}';

/** The environment a request file sends with. */
export interface DocumentEnvironment {
  /** The chosen environment's name; undefined for none. */
  readonly selected: string | undefined;
  /** Every variable it gives this file, by name, with where each comes from. */
  readonly variables: ReadonlyMap<string, EnvironmentVariable>;
  /** The environments this file could choose. */
  readonly names: readonly EnvironmentName[];
  /** REST Client's `{{$dotenv NAME}}` for this file. */
  dotenv(key: string): { value?: string; file?: string };
}

type PickItem = vscode.QuickPickItem & { environment?: string | null };

export class RequestEnvironments extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('concur.requestEnvironment', vscode.StatusBarAlignment.Right, 100));
  private readonly folders = new Map<string, FolderEnvironments>();
  private readonly reported = new Set<string>();
  private shown = false;
  /** The request file last active: the picker lists what it can choose even when a response tab has the focus. */
  private lastRequestFile: vscode.Uri | undefined;
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** The chosen environment, or what one of its files or REST Client's setting says, changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('concur-request-environments'));

  /** Shows the environments to choose from (tests answer it in place of a person). */
  showPick: (items: PickItem[], options: vscode.QuickPickOptions) => Thenable<PickItem | undefined> = (items, options) => vscode.window.showQuickPick(items, options);

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly log: Log,
    private readonly messages: Messages,
  ) {
    super();
    this.item.name = vscode.l10n.t('Concur Request Environment');
    this.item.command = { title: vscode.l10n.t('Select Request Environment'), command: Command.selectRequestEnvironment };
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/{${PUBLIC_ENV_FILE},${PRIVATE_ENV_FILE},.env,.env.*,*.env}`));
    const changed = (): void => this.filesChanged();
    this._register(watcher.onDidCreate(changed));
    this._register(watcher.onDidChange(changed));
    this._register(watcher.onDidDelete(changed));
    // A save is seen at once, where a watcher may report it later.
    this._register(
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (isEnvironmentFileName(path.basename(doc.uri.path))) changed();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${REST_CLIENT_SECTION}.${REST_CLIENT_KEY}`)) this.fire();
      }),
    );
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.updateStatusBar()));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => void this.checkDocument(doc)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => void this.checkDocument(e.document)));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.diagnostics.delete(doc.uri)));
    for (const doc of vscode.workspace.textDocuments) void this.checkDocument(doc);
    this.updateStatusBar();
  }

  /** The chosen environment's name (undefined: none). */
  get selected(): string | undefined {
    const name = this.workspaceState.get<unknown>(ENVIRONMENT_STATE_KEY);
    return typeof name === 'string' && name ? name : undefined;
  }

  /** Chooses an environment for this workspace (undefined: none); only its name is kept. */
  async select(name: string | undefined): Promise<void> {
    await this.workspaceState.update(ENVIRONMENT_STATE_KEY, name);
    this.fire();
  }

  /**
   * The environment a request file sends with: the chosen one as its folder, its folders above and
   * the settings define it. `fresh` reads the files again (for sending: a file written a moment ago
   * counts even before the file watcher reports it).
   */
  forDocument(doc: vscode.TextDocument | vscode.Uri, options: { fresh?: boolean } = {}): DocumentEnvironment {
    const uri = doc instanceof vscode.Uri ? doc : doc.uri;
    const settings = this.settingsTable(uri);
    const folder = this.folderEnvironments(uri, options.fresh);
    const selected = this.selected;
    return {
      selected,
      variables: resolveEnvironment(environmentLayers(selected, settings, folder)),
      names: environmentNames(settings, folder),
      dotenv: (key) => dotenvValue(folder, selected, key),
    };
  }

  /** "Concur: Select Request Environment…": a name given runs without asking (keybindings, tests). */
  async pick(name?: unknown): Promise<string | undefined> {
    if (typeof name === 'string') {
      await this.select(name || undefined);
      return this.selected;
    }
    const active = vscode.window.activeTextEditor?.document;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    // Environments are found from a request file's folder up; without one, from the workspace folder's.
    const uri = active?.languageId === 'http' ? active.uri : (this.lastRequestFile ?? (folder && vscode.Uri.joinPath(folder, 'requests.http')));
    const found = uri ? this.forDocument(uri).names : [];
    const problems = uri ? this.folderEnvironments(uri).problems : [];
    for (const problem of problems) {
      void this.messages.warn(vscode.l10n.t('{0} could not be read: {1}. Its environments are left out until it is fixed.', this.describeFile(problem.file), problem.message));
    }
    const current = this.selected;
    const items: PickItem[] = [
      {
        label: vscode.l10n.t('No Environment'),
        description: current === undefined ? vscode.l10n.t('$(check) chosen') : undefined,
        detail: vscode.l10n.t('$shared values and .env still apply'),
        environment: null,
      },
      ...found.map((e) => ({
        label: e.name,
        description: `${e.name === current ? `${vscode.l10n.t('$(check) chosen')} · ` : ''}${e.sources.map((s) => this.describeSource(s)).join(', ')}`,
        environment: e.name,
      })),
    ];
    const picked = await this.showPick(items, {
      title: vscode.l10n.t('Select Request Environment'),
      placeHolder: found.length
        ? vscode.l10n.t('The environment whose variables request files use')
        : vscode.l10n.t('No environments found: define them in http-client.env.json, in REST Client\'s setting (rest-client.environmentVariables) or in .env.<name> files'),
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    await this.select(picked.environment ?? undefined);
    return picked.environment ?? undefined;
  }

  /** Where a variable comes from, as hovers and completion say it. */
  describeSource(source: EnvironmentSource): string {
    if (source.kind === 'settings') return vscode.l10n.t('REST Client settings');
    return this.describeFile(source.file ?? '');
  }

  /** A file as the workspace names it (relative to its folder). */
  private describeFile(file: string): string {
    return vscode.workspace.asRelativePath(vscode.Uri.file(file), false);
  }

  private fire(): void {
    this.updateStatusBar();
    this.changeEmitter.fire();
  }

  private filesChanged(): void {
    this.folders.clear();
    this.fire();
  }

  private settingsTable(uri: vscode.Uri): EnvironmentTable {
    const setting = vscode.workspace.getConfiguration(REST_CLIENT_SECTION, uri).get<unknown>(REST_CLIENT_KEY);
    const table = restClientEnvironments(setting);
    if (typeof table === 'string') {
      this.reportOnce('settings', `REST Client's setting ${REST_CLIENT_SECTION}.${REST_CLIENT_KEY} is not read: ${table}`);
      return {};
    }
    return table;
  }

  private folderEnvironments(uri: vscode.Uri, fresh = false): FolderEnvironments {
    if (uri.scheme !== 'file') return NO_FOLDER_ENVIRONMENTS;
    const folder = path.dirname(uri.fsPath);
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri;
    const top = root?.scheme === 'file' ? root.fsPath : undefined;
    const key = `${folder}\u0000${top ?? ''}`;
    let found = fresh ? undefined : this.folders.get(key);
    if (!found) {
      found = readFolderEnvironments(folder, top, { parseDotenv: (text) => loadHeavy().parseDotenv(text) });
      for (const problem of found.problems) this.reportOnce(`${problem.file}\u0000${problem.message}`, `${problem.file} could not be read: ${problem.message}`);
      this.folders.set(key, found);
    }
    return found;
  }

  private reportOnce(key: string, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.log.warn(message);
  }

  private updateStatusBar(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'http') {
      this.item.hide();
      this.shown = false;
      return;
    }
    this.lastRequestFile = doc.uri;
    const selected = this.selected;
    const name = selected ?? vscode.l10n.t('No Environment');
    this.item.text = `${ENVIRONMENT_ICON} ${name}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(vscode.l10n.t('Request environment: {0}', name));
    tooltip.appendMarkdown('\n\n');
    if (selected !== undefined) {
      const found = this.forDocument(doc).names.find((e) => e.name === selected);
      tooltip.appendText(
        found
          ? vscode.l10n.t('Defined in {0}.', found.sources.map((s) => this.describeSource(s)).join(', '))
          : vscode.l10n.t('Not defined for this file: no settings or environment file next to it or above it names it.'),
      );
      tooltip.appendMarkdown('\n\n');
    }
    tooltip.appendText(vscode.l10n.t('Click to choose another environment.'));
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Request environment: {0}. Choose another.', name), role: 'button' };
    this.item.show();
    this.shown = true;
  }

  /** What tests read of the status bar item. */
  get statusBarState(): { text: string; visible: boolean; command?: string } {
    const command = this.item.command;
    return { text: this.item.text, visible: this.shown, command: typeof command === 'string' ? command : command?.command };
  }

  // ── secrets in public environments ────────────────────────────────────────────────────────

  /** Which public environment document this is, if any. */
  private documentKind(doc: vscode.TextDocument): EnvironmentDocumentKind | undefined {
    const name = path.basename(doc.uri.path);
    if (name === PUBLIC_ENV_FILE) return 'env-file';
    if (name === 'settings.json' && doc.getText().includes(`${REST_CLIENT_SECTION}.${REST_CLIENT_KEY}`)) return 'settings';
    if (name.endsWith('.code-workspace') && doc.getText().includes(`${REST_CLIENT_SECTION}.${REST_CLIENT_KEY}`)) return 'workspace';
    return undefined;
  }

  private findings(doc: vscode.TextDocument): { kind: EnvironmentDocumentKind; findings: SecretFinding[] } | undefined {
    const kind = this.documentKind(doc);
    if (!kind) return undefined;
    return { kind, findings: loadHeavy().publicSecretFindings(doc.getText(), kind) };
  }

  checkDocument(doc: vscode.TextDocument): void {
    let found: ReturnType<RequestEnvironments['findings']>;
    try {
      found = this.findings(doc);
    } catch (error) {
      this.log.error(`Checking ${path.basename(doc.uri.path)} for secrets failed`, error);
      return;
    }
    if (!found) {
      if (this.diagnostics.has(doc.uri)) this.diagnostics.delete(doc.uri);
      return;
    }
    const where = found.kind === 'env-file' ? PUBLIC_ENV_FILE : vscode.l10n.t('REST Client\'s settings');
    const diagnostics = found.findings.map((finding) => {
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(finding.offset), doc.positionAt(finding.offset + finding.length)),
        finding.tokenShaped
          ? vscode.l10n.t('This looks like a token written into {0}, which is meant to be shared and committed. Move it to {1} (kept out of version control), or use the signed-in Concur session: {2}.', where, PRIVATE_ENV_FILE, SESSION_REFERENCE)
          : vscode.l10n.t('"{0}" looks like a secret written into {1}, which is meant to be shared and committed. Move it to {2} (kept out of version control).', finding.environmentPath[finding.environmentPath.length - 1], where, PRIVATE_ENV_FILE),
        vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = vscode.l10n.t('Concur request environments');
      diagnostic.code = SECRET_CODE;
      return diagnostic;
    });
    this.diagnostics.set(doc.uri, diagnostics);
  }

  /** Quick fixes for a secret in a public environment: move it to the private env file, or use the session for a token. */
  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.code === SECRET_CODE);
    if (!ours.length) return [];
    const found = this.findings(doc);
    if (!found) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const offset = doc.offsetAt(diagnostic.range.start);
      const finding = found.findings.find((f) => f.offset === offset);
      if (!finding) continue;
      const privateFile = this.privateFileFor(doc, found.kind);
      if (privateFile) {
        const action = new vscode.CodeAction(vscode.l10n.t('Move to {0}', PRIVATE_ENV_FILE), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = !finding.tokenShaped;
        action.edit = await this.moveEdit(doc, finding, privateFile);
        actions.push(action);
      }
      if (finding.tokenShaped) {
        const action = new vscode.CodeAction(vscode.l10n.t('Use the signed-in Concur session instead of this token'), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        const replacement = /^\s*bearer\s/i.test(finding.value) ? `Bearer ${SESSION_REFERENCE}` : SESSION_REFERENCE;
        const edit = loadHeavy().replaceValueEdit(finding.offset, finding.length, replacement);
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length)), edit.content);
        actions.push(action);
      }
    }
    return actions;
  }

  /** The private env file beside a public one, or (for settings) in the workspace folder. */
  private privateFileFor(doc: vscode.TextDocument, kind: EnvironmentDocumentKind): vscode.Uri | undefined {
    if (kind === 'env-file') return vscode.Uri.joinPath(doc.uri, '..', PRIVATE_ENV_FILE);
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, PRIVATE_ENV_FILE) : undefined;
  }

  private async moveEdit(doc: vscode.TextDocument, finding: SecretFinding, privateFile: vscode.Uri): Promise<vscode.WorkspaceEdit> {
    const openapi = loadHeavy();
    const edit = new vscode.WorkspaceEdit();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === privateFile.toString());
    let existing: string | undefined = open?.getText();
    if (existing === undefined && privateFile.scheme === 'file') {
      try {
        existing = await fs.promises.readFile(privateFile.fsPath, 'utf8');
      } catch {
        // No private file yet: it is created.
      }
    }
    const text = openapi.privateFileText(existing, finding.environmentPath, finding.value);
    if (existing === undefined) {
      edit.createFile(privateFile, { ignoreIfExists: true });
      edit.insert(privateFile, new vscode.Position(0, 0), text);
    } else {
      const lines = existing.split(/\r\n|\r|\n/);
      edit.replace(privateFile, new vscode.Range(0, 0, lines.length - 1, lines[lines.length - 1].length), text);
    }
    for (const removal of openapi.removeValueEdits(doc.getText(), finding.path)) {
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(removal.offset), doc.positionAt(removal.offset + removal.length)), removal.content);
    }
    return edit;
  }
}

function isEnvironmentFileName(name: string): boolean {
  return name === PUBLIC_ENV_FILE || name === PRIVATE_ENV_FILE || name === '.env' || name.startsWith('.env.') || name.endsWith('.env');
}
