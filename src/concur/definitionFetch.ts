/**
 * Downloads an API definition document: through the resolver (https anywhere, http only on this
 * machine), with nothing but `accept` sent — never a token or a cookie — a size cap, and at most
 * three redirects, each checked again. Knows nothing of VS Code.
 */
import type { HttpClient } from './http';
import { l10n } from '../util/l10n';
import { definitionUrl, RefusedTargetError } from './resolver';
import { requireRequestHeaders } from './headers';

/** Definitions larger than this are refused (Concur's largest published files are a few MB). */
export const MAX_DEFINITION_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export class DefinitionDownloadError extends Error {
  override readonly name = 'DefinitionDownloadError';
}

export async function fetchDefinitionText(http: HttpClient, raw: string, signal?: AbortSignal): Promise<string> {
  let target = raw;
  for (let hop = 0; ; hop++) {
    const checked = definitionUrl(target);
    if (!checked.ok) throw new RefusedTargetError(checked.message);
    const response = await http.request({
      method: 'GET',
      url: checked.url,
      headers: requireRequestHeaders({ accept: 'application/json, application/yaml, text/yaml, text/plain;q=0.8, */*;q=0.5' }, checked.url).headers,
      signal,
      maxBodyBytes: MAX_DEFINITION_BYTES,
    });
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      if (hop >= MAX_REDIRECTS) throw new DefinitionDownloadError(l10n.t('{0} redirected more than {1} times.', checked.url.href, MAX_REDIRECTS));
      target = new URL(response.headers.location, checked.url.href).href;
      continue;
    }
    if (response.status !== 200) throw new DefinitionDownloadError(l10n.t('{0} answered HTTP {1}.', checked.url.href, response.status));
    if (response.truncated) throw new DefinitionDownloadError(l10n.t('{0} is larger than {1} MB.', checked.url.href, MAX_DEFINITION_BYTES / 1024 / 1024));
    return response.body.toString('utf8');
  }
}
