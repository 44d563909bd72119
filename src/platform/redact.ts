/**
 * Keeps secrets out of everything the extension writes for people to read: the log channel,
 * notifications, error messages, explanations, tooltips, titles and the request history.
 *
 * Redaction comes first: text is redacted whole, and only then cut, re-spaced or otherwise
 * rewritten for where it is shown (`oneLine`, titles, file names, previews). A secret cut in two, or
 * with its double space collapsed, is no longer one the redactor can recognise.
 *
 * Two layers:
 *  - Exact values the session layer knows to be secret (`Redactor.add`): access, refresh and id
 *    tokens, client secrets, passwords, company request tokens. Opaque values have no shape, so only
 *    this layer can find them. Each is looked for as typed, and in a canonical view of the text in
 *    which every escape that can carry it is decoded — percent-encoding (once, twice, three times,
 *    hex in any case, UTF-8), JSON escapes (`\/`, `\"`, `\uXXXX` for any character), HTML
 *    character references (`&#43;`, `&#x2B;`, `&quot;`), shell quoting (`'…'"'"'…'`, `'…'\''…'`) —
 *    and ASCII case and `+` for a blank are folded: upper-cased and form-encoded copies are found
 *    too. Base64 and base64url of a secret are looked for as well, at each of the three positions
 *    the secret can take in an encoded whole, so `client:secret` in base64 is found without the
 *    word `Basic` (nor the client id) before it. Access and ID tokens are registered until they
 *    expire, then forgotten: a week of hourly refreshes does not leave hundreds behind.
 *  - Shapes, for secrets nobody registered (a server's error quoting what it was sent, text logged
 *    before a session exists):
 *      • JWTs (`eyJ…`), also when wrapped over several lines;
 *      • `Bearer …` and `Basic …` credentials;
 *      • the value after a key whose name ends in a secret word (`password=…`, `"clientSecret":"…"`,
 *        `Concur-Refresh-Token: …`, `%22password%22%3A%22…%22`, `Set-Cookie: …`), or is the word
 *        `pass` or `pin` (`pass=…`, `card_pin=…`), quoted or not, in JSON nested in a JSON string,
 *        percent-encoded once or twice, HTML-escaped; an authorization `code=`;
 *      • the text of an XML element so named (`<refresh_token>…</refresh_token>`, `<Token>`,
 *        `<password><![CDATA[…]]></password>`): Concur's older APIs answer XML;
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
 * Registered secrets are found with `indexOf`, each occurrence searched for after the previous one,
 * in the text and in its canonical view; the view is built in at most a few linear passes (one per
 * level of escaping, while escapes are left), each of which maps every character it writes back to
 * the characters of the text it came from. The characters to hide are marked in a byte mask, so
 * overlapping finds cost nothing extra and become a single «redacted».
 */

export const REDACTED = '«redacted»';

export interface RedactorOptions {
  /** The clock registered values expire by (tests pass their own). */
  readonly now?: () => number;
}

export interface SecretOptions {
  /**
   * When the value stops being a credential (epoch ms): an access or ID token's expiry. It is
   * forgotten then; without it a value is kept until `delete`.
   */
  readonly until?: number;
}

interface Registered {
  /** The forms looked for in the text as it is. */
  readonly forms: readonly string[];
  /** The forms looked for in the text's canonical view. */
  readonly canonical: readonly string[];
  until?: number;
}

export class Redactor {
  private readonly secrets = new Map<string, Registered>();
  /** The forms of all secrets, without repeats; rebuilt after a change. */
  private needles: readonly string[] | undefined;
  private canonicalNeedles: readonly string[] | undefined;
  private readonly now: () => number;

  constructor(options: RedactorOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** How many values are registered. */
  get size(): number {
    return this.secrets.size;
  }

  /**
   * Remembers an exact secret value (a password, an opaque refresh token) to hide wherever it
   * appears, until `delete` — or until `options.until`, for a token that expires.
   */
  add(secret: string | undefined, options: SecretOptions = {}): void {
    this.retire();
    // Very short values would redact ordinary words; nothing Concur issues is that short.
    if (!secret || secret.length < 6) return;
    const known = this.secrets.get(secret);
    if (known) {
      // Kept as long as the longest-lived registration asks.
      if (known.until !== undefined) known.until = options.until === undefined ? undefined : Math.max(known.until, options.until);
      return;
    }
    // An expired token is no credential any more.
    if (options.until !== undefined && options.until <= this.now()) return;
    this.secrets.set(secret, { forms: encodedForms(secret), canonical: canonicalForms(secret), until: options.until });
    this.needles = this.canonicalNeedles = undefined;
  }

  delete(secret: string | undefined): void {
    if (secret && this.secrets.delete(secret)) this.needles = this.canonicalNeedles = undefined;
  }

  redact(text: string): string {
    const marks = new Marks(text);
    this.needles ??= [...new Set([...this.secrets.values()].flatMap((r) => r.forms))];
    for (const needle of this.needles) {
      // From the end of each occurrence: linear, and every occurrence overlaps a hidden one.
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) marks.add(at, at + needle.length);
    }
    this.canonicalNeedles ??= [...new Set([...this.secrets.values()].flatMap((r) => r.canonical))];
    if (this.canonicalNeedles.length) markCanonical(text, this.canonicalNeedles, marks);
    markShapes(text, marks);
    return marks.apply();
  }

  /** Forgets the values whose time is up. */
  private retire(): void {
    const now = this.now();
    for (const [secret, registered] of this.secrets) {
      if (registered.until !== undefined && registered.until <= now) {
        this.secrets.delete(secret);
        this.needles = this.canonicalNeedles = undefined;
      }
    }
  }
}

/**
 * The redactor the protocol core redacts with before it cuts server text into a message (`oneLine`,
 * `describeBody`, the resolver's quotes of a target): the extension's one Redactor, set at
 * activation. Without one (plain Node: tests, the benchmarks), shapes only.
 */
let coreRedactor: Redactor | undefined;

/** Sets (or, with undefined, clears) the redactor `redactForCut` uses. */
export function useRedactorForCuts(redactor: Redactor | undefined): void {
  coreRedactor = redactor;
}

/** Redacts text that is about to be cut or rewritten: the whole of it, before anything is taken away. */
export function redactForCut(text: string): string {
  return coreRedactor ? coreRedactor.redact(text) : redactPatterns(text);
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

// ── the canonical view ──────────────────────────────────────────────────────────────────────

/** An access or ID token: three base64url segments, the first a JSON object. */
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;

/**
 * The forms a secret is looked for in the canonical view of a text: its own canonical form, and the
 * base64 and base64url characters it decides at each of the three byte positions it can take in an
 * encoded whole (alone; after `client:` as HTTP Basic carries it; anywhere in an encoded blob). A
 * form shorter than the registered minimum would hide ordinary words, and is left out.
 */
export function canonicalForms(secret: string): string[] {
  const forms = new Set<string>();
  const own = canonicalView(secret).text;
  if (own.length >= 6) forms.add(own);
  // A JWT (an access or ID token) travels as it is, never base64-encoded once more.
  if (JWT_SHAPE.test(secret)) return [...forms];
  // RFC 6749 §2.3.1: a client id and secret are form-encoded before they are joined for Basic.
  for (const value of new Set([secret, new URLSearchParams({ v: secret }).toString().slice(2)])) {
    const bytes = Buffer.from(value, 'utf8');
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      // The characters all of whose six bits are the secret's: those around it depend on its neighbours.
      const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
      if (core.length < 8) continue;
      forms.add(fold(core));
      forms.add(fold(core.replace(/\+/g, '-').replace(/\//g, '_')));
    }
  }
  return [...forms];
}

/**
 * One pass of decoding: the text it made, and its edits — for each escape it decoded, where the
 * characters it wrote start and end, and where the escape stood in the text it read. Between two
 * edits the texts run alike. Positions are mapped back only for a match, which is rare: a pass
 * costs the escapes it decodes, not an array the size of the text.
 */
interface Pass {
  readonly text: string;
  readonly outStart: readonly number[];
  readonly outEnd: readonly number[];
  readonly srcStart: readonly number[];
  readonly srcEnd: readonly number[];
}

/** A text with its escapes decoded and its case folded, and the passes that decoded it. */
interface CanonicalView {
  readonly text: string;
  readonly passes: readonly Pass[];
}

/** Escapes left to decode: another pass is worth making. */
const ESCAPE = /%[0-9a-f]{2}|\\[u"\\/$`nrtbf]|&#|&(?:quot|amp|lt|gt|apos);|'(?:"'"|\\')'/i;
/** Passes at most: a percent-encoded JSON string, percent-encoded twice more, in an HTML page. */
const MAX_PASSES = 6;

function canonicalView(text: string): CanonicalView {
  const passes: Pass[] = [];
  let current = text;
  for (let pass = 0; pass < MAX_PASSES && mayHoldEscapes(current) && ESCAPE.test(current); pass++) {
    const decoded = decodeOnce(current);
    if (!decoded) break;
    passes.push(decoded);
    current = decoded.text;
  }
  return { text: fold(current), passes };
}

/** Whether a text holds a character an escape starts with: four native searches, cheaper than the pattern on most text. */
function mayHoldEscapes(text: string): boolean {
  return text.includes('%') || text.includes('\\') || text.includes('&') || text.includes("'");
}

/** ASCII case and `+` folded, keeping every character where it is (a form-encoded blank is a `+`). */
function fold(text: string): string {
  let folded = text.toLowerCase();
  // Lower-casing can lengthen a text (İ); the view's positions must stay those of the text.
  if (folded.length !== text.length) folded = text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  return folded.includes('+') ? folded.replaceAll('+', ' ') : folded;
}

/** Hides every place the canonical view of `text` holds one of `needles`. */
function markCanonical(text: string, needles: readonly string[], marks: Marks): void {
  const view = canonicalView(text);
  for (const needle of needles) {
    for (let at = view.text.indexOf(needle); at >= 0; at = view.text.indexOf(needle, at + needle.length)) {
      let start = at;
      let end = at + needle.length;
      // Back through the passes, last first: each maps a stretch of its text to the one it read.
      for (let k = view.passes.length - 1; k >= 0; k--) [start, end] = [sourceOf(view.passes[k], start, 'start'), sourceOf(view.passes[k], end - 1, 'end')];
      marks.add(start, end);
    }
  }
}

/** Where the character at `pos` of a pass's text came from in the text it read: its first character, or the end of its last. */
function sourceOf(pass: Pass, pos: number, side: 'start' | 'end'): number {
  const { outStart, outEnd, srcStart, srcEnd } = pass;
  // The last edit that starts at or before pos.
  let lo = 0;
  let hi = outStart.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (outStart[mid] <= pos) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found >= 0 && pos < outEnd[found]) return side === 'start' ? srcStart[found] : srcEnd[found];
  const source = found < 0 ? pos : srcEnd[found] + (pos - outEnd[found]);
  return side === 'start' ? source : source + 1;
}

/**
 * One level of escapes decoded, left to right: `%HH` (a UTF-8 sequence of them as its character),
 * `\\uXXXX` and the other JSON escapes (and `\\$`, `` \\` `` of shell double quotes), HTML character
 * references, and the shell's ways of writing a `'` inside single quotes. Undefined when there was
 * nothing to decode. The text between escapes is found with native searches and copied whole.
 */
function decodeOnce(src: string): Pass | undefined {
  const n = src.length;
  const outStart: number[] = [];
  const outEnd: number[] = [];
  const srcStart: number[] = [];
  const srcEnd: number[] = [];
  let text = '';
  let copied = 0;
  let out = 0;
  // The next place each character that can start an escape stands (n when none is left).
  let percent = nextOf(src, '%', 0);
  let backslash = nextOf(src, '\\', 0);
  let amp = nextOf(src, '&', 0);
  let apos = nextOf(src, "'", 0);
  for (;;) {
    const i = Math.min(percent, backslash, amp, apos);
    if (i >= n) break;
    const c = src.charCodeAt(i);
    const length = c === PERCENT ? percentSequence(src, i) : c === BACKSLASH ? backslashEscape(src, i) : c === AMP ? characterReference(src, i) : shellQuote(src, i);
    let resume = i + 1;
    if (length > 0) {
      const decoded = decodedCode < 0x100 ? LATIN1[decodedCode] : String.fromCodePoint(decodedCode);
      if (i > copied) text += src.slice(copied, i);
      text += decoded;
      out += i - copied;
      outStart.push(out);
      srcStart.push(i);
      out += decoded.length;
      outEnd.push(out);
      srcEnd.push(i + length);
      copied = resume = i + length;
    }
    if (percent < resume) percent = nextOf(src, '%', resume);
    if (backslash < resume) backslash = nextOf(src, '\\', resume);
    if (amp < resume) amp = nextOf(src, '&', resume);
    if (apos < resume) apos = nextOf(src, "'", resume);
  }
  if (outStart.length === 0) return undefined;
  return { text: text + src.slice(copied), outStart, outEnd, srcStart, srcEnd };
}

/** The characters below 256 as strings, made once: most escapes decode to one of them. */
const LATIN1: readonly string[] = Array.from({ length: 0x100 }, (_, code) => String.fromCharCode(code));

function nextOf(text: string, c: string, from: number): number {
  const at = text.indexOf(c, from);
  return at < 0 ? text.length : at;
}

/** The character the last decoding function that found an escape read (they return its length). */
let decodedCode = 0;

function found(code: number, length: number): number {
  decodedCode = code;
  return length;
}

/**
 * `%HH` for an ASCII character, or a UTF-8 sequence of them for any other: how many characters
 * of text it took (the character in `decodedCode`); 0 if none. A sequence that is not (yet) whole UTF-8 stays
 * as it is: another level of escaping may still hide part of it (`%C3%9\u0066`), and the next pass
 * decodes it once that is gone.
 */
function percentSequence(text: string, i: number): number {
  const first = percentByte(text, i);
  if (first < 0x80) return first < 0 ? 0 : found(first, 3);
  const more = first >= 0xf0 && first <= 0xf4 ? 3 : first >= 0xe0 && first < 0xf0 ? 2 : first >= 0xc2 && first < 0xe0 ? 1 : 0;
  if (more === 0) return 0;
  let code = first & (0x3f >> more);
  for (let k = 1; k <= more; k++) {
    const byte = percentByte(text, i + 3 * k);
    if (byte < 0x80 || byte > 0xbf) return 0;
    code = (code << 6) | (byte & 0x3f);
  }
  if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff || code < (more === 1 ? 0x80 : more === 2 ? 0x800 : 0x10000)) return 0;
  return found(code, 3 * (more + 1));
}

/**
 * A JSON (or shell double-quoted) backslash escape, its letter in either case (a text upper-cased
 * after it was escaped still reads the same); 0 if none (else its length, the character in `decodedCode`). `\'` is not one: inside single
 * quotes a shell writes a `'` as `'\''`, whose backslash must stay for that to be read.
 */
function backslashEscape(text: string, i: number): number {
  const d = text.charCodeAt(i + 1);
  switch (d < 0x41 || d > 0x5a ? d : d | 0x20) {
    case 0x75 /* u */: {
      let code = 0;
      for (let k = 2; k < 6; k++) {
        const digit = hexDigit(text.charCodeAt(i + k));
        if (digit < 0) return 0;
        code = code * 16 + digit;
      }
      return found(code, 6);
    }
    case SLASH:
    case QUOTE:
    case BACKSLASH:
    case 0x24 /* $ */:
    case BACKTICK:
      return found(d, 2);
    case 0x6e /* n */:
      return found(LF, 2);
    case 0x72 /* r */:
      return found(CR, 2);
    case 0x74 /* t */:
      return found(TAB, 2);
    case 0x62 /* b */:
      return found(0x08, 2);
    case 0x66 /* f */:
      return found(0x0c, 2);
    default:
      return 0;
  }
}

const NAMED_REFERENCES: ReadonlyArray<readonly [string, number]> = [
  ['&quot;', QUOTE],
  ['&amp;', AMP],
  ['&lt;', LESS],
  ['&gt;', GREATER],
  ['&apos;', APOS],
];

/** `&#43;`, `&#x2B;` (any case) and the named references of the characters markup escapes; 0 if none (else its length, the character in `decodedCode`). */
function characterReference(text: string, i: number): number {
  if (text.charCodeAt(i + 1) !== HASH) {
    const named = NAMED_REFERENCES.find(([reference]) => spellsAt(text, i, reference));
    return named ? found(named[1], named[0].length) : 0;
  }
  const isHex = (text.charCodeAt(i + 2) | 0x20) === 0x78; /* x */
  let k = i + (isHex ? 3 : 2);
  let code = 0;
  const first = k;
  for (; k < first + (isHex ? 6 : 7); k++) {
    const c = text.charCodeAt(k);
    const digit = isHex ? hexDigit(c) : isDigit(c) ? c - 0x30 : -1;
    if (digit < 0) break;
    code = code * (isHex ? 16 : 10) + digit;
  }
  if (k === first || text.charCodeAt(k) !== SEMICOLON || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return found(code, k + 1 - i);
}

/** `'"'"'` and `'\''`: a `'` as a POSIX shell writes it inside single quotes; 0 if neither. */
function shellQuote(text: string, i: number): number {
  if (text.startsWith(`'"'"'`, i)) return found(APOS, 5);
  if (text.startsWith(`'\\''`, i)) return found(APOS, 4);
  return 0;
}

// ── shapes ──────────────────────────────────────────────────────────────────────────────────

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
    } else if (c === GREATER) {
      next = markXmlText(text, i, marks);
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

/**
 * The text of an XML element whose name is a secret key's (`<Refresh_Token>…<`, `<ns:password>`),
 * found at the `>` that ends its start tag. The tag is read backwards to its `<` over no other `<`
 * or `>`, so no two of these backward reads overlap; the text runs to the next `<` (or through a
 * CDATA section), which is where the pass goes on. An element whose text starts with another
 * element (`<Access_Token><Token>…`) holds nothing of its own to hide.
 */
function markXmlText(text: string, gt: number, marks: Marks): number {
  let lt = gt - 1;
  while (lt >= 0) {
    const c = text.charCodeAt(lt);
    if (c === LESS || c === GREATER) break;
    lt--;
  }
  if (lt < 0 || text.charCodeAt(lt) !== LESS || text.charCodeAt(gt - 1) === SLASH) return gt + 1;
  const first = text.charCodeAt(lt + 1);
  // `</x>`, `<?xml …?>`, `<!-- … -->` and `a < b > c` start no element.
  if (!isLetter(first) && first !== UNDERSCORE) return gt + 1;
  let nameEnd = lt + 1;
  let nameStart = nameEnd;
  for (; nameEnd < gt; nameEnd++) {
    const c = text.charCodeAt(nameEnd);
    if (c === COLON) nameStart = nameEnd + 1;
    else if (!isNameChar(c)) break;
  }
  if (nameKind(text, nameStart, nameEnd) !== 'secret') return gt + 1;
  const n = text.length;
  if (text.startsWith('<![CDATA[', gt + 1)) {
    const from = gt + 1 + 9;
    const close = text.indexOf(']]>', from);
    const end = close < 0 ? n : close;
    marks.add(from, end);
    return end;
  }
  let end = text.indexOf('<', gt + 1);
  if (end < 0) end = n;
  let from = gt + 1;
  let to = end;
  while (from < to && isWhitespace(text.charCodeAt(from))) from++;
  while (to > from && isWhitespace(text.charCodeAt(to - 1))) to--;
  marks.add(from, to);
  return end;
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
const SECRET_NAME_ENDINGS = ['token', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'otp', 'apikey', 'privatekey', 'authorization', 'assertion', 'cookie'];
/**
 * Words that name a secret only as a whole word of the name: `pass`, `user_pass`, `userPass`, `PIN`,
 * `card-pin` — not `bypass`, `compass` or `spin`.
 */
const WHOLE_WORD_ENDINGS = ['pass', 'pin'];
/** Names of an OAuth authorization code: hidden only when the value looks like one, as Concur's error `code` is a number. */
const CODE_NAMES = ['code', 'authcode', 'authorizationcode'];
/** The words above by the character code they end with: most names end in a letter no key word ends in. */
const KEY_WORDS_BY_LAST: Array<{ secret: string[]; whole: string[]; code: string[] } | undefined> = Array.from({ length: 128 }, () => undefined);
for (const [kind, words] of [['secret', SECRET_NAME_ENDINGS], ['whole', WHOLE_WORD_ENDINGS], ['code', CODE_NAMES]] as const) {
  for (const word of words) (KEY_WORDS_BY_LAST[word.charCodeAt(word.length - 1)] ??= { secret: [], whole: [], code: [] })[kind].push(word);
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
  const kind = nameKind(text, start, nameEnd);
  return kind ? { kind, start, quoted } : undefined;
}

/** Whether the name text[start, end) names a secret, an authorization code, or neither. */
function nameKind(text: string, start: number, end: number): Key['kind'] | undefined {
  let last = end - 1;
  while (last >= start && isNameSeparator(text.charCodeAt(last))) last--;
  const words = KEY_WORDS_BY_LAST[lower(text.charCodeAt(last))];
  if (!words) return undefined;
  for (const word of words.secret) if (nameEndsWith(text, start, end, word) >= 0) return 'secret';
  for (const word of words.whole) {
    const at = nameEndsWith(text, start, end, word);
    if (at >= 0 && startsWord(text, start, at)) return 'secret';
  }
  for (const word of words.code) {
    const at = nameEndsWith(text, start, end, word);
    if (at >= 0 && !hasNameLetters(text, start, at)) return 'code';
  }
  return undefined;
}

/** Whether a word starts at `at` of a name that starts at `start`: first, after `_ - .`, or a capital after a small letter. */
function startsWord(text: string, start: number, at: number): boolean {
  if (at === start) return true;
  const before = text.charCodeAt(at - 1);
  if (isNameSeparator(before)) return true;
  const c = text.charCodeAt(at);
  return c >= 0x41 && c <= 0x5a && before >= 0x61 && before <= 0x7a;
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
