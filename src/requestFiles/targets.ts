/**
 * Where a request file's requests would go, judged while the file is written, by the rules that
 * decide it when a request is sent: the resolver (platform/resolver.ts) for the target and the header
 * check (platform/headers.ts) for what it carries there, for the session the request would use. The
 * editor can then say "not sent" as the user types, not only when Send fails.
 *
 * A refusal is said where the user wrote its cause: for `GET {{target}}` on `{{target}}`, naming where
 * `target` is defined (a file variable's line, an environment and its file, a .env file) and what it
 * expands through (`{{target}}` → `{{base}}`), not only the address it comes to.
 *
 * Only what is certain is said. A value not known yet (a `# @prompt`, the answer of a request that
 * has not run in this window, a name defined nowhere) leaves a request unjudged, unless the text
 * before it already decides where the request goes (`https://other.example/{{id}}`). Without a
 * session, only the refusals that hold for every session are said (`//host/x`, plain http to another
 * machine), as `refusalWithoutSession` gives them.
 *
 * Knows nothing of VS Code, and is cheap on every edit: each reference is expanded once per pass, and
 * a request without one costs a resolver call (see the benchmark's request-file rows).
 */
import { l10n } from '../platform/l10n';
import { checkRequestHeaders, headerRule, headerValueProblem } from '../platform/headers';
import { refusalWithoutSession, resolveApiTarget, type CheckedUrl, type SessionOrigins } from '../platform/resolver';
import type { RequestBlock } from './requestFile';
import { expandVariables, variableReferences, type VariableSources } from './variables';

/** Where the variables of the chosen environment and the .env files come from, for messages. */
export interface VariableOrigins {
  /** The environment that gives `name`, and where it is written (a file as the workspace names it, or the settings). */
  environment?(name: string): { readonly environment: string; readonly where: string } | undefined;
  /** The .env file `{{$dotenv name}}` reads, as the workspace names it. */
  dotenv?(name: string): string | undefined;
}

export interface TargetContext {
  /** The session the requests would go with; undefined when there is none (judged without one). */
  readonly session?: SessionOrigins;
  /** What sending expands with. `# @prompt` values are given only once they have been asked. */
  readonly sources: VariableSources;
  readonly origins?: VariableOrigins;
}

/** A request that would not be sent: where, and why. */
export interface RequestProblem {
  /** The request line's URL, or one of the request's headers (its index in `request.headers`). */
  readonly header?: number;
  /**
   * Columns in what the user wrote there (the URL as `request.url` holds it, or the header's value)
   * of the part that causes the refusal; undefined for the whole URL, or the header's name.
   */
  readonly span?: { readonly start: number; readonly end: number };
  /** What the user reads: the reason, and where the value came from when a variable gave it. */
  readonly message: string;
  /** The resolver's or the header check's reason alone. */
  readonly reason: string;
}

/** A reference's value, as sending would expand it; undefined when it cannot be known yet. */
interface Value {
  readonly text: string | undefined;
  readonly token: boolean;
}

/** A piece of written text: as it is, or a reference (`name`) and what it expands to. */
interface Piece {
  /** Columns in the written text. */
  readonly start: number;
  readonly end: number;
  /** Offset in the expanded text. */
  readonly at: number;
  readonly length: number;
  readonly name?: string;
  readonly known: boolean;
}

interface Expanded {
  /** The expanded text; a value not known yet stands as nothing. */
  readonly text: string;
  readonly pieces: readonly Piece[];
  /** Offset in `text` of the first value not known yet; -1 when every value is known. */
  readonly firstUnknown: number;
  /** The piece that puts the access token in, when one does. */
  readonly token?: Piece;
}

const MAX_CHAIN = 8;

/**
 * Judges the requests of one file for one session and one set of sources. Make one per pass: each
 * reference is expanded once, however many requests use it.
 */
export class TargetJudge {
  private readonly values = new Map<string, Value>();
  private readonly fileLines = new Map<string, number>();
  /** The `# @prompt` names of the request being judged whose values were given (they stand among the file's variables). */
  private asked: ReadonlySet<string> = new Set();

  constructor(private readonly context: TargetContext) {
    // The last definition wins, as in expandVariables.
    for (const variable of context.sources.file) this.fileLines.set(variable.name, variable.line);
  }

  /**
   * Why `request` would not be sent for its target or its headers; empty when it would be, or when
   * that cannot be known yet. A request with a parse error is left alone: its error says it already.
   */
  judge(request: RequestBlock): RequestProblem[] {
    if (request.errors.length) return [];
    // A `# @prompt` name is asked when the request is sent: until then, its value is not known.
    const prompts = request.prompts?.filter((p) => !this.context.sources.file.some((v) => v.name === p.name && v.line === p.line));
    if (prompts?.length) {
      const asked = new Set(prompts.map((p) => p.name));
      return new TargetJudge({ ...this.context, sources: { ...this.context.sources, file: this.context.sources.file.filter((v) => !asked.has(v.name)) } }).judge({ ...request, prompts: undefined });
    }
    this.asked = new Set(request.prompts?.map((p) => p.name));
    const url = this.expand(request.url);
    if (url.token) {
      const reason = l10n.t('{{$concur.accessToken}} may stand only in the Authorization header: a token never goes into a URL.');
      return [this.problem(url, url.token.at, url.token.at + 1, reason, undefined)];
    }
    const decided = url.firstUnknown < 0 || decidesOrigin(url.text.slice(0, url.firstUnknown));
    let checked: CheckedUrl | undefined;
    if (decided) {
      const { session } = this.context;
      let reason: string | undefined;
      if (session) {
        const resolution = resolveApiTarget(url.text, session);
        if (resolution.ok) checked = resolution.url;
        else reason = resolution.message;
      } else {
        reason = refusalWithoutSession(url.text);
      }
      if (reason !== undefined) {
        const [from, to] = decisiveRange(url.text);
        return [this.problem(url, from, to, reason, undefined)];
      }
    }
    // The URL is known only when every value in it is; only then is a Host compared with it.
    return this.judgeHeaders(request, url.firstUnknown < 0 ? checked : undefined);
  }

  /**
   * The headers the header check would refuse: by their values (a line break a variable brings, a
   * character a header cannot carry), and a Host for another host than the URL's. Headers refused by
   * their name alone are said by the editor's own header diagnostics, and not again here.
   */
  private judgeHeaders(request: RequestBlock, url: CheckedUrl | undefined): RequestProblem[] {
    const out: RequestProblem[] = [];
    for (let index = 0; index < request.headers.length; index++) {
      const header = request.headers[index];
      // The session's token goes in its place, whatever it says.
      if (header.name.toLowerCase() === 'authorization' || headerRule(header.name).kind !== 'allow') continue;
      const value = this.expand(header.value);
      if (value.firstUnknown >= 0 || value.token) continue;
      let reason = headerValueProblem(header.name, value.text);
      if (reason === undefined && url) {
        const check = checkRequestHeaders({ [header.name]: value.text }, url);
        if (!check.ok) reason = check.message;
      }
      if (reason === undefined) continue;
      out.push({ ...this.problem(value, 0, value.text.length, reason, header.name), header: index });
    }
    return out;
  }

  /** The problem at [from, to) of the expanded text: on the reference that gave that part, if one did. */
  private problem(expanded: Expanded, from: number, to: number, reason: string, header: string | undefined): RequestProblem {
    const piece = blamed(expanded.pieces, from, to);
    if (!piece?.name) return { reason, message: reason };
    const span = { start: piece.start, end: piece.end };
    // The token's own reference needs no "from": the reason names it.
    if (piece.name === '$concur.accessToken') return { reason, message: reason, span };
    const chain = [this.link(piece.name), ...this.chainIn(piece.name, from - piece.at, to - piece.at, 1)].join(' → ');
    const message = header === undefined ? l10n.t('Refused target from {0}: {1}', chain, reason) : l10n.t('Refused {0} header from {1}: {2}', header, chain, reason);
    return { reason, message, span };
  }

  /** The references inside a variable's value that gave [from, to) of its expansion, outermost first. */
  private chainIn(name: string, from: number, to: number, depth: number): string[] {
    if (depth >= MAX_CHAIN || name.startsWith('$')) return [];
    const raw = this.fileLines.has(name) ? lastValue(this.context.sources.file, name) : this.context.sources.environment?.(name);
    if (raw === undefined || !raw.includes('{{')) return [];
    const piece = blamed(this.expand(raw).pieces, from, to);
    if (!piece?.name) return [];
    return [this.link(piece.name), ...this.chainIn(piece.name, from - piece.at, to - piece.at, depth + 1)];
  }

  /** `{{name}}` and where it is defined, as a message names it. */
  private link(name: string): string {
    const reference = `{{${name}}}`;
    const line = this.fileLines.get(name);
    if (line !== undefined) return this.asked.has(name) ? l10n.t('{0} (# @prompt, line {1})', reference, line + 1) : l10n.t('{0} (file variable, line {1})', reference, line + 1);
    const builtin = /^\$(dotenv|processEnv|env\.|concur\.)\s*(.*)$/.exec(name);
    if (builtin) {
      if (builtin[1] === 'dotenv') {
        const file = this.context.origins?.dotenv?.(builtin[2].trim());
        return file ? l10n.t('{0} ({1})', reference, file) : reference;
      }
      if (builtin[1] === 'concur.') return l10n.t('{0} (the session)', reference);
      return l10n.t('{0} (process environment)', reference);
    }
    if (name.startsWith('$')) return reference;
    const environment = this.context.origins?.environment?.(name);
    if (environment) {
      return environment.environment ? l10n.t('{0} (environment "{1}", {2})', reference, environment.environment, environment.where) : l10n.t('{0} ({1})', reference, environment.where);
    }
    const response = /^([A-Za-z_][\w-]*)\.response\./.exec(name);
    if (response) return l10n.t('{0} (the answer of "{1}")', reference, response[1]);
    return reference;
  }

  /** Written text with its references expanded as sending expands them, piece by piece. */
  private expand(written: string): Expanded {
    if (!written.includes('{{')) return { text: written, pieces: [{ start: 0, end: written.length, at: 0, length: written.length, known: true }], firstUnknown: -1 };
    const pieces: Piece[] = [];
    let text = '';
    let last = 0;
    let firstUnknown = -1;
    let token: Piece | undefined;
    const literal = (end: number): void => {
      if (end > last) pieces.push({ start: last, end, at: text.length, length: end - last, known: true });
      text += written.slice(last, end);
    };
    for (const reference of variableReferences(written)) {
      if (!reference.name) continue;
      literal(reference.start);
      const value = this.value(reference.name);
      const known = value.text !== undefined;
      const piece: Piece = { start: reference.start, end: reference.end, at: text.length, length: value.text?.length ?? 0, name: reference.name, known };
      pieces.push(piece);
      if (!known && firstUnknown < 0) firstUnknown = text.length;
      if (value.token && !token) token = piece;
      text += value.text ?? '';
      last = reference.end;
    }
    literal(written.length);
    return { text, pieces, firstUnknown, ...(token ? { token } : {}) };
  }

  /** One reference's value, expanded once per pass. */
  private value(name: string): Value {
    const known = this.values.get(name);
    if (known) return known;
    const expansion = expandVariables(`{{${name}}}`, this.context.sources);
    const certain = !expansion.unknown.length && !expansion.needs.length && !expansion.errors.length;
    const value: Value = { text: certain ? expansion.text : undefined, token: expansion.usesAccessToken };
    this.values.set(name, value);
    return value;
  }
}

function lastValue(variables: TargetContext['sources']['file'], name: string): string | undefined {
  for (let i = variables.length - 1; i >= 0; i--) if (variables[i].name === name) return variables[i].value;
  return undefined;
}

/** The first reference whose expansion overlaps [from, to); else the first piece that does. */
function blamed(pieces: readonly Piece[], from: number, to: number): Piece | undefined {
  let literal: Piece | undefined;
  for (const piece of pieces) {
    if (piece.at >= to) break;
    if (piece.at + piece.length <= from) continue;
    if (piece.name) return piece;
    literal ??= piece;
  }
  return literal;
}

// eslint-disable-next-line no-control-regex
const REFUSED_CHARACTER = /[\u0000-\u001f\u007f\\]/;

/**
 * Whether the start of a target, before a value not known yet, already decides where it goes
 * (and so whether the resolver refuses it for that): a path that starts with a segment, or a
 * scheme and host (or `//host`) followed by `/`, `?` or `#`.
 */
function decidesOrigin(prefix: string): boolean {
  const start = prefix.trimStart();
  return /^\/[^/\\\s]/.test(start) || /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#\\\s]*[/?#]/i.test(start);
}

/**
 * The part of an expanded target the resolver's refusal is about: a control character or a
 * backslash; else the scheme and host (or `//host`); else, for text that is neither a path nor a
 * URL, all of it.
 */
function decisiveRange(text: string): [number, number] {
  const lead = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  const bad = text.slice(lead, end).search(REFUSED_CHARACTER);
  if (bad >= 0) return [lead + bad, lead + bad + 1];
  const body = text.slice(lead, end);
  const authority = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i.exec(body) ?? /^[a-z][a-z0-9+.-]*:/i.exec(body);
  if (authority) return [lead, lead + authority[0].length];
  if (body.startsWith('/')) return [lead, lead + 1];
  return [lead, Math.max(end, lead + 1)];
}
