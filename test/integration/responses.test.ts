import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../mock-concur';
import { signInToMock, signOutEverything, testingApi, type TestingApi } from './helpers';

function activeDocument(): vscode.TextDocument {
  const doc = vscode.window.activeTextEditor?.document;
  assert.ok(doc, 'no active editor');
  return doc;
}

describe('Looking into answers: Filter Response, Compare with Previous Response, Fetch All Pages to File', () => {
  let mock: MockConcur;
  let api: TestingApi;

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    await signInToMock(mock, 'password');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutEverything(api);
    await mock.close();
  });

  it('"Filter Response…" applies a JSONPath expression to the active response and opens the result in a new tab', async () => {
    await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.countries', {});
    const response = activeDocument();
    const codes = (JSON.parse(response.getText()) as { countries: { code: string }[] }).countries.map((c) => c.code);
    await vscode.commands.executeCommand('concur.filterResponse', response.uri, '$.countries[*].code');
    const filtered = activeDocument();
    assert.notEqual(filtered.uri.toString(), response.uri.toString());
    assert.equal(filtered.languageId, 'json');
    assert.deepEqual(JSON.parse(filtered.getText()), codes);
    assert.match(filtered.uri.path, /\$\.countries\[\*\]\.code · \d+ matches/);
    assert.deepEqual(api.globalState.get('concur.filterExpressions'), ['$.countries[*].code']);
    // A filter on the filtered tab works too; one match is shown as the value itself.
    await vscode.commands.executeCommand('concur.filterResponse', filtered.uri, '$[0]');
    assert.equal(JSON.parse(activeDocument().getText()), codes[0]);
  });

  it('"Compare with Previous Response" opens VS Code\'s diff between two answers to the same request', async () => {
    await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.country', { code: 'DE' });
    const first = activeDocument().uri;
    await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.country', { code: 'DE' });
    const second = activeDocument().uri;
    assert.notEqual(first.toString(), second.toString());
    await vscode.commands.executeCommand('concur.compareWithPrevious', second);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'no diff tab');
    assert.equal(input.original.toString(), first.toString());
    assert.equal(input.modified.toString(), second.toString());
  });

  it('"Fetch All Pages to File…" streams every user, once each, to NDJSON and CSV files (company token)', async () => {
    await signInToMock(mock, 'companyRequestToken');
    await vscode.commands.executeCommand('concur.callEndpoint', 'identity.v4.users', { startIndex: '1', count: '100' });
    const page = activeDocument().uri;
    assert.equal((JSON.parse(activeDocument().getText()) as { totalResults: number }).totalResults, 2500);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-fetch-'));
    try {
      const ndjson = vscode.Uri.file(path.join(dir, 'users.ndjson'));
      mock.resetLog();
      const written = await vscode.commands.executeCommand<{ items: number; complete: boolean }>('concur.fetchAllPagesToFile', page, ndjson, 'ndjson');
      assert.deepEqual({ items: written.items, complete: written.complete }, { items: 2500, complete: true });
      const lines = fs.readFileSync(ndjson.fsPath, 'utf8').trimEnd().split('\n');
      const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
      assert.equal(ids.length, 2500);
      assert.equal(new Set(ids).size, 2500, 'a user was written twice');
      // Pages 2..25 were asked for once each; the first page was the tab's.
      assert.equal(mock.requests.filter((r) => r.path === '/profile/identity/v4/Users').length, 24);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, ndjson.fsPath, 'the file did not open');

      const csv = vscode.Uri.file(path.join(dir, 'users.csv'));
      await vscode.commands.executeCommand('concur.fetchAllPagesToFile', page, csv, 'csv');
      const rows = fs.readFileSync(csv.fsPath, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      assert.ok(rows[0].split(',').includes('id'), rows[0]);
      assert.ok(rows.length >= 2501);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

