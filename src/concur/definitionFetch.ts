/**
 * Downloads an API definition document: through the resolver (https anywhere, http only on this
 * machine), with nothing but `accept` sent — never a token or a cookie — a size cap, and at most
 * three redirects, each checked again. Knows nothing of VS Code.
 */
import type { HttpClient } from './http';
import { definitionUrl, RefusedTargetError } from './resolver';

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
      headers: { accept: 'application/json, application/yaml, text/yaml, text/plain;q=0.8, */*;q=0.5' },
      signal,
      maxBodyBytes: MAX_DEFINITION_BYTES,
    });
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      if (hop >= MAX_REDIRECTS) throw new DefinitionDownloadError(`${checked.url.href} redirected more than ${MAX_REDIRECTS} times.`);
      target = new URL(response.headers.location, checked.url.href).href;
      continue;
    }
    if (response.status !== 200) throw new DefinitionDownloadError(`${checked.url.href} answered HTTP ${response.status}.`);
    if (response.truncated) throw new DefinitionDownloadError(`${checked.url.href} is larger than ${MAX_DEFINITION_BYTES / 1024 / 1024} MB.`);
    return response.body.toString('utf8');
  }
}
