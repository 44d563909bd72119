/**
 * Tokens pasted into a request file: `Authorization: Bearer <literal>` (or Basic) and anything
 * shaped like a JWT. The extension warns on them and offers to remove them, since a request file
 * is meant to use the signed-in session by reference and may well be committed.
 */
import { splitLines, type TextSpan } from './parse';

const AUTHORIZATION = /^(\s*(?:proxy-)?authorization[ \t]*:[ \t]*(?:bearer|basic)[ \t]+)(\S.*?)\s*$/i;
const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Spans of things that look like pasted tokens. `{{$concur.accessToken}}` and other `{{…}}` references are not. */
export function findLiteralTokens(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  const lines = splitLines(text);
  for (let line = 0; line < lines.length; line++) {
    const content = lines[line];
    let covered: TextSpan | undefined;
    const authorization = AUTHORIZATION.exec(content);
    if (authorization && !authorization[2].includes('{{')) {
      covered = { line, start: authorization[1].length, end: authorization[1].length + authorization[2].length };
      spans.push(covered);
    }
    if (!content.includes('eyJ')) continue;
    for (const match of content.matchAll(JWT)) {
      const start = match.index;
      const end = start + match[0].length;
      if (covered && start >= covered.start && end <= covered.end) continue;
      spans.push({ line, start, end });
    }
  }
  return spans;
}
