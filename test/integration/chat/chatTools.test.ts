import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../mock-concur/index';
import { clearNotifications, extension, packageJson, signInToMock, signOutEverything, testingApi, type TestingApi } from '../helpers';

const TOOLS = ['concur_callApi', 'concur_explainError', 'concur_findEndpoints', 'concur_session'];

/** The text of a tool result, whichever way it came back (through VS Code, or from the tool object). */
function textOf(result: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(result, 'no result');
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : String((part as { value?: unknown }).value ?? ''))).join('');
}

/** The JSON a tool put after its prose (the last line that starts a JSON document, to the end). */
function jsonAfter<T>(text: string, start: '{' | '['): T {
  const at = text.lastIndexOf(`\n${start}`);
  assert.ok(at >= 0, `no JSON in: ${text.slice(0, 300)}`);
  return JSON.parse(text.slice(at + 1)) as T;
}

describe('Concur chat tools (language model tools)', () => {
  const calls = (): MockConcur['requests'] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks');
  let mock: MockConcur;
  let api: TestingApi;
  /** Every text a tool returned in this suite, and every secret seen: no text may hold one. */
  const results: string[] = [];
  const secrets = new Set<string>();
  const none = new vscode.CancellationTokenSource().token;

  const rememberSecrets = async (): Promise<void> => {
    for (const s of api.sessions.sessions) for (const value of [s.accessToken, s.refreshToken, s.idToken]) if (value) secrets.add(value);
    const clientSecret = await api.sessions.storedClientSecret(mock.demo.clientId, mock.url);
    assert.ok(clientSecret, 'the client secret is in the session store');
    secrets.add(clientSecret);
  };

  /** Runs a tool the way chat does, through VS Code, outside a chat request (no invocation token). */
  const invoke = async (name: string, input: object): Promise<string> => {
    const text = textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
    results.push(text);
    return text;
  };

  const tool = (name: string): vscode.LanguageModelTool<Record<string, unknown>> => {
    const found = api.chatTools.tools[name];
    assert.ok(found, `no tool ${name}`);
    return found;
  };

  /** The texts VS Code shows for a call (progress, confirmation title and message), kept for the secret sweep. */
  const prepare = async (input: Record<string, unknown>): Promise<vscode.PreparedToolInvocation | null | undefined> => {
    const prepared = await tool('concur_callApi').prepareInvocation?.({ input }, none);
    const text = (value: string | vscode.MarkdownString | undefined): string => (typeof value === 'string' ? value : (value?.value ?? ''));
    results.push([text(prepared?.invocationMessage), prepared?.confirmationMessages?.title ?? '', text(prepared?.confirmationMessages?.message)].join('\n'));
    return prepared;
  };

  const setBudget = (value: number | undefined): Thenable<void> => vscode.workspace.getConfiguration('concur').update('chat.resultBudget', value, vscode.ConfigurationTarget.Global);

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    await signOutEverything(api);
  });

  after(async () => {
    await setBudget(undefined);
    await vscode.workspace.getConfiguration('concur').update('apiDefinitions', undefined, vscode.ConfigurationTarget.Global);
    await signOutEverything(api);
    await mock.close();
  });

  it('contributes the four tools in package.json and registers each with VS Code', () => {
    const contributed = (packageJson().contributes as unknown as { languageModelTools: { name: string; toolReferenceName: string; displayName: string; modelDescription: string; canBeReferencedInPrompt: boolean; icon: string; inputSchema: { properties: Record<string, unknown>; required?: string[] } }[] }).languageModelTools;
    assert.deepEqual(contributed.map((t) => t.name).sort(), TOOLS);
    assert.deepEqual(contributed.map((t) => t.toolReferenceName).sort(), ['concurCallApi', 'concurEndpoints', 'concurExplainError', 'concurSession']);
    for (const t of contributed) {
      assert.equal(t.canBeReferencedInPrompt, true);
      assert.match(t.icon, /^\$\([a-z-]+\)$/);
      assert.ok(t.modelDescription.length > 150 && !t.modelDescription.startsWith('%'), `${t.name}: the model description is missing or not localized`);
      assert.match(t.modelDescription, /Use it/, `${t.name}: says when to use it`);
    }
    const listed = vscode.lm.tools.filter((t) => t.name.startsWith('concur_'));
    assert.deepEqual(listed.map((t) => t.name).sort(), TOOLS, 'vscode.lm.tools lists the tools');
    const call = listed.find((t) => t.name === 'concur_callApi');
    assert.deepEqual((call?.inputSchema as { required?: string[] } | undefined)?.required, ['path']);
    assert.ok(call?.description.includes('confirm'), 'the model is told that writes are confirmed');
    assert.deepEqual(Object.keys(api.chatTools.tools).sort(), TOOLS);
  });

  it('shows the "Ask Concur in chat" walkthrough step only where chat is available', () => {
    const steps = (packageJson().contributes.walkthroughs?.find((w) => w.id === 'concur.gettingStarted')?.steps ?? []) as { id: string; title: string; when?: string; media: { markdown?: string } }[];
    const step = steps.find((s) => s.id === 'concur.chat');
    assert.ok(step, 'no concur.chat step');
    assert.equal(step.title, 'Ask Concur in chat');
    assert.equal(step.when, 'chatIsEnabled');
    const media = path.join(extension().extensionPath, step.media.markdown ?? '');
    assert.match(fs.readFileSync(media, 'utf8'), /#concurCallApi/);
  });

  it('signed out, every tool says so and names the sign-in commands', async () => {
    const signInHint = /No Concur session is signed in\. Ask the user to run "Concur: Sign In" .*"Concur: Sign In with Browser"/;
    assert.match(await invoke('concur_session', {}), signInHint);
    assert.match(await invoke('concur_callApi', { path: '/profile/v1/me' }), signInHint);
    const search = await invoke('concur_findEndpoints', { query: 'receipts' });
    assert.match(search, signInHint);
    assert.match(search, /Receipts/, 'the catalog is searched anyway');
    const explained = await invoke('concur_explainError', { code: 108 });
    assert.match(explained, /refresh token is no longer valid/);
    assert.match(explained, signInHint);
    // A write has nothing to confirm without a session: it is not sent.
    const prepared = await prepare({ method: 'DELETE', path: '/x' });
    assert.equal(prepared?.confirmationMessages, undefined);
    assert.deepEqual(calls().filter((r) => !r.path.startsWith('/oauth2')), []);
  });

  it('concur_session: the account, datacenter, token type, scopes and expiry — never a token', async () => {
    await signInToMock(mock, 'password');
    await rememberSecrets();
    const text = await invoke('concur_session', {});
    assert.match(text, new RegExp(`^Signed in to Concur as ${mock.demo.username.replace(/[.]/g, '\\.')} \\(user token\\)`));
    const facts = jsonAfter<{ active: Record<string, unknown>; otherSessions: unknown[] }>(text, '{');
    const active = api.sessions.activeSession;
    assert.ok(active);
    const claims = JSON.parse(Buffer.from(active.accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    assert.equal(facts.active.account, mock.demo.username);
    assert.equal(facts.active.tokenType, 'user');
    assert.equal(facts.active.geolocation, mock.geoUrl);
    assert.deepEqual(facts.active.scopes, claims['concur.scopes']);
    assert.equal(facts.active.accessTokenExpiresAt, new Date(active.expiresAt).toISOString());
    assert.ok(typeof facts.active.minutesLeft === 'number' && facts.active.minutesLeft >= 50 && facts.active.minutesLeft <= 60, `minutesLeft ${String(facts.active.minutesLeft)}`);
    assert.deepEqual(facts.otherSessions, []);
  });

  it('concur_findEndpoints: entries with parameters, scopes, paging, docs, and what the token lacks — API definitions included', async () => {
    const text = await invoke('concur_findEndpoints', { product: 'Receipts' });
    const entries = jsonAfter<{ method: string; path: string; scopes: string[]; paging: string; docs?: string; parameters: { name: string; in: string; required: boolean }[]; activeToken: { canCall: boolean; problem?: string } }[]>(text, '[');
    assert.ok(entries.length >= 2);
    const tokenScopes = (JSON.parse(Buffer.from((api.sessions.activeSession?.accessToken ?? '').split('.')[1], 'base64url').toString()) as Record<string, string[]>)['concur.scopes'];
    for (const e of entries) {
      assert.match(e.path, /^\/receipts\//);
      assert.ok(e.parameters.some((p) => (p.name === 'userId' || p.name === 'receiptId') && p.in === 'path' && p.required));
      assert.equal(e.activeToken.canCall, e.scopes.some((s) => tokenScopes.includes(s)), `${e.method} ${e.path}: ${e.activeToken.problem ?? 'can call'}`);
    }
    assert.match(text, /has a user token with the scopes: /);

    // An added API definition is searched too (read only now, when a search needs it).
    await vscode.workspace.getConfiguration('concur').update('apiDefinitions', [path.join(extension().extensionPath, 'test', 'fixtures', 'integration', 'sample-localities.yaml')], vscode.ConfigurationTarget.Global);
    const fromDefinition = await invoke('concur_findEndpoints', { query: 'countries', product: 'Sample Localities' });
    const defined = jsonAfter<{ path: string; product: string; apiDefinition?: string }[]>(fromDefinition, '[');
    assert.ok(defined.length >= 1, fromDefinition.slice(0, 400));
    assert.ok(defined.every((e) => /Sample Localities/.test(e.product) && e.apiDefinition), JSON.stringify(defined).slice(0, 300));
    await vscode.workspace.getConfiguration('concur').update('apiDefinitions', undefined, vscode.ConfigurationTarget.Global);
  });

  it('concur_callApi GET: sent with the active session to its geolocation, answered in a response tab, summarised for the model', async () => {
    mock.resetLog();
    const before = api.requests.entries.length;
    const text = await invoke('concur_callApi', { path: `/receipts/v4/users/${mock.demo.userId}` });
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), [`geo GET /receipts/v4/users/${mock.demo.userId} 200`]);
    assert.match(text, new RegExp(`^GET /receipts/v4/users/${mock.demo.userId} on ${new URL(mock.geoUrl).host.replace(/\./g, '\\.')} answered HTTP 200 OK \\(application/json`));
    assert.match(text, /correlation id [\w-]+\)/);
    assert.ok(text.includes(`"userId":"${mock.demo.userId}"`), 'the body, as compact JSON');
    assert.equal(api.requests.entries.length, before + 1, 'in the history, like every request');
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'concur-response', 'the full answer is open in a response tab');
  });

  it('concur_callApi: another host is refused with the resolver\'s message and nothing is sent', async () => {
    mock.resetLog();
    const text = await invoke('concur_callApi', { path: 'https://attacker.example.com/profile/v1/me' });
    assert.match(text, /^Nothing was sent: The access token is only sent to this session's hosts .*not to attacker\.example\.com/);
    assert.deepEqual(calls(), []);
  });

  let forbiddenCorrelationId = '';

  it('concur_callApi: an error answer comes with the extension\'s explanation', async () => {
    mock.resetLog();
    const text = await invoke('concur_callApi', { path: '/profile/identity/v4/Users' });
    await clearNotifications();
    assert.equal(calls()[0]?.status, 403);
    assert.match(text, /answered HTTP 403 Forbidden/);
    assert.match(text, /Users \(Identity v4\) accepts company tokens; this is a user token/);
    forbiddenCorrelationId = /correlation id ([\w-]+)\)/.exec(text)?.[1] ?? '';
    assert.ok(forbiddenCorrelationId);
  });

  it('concur_explainError: a code, a status for this token, and a request by its correlation id', async () => {
    assert.match(await invoke('concur_explainError', { code: '16' }), /lives in another Concur datacenter/);
    const status = await invoke('concur_explainError', { status: 403 });
    assert.match(status, /^HTTP 403 Forbidden: Concur refused access\. The token has the scopes .*identity/);
    assert.doesNotMatch(status, /Correlation id/);
    const byId = await invoke('concur_explainError', { correlationId: forbiddenCorrelationId });
    assert.match(byId, new RegExp(`^The request with correlation id ${forbiddenCorrelationId}: GET [^ ]+/profile/identity/v4/Users at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, HTTP 403 Forbidden\\.`));
    assert.match(byId, /Concur said: "/);
    assert.match(byId, /accepts company tokens/);
    assert.match(await invoke('concur_explainError', { correlationId: 'no-such-id' }), /No request with correlation id no-such-id is in this window's history/);
    // A part of an id names no request: too short, or not the whole id.
    assert.match(await invoke('concur_explainError', { correlationId: forbiddenCorrelationId.slice(0, 4) }), /is too short to be a correlation id: give the whole correlation id of the request \(at least 8 characters\)\./);
    assert.match(await invoke('concur_explainError', { correlationId: forbiddenCorrelationId.slice(0, 12) }), /^No request with correlation id /);
  });

  it('concur_callApi write: prepareInvocation only says what runs; the question is the extension\'s own, in every configuration', async () => {
    const get = await prepare({ path: '/profile/v1/me' });
    assert.equal(get?.confirmationMessages, undefined);
    assert.match(String(get?.invocationMessage), /GET \/profile\/v1\/me/);
    // VS Code's tool confirmation is skipped when tools are approved automatically, and the extension cannot
    // tell whether it was shown: a write's question is asked by the extension when the tool runs.
    const post = await prepare({ method: 'post', path: `/receipts/v4/users/${mock.demo.userId}`, body: { total: 12.5 } });
    assert.equal(post?.confirmationMessages, undefined);
    assert.match(String(post?.invocationMessage), /POST \/receipts\/v4\/users\//);
  });

  it('concur_callApi: a secret in a long path is redacted before the path is cut for the progress and confirmation texts', async () => {
    const refreshToken = api.sessions.sessions.find((s) => s.id === api.sessions.activeSession?.id)?.refreshToken;
    assert.ok(refreshToken && refreshToken.length >= 16, 'the session has a refresh token');
    // The token starts at the 100th character of the path and goes on beyond the 120th, where the path is cut: a cut
    // before redaction would show its start.
    const start = `/receipts/v4/users/${mock.demo.userId}?note=`;
    const path = `${start}${'n'.repeat(100 - start.length)}${refreshToken}&more=${'m'.repeat(40)}`;
    assert.ok(path.length > 120 && path.indexOf(refreshToken) === 100 && refreshToken.length > 20);
    for (const method of ['GET', 'DELETE']) {
      const prepared = await prepare({ method, path });
      const texts = results[results.length - 1];
      // (The message names no part of the token: test output must not show one either.)
      assert.ok(!texts.includes(refreshToken.slice(0, 8)), `${method}: the progress or confirmation text shows the start of the refresh token`);
      assert.match(texts, /«redacted»/, `${method}: the token is redacted`);
      assert.equal(prepared?.confirmationMessages, undefined);
    }
  });

  it('concur_callApi write with tool auto-approval: nobody is asked by VS Code, so the extension asks — naming the request and showing the body, redacted', async () => {
    const refreshToken = api.sessions.sessions.find((s) => s.id === api.sessions.activeSession?.id)?.refreshToken;
    assert.ok(refreshToken && refreshToken.length >= 16, 'the session has a refresh token');
    const chatTools = vscode.workspace.getConfiguration('chat.tools');
    // VS Code 1.96 has no tool auto-approval (the setting is not registered there): the extension asks
    // all the same, which is what this checks; where the setting exists, it is turned on first.
    const inspected = chatTools.inspect('autoApprove');
    // An unregistered setting is inspected all the same, without a default value.
    const autoApprove = inspected?.defaultValue === undefined ? undefined : inspected;
    if (autoApprove) await chatTools.update('autoApprove', true, vscode.ConfigurationTarget.Global);
    else console.log(`      (VS Code ${vscode.version} has no chat.tools.autoApprove: tools run unconfirmed by VS Code when invoked by an extension)`);
    const asked: Array<{ message: string; detail: string }> = [];
    let answer: 'send' | 'cancel' = 'cancel';
    const ask = api.messages.ask;
    api.messages.ask = async <T extends string>(message: string, detail: string, ...actions: T[]): Promise<T | undefined> => {
      asked.push({ message, detail });
      results.push(`${message}\n${detail}`);
      return answer === 'send' ? actions[0] : undefined;
    };
    try {
      if (autoApprove) assert.equal(vscode.workspace.getConfiguration('chat.tools').get('autoApprove'), true, 'tools are approved automatically');
      // A note that quotes the refresh token where the question cuts the body (1,200 characters, indented JSON): the
      // body is redacted before it is cut, so not even the token's first characters are shown.
      const shaped = (comment: string): Record<string, unknown> => ({ dateTime: '2025-01-03T09:30:00', total: 7, currencyCode: 'EUR', merchant: 'Bakery Ünal', comment, note: `copied ${refreshToken} by mistake` });
      const at = JSON.stringify(shaped(''), null, 2).indexOf(refreshToken);
      const body = shaped('x'.repeat(1200 - 8 - at));
      assert.equal(JSON.stringify(body, null, 2).indexOf(refreshToken), 1200 - 8, 'the cut falls 8 characters into the token');
      const input = { method: 'POST', path: `/receipts/v4/users/${mock.demo.userId}`, body };
      // Through VS Code, as chat runs it: prepareInvocation, then (approved automatically) invoke.
      mock.resetLog();
      const cancelled = await invoke('concur_callApi', input);
      assert.equal(asked.length, 1, 'the extension asked, although VS Code did not');
      assert.match(asked[0].message, new RegExp(`^Send POST /receipts/v4/users/${mock.demo.userId} to ${new URL(mock.geoUrl).host.replace(/\./g, '\\.')} as ${mock.demo.username.replace(/\./g, '\\.')}\\?$`));
      assert.match(asked[0].detail, /"merchant": "Bakery Ünal"/, 'the question shows the body');
      assert.match(asked[0].detail, /"currencyCode": "EUR"/);
      assert.match(asked[0].detail, /… \(\d[\d,]* more characters\)$/, 'a long body is cut, after redaction');
      assert.ok(!asked[0].detail.includes(refreshToken.slice(0, 8)), 'no part of the refresh token is shown');
      assert.match(cancelled, /not sent/);
      assert.deepEqual(calls(), [], 'cancelled: nothing was sent');

      // The note alone (short): shown whole, with the token redacted.
      answer = 'send';
      const short = { ...input, body: { ...body, comment: 'short' } };
      const sent = await invoke('concur_callApi', short);
      assert.equal(asked.length, 2, 'asked again: an answer is good for one request');
      assert.match(asked[1].detail, /"note": "copied «redacted» by mistake"/);
      // Sent once, as asked (Receipts v4 answers 400 for this body, which has no link header or seller: what it answers is not the point here).
      assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path}`), [`geo POST /receipts/v4/users/${mock.demo.userId}`]);
      assert.match(sent, /answered HTTP \d{3}/);
    } finally {
      api.messages.ask = ask;
      if (autoApprove) await chatTools.update('autoApprove', autoApprove.globalValue, vscode.ConfigurationTarget.Global);
      await clearNotifications();
    }
  });

  it('concur_callApi write called straight (no VS Code confirmation at all): asked by the extension, not sent when cancelled', async () => {
    const callTool = tool('concur_callApi');
    const asked: string[] = [];
    const ask = api.messages.ask;
    api.messages.ask = async (message) => {
      asked.push(message);
      return undefined;
    };
    try {
      const input = { method: 'DELETE', path: `/receipts/v4/users/${mock.demo.userId}/receipt-1` };
      mock.resetLog();
      await callTool.prepareInvocation?.({ input }, none);
      const text = textOf(await callTool.invoke({ input, toolInvocationToken: undefined }, none));
      results.push(text);
      assert.equal(asked.length, 1, 'prepareInvocation having run is no answer');
      assert.match(asked[0], /^Send DELETE \/receipts\/v4\/users\/.* as /);
      assert.match(text, /not sent/);
      assert.deepEqual(calls(), []);
    } finally {
      api.messages.ask = ask;
      await clearNotifications();
    }
  });

  it('cuts an answer to concur.chat.resultBudget: whole items of a page, with totals and the next page', async () => {
    await signInToMock(mock, 'companyRequestToken');
    await rememberSecrets();
    await setBudget(2000);
    assert.equal(api.chatTools.budget(), 2000);
    const text = await invoke('concur_callApi', { path: '/profile/identity/v4/Users' });
    assert.ok(text.length <= 2000, `${text.length} characters`);
    assert.match(text, /answered HTTP 200 OK/);
    assert.match(text, /This is one page \(scim paging\): 100 items on it, 2500 in all\./);
    assert.match(text, /Next page: call again with the path \/profile\/identity\/v4\/Users\?startIndex=101&count=100 \(startIndex=101\)\./);
    assert.match(text, /\[Only the first \d+ of the 100 items on this page are shown, to fit the chat result budget \(setting concur\.chat\.resultBudget\)/);
    // The user's tab has the whole page.
    const tab = JSON.parse(vscode.window.activeTextEditor?.document.getText() ?? '{}') as { Resources?: unknown[] };
    assert.equal(tab.Resources?.length, 100);
    // A catalog search is cut the same way (the budget leaves room for the token's long list of scopes).
    await setBudget(1500);
    const search = await invoke('concur_findEndpoints', { limit: 100 });
    assert.ok(search.length <= 1500, `${search.length} characters`);
    assert.match(search, /Only the first \d+ of \d+ entries are listed, to fit the chat result budget/);
    // Out of range: the default.
    await setBudget(10);
    assert.equal(api.chatTools.budget(), 8000);
    await setBudget(undefined);
  });

  it('concur_session lists the other signed-in sessions', async () => {
    const text = await invoke('concur_session', {});
    const facts = jsonAfter<{ active: { tokenType: string }; otherSessions: { account: string; tokenType: string }[] }>(text, '{');
    assert.equal(facts.active.tokenType, 'company');
    assert.deepEqual(facts.otherSessions.map((s) => s.account), [mock.demo.username]);
  });

  it('no tool result holds an access, refresh or ID token or the client secret', async () => {
    await rememberSecrets();
    assert.ok(secrets.size >= 5, `${secrets.size} secrets collected`);
    assert.ok(results.length >= 15, `${results.length} results`);
    for (const text of results) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a tool result holds a secret (at character ${text.indexOf(secret)} of ${text.length})`);
    }
  });
});
