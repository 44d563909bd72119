/**
 * The local Concur server (`localConcur/`): a local SAP Concur for people without a Concur company,
 * and for the tests, benchmarks and the demo: two datacenters, every documented grant and error
 * code, rotating refresh tokens, paged APIs over a seeded company, the operations of loaded API
 * definitions, and faults on demand. See README.md next to this file. Its ui/ starts and stops it
 * from the command palette, shows its demo company, signs in to it and switches its scenarios.
 *
 * This module is the entry of its own bundle (dist/localConcur.js), required on first use of the
 * server's commands, never at activation.
 */
export { startMockConcur } from './server';
export { activeScenarios, LARGE_ANSWER_MB, LATENCY_MS, RATE_LIMIT_RETRY_AFTER, SCENARIOS, SCENARIO_IDS, switchScenario, type ScenarioId, type ScenarioInfo } from './scenarios';
export { familyOfPath } from './definitions';
export { connectionSettings, scenarioChoices, scenarioDetail, scenarioLabel, serverTab, statusBarEntry, tabLenses } from './presentation';
export { formatDemoBanner } from './banner';
export { FAULT_KINDS } from './faults';
export { FIXTURES } from './state';
export { APPS, COMPANY, DATACENTER_NAMES, DEMO_PASSWORD, SCOPES, TOKEN_ERROR_CODES } from './directory';
export type {
  Counters,
  DatacenterId,
  DemoApp,
  DemoCredentials,
  DemoUser,
  FaultKind,
  FaultRule,
  IssueTokenOptions,
  MockConcur,
  MockConcurOptions,
  RequestLogEntry,
  TokenResponse,
} from './types';
