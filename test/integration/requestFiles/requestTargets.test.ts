import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { scriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { clearNotifications, readLog, signInToMock, signOutEverything, testingApi, type TestingApi, waitUntil } from '../helpers';

interface Lens {
  range: vscode.Range;
  command?: { title: string; command: string; arguments?: unknown[] };
}

/**
 * A request the resolver or the header check would refuse is said in the editor as it is written —
 * a diagnostic on the part the user wrote, naming the variable and where it is defined, and a lens
 * that says it is not sent — and on Send it is refused with the same words, before any progress,
 * question or request it depends on.
 */
describe('Request files: refused targets said while writing, and on Send before anything shows as sent', () => {
  const calls = (): string[] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks').map((r) => `${r.method} ${r.path}`);
  let mock: MockConcur;
  let other: ScriptedServer;
  let api: TestingApi;
  let folder: string;
  let otherHost: string;

  const write = async (name: string, text: string): Promise<vscode.TextDocument> => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    return doc;
  };
  const refusals = (doc: vscode.TextDocument): vscode.Diagnostic[] => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'refused-target' || (d.code === 'request-header' && d.severity === vscode.DiagnosticSeverity.Error));
  const lensTitles = async (doc: vscode.TextDocument): Promise<string[]> =>
    (await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', doc.uri)).sort((a, b) => a.range.start.line - b.range.start.line).map((l) => l.command?.title ?? '');

  /** Records the progress notifications opened while `work` runs. */
  const progressDuring = async (work: () => PromiseLike<unknown>): Promise<string[]> => {
    const titles: string[] = [];
    const withProgress = vscode.window.withProgress;
    (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = (options, task) => {
      titles.push(String(options.title));
      return withProgress(options, task);
    };
    try {
      await work();
    } finally {
      (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = withProgress;
    }
    return titles;
  };

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    other = await scriptedServer(() => ({ status: 200, body: { stolen: true } }));
    otherHost = `127.0.0.1:${other.port}`;
    api = await testingApi();
    await signInToMock(mock, 'password');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the test host opens a workspace folder');
    folder = fs.mkdtempSync(path.join(workspace, 'targets-'));
    fs.writeFileSync(path.join(folder, 'http-client.env.json'), JSON.stringify({ dev: { base: other.url } }, null, 2));
    fs.writeFileSync(path.join(folder, 'http-client.private.env.json'), JSON.stringify({ dev: { mirror: `//${otherHost}/x?k=private-secret-4567` } }, null, 2));
    fs.writeFileSync(path.join(folder, '.env'), `STEAL_TO=//${otherHost}/y?k=dotenv-secret-8901\n`);
    await vscode.commands.executeCommand('concur.selectRequestEnvironment', 'dev');
  });

  after(async () => {
    await vscode.commands.executeCommand('concur.selectRequestEnvironment', '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
    await signOutEverything(api);
    await other.close();
    await mock.close();
  });

  it('marks each refused target where it is written, names the variable and where it is defined, and its lens says it is not sent', async () => {
    const text = [
      `@target = http://${otherHost}/steal`,
      '@via = {{base}}/steal',
      '',
      `GET //${otherHost}/x`,
      '',
      '###',
      'GET {{target}}',
      '',
      '###',
      'GET {{via}}?page=1',
      '',
      '###',
      'GET {{$dotenv STEAL_TO}}',
      '',
      '###',
      'GET /profile/v1/me',
      'Host: {{base}}',
      '',
      '###',
      'GET /profile/v1/me',
    ].join('\n');
    const doc = await write('refused.http', text);
    await waitUntil('the refused targets', () => refusals(doc).length === 5);
    const byLine = new Map(refusals(doc).map((d) => [d.range.start.line, d]));
    const at = (line: number): { marked: string; message: string } => {
      const d = byLine.get(line);
      assert.ok(d, `no diagnostic on line ${line + 1}: ${[...byLine.keys()].join(', ')}`);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      return { marked: doc.getText(d.range), message: d.message };
    };
    // A path that names a host: the whole of what was written.
    assert.equal(at(3).marked, `//${otherHost}/x`);
    assert.match(at(3).message, new RegExp(`names another host \\(${otherHost.replace(/\./g, '\\.')}\\)`));
    // A file variable: on {{target}}, naming it and its line.
    assert.equal(at(6).marked, '{{target}}');
    assert.match(at(6).message, new RegExp(`^Refused target from \\{\\{target\\}\\} \\(file variable, line 1\\): The access token is only sent to this session's hosts \\(.*\\), not to ${otherHost.replace(/\./g, '\\.')}\\.`));
    // Through a file variable to the environment that gives the host.
    assert.equal(at(9).marked, '{{via}}');
    assert.match(at(9).message, new RegExp(`^Refused target from \\{\\{via\\}\\} \\(file variable, line 2\\) → \\{\\{base\\}\\} \\(environment "dev", ${path.basename(folder)}/http-client\\.env\\.json\\): `));
    // .env: named by its file; the value, a secret, is not shown.
    assert.equal(at(12).marked, '{{$dotenv STEAL_TO}}');
    assert.match(at(12).message, new RegExp(`^Refused target from \\{\\{\\$dotenv STEAL_TO\\}\\} \\(${path.basename(folder)}/\\.env\\): `));
    assert.doesNotMatch(at(12).message, /dotenv-secret-8901/);
    // A Host header from a variable, judged against the URL the session resolves.
    assert.equal(at(16).marked, '{{base}}');
    assert.match(at(16).message, /^Refused Host header from \{\{base\}\} \(environment "dev", .*\): The Host header names/);

    const lenses = await lensTitles(doc);
    const sendable = lenses.filter((t) => t === '$(play) Send Request').length;
    assert.equal(sendable, 1, lenses.join(' | '));
    assert.deepEqual(
      lenses.filter((t) => t.startsWith('$(error) Not sent')).map((t) => /fix line (\d+)/.exec(t)?.[1]),
      ['4', '7', '10', '13', '17'],
    );
    assert.ok(lenses.some((t) => t.startsWith('$(error) Not sent: fix line 7 (Refused target from {{target}}')), lenses.join(' | '));
  });

  it('Send Request, Send All and the Testing view refuse it with the same words: no progress, no question, no request it depends on, nothing sent', async () => {
    const text = [
      '# @name me',
      'GET /profile/v1/me',
      '',
      '###',
      '# @note Really?',
      '# @expect status 200',
      `GET //${otherHost}/users/{{me.response.body.$.id}}`,
      '',
      '###',
      '# @expect status 200',
      'GET {{mirror}}',
    ].join('\n');
    const doc = await write('send-refused.http', text);
    await waitUntil('the refusals', () => refusals(doc).length === 2);
    const asked: string[] = [];
    const ask = api.messages.ask;
    api.messages.ask = async (message, _detail, ...actions) => {
      asked.push(message);
      return actions[0];
    };
    try {
      await clearNotifications();
      mock.resetLog();
      let shown = api.messages.shownCount;
      const titles = await progressDuring(async () => {
        await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
        await waitUntil('the refusal on Send', () => api.messages.shownCount > shown);
        const refusal = api.messages.recent[api.messages.recent.length - 1];
        assert.match(refusal, new RegExp(`^Line 7's request is not sent\\. "//${otherHost.replace(/\./g, '\\.')}/users/" names another host`));
        shown = api.messages.shownCount;
        await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 2);
        await waitUntil('the second refusal', () => api.messages.shownCount > shown);
        const named = api.messages.recent[api.messages.recent.length - 1];
        assert.match(named, /^Line 11's request is not sent\. Refused target from \{\{mirror\}\} \(environment "dev", .*http-client\.private\.env\.json\): /);
        assert.doesNotMatch(named, /private-secret-4567/);
        // The Testing view runs both: each errors with the refusal, nothing goes.
        await vscode.commands.executeCommand('concur.runRequestFileTests', doc.uri);
      });
      assert.deepEqual(titles, [], 'a progress notification opened for a request that is never sent');
      assert.deepEqual(asked, [], 'the # @note was asked for a request that is refused');
      assert.deepEqual(calls(), [], 'the request it depends on was sent for a request that is refused');
      const outcome = api.requestTests.outcomes.get(`${doc.uri.toString()}#2`);
      assert.equal(outcome?.state, 'errored');
      assert.match((outcome?.messages ?? []).join('\n'), /Refused target from \{\{mirror\}\}/);
      assert.doesNotMatch(readLog(api), /private-secret-4567|dotenv-secret-8901/);

      // Send All stops at the first refused request, after sending the ones before it, with no progress for it.
      mock.resetLog();
      const all = await progressDuring(() => vscode.commands.executeCommand('concur.sendAllRequests', doc.uri));
      assert.deepEqual(calls(), ['GET /profile/v1/me']);
      assert.deepEqual(all, ['Concur: GET /profile/v1/me']);
    } finally {
      api.messages.ask = ask;
    }
    assert.deepEqual(other.requests, []);
    await clearNotifications();
  });

  it('a value from a # @prompt is judged once given, and a refusal then names it', async () => {
    const doc = await write('prompted.http', '# @prompt where The address\nGET {{where}}/x\n');
    await waitUntil('its lens', async () => (await lensTitles(doc)).includes('$(play) Send Request'));
    assert.deepEqual(refusals(doc), [], 'a value not asked yet is judged');
    const input = api.requestFiles.input;
    api.requestFiles.input = async () => `//${otherHost}`;
    try {
      mock.resetLog();
      const shown = api.messages.shownCount;
      const titles = await progressDuring(() => vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0));
      await waitUntil('the refusal', () => api.messages.shownCount > shown);
      assert.match(api.messages.recent[api.messages.recent.length - 1], /^Line 2's request is not sent\. Refused target from \{\{where\}\} \(# @prompt, line 1\): /);
      assert.deepEqual(titles, []);
    } finally {
      api.requestFiles.input = input;
    }
    assert.deepEqual(other.requests, []);
    await clearNotifications();
  });

  it('without a session, only what every session refuses is said; signed in again, the rest is judged for the session', async () => {
    const doc = await write('signed-out.http', `GET https://other.example/x\n\n###\nGET //${otherHost}/x\n\n###\nGET /profile/v1/me\n`);
    await waitUntil('the session-dependent refusal', () => refusals(doc).length === 2);
    await signOutEverything(api);
    try {
      await waitUntil('only what every session refuses', () => refusals(doc).length === 1);
      const [left] = refusals(doc);
      assert.equal(left.range.start.line, 3);
      assert.match(left.message, /names a host/);
      assert.equal((await lensTitles(doc)).filter((t) => t === '$(play) Send Request').length, 2);
    } finally {
      await signInToMock(mock, 'password');
    }
    await waitUntil('judged for the session again', () => refusals(doc).length === 2);
  });
});
