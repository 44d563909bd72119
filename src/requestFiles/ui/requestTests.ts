/**
 * Request files in VS Code's Testing view: every `.http`/`.rest` file with `# @expect` lines is a test
 * item, each request with expectations a test under it. Running one sends the request with the
 * signed-in session (asking first when it changes data, as always) and reports each failed
 * expectation at its own line.
 */
import * as vscode from 'vscode';
import { parseRequestFile, type ParsedRequestFile, type RequestBlock } from '../parse';
import { Disposable } from '../../platform/lifecycle';
import { UserError } from '../../platform/ui/commandErrors';
import { HTTP_LANGUAGE, RequestFiles } from './requestFiles';

export type TestOutcome = { readonly state: 'passed' } | { readonly state: 'failed' | 'errored'; readonly messages: readonly string[] };

export class RequestFileTests extends Disposable {
  private readonly controller = this._register(vscode.tests.createTestController('concurRequestFiles', vscode.l10n.t('Concur Request Files')));
  /** The last outcome of each test item, by id (for tests and the status of a run). */
  readonly outcomes = new Map<string, TestOutcome>();

  constructor(private readonly files: RequestFiles) {
    super();
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile(vscode.l10n.t('Send and Check'), vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const update = (doc: vscode.TextDocument): void => {
      // The parse RequestFiles keeps per document version: one parse per edit for lenses, diagnostics and tests.
      if (doc.languageId === HTTP_LANGUAGE || /\.(http|rest)$/i.test(doc.uri.path)) this.update(doc.uri, this.files.parse(doc));
    };
    this._register(vscode.workspace.onDidOpenTextDocument(update));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => update(e.document)));
    for (const doc of vscode.workspace.textDocuments) update(doc);
  }

  /** Finds the workspace's request files (up to 500) and their expectations. */
  async discover(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.{http,rest}', '**/node_modules/**', 500);
    for (const uri of uris) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      this.update(uri, open ? this.files.parse(open) : parseRequestFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))));
    }
  }

  /** The test items of one file: one per request with expectations (the file's item goes when none is left). */
  update(uri: vscode.Uri, file: ParsedRequestFile): vscode.TestItem | undefined {
    const requests = file.requests.filter((r) => r.expectations.length > 0);
    const id = uri.toString();
    if (requests.length === 0) {
      this.controller.items.delete(id);
      return undefined;
    }
    let fileItem = this.controller.items.get(id);
    if (!fileItem) {
      fileItem = this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(fileItem);
    }
    const children = requests.map((request) => {
      const child = this.controller.createTestItem(`${id}#${request.index}`, request.name ?? `${request.method} ${request.url}`, uri);
      child.range = new vscode.Range(request.requestLine, 0, request.requestLine, 0);
      child.description = request.expectations.length === 1 ? vscode.l10n.t('1 expectation') : vscode.l10n.t('{0} expectations', request.expectations.length);
      return child;
    });
    fileItem.children.replace(children);
    return fileItem;
  }

  /** Runs a file's tests (the "Run Expectations" entry point, and what a test of the extension calls). */
  async runFile(uri: vscode.Uri, index?: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const item = this.update(uri, this.files.parse(doc));
    if (!item) throw new UserError(vscode.l10n.t('This request file has no # @expect lines to check.'));
    const only = index === undefined ? undefined : item.children.get(`${item.id}#${index}`);
    if (index !== undefined && !only) throw new UserError(vscode.l10n.t('That request has no # @expect lines to check.'));
    const source = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest([only ?? item]), source.token);
    } finally {
      source.dispose();
    }
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const leaves: vscode.TestItem[] = [];
    const collect = (item: vscode.TestItem): void => {
      if (request.exclude?.includes(item)) return;
      if (item.children.size === 0 && item.id.includes('#')) leaves.push(item);
      item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else this.controller.items.forEach(collect);
    for (const item of leaves) run.enqueued(item);
    try {
      for (const item of leaves) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        await this.runOne(run, item);
      }
    } finally {
      run.end();
    }
  }

  private async runOne(run: vscode.TestRun, item: vscode.TestItem): Promise<void> {
    run.started(item);
    const started = Date.now();
    const uri = item.uri;
    const index = Number(item.id.slice(item.id.lastIndexOf('#') + 1));
    try {
      if (!uri) throw new Error(vscode.l10n.t('The test has no file.'));
      const doc = await vscode.workspace.openTextDocument(uri);
      const file = this.files.parse(doc);
      const block: RequestBlock | undefined = file.requests[index];
      if (!block) throw new Error(vscode.l10n.t('The request is no longer in the file.'));
      const record = await this.files.sendBlock(doc, file, block, new Set());
      if (!record) {
        this.finish(run, item, { state: 'errored', messages: [vscode.l10n.t('The request was not sent (cancelled, or it failed on the way: see the notification).')] }, Date.now() - started);
        return;
      }
      const results = RequestFiles.evaluate(block, record);
      const failed = results.filter((r) => !r.passed);
      if (failed.length === 0) {
        this.finish(run, item, { state: 'passed' }, Date.now() - started);
        return;
      }
      const messages = failed.map((f) => {
        const message = new vscode.TestMessage(f.message);
        message.location = new vscode.Location(uri, new vscode.Range(f.expectation.span.line, f.expectation.span.start, f.expectation.span.line, f.expectation.span.end));
        return message;
      });
      this.outcomes.set(item.id, { state: 'failed', messages: failed.map((f) => f.message) });
      run.failed(item, messages, Date.now() - started);
    } catch (error) {
      this.finish(run, item, { state: 'errored', messages: [(error as Error).message] }, Date.now() - started);
    }
  }

  private finish(run: vscode.TestRun, item: vscode.TestItem, outcome: TestOutcome, duration: number): void {
    this.outcomes.set(item.id, outcome);
    if (outcome.state === 'passed') run.passed(item, duration);
    else run.errored(item, outcome.messages.map((m) => new vscode.TestMessage(m)), duration);
  }
}
