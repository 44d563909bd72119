/**
 * The VS Code Server host: code-server from the npm registry (it carries VS Code's server build),
 * installed on demand into .vscode-test/, started on a loopback port. VS Code itself cannot be
 * downloaded on machines that only reach the npm registry; this is a real VS Code nonetheless.
 *
 * Two hosts, the ends of the range the manifest claims (`engines.vscode`): code-server 4.100.3
 * (VS Code 1.100.3), the newest release that runs on Node 20, and code-server 4.96.4 (VS Code
 * 1.96.4), the oldest code-server on npm at or above the oldest VS Code the extension supports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitFor } from './net';
import { hostCacheDir } from './paths';

export interface HostVersion {
  /** The code-server release on npm. */
  readonly codeServer: string;
  /** The VS Code it carries. */
  readonly vscode: string;
}

/** The newest VS Code Server that runs on Node 20: the end-to-end tests and the demo use it. */
export const CURRENT_HOST: HostVersion = { codeServer: '4.100.3', vscode: '1.100.3' };
/** The oldest VS Code the manifest claims (`engines.vscode` ^1.96.0) that npm carries: the integration suite runs here too. */
export const OLDEST_HOST: HostVersion = { codeServer: '4.96.4', vscode: '1.96.4' };
/** Every host the integration suite runs in, oldest first. */
export const HOST_VERSIONS: readonly HostVersion[] = [OLDEST_HOST, CURRENT_HOST];

export const CODE_SERVER_VERSION = CURRENT_HOST.codeServer;
export const VSCODE_VERSION = CURRENT_HOST.vscode;

interface HostPaths {
  readonly installDir: string;
  readonly vscodeDir: string;
  readonly entry: string;
  readonly marker: string;
}

function hostPaths(version: HostVersion): HostPaths {
  // The current host keeps the folder it always had (other checkouts may link it).
  const installDir = path.join(hostCacheDir, version === CURRENT_HOST ? 'code-server' : `code-server-${version.codeServer}`);
  const packageDir = path.join(installDir, 'node_modules', 'code-server');
  return { installDir, vscodeDir: path.join(packageDir, 'lib', 'vscode'), entry: path.join(packageDir, 'out', 'node', 'entry.js'), marker: path.join(installDir, `.installed-${version.codeServer}`) };
}

/** VS Code's own folder inside an installed host (its bundled extensions, product.json). */
export function vscodeFolder(version: HostVersion = CURRENT_HOST): string {
  return hostPaths(version).vscodeDir;
}

export function codeServerInstalled(version: HostVersion = CURRENT_HOST): boolean {
  const { marker, entry } = hostPaths(version);
  return fs.existsSync(marker) && fs.existsSync(entry);
}

function npm(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Installs code-server without its install scripts: they download ripgrep from GitHub and build
 * kerberos, neither reachable nor needed to run extensions. Only the native modules the server
 * uses are rebuilt (python3, make and g++ are needed for that).
 */
export function installCodeServer(print: (line: string) => void = console.log, version: HostVersion = CURRENT_HOST): void {
  if (codeServerInstalled(version)) return;
  const { installDir, vscodeDir, marker } = hostPaths(version);
  const started = Date.now();
  print(`Installing the VS Code Server host (code-server ${version.codeServer}) into ${path.relative(process.cwd(), installDir) || installDir} …`);
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  fs.writeFileSync(path.join(installDir, 'package.json'), '{ "private": true }\n');
  npm(['install', '--ignore-scripts', `code-server@${version.codeServer}`], installDir);
  takeGitDependenciesFromRegistry(vscodeDir);
  npm(['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  npm(['rebuild', '@vscode/spdlog', 'node-pty', '@parcel/watcher', 'native-watchdog'], vscodeDir, { npm_config_yes: 'true' });
  const asar = path.join(vscodeDir, 'node_modules.asar');
  fs.rmSync(asar, { force: true });
  fs.symlinkSync('node_modules', asar);
  npm(['rebuild', 'argon2'], installDir);
  linkRipgrep(vscodeDir);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  print(`Installed code-server ${version.codeServer} (VS Code ${version.vscode}) in ${Math.round((Date.now() - started) / 1000)} s.`);
}

/**
 * Some VS Code builds pin a dependency to a GitHub commit in their npm-shrinkwrap.json (code-server
 * 4.96.4: @vscode/proxy-agent 0.27.0), which cannot be fetched where only the npm registry is
 * reachable. Such an entry is pointed at the same name and version on the registry.
 */
function takeGitDependenciesFromRegistry(vscodeDir: string): void {
  const file = path.join(vscodeDir, 'npm-shrinkwrap.json');
  if (!fs.existsSync(file)) return;
  const shrinkwrap = JSON.parse(fs.readFileSync(file, 'utf8')) as { packages?: Record<string, { version?: string; resolved?: string; integrity?: string }> };
  let changed = false;
  for (const [key, entry] of Object.entries(shrinkwrap.packages ?? {})) {
    if (!entry.resolved || !/^git\+|github\.com/.test(entry.resolved) || !entry.version) continue;
    const name = key.replace(/^.*node_modules\//, '');
    const view = spawnSync('npm', ['view', `${name}@${entry.version}`, 'dist.tarball', 'dist.integrity', '--json'], { encoding: 'utf8' });
    if (view.status !== 0) throw new Error(`${name}@${entry.version} is pinned to ${entry.resolved} and is not on the npm registry either:\n${view.stderr}`);
    const dist = JSON.parse(view.stdout) as { 'dist.tarball': string; 'dist.integrity': string };
    entry.resolved = dist['dist.tarball'];
    entry.integrity = dist['dist.integrity'];
    changed = true;
  }
  if (changed) fs.writeFileSync(file, JSON.stringify(shrinkwrap, null, 2));
}

/**
 * VS Code searches with ripgrep, which @vscode/ripgrep downloads from GitHub at install time; the
 * distribution's ripgrep (Debian: `apt-get install ripgrep`) stands in for it when there is one.
 */
function linkRipgrep(vscodeDir: string): void {
  const target = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  const system = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  if (!system || fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(system, target);
}

export interface CodeServerOptions {
  /** Environment for the server and the extension hosts it starts. */
  env?: NodeJS.ProcessEnv;
  /** User settings (settings.json) for this run. */
  settings?: Record<string, unknown>;
  /** Reuse this user data folder instead of a fresh temporary one. */
  userDataDir?: string;
  port?: number;
  /**
   * VS Code's display language (`--locale`). VS Code takes a language only from an installed language
   * pack, which cannot be downloaded here: a stand-in pack that translates none of VS Code's own text
   * is written into the user data folder, so the workbench stays English and the extension's own
   * bundles (package.nls.<locale>.json, media/l10n/bundle.l10n.<locale>.json) are what is tested.
   */
  locale?: string;
  /** Which VS Code Server (default: the current one). */
  host?: HostVersion;
}

export interface CodeServer {
  /** The VS Code this server carries. */
  readonly host: HostVersion;
  readonly origin: string;
  readonly port: number;
  readonly userDataDir: string;
  /** What the server printed so far (for diagnostics when a run fails). */
  output(): string;
  /** The workbench URL that opens `folder` with an extension under development and, optionally, a test module. */
  workbenchUrl(options: { folder: string; extensionDevelopmentPath: string; extensionTestsPath?: string }): string;
  close(): Promise<void>;
}

const DEFAULT_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.openRepositoryInParentFolders': 'never',
};

export const EXTENSION_ID = 'concur-api-explorer.concur-api-explorer';

/** A language pack for `locale` with no translations of VS Code itself, and the index VS Code reads packs from. */
function installStandInLanguagePack(userDataDir: string, locale: string): void {
  const id = `concur-tests.stand-in-language-pack-${locale}`;
  const folder = path.join(userDataDir, 'extensions', `${id}-0.0.1`);
  const translations = path.join(folder, 'translations', 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify({
      name: `stand-in-language-pack-${locale}`,
      publisher: 'concur-tests',
      version: '0.0.1',
      engines: { vscode: '^1.96.0' },
      contributes: { localizations: [{ languageId: locale, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
    }),
  );
  fs.writeFileSync(
    path.join(userDataDir, 'languagepacks.json'),
    JSON.stringify({ [locale]: { hash: `stand-in-${locale}`, extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }], translations: { vscode: translations }, label: locale } }),
  );
}

/**
 * VS Code asks the user once before it hands an extension a session from another extension's
 * AuthenticationProvider, and refuses to show that dialog while extension tests run. The test
 * hosts therefore carry that one consent the way VS Code pre-trusts its own extensions: the
 * product configuration's `trustedExtensionAuthAccess`. The suite can then call
 * `vscode.authentication.getSession('concur', …)` through VS Code for real.
 */
export function trustExtensionForAuth(productJsonPath: string): void {
  const product = JSON.parse(fs.readFileSync(productJsonPath, 'utf8')) as { trustedExtensionAuthAccess?: string[] | Record<string, string[]> };
  const trusted = product.trustedExtensionAuthAccess;
  if (Array.isArray(trusted) || trusted === undefined) {
    if (trusted?.includes(EXTENSION_ID)) return;
    product.trustedExtensionAuthAccess = [...(trusted ?? []), EXTENSION_ID];
  } else {
    if (trusted.concur?.includes(EXTENSION_ID)) return;
    trusted.concur = [...(trusted.concur ?? []), EXTENSION_ID];
  }
  fs.writeFileSync(productJsonPath, JSON.stringify(product, null, '\t'));
}

/** The web workbench has its product configuration built in; the same one consent goes there. */
function trustExtensionInWorkbench(vscodeDir: string): void {
  const workbench = path.join(vscodeDir, 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js');
  const text = fs.readFileSync(workbench, 'utf8');
  if (text.includes(`trustedExtensionAuthAccess:["${EXTENSION_ID}"`)) return;
  const patched = text.replace('trustedExtensionAuthAccess:[', `trustedExtensionAuthAccess:["${EXTENSION_ID}",`);
  if (patched === text) throw new Error(`Could not find the product configuration in ${workbench}`);
  fs.writeFileSync(workbench, patched);
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const host = options.host ?? CURRENT_HOST;
  if (!codeServerInstalled(host)) installCodeServer(console.log, host);
  const { vscodeDir, entry } = hostPaths(host);
  trustExtensionForAuth(path.join(vscodeDir, 'product.json'));
  trustExtensionInWorkbench(vscodeDir);
  linkRipgrep(vscodeDir);
  const temporary = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'concur-vscode-'));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (temporary || !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2));
  }
  // An explicit config file keeps code-server from writing one into the user's home folder.
  const config = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(config, 'auth: none\n');

  if (options.locale) installStandInLanguagePack(userDataDir, options.locale);
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      entry,
      '--config', config,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userDataDir,
      '--extensions-dir', path.join(userDataDir, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.locale ? ['--locale', options.locale] : []),
    ],
    // Its own process group, so that closing also ends the extension hosts it forks.
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `code-server exited (${signal ?? code})`));

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    killGroup(child, 'SIGKILL');
    if (temporary) fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitFor(
      'code-server to listen',
      async () => {
        if (exited) throw new Error(`${exited} before it listened:\n${output}`);
        try {
          const res = await fetch(`${origin}/healthz`);
          return res.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      60_000,
    );
  } catch (error) {
    await close();
    throw error;
  }

  const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  return {
    host,
    origin,
    port,
    userDataDir,
    output: () => output,
    workbenchUrl({ folder, extensionDevelopmentPath, extensionTestsPath }) {
      const payload: [string, string][] = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      return `${origin}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    close,
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
