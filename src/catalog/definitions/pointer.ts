/** JSON pointers (RFC 6901) as `$ref`s write them inside one document: `#/components/schemas/Pet`. */

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The tokens of a pointer (`#/a/b~1c` → ['a', 'b/c']); percent-escapes in the fragment are decoded. */
export function pointerTokens(pointer: string): string[] {
  let text = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (text === '' || text === '/') return text === '/' ? [''] : [];
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // keep it as written
    }
  }
  return text
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `#/a/b~1c` from ['a', 'b/c']. */
export function pointerOf(tokens: readonly (string | number)[]): string {
  return `#${tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
}

/** Values already looked up, by document: a document's schemas `$ref` the same few pointers again and again. */
const lookups = new WeakMap<object, Map<string, unknown>>();

/** The value a document-internal pointer names, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (typeof root !== 'object' || root === null) return pointer === '#' || pointer === '' ? root : undefined;
  let known = lookups.get(root);
  if (!known) lookups.set(root, (known = new Map()));
  if (known.has(pointer)) return known.get(pointer);
  const value = lookup(root, pointer);
  known.set(pointer, value);
  return value;
}

function lookup(root: unknown, pointer: string): unknown {
  let current = root;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(current)) current = /^\d+$/.test(token) ? current[Number(token)] : undefined;
    else if (isObject(current)) current = Object.prototype.hasOwnProperty.call(current, token) ? current[token] : undefined;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Follows internal `$ref`s (`#/...`) until an object without one; undefined when one points nowhere or they loop. */
export function deref(root: unknown, value: unknown): JsonObject | undefined {
  let current = value;
  for (let hops = 0; hops < 32; hops++) {
    if (!isObject(current)) return undefined;
    const ref = current.$ref;
    if (typeof ref !== 'string') return current;
    if (!ref.startsWith('#')) return undefined;
    current = valueAt(root, ref);
  }
  return undefined;
}
