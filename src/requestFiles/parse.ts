/**
 * Request files (`requestFiles/`): this parser, variables and environments, dynamic variables,
 * bodies, expectations and writing requests down; its ui/ holds the editor features (CodeLenses,
 * diagnostics, completion, hover), environments, the Testing view and the request-file commands.
 *
 * Request files (`.http`, `.rest`): the syntax REST Client, httpYac and JetBrains HTTP Client users
 * already write, read into request blocks, file variables and diagnostics. Knows nothing of VS Code
 * and loads nothing heavy (no JSONPath, no dotenv): the extension reads a file on every edit for its
 * CodeLenses.
 *
 *   @host = https://us.api.concursolutions.com
 *   ### Who am I
 *   # @name me
 *   # @concur-session Acme (sandbox)
 *   # @expect status 200
 *   GET {{host}}/profile/v1/me
 *   Accept: application/json
 *
 *   {"optional": "body"}
 *
 * Read as the tools read it where they agree (REST Client's README, JetBrains' format specification,
 * httpYac's parser): whole-line `#` and `//` comments anywhere in a request, body included; `?` and `&`
 * query lines after the request line; `< file`, `<@ file` and `<@latin1 file` includes wherever they
 * stand in a body; `### title` as the name of a request without `# @name`. The other tools' scripts
 * (`> {% %}`, `< {% %}`, `{{ }}` blocks, `??` asserts, `>> file`) are recognised, left out of what is
 * sent, and reported as not run here. A pasted `curl` command is read as a request (see curlCommand.ts).
 */
import { l10n } from '../platform/l10n';
import { readCurlCommand } from './curlCommand';

export * from './requestFile';
import type { DiagnosticSeverity, Expectation, ExpectationOperator, FileVariable, ParseDiagnostic, ParsedRequestFile, PromptVariable, RequestBlock, RequestBody, RequestHeader, TextSpan, BodyInclude, BodyLine } from './requestFile';

/**
 * The methods REST Client, httpYac and JetBrains HTTP Client know (RFC 9110, WebDAV, CalDAV, versioning).
 * Any other RFC 9110 token is read as a method too, with a warning (it may be a typo).
 */
export const REQUEST_METHODS: readonly string[] = [
  'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'ACL', 'MKCALENDAR',
  'CHECKOUT', 'CHECKIN', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL', 'BASELINE-CONTROL',
];
const METHODS = new Set(REQUEST_METHODS);
export const EXPECTATION_OPERATORS: readonly ExpectationOperator[] = ['==', '!=', '>=', '<=', '>', '<', 'contains', 'exists'];
const OPERATORS = new Set<string>(EXPECTATION_OPERATORS);

/**
 * Header fields HTTP allows once in a request (RFC 9110 §5.3: only list-valued fields may be
 * repeated and joined). Authorization is not here: the session's token replaces it anyway.
 */
const SINGLETON_HEADERS = new Set([
  'content-type', 'content-length', 'content-location', 'content-range', 'date', 'from', 'host', 'if-modified-since',
  'if-range', 'if-unmodified-since', 'max-forwards', 'proxy-authorization', 'range', 'referer', 'user-agent',
]);

/** The file's lines as an editor numbers them: no BOM, CRLF, LF and lone CR all end a line. */
export function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.includes('\r')) return text.split('\n');
  // A file written on Windows: every CR before an LF, and no LF alone, splits faster on the pair.
  const lines = text.split('\r\n');
  for (const line of lines) if (line.includes('\r') || line.includes('\n')) return text.split(/\r\n|\r|\n/);
  return lines;
}

/** Whether a line opens a new request block: it starts with `###` (no indentation). */
export function isSeparator(line: string): boolean {
  return line.charCodeAt(0) === 35 && line.charCodeAt(1) === 35 && line.charCodeAt(2) === 35;
}

/** A request name usable in `{{name.response.body…}}` (a name with blanks names a request but cannot be referred to). */
export const REQUEST_NAME = /^[A-Za-z_][\w-]*$/;
const VARIABLE_NAME = /^[A-Za-z_$][\w.$-]*$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 token characters, by character code. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+.^_`|~-") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TCHAR[c] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = TCHAR[c + 32] = 1;

/**
 * `Name: value` from `start` on: the name a token, blanks before the colon allowed, the value trimmed.
 * Read by hand, in one pass (a pattern's `(.*)$` backtracks quadratically before a U+2028).
 */
function readHeader(line: string, start: number, index: number): RequestHeader | undefined {
  let i = start;
  while (i < line.length && line.charCodeAt(i) < 128 && TCHAR[line.charCodeAt(i)]) i++;
  if (i === start) return undefined;
  const nameEnd = i;
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  if (line.charCodeAt(i) !== 58 /* : */) return undefined;
  i++;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return { name: line.slice(start, nameEnd), value: line.slice(i, Math.max(i, trimmedEnd(line))), line: index };
}
const HTTP_VERSION = /^HTTP\/\d(?:\.\d)?$/i;
const LOOKS_LIKE_URL = /^(?:\/|https?:\/\/|\{\{|\*$)/i;
/** httpYac's script block opener: `{{`, `{{@response`, `{{+after`, `{{@js request`… alone on a line. */
/** An indented line JetBrains reads as a part of a long URL: no blanks, no colon, starting as a URL part does. */
const URL_PART = /^(?:[A-Za-z0-9%+._~-]|\{\{)[^\s:]*$/;
const HTTPYAC_SCRIPT = /^\{\{(?:@js\s+)?[+@]?(?:request|streaming|response|after|responseLogging)?$/i;

interface Annotations {
  name?: string;
  session?: string;
  note?: string;
  prompts?: PromptVariable[];
  expectations: Expectation[];
  /** The first annotation read, for the "no request line" diagnostic. */
  first?: TextSpan;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_ERRORS: readonly ParseDiagnostic[] = Object.freeze([]);

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0;

const firstNonBlank = (line: string): number => {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i;
};

const trimmedEnd = (line: string): number => {
  let end = line.length;
  for (let c = line.charCodeAt(end - 1); end > 0 && (isBlank(c) || c === 13 || (c > 127 && /\s/.test(line[end - 1]))); c = line.charCodeAt(end - 1)) end--;
  return end;
};

/** A whole-line comment: `#` or `//` after optional blanks (REST Client, httpYac and JetBrains agree). */
const isCommentAt = (line: string, start: number): boolean => {
  const c = line.charCodeAt(start);
  return c === 35 || (c === 47 && line.charCodeAt(start + 1) === 47);
};

/** The words `<`/`>` + blank + `{%`: a JetBrains script opener. */
const jetBrainsScriptAt = (line: string, start: number): boolean => {
  let i = start + 1;
  if (i >= line.length || !isBlank(line.charCodeAt(i))) return false;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return line.charCodeAt(i) === 123 && line.charCodeAt(i + 1) === 37; // {%
};

/** `< file` / `<@ file` / `<@enc file` on a trimmed line: the include, or undefined. */
function includeOf(text: string, line: number): BodyInclude | { readonly badEncoding: string } | undefined {
  if (text.charCodeAt(0) !== 60 /* < */) return undefined;
  let i = 1;
  let expand = false;
  let encoding = '';
  if (text.charCodeAt(1) === 64 /* @ */) {
    expand = true;
    i = 2;
    while (i < text.length && /\w/.test(text[i])) i++;
    encoding = text.slice(2, i);
  }
  if (i >= text.length || !isBlank(text.charCodeAt(i))) return undefined;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  if (i >= text.length) return undefined;
  if (encoding && !Buffer.isEncoding(encoding)) return { badEncoding: encoding };
  const include: Mutable<BodyInclude> = { kind: 'file', path: text.slice(i), expand, line };
  if (encoding) include.encoding = encoding;
  return include;
}

/**
 * Whether a body line, standing alone, is sent as text: not a comment, an include or the start of
 * another tool's script (the request-file writer says when a body it writes has such lines).
 */
export function readsAsBodyText(line: string): boolean {
  const start = firstNonBlank(line);
  if (start === line.length) return true;
  const c = line.charCodeAt(start);
  const next = line.charCodeAt(start + 1);
  const text = line.slice(start).trimEnd();
  if (isCommentAt(line, start) || (c === 63 && next === 63) || text === '/*') return false;
  if ((c === 60 || c === 62) && jetBrainsScriptAt(line, start)) return false;
  if (c === 62 && (/^>>!?[ \t]+\S/.test(text) || /^>[ \t]+[^\s{%}]+$/.test(text))) return false;
  if (c === 60 && (next === 62 || (start === 0 && includeOf(text, 0) !== undefined))) return false;
  return !(c === 123 && next === 123 && HTTPYAC_SCRIPT.test(text));
}

/**
 * A body whose `lines` and `text` are made when first read: CodeLenses and diagnostics, which read a
 * file on every edit, never need them. (Getters on the prototype: an object literal's own accessors
 * cost an allocation each, for every body of every parse.)
 */
class LazyBody implements RequestBody {
  private made?: readonly BodyLine[];
  private joined?: string;
  readonly verbatim?: boolean;

  constructor(
    private readonly make: () => readonly BodyLine[],
    readonly firstLine: number,
    readonly lastLine: number,
    verbatim?: boolean,
  ) {
    if (verbatim) this.verbatim = true;
  }

  get lines(): readonly BodyLine[] {
    this.made ??= this.make();
    return this.made;
  }

  get text(): string {
    this.joined ??= this.lines.map((l) => (typeof l === 'string' ? l : `<${l.expand ? `@${l.encoding ?? ''}` : ''} ${l.path}`)).join(this.verbatim ? '' : '\n');
    return this.joined;
  }
}

function makeBody(make: () => readonly BodyLine[], firstLine: number, lastLine: number, verbatim?: boolean): RequestBody {
  return new LazyBody(make, firstLine, lastLine, verbatim);
}

/** Reads a request file. Never throws: what it cannot read becomes a diagnostic. */
export function parseRequestFile(text: string): ParsedRequestFile {
  const lines = splitLines(text);
  const requests: RequestBlock[] = [];
  const variables: FileVariable[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  const names = new Map<string, number>();

  const lineSpan = (line: number, from = firstNonBlank(lines[line])): TextSpan => ({ line, start: from, end: Math.max(from, trimmedEnd(lines[line])) });
  const report = (span: TextSpan, message: string, severity: DiagnosticSeverity = 'error'): void => {
    diagnostics.push({ span, message, severity });
  };
  const trimmed = (line: string, start = firstNonBlank(line)): string => line.slice(start, trimmedEnd(line));
  /** The information messages, each localized once per parse (a file may hold thousands of such lines). */
  const said: Partial<Record<'handler' | 'before' | 'saved' | 'earlier' | 'script' | 'assert', string>> = {};
  const saying = {
    handler: () => (said.handler ??= l10n.t('JetBrains response handlers are not run here, nor sent: check the answer with # @expect lines instead.')),
    before: () => (said.before ??= l10n.t('JetBrains pre-request scripts are not run here, nor sent: set values with @name = value or # @prompt instead.')),
    saved: () => (said.saved ??= l10n.t('Saving the answer to a file (>>) is not done here: the answer opens in a tab, which you can save.')),
    earlier: () => (said.earlier ??= l10n.t('References to earlier answers (<>) are not used here.')),
    script: () => (said.script ??= l10n.t('httpYac scripts are not run here, nor sent: set values with @name = value and check answers with # @expect.')),
    assert: () => (said.assert ??= l10n.t('httpYac asserts (??) are not checked here, nor sent: write # @expect lines instead, such as # @expect status 200.')),
  };
  /** Reports another tool's construct that starts at line `i` and ends at `to`, and returns `to`. */
  const notRun = (i: number, to: number, message: string): number => {
    report(lineSpan(i), message, 'information');
    return to;
  };

  /** `@name = value` outside a body: true when the line was one (or a malformed one). */
  const readVariable = (i: number, line: string, start: number): boolean => {
    if (line.charCodeAt(start) !== 64 /* @ */) return false;
    const eq = line.indexOf('=', start);
    const name = line.slice(start + 1, eq < 0 ? undefined : eq).trim();
    if (eq < 0 || !name || /\s/.test(name)) {
      report(lineSpan(i), l10n.t('Expected "=" after the variable name: @{0} = value', line.slice(start + 1).trim().split(/\s/)[0]));
      return true;
    }
    if (!VARIABLE_NAME.test(name)) {
      report({ line: i, start: start + 1, end: start + 1 + name.length }, l10n.t('"{0}" is not a variable name (letters, digits, _ - . $)', name));
      return true;
    }
    variables.push({ name, value: line.slice(eq + 1).trim(), line: i });
    return true;
  };

  /** A `#` or `//` comment: reads the annotations it may hold. True when the line was a comment. */
  const readComment = (i: number, line: string, start: number, annotations: Annotations): boolean => {
    if (!isCommentAt(line, start)) return false;
    let from = start + (line.charCodeAt(start) === 35 ? 1 : 2);
    while (from < line.length && (line[from] === ' ' || line[from] === '\t')) from++;
    if (line.charCodeAt(from) !== 64 /* @ */) return true;
    const end = trimmedEnd(line);
    const content = line.slice(from + 1, end);
    const keyword = /^[\w-]+/.exec(content)?.[0] ?? '';
    const rest = content.slice(keyword.length);
    const span: TextSpan = { line: i, start: from, end };
    const restStart = from + 1 + keyword.length + (rest.length - rest.trimStart().length);
    switch (keyword) {
      case 'name': {
        // httpYac and JetBrains take the rest of the line, blanks included.
        const value = rest.replace(/^\s*=?\s*/, '').trim();
        const valueStart = end - value.length;
        if (!value) {
          report(span, l10n.t('Expected a request name after @name'));
        } else {
          annotations.name = value;
          annotations.first ??= span;
          const before = names.get(value);
          if (before !== undefined) report({ line: i, start: valueStart, end }, l10n.t('Another request is already named "{0}" (line {1})', value, before + 1), 'warning');
          else names.set(value, i);
        }
        return true;
      }
      case 'concur-session': {
        const value = rest.trim();
        if (!value) report(span, l10n.t('Expected an account or label after @concur-session'));
        else annotations.session = value;
        annotations.first ??= span;
        return true;
      }
      case 'expect': {
        annotations.first ??= span;
        const expectation = readExpectation(rest.trim(), span, restStart);
        if (typeof expectation === 'string') report(span, expectation);
        else annotations.expectations.push(expectation);
        return true;
      }
      case 'note':
        annotations.note = rest.trim();
        annotations.first ??= span;
        return true;
      case 'prompt': {
        annotations.first ??= span;
        const words = rest.trim();
        const name = /^\S+/.exec(words)?.[0];
        if (!name) {
          report(span, l10n.t('Expected a variable name after @prompt: # @prompt name [description]'));
        } else if (!VARIABLE_NAME.test(name)) {
          report({ line: i, start: restStart, end: restStart + name.length }, l10n.t('"{0}" is not a variable name (letters, digits, _ - . $)', name));
        } else {
          const description = words.slice(name.length).trim();
          (annotations.prompts ??= []).push(description ? { name, description, line: i } : { name, line: i });
        }
        return true;
      }
      default:
        // Another tool's annotation (@no-log, @no-redirect…): a comment.
        return true;
    }
  };

  /**
   * The first line after `from` (up to `last`) that is `close` after trimming (or, with `endsWith`,
   * ends with it); undefined when there is none. Each search remembers what it found, so that a block
   * of many openers without their end is still read in linear time.
   */
  const found = new Map<string, { from: number; last: number; at: number | undefined }>();
  const closing = (from: number, last: number, close: string, endsWith = false): number | undefined => {
    const key = endsWith ? `…${close}` : close;
    const before = found.get(key);
    if (before && before.last === last && before.from <= from && (before.at === undefined || before.at > from)) return before.at;
    let at: number | undefined;
    for (let j = from + 1; j <= last && at === undefined; j++) {
      const text = trimmed(lines[j]);
      if (endsWith ? text.endsWith(close) : text === close) at = j;
    }
    found.set(key, { from, last, at });
    return at;
  };

  /**
   * Another tool's construct at line `i`, which this extension does not run: its last line, after
   * reporting it; undefined when the line is none. `phase` is where the line stands: before the request
   * line, among the headers, or in the body. An opener without its end is an error where it could be
   * nothing else, and body text in a body (as httpYac reads it).
   */
  const foreign = (i: number, last: number, phase: 'before' | 'headers' | 'body'): number | undefined => {
    const line = lines[i];
    const start = firstNonBlank(line);
    const c = line.charCodeAt(start);
    // Every construct starts with one of / < > { ?: most lines are none, and cost one comparison.
    if (c !== 47 && c !== 60 && c !== 62 && c !== 123 && c !== 63) return undefined;
    const text = trimmed(line, start);
    // `/*` … `*/` (httpYac): in a body, from a line that is `/*` to a line that is `*/`, as httpYac reads
    // them; elsewhere, where the lines could be nothing else, up to the first line that ends with `*/`.
    if (c === 47 && line.charCodeAt(start + 1) === 42) {
      if (phase === 'body') return text === '/*' ? closing(i, last, '*/') : undefined;
      if (text.length >= 4 && text.endsWith('*/')) return i;
      const end = closing(i, last, '*/', true);
      if (end !== undefined) return end;
      report(lineSpan(i), l10n.t('This /* comment is not closed: end it with */'));
      return i;
    }
    // JetBrains: `> {% … %}` response handler, `< {% … %}` pre-request script (one line or up to a `%}` line).
    if ((c === 62 || c === 60) && jetBrainsScriptAt(line, start)) {
      const message = c === 62 ? saying.handler() : saying.before();
      if (text.endsWith('%}') && text.length > text.indexOf('{%') + 3) return notRun(i, i, message);
      const end = closing(i, last, '%}');
      if (end === undefined) {
        report(lineSpan(i), l10n.t('This {% script is not closed: end it with a line that is %}'));
        return i;
      }
      return notRun(i, end, message);
    }
    if (c === 62 /* > */ && phase !== 'before') {
      // `>> file`, `>>! file`: the answer saved to a file (JetBrains, httpYac).
      if (/^>>!?[ \t]+\S/.test(text)) return notRun(i, i, saying.saved());
      // `> handler.js`: a response handler in a file.
      if (/^>[ \t]+[^\s{%}]+$/.test(text)) return notRun(i, i, saying.handler());
      return undefined;
    }
    if (c === 60 /* < */) {
      // `<> previous-response.json`: JetBrains' reference to an earlier answer.
      if (line.charCodeAt(start + 1) === 62 && phase !== 'before') return notRun(i, i, saying.earlier());
      // `< script.js` before the request line: a pre-request script in a file (after it, a body include).
      if (phase === 'before' && /^<[ \t]+[^\s{%}]+$/.test(text)) return notRun(i, i, saying.before());
      return undefined;
    }
    // httpYac: `{{` … `}}` script blocks, `??` asserts.
    if (c === 123 && line.charCodeAt(start + 1) === 123 && HTTPYAC_SCRIPT.test(text)) {
      const end = closing(i, last, '}}');
      if (end !== undefined) return notRun(i, end, saying.script());
      // Unclosed: body text in a body (as httpYac reads it), an error where it could be nothing else.
      if (phase === 'body') return undefined;
      report(lineSpan(i), l10n.t('This {{ script is not closed: end it with a line that is }}'));
      return i;
    }
    if (c === 63 && line.charCodeAt(start + 1) === 63) return notRun(i, i, saying.assert());
    return undefined;
  };

  let separatorLine: number | undefined;
  let blockStart = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !isSeparator(lines[i])) continue;
    if (i > blockStart) readBlock(blockStart, i - 1, separatorLine);
    separatorLine = i;
    blockStart = i + 1;
  }

  function readBlock(first: number, last: number, separator: number | undefined): void {
    const reported = diagnostics.length;
    const annotations: Annotations = { expectations: [] };
    let i = first;
    // Before the request line: blank lines, comments (with annotations), file variables and scripts.
    for (; i <= last; i++) {
      const line = lines[i];
      const start = firstNonBlank(line);
      if (start === line.length) continue;
      if (readComment(i, line, start, annotations)) continue;
      if (readVariable(i, line, start)) continue;
      const end = foreign(i, last, 'before');
      if (end !== undefined) {
        i = end;
        continue;
      }
      break;
    }
    if (i > last) {
      if (annotations.first) report(annotations.first, l10n.t('This block has annotations but no request line (METHOD URL)'));
      return;
    }
    const requestLine = i;
    const at = firstNonBlank(lines[i]);
    const curl = (lines[i].charCodeAt(at) | 32) === 99 /* c */ && /^curl\s/i.test(lines[i].slice(at, at + 5));
    let request: RequestLine | undefined;
    let headers: RequestHeader[] = [];
    let body: RequestBody | undefined;
    if (curl) {
      const command = readCurlCommand(lines, i, last);
      for (const d of command.diagnostics) report(d.span, d.message, d.severity);
      if (!command.request) return;
      request = command.request;
      headers = [...command.request.headers];
      const given = command.request.body;
      body = given && makeBody(() => given.lines, given.firstLine, given.lastLine, given.verbatim);
      // After the command: comments, blank lines and other tools' scripts only.
      for (i = command.lastLine + 1; i <= last; i++) {
        const line = lines[i];
        const start = firstNonBlank(line);
        if (start === line.length || readComment(i, line, start, annotations)) continue;
        const end = foreign(i, last, 'headers');
        if (end !== undefined) i = end;
        else report(lineSpan(i), l10n.t('Expected a blank line, a comment or ### after the curl command (its lines continue only after a \\)'));
      }
    } else {
      request = readRequestLine(requestLine);
      if (!request) return;
      i = readContinuation(request, i + 1, last);
      // Headers, up to a blank line.
      for (; i <= last; i++) {
        const line = lines[i];
        const start = firstNonBlank(line);
        if (start === line.length) break;
        if (readComment(i, line, start, annotations)) continue;
        const end = foreign(i, last, 'headers');
        if (end !== undefined) {
          i = end;
          continue;
        }
        if (readVariable(i, line, start)) continue;
        const header = readHeader(line, start, i);
        if (header) headers.push(header);
        else report(lineSpan(i), l10n.t('Expected a header (Name: value) or a blank line before the body'));
      }
      body = readBody(i + 1, last, annotations);
    }
    checkRepeatedHeaders(headers);
    // Optional fields are left out rather than undefined (object spreads cost more here than all the rest).
    const block: Mutable<RequestBlock> = { index: requests.length, firstLine: first, lastLine: last, requestLine, method: request.method, url: request.url, urlSpan: request.urlSpan, headers, expectations: annotations.expectations, errors: NO_ERRORS };
    let title: string | undefined;
    if (separator !== undefined) {
      const line = lines[separator];
      let from = 3;
      while (line.charCodeAt(from) === 35) from++;
      if (from < line.length) title = line.slice(from).trim();
    }
    if (title) block.title = title;
    if (annotations.name !== undefined) block.name = annotations.name;
    else if (title) block.name = title;
    if (annotations.session !== undefined) block.session = annotations.session;
    if (annotations.note !== undefined) block.note = annotations.note;
    if (annotations.prompts) block.prompts = annotations.prompts;
    if (separator !== undefined) block.separatorLine = separator;
    if (request.httpVersion !== undefined) block.httpVersion = request.httpVersion;
    if (body) block.body = body;
    if (curl) block.curl = true;
    let errors: ParseDiagnostic[] | undefined;
    for (let d = reported; d < diagnostics.length; d++) if (diagnostics[d].severity === 'error') (errors ??= []).push(diagnostics[d]);
    if (errors) block.errors = errors;
    requests.push(block);
  }

  /** Query lines (`?a=1`, `&b=2`, indented or not, as REST Client reads them), `/path` lines (httpYac) and indented URL parts (JetBrains). */
  function readContinuation(request: RequestLine, from: number, last: number): number {
    let i = from;
    for (; i <= last; i++) {
      const line = lines[i];
      const start = firstNonBlank(line);
      if (start === line.length) break;
      const c = line.charCodeAt(start);
      const next = line.charCodeAt(start + 1);
      const query = (c === 63 /* ? */ && next !== 63) || c === 38; /* & */
      const path = c === 47 /* / */ && next !== 47 && next !== 42;
      if (!query && !path && start === 0) break;
      const text = trimmed(line, start);
      // An indented word without blanks or a colon: a URL part, as JetBrains splits long URLs.
      if (!query && !path && !(URL_PART.test(text) && !(c === 123 && HTTPYAC_SCRIPT.test(text)))) break;
      request.url += text;
    }
    return i;
  }

  /**
   * The body from `from` to the block's end: comments and other tools' scripts left out, includes
   * read, trailing blank lines dropped. Only what it reports is worked out here; the lines themselves
   * are made when first read.
   */
  function readBody(from: number, last: number, annotations: Annotations): RequestBody | undefined {
    // Lines left out, as [first, last] pairs in order.
    const skipped: number[] = [];
    let lastText = -1;
    let lastLine = -1;
    for (let i = from; i <= last; i++) {
      const line = lines[i];
      const start = firstNonBlank(line);
      // Leading blank lines after the one that ends the headers are the body's; trailing ones are not.
      if (start === line.length) continue;
      lastLine = i;
      if (readComment(i, line, start, annotations)) {
        skipped.push(i, i);
        continue;
      }
      const end = foreign(i, last, 'body');
      if (end !== undefined) {
        skipped.push(i, end);
        i = end;
        lastLine = end;
        continue;
      }
      // At the line's start only, as all three tools read it (an indented `<` is body text).
      if (start === 0 && line.charCodeAt(0) === 60) {
        const include = includeOf(trimmed(line, 0), i);
        if (include && 'badEncoding' in include) {
          report(lineSpan(i), l10n.t('"{0}" is not an encoding Node.js knows (utf8, latin1, ascii, utf16le, base64…)', include.badEncoding));
          skipped.push(i, i);
          continue;
        }
      }
      lastText = i;
    }
    if (lastText < 0) return undefined;
    const make = (): BodyLine[] => {
      const out: BodyLine[] = [];
      let k = 0;
      for (let i = from; i <= lastText; i++) {
        if (k < skipped.length && i >= skipped[k]) {
          i = skipped[k + 1];
          k += 2;
          continue;
        }
        const line = lines[i];
        const include = line.charCodeAt(0) === 60 ? includeOf(trimmed(line, 0), i) : undefined;
        out.push(include && !('badEncoding' in include) ? include : line);
      }
      return out;
    };
    return makeBody(make, from, lastLine);
  }

  /** Warns about a header HTTP cannot join (RFC 9110 §5.3) given twice; list headers are joined when sent. */
  function checkRepeatedHeaders(headers: readonly RequestHeader[]): void {
    // A request has a handful of headers: pairs compared in place, without a map per request (a map beyond that, to stay linear).
    const seen = headers.length > 12 ? new Map<string, number>() : undefined;
    for (let h = seen ? 0 : 1; h < headers.length; h++) {
      const name = headers[h].name;
      let before = -1;
      if (seen) {
        before = seen.get(name.toLowerCase()) ?? -1;
        if (before < 0) seen.set(name.toLowerCase(), h);
      } else {
        for (let g = 0; g < h && before < 0; g++) if (headers[g].name.length === name.length && headers[g].name.toLowerCase() === name.toLowerCase()) before = g;
      }
      if (before < 0) continue;
      const lower = name.toLowerCase();
      const span = lineSpan(headers[h].line);
      if (lower === 'set-cookie') report(span, l10n.t('Set-Cookie is never joined into one line (it is an answer\'s header): keep one Set-Cookie line.'));
      else if (SINGLETON_HEADERS.has(lower)) report(span, l10n.t('{0} is given twice (first on line {1}), and HTTP allows it once: keep one line.', name, headers[before].line + 1));
    }
  }

  interface RequestLine {
    method: string;
    url: string;
    urlSpan: TextSpan;
    httpVersion?: string;
  }

  function readRequestLine(i: number): RequestLine | undefined {
    const line = lines[i];
    const start = firstNonBlank(line);
    const end = trimmedEnd(line);
    let wordEnd = start;
    while (wordEnd < end && !isBlank(line.charCodeAt(wordEnd))) wordEnd++;
    let urlStart = wordEnd;
    while (urlStart < end && isBlank(line.charCodeAt(urlStart))) urlStart++;
    let method = 'GET';
    const word = line.slice(start, wordEnd);
    let known = true;
    if (TOKEN.test(word) && !LOOKS_LIKE_URL.test(word)) {
      method = word.toUpperCase();
      known = METHODS.has(method);
      if (known && urlStart === end) {
        report({ line: i, start, end }, l10n.t('Expected a URL after {0}', method));
        return undefined;
      }
      if (!known && urlStart === end) urlStart = start;
    } else {
      urlStart = start;
    }
    let urlEnd = end;
    let httpVersion: string | undefined;
    // The last word is the HTTP version when it is one.
    let lastWord = end;
    while (lastWord > urlStart && !isBlank(line.charCodeAt(lastWord - 1))) lastWord--;
    if (lastWord > urlStart && HTTP_VERSION.test(line.slice(lastWord, end))) {
      httpVersion = line.slice(lastWord, end).toUpperCase();
      urlEnd = lastWord;
      while (urlEnd > urlStart && isBlank(line.charCodeAt(urlEnd - 1))) urlEnd--;
    }
    const url = line.slice(urlStart, urlEnd);
    // A word that is no method the tools know, before something that is no URL: a line of text, not a request.
    if ((urlStart === start || !known) && !LOOKS_LIKE_URL.test(url)) {
      report({ line: i, start, end }, l10n.t('Expected a request line (METHOD URL), a comment, a variable (@name = value) or ###'));
      return undefined;
    }
    if (urlStart === start) method = 'GET';
    else if (!known) report({ line: i, start, end: wordEnd }, l10n.t('"{0}" is not a method REST Client, httpYac or JetBrains HTTP Client know; it is sent as written. Check its spelling.', word), 'warning');
    else if (method === 'CONNECT') report({ line: i, start, end: wordEnd }, l10n.t('CONNECT opens a tunnel to a proxy and cannot be sent from a request file.'));
    if (httpVersion && httpVersion !== 'HTTP/1.1' && httpVersion !== 'HTTP/1.0') {
      report({ line: i, start: lastWord, end }, l10n.t('{0} is read and kept in the file, but this extension sends HTTP/1.1.', httpVersion), 'information');
    }
    const result: RequestLine = { method, url, urlSpan: { line: i, start: urlStart, end: urlEnd } };
    if (httpVersion) result.httpVersion = httpVersion;
    return result;
  }

  return { requests, variables, diagnostics };
}

/**
 * `status 200`, `header content-type application/json`, `$.Resources.length > 0`: an expectation,
 * or why it cannot be read. `restStart` is the column where `text` starts on the line.
 */
function readExpectation(text: string, span: TextSpan, restStart: number): Expectation | string {
  const usage = (): string => l10n.t('Expected "@expect status <code>", "@expect header <name> <text>" or "@expect $.<json path> <operator> [value]"');
  if (!text) return usage();
  const status = /^status\s+(\S+)$/i.exec(text);
  if (status) {
    const code = Number(status[1]);
    if (!/^\d{3}$/.test(status[1]) || code < 100 || code > 599) return l10n.t('"{0}" is not an HTTP status code (100–599)', status[1]);
    return { kind: 'status', status: code, span };
  }
  if (/^status\b/i.test(text)) return l10n.t('Expected a status code after @expect status');
  const header = /^header\s+([!#$%&'*+.^_`|~0-9A-Za-z-]+):?(?:\s+(.*))?$/i.exec(text);
  if (header) {
    const contains = header[2]?.trim() ?? '';
    if (!contains) return l10n.t('Expected the text the {0} header should contain', header[1]);
    return { kind: 'header', name: header[1], contains, span };
  }
  if (/^header\b/i.test(text)) return l10n.t('Expected a header name and the text it should contain after @expect header');
  if (text[0] !== '$') return usage();
  // The path ends at the first blank outside brackets, parentheses and quotes.
  let depth = 0;
  let quote = '';
  let end = 0;
  for (; end < text.length; end++) {
    const c = text[end];
    if (quote) {
      if (c === '\\') end++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth <= 0 && (c === ' ' || c === '\t')) break;
  }
  if (quote || depth !== 0) return l10n.t('The JSON path "{0}" has an unclosed bracket or quote (column {1})', text.slice(0, end), restStart + 1);
  const path = text.slice(0, end);
  const rest = text.slice(end).trim();
  const op = /^\S+/.exec(rest)?.[0];
  if (!op) return l10n.t('Expected an operator after {0} ({1})', path, EXPECTATION_OPERATORS.join(', '));
  if (!OPERATORS.has(op)) return l10n.t('Unknown operator "{0}" (expected {1})', op, EXPECTATION_OPERATORS.join(', '));
  const raw = rest.slice(op.length).trim();
  if (op === 'exists') {
    if (raw) return l10n.t('"exists" takes no value (found "{0}")', raw);
    return { kind: 'jsonpath', path, op, span };
  }
  if (!raw) return l10n.t('Expected a value after {0} {1}', path, op);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: the text itself
  }
  return { kind: 'jsonpath', path, op: op as ExpectationOperator, value, span };
}

/** The request whose block holds a line (for "send the request under the cursor"); its `###` line counts as its own. */
export function requestAt(file: ParsedRequestFile, line: number): RequestBlock | undefined {
  const requests = file.requests;
  let lo = 0;
  let hi = requests.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const request = requests[mid];
    const from = request.separatorLine ?? request.firstLine;
    if (line < from) hi = mid - 1;
    else if (line > request.lastLine) lo = mid + 1;
    else return request;
  }
  return undefined;
}
