/**
 * "Copy as cURL": a request as a POSIX shell command in which every part is quoted, the token
 * replaced by $CONCUR_TOKEN unless asked for. The URL is a `CheckedUrl` and the headers pass the
 * same check as a request that is sent (headers.ts): a request is copied only to where the
 * session's token may go, and carries no header that could send it elsewhere. `--globoff` keeps
 * curl from reading `[1-5]` or `{a,b}` in the URL as a pattern that makes several requests of one.
 */
import { HTTP_TOKEN } from './apiClient';
import { l10n } from '../platform/l10n';
import { formCurlArguments, type FormRequestBody } from './formBody';
import { checkRequestHeaders, headerRecord } from '../platform/headers';
import type { CheckedUrl } from '../platform/resolver';
import { bodyText } from '../platform/bodyText';

export interface CurlRequest {
  readonly method: string;
  readonly url: CheckedUrl;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** A form body: written as `-F`/`--data-urlencode` arguments (its files by path) instead of the bytes. */
  readonly form?: FormRequestBody;
  /** Where a form's relative file paths are from. */
  readonly baseDir?: string;
}

/** Something in the request cannot be written as a safe command; the message says what. */
export class CurlError extends Error {
  override readonly name = 'CurlError';
}

/** Single-quotes a value for POSIX shells: nothing inside single quotes is special but the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(request: CurlRequest, options: { accessToken?: string } = {}): string {
  if (!HTTP_TOKEN.test(request.method)) throw new CurlError(l10n.t('"{0}" is not an HTTP method; the request is not copied.', request.method.slice(0, 20)));
  const checked = checkRequestHeaders(request.headers, request.url);
  if (!checked.ok) throw new CurlError(l10n.t('The request is not copied: {0}', checked.message));
  const lines = [`curl -sS --globoff${request.method === 'GET' ? '' : ` -X ${shellQuote(request.method)}`} ${shellQuote(request.url.href)}`];
  // Double quotes so that the shell expands $CONCUR_TOKEN; a real token is quoted literally.
  lines.push(options.accessToken ? `-H ${shellQuote(`Authorization: Bearer ${options.accessToken}`)}` : '-H "Authorization: Bearer $CONCUR_TOKEN"');
  const headers = headerRecord(checked.headers);
  for (const name of Object.keys(headers)) {
    // cURL writes a form's own Content-Type, with its boundary.
    if (request.form && name.toLowerCase() === 'content-type') continue;
    lines.push(`-H ${shellQuote(`${name}: ${headers[name]}`)}`);
  }
  if (request.form) lines.push(...formCurlArguments(request.form, request.baseDir, shellQuote));
  else if (request.body !== undefined) {
    const text = bodyText(request.body);
    if (text === undefined) throw new CurlError(l10n.t('The body holds a file\'s binary content, which a command line cannot: the request is not copied. Send it from its request file.'));
    lines.push(`--data-raw ${shellQuote(text)}`);
  }
  return lines.join(' \\\n  ');
}
