/**
 * The faults an integrator switches on while the local server runs, to watch their own code meet
 * each one: each is the server's own fault rules (or its token store's), so that the next request
 * meets it. Switches last until switched off; the others happen once (an expiry, a revocation, one
 * code 16).
 */
import type { FaultRule, MockConcur } from './types';

export const SCENARIO_IDS = ['expiredToken', 'refreshRevoked', 'wrongDatacenter', 'rateLimited', 'serverError', 'latency', 'largeAnswers'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Every path but the token service's and the server's own control endpoints: the APIs. */
const API_ROUTES = /^\/(?!oauth2\/|_mock(\/|$))/;
const TOKEN_PATH = '/oauth2/v0/token';

export interface ScenarioInfo {
  readonly id: ScenarioId;
  /** `switch`: on until switched off; `once`: happens to the next request it applies to. */
  readonly kind: 'switch' | 'once';
}

export const SCENARIOS: readonly ScenarioInfo[] = [
  { id: 'expiredToken', kind: 'once' },
  { id: 'refreshRevoked', kind: 'once' },
  { id: 'wrongDatacenter', kind: 'once' },
  { id: 'rateLimited', kind: 'switch' },
  { id: 'serverError', kind: 'switch' },
  { id: 'latency', kind: 'switch' },
  { id: 'largeAnswers', kind: 'switch' },
];

/** Seconds a 429 asks the caller to wait (Concur sends `retry-after`). */
export const RATE_LIMIT_RETRY_AFTER = 5;
/** Milliseconds every API answer is held back. */
export const LATENCY_MS = 3000;
/** About how large (MB) an answer becomes. */
export const LARGE_ANSWER_MB = 20;

/** The fault rule a scenario adds, tagged with its id so that it can be told apart and switched off. */
function ruleOf(id: ScenarioId): FaultRule | undefined {
  switch (id) {
    case 'wrongDatacenter':
      // The landing datacenter (where sign-in starts) names the home one, once.
      return { route: TOKEN_PATH, host: 'landing', kind: 'wrongDatacenter', times: 1, scenario: id };
    case 'rateLimited':
      return { route: API_ROUTES, kind: 'rate429', retryAfter: RATE_LIMIT_RETRY_AFTER, scenario: id };
    case 'serverError':
      return { route: API_ROUTES, kind: 'status500', scenario: id };
    case 'latency':
      return { route: API_ROUTES, kind: 'latency', ms: LATENCY_MS, scenario: id };
    case 'largeAnswers':
      return { route: API_ROUTES, kind: 'largeBody', mb: LARGE_ANSWER_MB, scenario: id };
    default:
      return undefined;
  }
}

/** The scenarios whose rules are in force (a `once` rule until the request it waits for comes). */
export function activeScenarios(server: Pick<MockConcur, 'faults'>): ScenarioId[] {
  const ids = new Set(server.faults().map((r) => r.scenario));
  return SCENARIO_IDS.filter((id) => ids.has(id));
}

/**
 * Switches a scenario on or off. `expiredToken` and `refreshRevoked` act at once on the tokens
 * issued so far (the next API call finds its token expired; the next refresh gets code 108) and
 * return how many tokens they ended; the others add or remove their rule.
 */
export function switchScenario(server: Pick<MockConcur, 'faults' | 'setFaults' | 'addFault' | 'expireAccessTokens' | 'revokeRefreshTokens'>, id: ScenarioId, on: boolean): number {
  if (id === 'expiredToken') return on ? server.expireAccessTokens() : 0;
  if (id === 'refreshRevoked') return on ? server.revokeRefreshTokens() : 0;
  const others = server.faults().filter((r) => r.scenario !== id);
  server.setFaults(others);
  const rule = ruleOf(id);
  if (on && rule) server.addFault(rule);
  return 0;
}
