/**
 * "Copy as cURL": a request as a POSIX shell command in which every part is quoted, the token
 * replaced by $CONCUR_TOKEN unless asked for. The URL is a `CheckedUrl`: a request is copied only
 * to where the session's token may go.
 */
import { HTTP_TOKEN } from './api';
import { l10n } from '../util/l10n';
import type { CheckedUrl } from './resolver';
import { bodyText } from '../util/bodyText';

export interface CurlRequest {
  readonly method: string;
  readonly url: CheckedUrl;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
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
  const lines = [`curl -sS${request.method === 'GET' ? '' : ` -X ${shellQuote(request.method)}`} ${shellQuote(request.url.href)}`];
  // Double quotes so that the shell expands $CONCUR_TOKEN; a real token is quoted literally.
  lines.push(options.accessToken ? `-H ${shellQuote(`Authorization: Bearer ${options.accessToken}`)}` : '-H "Authorization: Bearer $CONCUR_TOKEN"');
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() === 'authorization') continue;
    if (!HTTP_TOKEN.test(name)) throw new CurlError(l10n.t('The header name "{0}" is not valid; the request is not copied.', name.slice(0, 40)));
    if (/[\r\n\0]/.test(value)) throw new CurlError(l10n.t('The {0} header holds a line break; the request is not copied.', name));
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.body !== undefined) {
    const text = bodyText(request.body);
    if (text === undefined) throw new CurlError(l10n.t('The body holds a file\'s binary content, which a command line cannot: the request is not copied. Send it from its request file.'));
    lines.push(`--data-raw ${shellQuote(text)}`);
  }
  return lines.join(' \\\n  ');
}
