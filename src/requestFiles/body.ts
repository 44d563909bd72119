/**
 * What a request file's request sends: its header lines joined as HTTP joins repeated fields, and its
 * body built from its lines by Content-Type, as REST Client builds it:
 *
 * - `multipart/*`: every line ends with CRLF (RFC 2046), and `< ./file` lines are the file's bytes;
 * - `application/x-www-form-urlencoded`: a line that starts with `&` continues the one before it
 *   without a line break, and characters a form body cannot hold as written are percent-encoded
 *   (`%XX` escapes already there are kept);
 * - `X-Request-Type: GraphQL`: `{"query": …, "operationName": …, "variables": …}`, the variables from a
 *   JSON block after the query's first blank line (the header itself is not sent);
 * - otherwise the lines joined with line feeds, includes as their bytes.
 *
 * A body with a file in it is bytes (binary-safe); any other body is text. Knows nothing of VS Code:
 * reading files (and deciding where from) and expanding `{{…}}` are the caller's.
 */
import { l10n } from '../platform/l10n';
import type { BodyInclude, RequestBody } from './parse';

export interface BodySources {
  /** An include's bytes. Throws (with a message for the user) when it may not or cannot be read. */
  read(include: BodyInclude): Promise<Uint8Array>;
  /** `{{…}}` expanded in a text. Throws what cannot be expanded. */
  expand(text: string): Promise<string>;
}

/** A request's body and headers cannot be built as written; the message says why. */
export class RequestBuildError extends Error {
  override readonly name = 'RequestBuildError';
}

const CRLF = '\r\n';

/** Header fields that are lists of `; `-separated pairs rather than `, `-separated values. */
const SEMICOLON_LISTS = new Set(['cookie']);
/** Header fields that are never joined: repeated, they are refused (the parser says so on the line). */
const NEVER_JOINED = new Set(['set-cookie']);

/**
 * Header lines as one value per name: a repeated field joined with ", " (RFC 9110 §5.3), `Cookie` with
 * "; " (RFC 6265 §5.4); the first line's spelling of the name is kept.
 */
export function joinHeaders(headers: readonly { readonly name: string; readonly value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  const spelled = new Map<string, string>();
  for (const { name, value } of headers) {
    const lower = name.toLowerCase();
    const first = spelled.get(lower);
    if (first === undefined) {
      spelled.set(lower, name);
      out[name] = value;
    } else if (NEVER_JOINED.has(lower)) {
      throw new RequestBuildError(l10n.t('{0} is given twice and is never joined into one line: keep one.', name));
    } else {
      out[first] = `${out[first]}${SEMICOLON_LISTS.has(lower) ? '; ' : ', '}${value}`;
    }
  }
  return out;
}

/** The value of a header, whatever the case of its name. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key in headers) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

// What encodeurl (REST Client's form encoding) leaves as it is: the characters a URL may hold, and `%XX`.
const NOT_IN_FORM = /(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|$))+/g;
const LONE_SURROGATE = /(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD800-\uDBFF]([^\uDC00-\uDFFF]|$)/g;

/** Percent-encodes what a form body cannot hold as written; escapes already there stay as they are. */
export function encodeFormBody(text: string): string {
  return text.replace(LONE_SURROGATE, '$1\uFFFD$2').replace(NOT_IN_FORM, (run) => encodeURI(run));
}

/** A body's lines grouped: a run of text lines (to expand), a file's text (expanded already) or a file's bytes. */
type Group = { readonly lines: readonly string[] } | { readonly text: string } | { readonly bytes: Uint8Array };

const decode = (bytes: Uint8Array, encoding: string): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding as BufferEncoding);

/**
 * The body to send for a request's body lines and its (expanded, joined) headers. Returns the headers
 * to send too: the GraphQL marker header is taken out.
 */
export async function buildBody(body: RequestBody | undefined, headers: Record<string, string>, sources: BodySources): Promise<{ body?: string | Uint8Array; headers: Record<string, string> }> {
  const type = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  const graphQl = (headerValue(headers, 'x-request-type') ?? '').trim().toLowerCase() === 'graphql';
  if (graphQl) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'x-request-type'));
  if (!body) return { headers };

  const groups: Group[] = [];
  let run: string[] | undefined;
  for (const line of body.lines) {
    if (typeof line === 'string') {
      if (!run) groups.push({ lines: (run = []) });
      run.push(line);
      continue;
    }
    run = undefined;
    const bytes = await sources.read(line);
    groups.push(line.expand ? { text: await sources.expand(decode(bytes, line.encoding ?? 'utf8')) } : { bytes });
  }

  if (graphQl) return { headers, body: await graphQlBody(groups, sources) };
  if (body.verbatim) return { headers, body: await join(groups, '', '', sources) };
  if (/^multipart\//.test(type)) return { headers, body: await join(groups, CRLF, CRLF, sources) };
  const only = groups.length === 1 ? groups[0] : undefined;
  if (/^application\/x-www-form-urlencoded\b/.test(type) && only && 'lines' in only) {
    // REST Client: `&name=value` lines continue the line before them; other lines keep their line break.
    let text = '';
    only.lines.forEach((line, i) => {
      const start = line.trimStart();
      text += i === 0 ? line : start.startsWith('&') ? start : `\n${line}`;
    });
    return { headers, body: encodeFormBody(await sources.expand(text)) };
  }
  return { headers, body: await join(groups, '\n', '', sources) };
}

/**
 * The groups joined: text runs expanded and their lines joined with `separator`, each group followed
 * by `separator` when another follows (and by `after` when it is the last); text unless a file's bytes
 * are in it. An empty body is none.
 */
async function join(groups: readonly Group[], separator: string, after: string, sources: BodySources): Promise<string | Uint8Array | undefined> {
  const out: (string | Uint8Array)[] = [];
  let bytes = false;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    if ('lines' in group) {
      const expanded = await sources.expand(group.lines.join('\n'));
      out.push(separator === CRLF ? expanded.split('\n').join(CRLF) : expanded);
    } else if ('text' in group) {
      out.push(group.text);
    } else {
      out.push(group.bytes);
      bytes = true;
    }
    out.push(g < groups.length - 1 ? separator : after);
  }
  if (!bytes) {
    const text = out.join('');
    return text === '' ? undefined : text;
  }
  const whole = Buffer.concat(out.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece)));
  return whole.length ? whole : undefined;
}

/** REST Client's GraphQL body: the query up to its first blank line, then the variables as JSON. */
async function graphQlBody(groups: readonly Group[], sources: BodySources): Promise<string> {
  const lines: string[] = [];
  for (const group of groups) {
    if ('lines' in group) lines.push(...group.lines);
    else lines.push(...('text' in group ? group.text : decode(group.bytes, 'utf8')).split(/\r?\n/));
  }
  let from = 0;
  while (from < lines.length && !lines[from].trim()) from++;
  let blank = from;
  while (blank < lines.length && lines[blank].trim()) blank++;
  const query = await sources.expand(lines.slice(from, blank).join('\n'));
  const variablesText = (await sources.expand(lines.slice(blank + 1).join('\n'))).trim();
  let variables: unknown = {};
  if (variablesText) {
    try {
      variables = JSON.parse(variablesText);
    } catch (error) {
      throw new RequestBuildError(l10n.t('The GraphQL variables after the query\'s blank line are not valid JSON ({0}).', (error as Error).message));
    }
  }
  const operationName = /^\s*(?:query|mutation|subscription)\s+([^@{(\s]+)/i.exec(query)?.[1];
  return JSON.stringify({ query, operationName, variables });
}
