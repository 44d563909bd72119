/**
 * Concur's published API definitions in one step, and a receipt image sent as multipart from the
 * body tab — in the real VS Code, with the local Concur server standing in for Concur's developer
 * site (it serves this repository's stand-ins for Concur's files under /api-explorer/).
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { repoRoot } from '../../host/paths';
import { labelOf, signInToMock, signOutEverything, testingApi, type TestingApi, waitUntil, walkTree } from '../helpers';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('concur');

describe('Concur\'s published API definitions, and form bodies', () => {
  let mock: MockConcur;
  let api: TestingApi;
  const published = (): MockConcur['requests'] => mock.requests.filter((r) => r.path.startsWith('/api-explorer/'));

  before(async () => {
    mock = await startMockConcur({ quiet: true, publishedFolder: path.join(repoRoot, 'test', 'fixtures', 'published') });
    api = await testingApi();
    await config().update('apiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await config().update('publishedApiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await config().update('publishedApiDefinitionsBaseUrl', `${mock.url}/api-explorer`, vscode.ConfigurationTarget.Global);
    await signInToMock(mock, 'password');
  });

  after(async () => {
    mock.clearFaults();
    await config().update('publishedApiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await config().update('publishedApiDefinitionsBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('apiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await signOutEverything(api);
    await mock.close();
  });

  it('"Add Concur\'s Published API Definitions…" downloads the chosen families in parallel with progress, keeps what read, says what failed per file', async () => {
    // The progress notification, as the command reports it.
    const progress: { title?: string; cancellable?: boolean; messages: string[] } = { messages: [] };
    const withProgress = vscode.window.withProgress;
    (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = (options, task) => {
      if (String(options.title).includes('Concur\'s API definitions')) {
        progress.title = String(options.title);
        progress.cancellable = options.cancellable;
        return withProgress(options, (p, token) => task({ report: (value) => (value.message && progress.messages.push(value.message), p.report(value)) }, token));
      }
      return withProgress(options, task);
    };
    const before = (await walkTree(api.catalog)).filter((r) => r.depth === 0).length;
    let outcome: { added: string[]; failed: { location: string; message: string }[] } | undefined;
    try {
      mock.resetLog();
      outcome = await vscode.commands.executeCommand('concur.addPublishedDefinitions', ['receipts', 'users']);
    } finally {
      (vscode.window as { withProgress: typeof vscode.window.withProgress }).withProgress = withProgress;
    }
    assert.ok(outcome);
    assert.equal(progress.title, 'Downloading Concur\'s API definitions');
    assert.equal(progress.cancellable, true);
    // One message per file: "3 of 11: Receipts v4".
    assert.equal(progress.messages.length, 11, progress.messages.join('\n'));
    assert.ok(progress.messages.some((m) => /^\d+ of 11: Receipts v4$/.test(m)), progress.messages.join('\n'));

    // Every file of both families was asked for, without a token.
    assert.equal(published().length, 11, published().map((r) => r.path).join('\n'));
    assert.deepEqual([...outcome.added].sort(), ['v1-0/Image.swagger2.json', 'v4-0/Identity.swagger2.json', 'v4-0/Receipts.swagger2.json', 'v4-0/Scim.swagger2.json', 'v4-1/Identity.swagger2.json']);
    assert.equal(outcome.failed.length, 6);
    assert.ok(outcome.failed.every((f) => /answered HTTP 404/.test(f.message)), JSON.stringify(outcome.failed));
    assert.deepEqual(config().inspect<string[]>('publishedApiDefinitions')?.globalValue?.slice().sort(), [...outcome.added].sort());
    const said = api.messages.recent.find((m) => m.startsWith('Added 5 of Concur\'s 11 API definitions'));
    assert.ok(said, api.messages.recent.join('\n'));
    assert.match(said, /Not added: ReceiptImages\.swagger2\.json: .*HTTP 404/);

    // The catalog grew by the five products, each at the paths Concur's hosts serve.
    const rows = await walkTree(api.catalog);
    const groups = rows.filter((r) => r.depth === 0).map((r) => labelOf(r.item));
    assert.equal(groups.length - before, 5, groups.join(', '));
    // A product named like a built-in one (Identity v4.1, Receipts v4) is told apart by its file.
    for (const product of ['Receipts v4 (Receipts.swagger2.json)', 'Image v1', 'Identity v4 (Identity.swagger2.json)', 'Identity v4.1 (Identity.swagger2.json)', 'SCIM v4']) assert.ok(groups.includes(product), `no ${product} in ${groups.join(', ')}`);
    // The file's operations win over the built-in entries for the same method and path.
    const ids = new Set(rows.map((r) => String(r.item.id)));
    assert.ok(!ids.has('endpoint/receipts.v4.user') && !ids.has('endpoint/receipts.v4.post'), 'a built-in entry the file has too is still listed');
    assert.ok(ids.has('endpoint/receipts.v4.receipt'), 'a built-in entry the file does not have is gone');
    const paths = api.definitions.definitions.flatMap((d) => d.endpoints.map((e) => `${e.method} ${e.path}`));
    for (const expected of ['GET /profile/identity/v4.1/Users/{id}', 'GET /profile/identity/v4/Users/{id}', 'POST /scim/v4/Users', 'POST /api/image/v1.0/receipt', 'POST /receipts/v4/users/{userId}']) {
      assert.ok(paths.includes(expected), `${expected} not in ${paths.join(', ')}`);
    }
  });

  it('a second window reads the kept copies without the network; an offline reload keeps them and says so; an online one revalidates (304)', async () => {
    mock.resetLog();
    const other = api.newDefinitions();
    try {
      await other.reload({ keepLoaded: true });
      assert.equal(other.definitions.length, 5);
      assert.deepEqual(published(), [], 'the second window downloaded again');

      mock.addFault({ route: '/api-explorer/*', kind: 'reset' });
      await vscode.commands.executeCommand('concur.reloadApiDefinitions');
      assert.equal(api.definitions.definitions.length, 5, 'an offline reload lost definitions');
      assert.deepEqual(api.definitions.problems, []);
      const receipts = api.definitions.definitions.find((d) => d.product === 'Receipts v4');
      assert.ok(receipts?.warnings?.some((w) => /could not be checked for changes .*the copy kept on/.test(w)), JSON.stringify(receipts?.warnings));
      assert.equal(published().length, 5);
      assert.ok(published().every((r) => r.fault === 'reset'));

      mock.clearFaults();
      mock.resetLog();
      await vscode.commands.executeCommand('concur.reloadApiDefinitions');
      assert.deepEqual(published().map((r) => r.status), [304, 304, 304, 304, 304]);
      assert.equal(api.definitions.definitions.find((d) => d.product === 'Receipts v4')?.warnings, undefined);
    } finally {
      other.dispose();
      mock.clearFaults();
    }
  });

  it('a receipt image goes out as multipart/form-data from the body tab: fields offered, the file chosen, its bytes arrive exactly', async () => {
    const post = api.definitions.definitions.flatMap((d) => d.endpoints).find((e) => e.method === 'POST' && e.path === '/receipts/v4/users/{userId}');
    assert.ok(post);
    const token = api.sessions.activeSession?.accessToken ?? '';
    const sub = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string }).sub;
    const uri = await vscode.commands.executeCommand<vscode.Uri>('concur.callEndpoint', post.id, { userId: sub });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString() === uri.toString());
    assert.match(uri.path, /POST ∕receipts∕v4∕users∕[^/]+ form\.json$/);
    const doc = editor.document;
    assert.equal(doc.languageId, 'json');
    assert.deepEqual(JSON.parse(doc.getText()), { $schema: `concur-schema:/${encodeURIComponent(post.id)}/form.json`, receipt: '', image: '' });
    // A "Choose File…" lens above the file field; the schema's missing-field error until receipt is filled in.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const choose = lenses.find((l) => l.command?.command === 'concur.chooseFormFile');
    assert.ok(choose, lenses.map((l) => l.command?.title).join(', '));
    assert.deepEqual(choose.command?.arguments?.slice(1), ['image']);
    assert.equal(doc.lineAt(choose.range.start.line).text.trim(), '"image": ""');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-receipt-'));
    const png = path.join(dir, 'lunch receipt.png');
    const bytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(20_000), Buffer.from('\r\n--\r\n')]);
    fs.writeFileSync(png, bytes);
    const ask = api.messages.ask;
    const asked: string[] = [];
    try {
      const chosen = await vscode.commands.executeCommand<string>('concur.chooseFormFile', uri, 'image', vscode.Uri.file(png));
      assert.equal(chosen, png);
      const form = JSON.parse(doc.getText()) as Record<string, string>;
      assert.equal(form.image, png);
      form.receipt = JSON.stringify({ merchant: { name: 'Cafe' }, total: 12.5, currencyCode: 'EUR' });
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), JSON.stringify(form, null, 2)));

      api.messages.ask = async (message, detail, ...actions) => {
        asked.push(`${message}\n${detail}`);
        return actions[0];
      };
      mock.resetLog();
      await vscode.commands.executeCommand('concur.sendBody', uri);
      assert.equal(asked.length, 1);
      assert.match(asked[0], /Form fields: receipt \(\d+ B\), image: lunch receipt\.png \(19\.5 KB\)\./);
      const calls = mock.requests.filter((r) => r.path.startsWith('/receipts/'));
      assert.deepEqual(calls.map((r) => `${r.method} ${r.path.replace(/[^/]+$/, '{userId}')} ${r.status}`), ['POST /receipts/v4/users/{userId} 201']);
      const [upload] = mock.uploads();
      assert.ok(upload?.image, JSON.stringify(upload));
      assert.match(upload.contentType, /^multipart\/form-data; boundary=/);
      assert.equal(upload.image.contentType, 'image/png');
      assert.equal(upload.image.filename, 'lunch receipt.png');
      assert.equal(upload.image.bytes, bytes.length);
      assert.equal(upload.image.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.deepEqual(upload.receipt, { merchant: { name: 'Cafe' }, total: 12.5, currencyCode: 'EUR' });
      await waitUntil('the response tab', () => vscode.window.activeTextEditor?.document.uri.scheme === 'concur-response');
      assert.match(api.responseStatusBar.text ?? '', /201/);
    } finally {
      api.messages.ask = ask;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
