/** What every route handler of the server can reach. */
import type { Dataset } from './data';
import type { DefinitionEntries } from '../catalog/endpoint';
import type { FaultEngine } from './faults';
import type { Ctx } from './http';
import type { SigningKey } from './jwt';
import type { MockState } from './state';
import type { TokenStore } from './tokens';
import type { Counters, DatacenterId, DemoApp, DemoCredentials, RequestLogEntry } from './types';

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
  /** The operations of the API definitions loaded into the catalog, answered where no built-in route is. */
  definitions: DefinitionOperations;
  /** The scopes an app is granted: the demo app's include every scope the definitions name. */
  appScopes(app: DemoApp): readonly string[];
}

/** The loaded API definitions' operations, as the routes see them (definitions.ts answers them). */
export interface DefinitionOperations {
  /** The operation a request is for (`op`), or the methods its path takes (`allow`), or undefined when no operation has the path. */
  find(method: string, path: string): { op: unknown; params: Readonly<Record<string, string>> } | { allow: string[] } | undefined;
  /** Answers a request for an operation; false when none has the path. */
  handle(ctx: Ctx, env: ServerEnv): boolean;
  set(entries: readonly DefinitionEntries[]): void;
  /** Every scope the operations name. */
  readonly scopes: ReadonlySet<string>;
  readonly count: number;
}
