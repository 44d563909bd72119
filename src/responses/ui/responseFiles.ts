/**
 * Large answers as files: above a size, a response tab is backed by a file in the extension's global
 * storage rather than by a string the extension host keeps (a 50 MB answer formatted is 80 MB or more
 * of text, and VS Code does not even hand documents above 50 MB to extensions).
 *
 * Each window (extension host process) writes under `responses/w<pid>/`, one folder per answer, the
 * file named like the tab (`GET ∕api∕v3.0∕… · 200.json`). A file is deleted when its tab closes or, if
 * no tab shows it, when the answer is no longer kept; the window's folder goes when the extension
 * stops, and folders of windows that are gone (their process no longer runs) at startup.
 *
 * The tab does not show the file itself but `concur-answer:/GET ∕api∕v3.0∕… · 200.json?id=N`, served
 * read-only from the file by the file system provider below: its breadcrumb and tooltip name the
 * request, not the storage folders, and VS Code's large-file question, which in the browser comes at
 * 10 MB for a remote file, is not asked of an answer the extension itself wrote (see
 * ResponseDocuments.show).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../../platform/ui/log';
import type { RequestStore, ResponseRecord } from '../../calls/requestStore';
import { Disposable } from '../../platform/lifecycle';

/** The scheme large answers' tabs show them under (a read-only file system of this extension's). */
export const ANSWER_SCHEME = 'concur-answer';

/** Answers larger than this (bytes received) are formatted in a worker thread. */
export const OFF_THREAD_BYTES = 1024 * 1024;
/** Answers larger than this (bytes received) are written to a file and shown from it. */
export const FILE_BACKED_BYTES = 16 * 1024 * 1024;

const WINDOW_FOLDER = /^w(\d+)$/;

export class ResponseFiles extends Disposable implements vscode.FileSystemProvider {
  readonly root: string;
  readonly folder: string;
  private next = 1;
  /** Settled when startup cleanup is done (tests wait for it). */
  readonly cleaned: Promise<void>;

  constructor(
    storage: vscode.Uri,
    private readonly store: RequestStore,
    private readonly log: Log,
  ) {
    super();
    this.root = path.join(storage.fsPath, 'responses');
    this.folder = path.join(this.root, `w${process.pid}`);
    this.cleaned = this.removeStale(true);
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        for (const tab of event.closed) {
          const file = tab.input instanceof vscode.TabInputText ? this.fileOf(tab.input.uri) : undefined;
          if (file && !this.shown(file)) this.closed(file);
        }
      }),
    );
    this._register(
      store.onDidForgetResponse((record) => {
        if (record.body.file && !this.shown(record.body.file)) void this.remove(record.body.file);
      }),
    );
    this._register({ dispose: () => fs.rmSync(this.folder, { recursive: true, force: true }) });
  }

  /** Where a large answer's text goes: a new folder of this window's, the file named like its tab. Wait for `cleaned` before writing. */
  pathFor(title: string, extension: string): string {
    const safe = [...title].map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
    const name = `${safe.slice(0, 120)}.${extension}`;
    return path.join(this.folder, String(this.next++), name);
  }

  owns(file: string): boolean {
    return path.dirname(path.dirname(file)) === this.folder;
  }

  /** The record whose text is in this file. */
  recordFor(file: string): ResponseRecord | undefined {
    return this.store.keptResponses().find((record) => record.body.file === file);
  }

  /** The file a tab's URI shows: a kept answer's, by the id in a `concur-answer:` URI (or the file itself). */
  fileOf(uri: vscode.Uri): string | undefined {
    if (uri.scheme === ANSWER_SCHEME) {
      const id = Number(new URLSearchParams(uri.query).get('id'));
      return this.store.keptResponses().find((record) => record.id === id)?.body.file ?? this.orphans.get(uri.toString());
    }
    return uri.scheme === 'file' && this.owns(uri.fsPath) ? uri.fsPath : undefined;
  }

  /** Files of answers no longer kept whose tab is still open (forgotten by a newer answer): served until it closes. */
  private readonly orphans = new Map<string, string>();

  /** The `concur-answer:` URI of a large answer's tab. */
  uriOf(record: ResponseRecord, title: string, extension: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: ANSWER_SCHEME, path: `/${`${title}.${extension}`.replace(/[?#\\]/g, '_')}`, query: `id=${record.id}` });
    if (record.body.file) this.orphans.set(uri.toString(), record.body.file);
    return uri;
  }

  /** Whether a tab in any group still shows this file. */
  private shown(file: string): boolean {
    const shows = (uri: vscode.Uri): boolean => this.fileOf(uri) === file;
    return vscode.window.tabGroups.all.some((group) =>
      group.tabs.some((tab) => (tab.input instanceof vscode.TabInputText ? shows(tab.input.uri) : tab.input instanceof vscode.TabInputTextDiff && (shows(tab.input.original) || shows(tab.input.modified)))),
    );
  }

  // ── concur-answer: the large answers, read-only ──────────────────────────────────────────

  private readonly changes = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changes.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.fileOf(uri);
    let stat: fs.Stats | undefined;
    try {
      stat = file ? fs.statSync(file) : undefined;
    } catch {
      stat = undefined;
    }
    if (!stat) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: stat.ctimeMs, mtime: stat.mtimeMs, size: stat.size, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const file = this.fileOf(uri);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      return await fs.promises.readFile(file);
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private closed(file: string): void {
    const record = this.recordFor(file);
    // Forgetting deletes the file (onDidForgetResponse); an answer no longer kept has only its file left.
    if (record) this.store.forget(record.id);
    else void this.remove(file);
  }

  private async remove(file: string): Promise<void> {
    for (const [uri, kept] of this.orphans) if (kept === file) this.orphans.delete(uri);
    try {
      await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
    } catch (error) {
      this.log.warn(`Could not delete the response file ${file}: ${(error as Error).message}`);
    }
  }

  /** Deletes the folders of windows whose extension host no longer runs (and this process's, from a previous life). Runs at startup. */
  async removeStale(atStartup = false): Promise<void> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.root);
    } catch {
      return;
    }
    for (const name of names) {
      const pid = Number(WINDOW_FOLDER.exec(name)?.[1]);
      // This process's own folder at startup is a dead window's whose process id came round again.
      if (!pid || (pid === process.pid ? !atStartup : alive(pid))) continue;
      await fs.promises.rm(path.join(this.root, name), { recursive: true, force: true }).catch((error: unknown) => this.log.warn(`Could not delete old response files: ${(error as Error).message}`));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
