/**
 * `{{…}}` in request files: file variables (recursive), REST Client's system variables ($guid,
 * $randomInt, $timestamp, $datetime, $dotenv, $processEnv), the signed-in session's claims
 * ($concur.sub, $concur.geolocation, $concur.company) and named requests' responses
 * (`{{me.response.body.$.id}}`, `{{me.response.headers.Location}}`).
 *
 * The access token never enters expanded text: `{{$concur.accessToken}}` becomes ACCESS_TOKEN_MARKER,
 * which the sender replaces by sending the session's token in the Authorization header itself.
 *
 * JSONPath (jsonpath-plus) is reached only when a response reference is expanded, through
 * `sources.jsonPath` or a lazy require, so that this module stays light.
 */
import { randomUUID } from 'node:crypto';
import { l10n } from '../util/l10n';
import { jsonOf, loadJsonPath, type JsonPathQuery } from './lazyJsonPath';
import type { FileVariable, ParsedRequestFile } from './parse';

export interface ResponseForVariables {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface VariableSources {
  readonly file: readonly FileVariable[];
  dotenv?(name: string): string | undefined;
  processEnv?(name: string): string | undefined;
  /** The session's claims by name: 'sub' | 'geolocation' | 'company'. undefined when not signed in / not in the token. */
  concur?(name: 'sub' | 'geolocation' | 'company'): string | undefined;
  /** A named request's last response in this window: undefined when it has not run (the caller then runs it and asks again). */
  response?(name: string): ResponseForVariables | undefined;
  readonly now?: () => Date;
  readonly uuid?: () => string;
  /** Math.random by default (for `$randomInt`). */
  readonly random?: () => number;
  /** The JSONPath query for response references; by default jsonpath.ts, required on first use. */
  readonly jsonPath?: JsonPathQuery;
}

export interface Expansion {
  readonly text: string;
  /** Names not found, each once (for diagnostics and errors). Their `{{…}}` stays in the text. */
  readonly unknown: readonly string[];
  /** Named requests referenced whose response is not there yet (run them first). */
  readonly needs: readonly string[];
  /** `{{$concur.accessToken}}` was referenced: the text keeps a placeholder, never the token. */
  readonly usesAccessToken: boolean;
  /** What could not be expanded other than unknown names: cycles, values missing from a response, bad arguments. Each once. */
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

export const BUILTIN_VARIABLES: readonly string[] = [
  '$guid',
  '$randomInt',
  '$timestamp',
  '$datetime',
  '$dotenv',
  '$processEnv',
  '$concur.sub',
  '$concur.geolocation',
  '$concur.company',
  '$concur.accessToken',
];

// No braces inside a reference: a line of many `{{` without `}}` is then read in linear time.
const REFERENCE = /\{\{([^{}]*)\}\}/g;
/** No expansion grows beyond this: `@a = {{b}}{{b}}`, `@b = {{c}}{{c}}`, … doubles at every level. */
export const MAX_EXPANDED_CHARS = 10 * 1024 * 1024;
const RESPONSE_REFERENCE = /^([A-Za-z_][\w-]*)\.response\.(body|headers)(?:\.(.*))?$/;
const OFFSET_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

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

/** Adds `-1 d`, `2 h`… to a time; an offset that does not read is an error message. */
function offsetTime(now: Date, args: readonly string[]): Date | string {
  if (args.length === 0) return now;
  if (args.length !== 2 || !/^[+-]?\d+$/.test(args[0])) return l10n.t('expected an offset like "-1 d", got "{0}"', args.join(' '));
  const amount = Number(args[0]);
  const unit = args[1];
  const date = new Date(now.getTime());
  if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() + amount);
  else if (unit === 'M') date.setUTCMonth(date.getUTCMonth() + amount);
  else if (OFFSET_UNITS[unit] !== undefined) date.setTime(date.getTime() + amount * OFFSET_UNITS[unit]);
  else return l10n.t('unknown offset unit "{0}" (y, M, w, d, h, m, s or ms)', unit);
  return date;
}

export function expandVariables(text: string, sources: VariableSources): Expansion {
  const fileValues = new Map<string, string>();
  for (const variable of sources.file) fileValues.set(variable.name, variable.value);
  const memo = new Map<string, string | undefined>();
  const unknown = new Set<string>();
  const needs = new Set<string>();
  const errors = new Set<string>();
  let usesAccessToken = false;
  let jsonPath = sources.jsonPath;

  const expand = (input: string, stack: readonly string[]): string => {
    if (!input.includes('{{')) return input;
    return input.replace(REFERENCE, (whole: string, inner: string) => {
      const name = inner.trim();
      if (!name) return whole;
      return resolve(name, stack) ?? whole;
    });
  };

  const resolve = (name: string, stack: readonly string[]): string | undefined => {
    if (name[0] === '$') return builtin(name);
    const value = fileValues.get(name);
    if (value !== undefined) {
      if (memo.has(name)) return memo.get(name);
      const at = stack.indexOf(name);
      if (at >= 0) {
        errors.add(l10n.t('The variables {0} refer to each other in a cycle', [...stack.slice(at), name].join(' → ')));
        return undefined;
      }
      const expanded = expand(value, [...stack, name]);
      if (expanded.length > MAX_EXPANDED_CHARS) {
        errors.add(l10n.t('{0} expands to more than {1} MB of text', `{{${name}}}`, MAX_EXPANDED_CHARS / 1024 / 1024));
        memo.set(name, undefined);
        return undefined;
      }
      memo.set(name, expanded);
      return expanded;
    }
    const reference = RESPONSE_REFERENCE.exec(name);
    if (reference) return responseValue(name, reference[1], reference[2] as 'body' | 'headers', reference[3] ?? '');
    unknown.add(name);
    return undefined;
  };

  const builtin = (reference: string): string | undefined => {
    const [name, ...args] = reference.split(/\s+/);
    const fail = (message: string): undefined => {
      errors.add(`{{${reference}}}: ${message}`);
      return undefined;
    };
    switch (name) {
      case '$guid':
        return (sources.uuid ?? randomUUID)();
      case '$randomInt': {
        if (args.length !== 2 || !args.every((a) => /^[+-]?\d+$/.test(a))) return fail(l10n.t('expected two integers, {0}', '{{$randomInt min max}}'));
        const [min, max] = args.map(Number);
        if (max <= min) return fail(l10n.t('max must be greater than min (min is included, max is not)'));
        return String(min + Math.floor((sources.random ?? Math.random)() * (max - min)));
      }
      case '$timestamp': {
        const time = offsetTime((sources.now ?? (() => new Date()))(), args);
        if (typeof time === 'string') return fail(time);
        return String(Math.floor(time.getTime() / 1000));
      }
      case '$datetime': {
        const format = args[0];
        if (format !== 'iso8601' && format !== 'rfc1123') return fail(l10n.t('expected iso8601 or rfc1123 (other formats are not supported)'));
        const time = offsetTime((sources.now ?? (() => new Date()))(), args.slice(1));
        if (typeof time === 'string') return fail(time);
        return format === 'iso8601' ? time.toISOString() : time.toUTCString();
      }
      case '$dotenv':
      case '$processEnv': {
        if (args.length !== 1) return fail(l10n.t('expected one variable name'));
        const value = (name === '$dotenv' ? sources.dotenv : sources.processEnv)?.(args[0]);
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
        unknown.add(reference);
        return undefined;
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

  let expanded = expand(text, []);
  if (expanded.length > MAX_EXPANDED_CHARS) {
    errors.add(l10n.t('the text expands to more than {0} MB', MAX_EXPANDED_CHARS / 1024 / 1024));
    expanded = text;
  }
  return { text: expanded, unknown: [...unknown], needs: [...needs], usesAccessToken, errors: [...errors] };
}
