/**
 * The local Concur server from an installed .vsix, no clone: `npm run package` (in a copy of this
 * checkout, so that the dist/ the other tiers run is left as it is) puts dist/localConcur.js in the
 * package and nothing of src/ or test/; the packaged extension, activated from the unpacked files
 * against a stand-in `vscode`, loads none of the server, and its "Start Local Concur Server" command
 * requires dist/localConcur.js from the package and starts a server that answers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeContext, fakeVscode } from '../../bench/fakeVscode';
import { repoRoot } from '../../host/paths';
import { readZip } from '../../support/zip';

/** What `npm run package` reads from a checkout (node_modules is linked, not copied). */
const CHECKOUT = ['package.json', 'package-lock.json', 'package.nls.json', 'package.nls.de.json', '.vscodeignore', 'esbuild.mjs', 'tsconfig.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'src', 'media'];

describe('the .vsix: the local Concur server without a clone', function () {
  this.timeout(240_000);
  let work: string;
  let installed: string;
  let names: string[];

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-vsix-'));
    const checkout = path.join(work, 'checkout');
    fs.mkdirSync(checkout);
    for (const name of CHECKOUT) fs.cpSync(path.join(repoRoot, name), path.join(checkout, name), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'package'], { cwd: checkout, stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });
    const entries = readZip(fs.readFileSync(path.join(checkout, 'concur-api-explorer.vsix')));
    names = entries.map((e) => e.name);
    // Unpacked as VS Code installs it: the extension/ folder.
    installed = path.join(work, 'installed');
    for (const entry of entries.filter((e) => e.name.startsWith('extension/') && !e.name.endsWith('/'))) {
      const file = path.join(installed, entry.name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, entry.read());
    }
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('holds the server bundle beside the extension\'s, and no source or test file', () => {
    for (const bundle of ['extension.js', 'localConcur.js', 'openapi.js', 'undici.js', 'format-worker.js']) assert.ok(names.includes(`extension/dist/${bundle}`), `no dist/${bundle} in ${names.join(', ')}`);
    assert.deepEqual(names.filter((n) => /^extension\/(src|test|out|node_modules)\//.test(n) || n.endsWith('.ts') || n.endsWith('.map')), []);
  });

  it('activation loads none of the server; "Start Local Concur Server" requires dist/localConcur.js from the package and the server answers', async () => {
    const dist = path.join(installed, 'extension', 'dist');
    const vscode = fakeVscode() as Record<string, Record<string, unknown>>;
    const commands = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    vscode.commands.registerCommand = (id: string, handler: (...args: unknown[]) => Promise<unknown>) => {
      commands.set(id, handler);
      return { dispose() {} };
    };
    vscode.window.withProgress = (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) });
    vscode.window.showInformationMessage = async () => undefined;
    vscode.workspace.openTextDocument = async (uri: unknown) => ({ uri });
    vscode.languages.setTextDocumentLanguage = async (document: unknown) => document;
    vscode.window.showTextDocument = async () => undefined;
    const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
    const originalLoad = loader._load;
    loader._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === 'vscode') return vscode;
      return originalLoad.call(this, request, parent, isMain);
    };
    const inPackage = (bundle: string): boolean => Object.keys(require.cache).includes(path.join(dist, bundle));
    const context = fakeContext('vsix') as { subscriptions: { dispose(): unknown }[] };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(path.join(dist, 'extension.js')) as { activate(context: unknown): unknown };
      extension.activate(context);
      assert.ok(commands.has('concur.startLocalServer'), 'the command is not registered');
      assert.equal(inPackage('localConcur.js'), false, 'activation loaded dist/localConcur.js');

      const url = await commands.get('concur.startLocalServer')!();
      assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(inPackage('localConcur.js'), 'the command did not load dist/localConcur.js from the package');
      const jwks = await fetch(`${url}/oauth2/v0/jwks`);
      assert.equal(jwks.status, 200);
      assert.equal(((await jwks.json()) as { keys: unknown[] }).keys.length, 1);
      await commands.get('concur.stopLocalServer')!();
      await assert.rejects(fetch(`${url}/oauth2/v0/jwks`));
    } finally {
      loader._load = originalLoad;
      for (const d of context.subscriptions.splice(0).reverse()) {
        try {
          d.dispose();
        } catch {
          // a stand-in's disposable
        }
      }
      for (const key of Object.keys(require.cache)) if (key.startsWith(dist)) delete require.cache[key];
    }
  });
});
