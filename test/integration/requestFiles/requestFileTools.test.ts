/**
 * Request files written for the other tools, sent from the real VS Code to the local Concur server: a
 * multipart upload (written as REST Client writes it, and as a curl command from Concur's
 * documentation) arrives byte for byte; a request with an error is not sent; `# @note` asks first;
 * `# @prompt` asks for its values (masked for secrets) once per window; a file included from outside
 * the workspace folder is read only after the user says yes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { repoRoot } from '../../host/paths';
import { clearNotifications, signInToMock, signOutEverything, testingApi, waitUntil, type TestingApi } from '../helpers';

interface Lens {
  command?: { title: string; command: string; arguments?: unknown[] };
}

const CRLF = '\r\n';

describe('Request files from REST Client, httpYac and JetBrains, sent to Concur', () => {
  const calls = (): string[] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks').map((r) => `${r.method} ${r.path} ${r.status}`);
  let mock: MockConcur;
  let api: TestingApi;
  let folder: string;
  let ask: TestingApi['messages']['ask'];
  let input: TestingApi['requestFiles']['input'];
  const png = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'requestFiles', 'tools', 'files', '1.png'));

  const write = async (name: string, text: string): Promise<vscode.TextDocument> => {
    const file = path.join(folder, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    return doc;
  };
  /** Answers every modal question with its first action (Send), recording what was asked; `refuse` says which to decline. */
  const answer = (asked: string[], refuse: (message: string) => boolean = () => false): void => {
    api.messages.ask = async (message, _detail, ...actions) => {
      asked.push(message);
      return refuse(message) ? undefined : actions[0];
    };
  };

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    ask = api.messages.ask;
    input = api.requestFiles.input;
    await signInToMock(mock, 'password');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the test host opens a workspace folder');
    folder = fs.mkdtempSync(path.join(workspace, 'tool-requests-'));
    fs.mkdirSync(path.join(folder, 'files'));
    fs.writeFileSync(path.join(folder, 'files', 'receipt.png'), png);
  });

  afterEach(() => {
    api.messages.ask = ask;
    api.requestFiles.input = input;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
    await signOutEverything(api);
    await mock.close();
  });

  it('a multipart upload with a file part arrives byte for byte with CRLF line ends, written as REST Client writes it and as Concur\'s curl example', async () => {
    const doc = await write(
      'upload.http',
      [
        '### An image-only receipt, as REST Client writes a multipart upload',
        'POST /receipts/v4/users/{{$concur.sub}}/image-only-receipts',
        'Content-Type: multipart/form-data; boundary=receipt-boundary',
        '',
        '--receipt-boundary',
        'Content-Disposition: form-data; name="image"; filename="receipt.png"',
        'Content-Type: image/png',
        '',
        '< ./files/receipt.png',
        '--receipt-boundary--',
        '',
        '### The same from the curl command in Concur\'s Receipts documentation',
        'curl -v -X POST https://us.api.concursolutions.com/receipts/v4/users/{{$concur.sub}}/image-only-receipts \\',
        '-H "Authorization: Bearer {YOUR ACCESS TOKEN}" \\',
        '-H "Content-Type:multipart/form-data" \\',
        '-F "image=@./files/receipt.png;type=image/png"',
        '',
      ].join('\n'),
    );
    const asked: string[] = [];
    answer(asked);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    const uploaded = mock.requests.find((r) => r.path.endsWith('/image-only-receipts'));
    assert.equal(uploaded?.status, 202, calls().join(', '));
    const part = (boundary: string): Buffer =>
      Buffer.concat([
        Buffer.from([`--${boundary}`, 'Content-Disposition: form-data; name="image"; filename="receipt.png"', 'Content-Type: image/png', '', ''].join(CRLF)),
        png,
        Buffer.from(`${CRLF}--${boundary}--${CRLF}`),
      ]);
    assert.equal(uploaded?.contentType, 'multipart/form-data; boundary=receipt-boundary');
    assert.ok(uploaded?.body?.equals(part('receipt-boundary')), 'the body as sent');
    // The only question was the write confirmation: a file inside the workspace folder is read without asking.
    assert.deepEqual(asked.map((m) => m.replace(/ to .*/, '')), [`Send POST /receipts/v4/users/${mock.demo.userId}/image-only-receipts`]);

    // Concur's curl example names us.api.concursolutions.com, which is not this session's host: its lens
    // says so, and it is refused before anything is sent.
    const lenses = await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.equal(lenses.filter((l) => l.command?.title === '$(play) Send Request').length, 1);
    assert.ok(lenses.some((l) => /^\$\(error\) Not sent: fix line \d+ \(The access token is only sent to this session's hosts/.test(l.command?.title ?? '')), lenses.map((l) => l.command?.title).join(' | '));
    await clearNotifications();
    mock.resetLog();
    const shown = api.messages.shownCount;
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
    assert.deepEqual(calls(), []);
    await waitUntil('the refusal', () => api.messages.shownCount > shown);
    assert.match(api.messages.recent[api.messages.recent.length - 1], /host/i);
  });

  it('a curl command with the session\'s own URL sends its form part byte for byte', async () => {
    const doc = await write('curl.http', `curl -X POST ${mock.geoUrl}/receipts/v4/users/{{$concur.sub}}/image-only-receipts -H "Content-Type:multipart/form-data" -F "image=@./files/receipt.png;type=image/png"\n`);
    answer([]);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    const uploaded = mock.requests.find((r) => r.path.endsWith('/image-only-receipts'));
    assert.equal(uploaded?.status, 202, calls().join(', '));
    const boundary = /boundary=(.+)$/.exec(uploaded.contentType ?? '')?.[1];
    assert.ok(boundary);
    const expected = Buffer.concat([
      Buffer.from([`--${boundary}`, 'Content-Disposition: form-data; name="image"; filename="receipt.png"', 'Content-Type: image/png', '', ''].join(CRLF)),
      png,
      Buffer.from(`${CRLF}--${boundary}--${CRLF}`),
    ]);
    assert.ok(uploaded.body?.equals(expected));
  });

  it('a request with an error is not sent: its lens and the Send command name the line to fix; the others in the file are', async () => {
    const doc = await write(
      'errors.http',
      ['GET /profile/v1/me', 'this is not a header', '', '###', 'GET /localities/v5/countries', '?page=2', '', '###', '/* a comment that never closes', 'GET /profile/v1/me', '', '###', 'GET /profile/v1/me', '', '> {% client.test("ok", () => {}); %}', ''].join('\n'),
    );
    const lenses = await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('$(error) Not sent: fix line 2 (Expected a header (Name: value) or a blank line before the …)'), titles.join(' | '));
    assert.ok(titles.includes('$(error) Not sent: fix line 9 (This /* comment is not closed: end it with */)'), titles.join(' | '));
    assert.equal(titles.filter((t) => t === '$(play) Send Request').length, 2);
    assert.equal(titles.filter((t) => t === 'Copy as cURL').length, 2);

    for (const index of [0, 2]) {
      await clearNotifications();
      mock.resetLog();
      const shown = api.messages.shownCount;
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, index);
      assert.deepEqual(calls(), [], `request ${index} was sent`);
      await waitUntil('the reason', () => api.messages.shownCount > shown);
      assert.match(api.messages.recent[api.messages.recent.length - 1], index === 0 ? /not sent until line 2 is fixed: Expected a header/ : /not sent until line 9 is fixed: This \/\* comment is not closed/);
    }
    // The query line is the URL's (REST Client reads `?page=2` there, indented or not); a JetBrains handler is not sent.
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 1);
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 3);
    assert.deepEqual(calls(), ['GET /localities/v5/countries 200', 'GET /profile/v1/me 200']);
    assert.deepEqual(mock.requests.find((r) => r.path === '/localities/v5/countries')?.query, { page: '2' });
    assert.equal(mock.requests.find((r) => r.path === '/profile/v1/me')?.body, undefined);
    const diagnostics = vscode.languages.getDiagnostics(doc.uri);
    assert.ok(diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Information && /JetBrains response handlers are not run here/.test(d.message)));
    assert.equal(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 2);
  });

  it('# @note asks in a modal before the request goes; declined, nothing is sent', async () => {
    const doc = await write('note.http', '# @note This reads your own profile from Concur\nGET /profile/v1/me\n');
    const asked: string[] = [];
    answer(asked, () => true);
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(asked, ['This reads your own profile from Concur']);
    assert.deepEqual(calls(), []);
    answer(asked);
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.equal(asked.length, 2);
    assert.deepEqual(calls(), ['GET /profile/v1/me 200']);
  });

  it('# @prompt asks for each value once in this window, masked when the name says it is a secret, and sends it', async () => {
    const doc = await write('prompt.http', '# @prompt country Two-letter country code\n# @prompt apiPassword\nGET /localities/v5/countries/{{country}}?check={{apiPassword}}\n');
    const seen: vscode.InputBoxOptions[] = [];
    api.requestFiles.input = async (options) => {
      seen.push(options);
      return options.password ? 'pw-7Kq2' : 'FR';
    };
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.deepEqual(calls(), ['GET /localities/v5/countries/FR 200']);
    assert.deepEqual(mock.requests.find((r) => r.path === '/localities/v5/countries/FR')?.query, { check: 'pw-7Kq2' });
    assert.deepEqual(
      seen.map((o) => [o.prompt, o.password]),
      [
        ['Two-letter country code', false],
        ['The value of {{apiPassword}} for this request (# @prompt), kept until the window closes', true],
      ],
    );
    // The masked value is a secret: shown nowhere (here: the tab title).
    const titles = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    assert.ok(!titles.some((t) => t.includes('pw-7Kq2')), titles.join(' | '));
    // Asked once: the second send uses the same values.
    await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
    assert.equal(seen.length, 2);
    assert.equal(calls().length, 2);
    // Cancelled: nothing is sent.
    const other = await write('prompt-cancel.http', '# @prompt reason\nGET /localities/v5/countries/{{reason}}\n');
    api.requestFiles.input = async () => undefined;
    mock.resetLog();
    await vscode.commands.executeCommand('concur.sendRequestFromFile', other.uri, 0);
    assert.deepEqual(calls(), []);
  });

  it('a file included from outside the workspace folder is read only after asking (naming its path), once per request file', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-outside-'));
    const secret = path.join(outside, 'secret.json');
    fs.writeFileSync(secret, '{"value": "not for this repository"}');
    try {
      // A cloned repository's request file that reaches out of it.
      const docDir = path.join(folder, 'cloned', 'requests');
      const relative = path.relative(docDir, secret);
      assert.ok(relative.startsWith('..'));
      const doc = await write(path.join('cloned', 'requests', 'reach.http'), `POST /list/v4/items\nContent-Type: application/json\n\n< ${relative}\n`);
      const real = fs.realpathSync(secret);
      const asked: string[] = [];
      answer(asked, (m) => m.startsWith('Send the file'));
      await clearNotifications();
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      assert.deepEqual(asked, [`Send the file ${real} as part of this request?`]);
      assert.deepEqual(calls(), [], 'nothing sent when declined');
      await waitUntil('the reason', () => api.messages.recent.some((m) => m.includes(`Not sent: the file ${real} is outside`)));

      answer(asked);
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      assert.equal(mock.requests.find((r) => r.path === '/list/v4/items')?.body?.toString(), '{"value": "not for this repository"}');
      assert.equal(asked.filter((m) => m.startsWith('Send the file')).length, 2);
      // Allowed for this request file in this window: not asked again (only the write confirmation is).
      await vscode.commands.executeCommand('concur.sendRequestFromFile', doc.uri, 0);
      assert.equal(asked.filter((m) => m.startsWith('Send the file')).length, 2);
      // Another file with the same include asks on its own.
      const again = await write(path.join('cloned', 'requests', 'again.http'), `POST /list/v4/items\nContent-Type: application/json\n\n< ${relative}\n`);
      answer(asked, (m) => m.startsWith('Send the file'));
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendRequestFromFile', again.uri, 0);
      assert.equal(asked.filter((m) => m.startsWith('Send the file')).length, 3);
      assert.deepEqual(calls(), []);
      // A link inside the workspace to the file outside is followed before the check: asked too.
      fs.symlinkSync(secret, path.join(folder, 'files', 'linked.json'));
      const linked = await write('linked.http', 'POST /list/v4/items\nContent-Type: application/json\n\n< ./files/linked.json\n');
      await vscode.commands.executeCommand('concur.sendRequestFromFile', linked.uri, 0);
      assert.equal(asked[asked.length - 1], `Send the file ${real} as part of this request?`);
      assert.deepEqual(calls(), []);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
