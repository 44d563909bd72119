/**
 * A catalog endpoint as request-file text: its path parameters as file variables (the token's
 * subject as `{{$concur.sub}}`), its query parameters with their defaults, and for a write the
 * body's required fields. The session is used by reference: no Authorization header, no token.
 * Knows nothing of VS Code.
 */
import type { Endpoint } from '../catalog/catalog';
import { requestToText } from './write';
import { l10n } from '../platform/l10n';
import { orList } from '../platform/errors';
import { isJsonBody } from '../catalog/requestBody';
import { skeleton } from '../catalog/schemaSkeleton';

/** A file-variable name for a parameter (letters, digits, `_`, `-`). */
function variableName(name: string): string {
  return name.replace(/[^\w-]/g, '_');
}

export function endpointToRequestFile(endpoint: Endpoint): string {
  const variables: string[] = [];
  let path = endpoint.path;
  const query: string[] = [];
  for (const param of endpoint.params) {
    const variable = variableName(param.name);
    if (param.in === 'path') {
      const reference = param.fromSession === 'sub' ? '{{$concur.sub}}' : `{{${variable}}}`;
      if (param.fromSession !== 'sub') variables.push(`@${variable} = ${param.default ?? ''}`);
      path = path.replace(`{${param.name}}`, reference);
    } else if (param.in === 'query' && (param.required || param.default !== undefined)) {
      query.push(`${encodeURIComponent(param.name)}=${param.default ?? `{{${variable}}}`}`);
      if (param.default === undefined) variables.push(`@${variable} =`);
    }
  }
  const headers: Record<string, string> = {};
  for (const header of endpoint.params) if (header.in === 'header' && (header.required || header.default !== undefined)) headers[header.name] = header.default ?? '';
  if (endpoint.body) headers['Content-Type'] = endpoint.body.contentType;
  const request = requestToText({
    method: endpoint.method,
    target: `${path}${query.length ? `?${query.join('&')}` : ''}`,
    headers,
    body: endpoint.body && isJsonBody(endpoint) && endpoint.body.schema !== undefined ? JSON.stringify(skeleton(endpoint.body.schema), null, 2) : undefined,
    name: endpoint.id.split(':').pop() ?? endpoint.id,
    comment: [
      `${endpoint.product}: ${endpoint.title}`,
      endpoint.docs ?? '',
      endpoint.scopes.length
        ? l10n.t('Needs the scope {0}; sent with the signed-in Concur session (no token in this file).', orList(endpoint.scopes))
        : l10n.t('Needs no stated scope; sent with the signed-in Concur session (no token in this file).'),
    ].join('\n'),
  });
  return variables.length ? `${variables.join('\n')}\n\n${request}` : request;
}
