/**
 * `npm test`: every tier, in order, with one summary line at the end.
 *   unit         mocha in plain Node (no VS Code)
 *   integration  mocha inside a real VS Code extension host (see host/integrationHosts.ts)
 *   e2e          the real VS Code UI driven in headless Chromium
 * Options: --tier unit,integration,e2e   --grep <pattern>
 * Exit code 1 when any test fails or a tier cannot run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runIntegrationSuite } from './host/integrationHosts';
import { repoRoot } from './host/paths';
import { RESULTS_ENV, type TierResults } from './support/results';

const TIERS = ['unit', 'integration', 'e2e'] as const;
type Tier = (typeof TIERS)[number];

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const selected = (argValue('--tier')?.split(',') ?? [...TIERS]) as Tier[];
const grep = argValue('--grep');
const print = (line: string): void => console.log(line);

function runMochaTier(tier: Tier, spec: string, extraArgs: string[] = []): TierResults {
  const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'concur-results-')), `${tier}.json`);
  const args = [path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', path.join(repoRoot, '.mocharc.json'), ...extraArgs];
  if (grep) args.push('--grep', grep);
  args.push(spec);
  const child = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, [RESULTS_ENV]: resultsFile } });
  if (!fs.existsSync(resultsFile)) throw new Error(`mocha exited (${child.status ?? child.signal}) before reporting results`);
  return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as TierResults;
}

function printHostResults(results: TierResults): void {
  for (const test of results.tests) {
    print(`  ${test.state === 'passed' ? '✔' : '✘'} ${test.title} (${test.durationMs} ms)`);
    if (test.error) print(test.error.replace(/^/gm, '      '));
  }
}

async function runTier(tier: Tier): Promise<TierResults> {
  switch (tier) {
    case 'unit':
      return runMochaTier(tier, 'out/test/unit/**/*.test.js');
    case 'integration': {
      const results = await runIntegrationSuite(print, grep ? { CONCUR_TEST_GREP: grep } : {});
      if (results.host) print(`Integration host: ${results.host.name}: ${results.host.appName} ${results.host.version} (${results.host.appHost})`);
      printHostResults(results);
      return results;
    }
    case 'e2e':
      return runMochaTier(tier, 'out/test/e2e/**/*.test.js', ['--timeout', '180000']);
  }
}

async function main(): Promise<void> {
  let passed = 0;
  let failed = 0;
  const lines: string[] = [];
  for (const tier of selected) {
    if (!TIERS.includes(tier)) throw new Error(`unknown tier "${tier}" (expected ${TIERS.join(', ')})`);
    print(`\n━━ ${tier} tests ━━`);
    const started = Date.now();
    try {
      const results = await runTier(tier);
      passed += results.passed;
      failed += results.failed;
      const host = results.host ? ` in ${results.host.appName} ${results.host.version}` : '';
      lines.push(`${tier}: ${results.passed} passed, ${results.failed} failed${host} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      // A tier that cannot run is a failure, never a skip.
      failed += 1;
      print(`✘ the ${tier} tier could not run: ${(error as Error).message}`);
      lines.push(`${tier}: could not run`);
    }
  }
  print('');
  for (const line of lines) print(line);
  print(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  print('0 passed, 1 failed');
  process.exitCode = 1;
});
