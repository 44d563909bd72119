/**
 * Environment files as JSON text with positions: where a public environment (`http-client.env.json`,
 * REST Client's setting in settings.json or a .code-workspace file) writes out a value that looks
 * like a secret, and the edits that move such a value to `http-client.private.env.json` or replace
 * it. Uses jsonc-parser, so it is reached only through the lazily loaded bundle (dist/openapi.js).
 * Knows nothing of VS Code.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type JSONPath, type Node as JsonNode } from 'jsonc-parser';
import { REST_CLIENT_KEY, REST_CLIENT_SECTION } from './restClient';
import { isTokenShaped, looksLikeSecret } from './secrets';

/** Which kind of JSON document holds the environments. */
export type EnvironmentDocumentKind = 'env-file' | 'settings' | 'workspace';

export interface SecretFinding {
  /** The string value, quotes included: [offset, offset + length). */
  readonly offset: number;
  readonly length: number;
  /** Where the value is in the document. */
  readonly path: JSONPath;
  /** Where it would go in an env file: environment, then the variable's name (and any inner keys). */
  readonly environmentPath: readonly [string, ...string[]];
  readonly value: string;
  /** A token (Bearer, Basic, JWT) rather than a secret by its name only. */
  readonly tokenShaped: boolean;
}

export interface JsonEdit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** Where the environments object is in a document of this kind. */
export function environmentsPath(kind: EnvironmentDocumentKind): JSONPath {
  const setting = `${REST_CLIENT_SECTION}.${REST_CLIENT_KEY}`;
  return kind === 'env-file' ? [] : kind === 'settings' ? [setting] : ['settings', setting];
}

/** Written-out values that look like secrets in a public environment document (an unreadable document has none). */
export function publicSecretFindings(text: string, kind: EnvironmentDocumentKind): SecretFinding[] {
  const root = parseTree(text);
  if (!root) return [];
  const base = environmentsPath(kind);
  const environments = base.length ? findNodeAtLocation(root, base) : root;
  if (environments?.type !== 'object') return [];
  const findings: SecretFinding[] = [];
  const visit = (node: JsonNode, environmentPath: string[], depth: number): void => {
    if (node.type === 'string' && typeof node.value === 'string') {
      const name = environmentPath[environmentPath.length - 1];
      if (environmentPath.length >= 2 && looksLikeSecret(name, node.value)) {
        findings.push({
          offset: node.offset,
          length: node.length,
          path: [...base, ...environmentPath],
          environmentPath: environmentPath as [string, ...string[]],
          value: node.value,
          tokenShaped: isTokenShaped(node.value),
        });
      }
      return;
    }
    if (node.type !== 'object' || depth > 8) return;
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key?.type === 'string' && value) visit(value, [...environmentPath, String(key.value)], depth + 1);
    }
  };
  visit(environments, [], 0);
  return findings;
}

/** The edits that remove the value at `path` (with its property and comma). */
export function removeValueEdits(text: string, path: JSONPath): JsonEdit[] {
  return modify(text, path, undefined, FORMAT);
}

/** A private env file's new text with `value` set at `environmentPath` (created when there is none). */
export function privateFileText(existing: string | undefined, environmentPath: readonly string[], value: string): string {
  const text = existing?.trim() ? existing : '{}\n';
  return applyEdits(text, modify(text, [...environmentPath], value, FORMAT));
}

/** The edit that replaces the string value at [offset, offset + length) by `value`. */
export function replaceValueEdit(offset: number, length: number, value: string): JsonEdit {
  return { offset, length, content: JSON.stringify(value) };
}
