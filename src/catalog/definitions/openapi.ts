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
 *   disk too — only inside the document's own folder (or a folder the caller allows, such as the
 *   workspace), never through a symbolic link out of it — and `$ref`s to http(s) URLs go through
 *   `options.fetchText`.
 * - A document at a URL: every file is fetched through `options.fetchText` (refs resolve relative
 *   to the URL). No local file is ever read on a web document's word, whether it is the root or was
 *   reached from a local one, and a web document on another host may not send the extension to this
 *   machine or the local network (`http://127.0.0.1:…`).
 * The parser's own HTTP client is switched off (`resolve.http.canRead = false`): it would send from
 * elsewhere than the extension's checked client.
 *
 * Each file is parsed here before the parser sees it, with limits checked before the work: its bytes,
 * and the values it expands to (YAML aliases can make a 500-byte file stand for billions of values),
 * and its depth. A `$ref` that points nowhere is read as any value, with a warning that names it: one
 * broken reference in an error schema does not cost the whole document.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { bundle, type ParserOptions } from '@readme/openapi-parser';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DefinitionEntries } from '../catalog';
import { l10n } from '../../platform/l10n';
import { documentKind, documentToEntries, MappingError } from './mapping';
import { isObject, pointerOf, valueAt, type JsonObject } from './pointer';

export { checkAgainstSchema, locateInJson, schemaCompileFailure, schemaErrors, type SchemaMismatch } from './schemaCheck';

export interface DefinitionSource {
  readonly id: string;
  /** An absolute file path, or an https:// (or loopback http://) URL. */
  readonly location: string;
  /** Replaces the document's own base path (for a file whose own is wrong); '' for none. */
  readonly basePath?: string;
  /** The product group's name, instead of the document's title and version. */
  readonly product?: string;
}

export interface LoadOptions {
  /** Downloads a URL's text. Supplied by the caller, which checks the URL (https anywhere, http only on loopback) and sends no credentials. Throws an Error with a message on failure. */
  fetchText(url: string, signal?: AbortSignal): Promise<string>;
  readonly signal?: AbortSignal;
  /** Folders besides the document's own whose files a local document's `$ref`s may read (the workspace folders). */
  readonly allowedFolders?: readonly string[];
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
 * Every file the parser reads goes through here: local ones from disk (inside the allowed folders,
 * and only when a local file names them), remote ones through the caller's fetchText. Each file is
 * parsed here, within limits, with its broken internal `$ref`s stubbed; the parser gets the value.
 * It keeps each file's text, for locating errors, and the reason a read failed (the parser keeps
 * only that it did).
 */
class Reader {
  readonly texts = new Map<string, string>();
  readonly failures = new Map<string, Error>();
  /** Each file's value as parsed and stubbed, by the parser's name for it; a fresh copy goes to each parse. */
  private readonly values = new Map<string, unknown>();
  /** `$ref`s that cannot be followed, by file, as pointers in it: read as any value on the next parse. */
  private readonly stubs = new Map<string, Map<string, string>>();
  /** What was read leniently, in the order met. */
  readonly warnings: string[] = [];
  /** An error that is the answer whatever the parser makes of it. */
  fatal: DefinitionError | undefined;
  /** The file whose read was refused (so that the `$ref` naming it can be located). */
  refusedTarget: string | undefined;
  private total = 0;
  private first = true;
  /** Local files some local file's `$ref` names: the only local files read after the root. */
  private readonly namedLocally = new Set<string>();
  /** Why a target may not be read (named by a web document), by its key. */
  private readonly refused = new Map<string, string>();
  private readonly roots: string[];

  constructor(
    private readonly source: DefinitionSource,
    private readonly options: LoadOptions,
  ) {
    const own = isUrl(source.location) ? [] : [path.dirname(path.resolve(toFileSystemPath(source.location)))];
    this.roots = [...own, ...(options.allowedFolders ?? []).map((f) => path.resolve(f))];
  }

  readonly resolver = {
    order: 1,
    canRead: (): boolean => true,
    read: (file: { url: string }): Promise<unknown> => this.read(file.url),
  };

  /** Serves only files already read (to parse one again when an error needs locating). */
  readonly cached = {
    order: 1,
    canRead: (): boolean => true,
    read: async (file: { url: string }): Promise<unknown> => {
      // The parser encodes a path it is given again: compare the paths fully decoded.
      const key = this.knownKey(this.values, file.url);
      if (key === undefined) throw new Error(`${file.url} was not read`);
      return structuredClone(this.values.get(key));
    },
  };

  /** A file's text by the parser's name for it, however encoded. */
  textOf(url: string): string | undefined {
    const key = this.knownKey(this.texts, url);
    return key === undefined ? undefined : this.texts.get(key);
  }

  /** Why reading a file failed, by the parser's name for it, however encoded. */
  failureOf(url: string): Error | undefined {
    const key = this.knownKey(this.failures, url);
    return key === undefined ? undefined : this.failures.get(key);
  }

  private knownKey(map: ReadonlyMap<string, unknown>, url: string): string | undefined {
    if (map.has(url)) return url;
    const wanted = fullyDecoded(url);
    return [...map.keys()].find((known) => fullyDecoded(known) === wanted);
  }

  /** The next parse reads the `$ref` at `pointer` in `file` as any value. False when it already did (no progress). */
  stub(file: string, pointer: string, why: string): boolean {
    const key = this.knownKey(this.values, file) ?? file;
    let stubs = this.stubs.get(key);
    if (!stubs) this.stubs.set(key, (stubs = new Map()));
    if (stubs.has(pointer)) return false;
    stubs.set(pointer, why);
    this.warnings.push(why);
    return true;
  }

  private fail(url: string, error: Error): never {
    this.failures.set(url, error);
    throw error;
  }

  private async read(url: string): Promise<unknown> {
    const known = this.values.get(url);
    if (known !== undefined || this.values.has(url)) return this.withStubs(url, known);
    const signal = this.options.signal;
    signal?.throwIfAborted();
    const protocol = protocolOf(url);
    const root = this.first;
    this.first = false;
    const refusal = this.refused.get(targetKey(url));
    if (refusal) this.refuse(url, refusal);
    let text: string;
    if (protocol === 'http' || protocol === 'https') {
      try {
        text = await this.options.fetchText(url, signal);
      } catch (error) {
        signal?.throwIfAborted();
        // Said after the definition's own address: the document itself is not named again.
        const reason = String((error as Error).message ?? error).replace(/\.$/, '');
        this.fail(url, new DefinitionError(root ? reason : l10n.t('{0} could not be downloaded: {1}', url, reason)));
      }
    } else if (protocol === undefined || protocol === 'file') {
      // Only a web document can name a local file that no local file named.
      if (isUrl(this.source.location) || (!root && !this.namedLocally.has(targetKey(url)))) {
        this.refuse(url, l10n.t('a definition read from a URL may not refer to local files; its $ref to {0} was refused', url));
      }
      const file = toFileSystemPath(url);
      try {
        const stat = await fs.stat(file);
        if (stat.isDirectory()) throw new Error(l10n.t('it is a folder'));
        if (!root) await this.checkInside(file, url);
        if (stat.size > MAX_DEFINITION_BYTES) this.tooLarge(url);
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if (error instanceof DefinitionError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        this.fail(url, new DefinitionError(code === 'ENOENT' ? l10n.t('{0} does not exist', file) : l10n.t('{0} could not be read: {1}', file, (error as Error).message)));
      }
    } else {
      this.fail(url, new DefinitionError(l10n.t('{0} cannot be read: only files and https URLs can be', url)));
    }
    const bytes = Buffer.byteLength(text);
    this.total += bytes;
    if (bytes > MAX_DEFINITION_BYTES || this.total > MAX_DEFINITION_BYTES) this.tooLarge(url);
    // A document that is no API definition is refused before any of its $refs are followed.
    if (root && !/(^|[\s{,])["']?(swagger|openapi)["']?\s*:/.test(text)) {
      this.fatal = neitherError(this.source);
      throw this.fatal;
    }
    this.texts.set(url, text);
    let value: unknown;
    try {
      value = parseDocumentText(url, text);
    } catch (error) {
      this.fatal = error instanceof DefinitionError ? error : new DefinitionError(String(error));
      this.fail(url, this.fatal);
    }
    const measured = measure(value);
    if (measured) {
      this.fatal = new DefinitionError(
        measured === 'depth'
          ? l10n.t('{0} is nested more than {1} levels deep', displayName(url), MAX_DEPTH)
          : l10n.t('{0} stands for more than {1} values (its YAML aliases repeat parts of it too often)', displayName(url), MAX_VALUES.toLocaleString('en-US')),
      );
      this.fail(url, this.fatal);
    }
    this.stubBrokenInternalRefs(url, value);
    this.noteTargets(url, value);
    this.values.set(url, value);
    return this.withStubs(url, value);
  }

  /** A copy of a file's value for one parse, with the `$ref`s known to be broken read as any value. */
  private withStubs(url: string, value: unknown): unknown {
    const copy = structuredClone(value);
    const stubs = this.stubs.get(url);
    if (stubs) for (const [pointer, why] of stubs) stubAt(copy, pointer, why);
    return copy;
  }

  /** Internal `$ref`s that point nowhere in their own file: stubbed now, with a warning naming the pointer. */
  private stubBrokenInternalRefs(url: string, value: unknown): void {
    walkRefs(value, (holder, ref, at) => {
      if (!ref.startsWith('#') || valueAt(value, ref) !== undefined) return;
      const why = l10n.t('The $ref "{0}" at {1} points nowhere; it is read as any value.', clipText(ref, 200), `${displayName(url)}${at}`);
      this.warnings.push(why);
      stubObject(holder, why);
    });
  }

  /**
   * What a file's `$ref`s name, to decide later reads: a local file's local targets may be read; a
   * web document's local targets never, nor (from a host elsewhere) this machine's or the local network's.
   */
  private noteTargets(url: string, value: unknown): void {
    const fromWeb = protocolOf(url) === 'http' || protocolOf(url) === 'https';
    const fromLocalHost = fromWeb && isPrivateHost(url);
    walkRefs(value, (_holder, ref) => {
      if (ref.startsWith('#')) return;
      const target = resolveAgainst(url, ref).file;
      const key = targetKey(target);
      const targetProtocol = protocolOf(target);
      const targetLocal = targetProtocol === undefined || targetProtocol === 'file';
      if (!fromWeb) {
        if (targetLocal) this.namedLocally.add(key);
        return;
      }
      if (targetLocal) this.refused.set(key, l10n.t('a definition read from a URL may not refer to local files; its $ref to {0} was refused', clipText(ref, 200)));
      else if (!fromLocalHost && isPrivateHost(target)) this.refused.set(key, l10n.t('{0} refers to {1}, on this machine or the local network; such $refs are followed only from a document there too', displayName(url), clipText(target, 200)));
    });
  }

  /** A local file reached through a `$ref` must be inside an allowed folder, also after following links. */
  private async checkInside(file: string, url: string): Promise<void> {
    const real = await fs.realpath(file);
    const roots = await Promise.all(this.roots.map((r) => fs.realpath(r).catch(() => r)));
    if (roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return;
    this.refuse(url, l10n.t('the $ref to {0} was refused: a definition may refer only to files in its own folder or the workspace', url));
  }

  /** A read the rules refuse: the whole document fails, naming the `$ref` (see explain). */
  private refuse(url: string, message: string): never {
    this.fatal ??= new DefinitionError(message);
    this.refusedTarget ??= url;
    this.fail(url, this.fatal);
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
    const files = [...this.values.keys()].sort((a, b) => Number(fullyDecoded(b) === wantedFile) - Number(fullyDecoded(a) === wantedFile));
    for (const from of files) {
      const found = findRefIn(this.withStubs(from, this.values.get(from)), (ref) => {
        const resolved = resolveAgainst(from, ref);
        return resolved.file === wantedFile && (wantedHash === undefined || (resolved.hash === '#' ? '' : resolved.hash) === wantedHash);
      });
      if (found) return { file: from, ...found };
    }
    return undefined;
  }
}

/** Values a file may stand for once its aliases are expanded, and how deep it may nest. */
const MAX_VALUES = 2_000_000;
const MAX_DEPTH = 256;

/** JSON or YAML text → value; a syntax error says where. */
function parseDocumentText(url: string, text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^\s*[{[]/.test(body)) {
    try {
      return JSON.parse(body);
    } catch {
      // JSON-looking YAML (flow style) is rare; a JSON error is located below.
      const error = syntaxError(url, body, '');
      if (/not valid JSON/.test(error.message)) throw error;
    }
  }
  try {
    // The schema js-yaml and the parser use by default: the JSON-compatible core types.
    return yaml.load(body, { schema: yaml.CORE_SCHEMA, filename: displayName(url) });
  } catch (error) {
    const e = error as { reason?: string; mark?: { line: number; column: number } };
    const name = displayName(url);
    throw new DefinitionError(
      l10n.t('{0} is not valid YAML: {1}', name, e.reason ?? l10n.t('syntax error')),
      e.mark ? l10n.t('{0} line {1}, column {2}', name, e.mark.line + 1, e.mark.column + 1) : name,
    );
  }
}

/**
 * Counts the values a parsed file stands for, visiting a value shared through YAML aliases once per
 * place it appears (as every later walk will): 'values' or 'depth' when over the limits, checked
 * as it goes, so the count itself stays within them.
 */
function measure(root: unknown): 'values' | 'depth' | undefined {
  let count = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (++count > MAX_VALUES) return 'values';
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return 'depth';
    if (Array.isArray(value)) for (const v of value) stack.push({ value: v, depth: depth + 1 });
    else for (const key in value) stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
  }
  return undefined;
}

/** Calls `visit` with every object holding a `$ref` string, the ref, and the holder's pointer. */
function walkRefs(root: unknown, visit: (holder: JsonObject, ref: string, pointer: string) => void): void {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  const seen = new Set<object>();
  while (stack.length) {
    const { value, path: at } = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isObject(value) && typeof value.$ref === 'string') {
      visit(value, value.$ref, pointerOf(at));
      continue;
    }
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...at, i] }));
    else for (const key in value) stack.push({ value: (value as JsonObject)[key], path: [...at, key] });
  }
}

/** A `$ref` object read as any value: the reference goes, a note of why stays. */
function stubObject(holder: JsonObject, why: string): void {
  const ref = holder.$ref;
  delete holder.$ref;
  holder['x-unresolved-ref'] = ref;
  holder.description = why;
}

function stubAt(root: unknown, pointer: string, why: string): void {
  const holder = valueAt(root, pointer);
  if (isObject(holder) && typeof holder.$ref === 'string') stubObject(holder, why);
}

/** How a `$ref` target is compared with the files read later: a decoded absolute path or URL without its fragment. */
function targetKey(target: string): string {
  const file = target.split('#')[0];
  const protocol = protocolOf(file);
  if (protocol === undefined || protocol === 'file') return path.resolve(toFileSystemPath(file));
  return fullyDecoded(file);
}

/** An http(s) URL on this machine or a private network (RFC 1918, link-local, unique local). */
function isPrivateHost(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '0.0.0.0' || host === '::' || host === '::1') return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host.replace(/^::ffff:/, ''));
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
}

function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
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
  // A `$ref` into another file that points nowhere, or to a file that cannot be read, is stubbed and
  // the document read again (each file is read once; the parse is what repeats).
  for (let attempt = 0; ; attempt++) {
    try {
      doc = await bundle(source.location, parserOptions);
      break;
    } catch (error) {
      options.signal?.throwIfAborted();
      const explained = await explain(error, reader, source);
      if (reader.fatal || attempt >= MAX_STUBBED_REFS || !(await stubFor(error, explained, reader))) throw explained;
    }
  }
  options.signal?.throwIfAborted();
  const kind = documentKind(doc);
  if (!kind || !isObject(doc)) throw neitherError(source);
  try {
    return documentToEntries(doc, kind, { id: source.id, location: source.location, basePath: source.basePath, product: source.product, warnings: reader.warnings }, displayName(source.location));
  } catch (error) {
    if (error instanceof MappingError) throw new DefinitionError(error.message);
    throw error;
  }
}

/** How many broken cross-file `$ref`s are read leniently before a document is given up. */
const MAX_STUBBED_REFS = 50;

/** Stubs the `$ref` behind a parser error that a stub can mend; false when it cannot. */
async function stubFor(error: unknown, explained: Error, reader: Reader): Promise<boolean> {
  const e = (error ?? {}) as ParserFailure;
  if (e.name !== 'MissingPointerError' && e.name !== 'ResolverError') return false;
  const file = e.source;
  if (!file) return false;
  const found = e.name === 'MissingPointerError' ? await reader.findRef(file, e.targetRef ?? '#') : await reader.findRef(file);
  if (!found) return false;
  const why = l10n.t('{0} ({1}); it is read as any value.', explained.message, (explained as DefinitionError).where ?? `${displayName(found.file)}${found.pointer}`);
  return reader.stub(found.file, found.pointer, why);
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
  if (reader.fatal) {
    if (reader.fatal.where || !reader.refusedTarget) return reader.fatal;
    const found = await reader.findRef(reader.refusedTarget);
    reader.fatal = new DefinitionError(reader.fatal.message, found ? l10n.t('{0} at {1}', displayName(found.file), found.pointer) : undefined);
    return reader.fatal;
  }
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
