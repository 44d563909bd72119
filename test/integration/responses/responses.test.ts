import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { signInToMock, signOutEverything, testingApi, waitUntil, type TestingApi } from '../helpers';

function activeDocument(): vscode.TextDocument {
  const doc = vscode.window.activeTextEditor?.document;
  assert.ok(doc, 'no active editor');
  return doc;
}

/** RFC 4180 rows (quoted fields with commas, quotes and line breaks), for checking what the CSV writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
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
    await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.country', { countryCode: 'DE' });
    const first = activeDocument().uri;
    await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.country', { countryCode: 'DE' });
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
      const rows = parseCsv(fs.readFileSync(csv.fsPath, 'utf8').replace(/^\uFEFF/, ''));
      const idColumn = rows[0].indexOf('id');
      assert.ok(idColumn >= 0, rows[0].join(','));
      assert.equal(rows.length, 2501, 'a header and one row per user');
      assert.ok(rows.every((row) => row.length === rows[0].length), 'every row has every column');
      assert.deepEqual(rows.slice(1).map((row) => row[idColumn]).sort(), [...ids].sort(), 'every user once, as in the NDJSON file');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a 50 MB answer opens as a tab backed by a file, and the extension host answers a command within 100 ms while it is prepared', async function () {
    this.timeout(180_000);
    mock.setFaults([{ route: '/localities/v5/countries', kind: 'largeBody', mb: 50 }]);
    // The local Concur server runs in this process: its 50 MB body is generated once, before measuring.
    const primed = await fetch(`${mock.geoUrl}/localities/v5/countries`, { headers: { authorization: `Bearer ${api.sessions.activeSession?.accessToken ?? ''}` } });
    assert.ok((await primed.arrayBuffer()).byteLength > 50 * 1024 * 1024);

    // The earlier tests' answers are kept too: what this one adds is measured.
    const heldBefore = api.requests.retainedBytes;
    const ping = vscode.commands.registerCommand('concurTest.ping', () => performance.now());
    /** Sends the request while a probe runs a command every 10 ms; the longest wait for an answer, and the probes. */
    const measure = async (): Promise<{ slowest: number; stall: number; probes: number; gc: number }> => {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      // Garbage collection pauses, said in the failure message: a stall they explain is the heap's, not this work's.
      let gc = 0;
      const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((entry) => (gc = Math.max(gc, entry.duration))));
      gcObserver.observe({ entryTypes: ['gc'] });
      let slowest = 0;
      let probes = 0;
      let done = false;
      const probing = (async () => {
        while (!done) {
          const start = performance.now();
          await new Promise((resolve) => setTimeout(resolve, 10));
          await vscode.commands.executeCommand('concurTest.ping');
          slowest = Math.max(slowest, performance.now() - start - 10);
          probes++;
        }
      })();
      delay.enable();
      try {
        await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.countries', {});
      } finally {
        done = true;
        delay.disable();
        gcObserver.disconnect();
        await probing;
      }
      return { slowest, stall: delay.max / 1e6, probes, gc };
    };
    const measured: { slowest: number; stall: number; probes: number; gc: number }[] = [];
    try {
      // Another try only when one saw a stall: on a busy machine the operating system (or a collection
      // of the heap the earlier tests left) can hold the thread once; work done on the thread
      // (formatting 50 MB takes about a second) fails every try.
      measured.push(await measure());
      while (measured[measured.length - 1].slowest >= 100 && measured.length < 3) {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        measured.push(await measure());
      }
    } finally {
      ping.dispose();
      mock.clearFaults();
    }
    const last = measured[measured.length - 1];
    assert.ok(last.probes > 5, `${last.probes} probes`);
    assert.ok(last.slowest < 100, measured.map((m) => `a command waited ${m.slowest.toFixed(0)} ms (longest event-loop stall ${m.stall.toFixed(0)} ms, longest GC pause ${m.gc.toFixed(0)} ms)`).join('; '));
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputText, 'no text tab is active');
    // The tab names the request (its breadcrumb and tooltip too), not the storage folders.
    assert.equal(input.uri.scheme, 'concur-answer');
    assert.match(input.uri.path, /^\/GET ∕localities∕v5∕countries · 200\.json$/);
    const kept0 = api.requests.keptResponses().find((r) => input.uri.query === `id=${r.id}`);
    const file = kept0?.body.file ?? '';
    assert.equal(path.dirname(path.dirname(file)), api.responseFiles.folder, 'the answer is in a file in the extension storage');
    assert.match(path.basename(file), /countries · 200\.json$/);
    // Read-only, and served from that file.
    const stat = await vscode.workspace.fs.stat(input.uri);
    assert.equal(stat.size, fs.statSync(file).size);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(input.uri, Buffer.from('x'))));
    assert.ok(fs.statSync(file).size > 60 * 1024 * 1024, `${fs.statSync(file).size} bytes`);
    assert.match(fs.readFileSync(file, 'utf8').slice(0, 40), /^\{\n {2}"totalResults": \d+,/);
    // The store holds no copy of the text or the raw body.
    const kept = api.requests.keptResponses().find((r) => r.body.file === file);
    assert.ok(kept, 'the answer is kept');
    assert.equal(kept.body.text, '');
    const held = api.requests.retainedBytes - heldBefore;
    assert.ok(held < 8 * 1024 * 1024, `${held} more bytes held`);
    assert.match(api.responseStatusBar.text ?? '', /200 OK/);

    // Filter Response… on it runs in a worker thread (read, parse, JSONPath) and opens the selection.
    await vscode.commands.executeCommand('concur.filterResponse', input.uri, '$.Resources[1].userName');
    const filtered = vscode.window.activeTextEditor?.document;
    assert.ok(filtered && filtered.uri.toString() !== input.uri.toString(), 'no filter tab');
    assert.equal(JSON.parse(filtered.getText()), 'user1@bulk.example');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === input.uri.toString()));
    await waitUntil('the file is deleted when its tab closes', () => !fs.existsSync(file));
    assert.equal(api.requests.keptResponses().find((r) => r.body.file === file), undefined);
  });

  it('deletes response files of windows that are gone, and keeps those of windows that still run', async () => {
    let dead = 4_194_000;
    const running = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    while (running(dead)) dead++;
    const gone = path.join(api.responseFiles.root, `w${dead}`, '1', 'GET ∕x · 200.json');
    const alive = path.join(api.responseFiles.root, `w${process.ppid}`, '1', 'GET ∕y · 200.json');
    for (const file of [gone, alive]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '{}');
    }
    try {
      await api.responseFiles.removeStale();
      assert.ok(!fs.existsSync(path.join(api.responseFiles.root, `w${dead}`)), 'a gone window\'s files are deleted');
      assert.ok(fs.existsSync(alive), 'a running window\'s files stay');
    } finally {
      fs.rmSync(path.join(api.responseFiles.root, `w${process.ppid}`), { recursive: true, force: true });
    }
  });
});

