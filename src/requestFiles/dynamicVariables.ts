/**
 * The built-in `{{$…}}` variables of request files: what REST Client, JetBrains' HTTP Client and this
 * extension call them, how a reference to one reads (`{{$datetime 'YYYY-MM-DD' -1 d}}`,
 * `{{$random.integer(1, 10)}}`), what completion and hover say about each, and the values that need
 * only a clock and a random source. Knows nothing of VS Code.
 *
 * REST Client's README ("System Variables"):
 *   $guid · $randomInt min max (min included, max not) · $timestamp [offset unit] (Unix seconds, UTC)
 *   $datetime rfc1123|iso8601|'format'|"format" [offset unit] (UTC; formats as Day.js formats them)
 *   $localDatetime … (the same in the local time zone) · $processEnv [%]name · $dotenv [%]name
 *   Offset units: y, M, w, d, h, m, s, ms (and Q, which this extension reads as three months).
 * JetBrains' HTTP Client ("Dynamic variables"):
 *   $uuid · $random.uuid · $timestamp · $isoTimestamp · $randomInt (0 to 1000) ·
 *   $random.integer(from, to) and $random.float(from, to) (from included, to not; `(to)` from 0; `()` 0 to 1000) ·
 *   $random.alphabetic(n) · $random.alphanumeric(n) (letters, digits and _) · $random.hexadecimal(n) ·
 *   $random.email · $env.NAME (a process environment variable)
 * Day.js (which REST Client formats with) is required on first use of a format or an offset (dates.ts).
 */
import { l10n } from '../platform/l10n';
import type * as DatesModule from './dates';
import type { Offset } from './dates';
import { loadHeavy } from './lazyHeavy';

/** Where a built-in variable comes from (product names, not translated). */
export type BuiltinOrigin = 'REST Client' | 'JetBrains HTTP Client' | 'REST Client, JetBrains HTTP Client' | 'Concur API Explorer';

export interface BuiltinVariable {
  /** The name as a reference starts: `$datetime`, `$random.integer`, `$env.` (followed by the variable's name). */
  readonly name: string;
  /** How it reads with its arguments, for completion lists and hovers. */
  readonly usage: string;
  /** A VS Code snippet inserted after `{{`. */
  readonly snippet: string;
  readonly origin: BuiltinOrigin;
}

const RC: BuiltinOrigin = 'REST Client';
const JB: BuiltinOrigin = 'JetBrains HTTP Client';
const BOTH: BuiltinOrigin = 'REST Client, JetBrains HTTP Client';
const OURS: BuiltinOrigin = 'Concur API Explorer';

/** Every built-in variable, in the order completion offers them. */
export const BUILTINS: readonly BuiltinVariable[] = [
  { name: '$guid', usage: '$guid', snippet: '\\$guid', origin: RC },
  { name: '$uuid', usage: '$uuid', snippet: '\\$uuid', origin: JB },
  { name: '$random.uuid', usage: '$random.uuid', snippet: '\\$random.uuid', origin: JB },
  { name: '$timestamp', usage: '$timestamp [offset unit]', snippet: '\\$timestamp', origin: BOTH },
  { name: '$isoTimestamp', usage: '$isoTimestamp', snippet: '\\$isoTimestamp', origin: JB },
  { name: '$datetime', usage: "$datetime iso8601|rfc1123|'format' [offset unit]", snippet: "\\$datetime ${1|iso8601,rfc1123,'YYYY-MM-DD'|}", origin: RC },
  { name: '$localDatetime', usage: "$localDatetime iso8601|rfc1123|'format' [offset unit]", snippet: "\\$localDatetime ${1|iso8601,rfc1123,'YYYY-MM-DD HH:mm'|}", origin: RC },
  { name: '$randomInt', usage: '$randomInt [min max]', snippet: '\\$randomInt ${1:1} ${2:100}', origin: BOTH },
  { name: '$random.integer', usage: '$random.integer(from, to)', snippet: '\\$random.integer(${1:1}, ${2:100})', origin: JB },
  { name: '$random.float', usage: '$random.float(from, to)', snippet: '\\$random.float(${1:0}, ${2:1})', origin: JB },
  { name: '$random.alphabetic', usage: '$random.alphabetic(length)', snippet: '\\$random.alphabetic(${1:10})', origin: JB },
  { name: '$random.alphanumeric', usage: '$random.alphanumeric(length)', snippet: '\\$random.alphanumeric(${1:10})', origin: JB },
  { name: '$random.hexadecimal', usage: '$random.hexadecimal(length)', snippet: '\\$random.hexadecimal(${1:16})', origin: JB },
  { name: '$random.email', usage: '$random.email', snippet: '\\$random.email', origin: JB },
  { name: '$processEnv', usage: '$processEnv [%]NAME', snippet: '\\$processEnv ${1:NAME}', origin: RC },
  { name: '$env.', usage: '$env.NAME', snippet: '\\$env.${1:NAME}', origin: JB },
  { name: '$dotenv', usage: '$dotenv [%]NAME', snippet: '\\$dotenv ${1:NAME}', origin: RC },
  { name: '$concur.sub', usage: '$concur.sub', snippet: '\\$concur.sub', origin: OURS },
  { name: '$concur.geolocation', usage: '$concur.geolocation', snippet: '\\$concur.geolocation', origin: OURS },
  { name: '$concur.company', usage: '$concur.company', snippet: '\\$concur.company', origin: OURS },
  { name: '$concur.accessToken', usage: '$concur.accessToken', snippet: '\\$concur.accessToken', origin: OURS },
];

const BY_NAME = new Map(BUILTINS.map((b) => [b.name, b]));

/** What a built-in variable gives, in the display language. */
export function describeBuiltin(name: string): string {
  switch (name) {
    case '$guid':
    case '$uuid':
    case '$random.uuid':
      return l10n.t('A new random UUID (version 4) each time.');
    case '$timestamp':
      return l10n.t('The time as Unix seconds (UTC), optionally moved by an offset such as -1 d.');
    case '$isoTimestamp':
      return l10n.t('The time in ISO 8601 (UTC), such as 2024-02-29T12:34:56.789Z.');
    case '$datetime':
      return l10n.t('The time in UTC: iso8601, rfc1123, or a Day.js format in quotes (\'YYYY-MM-DD\'), optionally moved by an offset such as 1 y.');
    case '$localDatetime':
      return l10n.t('The time in the local time zone: iso8601, rfc1123, or a Day.js format in quotes, optionally moved by an offset.');
    case '$randomInt':
      return l10n.t('A random integer: with min and max from min up to but not including max (REST Client); without, from 0 to 1000 (JetBrains).');
    case '$random.integer':
      return l10n.t('A random integer from "from" up to but not including "to"; with one number from 0; with none from 0 to 1000.');
    case '$random.float':
      return l10n.t('A random number with decimals from "from" up to but not including "to"; with one number from 0; with none from 0 to 1000.');
    case '$random.alphabetic':
      return l10n.t('Random letters (A–Z, a–z) of the given length.');
    case '$random.alphanumeric':
      return l10n.t('Random letters, digits and _ of the given length.');
    case '$random.hexadecimal':
      return l10n.t('Random hexadecimal digits of the given length.');
    case '$random.email':
      return l10n.t('A random e-mail address at example.com (a domain reserved for examples).');
    case '$processEnv':
      return l10n.t('An environment variable of the process VS Code runs in; an unset one gives an empty text, as in REST Client. With %, the name is read from the selected environment first.');
    case '$env.':
      return l10n.t('An environment variable of the process VS Code runs in, as JetBrains writes it.');
    case '$dotenv':
      return l10n.t('A value from the .env file next to the request file or in a folder above it (.env.<environment> when there is one for the selected environment). With %, the name is read from the selected environment first.');
    case '$concur.sub':
      return l10n.t('The signed-in user\'s id (the token\'s sub claim).');
    case '$concur.geolocation':
      return l10n.t('The signed-in session\'s datacenter (its geolocation).');
    case '$concur.company':
      return l10n.t('The signed-in company\'s id (the token\'s concur.company claim).');
    case '$concur.accessToken':
      return l10n.t('The session\'s token, put in when sending (Authorization header only)');
    default:
      return '';
  }
}

/** A reference to a built-in variable, read: its name, its arguments, and whether they were in parentheses. */
export interface BuiltinCall {
  /** As in BUILTINS (`$env.` for `$env.NAME`, whose name is then the one argument). */
  readonly name: string;
  readonly args: readonly string[];
  readonly parenthesised: boolean;
}

const HEAD = /^\$[A-Za-z_][\w.-]*/;
const ARGUMENT = /'[^']*'|"[^"]*"|\S+/g;

/**
 * Reads `$name args…` (REST Client), `$name(arg, arg)` (JetBrains) or `$env.NAME`. Undefined when the
 * text does not start with a known built-in name; a string when it does but cannot be read.
 */
export function parseBuiltin(reference: string): BuiltinCall | string | undefined {
  const head = HEAD.exec(reference)?.[0];
  if (!head) return undefined;
  const rest = reference.slice(head.length);
  if (head.startsWith('$env.') && head.length > 5) {
    if (rest.trim()) return l10n.t('expected only a variable name after $env.');
    return { name: '$env.', args: [head.slice(5)], parenthesised: false };
  }
  if (!BY_NAME.has(head)) return undefined;
  if (/^\s*\(/.test(rest)) {
    const inner = /^\s*\(([^()]*)\)\s*$/.exec(rest);
    if (!inner) return l10n.t('expected the arguments in one pair of parentheses, such as {0}', `${head}(1, 10)`);
    const args = inner[1].trim() ? inner[1].split(',').map((a) => a.trim()) : [];
    return { name: head, args, parenthesised: true };
  }
  if (rest && !/^\s/.test(rest)) return undefined;
  return { name: head, args: rest.match(ARGUMENT) ?? [], parenthesised: false };
}

/** The built-in a reference names (for completion, hover and "is this known"), or undefined. */
export function builtinOf(reference: string): BuiltinVariable | undefined {
  const call = parseBuiltin(reference);
  return typeof call === 'object' ? BY_NAME.get(call.name) : undefined;
}

// ── time ───────────────────────────────────────────────────────────────────────────────────

type Dates = typeof DatesModule;
let datesModule: Dates | undefined;

/**
 * Day.js with its UTC plugin (dates.ts), required on first use of a format or an offset: it lives in
 * the lazily loaded bundle (dist/openapi.js) with request files' other helpers.
 */
function dates(): Dates {
  datesModule ??= loadHeavy();
  return datesModule;
}

const OFFSET_UNITS = new Set(['y', 'Q', 'M', 'w', 'd', 'h', 'm', 's', 'ms']);

/** `-1 d`, `2 h`: the offset, or why it does not read. Both words or neither. */
function readOffset(args: readonly string[]): Offset | undefined | string {
  if (args.length === 0) return undefined;
  if (args.length !== 2 || !/^[+-]?\d{1,9}$/.test(args[0])) return l10n.t('expected an offset like "-1 d", got "{0}"', args.join(' '));
  if (!OFFSET_UNITS.has(args[1])) return l10n.t('unknown offset unit "{0}" (y, M, w, d, h, m, s or ms)', args[1]);
  return { amount: Number(args[0]), unit: args[1] };
}

/** `{{$timestamp [offset unit]}}`: Unix seconds, UTC. */
export function timestamp(now: Date, args: readonly string[]): string | { error: string } {
  const offset = readOffset(args);
  if (typeof offset === 'string') return { error: offset };
  const time = offset ? dates().shiftedTime(now, offset) : now.getTime();
  return String(Math.floor(time / 1000));
}

/** `{{$datetime …}}` and `{{$localDatetime …}}`: iso8601, rfc1123 or a quoted Day.js format, with an optional offset. */
export function datetime(now: Date, args: readonly string[], local: boolean): string | { error: string } {
  const format = args[0];
  const quoted = format !== undefined && format.length >= 2 && (format[0] === "'" || format[0] === '"') && format[format.length - 1] === format[0];
  if (format !== 'iso8601' && format !== 'rfc1123' && !quoted) return { error: l10n.t('expected iso8601, rfc1123 or a format in quotes such as \'YYYY-MM-DD\'') };
  const offset = readOffset(args.slice(1));
  if (typeof offset === 'string') return { error: offset };
  if (!local && !offset && format === 'iso8601') return now.toISOString();
  if (!local && !offset && format === 'rfc1123') return now.toUTCString();
  return dates().formatTime(now, format === 'iso8601' || format === 'rfc1123' ? format : { pattern: format.slice(1, -1) }, local, offset);
}

// ── random ─────────────────────────────────────────────────────────────────────────────────

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHANUMERIC = `${LETTERS}0123456789_`;
const HEXADECIMAL = '0123456789ABCDEF';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** Random texts longer than this are refused before any is made. */
export const MAX_RANDOM_LENGTH = 1024 * 1024;

function text(length: number, alphabet: string, random: () => number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.min(alphabet.length - 1, Math.floor(random() * alphabet.length))];
  return out;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The JetBrains random variables (`$random.*`, `$randomInt` without arguments). Undefined for a
 * name that is not one of them.
 */
export function randomValue(call: BuiltinCall, random: () => number): string | { error: string } | undefined {
  const { name, args } = call;
  const count = (): number | { error: string } => {
    if (args.length !== 1 || !/^\d{1,9}$/.test(args[0]) || Number(args[0]) < 1) return { error: l10n.t('expected a length greater than 0, such as {0}', `${name}(10)`) };
    const length = Number(args[0]);
    if (length > MAX_RANDOM_LENGTH) return { error: l10n.t('{0} characters is more than the {1} a random text may have', length, MAX_RANDOM_LENGTH) };
    return length;
  };
  switch (name) {
    case '$randomInt':
      return String(Math.floor(random() * 1001));
    case '$random.integer':
    case '$random.float': {
      const integer = name === '$random.integer';
      if (args.length > 2 || !args.every((a) => (integer ? /^[+-]?\d{1,15}$/ : NUMBER).test(a))) return { error: l10n.t('expected up to two numbers, such as {0}', `${name}(1, 10)`) };
      let [from, to] = args.length === 2 ? args.map(Number) : args.length === 1 ? [0, Number(args[0])] : [0, 1000];
      if (from > to) [from, to] = [to, from];
      // Without arguments the range is 0 to 1000, both included (JetBrains' description).
      if (integer) return String(from + Math.floor(random() * (to - from + (args.length === 0 ? 1 : 0))));
      return String(from + random() * (to - from));
    }
    case '$random.alphabetic':
    case '$random.alphanumeric':
    case '$random.hexadecimal': {
      const length = count();
      if (typeof length !== 'number') return length;
      return text(length, name === '$random.alphabetic' ? LETTERS : name === '$random.alphanumeric' ? ALPHANUMERIC : HEXADECIMAL, random);
    }
    case '$random.email':
      if (args.length) return { error: l10n.t('takes no arguments') };
      return `${text(10, LOWER, random)}@example.com`;
    default:
      return undefined;
  }
}
