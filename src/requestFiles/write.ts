/**
 * Requests written as request-file text (Save as Request File, Copy as Request): the session by
 * reference, never a token. Authorization, Cookie and any header whose value looks like a token
 * are left out; the sender uses the signed-in session when a request has no Authorization header.
 */
import { l10n } from '../platform/l10n';
import { readsAsBodyText, REQUEST_NAME } from './parse';

export interface RequestToWrite {
  readonly method: string;
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly name?: string;
  readonly comment?: string;
}

const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const TOKEN_VALUE = /^\s*bearer\s|eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\./i;
const HEADER_NAME = /^[!$%&'*+.^_`|~0-9A-Za-z-][!#$%&'*+.^_`|~0-9A-Za-z-]*$/;

/** Whether a header would carry a secret into the file. */
export function isSecretHeader(name: string, value: string): boolean {
  return DROPPED_HEADERS.has(name.toLowerCase()) || TOKEN_VALUE.test(value);
}

/** A name usable as `# @name`: other characters become `-`, a leading digit gets a `_`. */
export function requestNameOf(name: string): string | undefined {
  if (REQUEST_NAME.test(name.trim())) return name.trim();
  let cleaned = name.trim().replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!cleaned) return undefined;
  if (!REQUEST_NAME.test(cleaned)) cleaned = `_${cleaned}`;
  return cleaned;
}

/** A request as request-file text, with the session by reference and never a token: `# @name`, request line, headers (no Authorization), blank line, body. */
export function requestToText(request: RequestToWrite): string {
  const lines: string[] = [];
  for (const line of (request.comment ?? '').split(/\r\n|\r|\n/)) {
    if (!line.trim()) continue;
    // A comment line that starts with @ would read back as an annotation.
    lines.push(`# ${line.trim().replace(/^@/, '(@)')}`);
  }
  // The parser drops blank lines at the end of a body; the text of each line stays as it is.
  const body = request.body?.replace(/\r\n|\r/g, '\n').replace(/(?:\n[ \t]*)+$/, '');
  // No request-file syntax sends a line that starts with #, // or <file as body text: say so rather than lose it unnoticed.
  if (body?.split('\n').some((line) => !readsAsBodyText(line))) lines.push(`# ${l10n.t('Some lines of this body start with #, //, <, >, ?? or {{ and are read as comments or instructions: they are not sent as written.')}`);
  const name = request.name === undefined ? undefined : requestNameOf(request.name);
  if (name) lines.push(`# @name ${name}`);
  // One line: blanks inside a target would read back as the HTTP version or a second word. A
  // `{{$processEnv NAME}}` reference keeps its blank: the parser reads the URL up to the version.
  const target = request.target.trim().replace(/\{\{[^{}\r\n]*\}\}|\s/g, (found) => (found.length > 1 ? found : encodeURIComponent(found)));
  lines.push(`${request.method.trim().toUpperCase()} ${target}`);
  for (const [headerName, value] of Object.entries(request.headers ?? {})) {
    if (!HEADER_NAME.test(headerName) || isSecretHeader(headerName, value)) continue;
    lines.push(`${headerName}: ${value.replace(/[\r\n]+/g, ' ').trim()}`);
  }
  if (body && body.trim()) {
    lines.push('');
    // A line that starts with ### would end the request; a blank before it keeps JSON the same.
    for (const line of body.split('\n')) lines.push(line.startsWith('###') ? ` ${line}` : line);
  }
  return `${lines.join('\n')}\n`;
}

/** Several, separated by `###` lines, with a short header comment saying the session is used by reference. */
export function requestsToFile(requests: readonly RequestToWrite[]): string {
  const used = new Set<string>();
  const blocks = requests.map((request) => {
    let name = request.name === undefined ? undefined : requestNameOf(request.name);
    if (name) {
      const base = name;
      for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
      used.add(name);
    }
    return requestToText({ ...request, ...(name ? { name } : {}) });
  });
  // Comments for the reader, in the display language; none of them starts with @ (which would be an annotation).
  const header = [
    `# ${l10n.t('Concur API Explorer request file.')}`,
    `# ${l10n.t('Requests are sent with your signed-in Concur session, used by reference: this file holds no token.')}`,
    `# ${l10n.t('Pick another session for a request with "# @concur-session <account or label>".')}`,
    '',
  ].join('\n');
  return `${header}\n${blocks.map((block) => `###\n${block}`).join('\n')}`;
}
