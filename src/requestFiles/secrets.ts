/**
 * Tokens pasted into a request file: `Authorization: Bearer <literal>` (or Basic) and anything
 * shaped like a JWT. The extension warns on them and offers to remove them, since a request file
 * is meant to use the signed-in session by reference and may well be committed.
 */
import { splitLines, type TextSpan } from './parse';

// Both found in time linear in the line: a file is text from anywhere, read on every keystroke. The
// value is found by hand, not by a pattern that runs to the line's end: `.` stops at U+2028, and the
// backtracking that follows a failed `(.*)$` is quadratic in the blanks before it.
// An Authorization header at a line's start, or in quotes as a curl command writes it (-H 'Authorization: Bearer …').
const AUTHORIZATION = /(?:^[ \t]*|(['"]))(?:proxy-)?authorization[ \t]*:[ \t]*(?:bearer|basic)[ \t]+/gi;
const TOKEN_RUN = /[A-Za-z0-9_.-]+/g;

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;

/** Literal credentials after `Authorization: Bearer` (or Basic) on a line, each up to its closing quote or the line's end. */
function authorizationValues(content: string, line: number): TextSpan[] {
  const spans: TextSpan[] = [];
  AUTHORIZATION.lastIndex = 0;
  for (let match = AUTHORIZATION.exec(content); match; match = AUTHORIZATION.exec(content)) {
    const start = match.index + match[0].length;
    const quote = match[1];
    let end = quote ? content.indexOf(quote, start) : content.length;
    if (end < 0) end = content.length;
    while (end > start && isBlank(content.charCodeAt(end - 1))) end--;
    if (end > start && !content.slice(start, end).includes('{{')) spans.push({ line, start, end });
    AUTHORIZATION.lastIndex = Math.max(end, start);
    if (!quote) break;
  }
  return spans;
}

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
    const covered = /authorization/i.test(content) ? authorizationValues(content, line) : [];
    spans.push(...covered);
    if (!content.includes('eyJ')) continue;
    const jwts: TextSpan[] = [];
    for (const match of content.matchAll(TOKEN_RUN)) if (match[0].includes('eyJ')) jwtsIn(match[0], match.index, line, jwts);
    for (const span of jwts) if (!covered.some((c) => span.start >= c.start && span.end <= c.end)) spans.push(span);
  }
  return spans;
}

// ── secret names and values ───────────────────────────────────────────────────────────────

/** How a secret's name ends, once lower-cased and stripped of separators (`client_secret`, `userPin`, `API-KEY`). */
const SECRET_NAME_ENDINGS = ['password', 'passwd', 'pwd', 'secret', 'apikey', 'secretkey', 'accesskey', 'signingkey', 'subscriptionkey', 'token', 'privatekey', 'credential', 'credentials', 'passphrase', 'pin', 'otp'];

/**
 * Whether a variable's name says its value is a secret (`password`, `clientSecret`, `api_key`,
 * `refresh_token`, `userPin`): such a value is asked for masked, redacted wherever it is shown, and
 * warned about in a public environment file. By the name's ending, so that `tokenUrl`, `sortKey` or
 * `secretary` are not.
 */
export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAME_ENDINGS.some((ending) => normalized.endsWith(ending));
}

/** `Bearer …`, `Basic …` or a JWT, written out (not a `{{reference}}`). */
export function isTokenShaped(value: string): boolean {
  if (value.includes('{{')) return false;
  if (/^\s*(?:bearer|basic)[ \t]+\S/i.test(value)) return true;
  return value.includes('eyJ') && findLiteralTokens(value.replace(/[\r\n]+/g, ' ')).length > 0;
}

/** A written-out value that is a token, or any written-out value of a secret-named variable. */
export function looksLikeSecret(name: string, value: string): boolean {
  if (!value.trim() || value.includes('{{')) return false;
  return isTokenShaped(value) || isSecretName(name);
}
