/**
 * Request files (`.http`, `.rest`): the syntax REST Client and httpYac users already write, read into
 * request blocks, file variables and diagnostics. Knows nothing of VS Code and loads nothing heavy
 * (no JSONPath, no dotenv): the extension reads a file on every edit for its CodeLenses.
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
 */
import { l10n } from '../util/l10n';

/** 0-based line, columns [start, end). */
export interface TextSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export type ExpectationOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'exists';

export type Expectation =
  | { readonly kind: 'status'; readonly status: number; readonly span: TextSpan }
  | { readonly kind: 'header'; readonly name: string; readonly contains: string; readonly span: TextSpan }
  | { readonly kind: 'jsonpath'; readonly path: string; readonly op: ExpectationOperator; readonly value?: unknown; readonly span: TextSpan };

export interface RequestHeader {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export type RequestBody =
  | { readonly kind: 'inline'; readonly text: string; readonly firstLine: number; readonly lastLine: number }
  | { readonly kind: 'file'; readonly path: string; readonly expand: boolean; readonly line: number };

export interface RequestBlock {
  /** 0-based, in file order (among the blocks that hold a request). */
  readonly index: number;
  /** From `# @name`. */
  readonly name?: string;
  /** From `# @concur-session`: an account or label, the rest of the line. */
  readonly session?: string;
  /** First line of the block (after the `###` line). */
  readonly firstLine: number;
  /** Last line of the block. */
  readonly lastLine: number;
  /** The `###` line that opens the block; undefined for a block at the top of the file. */
  readonly separatorLine?: number;
  /** Line of METHOD URL. */
  readonly requestLine: number;
  /** Upper case. */
  readonly method: string;
  /** Raw, with {{…}}, query continuation lines joined. */
  readonly url: string;
  /** The URL on the request line (continuation lines are not in it). */
  readonly urlSpan: TextSpan;
  readonly httpVersion?: string;
  readonly headers: readonly RequestHeader[];
  readonly body?: RequestBody;
  readonly expectations: readonly Expectation[];
}

export interface FileVariable {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface ParseDiagnostic {
  readonly span: TextSpan;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface ParsedRequestFile {
  readonly requests: readonly RequestBlock[];
  readonly variables: readonly FileVariable[];
  readonly diagnostics: readonly ParseDiagnostic[];
}

export const REQUEST_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const METHODS = new Set(REQUEST_METHODS);
export const EXPECTATION_OPERATORS: readonly ExpectationOperator[] = ['==', '!=', '>=', '<=', '>', '<', 'contains', 'exists'];
const OPERATORS = new Set<string>(EXPECTATION_OPERATORS);

/** The file's lines as an editor numbers them: no BOM, CRLF, LF and lone CR all end a line. */
export function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

/** Whether a line opens a new request block: it starts with `###` (no indentation). */
export function isSeparator(line: string): boolean {
  return line.charCodeAt(0) === 35 && line.charCodeAt(1) === 35 && line.charCodeAt(2) === 35;
}

/** A request name usable in `{{name.response.body…}}`. */
export const REQUEST_NAME = /^[A-Za-z_][\w-]*$/;
const VARIABLE = /^\s*@([^\s=]+)\s*=\s*(.*)$/;
const VARIABLE_NAME = /^[A-Za-z_$][\w.$-]*$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/;
const HTTP_VERSION = /^HTTP\/\d(?:\.\d)?$/i;
const LOOKS_LIKE_URL = /^(?:\/|https?:\/\/|\{\{)/i;
// Matched on a trimmed line, so the path runs to its end (no lazy match against trailing blanks).
const BODY_FILE = /^<(@)?(?:\s+|(?<=@)\w*\s+)(\S.*)$/;

interface Annotations {
  name?: string;
  session?: string;
  expectations: Expectation[];
  /** The first annotation read, for the "no request line" diagnostic. */
  first?: TextSpan;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

/**
 * An inline body whose text is joined from its lines when first read: CodeLenses and diagnostics,
 * which read a file on every edit, never need it. (An enumerable getter: spreads, JSON and deep
 * equality see a plain `text`.)
 */
function inlineBody(lines: readonly string[], firstLine: number, lastLine: number): RequestBody {
  let text: string | undefined;
  return {
    kind: 'inline',
    get text(): string {
      text ??= lines.slice(firstLine, lastLine + 1).join('\n');
      return text;
    },
    firstLine,
    lastLine,
  };
}

/** Reads a request file. Never throws: what it cannot read becomes a diagnostic. */
export function parseRequestFile(text: string): ParsedRequestFile {
  const lines = splitLines(text);
  const requests: RequestBlock[] = [];
  const variables: FileVariable[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  const names = new Map<string, number>();

  const lineSpan = (line: number, from = firstNonBlank(lines[line])): TextSpan => ({ line, start: from, end: Math.max(from, trimmedEnd(lines[line])) });
  const error = (span: TextSpan, message: string, severity: 'error' | 'warning' = 'error'): void => {
    diagnostics.push({ span, message, severity });
  };

  /** `@name = value` outside a body: true when the line was one (or a malformed one). */
  const readVariable = (i: number, line: string, start: number): boolean => {
    if (line.charCodeAt(start) !== 64 /* @ */) return false;
    const match = VARIABLE.exec(line);
    if (!match) {
      error(lineSpan(i), l10n.t('Expected "=" after the variable name: @{0} = value', line.slice(start + 1).trim().split(/\s/)[0]));
      return true;
    }
    if (!VARIABLE_NAME.test(match[1])) {
      error({ line: i, start: start + 1, end: start + 1 + match[1].length }, l10n.t('"{0}" is not a variable name (letters, digits, _ - . $)', match[1]));
      return true;
    }
    variables.push({ name: match[1], value: match[2].trim(), line: i });
    return true;
  };

  /** A `#` or `//` comment: reads the annotations it may hold. True when the line was a comment. */
  const readComment = (i: number, line: string, start: number, annotations: Annotations): boolean => {
    let from: number;
    if (line.charCodeAt(start) === 35 /* # */) from = start + 1;
    else if (line.charCodeAt(start) === 47 && line.charCodeAt(start + 1) === 47) from = start + 2;
    else return false;
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
        const value = rest.replace(/^\s*=?\s*/, '').trim();
        const valueStart = end - value.length;
        if (!value) {
          error(span, l10n.t('Expected a request name after @name'));
        } else if (!REQUEST_NAME.test(value)) {
          error({ line: i, start: valueStart, end }, l10n.t('"{0}" is not a request name (letters, digits, _ and -, not starting with a digit)', value));
        } else {
          annotations.name = value;
          annotations.first ??= span;
          const before = names.get(value);
          if (before !== undefined) error({ line: i, start: valueStart, end }, l10n.t('Another request is already named "{0}" (line {1})', value, before + 1), 'warning');
          else names.set(value, i);
        }
        return true;
      }
      case 'concur-session': {
        const value = rest.trim();
        if (!value) error(span, l10n.t('Expected an account or label after @concur-session'));
        else annotations.session = value;
        annotations.first ??= span;
        return true;
      }
      case 'expect': {
        annotations.first ??= span;
        const expectation = readExpectation(rest.trim(), span, restStart);
        if (typeof expectation === 'string') error(span, expectation);
        else annotations.expectations.push(expectation);
        return true;
      }
      default:
        // Another tool's annotation (@prompt, @no-log…): a comment.
        return true;
    }
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
    const annotations: Annotations = { expectations: [] };
    let i = first;
    // Before the request line: blank lines, comments (with annotations) and file variables.
    for (; i <= last; i++) {
      const line = lines[i];
      const start = firstNonBlank(line);
      if (start === line.length) continue;
      if (readComment(i, line, start, annotations)) continue;
      if (readVariable(i, line, start)) continue;
      break;
    }
    if (i > last) {
      if (annotations.first) error(annotations.first, l10n.t('This block has annotations but no request line (METHOD URL)'));
      return;
    }
    const requestLine = i;
    const request = readRequestLine(requestLine);
    if (!request) return;
    let url = request.url;
    for (i++; i <= last; i++) {
      const line = lines[i];
      const start = firstNonBlank(line);
      if (start === 0 || start === line.length || (line[start] !== '?' && line[start] !== '&')) break;
      url += line.slice(start, trimmedEnd(line));
    }
    const headers: RequestHeader[] = [];
    for (; i <= last; i++) {
      const line = lines[i];
      const start = firstNonBlank(line);
      if (start === line.length) break;
      if (readComment(i, line, start, annotations)) continue;
      if (readVariable(i, line, start)) continue;
      const header = HEADER.exec(start ? line.slice(start) : line);
      if (header) headers.push({ name: header[1], value: header[2].trim(), line: i });
      else error(lineSpan(i), l10n.t('Expected a header (Name: value) or a blank line before the body'));
    }
    let body: RequestBody | undefined;
    const bodyFirst = i + 1;
    let bodyLast = last;
    while (bodyLast >= bodyFirst && firstNonBlank(lines[bodyLast]) === lines[bodyLast].length) bodyLast--;
    if (bodyLast >= bodyFirst) {
      // Leading blank lines after the one that ends the headers are the body's.
      const file = bodyFirst === bodyLast ? BODY_FILE.exec(lines[bodyFirst].trim()) : null;
      if (file) body = { kind: 'file', path: file[2], expand: file[1] === '@', line: bodyFirst };
      else body = inlineBody(lines, bodyFirst, bodyLast);
    }
    // Optional fields are left out rather than undefined (object spreads cost more here than all the rest).
    const block: Mutable<RequestBlock> = { index: requests.length, firstLine: first, lastLine: last, requestLine, method: request.method, url, urlSpan: request.urlSpan, headers, expectations: annotations.expectations };
    if (annotations.name !== undefined) block.name = annotations.name;
    if (annotations.session !== undefined) block.session = annotations.session;
    if (separator !== undefined) block.separatorLine = separator;
    if (request.httpVersion !== undefined) block.httpVersion = request.httpVersion;
    if (body) block.body = body;
    requests.push(block);
  }

  function readRequestLine(i: number): { method: string; url: string; urlSpan: TextSpan; httpVersion?: string } | undefined {
    const line = lines[i];
    const start = firstNonBlank(line);
    const end = trimmedEnd(line);
    let wordEnd = start;
    while (wordEnd < end && !isBlank(line.charCodeAt(wordEnd))) wordEnd++;
    let urlStart = wordEnd;
    while (urlStart < end && isBlank(line.charCodeAt(urlStart))) urlStart++;
    let method = 'GET';
    const word = line.slice(start, wordEnd);
    if (/^[A-Za-z]+$/.test(word)) {
      const upper = word.toUpperCase();
      if (METHODS.has(upper)) {
        method = upper;
        if (urlStart === end) {
          error({ line: i, start, end }, l10n.t('Expected a URL after {0}', method));
          return undefined;
        }
      } else if (urlStart < end) {
        error({ line: i, start, end: wordEnd }, l10n.t('Unknown method "{0}" (expected {1} or {2})', word, REQUEST_METHODS.slice(0, -1).join(', '), REQUEST_METHODS[REQUEST_METHODS.length - 1]));
        return undefined;
      } else {
        urlStart = start;
      }
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
    if (urlStart === start && !LOOKS_LIKE_URL.test(url)) {
      error({ line: i, start, end }, l10n.t('Expected a request line (METHOD URL), a comment, a variable (@name = value) or ###'));
      return undefined;
    }
    const result: { method: string; url: string; urlSpan: TextSpan; httpVersion?: string } = { method, url, urlSpan: { line: i, start: urlStart, end: urlEnd } };
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
