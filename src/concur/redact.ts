/**
 * Keeps secrets out of everything the extension writes for people to read: the log channel,
 * notifications, error messages, explanations, tooltips, titles and the request history.
 *
 * Two layers:
 *  - Exact values the session layer knows to be secret (`Redactor.add`): access, refresh and id
 *    tokens, client secrets, passwords, company request tokens. Opaque values have no shape, so only
 *    this layer can find them. Each is looked for as typed and as a URL, a form body or a JSON
 *    string would carry it (percent-, form- and JSON-escaped).
 *  - Shapes, for secrets nobody registered (a server's error quoting what it was sent, text logged
 *    before a session exists):
 *      • JWTs (`eyJ…`), also when wrapped over several lines;
 *      • `Bearer …` and `Basic …` credentials;
 *      • the value after a key whose name ends in a secret word (`password=…`, `"clientSecret":"…"`,
 *        `Concur-Refresh-Token: …`, `%22password%22%3A%22…%22`), quoted or not, in JSON nested in a
 *        JSON string, percent-encoded once or twice, HTML-escaped; an authorization `code=`;
 *      • the password of a URL's userinfo (`https://user:«redacted»@host`).
 *    What is not secret stays readable: other keys and values, `token_type`, `expires_in`, and
 *    Concur's numeric error `code`.
 *
 * Linear time, whatever the input. The log calls `redact` on every line, and a server decides what
 * a body holds, so there are no backtracking regular expressions here. One forward pass looks at
 * each character; a character that can start something (the `e` of `eyJ`, a `B` of `Bearer`, a
 * separator `=` `:` `%3D`) may make it scan a stretch of text, and every such scan is bounded:
 *   - a JWT, a Bearer credential or a secret's value is scanned forward once and then skipped
 *     (an unterminated quoted value runs to the end of the text, and the pass ends there);
 *   - a key name is scanned backwards from its separator, over name characters, blanks and one
 *     closing quote only, so it stops before the previous separator at the latest: no character is
 *     read by two of these backward scans (bar the two hex digits of a `%3D`);
 *   - a URL authority is scanned from its `://` to the first `/`, so the next `://`, which holds a
 *     `/`, starts after the end of this scan: authority scans never overlap;
 *   - failed attempts (a `Bearer` followed by a short word, an `eyJ` run too short to be a token)
 *     read text that belongs to no other attempt of the same kind;
 *   - looking ahead (does the next line go on with a wrapped token, or start with a `key:`? does a
 *     `%26` start a `name=`?) reads one name, which is read at most once more after.
 * Registered secrets are found with `indexOf`, each occurrence searched for after the previous one.
 * The characters to hide are marked in a byte mask, so overlapping finds cost nothing extra and
 * become a single «redacted».
 */

export const REDACTED = '«redacted»';

export class Redactor {
  /** Each registered secret with the forms it is looked for in. */
  private readonly secrets = new Map<string, readonly string[]>();
  /** The forms of all secrets, without repeats; rebuilt after a change. */
  private needles: readonly string[] | undefined;

  /** Remembers an exact secret value (a password, an opaque refresh token) to hide wherever it appears. */
  add(secret: string | undefined): void {
    // Very short values would redact ordinary words; nothing Concur issues is that short.
    if (!secret || secret.length < 6 || this.secrets.has(secret)) return;
    this.secrets.set(secret, encodedForms(secret));
    this.needles = undefined;
  }

  delete(secret: string | undefined): void {
    if (secret && this.secrets.delete(secret)) this.needles = undefined;
  }

  redact(text: string): string {
    const marks = new Marks(text);
    this.needles ??= [...new Set([...this.secrets.values()].flat())];
    for (const needle of this.needles) {
      // From the end of each occurrence: linear, and every occurrence overlaps a hidden one.
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) marks.add(at, at + needle.length);
    }
    markShapes(text, marks);
    return marks.apply();
  }
}

/** Redaction without known values: for text produced before any session exists. */
export function redactPatterns(text: string): string {
  const marks = new Marks(text);
  markShapes(text, marks);
  return marks.apply();
}

/**
 * A secret as typed and as requests and bodies carry it: percent-encoded (also twice, a URL in a
 * URL; also with lower-case hex, as .NET writes it), form-encoded (spaces as `+`) and JSON-escaped
 * (also twice, JSON in a JSON string). Each form is returned once.
 */
export function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, json, JSON.stringify(json).slice(1, -1), new URLSearchParams({ v: secret }).toString().slice(2)]);
  try {
    const percent = encodeURIComponent(secret);
    forms.add(percent);
    forms.add(percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    forms.add(encodeURIComponent(percent));
  } catch {
    // A lone surrogate has no percent-encoding, so no URL can hold the secret either.
  }
  return [...forms];
}

/** Which characters of a text to hide; overlapping and touching stretches become one «redacted». */
class Marks {
  private hidden: Uint8Array | undefined;

  constructor(private readonly text: string) {}

  add(start: number, end: number): void {
    // Most texts hold no secret: the mask is made only when there is something to hide.
    if (end > start) (this.hidden ??= new Uint8Array(this.text.length)).fill(1, start, end);
  }

  apply(): string {
    const { hidden, text } = this;
    if (!hidden) return text;
    let out = '';
    let pos = 0;
    for (;;) {
      const start = hidden.indexOf(1, pos);
      if (start < 0) break;
      out += text.slice(pos, start) + REDACTED;
      const end = hidden.indexOf(0, start);
      pos = end < 0 ? text.length : end;
    }
    return out + text.slice(pos);
  }
}

// Character codes the scanner compares with.
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22; // "
const HASH = 0x23;
const PERCENT = 0x25;
const AMP = 0x26;
const APOS = 0x27; // '
const CLOSE_PAREN = 0x29;
const PLUS = 0x2b;
const COMMA = 0x2c;
const DASH = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const LESS = 0x3c;
const EQUALS = 0x3d;
const GREATER = 0x3e;
const QUESTION = 0x3f;
const AT = 0x40;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const BACKTICK = 0x60;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const TILDE = 0x7e;

// Character classes, as bits of a table indexed by character code (ASCII only: nothing else counts).
const DIGIT = 1;
const LETTER = 2;
/** `_ - .`, which separate the words of a key name in snake, kebab and dotted case. */
const NAME_SEPARATOR = 4;
/** `-` and `_`, which base64url adds to letters and digits. */
const BASE64URL_EXTRA = 8;
/** `. _ ~ -`, which URL-safe text (an authorization code) adds to letters and digits. */
const URL_SAFE_EXTRA = 16;
/** `+ / =`, which base64 adds to URL-safe text (a Bearer or Basic credential). */
const CREDENTIAL_EXTRA = 32;
const CLASSES = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) CLASSES[c] = DIGIT;
for (let c = 0x41; c <= 0x5a; c++) CLASSES[c] = CLASSES[c + 0x20] = LETTER;
CLASSES[UNDERSCORE] = NAME_SEPARATOR | BASE64URL_EXTRA | URL_SAFE_EXTRA;
CLASSES[DASH] = NAME_SEPARATOR | BASE64URL_EXTRA | URL_SAFE_EXTRA;
CLASSES[DOT] = NAME_SEPARATOR | URL_SAFE_EXTRA;
CLASSES[TILDE] = URL_SAFE_EXTRA;
CLASSES[PLUS] = CLASSES[SLASH] = CLASSES[EQUALS] = CREDENTIAL_EXTRA;

/** Whether character code c (NaN past either end of the text) is in any of the classes. */
const isIn = (c: number, classes: number): boolean => c < 128 && (CLASSES[c] & classes) !== 0;
const isDigit = (c: number): boolean => isIn(c, DIGIT);
const isLetter = (c: number): boolean => isIn(c, LETTER);
const isAlnum = (c: number): boolean => isIn(c, DIGIT | LETTER);
/** The base64url alphabet, which JWT segments are written in. */
const isBase64Url = (c: number): boolean => isIn(c, DIGIT | LETTER | BASE64URL_EXTRA);
const isNameSeparator = (c: number): boolean => isIn(c, NAME_SEPARATOR);
const isNameChar = (c: number): boolean => isIn(c, DIGIT | LETTER | NAME_SEPARATOR);
/** What an authorization code is written in. */
const isUrlSafe = (c: number): boolean => isIn(c, DIGIT | LETTER | URL_SAFE_EXTRA);
/** What a Bearer or Basic credential is written in. */
const isCredentialChar = (c: number): boolean => isIn(c, DIGIT | LETTER | URL_SAFE_EXTRA | CREDENTIAL_EXTRA);
const isBlank = (c: number): boolean => c === SPACE || c === TAB;
const isLineBreak = (c: number): boolean => c === LF || c === CR;
/** Blanks, line breaks, other control characters; NaN (past the end) is not. */
const isWhitespace = (c: number): boolean => c <= SPACE;
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

function hexDigit(c: number): number {
  if (isDigit(c)) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

/** The byte two hex digits at i stand for, or -1. */
function hexPair(text: string, i: number): number {
  const hi = hexDigit(text.charCodeAt(i));
  const lo = hexDigit(text.charCodeAt(i + 1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/** The byte a `%HH` escape at i stands for, or -1. */
function percentByte(text: string, i: number): number {
  return text.charCodeAt(i) === PERCENT ? hexPair(text, i + 1) : -1;
}

/** Whether the text at i spells `word` (lower-case ASCII) in any case. */
function spellsAt(text: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (lower(text.charCodeAt(i + k)) !== word.charCodeAt(k)) return false;
  return true;
}

function spellsBefore(text: string, end: number, word: string): boolean {
  return end >= word.length && spellsAt(text, end - word.length, word);
}

/** The one pass over the text that finds shapes (see the header). */
function markShapes(text: string, marks: Marks): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let next = i + 1;
    if (c === 0x65 /* e */) {
      if (startsJwt(text, i)) next = markJwt(text, i, marks);
    } else if (c === 0x42 /* B */ || c === 0x62 /* b */) {
      next = markAuthScheme(text, i, marks);
    } else if (c === COLON) {
      next = text.charCodeAt(i + 1) === SLASH && text.charCodeAt(i + 2) === SLASH ? markUserinfo(text, i, marks) : markValue(text, i, 1, 0, COLON, marks);
    } else if (c === EQUALS) {
      // `==` compares, it does not assign.
      next = text.charCodeAt(i + 1) === EQUALS ? i + 2 : markValue(text, i, 1, 0, EQUALS, marks);
    } else if (c === PERCENT) {
      next = markEncodedValue(text, i, marks);
    }
    i = next > i ? next : i + 1;
  }
}

/**
 * A JWT starts with `eyJ` (base64url of `{"`) and runs on over base64url characters and dots. A
 * token wrapped over lines goes on after a line break (and indentation) that more of it follows:
 * anything of at least 10 characters is hidden, whole or not (a first word of the next line may go
 * with it: the safe side). It must start a word, or follow a `%XX` or `\n`-style escape, so that
 * `keyJSONParser` stays.
 */
function markJwt(text: string, i: number, marks: Marks): number {
  const before = text.charCodeAt(i - 1);
  const atBoundary =
    !isBase64Url(before) ||
    percentByte(text, i - 3) >= 0 ||
    // `\n`, `\r`, `\t` in a JSON string
    (text.charCodeAt(i - 2) === BACKSLASH && (before === 0x6e || before === 0x72 || before === 0x74));
  if (!atBoundary) return i + 1;
  const n = text.length;
  let j = i + 3;
  let length = 3;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isBase64Url(c) || c === DOT) {
      j++;
      length++;
      continue;
    }
    if (!isLineBreak(c)) break;
    let k = j + 1;
    if (c === CR && text.charCodeAt(k) === LF) k++;
    while (k < n && isBlank(text.charCodeAt(k))) k++;
    // The next line goes on with the token unless it starts with something else, or with a key
    // (`content-type: …` after an `authorization` header line).
    let run = k;
    while (run < n && (isBase64Url(text.charCodeAt(run)) || text.charCodeAt(run) === DOT)) run++;
    while (isBlank(text.charCodeAt(run))) run++;
    const after = text.charCodeAt(run);
    if (run === k || after === COLON || after === EQUALS) break;
    j = k;
  }
  let end = j;
  // A full stop after a token ends the sentence, not the token.
  while (text.charCodeAt(end - 1) === DOT) end--;
  if (length < 10) return i + 1;
  marks.add(i, end);
  return j;
}

/** Blanks between a word and what follows it: spaces, tabs and, in encoded text, `%20`. */
function skipBlanks(text: string, i: number, encoded: boolean): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) i++;
    else if (encoded && (c === PLUS || percentByte(text, i) === SPACE)) i += c === PLUS ? 1 : 3;
    else return i;
  }
}

/** `Bearer <credential>` and `Basic <credential>`: the word stays, the credential (8+ characters) goes. */
function markAuthScheme(text: string, i: number, marks: Marks): number {
  const before = text.charCodeAt(i - 1);
  if (isAlnum(before) || before === UNDERSCORE) return i + 1;
  const word = spellsAt(text, i, 'bearer') ? 6 : spellsAt(text, i, 'basic') ? 5 : 0;
  if (word === 0) return i + 1;
  const start = skipBlanks(text, i + word, false);
  if (start === i + word && percentByte(text, start) !== SPACE) return i + 1;
  const from = skipBlanks(text, start, true);
  let end = from;
  while (end < text.length && isCredentialChar(text.charCodeAt(end))) end++;
  if (end - from < 8) return i + 1;
  return hide(text, from, end, marks);
}

/** Where a scheme word (`Bearer `, `Basic `) at i ends, blanks included, or i. */
function afterScheme(text: string, i: number): number {
  const word = spellsAt(text, i, 'bearer') ? 6 : spellsAt(text, i, 'basic') ? 5 : 0;
  if (word === 0) return i;
  const after = skipBlanks(text, i + word, true);
  return after > i + word ? after : i;
}

/**
 * The password of a URL's userinfo, `scheme://user:password@host`. The authority runs to the first
 * `/ ? # \`, quote or blank, and its userinfo to its last `@`. The next `://` holds a `/`, so it
 * starts after this scan stopped: authority scans never read a character twice.
 */
function markUserinfo(text: string, colon: number, marks: Marks): number {
  let firstColon = -1;
  let lastAt = -1;
  for (let i = colon + 3; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c) || c === SLASH || c === QUESTION || c === HASH || c === BACKSLASH || c === QUOTE || c === LESS || c === GREATER || c === BACKTICK) break;
    if (c === COLON) {
      if (firstColon < 0) firstColon = i;
    } else if (c === AT) {
      lastAt = i;
    }
  }
  if (firstColon < 0 || lastAt <= firstColon + 1) return colon + 3;
  marks.add(firstColon + 1, lastAt);
  return lastAt;
}

/** `%3D` and `%3A` (`=` and `:` percent-encoded) separate a key from its value too; so do `%253D` and `%253A`. */
function markEncodedValue(text: string, i: number, marks: Marks): number {
  const byte = percentByte(text, i);
  if (byte === EQUALS || byte === COLON) return markValue(text, i, 3, 1, byte, marks);
  if (byte === PERCENT) {
    const twice = hexPair(text, i + 3);
    if (twice === EQUALS || twice === COLON) return markValue(text, i, 5, 2, twice, marks);
  }
  return i + 1;
}

/**
 * Words a secret key's name ends with, once lower-cased and stripped of `_ - .`. `accessToken`,
 * `refresh_token`, `id-token`, `requestToken`, `concur-refresh-token` end with `token`;
 * `x_client_secret` with `secret`; `newPassword` and `my.password` with `password`. The name must
 * end there: `token_type`, `refreshTokenExpiresAt` and `password_hint` are not secrets.
 */
const SECRET_NAME_ENDINGS = ['token', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'otp', 'apikey', 'privatekey', 'authorization', 'assertion'];
/** Names of an OAuth authorization code: hidden only when the value looks like one, as Concur's error `code` is a number. */
const CODE_NAMES = ['code', 'authcode', 'authorizationcode'];
/** The words above by the character code they end with: most names end in a letter no key word ends in. */
const KEY_WORDS_BY_LAST: Array<{ secret: string[]; code: string[] } | undefined> = Array.from({ length: 128 }, () => undefined);
for (const [kind, words] of [['secret', SECRET_NAME_ENDINGS], ['code', CODE_NAMES]] as const) {
  for (const word of words) (KEY_WORDS_BY_LAST[word.charCodeAt(word.length - 1)] ??= { secret: [], code: [] })[kind].push(word);
}
/** JSON literals that hold no secret. */
const JSON_NOTHING = ['null', 'true', 'false'];

interface Key {
  readonly kind: 'secret' | 'code';
  /** Where the name starts. */
  readonly start: number;
  /** The name was quoted (`"password":`), as in JSON: an unquoted value after it is a JSON literal. */
  readonly quoted: boolean;
}

/**
 * The secret key, if any, that ends just before a separator: a name, then maybe its closing quote
 * and blanks. The scan backwards stops at the first character that is none of those, which is at
 * or after the previous separator.
 */
function keyBefore(text: string, separator: number): Key | undefined {
  let end = separator;
  while (isBlank(text.charCodeAt(end - 1))) end--;
  const nameEnd = closingQuoteStart(text, end);
  let last = nameEnd - 1;
  while (isNameSeparator(text.charCodeAt(last))) last--;
  const words = KEY_WORDS_BY_LAST[lower(text.charCodeAt(last))];
  if (!words) return undefined;
  let start = nameEnd;
  while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--;
  // In `%26password` and `%2526code` the hex digits belong to the escape, not to the name.
  const escaped = percentByte(text, start - 1);
  if (escaped >= 0) start += escaped === PERCENT && hexPair(text, start + 2) >= 0 ? 4 : 2;
  if (start >= nameEnd) return undefined;
  const quoted = nameEnd !== end;
  for (const word of words.secret) if (nameEndsWith(text, start, nameEnd, word) >= 0) return { kind: 'secret', start, quoted };
  for (const word of words.code) {
    const at = nameEndsWith(text, start, nameEnd, word);
    if (at >= 0 && !hasNameLetters(text, start, at)) return { kind: 'code', start, quoted };
  }
  return undefined;
}

/** Where `word` starts if the name text[start, end), lower-cased and without `_ - .`, ends with it; else -1. */
function nameEndsWith(text: string, start: number, end: number, word: string): number {
  let k = end;
  for (let w = word.length - 1; w >= 0; w--) {
    do k--;
    while (k >= start && isNameSeparator(text.charCodeAt(k)));
    if (k < start || lower(text.charCodeAt(k)) !== word.charCodeAt(w)) return -1;
  }
  return k;
}

function hasNameLetters(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (!isNameSeparator(text.charCodeAt(k))) return true;
  return false;
}

/** Where a key's closing quote (`"`, `'`, `\"`, `%22`, `%2522`, `&quot;`, with its escaping backslashes) starts, if one ends at `end`; else `end`. */
function closingQuoteStart(text: string, end: number): number {
  const c = text.charCodeAt(end - 1);
  let backslash = '\\';
  let start: number;
  if (c === QUOTE || c === APOS) start = end - 1;
  else if (c === SEMICOLON && spellsBefore(text, end, '&quot;')) start = end - 6;
  else if (c === 0x32 /* 2 */ && spellsBefore(text, end, '%2522')) [start, backslash] = [end - 5, '%255c'];
  else if (c === 0x32 /* 2 */ && spellsBefore(text, end, '%22')) [start, backslash] = [end - 3, '%5c'];
  else return end;
  while (spellsBefore(text, start, backslash)) start -= backslash.length;
  return start;
}

/**
 * How the value after a secret key ends, when it is not quoted:
 *   form     `password=…`: at `&`, whitespace, a quote, `; < > ) ] }`, or `%26` before `name=`
 *            (a form-encoded value holds `&` and `"` as `%26` and `%22`)
 *   encoded  `password%3D…`: at `&`, whitespace, `" < >`, or `&` or `"` encoded as often as the `=`
 *            (`'`, `(` and `)` stay unencoded in a URL, so they are part of the value)
 *   json     `"password": …`: a JSON literal, to `, } ]` or the end of the line
 *   line     `Password: …` at the start of a line, a header or YAML: to the end of the line (or
 *            the quote the line is in)
 *   word     `the access token: …` in a sentence: one word, hidden only if it looks like a credential
 */
type Style = 'form' | 'encoded' | 'json' | 'line' | 'word';

/**
 * Hides the value after a separator (`=`, `:` or their percent-encodings, `depth` times encoded)
 * if a secret key comes before it, and returns where the pass goes on: after the value, which
 * nothing else needs to read.
 */
function markValue(text: string, separator: number, separatorLength: number, depth: number, kind: number, marks: Marks): number {
  const next = separator + 1;
  // `Foo::token` is a C++ or Ruby name, not a key and a value.
  if (depth === 0 && kind === COLON && text.charCodeAt(next) === COLON) return next + 1;
  const key = keyBefore(text, separator);
  if (!key) return next;
  const n = text.length;
  const start = skipBlanks(text, separator + separatorLength, depth > 0);
  const before = charBefore(text, key.start);
  const style: Style = depth > 0 ? 'encoded' : kind === EQUALS ? 'form' : key.quoted ? 'json' : isAlnum(before) ? 'word' : 'line';
  const quotes = style === 'encoded' ? (depth === 1 ? ONCE_ENCODED_QUOTES : TWICE_ENCODED_QUOTES) : style === 'form' ? UNENCODED_QUOTES : ANY_QUOTES;

  if (key.kind === 'code') {
    const from = openingQuote(text, start, quotes)?.contentStart ?? start;
    let end = from;
    while (end < n && isUrlSafe(text.charCodeAt(end))) end++;
    if (end - from >= 12) marks.add(from, end);
    return end;
  }

  if (style === 'line') {
    // A header's or YAML value is the rest of the line, quoted or not; a header in quotes
    // (`curl -H "authorization: …"`) ends at the closing quote.
    const enclosing = before === QUOTE || before === APOS ? before : -1;
    let end = start;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (isLineBreak(c) || c === enclosing) break;
      end += c === BACKSLASH && enclosing >= 0 && !isLineBreak(text.charCodeAt(end + 1)) ? 2 : 1;
    }
    end = Math.min(end, n);
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    return hideValue(text, start, end, marks);
  }

  const quote = openingQuote(text, start, quotes);
  if (quote) {
    const { end, resume } = closingQuote(text, quote);
    return Math.max(resume, hideValue(text, quote.contentStart, end, marks));
  }

  const from = afterScheme(text, start);
  let end = from;
  switch (style) {
    case 'form':
      while (end < n && !endsFormValue(text, end)) end++;
      break;
    case 'encoded':
      while (end < n && !endsEncodedValue(text, end, depth)) end++;
      break;
    case 'json': {
      const first = text.charCodeAt(from);
      // An object or array: its own keys are looked at one by one.
      if (first === OPEN_BRACE || first === OPEN_BRACKET) return next;
      while (end < n && !endsJsonLiteral(text.charCodeAt(end))) end++;
      while (end > from && isBlank(text.charCodeAt(end - 1))) end--;
      // `"refresh_token": null` says there is none; nothing to hide.
      if (JSON_NOTHING.some((literal) => end - from === literal.length && spellsAt(text, from, literal))) return end;
      break;
    }
    case 'word':
      while (end < n && !endsFormValue(text, end) && text.charCodeAt(end) !== COMMA) end++;
      while (end > from && text.charCodeAt(end - 1) === DOT) end--;
      if (!looksLikeCredential(text, from, end)) return end;
      break;
  }
  return hide(text, from, end, marks);
}

/** Hides text[start, end) but the scheme word of `Bearer <token>`, unless nothing else would be hidden. */
function hideValue(text: string, start: number, end: number, marks: Marks): number {
  const from = afterScheme(text, start);
  return hide(text, from < end ? from : start, end, marks);
}

/**
 * Hides text[from, end) and returns where the pass goes on. A value that is a JWT may be wrapped
 * over lines past the value's end, where the pass would not look for it: the JWT scan follows it.
 */
function hide(text: string, from: number, end: number, marks: Marks): number {
  marks.add(from, end);
  const jwt = startsJwt(text, from) ? markJwt(text, from, marks) : end;
  return jwt > end ? jwt : end;
}

function startsJwt(text: string, i: number): boolean {
  return text.charCodeAt(i) === 0x65 /* e */ && text.charCodeAt(i + 1) === 0x79 /* y */ && text.charCodeAt(i + 2) === 0x4a /* J */;
}

/**
 * The character before a key, blanks skipped (NaN at the start of the text). A letter or digit
 * means the key ends a phrase (`Could not refresh the access token: …`); anything else, that it
 * starts a line (after indentation, a list marker or other punctuation), as in a header or YAML.
 */
function charBefore(text: string, nameStart: number): number {
  let k = nameStart;
  while (isBlank(text.charCodeAt(k - 1))) k--;
  return text.charCodeAt(k - 1);
}

/** A word after `token:` in a sentence is a secret if it mixes letters and digits, or is long. */
function looksLikeCredential(text: string, start: number, end: number): boolean {
  if (end - start >= 20) return true;
  if (end - start < 6) return false;
  let letters = false;
  let digits = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (isDigit(c)) digits = true;
    else if (isLetter(c)) letters = true;
  }
  return letters && digits;
}

/** `%26` or `%22` (`&` and `"`), encoded up to `depth` times. */
function isEncodedBoundary(text: string, i: number, depth: number): boolean {
  let byte = percentByte(text, i);
  if (byte === PERCENT && depth >= 2) byte = hexPair(text, i + 3);
  return byte === AMP || byte === QUOTE;
}

function endsFormValue(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  switch (c) {
    case AMP:
    case QUOTE:
    case APOS:
    case SEMICOLON:
    case LESS:
    case GREATER:
    case CLOSE_PAREN:
    case CLOSE_BRACKET:
    case CLOSE_BRACE:
      return true;
    case PERCENT:
      // A form-encoded value holds its own `&` as `%26`: only `%26name=` starts the next parameter.
      return percentByte(text, i) === AMP && startsParameter(text, i + 3);
    default:
      return isWhitespace(c);
  }
}

function startsParameter(text: string, i: number): boolean {
  let k = i;
  while (isNameChar(text.charCodeAt(k))) k++;
  return k > i && text.charCodeAt(k) === EQUALS;
}

function endsEncodedValue(text: string, i: number, depth: number): boolean {
  const c = text.charCodeAt(i);
  if (c === PERCENT) return isEncodedBoundary(text, i, depth);
  return isWhitespace(c) || c === AMP || c === QUOTE || c === LESS || c === GREATER;
}

function endsJsonLiteral(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isLineBreak(c);
}

/** How the text around a quoted value is escaped: its characters and its closing quote are read accordingly. */
type Escaping = 'raw' | 'percent' | 'percent2' | 'html';

/** Character references that stand for the characters a quoted value's end depends on. */
const HTML_REFERENCES: ReadonlyArray<readonly [string, number]> = [
  ['&quot;', QUOTE],
  ['&#34;', QUOTE],
  ['&#x22;', QUOTE],
  ['&apos;', APOS],
  ['&#39;', APOS],
  ['&#x27;', APOS],
  ['&amp;', AMP],
  ['&#92;', BACKSLASH],
];

/** Reads a character as the text around a quoted value escapes it: `%22` is a `"` in percent-encoded text. */
class Reader {
  code = 0;
  length = 1;
  /** False for a quote escaped less than the text around it: it ends an enclosing level, e.g. a raw `"` in percent-encoded text. */
  inside = true;

  constructor(
    private readonly text: string,
    private readonly escaping: Escaping,
  ) {}

  read(i: number): void {
    const text = this.text;
    const c = text.charCodeAt(i);
    this.code = c;
    this.length = 1;
    this.inside = true;
    if (this.escaping === 'raw') return;
    if (this.escaping === 'html') {
      if (c === AMP) {
        const found = HTML_REFERENCES.find(([reference]) => spellsAt(text, i, reference));
        if (found) [this.code, this.length] = [found[1], found[0].length];
      } else {
        this.inside = c !== QUOTE;
      }
      return;
    }
    const byte = percentByte(text, i);
    if (byte < 0) {
      this.inside = c !== QUOTE;
      return;
    }
    const twice = this.escaping === 'percent2' && byte === PERCENT ? hexPair(text, i + 3) : -1;
    if (twice >= 0) [this.code, this.length] = [twice, 5];
    else [this.code, this.length, this.inside] = [byte, 3, this.escaping === 'percent' || byte !== QUOTE];
  }
}

interface OpeningQuote {
  readonly reader: Reader;
  readonly quote: number;
  /** 2^d for a value d JSON strings deep: `"` 1, `\"` 2, `\\\"` 4 (one more than the backslashes before its quotes). */
  readonly unit: number;
  readonly contentStart: number;
}

/**
 * Which quotes may open a value, by how its separator was written. After `%3D` only `%22` (or
 * `%5C%22`…) is a quote: encodeURIComponent leaves `'` as it is, and `%2522` is a `"` inside the
 * value. After `%253D` only `%2522`. After a raw `=` a percent-encoded quote is a `"` in a form-
 * encoded value, not a quote around it.
 */
const ONCE_ENCODED_QUOTES: readonly Escaping[] = ['percent'];
const TWICE_ENCODED_QUOTES: readonly Escaping[] = ['percent2'];
const UNENCODED_QUOTES: readonly Escaping[] = ['raw', 'html'];
const ANY_QUOTES: readonly Escaping[] = ['raw', 'html', 'percent', 'percent2'];

/**
 * The quote a value starts with, if any: `"`, `'`, `\"` (JSON in a JSON string), `&quot;`, `%22`
 * (percent-encoded JSON), `%2522`; only those of the `escapings` given.
 */
function openingQuote(text: string, start: number, escapings: readonly Escaping[]): OpeningQuote | undefined {
  const c = text.charCodeAt(start);
  if (c !== QUOTE && c !== APOS && c !== BACKSLASH && c !== PERCENT && c !== AMP) return undefined;
  const escaping: Escaping = c === PERCENT ? (percentByte(text, start) === PERCENT ? 'percent2' : 'percent') : c === AMP ? 'html' : 'raw';
  if (!escapings.includes(escaping)) return undefined;
  const reader = new Reader(text, escaping);
  let i = start;
  let backslashes = 0;
  for (; i < text.length; i += reader.length, backslashes++) {
    reader.read(i);
    if (reader.code !== BACKSLASH || !reader.inside) break;
  }
  if (i >= text.length || !reader.inside || (reader.code !== QUOTE && reader.code !== APOS)) return undefined;
  // A quote d JSON strings deep is escaped by 2^d - 1 backslashes.
  const unit = backslashes + 1;
  if ((unit & (unit - 1)) !== 0) return undefined;
  return { reader, quote: reader.code, unit, contentStart: i + reader.length };
}

/**
 * Finds the quote that closes a value, honouring backslash escapes at the value's depth: in
 * `\"x y\\\"z\"` (depth 1) the `\\\"` is an escaped quote of the inner string and `\"` closes it.
 * A quote with k backslashes before it belongs to depth d when k + 1 is a multiple of 2^d, and is
 * escaped there when (k + 1) / 2^d - 1 is odd; a quote of a shallower level ends the enclosing
 * string, hence the value. Without a closing quote the value runs to the end of the text: the safe
 * reading of a truncated body.
 */
function closingQuote(text: string, open: OpeningQuote): { end: number; resume: number } {
  const { reader, quote, unit } = open;
  let backslashes = 0;
  let backslashLength = 1;
  for (let i = open.contentStart; i < text.length; i += reader.length) {
    reader.read(i);
    if (!reader.inside) return { end: i, resume: i };
    if (reader.code === BACKSLASH) {
      backslashes++;
      backslashLength = reader.length;
      continue;
    }
    if (reader.code === quote) {
      if ((backslashes + 1) % unit !== 0) return { end: i, resume: i };
      if (((backslashes + 1) / unit - 1) % 2 === 0) return { end: i - (unit - 1) * backslashLength, resume: i + reader.length };
    }
    backslashes = 0;
  }
  return { end: text.length, resume: text.length };
}
