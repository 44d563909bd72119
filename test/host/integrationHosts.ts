/**
 * Runs the integration suite (out/test/integration/index.js, the extensionTestsPath contract)
 * inside a real VS Code extension host, on whichever host can run here:
 *  - "server": VS Code Server (code-server from npm) opened in headless Chromium;
 *  - "desktop": desktop VS Code downloaded by @vscode/test-electron.
 * CONCUR_TEST_HOST=server|desktop forces one; the default picks the server host when a Chromium
 * is available and desktop VS Code otherwise. When neither can run, this throws: never a skip.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHROMIUM_HINT, findChromium, launchChromium } from './browser';
import { CURRENT_HOST, startCodeServer, trustExtensionForAuth, type HostVersion } from './codeServer';
import { waitFor } from './net';
import { repoRoot } from './paths';
import { RESULTS_ENV, type TierResults } from '../support/results';

export type HostKind = 'server' | 'desktop';

const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index');
const DESKTOP_VSCODE_VERSION = process.env.CONCUR_VSCODE_VERSION ?? '1.100.3';
const SUITE_TIMEOUT_MS = 10 * 60_000;

export function pickHost(): HostKind {
  const requested = process.env.CONCUR_TEST_HOST;
  if (requested === 'server' || requested === 'desktop') return requested;
  if (requested && requested !== 'auto') throw new Error(`CONCUR_TEST_HOST must be server, desktop or auto, not "${requested}"`);
  return findChromium() ? 'server' : 'desktop';
}

/** A scratch workspace folder for the extension host to open. */
export function makeWorkspace(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-workspace-'));
  fs.writeFileSync(path.join(folder, 'README.md'), '# Scratch workspace for Concur API Explorer tests\n');
  return folder;
}

export async function runIntegrationSuite(print: (line: string) => void, extraEnv: NodeJS.ProcessEnv = {}, version: HostVersion = CURRENT_HOST): Promise<TierResults> {
  const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'concur-results-')), 'integration.json');
  const host = pickHost();
  try {
    if (host === 'server') {
      await runInServer(resultsFile, extraEnv, version);
    } else {
      await runInDesktop(resultsFile, print, extraEnv);
    }
  } catch (error) {
    if (process.env.CONCUR_TEST_HOST || host === 'server') throw error;
    throw new Error(
      'No VS Code host can run the integration suite here.\n' +
        `  - VS Code Server host: no Chromium found; ${CHROMIUM_HINT}.\n` +
        `  - Desktop VS Code (@vscode/test-electron): ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as TierResults;
}

async function runInServer(resultsFile: string, extraEnv: NodeJS.ProcessEnv, version: HostVersion): Promise<void> {
  const hostName = `VS Code Server (code-server ${version.codeServer})`;
  const workspace = makeWorkspace();
  const server = await startCodeServer({
    host: version,
    env: { ...extraEnv, [RESULTS_ENV]: resultsFile, CONCUR_TEST_HOST_NAME: hostName, CONCUR_EXTENSION_TESTING: '1' },
  });
  const browser = await launchChromium();
  const console_: string[] = [];
  try {
    const page = await browser.newPage();
    // The workbench console (where the extension host's console is forwarded) helps when a run hangs.
    page.on('console', (message) => console_.push(message.text()));
    await page.goto(server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot, extensionTestsPath }));
    await waitFor('the integration suite to finish in the extension host', () => (fs.existsSync(resultsFile) ? true : undefined), SUITE_TIMEOUT_MS, 250);
  } catch (error) {
    throw new Error(`${(error as Error).message}\ncode-server output:\n${server.output()}\nworkbench console:\n${console_.slice(-80).join('\n')}`);
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function runInDesktop(resultsFile: string, print: (line: string) => void, extraEnv: NodeJS.ProcessEnv): Promise<void> {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    // Electron needs a display; xvfb-run provides a virtual one.
    const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' });
    if (xvfb.status !== 0) throw new Error('desktop VS Code needs a display: install xvfb (xvfb-run) or set DISPLAY');
    const child = spawnSync('xvfb-run', ['-a', process.execPath, path.join(__dirname, 'desktopMain.js'), resultsFile], {
      stdio: 'inherit',
      env: { ...process.env, ...extraEnv },
    });
    if (!fs.existsSync(resultsFile)) throw new Error(`desktop VS Code exited (${child.status}) without results`);
    return;
  }
  await runDesktopHere(resultsFile, print, extraEnv);
}

export async function runDesktopHere(resultsFile: string, print: (line: string) => void, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  print(`Downloading desktop VS Code ${DESKTOP_VSCODE_VERSION} with @vscode/test-electron …`);
  const vscodeExecutablePath = await downloadAndUnzipVSCode({ version: DESKTOP_VSCODE_VERSION, timeout: 30_000 });
  const productJson = [
    path.join(path.dirname(vscodeExecutablePath), 'resources', 'app', 'product.json'),
    path.join(path.dirname(vscodeExecutablePath), '..', 'Resources', 'app', 'product.json'),
  ].find((p) => fs.existsSync(p));
  if (productJson) trustExtensionForAuth(productJson);
  const workspace = makeWorkspace();
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      extensionTestsEnv: { ...extraEnv, [RESULTS_ENV]: resultsFile, CONCUR_EXTENSION_TESTING: '1', CONCUR_TEST_HOST_NAME: `VS Code desktop ${DESKTOP_VSCODE_VERSION} (@vscode/test-electron)` },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (error) {
    // runTests rejects when the suite fails; the results file says which tests did.
    if (!fs.existsSync(resultsFile)) throw error;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
