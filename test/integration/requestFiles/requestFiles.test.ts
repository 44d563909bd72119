import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { clearNotifications, extension, labelOf, readLog, signInToMock, signOutEverything, testingApi, type TestingApi, type TreeNode, waitUntil, walkTree } from '../helpers';

const FILE = `# Requests kept in the repository: the signed-in Concur session is used by reference.
@country = FR

### My profile
# @name me
# @expect status 200
# @expect header content-type application/json
# @expect $.id exists
GET /profile/v1/me

### The user's receipts, by the id the profile answered
# @name receipts
# @expect status 200
# @expect $.receipts exists
GET /receipts/v4/users/{{me.response.body.$.id}}

### The token by reference only: it is put in at send time, never into this file
# @name country
# @expect status 201
GET /localities/v5/countries/{{country}}
Authorization: Bearer {{$concur.accessToken}}
`;

interface Lens {
  command?: { title: string; command: string; arguments?: unknown[] };
}

describe('Request files (.http) sent with the signed-in session', () => {
  const calls = (): string[] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks').map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`);
  let mock: MockConcur;
  let api: TestingApi;
  let folder: string;

  const write = async (name: string, text: string): Promise<vscode.TextDocument> => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    return doc;
  };

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    await signInToMock(mock, 'password');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the test host opens a workspace folder');
    folder = fs.mkdtempSync(path.join(workspace, 'requests-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
    await signOutEverything(api);
    await mock.close();
  });

  it('opens as the http language with Send Request, Send All and Copy as cURL lenses, and sends a request through its lens to the session\'s host', async () => {
    const doc = await write('profile.http', FILE);
    assert.equal(doc.languageId, 'http');
    const lenses = await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('$(run-all) Send All (3)'), titles.join(' | '));
    assert.equal(titles.filter((t) => t === '$(play) Send Request').length, 3);
    assert.equal(titles.filter((t) => t === 'Copy as cURL').length, 3);

    mock.resetLog();
    const send = lenses.find((l) => l.command?.title === '$(play) Send Request');
    assert.ok(send?.command);
    await vscode.commands.executeCommand(send.command.command, ...(send.command.arguments ?? []));
    assert.deepEqual(calls(), ['geo GET /profile/v1/me 200']);
    const tab = vscode.window.activeTextEditor?.document;
    assert.equal(tab?.uri.scheme, 'concur-response');
    assert.equal((JSON.parse(tab.getText()) as { id: string }).id, mock.demo.userId);
  });

  it('"Send All" sends every request in order; "Copy as cURL" writes $CONCUR_TOKEN, never the token', async () => {
    const doc = await write('all.http', FILE.replace('# @expect status 201\n', ''));
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendAllRequests', doc.uri);
    assert.deepEqual(calls(), ['geo GET /profile/v1/me 200', `geo GET /receipts/v4/users/${mock.demo.userId} 200`, 'geo GET /localities/v5/countries/FR 200']);
    const curl = await vscode.commands.executeCommand<string>('concur.copyRequestAsCurl', doc.uri, 2);
    assert.match(curl, /^curl -sS --globoff 'http:\/\/127\.0\.0\.1:\d+\/localities\/v5\/countries\/FR'/);
    assert.match(curl, /Authorization: Bearer \$CONCUR_TOKEN/);
    const session = api.sessions.sessions.find((s) => s.state === 'active');
    assert.ok(session && !curl.includes(session.accessToken));
    assert.equal(await vscode.env.clipboard.readText(), curl);
    await vscode.env.clipboard.writeText('');
  });

  it('chains: a request that uses another\'s answer sends that one first when it has not run in this window', async () => {
    const doc = await write('chained.http', FILE);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
    assert.deepEqual(calls(), ['geo GET /profile/v1/me 200', `geo GET /receipts/v4/users/${mock.demo.userId} 200`]);
    // Now it has run: only the request itself goes.
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
    assert.deepEqual(calls(), [`geo GET /receipts/v4/users/${mock.demo.userId} 200`]);
  });

  it('{{$concur.accessToken}} is put in only when sending: never in the document, a tab title, the history or the log', async () => {
    const doc = await write('token.http', FILE);
    const before = doc.getText();
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 2);
    assert.deepEqual(calls(), ['geo GET /localities/v5/countries/FR 200']);
    const session = api.sessions.sessions.find((s) => s.state === 'active');
    assert.ok(session);
    assert.equal(doc.getText(), before);
    assert.ok(!doc.isDirty);
    const titles = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    const history = JSON.stringify(api.requests.entries);
    for (const secret of [session.accessToken, session.refreshToken ?? '\u0000']) {
      assert.ok(!titles.some((t) => t.includes(secret)), 'a tab title holds the token');
      assert.ok(!history.includes(secret), 'the history holds the token');
      assert.ok(!readLog(api).includes(secret), 'the log holds the token');
      assert.ok(!fs.readFileSync(doc.uri.fsPath, 'utf8').includes(secret), 'the file holds the token');
    }
  });

  it('a value from the environment or .env is sent as written, and shown nowhere: not in a tab title, the history view, a notification or the log', async () => {
    const fromEnv = 'env-secret-7Q2x9KfR';
    const fromDotenv = 'dotenv-secret-3Lm8Zp';
    process.env.CONCUR_TEST_API_KEY = fromEnv;
    fs.writeFileSync(path.join(folder, '.env'), `CONCUR_TEST_OTHER=${fromDotenv}\n`);
    try {
      const doc = await write('env.http', 'GET /localities/v5/countries/FR?k={{$processEnv CONCUR_TEST_API_KEY}}&d={{$dotenv CONCUR_TEST_OTHER}}\n');
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      const sent = mock.requests.filter((r) => r.path === '/localities/v5/countries/FR');
      assert.deepEqual(sent.map((r) => r.query), [{ k: fromEnv, d: fromDotenv }], 'sent as written');
      const titles = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
      assert.ok(titles.some((t) => t.includes('countries∕FR')), titles.join(' | '));
      const historyItems = await walkTree(api.history as unknown as vscode.TreeDataProvider<TreeNode>);
      const shown = [...titles, ...historyItems.map(({ item }) => `${labelOf(item)} ${String(item.description ?? '')} ${typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '')}`), readLog(api), ...api.messages.recent];
      for (const secret of [fromEnv, fromDotenv]) assert.ok(!shown.some((text) => text.includes(secret)), `${secret} is shown`);
      assert.ok(historyItems.some(({ item }) => `${labelOf(item)} ${String(item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? ''))}`.includes('«redacted»')), 'the history shows where the value stands');
    } finally {
      delete process.env.CONCUR_TEST_API_KEY;
      fs.rmSync(path.join(folder, '.env'), { force: true });
    }
  });

  it('runs the file\'s expectations in the Testing view: passes, and a failure at its own line', async () => {
    const doc = await write('expectations.http', FILE);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.runRequestFileTests', doc.uri);
    const id = (index: number): string => `${doc.uri.toString()}#${index}`;
    assert.deepEqual(api.requestTests.outcomes.get(id(0)), { state: 'passed' });
    assert.deepEqual(api.requestTests.outcomes.get(id(1)), { state: 'passed' });
    const failed = api.requestTests.outcomes.get(id(2));
    assert.equal(failed?.state, 'failed');
    assert.match((failed?.messages ?? []).join('\n'), /201.*200|200.*201/);
  });

  it('flags a token pasted into a file and fixes it with the session reference; flags unknown variables', async () => {
    const pasted = `GET /profile/v1/me\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl\n\n###\nGET /x/{{nowhere}}\n`;
    const doc = await write('pasted.http', pasted);
    await waitUntil('the diagnostics', () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'literal-token'));
    const diagnostics = vscode.languages.getDiagnostics(doc.uri);
    assert.ok(diagnostics.some((d) => d.code === 'unknown-variable' && d.message.includes('"nowhere"')));
    const literal = diagnostics.find((d) => d.code === 'literal-token');
    assert.ok(literal);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, literal.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Use the signed-in Concur session instead of this token');
    assert.ok(fix?.edit);
    await vscode.workspace.applyEdit(fix.edit);
    assert.doesNotMatch(doc.getText(), /eyJ/);
    assert.match(doc.getText(), /Authorization: Bearer \{\{\$concur\.accessToken\}\}/);
    await waitUntil('the warning to go', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'literal-token'));
    await doc.save();
  });

  it('"Open as Request File" writes a catalog entry and a history entry in this syntax, with the session by reference', async () => {
    const fromCatalog = await vscode.commands.executeCommand<vscode.Uri>('concur.openAsRequestFile', 'expense.v4.report');
    const catalogText = (await vscode.workspace.openTextDocument(fromCatalog)).getText();
    assert.match(catalogText, /^GET \/expensereports\/v4\/users\/\{\{\$concur\.sub\}\}\/context\/\{\{contextType\}\}\/reports\/\{\{reportId\}\}$/m);
    assert.match(catalogText, /^@contextType = TRAVELER$/m);
    assert.doesNotMatch(catalogText, /authorization/i);
    await clearNotifications();
    const entry = api.requests.entries[0];
    const fromHistory = await vscode.commands.executeCommand<vscode.Uri>('concur.openAsRequestFile', { historyId: entry.id });
    const historyText = (await vscode.workspace.openTextDocument(fromHistory)).getText();
    assert.match(historyText, new RegExp(`^${entry.request.method} /`, 'm'));
    const session = api.sessions.sessions.find((s) => s.state === 'active');
    assert.ok(session && !historyText.includes(session.accessToken));
    assert.doesNotMatch(historyText, /authorization/i);
  });

  it('the README\'s example file works against the local server: every expectation passes, the write after asking', async () => {
    const example = fs.readFileSync(path.join(extension().extensionPath, 'test', 'demo', 'requests.http'), 'utf8');
    const doc = await write('example.http', example);
    const ask = api.messages.ask;
    const asked: string[] = [];
    api.messages.ask = async (message, _detail, ...actions) => {
      asked.push(message);
      return actions[0];
    };
    try {
      mock.resetLog();
      await vscode.commands.executeCommand('concur.runRequestFileTests', doc.uri);
    } finally {
      api.messages.ask = ask;
    }
    const outcomes = [...api.requestTests.outcomes].filter(([id]) => id.startsWith(doc.uri.toString()));
    assert.equal(outcomes.length, 5);
    for (const [id, outcome] of outcomes) assert.equal(outcome.state, 'passed', `${id}: ${(outcome.messages ?? []).join('; ')}`);
    assert.deepEqual(asked.map((m) => m.replace(/ to .*/, '')), ['Send POST /list/v4/items']);
    assert.ok(calls().includes('geo POST /list/v4/items 201'));
  });

  it('"Save Requests to File" writes what was sent, in this syntax, without a token', async () => {
    const sent = api.requests.entries.filter((e) => e.sent).slice(0, 3);
    const target = vscode.Uri.file(path.join(folder, 'saved.http'));
    await vscode.commands.executeCommand('concur.saveRequestsToFile', sent.map((e) => e.id), target);
    const text = fs.readFileSync(target.fsPath, 'utf8');
    for (const entry of sent) assert.ok(text.includes(`${entry.request.method} ${new URL(entry.sent?.url ?? '').pathname}`), text);
    const session = api.sessions.sessions.find((s) => s.state === 'active');
    assert.ok(session && !text.includes(session.accessToken));
    assert.doesNotMatch(text, /authorization/i);
    const lenses = await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', target);
    assert.equal(lenses.filter((l) => l.command?.title === '$(play) Send Request').length, sent.length);
  });

  it('leaves Send Request to REST Client or httpYac when asked: concur.requestFiles.codeLens', async () => {
    const doc = await write('lenses.http', 'GET /profile/v1/me\n');
    const sendLenses = async (): Promise<number> =>
      (await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', doc.uri)).filter((l) => l.command?.title === '$(play) Send Request').length;
    assert.equal(await sendLenses(), 1, 'auto, with neither installed here: on');
    await vscode.workspace.getConfiguration('concur').update('requestFiles.codeLens', 'off', vscode.ConfigurationTarget.Global);
    try {
      await waitUntil('the lenses to go', async () => (await sendLenses()) === 0);
      // The commands stay: the palette still sends the request under the cursor.
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      assert.deepEqual(calls(), ['geo GET /profile/v1/me 200']);
    } finally {
      await vscode.workspace.getConfiguration('concur').update('requestFiles.codeLens', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitUntil('the lenses to come back', async () => (await sendLenses()) === 1);
  });

  it('completes methods, catalog paths, header names and variables, and shows a path\'s catalog entry on hover', async () => {
    const doc = await write('editing.http', '@country = FR\n# @name me\nGET /profile/v1/me\n\n###\nGET /localities/v5/countries/{{\nAcc\n');
    const labels = async (line: number, character: number): Promise<string[]> => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, character));
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    // Variables after {{: the file's, the built-in ones, and the named request's answer.
    const variables = await labels(5, doc.lineAt(5).text.length);
    for (const name of ['country', '$concur.sub', '$concur.accessToken', '$guid', 'me.response.body.$']) assert.ok(variables.includes(name), `${name} not offered: ${variables.join(', ')}`);
    // Header names below a request line.
    assert.ok((await labels(6, 3)).includes('Accept'));
    // Catalog paths after a method, with the token's sub as a variable.
    await vscode.window.activeTextEditor?.edit((e) => e.insert(new vscode.Position(7, 0), 'GET /receipts'));
    const paths = await labels(7, 13);
    assert.ok(paths.includes('/receipts/v4/users/{{$concur.sub}}'), paths.slice(0, 20).join(', '));
    assert.ok(!paths.some((p) => p.startsWith('/list/v4/items') && p.includes('POST')));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 8));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Profile v1: My profile/);
    assert.match(text, /user\\?\.read/);
    assert.match(text, /Deprecated by Concur since 2025\\?-05\\?-15/);
  });

  it('# @concur-session picks a session by its account or label, and names the sessions there are when it finds none', async () => {
    const session = api.sessions.sessions.find((s) => s.state === 'active');
    assert.ok(session);
    const doc = await write('session.http', `# @concur-session ${session.label.toUpperCase()}\nGET /profile/v1/me\n\n###\n# @concur-session nobody@example.com\nGET /profile/v1/me\n`);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(calls(), ['geo GET /profile/v1/me 200']);
    await clearNotifications();
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
    assert.deepEqual(calls(), []);
    await waitUntil('the message', () => api.messages.recent.some((m) => m.includes('No Concur session "nobody@example.com"') && m.includes(session.label)));
  });

  it('a URL in a file that names another server is refused before anything is sent, and that server gets nothing', async () => {
    const received: string[] = [];
    const other = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const spellings = [`//127.0.0.1:${port}/steal`, `http://127.0.0.1:${port}/steal`, `/\\127.0.0.1:${port}/steal`, 'https://concur.example.com/profile/v1/me', `{{host}}/steal`];
      const doc = await write('hostile.http', `@host = http://127.0.0.1:${port}\n${spellings.map((url) => `GET ${url}\n`).join('\n###\n')}`);
      for (let i = 0; i < spellings.length; i++) {
        await clearNotifications();
        mock.resetLog();
        const shown = api.messages.shownCount;
        await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, i);
        assert.deepEqual(calls(), [], spellings[i]);
        // Each one is refused with the resolver's reason, before anything is sent.
        await waitUntil(`the refusal of ${spellings[i]}`, () => api.messages.shownCount > shown);
        const refusal = api.messages.recent[api.messages.recent.length - 1];
        assert.doesNotMatch(refusal, /failed/i, refusal);
        assert.match(refusal, /host|backslash|only allowed for this machine/i, refusal);
      }
      assert.deepEqual(received, []);
    } finally {
      other.close();
    }
  });

  it('a Host line gets a diagnostic in the editor, and the request is refused before anything is sent; framing headers are flagged and left out', async () => {
    const doc = await write('host.http', 'GET /profile/v1/me\nHost: other.example\n\n###\nGET /profile/v1/me\nContent-Length: 0\nX-HTTP-Method-Override: DELETE\n');
    await waitUntil('the header diagnostics', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'request-header').length === 3);
    const flagged = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'request-header');
    const host = flagged.find((d) => d.range.start.line === 1);
    assert.ok(host, 'the Host line is flagged');
    assert.equal(host.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(host.range), 'Host');
    assert.match(host.message, /host in the URL/);
    assert.equal(flagged.find((d) => d.range.start.line === 5)?.severity, vscode.DiagnosticSeverity.Warning, 'Content-Length is left out');
    assert.equal(flagged.find((d) => d.range.start.line === 6)?.severity, vscode.DiagnosticSeverity.Error, 'a method override is refused');

    await clearNotifications();
    mock.resetLog();
    const shown = api.messages.shownCount;
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(calls(), [], 'nothing was sent');
    await waitUntil('the refusal', () => api.messages.shownCount > shown);
    assert.match(api.messages.recent[api.messages.recent.length - 1], /Host header names other\.example/);
    // Copy as cURL holds to the same rules.
    const before = api.messages.shownCount;
    await vscode.commands.executeCommand('concur.copyRequestAsCurl', doc.uri, 0);
    await waitUntil('the cURL refusal', () => api.messages.shownCount > before);
    // In the words Send uses, naming the line.
    assert.match(api.messages.recent[api.messages.recent.length - 1], /^Line 1's request is not copied as cURL\. The Host header names other\.example/);
    await clearNotifications();
  });
});

