/**
 * Downloads an API definition document: through the resolver (https anywhere, http only on this
 * machine), with nothing but `accept` (and the validators of a kept copy) sent — never a token or a
 * cookie — a size cap, and at most three redirects, each checked again. Knows nothing of VS Code.
 */
import { NetworkError } from '../platform/errors';
import type { HttpClient, HttpResponse } from '../platform/http';
import { l10n } from '../platform/l10n';
import { definitionUrl, RefusedTargetError } from '../platform/resolver';
import { requireRequestHeaders } from '../platform/headers';

/** Definitions larger than this are refused (Concur's largest published files are a few hundred KB). */
export const MAX_DEFINITION_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export class DefinitionDownloadError extends Error {
  override readonly name = 'DefinitionDownloadError';
}

/** What a kept copy was served with: sent back so that the server can answer 304 Not Modified. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type DefinitionDownload = { readonly status: 200; readonly text: string; readonly validators: Validators } | { readonly status: 304 };

export async function fetchDefinitionText(http: HttpClient, raw: string, signal?: AbortSignal): Promise<string> {
  const answer = await fetchDefinition(http, raw, { signal });
  if (answer.status !== 200) throw new DefinitionDownloadError(l10n.t('{0} answered HTTP {1}.', raw, answer.status));
  return answer.text;
}

/** A download, conditional when validators are given (then 304 means the kept copy is current). */
export async function fetchDefinition(http: HttpClient, raw: string, options: { signal?: AbortSignal; validators?: Validators } = {}): Promise<DefinitionDownload> {
  let target = raw;
  const headers: Record<string, string> = { accept: 'application/json, application/yaml, text/yaml, text/plain;q=0.8, */*;q=0.5' };
  if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;
  for (let hop = 0; ; hop++) {
    const checked = definitionUrl(target);
    if (!checked.ok) throw new RefusedTargetError(checked.message);
    let response: HttpResponse;
    try {
      response = await http.request({ method: 'GET', url: checked.url, headers: requireRequestHeaders(headers, checked.url).headers, signal: options.signal, maxBodyBytes: MAX_DEFINITION_BYTES });
    } catch (error) {
      throw downloadFailure(error, checked.url.hostname);
    }
    if (response.status === 304 && options.validators) return { status: 304 };
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      if (hop >= MAX_REDIRECTS) throw new DefinitionDownloadError(l10n.t('{0} redirected more than {1} times.', checked.url.href, MAX_REDIRECTS));
      target = new URL(response.headers.location, checked.url.href).href;
      continue;
    }
    // The address asked for is named by whoever says the failure; one redirected to is not.
    if (response.status !== 200) {
      throw new DefinitionDownloadError(hop === 0 ? l10n.t('the server answered HTTP {0}', response.status) : l10n.t('{0}, where it was redirected, answered HTTP {1}', checked.url.href, response.status));
    }
    if (response.truncated) throw new DefinitionDownloadError(l10n.t('{0} is larger than {1} MB.', checked.url.href, MAX_DEFINITION_BYTES / 1024 / 1024));
    const etag = response.headers.etag;
    const lastModified = response.headers['last-modified'];
    return { status: 200, text: response.body.toString('utf8'), validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
  }
}

/**
 * A network failure in the words of a definition download: the client's own words speak of the
 * Concur base URL a sign-in or an API call goes to, which a definition's address is not.
 */
function downloadFailure(error: unknown, hostname: string): unknown {
  if (!(error instanceof NetworkError)) return error;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return new DefinitionDownloadError(l10n.t('Could not find {0} (DNS). Check your network and the address.', hostname));
  if (error.code === 'ECONNREFUSED') return new DefinitionDownloadError(l10n.t('{0} refused the connection. Check the address, or that the server is running.', error.host));
  return error;
}
