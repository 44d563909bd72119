/**
 * Request-file environments, read as the tools that define them read them. Knows nothing of VS Code:
 * the caller hands in REST Client's setting and the folders, and chooses the environment.
 *
 * - REST Client: the `rest-client.environmentVariables` setting, `{ "$shared": {…}, "dev": {…} }`.
 *   The chosen environment's values win over `$shared`'s, and `$shared` still applies with no
 *   environment chosen. A value may be `{{$shared name}}` (or `{{$<environment> name}}`), which REST
 *   Client replaces by that environment's value before anything else.
 * - JetBrains' HTTP Client: `http-client.env.json` (meant for version control) and
 *   `http-client.private.env.json` (not), `{ "dev": {…} }`, in the request file's folder or one above
 *   it up to the workspace folder, as httpYac looks for them. The private file's values win over the
 *   public file's for the same environment (as httpYac merges them, and as a file for secrets is
 *   meant; JetBrains' help page words a name conflict the other way round), and a file nearer the
 *   request file wins over one further up. A `$shared` object applies to every environment, as
 *   Visual Studio and httpYac read it.
 * - httpYac's dotenv files: `.env` always, and `.env.<name>` or `<name>.env` for the chosen
 *   environment (which they also name), from the workspace folder down to the request file's
 *   folder, nearer files winning. Their values are `{{NAME}}` variables.
 *
 * One environment may be defined in several of these; its variables are then merged, lowest first:
 * every `$shared` (settings, env files, `.env`), then the environment's own (settings, env files,
 * `.env.<name>`): what the chosen environment says beats what every environment shares, and a file
 * beside the request file beats a setting that applies everywhere.
 *
 * REST Client's `{{$dotenv NAME}}` has its own lookup (dotenvValue): the nearest folder that has
 * `.env.<environment>` or `.env`, the environment's file first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { l10n } from '../platform/l10n';
import { looksLikeSecret } from './secrets';
import { loadHeavy } from './lazyHeavy';

export const PUBLIC_ENV_FILE = 'http-client.env.json';
export const PRIVATE_ENV_FILE = 'http-client.private.env.json';
export const SHARED_ENVIRONMENT = '$shared';
/** REST Client's setting (section `rest-client`, key `environmentVariables`). */
/** Files larger than this are not read (an environment file is a few kilobytes). */
export const MAX_ENVIRONMENT_FILE_BYTES = 1024 * 1024;
/** Nested objects in an env file are read this deep as `outer.inner` names, and no deeper. */
const MAX_DEPTH = 8;

export type EnvironmentSourceKind = 'settings' | 'env-file' | 'private-env-file' | 'dotenv';

export interface EnvironmentSource {
  readonly kind: EnvironmentSourceKind;
  /** The file, absolute; absent for the settings. */
  readonly file?: string;
}

/** Variables by environment name (`$shared` included), as one source defines them. */
export type EnvironmentTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface EnvironmentFile extends EnvironmentSource {
  readonly kind: 'env-file' | 'private-env-file';
  readonly file: string;
  readonly environments: EnvironmentTable;
}

export interface DotenvFile extends EnvironmentSource {
  readonly kind: 'dotenv';
  readonly file: string;
  /** `dev` for `.env.dev` or `dev.env`; absent for `.env`. */
  readonly environment?: string;
  readonly values: Readonly<Record<string, string>>;
}

export interface EnvironmentProblem {
  readonly file: string;
  readonly message: string;
}

/** The environment files found for one folder, from the workspace folder down to it. */
export interface FolderEnvironments {
  /** Outermost folder first; within a folder the public file before the private one. */
  readonly files: readonly EnvironmentFile[];
  /** Outermost folder first; within a folder `.env` before the named ones. */
  readonly dotenv: readonly DotenvFile[];
  readonly problems: readonly EnvironmentProblem[];
}

export const NO_FOLDER_ENVIRONMENTS: FolderEnvironments = { files: [], dotenv: [], problems: [] };

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
  readonly source: EnvironmentSource;
  /** The environment that gave it: `$shared`, the chosen one's name, or '' for a `.env` file. */
  readonly environment: string;
  /** To be kept out of view: from a private env file or a dotenv file, or named or shaped like a secret. */
  readonly secret: boolean;
}

export interface EnvironmentName {
  readonly name: string;
  /** Where it is defined, each source once. */
  readonly sources: readonly EnvironmentSource[];
}

/** The folders from `root` down to `folder`; only `folder` when it is not inside `root`. */
export function foldersFromRoot(folder: string, root: string | undefined): string[] {
  const target = path.resolve(folder);
  if (!root) return [target];
  const top = path.resolve(root);
  const relative = path.relative(top, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return [target];
  const out = [top];
  let at = top;
  for (const part of relative.split(path.sep).filter(Boolean)) out.push((at = path.join(at, part)));
  return out;
}

/** A JSON value as variable text: strings as they are, other scalars as JSON, objects also by `outer.inner` names. */
function addVariables(into: Record<string, string>, name: string, value: unknown, depth: number): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') into[name] = value;
  else if (typeof value === 'number' || typeof value === 'boolean') into[name] = String(value);
  else if (typeof value === 'object') {
    into[name] = JSON.stringify(value);
    if (depth >= MAX_DEPTH || Array.isArray(value)) return;
    for (const [key, inner] of Object.entries(value)) addVariables(into, `${name}.${key}`, inner, depth + 1);
  }
}

/**
 * `{ "dev": { "host": "…" } }` as a table; keys whose value is not an object (a `$schema` link) are
 * no environment. A string when the value is not an object at all.
 */
export function environmentTable(json: unknown): EnvironmentTable | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return l10n.t('expected an object of environments, such as {0}', '{ "dev": { "host": "…" } }');
  const table: Record<string, Record<string, string>> = {};
  for (const [environment, variables] of Object.entries(json as Record<string, unknown>)) {
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) continue;
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) addVariables(out, name, value, 1);
    table[environment] = out;
  }
  return table;
}

/** Where in a JSON text a parse error stands, as "line N". */
function jsonProblem(text: string, error: unknown): string {
  const message = (error as Error).message;
  const at = /position (\d+)/.exec(message);
  if (!at) return message;
  const line = text.slice(0, Number(at[1])).split('\n').length;
  return l10n.t('{0} (line {1})', message.replace(/\s*\(line \d+ column \d+\)$/, ''), line);
}

export interface FolderReadOptions {
  readonly readdir?: (folder: string) => string[];
  /** The file's text, or undefined when it is missing or larger than `max` bytes. */
  readonly readFile?: (file: string, max: number) => string | undefined;
  /** dotenv's parser (the extension passes the lazily loaded one). */
  readonly parseDotenv?: (text: string) => Record<string, string>;
}

function readSmallFile(file: string, max: number): string | undefined {
  let handle: number | undefined;
  try {
    handle = fs.openSync(file, 'r');
    const size = fs.fstatSync(handle).size;
    if (size > max) return undefined;
    const buffer = Buffer.alloc(size);
    fs.readSync(handle, buffer, 0, size, 0);
    return buffer.toString('utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  } finally {
    if (handle !== undefined) fs.closeSync(handle);
  }
}

function listFolder(folder: string): string[] {
  try {
    return fs.readdirSync(folder);
  } catch {
    return [];
  }
}

/** `.env` → '', `.env.dev` and `dev.env` → 'dev'; undefined for any other name. */
export function dotenvEnvironment(fileName: string): string | undefined {
  if (fileName === '.env') return '';
  const named = /^\.env\.([\w.-]+)$/.exec(fileName)?.[1] ?? /^([\w-][\w.-]*)\.env$/.exec(fileName)?.[1];
  return named && named !== SHARED_ENVIRONMENT ? named : undefined;
}

/**
 * Reads the env files and dotenv files from `root` down to `folder` (each at most
 * MAX_ENVIRONMENT_FILE_BYTES). What does not read becomes a problem, and the rest still counts.
 */
export function readFolderEnvironments(folder: string, root: string | undefined, options: FolderReadOptions = {}): FolderEnvironments {
  const readdir = options.readdir ?? listFolder;
  const readFile = options.readFile ?? readSmallFile;
  const files: EnvironmentFile[] = [];
  const dotenv: DotenvFile[] = [];
  const problems: EnvironmentProblem[] = [];
  const tooLarge = (file: string): void => void problems.push({ file, message: l10n.t('it is larger than {0} KB and was not read', MAX_ENVIRONMENT_FILE_BYTES / 1024) });
  for (const dir of foldersFromRoot(folder, root)) {
    const names = readdir(dir);
    for (const [name, kind] of [[PUBLIC_ENV_FILE, 'env-file'], [PRIVATE_ENV_FILE, 'private-env-file']] as const) {
      if (!names.includes(name)) continue;
      const file = path.join(dir, name);
      const text = readFile(file, MAX_ENVIRONMENT_FILE_BYTES);
      if (text === undefined) {
        tooLarge(file);
        continue;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        problems.push({ file, message: jsonProblem(text, error) });
        continue;
      }
      const table = environmentTable(json);
      if (typeof table === 'string') problems.push({ file, message: table });
      else files.push({ kind, file, environments: table });
    }
    const dotenvNames = names.filter((n) => dotenvEnvironment(n) !== undefined).sort((a, b) => (a === '.env' ? -1 : b === '.env' ? 1 : a.localeCompare(b)));
    for (const name of dotenvNames) {
      const file = path.join(dir, name);
      const text = readFile(file, MAX_ENVIRONMENT_FILE_BYTES);
      if (text === undefined) {
        // A folder named like a dotenv file reads as nothing; only a real file that is too large is a problem.
        if (isLargeFile(file)) tooLarge(file);
        continue;
      }
      const environment = dotenvEnvironment(name);
      try {
        const values = (options.parseDotenv ?? loadDotenvParser())(text);
        dotenv.push(environment ? { kind: 'dotenv', file, environment, values } : { kind: 'dotenv', file, values });
      } catch (error) {
        problems.push({ file, message: (error as Error).message });
      }
    }
  }
  return { files, dotenv, problems };
}

function isLargeFile(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size > MAX_ENVIRONMENT_FILE_BYTES;
  } catch {
    return false;
  }
}

/** dotenv's parser, from the lazily loaded bundle (dist/openapi.js) that holds it. */
function loadDotenvParser(): (text: string) => Record<string, string> {
  return loadHeavy().parseDotenv;
}

/** REST Client's setting as a table; a string when it is not the shape REST Client reads. */
export function restClientEnvironments(setting: unknown): EnvironmentTable | string {
  if (setting === undefined || setting === null) return {};
  return environmentTable(setting);
}

/** Every environment a request file can choose, with where each is defined (`$shared` is none). */
export function environmentNames(settings: EnvironmentTable, folder: FolderEnvironments): EnvironmentName[] {
  const found = new Map<string, EnvironmentSource[]>();
  const add = (name: string, source: EnvironmentSource): void => {
    if (name === SHARED_ENVIRONMENT) return;
    const sources = found.get(name) ?? [];
    if (!sources.some((s) => s.kind === source.kind && s.file === source.file)) sources.push(source);
    found.set(name, sources);
  };
  for (const name of Object.keys(settings)) add(name, { kind: 'settings' });
  for (const file of folder.files) for (const name of Object.keys(file.environments)) add(name, { kind: file.kind, file: file.file });
  for (const file of folder.dotenv) if (file.environment) add(file.environment, { kind: 'dotenv', file: file.file });
  return [...found].map(([name, sources]) => ({ name, sources })).sort((a, b) => a.name.localeCompare(b.name));
}

export interface EnvironmentLayer {
  readonly source: EnvironmentSource;
  /** `$shared`, the chosen environment, or '' for `.env`. */
  readonly environment: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Every value is kept out of view (a private env file, a dotenv file). */
  readonly private: boolean;
}

/** The layers that make up an environment (none chosen: only what every environment shares), lowest first. */
export function environmentLayers(selected: string | undefined, settings: EnvironmentTable, folder: FolderEnvironments): EnvironmentLayer[] {
  const layers: EnvironmentLayer[] = [];
  const fromTables = (environment: string): void => {
    const settingsVariables = settings[environment];
    if (settingsVariables) layers.push({ source: { kind: 'settings' }, environment, variables: settingsVariables, private: false });
    // Public files first, then private ones (each outermost first): the private file wins for the same environment.
    for (const kind of ['env-file', 'private-env-file'] as const) {
      for (const file of folder.files) {
        const variables = file.kind === kind ? file.environments[environment] : undefined;
        if (variables) layers.push({ source: { kind, file: file.file }, environment, variables, private: kind === 'private-env-file' });
      }
    }
  };
  fromTables(SHARED_ENVIRONMENT);
  for (const file of folder.dotenv) if (!file.environment) layers.push({ source: { kind: 'dotenv', file: file.file }, environment: '', variables: file.values, private: true });
  if (selected !== undefined && selected !== SHARED_ENVIRONMENT) {
    fromTables(selected);
    for (const file of folder.dotenv) if (file.environment === selected) layers.push({ source: { kind: 'dotenv', file: file.file }, environment: selected, variables: file.values, private: true });
  }
  return layers;
}

const SHARED_REFERENCE = /\{\{\s*\$([^\s{}]+)\s+([^{}]*?)\s*\}\}/g;

/**
 * The variables of the layers, later layers winning. `{{$shared name}}` in a value becomes what the
 * shared layers give `name`, and `{{$<chosen> name}}` what the chosen environment gives it, as REST
 * Client resolves them (once; other references stay for expansion).
 */
export function resolveEnvironment(layers: readonly EnvironmentLayer[]): Map<string, EnvironmentVariable> {
  const variables = new Map<string, EnvironmentVariable>();
  const shared = new Map<string, string>();
  const own = new Map<string, string>();
  let selected: string | undefined;
  for (const layer of layers) {
    if (layer.environment && layer.environment !== SHARED_ENVIRONMENT) selected = layer.environment;
    for (const [name, value] of Object.entries(layer.variables)) {
      if (layer.environment === SHARED_ENVIRONMENT) shared.set(name, value);
      else if (layer.environment) own.set(name, value);
      variables.set(name, { name, value, source: layer.source, environment: layer.environment, secret: layer.private || looksLikeSecret(name, value) });
    }
  }
  for (const [name, variable] of variables) {
    if (!variable.value.includes('{{')) continue;
    const value = variable.value.replace(SHARED_REFERENCE, (whole, environment: string, key: string) => {
      const found = `$${environment}` === SHARED_ENVIRONMENT ? shared.get(key) : environment === selected ? own.get(key) : undefined;
      return found ?? whole;
    });
    if (value !== variable.value) variables.set(name, { ...variable, value, secret: variable.secret || looksLikeSecret(name, value) });
  }
  return variables;
}

/**
 * REST Client's `{{$dotenv NAME}}`: the nearest folder (the request file's, then up to the workspace
 * folder) with `.env.<environment>` or `.env`, the environment's file first; the value and its file.
 */
export function dotenvValue(folder: FolderEnvironments, selected: string | undefined, key: string): { value?: string; file?: string } {
  const byFolder = new Map<string, DotenvFile[]>();
  for (const file of folder.dotenv) {
    // REST Client reads `.env.<name>`, not httpYac's `<name>.env`.
    if (file.environment && path.basename(file.file) !== `.env.${file.environment}`) continue;
    const dir = path.dirname(file.file);
    byFolder.set(dir, [...(byFolder.get(dir) ?? []), file]);
  }
  for (const files of [...byFolder.values()].reverse()) {
    const chosen = (selected !== undefined && files.find((f) => f.environment === selected)) || files.find((f) => !f.environment);
    if (!chosen) continue;
    return Object.prototype.hasOwnProperty.call(chosen.values, key) ? { value: chosen.values[key], file: chosen.file } : { file: chosen.file };
  }
  return {};
}

