/**
 * The integration suite's entry point, loaded by VS Code as `extensionTestsPath`: it runs inside a
 * real extension host with Concur API Explorer loaded as the extension under development.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import ResultsReporter from '../support/reporter';
import { RESULTS_ENV } from '../support/results';
import { EXTENSION_ID, recordActivationState } from './helpers';

export async function run(): Promise<void> {
  // Before any test touches a command or view: was the extension activated without being asked?
  recordActivationState(vscode.extensions.getExtension(EXTENSION_ID)?.isActive ?? false);

  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    forbidOnly: true,
    forbidPending: true,
    grep: process.env.CONCUR_TEST_GREP,
  });
  mocha.reporter(ResultsReporter, {
    resultsFile: process.env[RESULTS_ENV],
    tier: 'integration',
    host: {
      name: process.env.CONCUR_TEST_HOST_NAME ?? vscode.env.appName,
      appName: vscode.env.appName,
      version: vscode.version,
      appHost: `${vscode.env.appHost}, extension host on Node ${process.versions.node}`,
    },
  });
  // extension.test.js first: it checks what activation alone does, before other suites use the extension.
  // The suites sit in one folder per feature (calls/, catalog/, …), like the sources they test.
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[]).filter((f) => f.endsWith('.test.js')).sort();
  files.sort((a, b) => Number(path.basename(b) === 'extension.test.js') - Number(path.basename(a) === 'extension.test.js'));
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }
  // Sign Out asks once whether to revoke the app's access too, and keeps the answer in this setting.
  // Suites that do not test that question answer it here: sign out on this machine only.
  await vscode.workspace.getConfiguration('concur').update('signOut.revokeAccess', 'never', vscode.ConfigurationTarget.Global);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
