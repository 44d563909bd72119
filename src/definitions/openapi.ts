/**
 * Reads a Swagger 2.0 or OpenAPI 3.0/3.1 document (JSON or YAML, `$ref`s resolved, also across
 * files and URLs) into the catalog's entries, and checks API answers against the schemas it gives.
 *
 * This module is the entry of its own bundle (dist/openapi.js), required on first use: it and its
 * libraries (@readme/openapi-parser, Ajv, jsonc-parser) must stay out of the activation bundle, so
 * nothing outside src/definitions imports them. It knows nothing of VS Code.
 *
 * Where the document's files come from:
 * - A local document is read from disk; its relative `$ref`s to other local files are read from
 *   disk too, and `$ref`s to http(s) URLs go through `options.fetchText`.
 * - A document at a URL: every file is fetched through `options.fetchText` (refs resolve relative
 *   to the URL), and no local file is ever read — a `file:` (or path) `$ref` is refused.
 * The parser's own HTTP client is switched off (`resolve.http.canRead = false`): it would send from
 * elsewhere than the extension's checked client.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundle, parse, type ParserOptions } from '@readme/openapi-parser';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DefinitionEntries } from '../concur/catalog';
import { l10n } from '../util/l10n';
import { documentKind, documentToEntries, MappingError } from './mapping';
import { isObject, pointerOf } from './pointer';

export { checkAgainstSchema, locateInJson, type SchemaMismatch } from './schemaCheck';
// Request files' JSONPath (chaining and expectations) lives in this lazily loaded bundle too.
export { queryJsonPath } from '../requestFiles/jsonpath';
// And the .env reader behind request files' {{$dotenv NAME}}.
export { parse as parseDotenv } from 'dotenv';
// And request files' formatted times (Day.js), and the positions and edits behind the warnings on
// secrets in public request-file environments.
export { formatTime, shiftedTime } from '../requestFiles/dates';
export { privateFileText, publicSecretFindings, removeValueEdits, replaceValueEdit, type EnvironmentDocumentKind, type SecretFinding } from '../requestFiles/environmentJson';

export interface DefinitionSource {
  readonly id: string;
  /** An absolute file path, or an https:// (or loopback http://) URL. */
  readonly location: string;
}

export interface LoadOptions {
  /** Downloads a URL's text. Supplied by the caller, which checks the URL (https anywhere, http only on loopback) and sends no credentials. Throws an Error with a message on failure. */
  fetchText(url: string, signal?: AbortSignal): Promise<string>;
  readonly signal?: AbortSignal;
}

/** A definition that does not read: what is wrong, and where (`file.yaml line 12, column 5` or `file.yaml at #/paths/…`). */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(message);
  }
}

/** Documents (all their files together) larger than this are refused. */
export const MAX_DEFINITION_BYTES = 20 * 1024 * 1024;

const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

/** A location's protocol (`https`, `file`), or undefined for a file system path (a Windows drive letter is no protocol). */
function protocolOf(location: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]+):/i.exec(location);
  return match ? match[1].toLowerCase() : undefined;
}

/** The file name a message shows: `openapi.yaml` for a path or a URL. */
export function displayName(location: string): string {
  let text = location.split('#')[0].split('?')[0];
  try {
    if (isUrl(text) || text.startsWith('file:')) text = decodeURIComponent(new URL(text).pathname);
    else text = decodeURIComponent(text);
  } catch {
    // as written
  }
  const name = text.replace(/[/\\]+$/, '').split(/[/\\]/).pop();
  return name || location;
}

/** A path as the parser writes it (posix slashes, percent-encoded) or a file: URL → a path to read. */
function toFileSystemPath(location: string): string {
  if (location.toLowerCase().startsWith('file:')) return fileURLToPath(location);
  try {
    return decodeURI(location.replace(/%(?![0-9A-Fa-f]{2})/g, '%25')).replace(/%23/g, '#').replace(/%24/g, '$').replace(/%26/g, '&').replace(/%2C/g, ',').replace(/%40/g, '@');
  } catch {
    return location;
  }
}

/** `to` resolved against `from` the way the parser resolves `$ref`s: the file and the fragment, each decoded (so that they compare). */
function resolveAgainst(from: string, to: string): { file: string; hash: string } {
  const placeholder = 'placeholder.invalid';
  try {
    const base = new URL(from.replace(/\\/g, '/'), `https://${placeholder}`);
    const resolved = new URL(to.replace(/\\/g, '/'), base);
    const file = resolved.hostname === placeholder && resolved.protocol === 'https:' ? resolved.pathname + resolved.search : resolved.href.split('#')[0];
    return { file: fullyDecoded(file), hash: safeDecode(resolved.hash) };
  } catch {
    const at = to.indexOf('#');
    return { file: safeDecode(at < 0 ? to : to.slice(0, at)), hash: at < 0 ? '' : safeDecode(to.slice(at)) };
  }
}

function fullyDecoded(text: string): string {
  let current = text;
  for (let i = 0; i < 3; i++) {
    const next = safeDecode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every file the parser reads goes through here: local ones from disk (unless the document came
 * from a URL), remote ones through the caller's fetchText. It keeps each file's text, for locating
 * errors, and the reason a read failed (the parser keeps only that it did).
 */
class Reader {
  readonly texts = new Map<string, string>();
  readonly failures = new Map<string, Error>();
  /** An error that is the answer whatever the parser makes of it. */
  fatal: DefinitionError | undefined;
  private total = 0;
  private first = true;

  constructor(
    private readonly source: DefinitionSource,
    private readonly options: LoadOptions,
  ) {}

  readonly resolver = {
    order: 1,
    canRead: (): boolean => true,
    read: (file: { url: string }): Promise<string> => this.read(file.url),
  };

  /** Serves only files already read (to parse one again when an error needs locating). */
  readonly cached = {
    order: 1,
    canRead: (): boolean => true,
    read: async (file: { url: string }): Promise<string> => {
      // The parser encodes a path it is given again: compare the paths fully decoded.
      const text = this.textOf(file.url);
      if (text === undefined) throw new Error(`${file.url} was not read`);
      return text;
    },
  };

  /** A file's text by the parser's name for it, however encoded. */
  textOf(url: string): string | undefined {
    return this.texts.get(url) ?? [...this.texts].find(([known]) => fullyDecoded(known) === fullyDecoded(url))?.[1];
  }

  /** Why reading a file failed, by the parser's name for it, however encoded. */
  failureOf(url: string): Error | undefined {
    return this.failures.get(url) ?? [...this.failures].find(([known]) => fullyDecoded(known) === fullyDecoded(url))?.[1];
  }

  private fail(url: string, error: Error): never {
    this.failures.set(url, error);
    throw error;
  }

  private async read(url: string): Promise<string> {
    const known = this.texts.get(url);
    if (known !== undefined) return known;
    const signal = this.options.signal;
    signal?.throwIfAborted();
    const protocol = protocolOf(url);
    const root = this.first;
    this.first = false;
    let text: string;
    let bytes: number;
    if (protocol === 'http' || protocol === 'https') {
      try {
        text = await this.options.fetchText(url, signal);
      } catch (error) {
        signal?.throwIfAborted();
        this.fail(url, new DefinitionError(l10n.t('{0} could not be downloaded: {1}', url, (error as Error).message ?? String(error))));
      }
      bytes = Buffer.byteLength(text);
    } else if (protocol === undefined || protocol === 'file') {
      if (isUrl(this.source.location)) {
        this.fail(url, new DefinitionError(l10n.t('a definition read from a URL may not refer to local files; its $ref to {0} was refused', url)));
      }
      const file = toFileSystemPath(url);
      try {
        const stat = await fs.stat(file);
        if (stat.isDirectory()) throw new Error(l10n.t('it is a folder'));
        if (stat.size > MAX_DEFINITION_BYTES) this.tooLarge(url);
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if (error instanceof DefinitionError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        this.fail(url, new DefinitionError(code === 'ENOENT' ? l10n.t('{0} does not exist', file) : l10n.t('{0} could not be read: {1}', file, (error as Error).message)));
      }
      bytes = text.length;
    } else {
      this.fail(url, new DefinitionError(l10n.t('{0} cannot be read: only files and https URLs can be', url)));
    }
    this.total += bytes;
    if (bytes > MAX_DEFINITION_BYTES || this.total > MAX_DEFINITION_BYTES) this.tooLarge(url);
    // A document that is no API definition is refused before any of its $refs are followed.
    if (root && !/(^|[\s{,])["']?(swagger|openapi)["']?\s*:/.test(text)) {
      this.fatal = neitherError(this.source);
      throw this.fatal;
    }
    this.texts.set(url, text);
    return text;
  }

  private tooLarge(url: string): never {
    const mb = MAX_DEFINITION_BYTES / 1024 / 1024;
    const error = new DefinitionError(
      url === this.source.location
        ? l10n.t('{0} is larger than {1} MB', displayName(url), mb)
        : l10n.t('{0} with {1} is larger than {2} MB', displayName(this.source.location), displayName(url), mb),
    );
    this.fatal = error;
    this.fail(url, error);
  }

  /**
   * Where the `$ref` is written that names `file` (and the fragment `hash`, when given): the file it
   * is in and its pointer. The parser says only what was missing, not which `$ref` asked for it.
   */
  async findRef(file: string, hash?: string): Promise<{ file: string; pointer: string; ref: string } | undefined> {
    const wantedFile = fullyDecoded(file);
    const wantedHash = hash === undefined ? undefined : safeDecode(hash === '#' ? '' : hash);
    // The file with the missing part first: most broken $refs are internal ones.
    const files = [...this.texts.keys()].sort((a, b) => Number(fullyDecoded(b) === wantedFile) - Number(fullyDecoded(a) === wantedFile));
    for (const from of files) {
      let parsed: unknown;
      try {
        parsed = await parse(from, { resolve: { file: this.cached, http: { canRead: false } } } as unknown as ParserOptions);
      } catch {
        continue;
      }
      const found = findRefIn(parsed, (ref) => {
        const resolved = resolveAgainst(from, ref);
        return resolved.file === wantedFile && (wantedHash === undefined || (resolved.hash === '#' ? '' : resolved.hash) === wantedHash);
      });
      if (found) return { file: from, ...found };
    }
    return undefined;
  }
}

/** The first `$ref` (depth first, in document order) the test accepts, with its pointer. */
function findRefIn(root: unknown, test: (ref: string) => boolean): { pointer: string; ref: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  const seen = new Set<object>();
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isObject(value) && typeof value.$ref === 'string' && test(value.$ref)) return { pointer: pointerOf(path), ref: value.$ref };
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: [...path, entries[i][0]] });
  }
  return undefined;
}

function neitherError(source: DefinitionSource): DefinitionError {
  return new DefinitionError(
    l10n.t('{0} is neither a Swagger 2.0 nor an OpenAPI 3.x document (it has no "swagger: \'2.0\'" or "openapi: 3.x" field)', displayName(source.location)),
  );
}

/** Reads an API definition into catalog entries; a DefinitionError says what is wrong and where. */
export async function loadDefinition(source: DefinitionSource, options: LoadOptions): Promise<DefinitionEntries> {
  const reader = new Reader(source, options);
  const fromUrl = isUrl(source.location);
  if (!fromUrl && protocolOf(source.location) !== undefined && protocolOf(source.location) !== 'file') {
    throw new DefinitionError(l10n.t('{0} is neither a file nor an https URL', source.location));
  }
  const parserOptions = {
    resolve: {
      external: true,
      file: reader.resolver,
      http: { canRead: false },
    },
  } as unknown as ParserOptions;
  let doc: unknown;
  try {
    doc = await bundle(source.location, parserOptions);
  } catch (error) {
    options.signal?.throwIfAborted();
    throw await explain(error, reader, source);
  }
  options.signal?.throwIfAborted();
  const kind = documentKind(doc);
  if (!kind || !isObject(doc)) throw neitherError(source);
  try {
    return documentToEntries(doc, kind, source, displayName(source.location));
  } catch (error) {
    if (error instanceof MappingError) throw new DefinitionError(error.message);
    throw error;
  }
}

interface ParserFailure {
  name?: string;
  message?: string;
  source?: string;
  targetRef?: string;
  targetFound?: string;
  targetToken?: string;
}

/** The parser's error, said in the reader's terms: what is wrong, in which file, where. */
async function explain(error: unknown, reader: Reader, source: DefinitionSource): Promise<Error> {
  if (reader.fatal) return reader.fatal;
  if (error instanceof DefinitionError) return error;
  const e = (error ?? {}) as ParserFailure;
  const file = e.source ?? source.location;
  switch (e.name) {
    case 'MissingPointerError': {
      const target = e.targetRef ?? '#';
      const found = await reader.findRef(file, target);
      const where = found ? l10n.t('{0} at {1}', displayName(found.file), found.pointer) : displayName(file);
      const ref = found?.ref ?? target;
      const within = e.targetFound && e.targetFound !== '#' ? e.targetFound : undefined;
      const message =
        e.targetToken === undefined
          ? l10n.t('the $ref "{0}" points nowhere: {1} has no {2}', ref, displayName(file), target)
          : within
            ? l10n.t('the $ref "{0}" points nowhere: {1} has no "{2}" in {3}', ref, displayName(file), e.targetToken, within)
            : l10n.t('the $ref "{0}" points nowhere: {1} has no "{2}"', ref, displayName(file), e.targetToken);
      return new DefinitionError(message, where);
    }
    case 'ParserError':
      return syntaxError(file, reader.textOf(file), e.message ?? '');
    case 'ResolverError': {
      const reason = reader.failureOf(file)?.message ?? e.message ?? l10n.t('{0} could not be read', file);
      if (fullyDecoded(file) === fullyDecoded(source.location) || reader.texts.size === 0) return new DefinitionError(reason);
      const found = await reader.findRef(file);
      return new DefinitionError(
        found ? l10n.t('the $ref "{0}" cannot be followed: {1}', found.ref, reason) : reason,
        found ? l10n.t('{0} at {1}', displayName(found.file), found.pointer) : undefined,
      );
    }
    default: {
      const message = e.message ?? String(error);
      if (/is not a valid JSON Schema/.test(message)) return neitherError(source);
      return new DefinitionError(message.replace(/^Error parsing [^:]*: /, ''));
    }
  }
}

/** A syntax error with its line and column: JSON's from jsonc-parser, YAML's from the parser's message. */
function syntaxError(file: string, text: string | undefined, parserMessage: string): DefinitionError {
  const name = displayName(file);
  if (text !== undefined && /^\s*[{[]/.test(text)) {
    const errors: ParseError[] = [];
    parseJson(text, errors, { allowTrailingComma: false, disallowComments: true });
    if (errors.length) {
      const { offset, error } = errors[0];
      const { line, column } = lineAndColumn(text, offset);
      const what = printParseErrorCode(error)
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase();
      return new DefinitionError(l10n.t('{0} is not valid JSON: {1}', name, what), l10n.t('{0} line {1}, column {2}', name, line, column));
    }
  }
  const firstLine = parserMessage.replace(/^Error parsing [^\n]*?: /, '').split('\n')[0].trim();
  const at = /\((\d+):(\d+)\)\s*$/.exec(firstLine);
  const reason = at ? firstLine.slice(0, at.index).trim() : firstLine;
  return new DefinitionError(l10n.t('{0} is not valid YAML: {1}', name, reason || l10n.t('syntax error')), at ? l10n.t('{0} line {1}, column {2}', name, at[1], at[2]) : name);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
