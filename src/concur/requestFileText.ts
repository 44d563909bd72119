/**
 * A catalog endpoint as request-file text: its path parameters as file variables (the token's
 * subject as `{{$concur.sub}}`), its query parameters with their defaults, and for a write the
 * body's required fields. The session is used by reference: no Authorization header, no token.
 * Knows nothing of VS Code.
 */
import type { Endpoint } from './catalog';
import { isJsonBody } from './requestBody';
import { skeleton } from './schemaSkeleton';

/** A file-variable name for a parameter (letters, digits, `_`, `-`). */
function variableName(name: string): string {
  return name.replace(/[^\w-]/g, '_');
}

export function endpointToRequestFile(endpoint: Endpoint): string {
  const lines: string[] = [];
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
  lines.push(`# ${endpoint.product}: ${endpoint.title}`);
  if (endpoint.docs) lines.push(`# ${endpoint.docs}`);
  lines.push(`# Needs ${endpoint.scopes.length ? `the scope ${endpoint.scopes.join(' or ')}` : 'no stated scope'}; sent with the signed-in Concur session (no token in this file).`);
  if (variables.length) lines.push('', ...variables);
  lines.push('', `# @name ${variableName(endpoint.id.split(':').pop() ?? endpoint.id).replace(/\./g, '_')}`);
  lines.push(`${endpoint.method} ${path}${query.length ? `?${query.join('&')}` : ''}`);
  const headers = endpoint.params.filter((p) => p.in === 'header' && (p.required || p.default !== undefined));
  for (const header of headers) lines.push(`${header.name}: ${header.default ?? ''}`);
  if (endpoint.body) {
    lines.push(`Content-Type: ${endpoint.body.contentType}`);
    const body = isJsonBody(endpoint) && endpoint.body.schema !== undefined ? JSON.stringify(skeleton(endpoint.body.schema), null, 2) : '';
    lines.push('', body);
  }
  return `${lines.join('\n')}\n`;
}
