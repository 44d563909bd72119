/**
 * Request files: `.http`/`.rest` files (language id `http`, the one REST Client and httpYac use) whose
 * requests are sent with a signed-in Concur session by reference, so that a file never holds a
 * secret. CodeLenses ("Send Request", "Send All", "Copy as cURL"), `Ctrl+Alt+R` for the request
 * under the cursor, diagnostics (malformed lines, unknown variables, a token pasted into the file,
 * with a quick fix), and the Testing view for `# @expect` lines.
 *
 * Where a request goes is decided as for everything else: the expanded URL is an `ApiRequest`
 * target, which the resolver checks inside the sender. `{{$concur.accessToken}}` is never expanded
 * into text: it may stand only in the Authorization header, and means "the session's token", which
 * the API client adds at send time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { claimsOf, subjectOf } from '../../auth/jwt';
import { toCurl } from '../../calls/curl';
import { endpointForPath } from '../../catalog/catalog';
import { headerRule } from '../../platform/headers';
import { redactForCut } from '../../platform/redact';
import { hostOf, RefusedTargetError, requireApiTarget } from '../../platform/resolver';
import type { Log } from '../../platform/ui/log';
import { loadResponseJson, responseJson, type ApiRequest, type ResponseRecord } from '../../calls/requestStore';
import { buildBody, joinHeaders, RequestBuildError } from '../body';
import { evaluateExpectation } from '../expectations';
import { parseRequestFile, requestAt, type BodyInclude, type FileVariable, type ParsedRequestFile, type RequestBlock } from '../parse';
import { TargetJudge, type RequestProblem, type VariableOrigins } from '../targets';
import { findLiteralTokens, isSecretName } from '../secrets';
import { ACCESS_TOKEN_MARKER, expandVariables, expansionBudget, isBuiltinReference, variableReferences, type VariableSources } from '../variables';
import type { WrittenRequest } from '../../calls/requestStore';
import type { SessionManager } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import { Command, ContextKey, BuiltinCommand } from '../../platform/ids';
import { Disposable } from '../../platform/lifecycle';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import type { DocumentEnvironment, RequestEnvironments } from './requestEnvironments';
import type { RequestFileLenses } from '../../platform/ui/settings';

export const HTTP_LANGUAGE = 'http';
const SESSION_REFERENCE = '{{$concur.accessToken}}';
/** No file goes into a body whole beyond this (Concur's receipt images are a few MB). */
const MAX_INCLUDE_BYTES = 64 * 1024 * 1024;

/** The extensions that also send `.http` files: with one of them installed, this one adds no second "Send Request" unless asked to. */
export const OTHER_HTTP_CLIENTS = ['humao.rest-client', 'anweber.vscode-httpyac'];


/** What sending needs from the rest of the extension. */
export interface RequestFileSender {
  send(request: ApiRequest): Promise<ResponseRecord | undefined>;
}

/** A named request's last answer in this window, for `{{name.response…}}`. */
interface NamedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export class RequestFiles extends Disposable implements vscode.CodeLensProvider, vscode.CodeActionProvider {
  private readonly parsed = new Map<string, { version: number; file: ParsedRequestFile }>();
  /** Each open file's requests that would not be sent, by request index: judged once per version and generation. */
  private readonly judged = new Map<string, { version: number; generation: number; problems: ReadonlyMap<number, readonly RequestProblem[]> }>();
  /** Bumped when what a judgement depends on besides the text changes: the sessions, the environment, an answer. */
  private generation = 0;
  /**
   * Each open file's judgements by session, kept for the next edit while the generation and the file's
   * variables stay the same: an edit judges only the requests it changed.
   */
  private readonly remembered = new Map<string, { context: string; bySession: Map<string, Map<string, readonly RequestProblem[]>> }>();
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('concur-request-files'));
  private readonly lensEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensEmitter.event;
  /** Named requests' last answers, by file and name. */
  private readonly named = new Map<string, NamedResponse>();
  /** The chosen environment and where its variables come from (attached by the composition root). */
  environments: RequestEnvironments | undefined;
  /** `# @prompt` values given in this window, by file and name: asked once, never written anywhere. */
  private readonly prompted = new Map<string, string>();
  /** Files outside the workspace folder the user allowed a request file to include, by request file. */
  private readonly allowedIncludes = new Map<string, Set<string>>();
  /** Asks for a `# @prompt` value (replaced in tests). */
  input: (options: vscode.InputBoxOptions) => Thenable<string | undefined> = (options) => vscode.window.showInputBox(options);

  constructor(
    private readonly sessions: SessionManager,
    private readonly sender: RequestFileSender,
    private readonly messages: Messages,
    private readonly log: Log,
    private readonly lensSetting: () => RequestFileLenses,
  ) {
    super();
    const check = (doc: vscode.TextDocument): void => {
      if (doc.languageId === HTTP_LANGUAGE) this.check(doc);
    };
    this._register(vscode.workspace.onDidOpenTextDocument(check));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => check(e.document)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.parsed.delete(doc.uri.toString());
        this.judged.delete(doc.uri.toString());
        this.remembered.delete(doc.uri.toString());
        this.diagnostics.delete(doc.uri);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('concur.requestFiles.codeLens')) void this.updateContext();
      }),
    );
    this._register(vscode.extensions.onDidChange(() => void this.updateContext()));
    // Which session a request goes with decides where it may go: judged again, and the lenses with it.
    this._register(sessions.onDidChangeSessions(() => this.recheckAll()));
    for (const doc of vscode.workspace.textDocuments) check(doc);
    void this.updateContext();
  }

  /** Uses the chosen environment's variables, and checks the open request files again when it changes. */
  attachEnvironments(environments: RequestEnvironments): void {
    this.environments = environments;
    this._register(environments.onDidChange(() => this.recheckAll()));
    this.recheckAll();
  }

  /** Checks every open request file again (its text unchanged): the sessions, the environment or an answer changed. */
  private recheckAll(): void {
    this.generation++;
    for (const doc of vscode.workspace.textDocuments) if (doc.languageId === HTTP_LANGUAGE) this.check(doc);
    this.lensEmitter.fire();
  }

  /** Whether this extension's CodeLenses and keybinding are on for request files. */
  lensesOn(): boolean {
    const setting = this.lensSetting();
    if (setting === 'on' || setting === 'off') return setting === 'on';
    return !OTHER_HTTP_CLIENTS.some((id) => vscode.extensions.getExtension(id));
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.requestFileLenses, this.lensesOn());
    this.lensEmitter.fire();
  }

  /** The parsed file (cached per document version). */
  parse(doc: vscode.TextDocument): ParsedRequestFile {
    const key = doc.uri.toString();
    const cached = this.parsed.get(key);
    if (cached && cached.version === doc.version) return cached.file;
    const file = parseRequestFile(doc.getText());
    this.parsed.set(key, { version: doc.version, file });
    return file;
  }

  // ── diagnostics ─────────────────────────────────────────────────────────────────────────

  check(doc: vscode.TextDocument): void {
    const file = this.parse(doc);
    const environment = this.environments?.forDocument(doc);
    const source = vscode.l10n.t('Concur request file');
    const out: vscode.Diagnostic[] = file.diagnostics.map((d) => {
      const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const diagnostic = new vscode.Diagnostic(spanRange(d.span), d.message, severity);
      diagnostic.source = source;
      return diagnostic;
    });
    const defined = new Set(file.variables.map((v) => v.name));
    for (const request of file.requests) for (const prompt of request.prompts ?? []) defined.add(prompt.name);
    for (const name of environment?.variables.keys() ?? []) defined.add(name);
    const names = new Set(file.requests.map((r) => r.name).filter((n): n is string => Boolean(n)));
    for (let line = 0; line < doc.lineCount; line++) {
      const text = doc.lineAt(line).text;
      if (!text.includes('{{')) continue;
      for (const ref of variableReferences(text)) {
        if (isKnownVariable(ref.name, defined, names)) continue;
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(line, ref.start, line, ref.end),
          vscode.l10n.t(
            'Unknown variable "{0}": define it with @{0} = … or in the chosen request environment ({1}), or use a built-in variable such as $guid, $datetime iso8601 or $processEnv NAME (completion after {{ lists them).',
            ref.name,
            this.environments?.selected ?? vscode.l10n.t('none chosen'),
          ),
          vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = source;
        diagnostic.code = 'unknown-variable';
        out.push(diagnostic);
      }
    }
    for (const span of findLiteralTokens(doc.getText())) {
      const diagnostic = new vscode.Diagnostic(
        spanRange(span),
        vscode.l10n.t('This looks like a token pasted into the file, where git would keep it. Use the signed-in session instead: leave out the Authorization header, or write {{$concur.accessToken}}.'),
        vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = source;
      diagnostic.code = 'literal-token';
      out.push(diagnostic);
    }
    const problems = this.problems(doc, file, environment);
    const judgedHeaders = new Set<number>();
    for (const [index, found] of problems) {
      const request = file.requests[index];
      for (const problem of found) {
        const diagnostic = new vscode.Diagnostic(problemRange(doc, request, problem), this.messages.redact(problem.message), vscode.DiagnosticSeverity.Error);
        diagnostic.source = source;
        if (problem.header === undefined) diagnostic.code = 'refused-target';
        else {
          diagnostic.code = 'request-header';
          judgedHeaders.add(request.headers[problem.header].line);
        }
        out.push(diagnostic);
      }
    }
    out.push(...headerDiagnostics(doc, file, source, judgedHeaders));
    this.diagnostics.set(doc.uri, out);
  }

  /**
   * The requests of a file that would not be sent for their target or headers, by request index,
   * judged as sending judges them (targets.ts) for the session each would use: once per version of
   * the file and of what else they depend on (sessions, environment, answers in this window).
   */
  private problems(doc: vscode.TextDocument, file: ParsedRequestFile, environment?: DocumentEnvironment): ReadonlyMap<number, readonly RequestProblem[]> {
    const key = doc.uri.toString();
    const cached = this.judged.get(key);
    if (cached && cached.version === doc.version && cached.generation === this.generation) return cached.problems;
    const env = environment ?? this.environments?.forDocument(doc);
    const origins = this.origins(env);
    // What the judgements of earlier edits still hold for: this generation and these file variables.
    let context = String(this.generation);
    for (const variable of file.variables) context += `\n${variable.name}=${variable.value}`;
    let memory = this.remembered.get(key);
    if (memory?.context !== context) this.remembered.set(key, (memory = { context, bySession: new Map() }));
    const { bySession } = memory;
    // One judge per session the file's requests use: each reference is expanded once for it.
    const judges = new Map<string, TargetJudge>();
    const problems = new Map<number, readonly RequestProblem[]>();
    for (const request of file.requests) {
      if (request.errors.length) continue;
      const session = this.sessionOf(request);
      const id = session?.id ?? '';
      let judge = judges.get(id);
      if (!judge) {
        let remembered = bySession.get(id);
        if (!remembered) bySession.set(id, (remembered = new Map()));
        judge = new TargetJudge({ session, sources: this.sources(doc, file, session, [], env), origins, remembered });
        judges.set(id, judge);
      }
      const found = judge.judge(request);
      if (found.length) problems.set(request.index, found);
    }
    this.judged.set(key, { version: doc.version, generation: this.generation, problems });
    return problems;
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.code === 'literal-token')
      .map((d) => {
        const action = new vscode.CodeAction(vscode.l10n.t('Use the signed-in Concur session instead of this token'), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, d.range, SESSION_REFERENCE);
        return action;
      });
  }

  // ── CodeLens ────────────────────────────────────────────────────────────────────────────

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.lensesOn()) return [];
    const file = this.parse(doc);
    const problems = this.problems(doc, file);
    const lenses: vscode.CodeLens[] = [];
    if (file.requests.length > 1) {
      const top = new vscode.Range(file.requests[0].firstLine, 0, file.requests[0].firstLine, 0);
      lenses.push(new vscode.CodeLens(top, { title: vscode.l10n.t('$(run-all) Send All ({0})', file.requests.length), command: Command.sendAllRequests, arguments: [doc.uri] }));
    }
    for (const request of file.requests) {
      const at = new vscode.Range(request.requestLine, 0, request.requestLine, 0);
      const problem = request.errors[0];
      if (problem) {
        // Not sent while it has an error: the lens says which line to fix (and the command says why).
        const title = vscode.l10n.t('$(error) Not sent: fix line {0} ({1})', problem.span.line + 1, clip(problem.message, 60));
        lenses.push(new vscode.CodeLens(at, { title, command: Command.sendRequestFromFile, arguments: [doc.uri, request.index] }));
        continue;
      }
      const refused = problems.get(request.index)?.[0];
      if (refused) {
        // Where it goes is refused: the lens says so instead of offering a Send that would fail.
        const line = refused.header === undefined ? request.requestLine : request.headers[refused.header].line;
        const title = vscode.l10n.t('$(error) Not sent: fix line {0} ({1})', line + 1, clip(this.messages.redact(refused.message), 60));
        lenses.push(new vscode.CodeLens(at, { title, command: Command.sendRequestFromFile, arguments: [doc.uri, request.index] }));
        continue;
      }
      lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('$(play) Send Request'), command: Command.sendRequestFromFile, arguments: [doc.uri, request.index] }));
      lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Copy as cURL'), command: Command.copyRequestAsCurl, arguments: [doc.uri, request.index] }));
      if (request.expectations.length) {
        lenses.push(
          new vscode.CodeLens(at, {
            title: request.expectations.length === 1 ? vscode.l10n.t('$(beaker) Check 1 Expectation') : vscode.l10n.t('$(beaker) Check {0} Expectations', request.expectations.length),
            command: Command.runRequestFileTests,
            arguments: [doc.uri, request.index],
          }),
        );
      }
    }
    return lenses;
  }

  // ── sending ─────────────────────────────────────────────────────────────────────────────

  /** "Send Request": the request at `index`, or the one under the cursor. */
  async sendFromFile(uri?: vscode.Uri, index?: number): Promise<ResponseRecord | undefined> {
    const { doc, file, request } = await this.locate(uri, index);
    return this.sendBlock(doc, file, request, new Set());
  }

  /** "Send All": every request of the file, in order; stops at the first that cannot be sent. */
  async sendAll(uri?: vscode.Uri): Promise<(ResponseRecord | undefined)[]> {
    const { doc, file } = await this.locate(uri, 0);
    const out: (ResponseRecord | undefined)[] = [];
    for (const request of file.requests) out.push(await this.sendBlock(doc, file, request, new Set()));
    return out;
  }

  /** "Copy as cURL": with `$CONCUR_TOKEN` for the token, never the token itself. */
  async copyAsCurl(uri?: vscode.Uri, index?: number): Promise<string> {
    const { doc, file, request } = await this.locate(uri, index);
    refuseErrors(request);
    const session = this.sessionFor(request);
    // Judged as Send judges it, before anything is asked: the refusal names the variable it came from.
    this.refuseTarget(doc, file, request, session, [], 'copy');
    const prompted = await this.promptValues(doc, request);
    if (!prompted) return '';
    const built = await this.build(doc, file, request, session, new Set(), false, prompted);
    this.refuseTarget(doc, file, request, session, prompted, 'copy');
    const url = requireApiTarget(built.target, session);
    const command = toCurl({ method: built.method, url, headers: built.headers, body: built.body });
    await vscode.env.clipboard.writeText(command);
    this.messages.status(vscode.l10n.t('Copied as cURL (with $CONCUR_TOKEN)'), 4000);
    return command;
  }

  /** Sends a parsed request and returns its answer (also what the Testing view runs). */
  async sendBlock(doc: vscode.TextDocument, file: ParsedRequestFile, request: RequestBlock, running: Set<string>): Promise<ResponseRecord | undefined> {
    refuseErrors(request);
    const session = this.sessionFor(request);
    // What can be known now is judged before anything is asked or sent: no note, prompt or request
    // it depends on for a request that would be refused anyway.
    this.refuseTarget(doc, file, request, session, []);
    if (request.note !== undefined && !(await this.confirmNote(doc, request))) return undefined;
    const prompted = await this.promptValues(doc, request);
    if (!prompted) return undefined;
    const built = await this.build(doc, file, request, session, running, true, prompted);
    // Now with every value it uses (prompts, answers): a refusal names the variable it came from.
    this.refuseTarget(doc, file, request, session, prompted);
    // A path the catalog knows gets its entry: a 403 is explained with its scopes, an answer checked against its schema.
    const endpoint = endpointForPath(built.method, built.target);
    const record = await this.sender.send({ method: built.method, target: built.target, headers: built.headers, body: built.body, sessionId: session.id, endpointId: endpoint?.id, paging: endpoint?.paging ?? 'none', asWritten: built.written });
    if (record && request.name) {
      this.named.set(namedKey(doc, request.name), { status: record.result.status, headers: record.result.headers, body: (await loadResponseJson(record)) ?? record.body.text });
      // A request that uses this answer can be judged now.
      this.recheckAll();
    }
    return record;
  }

  private async build(
    doc: vscode.TextDocument,
    file: ParsedRequestFile,
    request: RequestBlock,
    session: Session,
    running: Set<string>,
    runNeeded: boolean,
    prompted: readonly FileVariable[],
  ): Promise<{ method: string; target: string; headers: Record<string, string>; body?: string | Uint8Array; written: WrittenRequest }> {
    const sources = this.sources(doc, file, session, prompted);
    // The request as a request file writes it back (Save Requests to File): what a file can refer to
    // by itself (environment variables, $processEnv, $dotenv, built-ins) stays a reference, so that no
    // value from the environment is written out; includes stay `< path` lines.
    const writeSources: VariableSources = { ...sources, budget: expansionBudget() };
    const written = (text: string): string => expandVariables(text, writeSources, { keepReferences: true }).text;
    const expand = async (text: string): Promise<string> => {
      let expansion = expandVariables(text, sources);
      if (expansion.needs.length) {
        if (!runNeeded) {
          const names = expansion.needs.map((n) => `"${n}"`).join(', ');
          throw new UserError(
            expansion.needs.length === 1
              ? vscode.l10n.t('This request uses the answer of {0}, which has not run yet in this window. Send that request first.', names)
              : vscode.l10n.t('This request uses the answers of {0}, which have not run yet in this window. Send those requests first.', names),
          );
        }
        for (const name of expansion.needs) {
          const needed = file.requests.find((r) => r.name === name);
          if (!needed) throw new UserError(vscode.l10n.t('There is no request named "{0}" (# @name {0}) in this file.', name));
          if (running.has(name)) throw new UserError(vscode.l10n.t('The requests named {0} depend on each other in a circle.', [...running, name].join(' → ')));
          running.add(name);
          await this.sendBlock(doc, file, needed, running);
          running.delete(name);
        }
        expansion = expandVariables(text, sources);
      }
      // The errors quote the file's own text: a hostile line cannot make the message endless.
      if (expansion.errors.length) throw new UserError(vscode.l10n.t('Line {0}\'s request cannot be sent: {1}.', request.requestLine + 1, clip(expansion.errors.join('; '))));
      if (expansion.unknown.length) {
        const unknown = clip(expansion.unknown.map((n) => `{{${n}}}`).join(', '));
        throw new UserError(
          expansion.unknown.length === 1
            ? vscode.l10n.t('Unknown variable {0} in line {1}\'s request. Define it with @name = value or in a request environment (Concur: Select Request Environment…).', unknown, request.requestLine + 1)
            : vscode.l10n.t('Unknown variables {0} in line {1}\'s request. Define them with @name = value or in a request environment (Concur: Select Request Environment…).', unknown, request.requestLine + 1),
        );
      }
      if (expansion.needs.length) throw new UserError(vscode.l10n.t('The answer of "{0}" is not there: its request did not answer.', expansion.needs[0]));
      return expansion.text;
    };
    const target = (await expand(request.url)).trim();
    if (target.includes(ACCESS_TOKEN_MARKER)) throw new UserError(vscode.l10n.t('{{$concur.accessToken}} may stand only in the Authorization header: a token never goes into a URL.'));
    const lines: { name: string; value: string }[] = [];
    const writtenHeaders: Record<string, string> = {};
    for (const header of request.headers) {
      if (header.name.toLowerCase() === 'authorization') {
        // The session's token is what goes, always, whatever the header says: a literal, {{token}} from
        // an environment, or a name defined nowhere. So it is not expanded for sending, and nothing
        // in it (an unknown name) stops the request.
        if (!expandVariables(header.value, sources).usesAccessToken) this.log.warn(`${path.basename(doc.uri.path)} line ${header.line + 1}: the Authorization header in the file is not sent; the request goes with the session's token.`);
        continue;
      }
      const value = await expand(header.value);
      if (value.includes(ACCESS_TOKEN_MARKER)) throw new UserError(vscode.l10n.t('{{$concur.accessToken}} may stand only in the Authorization header.'));
      lines.push({ name: header.name, value });
      // A repeated header is written back once per line, as the file has it.
      writtenHeaders[header.name] = writtenHeaders[header.name] === undefined ? written(header.value) : `${writtenHeaders[header.name]}, ${written(header.value)}`;
    }
    let built: { body?: string | Uint8Array; headers: Record<string, string> };
    try {
      built = await buildBody(request.body, joinHeaders(lines), { read: (include) => this.readInclude(doc, include), expand });
    } catch (error) {
      if (error instanceof RequestBuildError) throw new UserError(vscode.l10n.t('Line {0}\'s request cannot be sent: {1}', request.requestLine + 1, error.message));
      throw error;
    }
    const body = built.body;
    const marker = typeof body === 'string' ? body.includes(ACCESS_TOKEN_MARKER) : body !== undefined && Buffer.from(body.buffer, body.byteOffset, body.byteLength).includes(ACCESS_TOKEN_MARKER);
    if (marker) throw new UserError(vscode.l10n.t('{{$concur.accessToken}} may stand only in the Authorization header: a token never goes into a body.'));
    const writtenRequest: WrittenRequest = { target: written(request.url).trim(), headers: writtenHeaders, ...(request.body && body !== undefined ? { body: written(request.body.text) } : {}) };
    return { method: request.method, target, headers: built.headers, body, written: writtenRequest };
  }

  /**
   * Refuses a request whose target or headers the resolver or the header check would refuse, as the
   * editor's diagnostics say it, naming the variable a refused value came from and where that is
   * defined. (The sender checks the request again as it is built; this says where it came from.)
   */
  private refuseTarget(doc: vscode.TextDocument, file: ParsedRequestFile, request: RequestBlock, session: Session, prompted: readonly FileVariable[], action: 'send' | 'copy' = 'send'): void {
    const environment = this.environments?.forDocument(doc, { fresh: true });
    const judge = new TargetJudge({ session, sources: this.sources(doc, file, session, prompted, environment), origins: this.origins(environment) });
    const problem = judge.judge(request)[0];
    if (!problem) return;
    const line = request.requestLine + 1;
    const said = action === 'copy' ? vscode.l10n.t("Line {0}'s request is not copied as cURL. {1}", line, problem.message) : vscode.l10n.t("Line {0}'s request is not sent. {1}", line, problem.message);
    throw new RefusedTargetError(this.messages.redact(said));
  }

  /** Where environment and .env values come from, as messages name them. */
  private origins(environment: DocumentEnvironment | undefined): VariableOrigins {
    return {
      environment: (name) => {
        const variable = environment?.variables.get(name);
        return variable && { environment: variable.environment, where: this.environments?.describeSource(variable.source) ?? '' };
      },
      dotenv: (name) => {
        const found = environment?.dotenv(name).file;
        return found === undefined ? undefined : vscode.workspace.asRelativePath(vscode.Uri.file(found), false);
      },
    };
  }

  /** `# @note`: a modal question before the request goes (httpYac's confirmation). */
  private async confirmNote(doc: vscode.TextDocument, request: RequestBlock): Promise<boolean> {
    const send = vscode.l10n.t('Send');
    const where = vscode.l10n.t('{0} {1} (line {2} of {3})', request.method, clip(request.url, 120), request.requestLine + 1, path.basename(doc.uri.path));
    const message = request.note ? clip(request.note, 300) : vscode.l10n.t('Send {0}?', where);
    const detail = vscode.l10n.t('The request file asks you to confirm this request before it is sent (# @note): {0}.', where);
    return (await this.messages.ask(message, detail, send)) === send;
  }

  /**
   * The request's `# @prompt` values: asked once per file and name in this window (masked when the
   * name says it is a secret), kept in memory only. Undefined when the user cancels.
   */
  private async promptValues(doc: vscode.TextDocument, request: RequestBlock): Promise<FileVariable[] | undefined> {
    const values: FileVariable[] = [];
    for (const prompt of request.prompts ?? []) {
      const key = `${doc.uri.toString()}#${prompt.name}`;
      const secret = isSecretName(prompt.name);
      let value = this.prompted.get(key);
      if (value === undefined) {
        value = await this.input({
          title: vscode.l10n.t('{0} for {1} {2}', prompt.name, request.method, clip(request.url, 80)),
          prompt: prompt.description ?? vscode.l10n.t('The value of {0} for this request (# @prompt), kept until the window closes', `{{${prompt.name}}}`),
          password: secret,
          ignoreFocusOut: true,
        });
        if (value === undefined) return undefined;
        this.prompted.set(key, value);
      }
      if (secret) this.messages.redactor.add(value);
      values.push({ name: prompt.name, value, line: prompt.line });
    }
    return values;
  }

  /**
   * A `< file` include's bytes. It is read from inside the workspace folder of the request file (or,
   * without one, the request file's own folder tree); a file elsewhere, links followed, is read only
   * after the user said yes to its path, once per request file in this window. A cloned repository's
   * request file cannot send `../../somewhere/secret` on its own.
   */
  private async readInclude(doc: vscode.TextDocument, include: BodyInclude): Promise<Uint8Array> {
    if (doc.uri.scheme !== 'file') throw new UserError(vscode.l10n.t('A body from a file (< ./file.json) needs the request file to be saved on disk.'));
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
    const own = path.dirname(doc.uri.fsPath);
    let resolved = path.resolve(own, include.path);
    // REST Client also finds a relative path from the workspace folder.
    if (folder && !path.isAbsolute(include.path) && !fs.existsSync(resolved) && fs.existsSync(path.resolve(folder, include.path))) resolved = path.resolve(folder, include.path);
    const unreadable = (error: unknown): UserError => new UserError(vscode.l10n.t('The body file {0} (line {1}) could not be read: {2}', include.path, include.line + 1, (error as Error).message));
    let real: string;
    let boundary: string;
    try {
      real = await fs.promises.realpath(resolved);
      boundary = await fs.promises.realpath(folder ?? own);
    } catch (error) {
      throw unreadable(error);
    }
    const inside = path.relative(boundary, real);
    if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
      const allowed = this.allowedIncludes.get(doc.uri.toString());
      if (!allowed?.has(real)) {
        const read = vscode.l10n.t('Read and Send');
        const answer = await this.messages.ask(
          vscode.l10n.t('Send the file {0} as part of this request?', real),
          vscode.l10n.t('{0} (line {1}) includes a file outside {2}, where its requests read files without asking. Its content goes to Concur in the body.', path.basename(doc.uri.fsPath), include.line + 1, boundary),
          read,
        );
        if (answer !== read) throw new UserError(vscode.l10n.t('Not sent: the file {0} is outside {1} and was not allowed.', real, boundary));
        this.allowedIncludes.set(doc.uri.toString(), new Set([...(allowed ?? []), real]));
      }
    }
    try {
      const stat = await fs.promises.stat(real);
      if (stat.size > MAX_INCLUDE_BYTES) throw new Error(vscode.l10n.t('it is larger than {0} MB', MAX_INCLUDE_BYTES / 1024 / 1024));
      return await fs.promises.readFile(real);
    } catch (error) {
      throw unreadable(error);
    }
  }

  /**
   * A value from `.env` or the environment is kept out of the file for a reason: it is treated as a
   * secret, so that tab titles, the history, the log and messages show «redacted» where it stands (it
   * is still sent as written, and only to where the resolver allows).
   */
  private secretValue(value: string | undefined): string | undefined {
    this.messages.redactor.add(value);
    return value;
  }

  /**
   * What a request's `{{…}}` expand with: the file's variables, `# @prompt` values given, the chosen
   * environment (read again from its files unless given), .env, the process environment, the
   * session's claims (none without a session) and named requests' answers in this window.
   */
  private sources(doc: vscode.TextDocument, file: ParsedRequestFile, session: Session | undefined, prompted: readonly FileVariable[] = [], given?: DocumentEnvironment): VariableSources {
    const claims = session && claimsOf(session.accessToken);
    const environment = given ?? this.environments?.forDocument(doc, { fresh: true });
    return {
      // Prompted values last: they win over a file variable of the same name, as in REST Client.
      file: prompted.length ? [...file.variables, ...prompted] : file.variables,
      // One budget for the URL, the headers and the body of the request being built.
      budget: expansionBudget(),
      environment: (name) => {
        const variable = environment?.variables.get(name);
        // A value from a private env file or a .env file, or one that looks like a secret, is kept out of
        // view as $processEnv's are (one made of references registers what they give, not its own text).
        return variable?.secret && !variable.value.includes('{{') ? this.secretValue(variable.value) : variable?.value;
      },
      // REST Client's lookup: the nearest .env.<environment> or .env, from the file's folder up to the workspace folder.
      dotenv: (name) => this.secretValue(environment?.dotenv(name).value),
      processEnv: (name) => this.secretValue(process.env[name]),
      concur: (name) => {
        if (!session) return undefined;
        if (name === 'sub') return subjectOf(session.accessToken, session.idToken);
        if (name === 'geolocation') return session.geolocation;
        const company = claims?.['concur.company'];
        return typeof company === 'string' ? company : undefined;
      },
      response: (name) => this.named.get(namedKey(doc, name)),
    };
  }

  /** The session a request would go with (`# @concur-session`, else the active one), when it can go with one. */
  private sessionOf(request: RequestBlock): Session | undefined {
    const session = request.session ? this.findSession(request.session) : this.sessions.activeSession;
    return session?.state === 'active' ? session : undefined;
  }

  private findSession(named: string): Session | undefined {
    const wanted = named.trim().toLowerCase();
    return this.sessions.sessions.find((s) => s.label.toLowerCase() === wanted || s.accountId.toLowerCase() === wanted || s.id === named);
  }

  /** The session a request names (`# @concur-session`), else the active one. */
  private sessionFor(request: RequestBlock): Session {
    if (request.session) {
      const found = this.findSession(request.session);
      if (!found) {
        const signedIn = this.sessions.sessions.map((s) => s.label).join(', ');
        throw new UserError(
          signedIn
            ? vscode.l10n.t('No Concur session "{0}" (line {1}\'s # @concur-session). Signed in: {2}.', request.session, request.requestLine + 1, signedIn)
            : vscode.l10n.t('No Concur session "{0}" (line {1}\'s # @concur-session). Signed in: none.', request.session, request.requestLine + 1),
        );
      }
      if (found.state !== 'active') throw new UserError(vscode.l10n.t('The Concur session {0} has ended. Sign in again to send this request.', found.label));
      return found;
    }
    const active = this.sessions.activeSession;
    if (!active || active.state !== 'active') throw new UserError(vscode.l10n.t('Sign in to Concur to send requests from this file (Concur: Sign In).'));
    return active;
  }

  private async locate(uri: vscode.Uri | undefined, index: number | undefined): Promise<{ doc: vscode.TextDocument; file: ParsedRequestFile; request: RequestBlock }> {
    await this.sessions.initialize();
    const editor = vscode.window.activeTextEditor;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!doc || (doc.languageId !== HTTP_LANGUAGE && !/\.(http|rest)$/i.test(doc.uri.path))) throw new UserError(vscode.l10n.t('Open a request file (.http or .rest) first.'));
    const file = this.parse(doc);
    const request = typeof index === 'number' ? file.requests[index] : editor && editor.document === doc ? requestAt(file, editor.selection.active.line) : undefined;
    if (!request) {
      throw new UserError(
        file.requests.length ? vscode.l10n.t('Put the cursor in a request (between ### lines) to send it.') : vscode.l10n.t('This file has no request yet: write one such as GET /profile/v1/me.'),
      );
    }
    return { doc, file, request };
  }

  /** Runs a request's expectations against its answer (the Testing view). */
  static evaluate(request: RequestBlock, record: ResponseRecord): { expectation: RequestBlock['expectations'][number]; passed: boolean; message: string }[] {
    const response = { status: record.result.status, headers: record.result.headers, body: responseJson(record) ?? record.body.text };
    return request.expectations.map((expectation) => ({ expectation, ...evaluateExpectation(expectation, response) }));
  }
}

/**
 * Where a problem is shown: the reference that gave the refused part, else the whole URL on the
 * request line, or the header's name. A URL continued on further lines is marked on its first.
 */
function problemRange(doc: vscode.TextDocument, request: RequestBlock, problem: RequestProblem): vscode.Range {
  if (problem.header !== undefined) {
    const header = request.headers[problem.header];
    const text = doc.lineAt(header.line).text;
    const nameAt = Math.max(0, text.indexOf(header.name));
    if (problem.span) {
      const valueAt = text.indexOf(header.value, nameAt + header.name.length);
      if (valueAt >= 0) return new vscode.Range(header.line, valueAt + problem.span.start, header.line, valueAt + problem.span.end);
    }
    return new vscode.Range(header.line, nameAt, header.line, nameAt + header.name.length);
  }
  const span = request.urlSpan;
  const written = doc.lineAt(span.line).text.slice(span.start, span.end);
  // The columns are the URL's as parsed; a curl command's quoted URL, or a part on a later line, is marked as a whole.
  if (problem.span && request.url.startsWith(written) && problem.span.end <= written.length) {
    return new vscode.Range(span.line, span.start + problem.span.start, span.line, span.start + problem.span.end);
  }
  return spanRange(span);
}

function spanRange(span: { line: number; start: number; end: number }): vscode.Range {
  return new vscode.Range(span.line, span.start, span.line, Math.max(span.end, span.start + 1));
}

/** The file's text quoted in a message: redacted (a value from .env may stand in it), then cut. */
function clip(text: string, max = 300): string {
  const redacted = redactForCut(text);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

/** A request with an error diagnostic is not sent: the message names the line and what is wrong there. */
function refuseErrors(request: RequestBlock): void {
  const first = request.errors[0];
  if (!first) return;
  throw new UserError(
    request.errors.length === 1
      ? vscode.l10n.t('This request is not sent until line {0} is fixed: {1}', first.span.line + 1, clip(first.message))
      : vscode.l10n.t('This request is not sent until its {0} errors are fixed. The first, on line {1}: {2}', request.errors.length, first.span.line + 1, clip(first.message)),
  );
}

function namedKey(doc: vscode.TextDocument, name: string): string {
  return `${doc.uri.toString()}#${name}`;
}

function isKnownVariable(name: string, defined: ReadonlySet<string>, named: ReadonlySet<string>): boolean {
  // The built-ins the expansion knows (`$datetime iso8601`, `$dotenv NAME`, `$random.integer(1, 9)`).
  if (defined.has(name) || isBuiltinReference(name)) return true;
  const chained = /^([\w-]+)\.response\.(body|headers)\b/.exec(name);
  return chained !== null && named.has(chained[1]);
}

/**
 * Headers a request file may not set (headers.ts decides; the same rules hold when the request is
 * sent): `Host`, framing and connection headers, routing and method-override headers, an
 * Authorization with a literal value. An error where the request would be refused, a warning where
 * the header would be left out.
 */
function headerDiagnostics(doc: vscode.TextDocument, file: ParsedRequestFile, source: string, judged: ReadonlySet<number>): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const request of file.requests) {
    for (const header of request.headers) {
      const lower = header.name.toLowerCase();
      // The session's token by reference is what this header is for; a literal one has its own diagnostic.
      if (lower === 'authorization') continue;
      const rule = headerRule(header.name);
      let diagnostic: vscode.Diagnostic;
      const line = doc.lineAt(header.line);
      const start = Math.max(0, line.text.indexOf(header.name));
      const range = new vscode.Range(header.line, start, header.line, start + header.name.length);
      if (lower === 'host') {
        // Judged against the URL the session resolves (targets.ts): a refusal is said there.
        if (judged.has(header.line)) continue;
        // A full URL written out names its host whatever the session: a Host for another is refused.
        // Otherwise only the resolved URL can tell, and the Host is at least left out.
        const written = request.url.trim();
        const refused = !written.includes('{{') && !header.value.includes('{{') && /^[a-z][a-z0-9+.-]*:\/\//i.test(written) && hostOf(written).toLowerCase() !== header.value.trim().toLowerCase();
        diagnostic = new vscode.Diagnostic(
          range,
          vscode.l10n.t("A Host header is not sent: the request goes to the host in the URL, the only one the session's token goes to. One naming another host is refused; remove this line."),
          refused ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
      } else if (rule.kind === 'allow') {
        continue;
      } else {
        diagnostic = new vscode.Diagnostic(range, rule.message, rule.kind === 'refuse' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      }
      diagnostic.source = source;
      diagnostic.code = 'request-header';
      out.push(diagnostic);
    }
  }
  return out;
}
