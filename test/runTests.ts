/**
 * `npm test`: every tier, in order, with one summary line at the end.
 *   unit         mocha in plain Node (no VS Code)
 *   integration  mocha inside a real VS Code extension host (see host/integrationHosts.ts)
 *   e2e          the real VS Code UI driven in headless Chromium
 * Options: --tier unit,integration,e2e   --grep <pattern>
 * The integration tier runs in each VS Code version of test/host/codeServer.ts's HOST_VERSIONS
 * (CONCUR_TEST_VSCODE=oldest|current limits it to one).
 * Exit code 1 when any test fails or a tier cannot run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOST_VERSIONS, OLDEST_HOST, CURRENT_HOST, type HostVersion } from './host/codeServer';
import { pickHost, runIntegrationSuite } from './host/integrationHosts';
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

/**
 * The VS Code versions the integration tier runs in: the oldest the manifest claims and the newest,
 * on the VS Code Server host (CONCUR_TEST_VSCODE=oldest|current|all; all by default). Desktop VS
 * Code (@vscode/test-electron) runs one version.
 */
function integrationVersions(): readonly HostVersion[] {
  if (pickHost() !== 'server') return [CURRENT_HOST];
  const wanted = process.env.CONCUR_TEST_VSCODE ?? 'all';
  if (wanted === 'oldest') return [OLDEST_HOST];
  if (wanted === 'current') return [CURRENT_HOST];
  if (wanted !== 'all') throw new Error(`CONCUR_TEST_VSCODE must be oldest, current or all, not "${wanted}"`);
  return HOST_VERSIONS;
}

async function runTier(tier: Tier, version?: HostVersion): Promise<TierResults> {
  switch (tier) {
    case 'unit':
      return runMochaTier(tier, 'out/test/unit/**/*.test.js');
    case 'integration': {
      if (version) print(`Running the integration suite in VS Code ${version.vscode} (code-server ${version.codeServer}) …`);
      const results = await runIntegrationSuite(print, grep ? { CONCUR_TEST_GREP: grep } : {}, version);
      if (results.host) print(`Integration host: ${results.host.name}: ${results.host.appName} ${results.host.version} (${results.host.appHost})`);
      if (version && results.host && results.host.version !== version.vscode) throw new Error(`asked for VS Code ${version.vscode}, the suite ran in ${results.host.version}`);
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
    // The integration tier runs once per VS Code version; the others once.
    const runs: (HostVersion | undefined)[] = tier === 'integration' ? [...integrationVersions()] : [undefined];
    for (const version of runs) {
      const name = version ? `${tier} (VS Code ${version.vscode})` : tier;
      print(`\n━━ ${name} tests ━━`);
      const started = Date.now();
      try {
        const results = await runTier(tier, version);
        passed += results.passed;
        failed += results.failed;
        const host = results.host ? ` in ${results.host.appName} ${results.host.version}` : '';
        lines.push(`${tier}: ${results.passed} passed, ${results.failed} failed${host} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        // A tier that cannot run is a failure, never a skip.
        failed += 1;
        print(`✘ the ${name} tier could not run: ${(error as Error).message}`);
        lines.push(`${name}: could not run`);
      }
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
