/** What each test tier reports back to the runner (test/runTests.ts), whichever process it ran in. */
export interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface HostInfo {
  /** "VS Code Server (code-server 4.100.3)" or "VS Code desktop (@vscode/test-electron)". */
  readonly name: string;
  readonly appName: string;
  readonly version: string;
  readonly appHost: string;
}

export interface TierResults {
  readonly tier: string;
  host?: HostInfo;
  passed: number;
  failed: number;
  readonly tests: TestResult[];
}

/** Environment variable through which a tier learns where to write its TierResults as JSON. */
export const RESULTS_ENV = 'CONCUR_TEST_RESULTS';
