/** "Copy as cURL": a request as a shell command, the token replaced by $CONCUR_TOKEN unless asked for. */

export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Single-quotes a value for POSIX shells. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(request: CurlRequest, options: { accessToken?: string } = {}): string {
  const lines = [`curl -sS${request.method === 'GET' ? '' : ` -X ${request.method}`} ${shellQuote(request.url)}`];
  // Double quotes so that the shell expands $CONCUR_TOKEN; a real token is quoted literally.
  lines.push(options.accessToken ? `-H ${shellQuote(`Authorization: Bearer ${options.accessToken}`)}` : '-H "Authorization: Bearer $CONCUR_TOKEN"');
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() === 'authorization') continue;
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.body !== undefined) lines.push(`--data-raw ${shellQuote(request.body)}`);
  return lines.join(' \\\n  ');
}
