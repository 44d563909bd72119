/** Which of an operation's response schemas an answer is checked against, and JSON paths for messages. Knows nothing of VS Code. */
import type { JsonSchema } from './catalog';

/** The schema a document declares for a status: the code itself, then its class (`2XX`), then `default`. */
export function schemaForStatus(responses: Readonly<Record<string, JsonSchema>> | undefined, status: number): JsonSchema | undefined {
  if (!responses) return undefined;
  const code = String(status);
  const klass = `${code[0]}XX`;
  for (const key of Object.keys(responses)) if (key === code) return responses[key];
  for (const key of Object.keys(responses)) if (key.toUpperCase() === klass) return responses[key];
  return responses.default;
}

/** `$.Resources[0].name`: a JSON path for messages. */
export function jsonPathOf(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;
}
