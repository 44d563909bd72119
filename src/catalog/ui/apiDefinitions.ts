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
import { setDefinitionEntries, type DefinitionEntries } from '../catalog';
import { DefinitionStore, type FetchMode } from '../definitionStore';
import type { HttpClient } from '../../platform/http';
import { DEFAULT_PUBLISHED_BASE_URL, PUBLISHED_DEFINITIONS, publishedByKey, publishedFamilies, publishedUrl } from '../publishedDefinitions';
import { definitionUrl, isUrlSchemePrefix } from '../../platform/resolver';
import type * as OpenApi from '../definitions/openapi';
import type { Log } from '../../platform/ui/log';
import { Disposable } from '../../platform/lifecycle';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';

export const DEFINITIONS_SETTING = 'apiDefinitions';
/** Concur's published definition files chosen, by key (`v4-0/Cards.oas3.json`). */
export const PUBLISHED_SETTING = 'publishedApiDefinitions';
/** Where Concur's published definition files are downloaded from. */
export const PUBLISHED_BASE_URL_SETTING = 'publishedApiDefinitionsBaseUrl';

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

/** A definition as configured: where it is, and what the extension corrects about it. */
export interface ConfiguredDefinition {
  /** A file path or an https URL, as written in the setting (or built from a published file's key). */
  readonly location: string;
  /** Replaces the document's own base path; '' for none. */
  readonly basePath?: string;
  /** The product group's name, instead of the document's title and version. */
  readonly product?: string;
  /** The published file this is, when it is one of Concur's (`v4-0/Cards.oas3.json`). */
  readonly published?: string;
}

/** How many definitions are read at once (downloads in parallel, parsing one after another on this thread). */
const PARALLEL_READS = 6;

export class ApiDefinitions extends Disposable {
  private readonly emitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the definitions in the catalog or their problems change. */
  readonly onDidChange = this.emitter.event;
  private loading: Promise<void> | undefined;
  private current: readonly DefinitionEntries[] = [];
  private failed: readonly DefinitionProblem[] = [];
  /** Problems already shown in a notification (location + message), so that a reload does not repeat them. */
  private readonly told = new Set<string>();
  /** Definitions read, by configuration: a change to the setting reads only what is new. */
  private readonly cache = new Map<string, DefinitionEntries>();
  private generation = 0;
  private readonly store: DefinitionStore;

  constructor(
    http: HttpClient,
    private readonly log: Log,
    private readonly messages: Messages,
    /** Where downloaded definitions are kept (the extension's global storage), shared by every window. */
    storageFolder: string,
  ) {
    super();
    this.store = new DefinitionStore(path.join(storageFolder, 'definitions'), http);
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Definitions already read are kept; only new entries are read (Reload reads them all again).
        const affected = e.affectsConfiguration(`concur.${DEFINITIONS_SETTING}`) || e.affectsConfiguration(`concur.${PUBLISHED_SETTING}`) || e.affectsConfiguration(`concur.${PUBLISHED_BASE_URL_SETTING}`);
        if (affected && this.loading) this.loading = this.reload({ keepLoaded: true });
      }),
    );
  }

  /** The setting's entries, as written (trimmed, non-empty, each once). */
  configured(): string[] {
    return this.configuredDefinitions().map((d) => d.location);
  }

  /**
   * Every definition configured: `concur.apiDefinitions` (a path or URL, or an object with a
   * `basePath` override), then Concur's published files chosen in `concur.publishedApiDefinitions`.
   */
  configuredDefinitions(): ConfiguredDefinition[] {
    const config = vscode.workspace.getConfiguration('concur');
    const out = new Map<string, ConfiguredDefinition>();
    const listed = config.get<unknown>(DEFINITIONS_SETTING, []);
    for (const entry of Array.isArray(listed) ? listed : []) {
      const parsed = parseEntry(entry);
      if (parsed && !out.has(parsed.location)) out.set(parsed.location, parsed);
    }
    const base = this.publishedBaseUrl();
    const published = config.get<unknown>(PUBLISHED_SETTING, []);
    for (const key of Array.isArray(published) ? published : []) {
      const known = typeof key === 'string' ? publishedByKey(key.trim()) : undefined;
      if (!known) continue;
      const location = publishedUrl(base, known.key);
      if (!out.has(location)) out.set(location, { location, product: known.product, basePath: known.basePath, published: known.key });
    }
    return [...out.values()];
  }

  /** Where Concur's published files are downloaded from (an application setting: a workspace cannot redirect it). */
  publishedBaseUrl(): string {
    const value = vscode.workspace.getConfiguration('concur').get<unknown>(PUBLISHED_BASE_URL_SETTING, DEFAULT_PUBLISHED_BASE_URL);
    return typeof value === 'string' && value.trim() ? value.trim().replace(/\/+$/, '') : DEFAULT_PUBLISHED_BASE_URL;
  }

  get definitions(): readonly DefinitionEntries[] {
    return this.current;
  }

  get problems(): readonly DefinitionProblem[] {
    return this.failed;
  }

  /** Loads the configured definitions once (nothing to do, and nothing loaded, when there are none). */
  ensureLoaded(): Promise<void> {
    if (!this.loading && this.configuredDefinitions().length === 0) return Promise.resolve();
    this.loading ??= this.reload({ keepLoaded: true });
    return this.loading;
  }

  /**
   * Reads the configured definitions: all of them again (asking web servers whether their documents
   * changed), or (keepLoaded) those not read yet, from kept copies where there are some.
   */
  async reload(options: { keepLoaded?: boolean; read?: DefinitionEntries } = {}): Promise<void> {
    const generation = ++this.generation;
    const configured = this.configuredDefinitions();
    const problems: DefinitionProblem[] = [];
    if (!options.keepLoaded) this.cache.clear();
    if (options.read) this.cache.set(cacheKey({ location: options.read.location }), options.read);
    const mode: FetchMode = options.keepLoaded ? 'kept' : 'revalidate';
    const results = await inParallel(configured, PARALLEL_READS, async (definition) => {
      try {
        return this.cache.get(cacheKey(definition)) ?? (await this.read(definition, mode));
      } catch (error) {
        problems.push(problemOf(definition.location, error));
        return undefined;
      }
    });
    // Reloads can overlap (a setting changed while one ran): only the newest one's result counts.
    if (generation !== this.generation) return;
    const loaded = results.filter((r): r is DefinitionEntries => r !== undefined);
    this.current = loaded;
    this.failed = configured.map((d) => problems.find((p) => p.location === d.location)).filter((p): p is DefinitionProblem => p !== undefined);
    setDefinitionEntries(loaded);
    for (const d of loaded) {
      this.log.info(`API definition ${d.location}: ${d.endpoints.length} operation${d.endpoints.length === 1 ? '' : 's'} in "${d.product}"`);
      for (const warning of d.warnings ?? []) this.log.warn(`API definition ${d.location}: ${warning}`);
    }
    for (const p of this.failed) this.report(p);
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
          return await this.read({ location }, 'revalidate', abort.signal);
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
    const inspected = config.inspect<unknown[]>(DEFINITIONS_SETTING);
    const inWorkspace = inspected?.workspaceValue !== undefined;
    const list = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
    if (!list.some((entry) => parseEntry(entry)?.location === location)) {
      this.loading = undefined;
      await config.update(DEFINITIONS_SETTING, [...list, location], inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    }
    await (this.loading = this.reload({ keepLoaded: true, read: entries }));
    const added = this.current.find((d) => d.location === location) ?? entries;
    const count = entries.endpoints.length === 1 ? vscode.l10n.t('Added 1 operation of "{0}" to the API Catalog.', entries.product) : vscode.l10n.t('Added {0} operations of "{1}" to the API Catalog.', entries.endpoints.length, entries.product);
    const warnings = entries.warnings?.length ?? 0;
    if (warnings) {
      const showLog = vscode.l10n.t('Show Log');
      const note = warnings === 1 ? vscode.l10n.t('1 part could not be read as written; the log says which.') : vscode.l10n.t('{0} parts could not be read as written; the log says which.', warnings);
      void this.messages.warn(`${count} ${note}`, showLog).then((choice) => {
        if (choice === showLog) this.log.show();
      });
    } else {
      void this.messages.info(count);
    }
    return added;
  }

  /**
   * "Add Concur's Published API Definitions…": the families picked (all by default), their files
   * downloaded from Concur's developer site in parallel (cancellable), kept for windows without
   * network, and added to `concur.publishedApiDefinitions`. What failed is said per file; the rest is added.
   */
  async addPublished(families?: readonly string[]): Promise<{ added: string[]; failed: DefinitionProblem[] } | undefined> {
    const offered = publishedFamilies();
    let chosen = families ? offered.filter((f) => families.includes(f.id)) : undefined;
    if (!chosen) {
      const picked = await vscode.window.showQuickPick(
        offered.map((f) => ({ label: f.label, detail: f.detail, picked: true, family: f })),
        { canPickMany: true, title: vscode.l10n.t('Add Concur\'s Published API Definitions'), placeHolder: vscode.l10n.t('Which of Concur\'s API families? (Their definition files are downloaded from {0}.)', this.publishedBaseUrl()) },
      );
      if (!picked?.length) return undefined;
      chosen = picked.map((p) => p.family);
    }
    const ids = new Set(chosen.map((f) => f.id));
    const files = PUBLISHED_DEFINITIONS.filter((d) => ids.has(d.family));
    const base = this.publishedBaseUrl();
    const read: DefinitionEntries[] = [];
    const failed: DefinitionProblem[] = [];
    const cancelled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading Concur\'s API definitions'), cancellable: true },
      async (progress, cancel) => {
        const abort = new AbortController();
        const subscription = cancel.onCancellationRequested(() => abort.abort());
        let done = 0;
        try {
          await inParallel(files, PARALLEL_READS, async (file) => {
            if (abort.signal.aborted) return;
            const location = publishedUrl(base, file.key);
            try {
              const entries = await this.read({ location, product: file.product, basePath: file.basePath, published: file.key }, 'revalidate', abort.signal);
              read.push(entries);
            } catch (error) {
              if (!abort.signal.aborted) failed.push(problemOf(location, error));
            }
            done++;
            progress.report({ increment: 100 / files.length, message: vscode.l10n.t('{0} of {1}: {2}', done, files.length, file.product) });
          });
        } finally {
          subscription.dispose();
        }
        return abort.signal.aborted;
      },
    );
    const added = files.filter((f) => read.some((r) => r.location === publishedUrl(base, f.key))).map((f) => f.key);
    if (added.length) {
      const config = vscode.workspace.getConfiguration('concur');
      const before = config.inspect<unknown[]>(PUBLISHED_SETTING)?.globalValue ?? [];
      const keys = [...new Set([...before.filter((k): k is string => typeof k === 'string'), ...added])];
      this.loading = undefined;
      await config.update(PUBLISHED_SETTING, keys, vscode.ConfigurationTarget.Global);
      await (this.loading = this.reload({ keepLoaded: true }));
    }
    for (const problem of failed) this.log.error(`Concur's published API definition ${problem.location} could not be added: ${problem.message}${problem.where ? ` (${problem.where})` : ''}`);
    const operations = read.reduce((n, d) => n + d.endpoints.length, 0);
    const summary = cancelled
      ? vscode.l10n.t('Cancelled: {0} of Concur\'s {1} API definitions were added ({2} operations).', added.length, files.length, operations)
      : vscode.l10n.t('Added {0} of Concur\'s {1} API definitions to the API Catalog ({2} operations).', added.length, files.length, operations);
    if (failed.length) {
      const showLog = vscode.l10n.t('Show Log');
      const shown = failed.slice(0, 5).map((p) => `${displayFile(p.location)}: ${p.message}`);
      if (failed.length > shown.length) shown.push(vscode.l10n.t('and {0} more (see the log)', failed.length - shown.length));
      const list = shown.join('; ');
      const causes = new Set(failed.map((p) => p.message));
      // Nothing added is not "Added 0 of …"; one cause for every file (offline, say) is said once.
      const said =
        cancelled || added.length
          ? `${summary} ${vscode.l10n.t('Not added: {0}.', list)}`
          : causes.size === 1
            ? vscode.l10n.t("None of Concur's {0} API definitions could be added: {1}.", files.length, failed[0].message)
            : vscode.l10n.t("None of Concur's {0} API definitions could be added: {1}.", files.length, list);
      void this.messages.error(said, showLog).then((choice) => {
        if (choice === showLog) this.log.show();
      });
    } else {
      void this.messages.info(summary);
    }
    return { added, failed };
  }

  /** Takes a definition out of the setting (where it is listed) and out of the catalog. */
  async remove(location: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('concur');
    const published = this.configuredDefinitions().find((d) => d.location === location)?.published;
    if (published) {
      const inspected = config.inspect<unknown[]>(PUBLISHED_SETTING);
      for (const [value, target] of [
        [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
        [inspected?.globalValue, vscode.ConfigurationTarget.Global],
      ] as const) {
        if (Array.isArray(value) && value.includes(published)) await config.update(PUBLISHED_SETTING, value.filter((v) => v !== published), target);
      }
    }
    const inspected = config.inspect<unknown[]>(DEFINITIONS_SETTING);
    for (const [value, target] of [
      [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
      [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspected?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const) {
      if (Array.isArray(value) && value.some((v) => parseEntry(v)?.location === location)) {
        await config.update(DEFINITIONS_SETTING, value.filter((v) => parseEntry(v)?.location !== location), target);
      }
    }
    await (this.loading = this.reload({ keepLoaded: true }));
  }

  private async read(definition: ConfiguredDefinition, mode: FetchMode, signal?: AbortSignal): Promise<DefinitionEntries> {
    const { location } = definition;
    const resolved = resolveLocation(location);
    this.log.info(`Reading the API definition ${location}${mode === 'kept' ? '' : ' (checking for changes)'}`);
    const notes: string[] = [];
    const entries = await loadOpenApi().loadDefinition(
      { id: definitionId(cacheKey(definition)), location: resolved, basePath: definition.basePath, product: definition.product },
      {
        fetchText: async (url: string, s?: AbortSignal) => {
          const kept = await this.store.fetch(url, mode, s ?? signal);
          if (kept.note) notes.push(kept.note);
          return kept.text;
        },
        signal,
        // A local definition's $refs may read its own folder and the workspace's folders.
        allowedFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      },
    );
    // The catalog shows what the user wrote in the setting, not the expanded path.
    const warnings = [...notes, ...(entries.warnings ?? [])];
    const read: DefinitionEntries = { ...entries, location, ...(warnings.length ? { warnings } : {}) };
    this.cache.set(cacheKey(definition), read);
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
        // Nothing but the start of "https://" is not wrong yet: a hint, no error (Enter on it adds nothing).
        if (isUrlSchemePrefix(value)) return { message: vscode.l10n.t('Type the https URL of the definition file, such as https://…/openapi.yaml.'), severity: vscode.InputBoxValidationSeverity.Info };
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

/** A setting entry: a location, or `{ "location": …, "basePath": …, "product": … }`; undefined for anything else. */
function parseEntry(entry: unknown): ConfiguredDefinition | undefined {
  if (typeof entry === 'string') return entry.trim() ? { location: entry.trim() } : undefined;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const { location, basePath, product } = entry as Record<string, unknown>;
  if (typeof location !== 'string' || !location.trim()) return undefined;
  return {
    location: location.trim(),
    ...(typeof basePath === 'string' ? { basePath: basePath.trim() } : {}),
    ...(typeof product === 'string' && product.trim() ? { product: product.trim().slice(0, 120) } : {}),
  };
}

/** What a read definition is kept by: its location, and the corrections that change what it reads as. */
function cacheKey(definition: ConfiguredDefinition): string {
  return definition.basePath === undefined && definition.product === undefined ? definition.location : `${definition.location}\n${definition.basePath ?? ''}\n${definition.product ?? ''}`;
}

/** Runs `work` on every item, at most `limit` at a time; the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The file name of a location, for a list of failures. */
function displayFile(location: string): string {
  return location.split(/[/\\]/).filter(Boolean).pop() ?? location;
}

function shortLocation(location: string): string {
  return location.length > 90 ? `…${location.slice(-88)}` : location;
}

function problemOf(location: string, error: unknown): DefinitionProblem {
  const message = error instanceof Error ? error.message : String(error);
  const where = typeof (error as { where?: unknown })?.where === 'string' ? (error as { where: string }).where : undefined;
  // A fragment: the messages that quote it end the sentence themselves.
  return { location, message: message.replace(/\s+/g, ' ').trim().slice(0, 500).replace(/\.$/, ''), where };
}
