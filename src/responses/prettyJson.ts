/**
 * `JSON.stringify(value, null, 2)`, byte for byte, without holding the thread for the whole of it:
 * Fetch All's merged document (10,000 users is about 10 MB of text) would stall the extension host
 * for 100 ms or more in one call. The largest array property of the top-level object — the items —
 * is written item by item, and the event loop turns between batches.
 *
 * Why it is the same text: JSON.stringify writes a value nested at depth d as it writes the value
 * alone, with every line break followed by d × 2 more spaces; each item of a top-level property's
 * array is at depth 2.
 */

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

export async function prettyJsonInTurns(value: unknown, itemsPerTurn = 500): Promise<string> {
  if (!isPlainObject(value)) return JSON.stringify(value, null, 2);
  let key: string | undefined;
  let longest = itemsPerTurn;
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length > longest && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      key = k;
      longest = v.length;
    }
  }
  if (key === undefined) return JSON.stringify(value, null, 2);
  const items = value[key] as unknown[];
  // The object with a placeholder string where the items go: spreading keeps the key's position.
  const placeholder = `\u0000items\u0000${Date.now()}\u0000${Math.random()}`;
  const shell = JSON.stringify({ ...value, [key]: placeholder }, null, 2);
  const quoted = JSON.stringify(placeholder);
  const at = shell.indexOf(quoted);
  const parts: string[] = [shell.slice(0, at), '[\n    '];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) {
      parts.push(',\n    ');
      if (i % itemsPerTurn === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // An array holds null where an item does not stringify (undefined, a function), as JSON.stringify writes it.
    parts.push((JSON.stringify(items[i], null, 2) ?? 'null').replace(/\n/g, '\n    '));
  }
  parts.push('\n  ]', shell.slice(at + quoted.length));
  return parts.join('');
}
