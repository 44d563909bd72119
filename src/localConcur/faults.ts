/** Fault rules: which requests misbehave, how, and how many more times. */
import type { DatacenterId, FaultKind, FaultRule } from './types';

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'status500',
  'html503',
  'rate429',
  'reset',
  'hang',
  'malformedJson',
  'opaqueAccessToken',
  'unknownKey',
  'stringErrorCode',
  'largeBody',
  'wrongDatacenter',
];

/** Kinds that answer the request themselves; the others only alter a normal answer. */
const TERMINAL: ReadonlySet<FaultKind> = new Set(['status500', 'html503', 'rate429', 'reset', 'hang']);

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export interface FaultMatch {
  /** Total delay of the matching latency rules. */
  latencyMs: number;
  /** The first matching rule that answers the request itself. */
  terminal?: FaultRule;
  /** Matching rules that only alter the answer. */
  modifiers: Set<FaultKind>;
  /** Every kind that applied, for the request log. */
  applied: FaultKind[];
  /** `largeBody`: the size asked for, in MB. */
  largeBodyMb?: number;
}

export class FaultEngine {
  private rules: ActiveRule[] = [];

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule: validateRule(rule), remaining: rule.times ?? Infinity }));
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule: validateRule(rule), remaining: rule.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) => ({ ...rule, ...(Number.isFinite(remaining) ? { times: remaining } : {}) }));
  }

  get size(): number {
    return this.rules.length;
  }

  /** Finds the rules for this request and uses up one application of each. */
  match(dc: DatacenterId, method: string, path: string): FaultMatch | undefined {
    if (this.rules.length === 0) {
      return undefined;
    }
    const result: FaultMatch = { latencyMs: 0, modifiers: new Set(), applied: [] };
    for (const active of this.rules) {
      const { rule } = active;
      if (!ruleMatches(rule, dc, method, path)) {
        continue;
      }
      if (TERMINAL.has(rule.kind)) {
        if (result.terminal) {
          continue;
        }
        result.terminal = rule;
      } else if (rule.kind === 'latency') {
        result.latencyMs += rule.ms ?? 1000;
      } else {
        result.modifiers.add(rule.kind);
        if (rule.kind === 'largeBody') result.largeBodyMb = rule.mb ?? 20;
      }
      result.applied.push(rule.kind);
      active.remaining -= 1;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return result.applied.length > 0 ? result : undefined;
  }
}

function ruleMatches(rule: FaultRule, dc: DatacenterId, method: string, path: string): boolean {
  if (rule.host && rule.host !== 'any' && rule.host !== dc) {
    return false;
  }
  if (rule.method && rule.method.toUpperCase() !== method) {
    return false;
  }
  const route = rule.route;
  if (route instanceof RegExp) {
    route.lastIndex = 0;
    return route.test(path);
  }
  if (route === '*') {
    return true;
  }
  if (route.endsWith('*')) {
    return path.startsWith(route.slice(0, -1));
  }
  return path === route;
}

function validateRule(rule: FaultRule): FaultRule {
  if (!FAULT_KINDS.includes(rule.kind)) {
    throw new Error(`unknown fault kind: ${String(rule.kind)}`);
  }
  if (typeof rule.route !== 'string' && !(rule.route instanceof RegExp)) {
    throw new Error('fault route must be a string or a RegExp');
  }
  if (rule.host !== undefined && !['landing', 'geo', 'any'].includes(rule.host)) {
    throw new Error(`unknown fault host: ${String(rule.host)}`);
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
    throw new Error('fault times must be a positive integer');
  }
  return { ...rule };
}

/** A rule as JSON for the control endpoint: RegExps become `{ regex, flags }`. */
export function ruleToJson(rule: FaultRule): Record<string, unknown> {
  const route = rule.route instanceof RegExp ? { regex: rule.route.source, flags: rule.route.flags } : rule.route;
  return { ...rule, route };
}

/** A rule from the control endpoint's JSON. */
export function ruleFromJson(value: unknown): FaultRule {
  if (!value || typeof value !== 'object') {
    throw new Error('a fault rule must be an object');
  }
  const raw = value as Record<string, unknown>;
  let route: string | RegExp;
  if (typeof raw.route === 'string') {
    route = raw.route;
  } else if (raw.route && typeof raw.route === 'object' && typeof (raw.route as { regex?: unknown }).regex === 'string') {
    const { regex, flags } = raw.route as { regex: string; flags?: unknown };
    route = new RegExp(regex, typeof flags === 'string' ? flags : '');
  } else {
    throw new Error('route must be a string or {"regex": "..."}');
  }
  const rule: FaultRule = { route, kind: raw.kind as FaultKind };
  if (raw.host !== undefined) {
    rule.host = raw.host as FaultRule['host'];
  }
  if (raw.method !== undefined) {
    rule.method = String(raw.method);
  }
  for (const key of ['ms', 'retryAfter', 'times', 'mb'] as const) {
    if (raw[key] !== undefined) {
      if (typeof raw[key] !== 'number') {
        throw new Error(`${key} must be a number`);
      }
      rule[key] = raw[key] as number;
    }
  }
  if (raw.body !== undefined) {
    rule.body = String(raw.body);
  }
  if (raw.scenario !== undefined) {
    rule.scenario = String(raw.scenario);
  }
  return validateRule(rule);
}
