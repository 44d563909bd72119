import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../mock-concur';
import { signInToMock, signOutEverything, testingApi, type TestingApi } from './helpers';

function activeDocument(): vscode.TextDocument {
  const doc = vscode.window.activeTextEditor?.document;
  assert.ok(doc, 'no active editor');
  return doc;
}

describe('Looking into answers: Filter Response and Compare with Previous Response', () => {
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
});
