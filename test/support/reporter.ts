import * as fs from 'node:fs';
import Mocha from 'mocha';
import { RESULTS_ENV, type HostInfo, type TierResults } from './results';

interface ReporterOptions {
  resultsFile?: string;
  tier?: string;
  host?: HostInfo;
}

/**
 * Mocha's spec output, plus a JSON results file the runner reads. The file is how results leave
 * a VS Code extension host, whose console the runner cannot see.
 */
class ResultsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions & { reporterOptions?: ReporterOptions; reporterOption?: ReporterOptions }) {
    super(runner, options);
    const opts: ReporterOptions = options.reporterOptions ?? options.reporterOption ?? {};
    const resultsFile = opts.resultsFile ?? process.env[RESULTS_ENV];
    const results: TierResults = { tier: opts.tier ?? 'unit', host: opts.host, passed: 0, failed: 0, tests: [] };

    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, err: Error) => {
      results.failed++;
      results.tests.push({
        title: test.fullTitle(),
        state: 'failed',
        durationMs: test.duration ?? 0,
        error: `${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`,
      });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
    });
  }
}

export = ResultsReporter;
