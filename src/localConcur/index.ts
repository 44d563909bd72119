/**
 * A local SAP Concur for tests, benchmarks and demos: two datacenters, every documented grant and
 * error code, rotating refresh tokens, paged APIs over a seeded company, and faults on demand.
 * See README.md next to this file.
 */
export { startMockConcur } from './server';
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
