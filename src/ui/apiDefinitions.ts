/**
 * API definitions (Swagger 2.0 and OpenAPI 3.x files) as a catalog source: the `concur.apiDefinitions`
 * setting lists them, "Add API Definition…" adds one from a file or an https URL, and each one that
 * reads becomes a product group in the API Catalog. One that does not read says where and why, in
 * the log, a notification and the catalog itself; the rest of the catalog stays.
 *
 * The parser and the JSON Schema validator (dist/openapi.js, about a megabyte) are loaded on first
 * use — when the catalog is first shown with definitions configured, or a definition is added — never
 * at activation. A definition's `servers` never decide where requests go: its operations are sent like
 * every catalog entry, through the resolver to the signed-in session's own host.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setDefinitionEntries, type DefinitionEntries } from '../concur/catalog';
import { fetchDefinitionText } from '../concur/definitionFetch';
import type { HttpClient } from '../concur/http';
import { definitionUrl } from '../concur/resolver';
import type * as OpenApi from '../definitions/openapi';
import type { Log } from '../log';
import { Disposable } from '../util/lifecycle';
import { UserError } from './commandErrors';
import type { Messages } from './messages';

export const DEFINITIONS_SETTING = 'apiDefinitions';

let openapi: typeof OpenApi | undefined;

/** The parser and validator bundle, required on first use (the build maps this to dist/openapi.js). */
export function loadOpenApi(): typeof OpenApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  openapi ??= require('../definitions/openapi') as typeof OpenApi;
  return openapi;
}

/** Whether the parser bundle has been loaded in this extension host (for tests and the benchmark). */
export function openApiLoaded(): boolean {
  return openapi !== undefined;
}

/** A definition that did not read: where it is listed, why, and where in the document. */
export interface DefinitionProblem {
  readonly location: string;
  readonly message: string;
  readonly where?: string;
}

/** A stable id for a definition's entries, from the setting's text. */
export function definitionId(location: string): string {
  return `def-${createHash('sha256').update(location).digest('hex').slice(0, 10)}`;
}

export class ApiDefinitions extends Disposable {
  private readonly emitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the definitions in the catalog or their problems change. */
  readonly onDidChange = this.emitter.event;
  private loading: Promise<void> | undefined;
  private current: readonly DefinitionEntries[] = [];
  private failed: readonly DefinitionProblem[] = [];
  /** Problems already shown in a notification (location + message), so that a reload does not repeat them. */
  private readonly told = new Set<string>();
  /** Definitions read, by the setting's text: a change to the setting reads only what is new. */
  private readonly cache = new Map<string, DefinitionEntries>();
  private generation = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly log: Log,
    private readonly messages: Messages,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Definitions already read are kept; only new entries are read (Reload reads them all again).
        if (e.affectsConfiguration(`concur.${DEFINITIONS_SETTING}`) && this.loading) this.loading = this.reload({ keepLoaded: true });
      }),
    );
  }

  /** The setting's entries, as written (trimmed, non-empty, each once). */
  configured(): string[] {
    const value = vscode.workspace.getConfiguration('concur').get<unknown>(DEFINITIONS_SETTING, []);
    if (!Array.isArray(value)) return [];
    return [...new Set(value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean))];
  }

  get definitions(): readonly DefinitionEntries[] {
    return this.current;
  }

  get problems(): readonly DefinitionProblem[] {
    return this.failed;
  }

  /** Loads the configured definitions once (nothing to do, and nothing loaded, when there are none). */
  ensureLoaded(): Promise<void> {
    if (!this.loading && this.configured().length === 0) return Promise.resolve();
    this.loading ??= this.reload({ keepLoaded: true });
    return this.loading;
  }

  /** Reads the configured definitions: all of them again, or (keepLoaded) those not read yet. */
  async reload(options: { keepLoaded?: boolean; read?: DefinitionEntries } = {}): Promise<void> {
    const generation = ++this.generation;
    const locations = this.configured();
    const loaded: DefinitionEntries[] = [];
    const problems: DefinitionProblem[] = [];
    if (!options.keepLoaded) this.cache.clear();
    if (options.read) this.cache.set(options.read.location, options.read);
    for (const location of locations) {
      try {
        loaded.push(this.cache.get(location) ?? (await this.read(location)));
      } catch (error) {
        problems.push(problemOf(location, error));
      }
    }
    // Reloads can overlap (a setting changed while one ran): only the newest one's result counts.
    if (generation !== this.generation) return;
    this.current = loaded;
    this.failed = problems;
    setDefinitionEntries(loaded);
    for (const d of loaded) this.log.info(`API definition ${d.location}: ${d.endpoints.length} operation${d.endpoints.length === 1 ? '' : 's'} in "${d.product}"`);
    for (const p of problems) this.report(p);
    this.emitter.fire();
  }

  /**
   * "Add API Definition…": a file or an https URL (given, or asked for). It is read first; only a
   * definition that reads is added to the setting (the user's, unless the workspace sets the list).
   */
  async add(given?: string): Promise<DefinitionEntries | undefined> {
    const location = given?.trim() || (await this.ask());
    if (!location) return undefined;
    if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) {
      const checked = definitionUrl(location);
      if (!checked.ok) throw new UserError(vscode.l10n.t('The API definition {0} is not added: {1}', shortLocation(location), checked.message));
    }
    const entries = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: this.messages.redact(vscode.l10n.t('Reading the API definition {0}…', shortLocation(location))), cancellable: true },
      async (_progress, cancel) => {
        const abort = new AbortController();
        const subscription = cancel.onCancellationRequested(() => abort.abort());
        try {
          return await this.read(location, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) return undefined;
          const problem = problemOf(location, error);
          this.log.error(`API definition ${location} could not be read: ${problem.message}${problem.where ? ` (${problem.where})` : ''}`);
          throw new UserError(
            problem.where
              ? vscode.l10n.t('The API definition {0} could not be read: {1} ({2}). It was not added.', shortLocation(location), problem.message, problem.where)
              : vscode.l10n.t('The API definition {0} could not be read: {1}. It was not added.', shortLocation(location), problem.message),
          );
        } finally {
          subscription.dispose();
        }
      },
    );
    if (!entries) return undefined;
    const config = vscode.workspace.getConfiguration('concur');
    const inspected = config.inspect<string[]>(DEFINITIONS_SETTING);
    const inWorkspace = inspected?.workspaceValue !== undefined;
    const list = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
    if (!list.includes(location)) {
      this.loading = undefined;
      await config.update(DEFINITIONS_SETTING, [...list, location], inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    }
    await (this.loading = this.reload({ keepLoaded: true, read: entries }));
    void this.messages.info(
      entries.endpoints.length === 1
        ? vscode.l10n.t('Added 1 operation of "{0}" to the API Catalog.', entries.product)
        : vscode.l10n.t('Added {0} operations of "{1}" to the API Catalog.', entries.endpoints.length, entries.product),
    );
    return this.current.find((d) => d.location === location) ?? entries;
  }

  /** Takes a definition out of the setting (where it is listed) and out of the catalog. */
  async remove(location: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('concur');
    const inspected = config.inspect<string[]>(DEFINITIONS_SETTING);
    for (const [value, target] of [
      [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
      [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspected?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const) {
      if (Array.isArray(value) && value.some((v) => typeof v === 'string' && v.trim() === location)) {
        await config.update(DEFINITIONS_SETTING, value.filter((v) => typeof v !== 'string' || v.trim() !== location), target);
      }
    }
    await (this.loading = this.reload({ keepLoaded: true }));
  }

  private async read(location: string, signal?: AbortSignal): Promise<DefinitionEntries> {
    const resolved = resolveLocation(location);
    this.log.info(`Reading the API definition ${location}`);
    const entries = await loadOpenApi().loadDefinition(
      { id: definitionId(location), location: resolved },
      { fetchText: (url: string, s?: AbortSignal) => fetchDefinitionText(this.http, url, s ?? signal), signal },
    );
    // The catalog shows what the user wrote in the setting, not the expanded path.
    const read = { ...entries, location };
    this.cache.set(location, read);
    return read;
  }

  private report(problem: DefinitionProblem): void {
    this.log.error(`The API definition ${shortLocation(problem.location)} could not be read: ${problem.message}${problem.where ? ` (${problem.where})` : ''}. The rest of the API Catalog is unchanged.`);
    const key = `${problem.location}\n${problem.message}\n${problem.where ?? ''}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    const text = problem.where
      ? vscode.l10n.t('The API definition {0} could not be read: {1} ({2}). The rest of the API Catalog is unchanged.', shortLocation(problem.location), problem.message, problem.where)
      : vscode.l10n.t('The API definition {0} could not be read: {1}. The rest of the API Catalog is unchanged.', shortLocation(problem.location), problem.message);
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    void this.messages.error(text, openSettings, showLog).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', `concur.${DEFINITIONS_SETTING}`);
      if (choice === showLog) this.log.show();
    });
  }

  private async ask(): Promise<string | undefined> {
    type Choice = vscode.QuickPickItem & { from: 'file' | 'url' };
    const choices: Choice[] = [
      { label: vscode.l10n.t('$(file) From a File…'), detail: vscode.l10n.t('A Swagger 2.0 or OpenAPI 3 document in JSON or YAML'), from: 'file' },
      { label: vscode.l10n.t('$(globe) From a URL…'), detail: vscode.l10n.t('An https address, such as one of the definition files Concur\'s developer center publishes'), from: 'url' },
    ];
    const title = vscode.l10n.t('Add API Definition');
    const picked = await vscode.window.showQuickPick(choices, { title, placeHolder: vscode.l10n.t('Where is the API definition?') });
    if (!picked) return undefined;
    if (picked.from === 'file') {
      const uris = await vscode.window.showOpenDialog({
        title,
        openLabel: vscode.l10n.t('Add to the API Catalog'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('API definitions')]: ['json', 'yaml', 'yml'], [vscode.l10n.t('All files')]: ['*'] },
      });
      return uris?.[0]?.fsPath;
    }
    const text = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('The https URL of a Swagger 2.0 or OpenAPI 3 document (nothing but the request for the file is sent there: no token)'),
      placeHolder: 'https://…/openapi.yaml',
      validateInput: (value) => {
        if (!value.trim()) return vscode.l10n.t('Enter a URL.');
        const checked = definitionUrl(value);
        return checked.ok ? undefined : checked.message;
      },
    });
    return text?.trim() || undefined;
  }
}

/** A setting entry as a path or URL to read: URLs as they are, `~` expanded, relative paths from the first workspace folder. */
export function resolveLocation(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  if (location === '~' || location.startsWith('~/')) return path.join(os.homedir(), location.slice(1));
  if (path.isAbsolute(location)) return location;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, location) : path.resolve(location);
}

function shortLocation(location: string): string {
  return location.length > 90 ? `…${location.slice(-88)}` : location;
}

function problemOf(location: string, error: unknown): DefinitionProblem {
  const message = error instanceof Error ? error.message : String(error);
  const where = typeof (error as { where?: unknown })?.where === 'string' ? (error as { where: string }).where : undefined;
  return { location, message: message.replace(/\s+/g, ' ').trim().slice(0, 500), where };
}
