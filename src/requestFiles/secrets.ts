/**
 * Tokens pasted into a request file: `Authorization: Bearer <literal>` (or Basic) and anything
 * shaped like a JWT. The extension warns on them and offers to remove them, since a request file
 * is meant to use the signed-in session by reference and may well be committed.
 */
import { splitLines, type TextSpan } from './parse';

// Both found in time linear in the line: a file is text from anywhere, read on every keystroke.
const AUTHORIZATION = /^(\s*(?:proxy-)?authorization[ \t]*:[ \t]*(?:bearer|basic)[ \t]+)(.*)$/i;
const TOKEN_RUN = /[A-Za-z0-9_.-]+/g;

/** JWT-shaped text in a run of base64url characters and dots (`…eyJ<a>.eyJ<b>.<c>`), found segment by segment. */
function jwtsIn(run: string, offset: number, line: number, spans: TextSpan[]): void {
  const segments = run.split('.');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < segments.length; at += segments[i].length + 1, i++) starts.push(at);
  for (let i = 0; i + 2 < segments.length; ) {
    const k = segments[i].indexOf('eyJ');
    if (k >= 0 && segments[i].length > k + 3 && segments[i + 1].startsWith('eyJ') && segments[i + 1].length > 3) {
      spans.push({ line, start: offset + starts[i] + k, end: offset + starts[i + 2] + segments[i + 2].length });
      i += 3;
    } else {
      i++;
    }
  }
}

/** Spans of things that look like pasted tokens. `{{$concur.accessToken}}` and other `{{…}}` references are not. */
export function findLiteralTokens(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  const lines = splitLines(text);
  for (let line = 0; line < lines.length; line++) {
    const content = lines[line];
    let covered: TextSpan | undefined;
    const authorization = AUTHORIZATION.exec(content);
    const value = authorization?.[2].trimEnd();
    if (authorization && value && !value.includes('{{')) {
      covered = { line, start: authorization[1].length, end: authorization[1].length + value.length };
      spans.push(covered);
    }
    if (!content.includes('eyJ')) continue;
    const jwts: TextSpan[] = [];
    for (const match of content.matchAll(TOKEN_RUN)) if (match[0].includes('eyJ')) jwtsIn(match[0], match.index, line, jwts);
    for (const span of jwts) if (!covered || span.start < covered.start || span.end > covered.end) spans.push(span);
  }
  return spans;
}
