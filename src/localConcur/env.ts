/** What every route handler of the server can reach. */
import type { Dataset } from './data';
import type { FaultEngine } from './faults';
import type { SigningKey } from './jwt';
import type { MockState } from './state';
import type { TokenStore } from './tokens';
import type { Counters, DatacenterId, DemoCredentials, RequestLogEntry } from './types';

export interface ServerEnv {
  dataset: Dataset;
  /** What this server's write endpoints created or changed (the dataset itself never changes). */
  state: MockState;
  store: TokenStore;
  faults: FaultEngine;
  key: SigningKey;
  urls: Record<DatacenterId, string>;
  now(): number;
  advanceClock(ms: number): void;
  errorCodeAs: 'string' | 'number';
  counters: Counters;
  requests: RequestLogEntry[];
  demo: DemoCredentials;
  count(name: string): void;
  resetLog(): void;
}
