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
import { refusalFor, refusalWithoutSession, resolveApiTarget, type CheckedUrl, type SessionOrigins } from '../platform/resolver';
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
  /**
   * Judgements made earlier in this same context (the same session, variables, environment and
   * answers), by what the request says: an edit then judges only the requests it changed. Whoever
   * passes it starts a new one when the context changes.
   */
  readonly remembered?: Map<string, readonly RequestProblem[]>;
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
  /** Whether the text may stand in a header's value (worked out when first asked). */
  headerFit?: boolean;
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
const NONE: ReadonlySet<string> = new Set();
/** Judgements kept for the next pass: more than a large file's requests. */
const MAX_REMEMBERED = 20_000;
/** A named request's answer, as variables.ts reads `{{name.response.body…}}`. */
const RESPONSE_REFERENCE = /^([A-Za-z_][\w-]*)\.response\.(?:body|headers)\b/;

/**
 * Judges the requests of one file for one session and one set of sources. Make one per pass: each
 * reference is expanded once, however many requests use it.
 */
export class TargetJudge {
  private readonly values = new Map<string, Value>();
  private readonly headerNames = new Map<string, boolean>();
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
  judge(request: RequestBlock): readonly RequestProblem[] {
    if (request.errors.length) return [];
    const remembered = this.context.remembered;
    if (!remembered) return this.judgeNow(request);
    const key = requestKey(request);
    let found = remembered.get(key);
    if (!found) {
      found = this.judgeNow(request);
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(key, found);
    }
    return found;
  }

  private judgeNow(request: RequestBlock): readonly RequestProblem[] {
    // A `# @prompt` name is asked when the request is sent: until then, its value is not known.
    const prompts = request.prompts?.filter((p) => !this.context.sources.file.some((v) => v.name === p.name && v.line === p.line));
    if (prompts?.length) {
      const asked = new Set(prompts.map((p) => p.name));
      return new TargetJudge({ ...this.context, sources: { ...this.context.sources, file: this.context.sources.file.filter((v) => !asked.has(v.name)) }, remembered: undefined }).judgeNow({ ...request, prompts: undefined });
    }
    this.asked = request.prompts ? new Set(request.prompts.map((p) => p.name)) : NONE;
    const url = this.expand(request.url);
    if (url.token) {
      const reason = l10n.t('{{$concur.accessToken}} may stand only in the Authorization header: a token never goes into a URL.');
      return [this.problem(url, url.token.at, url.token.at + 1, reason, undefined)];
    }
    const decided = url.firstUnknown < 0 || decidesOrigin(url.text.slice(0, url.firstUnknown));
    if (decided) {
      const { session } = this.context;
      const reason = session ? refusalFor(url.text, session) : refusalWithoutSession(url.text);
      if (reason !== undefined) {
        const [from, to] = decisiveRange(url.text);
        return [this.problem(url, from, to, reason, undefined)];
      }
    }
    // The URL is known only when every value in it is; only then is a Host compared with it.
    return this.judgeHeaders(request, url.firstUnknown < 0 ? url.text : undefined);
  }

  /**
   * The headers the header check would refuse: by their values (a line break a variable brings, a
   * character a header cannot carry), and a Host for another host than the URL's. Headers refused by
   * their name alone are said by the editor's own header diagnostics, and not again here.
   */
  private judgeHeaders(request: RequestBlock, target: string | undefined): RequestProblem[] {
    const out: RequestProblem[] = [];
    let url: CheckedUrl | undefined;
    for (let index = 0; index < request.headers.length; index++) {
      const header = request.headers[index];
      if (!this.judgedHeader(header.name)) continue;
      const host = header.name.length === 4 && header.name.toLowerCase() === 'host';
      // Most values are fine: their written text, and each value put in, are looked at first.
      if (!host && !headerValueProblem(header.name, header.value) && this.valuesFit(header.value)) continue;
      const value = header.value.includes('{{') ? this.expand(header.value) : undefined;
      if (value && (value.firstUnknown >= 0 || value.token)) continue;
      const text = value ? value.text : header.value;
      let reason = headerValueProblem(header.name, text);
      // Only a Host is judged against the URL: for any other header allowed by its name, the header
      // check is its value's check above.
      if (reason === undefined && target !== undefined && this.context.session && host) {
        if (!url) {
          const resolution = resolveApiTarget(target, this.context.session);
          if (resolution.ok) url = resolution.url;
        }
        const check = url && checkRequestHeaders({ [header.name]: text }, url);
        if (check && !check.ok) reason = check.message;
      }
      if (reason === undefined) continue;
      out.push({ ...this.problem(value ?? this.expand(text), 0, text.length, reason, header.name), header: index });
    }
    return out;
  }

  /**
   * Whether every value `{{…}}` puts into a header's written text is known and fit for a header (or
   * not known yet, which says nothing): then the text as expanded is, when the written text is.
   */
  private valuesFit(written: string): boolean {
    if (!written.includes('{{')) return true;
    for (const reference of variableReferences(written)) {
      if (!reference.name) continue;
      const value = this.value(reference.name);
      if (value.text === undefined) return true;
      value.headerFit ??= headerValueProblem('x', value.text) === undefined;
      if (!value.headerFit || value.token) return false;
    }
    return true;
  }

  /** Whether a header is judged here: not the Authorization (the session's token goes in its place), nor one refused or left out by its name. */
  private judgedHeader(name: string): boolean {
    let judged = this.headerNames.get(name);
    if (judged === undefined) {
      judged = name.toLowerCase() !== 'authorization' && headerRule(name).kind === 'allow';
      this.headerNames.set(name, judged);
    }
    return judged;
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
    if (!written.includes('{{')) return { text: written, pieces: [], firstUnknown: -1 };
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
    const { sources } = this.context;
    // A name no source gives, or an answer not there yet, is not known: said without expanding.
    if (name.charCodeAt(0) !== 36 /* $ */ && !this.fileLines.has(name) && sources.environment?.(name) === undefined) {
      const answer = RESPONSE_REFERENCE.exec(name);
      if (!answer || !sources.response?.(answer[1])) {
        const unknown: Value = { text: undefined, token: false };
        this.values.set(name, unknown);
        return unknown;
      }
    }
    const expansion = expandVariables(`{{${name}}}`, sources);
    const certain = !expansion.unknown.length && !expansion.needs.length && !expansion.errors.length;
    const value: Value = { text: certain ? expansion.text : undefined, token: expansion.usesAccessToken };
    this.values.set(name, value);
    return value;
  }
}

/** What a judgement depends on in the request itself: its URL, its headers and the names it asks for. */
function requestKey(request: RequestBlock): string {
  // Never the URL alone: a slice of the file's text would keep that version of the whole text alive
  // while it is remembered; a string built from it is made flat, and holds only itself.
  let key = `\u0001${request.url}`;
  for (const header of request.headers) key += `\n${header.name}:${header.value}`;
  if (request.prompts) for (const prompt of request.prompts) key += `\n@${prompt.name}`;
  return key;
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
  // A host of at least one character: `https:///host` is `https://host` to a URL parser.
  return /^\/[^/\\\s]/.test(start) || /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#\\\s]+[/?#]/i.test(start);
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
