import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { clearNotifications, labelOf, readLog, signInToMock, signOutEverything, testingApi, type TestingApi, type TreeNode, waitUntil, walkTree } from '../helpers';

type PickItem = vscode.QuickPickItem & { environment?: string | null };

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
/** Markdown as read: VS Code escapes text (blanks as &nbsp;, punctuation with \\). */
const plain = (markdown: string): string => markdown.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');

describe('Request file environments: the picker, the sources, the variables', () => {
  const calls = (): MockConcur['requests'] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks');
  let mock: MockConcur;
  let api: TestingApi;
  let workspace: string;
  let folder: string;
  /** What the quick pick offered, and which label the test picks. */
  let offered: PickItem[][] = [];
  let choose: string | undefined;

  const open = async (name: string, text: string, where = folder): Promise<vscode.TextDocument> => {
    const file = path.join(where, name);
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    return doc;
  };
  const hoverText = async (doc: vscode.TextDocument, position: vscode.Position): Promise<string> => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
    return plain(hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n'));
  };
  /** Clicks the status bar item (runs its command), answering the quick pick with `label`. */
  const pickFromStatusBar = async (label: string): Promise<unknown> => {
    choose = label;
    const command = api.requestEnvironments.statusBarState.command;
    assert.equal(command, 'concur.selectRequestEnvironment');
    return vscode.commands.executeCommand(command);
  };

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    await signInToMock(mock, 'password');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the test host opens a workspace folder');
    workspace = root;
    folder = fs.mkdtempSync(path.join(workspace, 'envs-'));
    fs.writeFileSync(path.join(folder, 'http-client.env.json'), JSON.stringify({ $schema: 'https://example.test/env.schema.json', dev: { country: 'FR', apiKey: 'dev-key-123456' }, prod: { country: 'DE' } }, null, 2));
    fs.writeFileSync(path.join(folder, 'http-client.private.env.json'), JSON.stringify({ prod: { country: 'US', apiKey: 'prod-private-key-98765' } }, null, 2));
    api.requestEnvironments.showPick = async (items) => {
      offered.push(items);
      return items.find((i) => i.label === choose);
    };
  });

  after(async () => {
    await vscode.commands.executeCommand('concur.selectRequestEnvironment', '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
    await signOutEverything(api);
    await mock.close();
  });

  beforeEach(() => {
    offered = [];
  });

  it('switches from the status bar item: lists the environments with their files, sends the chosen one\'s values, and keeps only the name per workspace', async () => {
    const doc = await open('countries.http', 'GET /localities/v5/countries/{{country}}?k={{apiKey}}\n');
    await waitUntil('the environment in the status bar', () => api.requestEnvironments.statusBarState.visible && api.requestEnvironments.statusBarState.text === '$(server-environment) No Environment');
    await waitUntil('the unknown-variable warnings without an environment', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'unknown-variable').length === 2);

    assert.equal(await pickFromStatusBar('dev'), 'dev');
    assert.equal(api.requestEnvironments.statusBarState.text, '$(server-environment) dev');
    const relative = path.basename(folder);
    assert.deepEqual(
      offered[0].map((i) => `${i.label} | ${i.description ?? ''}`),
      [
        'No Environment | $(check) chosen',
        `dev | ${relative}/http-client.env.json`,
        `prod | ${relative}/http-client.env.json, ${relative}/http-client.private.env.json`,
      ],
    );
    // Only the name is kept, and for this workspace.
    assert.equal(api.workspaceState.get('concur.requestEnvironment'), 'dev');
    assert.equal(api.globalState.get('concur.requestEnvironment'), undefined);
    assert.ok(!JSON.stringify(api.workspaceState.keys().map((k) => api.workspaceState.get(k))).includes('dev-key-123456'));
    await waitUntil('the warnings to go once the environment defines the names', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'unknown-variable'));

    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(calls().map((r) => [r.path, r.query.k, r.status]), [['/localities/v5/countries/FR', 'dev-key-123456', 200]]);

    // prod: the private file's values win over the public file's.
    assert.equal(await pickFromStatusBar('prod'), 'prod');
    const second = offered[offered.length - 1];
    assert.ok(!second.find((i) => i.label === 'prod')?.description?.startsWith('$(check) chosen'), 'dev was chosen when the list opened');
    assert.equal(second.find((i) => i.label === 'dev')?.description, `$(check) chosen · ${relative}/http-client.env.json`);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(calls().map((r) => [r.path, r.query.k, r.status]), [['/localities/v5/countries/US', 'prod-private-key-98765', 200]]);
    // A private value is kept out of view like $processEnv's: not in the history view, a tab title or the log.
    const history = await walkTree(api.history as unknown as vscode.TreeDataProvider<TreeNode>);
    const titles = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    const shown = [...titles, ...history.map(({ item }) => `${labelOf(item)} ${String(item.description ?? '')} ${item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '')}`), readLog(api)];
    assert.ok(!shown.some((t) => t.includes('prod-private-key-98765')), 'the private value is shown');

    // What a new window of this workspace starts with: the name in workspaceState.
    await api.workspaceState.update('concur.requestEnvironment', 'dev');
    assert.equal(api.requestEnvironments.selected, 'dev');

    // No Environment: the names are unknown again, and the request says so instead of going out.
    await vscode.window.showTextDocument(doc);
    assert.equal(await pickFromStatusBar('No Environment'), undefined);
    assert.equal(api.requestEnvironments.selected, undefined);
    assert.equal(api.workspaceState.get('concur.requestEnvironment'), undefined);
    assert.equal(api.requestEnvironments.statusBarState.text, '$(server-environment) No Environment');
    await clearNotifications();
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(calls(), []);
    await waitUntil('the message', () => api.messages.recent.some((m) => m.includes('Unknown variables {{country}}, {{apiKey}}') && m.includes('Select Request Environment')));
  });

  it('the status bar item shows only while a request file is active', async () => {
    await open('countries.http', 'GET /localities/v5/countries/FR\n');
    await waitUntil('the item', () => api.requestEnvironments.statusBarState.visible);
    const other = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# notes' });
    await vscode.window.showTextDocument(other);
    await waitUntil('the item to hide', () => !api.requestEnvironments.statusBarState.visible);
  });

  it('reads REST Client\'s setting ($shared, {{$shared name}}), and an Authorization header from the environment or from nowhere never stops the send', async () => {
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const before = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ 'rest-client.environmentVariables': { $shared: { version: 'v1', sharedAuth: 'Token abc' }, local: { version: 'v2', country: 'FR', token: '{{$shared sharedAuth}}' } } }, null, 2),
    );
    try {
      await waitUntil('VS Code to read the workspace settings', () => Boolean(vscode.workspace.getConfiguration('rest-client').get<Record<string, unknown>>('environmentVariables')?.local));
      await vscode.commands.executeCommand('concur.selectRequestEnvironment', 'local');
      const doc = await open(
        'auth.http',
        'GET /localities/v5/countries/{{country}}?v={{version}}\nAuthorization: {{token}}\n\n###\nGET /localities/v5/countries/DE?v={{version}}\nAuthorization: Bearer {{definedNowhere}}\n',
      );
      const names = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, doc.lineAt(0).text.indexOf('{{version') + 2));
      const version = names.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'version');
      assert.equal(version?.detail, 'Environment local · REST Client settings');
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendAllRequests', doc.uri);
      // Both went, with the session's token (the server answered 200), whatever the Authorization line said.
      assert.deepEqual(calls().map((r) => [r.path, r.query.v, r.status]), [
        ['/localities/v5/countries/FR', 'v2', 200],
        ['/localities/v5/countries/DE', 'v2', 200],
      ]);
      // With no environment, $shared still applies (REST Client's "No Environment").
      await vscode.commands.executeCommand('concur.selectRequestEnvironment', '');
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
      assert.deepEqual(calls().map((r) => [r.path, r.query.v, r.status]), [['/localities/v5/countries/DE', 'v1', 200]]);
    } finally {
      if (before === undefined) fs.rmSync(settingsFile, { force: true });
      else fs.writeFileSync(settingsFile, before);
      await waitUntil('the setting to go', () => !vscode.workspace.getConfiguration('rest-client').get<Record<string, unknown>>('environmentVariables')?.local);
    }
  });

  it('completion and hover say where a value comes from and never show one kept out of view', async () => {
    await vscode.commands.executeCommand('concur.selectRequestEnvironment', 'dev');
    process.env.CONCUR_TEST_HOVER_SECRET = 'hover-secret-5Tq9';
    try {
      const doc = await open('editing.http', '@local = {{country}}-x\nGET /x/{{country}}/{{apiKey}}/{{$processEnv CONCUR_TEST_HOVER_SECRET}}/{{$random.integer(1, 5)}}/{{local}}/{{\n');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, doc.lineAt(1).text.length));
      const byLabel = new Map(list.items.map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i]));
      for (const name of ['country', 'apiKey', 'local', '$guid', '$uuid', '$datetime', '$localDatetime', '$random.integer', '$random.alphanumeric', '$env.NAME', '$processEnv', '$dotenv', '$concur.accessToken']) assert.ok(byLabel.has(name), `${name} not offered`);
      assert.equal(byLabel.get('country')?.detail, `Environment dev · ${path.basename(folder)}/http-client.env.json`);
      assert.equal(byLabel.get('local')?.detail, 'File variable (line 1)');
      const documentation = (item?: vscode.CompletionItem): string => plain(item?.documentation instanceof vscode.MarkdownString ? item.documentation.value : String(item?.documentation ?? ''));
      assert.match(documentation(byLabel.get('apiKey')), /Value not shown \(14 characters\)/);
      assert.ok(!documentation(byLabel.get('apiKey')).includes('dev-key-123456'));
      assert.equal(byLabel.get('$random.integer')?.detail, '$random.integer(from, to)');

      const at = (needle: string): vscode.Position => new vscode.Position(1, doc.lineAt(1).text.indexOf(needle) + 3);
      const country = await hoverText(doc, at('{{country}}'));
      assert.match(country, /Environment dev/);
      assert.match(country, /FR/);
      const apiKey = await hoverText(doc, at('{{apiKey}}'));
      assert.match(apiKey, /Value not shown/);
      assert.ok(!apiKey.includes('dev-key-123456'));
      const processEnv = await hoverText(doc, at('{{$processEnv'));
      assert.match(processEnv, /CONCUR_TEST_HOVER_SECRET is set \(17 characters, not shown\)/);
      assert.ok(!processEnv.includes('hover-secret-5Tq9'));
      assert.match(await hoverText(doc, at('{{$random.integer')), /random integer/);
      assert.match(await hoverText(doc, at('{{local}}')), /File variable, defined in line 1/);
    } finally {
      delete process.env.CONCUR_TEST_HOVER_SECRET;
    }
  });

  it('a token or a secret written into a public env file is flagged there, with quick fixes: move it to the private file, or use the session', async () => {
    const secrets = fs.mkdtempSync(path.join(folder, 'secrets-'));
    const file = path.join(secrets, 'http-client.env.json');
    fs.writeFileSync(file, `{\n  "dev": {\n    "host": "https://dev.test",\n    "password": "hunter2-secret",\n    "auth": "Bearer ${JWT}"\n  }\n}\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await waitUntil('the warnings', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'environment-secret').length === 2);
    const [password, auth] = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'environment-secret').sort((a, b) => a.range.start.line - b.range.start.line);
    assert.match(password.message, /"password" looks like a secret written into http-client\.env\.json.*http-client\.private\.env\.json/);
    assert.match(auth.message, /looks like a token.*\{\{\$concur\.accessToken\}\}/);

    const fixes = async (diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const passwordFixes = await fixes(password);
    assert.deepEqual(passwordFixes.map((a) => a.title), ['Move to http-client.private.env.json']);
    assert.ok(passwordFixes[0].edit && (await vscode.workspace.applyEdit(passwordFixes[0].edit)));
    const privateUri = vscode.Uri.file(path.join(secrets, 'http-client.private.env.json'));
    const privateDoc = await vscode.workspace.openTextDocument(privateUri);
    assert.deepEqual(JSON.parse(privateDoc.getText()), { dev: { password: 'hunter2-secret' } });
    assert.ok(!doc.getText().includes('hunter2-secret'));
    assert.deepEqual(Object.keys((JSON.parse(doc.getText()) as { dev: Record<string, string> }).dev), ['host', 'auth']);

    await waitUntil('the one warning left', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'environment-secret').length === 1);
    const authDiagnostic = vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'environment-secret');
    assert.ok(authDiagnostic);
    const authFixes = await fixes(authDiagnostic);
    assert.deepEqual(authFixes.map((a) => a.title).sort(), ['Move to http-client.private.env.json', 'Use the signed-in Concur session instead of this token']);
    const useSession = authFixes.find((a) => a.title.startsWith('Use the signed-in'));
    assert.ok(useSession?.edit && (await vscode.workspace.applyEdit(useSession.edit)));
    assert.match(doc.getText(), /"auth": "Bearer \{\{\$concur\.accessToken\}\}"/);
    await waitUntil('the warnings to go', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'environment-secret'));
    await privateDoc.save();
    await doc.save();
    assert.deepEqual(JSON.parse(fs.readFileSync(privateUri.fsPath, 'utf8')), { dev: { password: 'hunter2-secret' } });
  });

  it('"Save Requests to File" writes {{$processEnv NAME}} and {{$dotenv NAME}} back as references, not the values they stood for', async () => {
    const fromProcess = 'proc-secret-8Jd3Wq';
    const fromDotenv = 'dotenv-secret-2Xc7Vn';
    process.env.CONCUR_TEST_PLAIN_KEY = fromProcess;
    const plainFolder = fs.mkdtempSync(path.join(workspace, 'plain-'));
    fs.writeFileSync(path.join(plainFolder, '.env'), `CONCUR_TEST_DOTENV=${fromDotenv}\n`);
    await vscode.commands.executeCommand('concur.selectRequestEnvironment', '');
    try {
      const doc = await open('plain.http', '@key = {{$processEnv CONCUR_TEST_PLAIN_KEY}}\nGET /localities/v5/countries/FR?p={{key}}&d={{$dotenv CONCUR_TEST_DOTENV}}\nX-Api-Key: {{$processEnv CONCUR_TEST_PLAIN_KEY}}\n', plainFolder);
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      assert.deepEqual(calls().map((r) => [r.path, r.query]), [['/localities/v5/countries/FR', { p: fromProcess, d: fromDotenv }]]);
      const target = vscode.Uri.file(path.join(plainFolder, 'saved.http'));
      await vscode.commands.executeCommand('concur.saveRequestsToFile', [api.requests.entries[0].id], target);
      const text = fs.readFileSync(target.fsPath, 'utf8');
      for (const secret of [fromProcess, fromDotenv]) assert.ok(!text.includes(secret), `the value ${secret} is written:\n${text}`);
      assert.ok(text.includes('GET /localities/v5/countries/FR?p={{$processEnv CONCUR_TEST_PLAIN_KEY}}&d={{$dotenv CONCUR_TEST_DOTENV}}'), text);
      assert.match(text, /^X-Api-Key: \{\{\$processEnv CONCUR_TEST_PLAIN_KEY\}\}$/m);
    } finally {
      delete process.env.CONCUR_TEST_PLAIN_KEY;
      fs.rmSync(plainFolder, { recursive: true, force: true });
    }
  });

  it('"Save Requests to File" and "Open as Request File" write {{$processEnv}}, {{$dotenv}} and the environment\'s variables back as references, never their values', async () => {
    const fromProcess = 'proc-secret-4Fq8Lz';
    const fromDotenv = 'dotenv-secret-9Hw2Rt';
    process.env.CONCUR_TEST_SAVE_KEY = fromProcess;
    fs.writeFileSync(path.join(folder, '.env'), `CONCUR_TEST_DOTENV=${fromDotenv}\n`);
    await vscode.commands.executeCommand('concur.selectRequestEnvironment', 'dev');
    try {
      const doc = await open(
        'save.http',
        '@key = {{$processEnv CONCUR_TEST_SAVE_KEY}}\n# @name saved\nGET /localities/v5/countries/{{country}}?p={{key}}&d={{$dotenv CONCUR_TEST_DOTENV}}&e={{apiKey}}\nX-Api-Key: {{$processEnv CONCUR_TEST_SAVE_KEY}}\n',
      );
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      assert.deepEqual(calls().map((r) => [r.path, r.query]), [['/localities/v5/countries/FR', { p: fromProcess, d: fromDotenv, e: 'dev-key-123456' }]]);
      const entry = api.requests.entries[0];
      assert.equal(entry.sent?.url.includes(fromProcess), true, 'sent as written');
      const responseTab = vscode.window.activeTextEditor?.document.uri;
      assert.equal(responseTab?.scheme, 'concur-response');

      const target = vscode.Uri.file(path.join(folder, 'saved.http'));
      await vscode.commands.executeCommand('concur.saveRequestsToFile', [entry.id], target);
      const opened = await vscode.commands.executeCommand<vscode.Uri>('concur.openAsRequestFile', { historyId: entry.id });
      const fromTab = await vscode.commands.executeCommand<vscode.Uri>('concur.openAsRequestFile', responseTab);
      for (const [what, text] of [
        ['saved', fs.readFileSync(target.fsPath, 'utf8')],
        ['opened from the history', (await vscode.workspace.openTextDocument(opened)).getText()],
        ['opened from the response tab', (await vscode.workspace.openTextDocument(fromTab)).getText()],
      ] as const) {
        for (const secret of [fromProcess, fromDotenv, 'dev-key-123456']) assert.ok(!text.includes(secret), `${what}: the value ${secret} is written`);
        assert.ok(text.includes('GET /localities/v5/countries/{{country}}?p={{$processEnv CONCUR_TEST_SAVE_KEY}}&d={{$dotenv CONCUR_TEST_DOTENV}}&e={{apiKey}}'), `${what}:\n${text}`);
        assert.match(text, /^X-Api-Key: \{\{\$processEnv CONCUR_TEST_SAVE_KEY\}\}$/m, what);
      }
      // The saved file sends the same request again.
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', target, 0);
      assert.deepEqual(calls().map((r) => [r.path, r.query]), [['/localities/v5/countries/FR', { p: fromProcess, d: fromDotenv, e: 'dev-key-123456' }]]);
    } finally {
      delete process.env.CONCUR_TEST_SAVE_KEY;
      fs.rmSync(path.join(folder, '.env'), { force: true });
    }
  });
});
