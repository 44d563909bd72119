/**
 * A request body as text, for the places that show or write it (the headers tab, Copy as cURL, Save
 * Requests to File): a string as it is, bytes when they are UTF-8 text, and undefined for bytes that
 * are not (a file's binary content in a multipart upload), which those places say they leave out.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bodyText(body: string | Uint8Array): string | undefined {
  if (typeof body === 'string') return body;
  try {
    const text = utf8.decode(body);
    // NUL and other C0 controls besides tab, LF, VT, FF and CR: binary data that happens to decode.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 32 && (c < 9 || c > 13)) return undefined;
    }
    return text;
  } catch {
    return undefined;
  }
}
