/**
 * `{{…}}` in request files: file variables (recursive), the chosen environment's variables, the
 * built-in variables of REST Client and JetBrains' HTTP Client (dynamicVariables.ts: $guid,
 * $datetime, $random.integer(…), $processEnv, $dotenv, $env.NAME …), the signed-in session's claims
 * ($concur.sub, $concur.geolocation, $concur.company) and named requests' responses
 * (`{{me.response.body.$.id}}`, `{{me.response.headers.Location}}`).
 *
 * Precedence: a file variable wins over an environment variable of the same name. REST Client's
 * README says so ("file variables take higher precedence over environment variables", request
 * variables higher still), and httpYac reads them the same way; JetBrains documents the opposite
 * (environment before in-place variables). Where the tools disagree, REST Client's order is kept.
 *
 * The access token never enters expanded text: `{{$concur.accessToken}}` becomes ACCESS_TOKEN_MARKER,
 * which the sender replaces by sending the session's token in the Authorization header itself.
 *
 * Nothing grows without bound: each text's size is known before it is built, and a text (or a
 * variable's value) of more than MAX_EXPANDED_CHARS, or a request that would build more than its
 * ExpansionBudget in all, stops with an error before the string is made.
 *
 * JSONPath (jsonpath-plus) is reached only when a response reference is expanded, through
 * `sources.jsonPath` or a lazy require, so that this module stays light.
 */
import { randomUUID } from 'node:crypto';
import { l10n } from '../platform/l10n';
import { BUILTINS, builtinOf, datetime, parseBuiltin, randomValue, timestamp, type BuiltinCall } from './dynamicVariables';
import { jsonOf, loadJsonPath, type JsonPathQuery } from '../platform/lazyJsonPath';
import type { FileVariable, ParsedRequestFile } from './parse';

export interface ResponseForVariables {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface VariableSources {
  readonly file: readonly FileVariable[];
  /** The chosen environment's variables (file variables win over them, see above). */
  environment?(name: string): string | undefined;
  dotenv?(name: string): string | undefined;
  processEnv?(name: string): string | undefined;
  /** The session's claims by name: 'sub' | 'geolocation' | 'company'. undefined when not signed in / not in the token. */
  concur?(name: 'sub' | 'geolocation' | 'company'): string | undefined;
  /** A named request's last response in this window: undefined when it has not run (the caller then runs it and asks again). */
  response?(name: string): ResponseForVariables | undefined;
  readonly now?: () => Date;
  readonly uuid?: () => string;
  /** Math.random by default (for `$randomInt` and `$random.*`). */
  readonly random?: () => number;
  /** The JSONPath query for response references; by default jsonpath.ts, required on first use. */
  readonly jsonPath?: JsonPathQuery;
  /** What every text expanded with these sources may build in all (one request's URL, headers and body share it). */
  readonly budget?: ExpansionBudget;
}

export interface ExpansionOptions {
  /**
   * The text as a request file writes it back (Save Requests to File, Open as Request File): file
   * variables and responses are put in, but what a file can refer to by itself — environment
   * variables, $processEnv, $dotenv, $env.NAME and the other built-ins — stays a reference, so that
   * no value they stood for (a secret from the environment) is written into the file.
   */
  readonly keepReferences?: boolean;
}

export interface Expansion {
  readonly text: string;
  /** Names not found, each once (for diagnostics and errors). Their `{{…}}` stays in the text. */
  readonly unknown: readonly string[];
  /** Named requests referenced whose response is not there yet (run them first). */
  readonly needs: readonly string[];
  /** `{{$concur.accessToken}}` was referenced: the text keeps a placeholder, never the token. */
  readonly usesAccessToken: boolean;
  /** What could not be expanded other than unknown names: cycles, values missing from a response, bad arguments, too much text. Each once. */
  readonly errors: readonly string[];
}

/** The token is NEVER put into expanded text: `{{$concur.accessToken}}` expands to this marker, which the sender replaces by sending the session's token in the Authorization header itself. */
export const ACCESS_TOKEN_MARKER: string = '\u0000concur-access-token\u0000';

/** Every {{…}} reference in a line, for diagnostics, completion and hover. */
export interface VariableReference {
  /** The text between the braces, trimmed. */
  readonly name: string;
  /** Columns of the whole reference, braces included: [start, end). */
  readonly start: number;
  readonly end: number;
}

/** The built-in names, as completion offers them (`$env.NAME` for JetBrains' process environment). */
export const BUILTIN_VARIABLES: readonly string[] = BUILTINS.map((b) => (b.name === '$env.' ? '$env.NAME' : b.name));

// No braces inside a reference: a line of many `{{` without `}}` is then read in linear time.
const REFERENCE = /\{\{([^{}]*)\}\}/g;
/** No text (and no variable's value) grows beyond this: `@a = {{b}}{{b}}`, `@b = {{c}}{{c}}`, … doubles at every level. */
export const MAX_EXPANDED_CHARS = 10 * 1024 * 1024;
/** What one request (URL, headers and body, variables' values included) may build in all. */
export const MAX_REQUEST_EXPANSION_CHARS = 4 * MAX_EXPANDED_CHARS;
/** Variables that refer to variables that refer to … more deeply than this are refused (the stack stays small). */
export const MAX_NESTING = 200;
const RESPONSE_REFERENCE = /^([A-Za-z_][\w-]*)\.response\.(body|headers)(?:\.(.*))?$/;

/** Characters expansion may still build; shared by the texts of one request, and spent as they are built. */
export interface ExpansionBudget {
  remaining: number;
}

export function expansionBudget(chars = MAX_REQUEST_EXPANSION_CHARS): ExpansionBudget {
  return { remaining: chars };
}

export function variableReferences(line: string): VariableReference[] {
  const references: VariableReference[] = [];
  for (const match of line.matchAll(REFERENCE)) {
    references.push({ name: match[1].trim(), start: match.index, end: match.index + match[0].length });
  }
  return references;
}

/** Names a file may use: its file variables and the built-in ones ($guid, $concur.sub…), for completion. */
export function knownVariableNames(file: ParsedRequestFile): string[] {
  return [...new Set(file.variables.map((v) => v.name)), ...BUILTIN_VARIABLES];
}

/** Whether a reference is to a built-in variable (`$datetime iso8601`, `$random.integer(1, 2)`, `$env.HOME`). */
export function isBuiltinReference(name: string): boolean {
  return builtinOf(name) !== undefined;
}

/** `{{me.response.body.*}}` and `{{me.response.headers.}}` for each named request, for completion. */
export function responseReferenceNames(file: ParsedRequestFile): string[] {
  return file.requests.flatMap((r) => (r.name ? [`${r.name}.response.body.*`, `${r.name}.response.body.$`, `${r.name}.response.headers.`] : []));
}

/** Text for a value taken from a response: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

/** Thrown to stop an expansion that would grow too large: it is stopped as a whole, before the string is built. */
class TooMuch extends Error {}

export function expandVariables(text: string, sources: VariableSources, options: ExpansionOptions = {}): Expansion {
  const fileValues = new Map<string, string>();
  for (const variable of sources.file) fileValues.set(variable.name, variable.value);
  const keep = options.keepReferences === true;
  const budget = sources.budget ?? expansionBudget();
  const memo = new Map<string, string | undefined>();
  const unknown = new Set<string>();
  const needs = new Set<string>();
  const errors = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let usesAccessToken = false;
  let jsonPath = sources.jsonPath;
  const now = (): Date => (sources.now ?? (() => new Date()))();
  const random = sources.random ?? Math.random;

  /** The text with its references put in; its size is checked, and spent from the budget, before it is built. */
  const expand = (input: string): string => {
    if (!input.includes('{{')) return input;
    const pieces: string[] = [];
    let length = 0;
    let last = 0;
    for (const match of input.matchAll(REFERENCE)) {
      const name = match[1].trim();
      const value = (name ? resolve(name) : undefined) ?? match[0];
      length += match.index - last + value.length;
      if (length > MAX_EXPANDED_CHARS) throw tooLarge();
      pieces.push(input.slice(last, match.index), value);
      last = match.index + match[0].length;
    }
    length += input.length - last;
    if (length > MAX_EXPANDED_CHARS) throw tooLarge();
    if (length > budget.remaining) throw new TooMuch(l10n.t('the request expands to more than {0} MB of text in all', Math.round(MAX_REQUEST_EXPANSION_CHARS / 1024 / 1024)));
    budget.remaining -= length;
    pieces.push(input.slice(last));
    return pieces.join('');
  };

  const tooLarge = (): TooMuch =>
    new TooMuch(
      stack.length
        ? l10n.t('{0} expands to more than {1} MB of text', `{{${stack[stack.length - 1]}}}`, MAX_EXPANDED_CHARS / 1024 / 1024)
        : l10n.t('the text expands to more than {0} MB', MAX_EXPANDED_CHARS / 1024 / 1024),
    );

  /** A variable's value, expanded once (memo) with the variable on the stack for cycles. */
  const variable = (name: string, value: string): string | undefined => {
    if (memo.has(name)) return memo.get(name);
    if (onStack.has(name)) {
      errors.add(l10n.t('The variables {0} refer to each other in a cycle', [...stack.slice(stack.indexOf(name)), name].join(' → ')));
      return undefined;
    }
    if (stack.length >= MAX_NESTING) throw new TooMuch(l10n.t('variables refer to variables more than {0} levels deep', MAX_NESTING));
    stack.push(name);
    onStack.add(name);
    try {
      const expanded = expand(value);
      memo.set(name, expanded);
      return expanded;
    } finally {
      stack.pop();
      onStack.delete(name);
    }
  };

  const resolve = (name: string): string | undefined => {
    if (name[0] === '$') return builtin(name);
    const fileValue = fileValues.get(name);
    if (fileValue !== undefined) return variable(name, fileValue);
    const environmentValue = sources.environment?.(name);
    if (environmentValue !== undefined) return keep ? `{{${name}}}` : variable(name, environmentValue);
    const reference = RESPONSE_REFERENCE.exec(name);
    if (reference) return responseValue(name, reference[1], reference[2] as 'body' | 'headers', reference[3] ?? '');
    unknown.add(name);
    return undefined;
  };

  /** `%name`: the name is the chosen environment's value of `name` (REST Client), else the name itself. */
  const indirect = (arg: string): string => {
    if (arg[0] !== '%') return arg;
    const key = arg.slice(1);
    const value = fileValues.has(key) ? undefined : sources.environment?.(key);
    return value === undefined ? key : (variable(key, value) ?? key);
  };

  const builtin = (reference: string): string | undefined => {
    const call = parseBuiltin(reference);
    const fail = (message: string): undefined => {
      errors.add(`{{${reference}}}: ${message}`);
      return undefined;
    };
    if (call === undefined) {
      unknown.add(reference);
      return undefined;
    }
    if (typeof call === 'string') return fail(call);
    // Written back, a built-in stays what it is: the file resolves it again when it is sent.
    if (keep) return `{{${reference}}}`;
    const value = builtinValue(call, fail);
    return typeof value === 'object' ? fail(value.error) : value;
  };

  const builtinValue = (call: BuiltinCall, fail: (message: string) => undefined): string | { error: string } | undefined => {
    const { name, args } = call;
    const reference = args.length ? `${name} ${args.join(' ')}` : name;
    switch (name) {
      case '$guid':
      case '$uuid':
      case '$random.uuid':
        return (sources.uuid ?? randomUUID)();
      case '$randomInt': {
        // REST Client's `$randomInt min max`; JetBrains' `$randomInt` alone is 0 to 1000.
        if (args.length === 0) return randomValue(call, random);
        if (args.length !== 2 || !args.every((a) => /^[+-]?\d{1,15}$/.test(a))) return fail(l10n.t('expected two integers, {0}', '{{$randomInt min max}}'));
        const [min, max] = args.map(Number);
        if (max <= min) return fail(l10n.t('max must be greater than min (min is included, max is not)'));
        return String(min + Math.floor(random() * (max - min)));
      }
      case '$timestamp':
        return timestamp(now(), args);
      case '$isoTimestamp':
        if (args.length) return fail(l10n.t('takes no arguments'));
        return now().toISOString();
      case '$datetime':
      case '$localDatetime':
        return datetime(now(), args, name === '$localDatetime');
      case '$processEnv':
      case '$env.': {
        if (args.length !== 1) return fail(l10n.t('expected one variable name'));
        const key = name === '$env.' ? args[0] : indirect(args[0]);
        const value = sources.processEnv?.(key);
        if (value !== undefined) return value;
        // REST Client sends an unset variable as empty text; JetBrains' $env.NAME is then unknown.
        if (name === '$processEnv') return '';
        unknown.add(reference.replace(/^\$env\. /, '$env.'));
        return undefined;
      }
      case '$dotenv': {
        if (args.length !== 1) return fail(l10n.t('expected one variable name'));
        const value = sources.dotenv?.(indirect(args[0]));
        if (value === undefined) unknown.add(`${name} ${args[0]}`);
        return value;
      }
      case '$concur.sub':
      case '$concur.geolocation':
      case '$concur.company': {
        if (args.length) return fail(l10n.t('takes no arguments'));
        const value = sources.concur?.(name.slice('$concur.'.length) as 'sub' | 'geolocation' | 'company');
        if (value === undefined) unknown.add(name);
        return value;
      }
      case '$concur.accessToken':
        if (args.length) return fail(l10n.t('takes no arguments'));
        usesAccessToken = true;
        return ACCESS_TOKEN_MARKER;
      default:
        return randomValue(call, random);
    }
  };

  const responseValue = (reference: string, request: string, part: 'body' | 'headers', path: string): string | undefined => {
    const response = sources.response?.(request);
    if (!response) {
      needs.add(request);
      return undefined;
    }
    const missing = (message: string): undefined => {
      errors.add(`{{${reference}}}: ${message}`);
      return undefined;
    };
    if (part === 'headers') {
      if (!path) return missing(l10n.t('expected a header name after headers.'));
      const wanted = path.toLowerCase();
      for (const [header, value] of Object.entries(response.headers)) if (header.toLowerCase() === wanted) return value;
      return missing(l10n.t('the response of {0} has no {1} header', request, path));
    }
    const body = jsonOf(response.body);
    if (path === '' || path === '*') {
      if (body === undefined || body === '') return missing(l10n.t('the response of {0} has no body', request));
      return textOf(body);
    }
    if (typeof body !== 'object' || body === null) return missing(l10n.t('the response of {0} is not JSON', request));
    jsonPath ??= loadJsonPath();
    let values: unknown[];
    try {
      values = jsonPath(path[0] === '$' ? path : `$.${path}`, body);
    } catch (error) {
      return missing(l10n.t('cannot read the JSON path: {0}', (error as Error).message));
    }
    if (values.length === 0 || values[0] === undefined) return missing(l10n.t('nothing in the response of {0} matches {1}', request, path));
    return textOf(values[0]);
  };

  let expanded: string;
  try {
    expanded = expand(text);
  } catch (error) {
    if (!(error instanceof TooMuch)) throw error;
    errors.add(error.message);
    expanded = text;
  }
  return { text: expanded, unknown: [...unknown], needs: [...needs], usesAccessToken, errors: [...errors] };
}
