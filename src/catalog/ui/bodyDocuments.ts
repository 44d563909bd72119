/**
 * Write requests: a POST, PUT or PATCH from the catalog opens its body as a JSON editor tab
 * (scheme `concur-body`, kept in memory), prefilled with the required fields of the operation's body
 * schema. The tab's `$schema` names that schema, served from the `concur-schema` scheme, so VS Code's
 * own JSON language service gives completion, hovers and validation from it. A CodeLens and an
 * editor-title button send the body; the sender asks before anything that changes data is sent.
 *
 * A form body (multipart/form-data or form-urlencoded, such as a receipt image upload) opens as a
 * JSON object of its fields, one value each; a file field holds a path, which a "Choose File…"
 * CodeLens above it fills in. It is sent as a real form: multipart parts with the file's bytes.
 */
import * as vscode from 'vscode';
import { endpointById, type Endpoint } from '../catalog';
import { formFromTab } from '../../calls/formBody';
import { bodyToSend, formFieldsOf, formSchema, initialBody, initialForm, isJsonBody, SCHEMA_SCHEME, servedBodySchema } from '../requestBody';
import { resolveApiTarget } from '../../platform/resolver';
import type { ApiRequest } from '../../calls/requestStore';
import type { SessionManager } from '../../sessions/sessionManager';
import { Command } from '../../platform/ids';
import { Disposable } from '../../platform/lifecycle';
import { UserError } from '../../platform/ui/commandErrors';
import { redactForCut } from '../../platform/redact';

export const BODY_SCHEME = 'concur-body';
export { SCHEMA_SCHEME };

/** A body tab and the request it belongs to. */
interface PendingBody {
  readonly request: ApiRequest;
  readonly endpoint?: Endpoint;
  content: Uint8Array;
  mtime: number;
  readonly ctime: number;
}

/** Where a body tab's request goes, for the CodeLens and the confirmation: "POST /list/v4/items to us2.api.concursolutions.com as Chris". */
export function describeDestination(request: ApiRequest, sessions: SessionManager): string {
  const session = request.sessionId ? sessions.getSession(request.sessionId) : sessions.activeSession;
  const resolution = session ? resolveApiTarget(request.target, session) : undefined;
  const what = `${request.method} ${resolution?.ok ? resolution.url.pathAndQuery : request.target}`;
  const host = resolution?.ok ? resolution.url.host : undefined;
  if (host && session) return vscode.l10n.t('{0} to {1} as {2}', what, host, session.label);
  if (host) return vscode.l10n.t('{0} to {1}', what, host);
  if (session) return vscode.l10n.t('{0} as {1}', what, session.label);
  return what;
}

export class BodyDocuments extends Disposable implements vscode.FileSystemProvider, vscode.TextDocumentContentProvider, vscode.CodeLensProvider {
  private readonly bodies = new Map<string, PendingBody>();
  private next = 1;
  private readonly fileEmitter = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.fileEmitter.event;
  private readonly lensEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensEmitter.event;

  constructor(
    private readonly sessions: SessionManager,
    private readonly send: (request: ApiRequest, options: { bodyProblems?: number }) => Promise<unknown>,
  ) {
    super();
    this._register(sessions.onDidChangeSessions(() => this.lensEmitter.fire()));
  }

  /** Opens a body tab for a request (its target already built from the parameters). */
  async open(request: ApiRequest, endpoint: Endpoint | undefined, given?: string): Promise<vscode.Uri> {
    const id = this.next++;
    const form = formFieldsOf(endpoint);
    const json = isJsonBody(endpoint) || form !== undefined;
    const name = `${request.method} ${shortPath(request.target).replace(/\//g, '∕')} ${form ? 'form' : 'body'}.${json ? 'json' : 'txt'}`.replace(/[?#\\]/g, '_');
    // Bodies are kept while the window lives (a tab closed by a language change must still send); the oldest go beyond 100.
    if (this.bodies.size >= 100) this.bodies.delete(this.bodies.keys().next().value as string);
    // A body that is not JSON (a form, XML) is sent with the content type the operation names.
    const contentType = endpoint?.body?.contentType;
    if (contentType && !json) request = { ...request, headers: { ...request.headers, 'content-type': contentType } };
    const uri = vscode.Uri.from({ scheme: BODY_SCHEME, path: `/${id}/${name}` });
    const now = Date.now();
    const text = given ?? (form && endpoint ? initialForm(endpoint, form.fields) : initialBody(endpoint, given));
    this.bodies.set(uri.path, { request, endpoint, content: new TextEncoder().encode(text), mtime: now, ctime: now });
    const doc = await vscode.workspace.openTextDocument(uri);
    if (json && doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: false });
    return uri;
  }

  /** "Send": the tab's body with its request, after the sender's confirmation. */
  async sendBody(uri?: vscode.Uri): Promise<unknown> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const pending = target && target.scheme === BODY_SCHEME ? this.bodies.get(target.path) : undefined;
    if (!target || !pending) throw new UserError(vscode.l10n.t('Open a request body tab first (pick a POST, PUT or PATCH endpoint in the API Catalog).'));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    const text = doc ? doc.getText() : new TextDecoder().decode(pending.content);
    const form = formFieldsOf(pending.endpoint);
    let request: ApiRequest;
    try {
      if (form) {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new Error(vscode.l10n.t('The form is not valid JSON ({0}). Fix it in the tab, then send again.', (error as Error).message));
        }
        request = { ...pending.request, form: formFromTab(value, form.kind, form.fields) };
      } else {
        request = { ...pending.request, body: bodyToSend(text, pending.endpoint?.id, isJsonBody(pending.endpoint)) };
      }
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    // Kept, so that closing the tab does not ask to save it.
    if (doc?.isDirty) await doc.save();
    // VS Code's JSON service reports schema differences as warnings and broken JSON as errors.
    const problems = doc ? vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).length : 0;
    return this.send(request, { bodyProblems: problems || undefined });
  }

  /** The request a body tab sends, for tests and the CodeLens. */
  requestOf(uri: vscode.Uri): ApiRequest | undefined {
    return this.bodies.get(uri.path)?.request;
  }

  // ── concur-schema: the body schemas ──────────────────────────────────────────────────────

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = decodeURIComponent(uri.path.split('/')[1] ?? '');
    const endpoint = endpointById(id);
    const form = uri.path.endsWith('/form.json') ? formFieldsOf(endpoint) : undefined;
    if (form) return JSON.stringify(formSchema(form.fields, form.kind), null, 2);
    const schema = endpoint?.body?.schema;
    return JSON.stringify(schema === undefined ? {} : servedBodySchema(schema), null, 2);
  }

  /**
   * "Choose File…" above a form's file field: picks a file and writes its path as the field's value
   * (the rest of the form kept as it is).
   */
  async chooseFile(uri?: vscode.Uri, field?: string, picked?: vscode.Uri): Promise<string | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const pending = target && target.scheme === BODY_SCHEME ? this.bodies.get(target.path) : undefined;
    const form = formFieldsOf(pending?.endpoint);
    if (!target || !pending || !form) throw new UserError(vscode.l10n.t('Open a form body tab first (pick an operation whose body is a form, such as a receipt image upload).'));
    const files = form.fields.filter((f) => f.kind === 'file');
    const name = field ?? (files.length === 1 ? files[0].name : (await vscode.window.showQuickPick(files.map((f) => f.name), { placeHolder: vscode.l10n.t('Choose a file for which field?') })));
    if (!name) return undefined;
    const file =
      picked ??
      (
        await vscode.window.showOpenDialog({
          title: vscode.l10n.t('Choose the file for "{0}"', name),
          openLabel: vscode.l10n.t('Choose'),
          canSelectMany: false,
          filters: { [vscode.l10n.t('Images and PDF')]: ['png', 'jpg', 'jpeg', 'gif', 'tif', 'tiff', 'pdf'], [vscode.l10n.t('All files')]: ['*'] },
        })
      )?.[0];
    if (!file) return undefined;
    const doc = await vscode.workspace.openTextDocument(target);
    let value: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(doc.getText());
      value = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new UserError(vscode.l10n.t('The form is not valid JSON. Fix it in the tab, then choose the file again.'));
    }
    value[name] = file.fsPath;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), `${JSON.stringify(value, null, 2)}\n`);
    await vscode.workspace.applyEdit(edit);
    return file.fsPath;
  }

  // ── CodeLens ─────────────────────────────────────────────────────────────────────────────

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const pending = this.bodies.get(document.uri.path);
    if (!pending) return [];
    const lenses = [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: vscode.l10n.t('$(play) Send {0}', describeDestination(pending.request, this.sessions)),
        command: Command.sendBody,
        arguments: [document.uri],
      }),
    ];
    const form = formFieldsOf(pending.endpoint);
    if (form?.kind === 'multipart') {
      for (const field of form.fields.filter((f) => f.kind === 'file')) {
        const line = lineOfProperty(document, field.name);
        if (line === undefined) continue;
        lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: vscode.l10n.t('$(file) Choose File…'), command: Command.chooseFormFile, arguments: [document.uri, field.name] }));
      }
    }
    return lenses;
  }

  // ── concur-body: the file system the tabs live in (memory only) ─────────────────────────

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const body = this.bodies.get(uri.path);
    if (!body) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: body.ctime, mtime: body.mtime, size: body.content.byteLength };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const body = this.bodies.get(uri.path);
    if (!body) throw vscode.FileSystemError.FileNotFound(uri);
    return body.content;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const body = this.bodies.get(uri.path);
    if (!body) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A request body tab can only be saved while it is open.'));
    body.content = content;
    body.mtime = Date.now();
    this.fileEmitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.bodies.delete(uri.path);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

/** The line of a top-level property `"name":` in a form tab (forms are flat objects of one value each). */
function lineOfProperty(document: vscode.TextDocument, name: string): number | undefined {
  const key = JSON.stringify(name);
  for (let line = 0; line < Math.min(document.lineCount, 2000); line++) {
    if (document.lineAt(line).text.trimStart().startsWith(`${key}:`)) return line;
  }
  return undefined;
}

/** The path of a target for a tab title: redacted (a path can hold a token), then cut. */
function shortPath(target: string): string {
  let path = target;
  try {
    path = new URL(target).pathname;
  } catch {
    path = target.split('?')[0] ?? target;
  }
  path = redactForCut(path);
  return path.length > 60 ? `${path.slice(0, 24)}…${path.slice(-34)}` : path;
}
