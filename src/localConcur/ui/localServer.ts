/**
 * The local Concur server as a feature of the extension: started and stopped from the command
 * palette, on this machine only (127.0.0.1), on the port `concur.localServer.port` names (0: any
 * free port). While it runs, a status bar entry shows its address, and a read-only tab shows its
 * demo company, users and app, with CodeLenses that sign in to it in one step, copy its connection
 * settings for the user's own code, switch its scenarios and stop it.
 *
 * The server's code (dist/localConcur.js) is required on first start, never at activation. It answers
 * the operations of the API definitions in the catalog too: they are handed to it when it starts
 * and whenever the catalog's definitions change.
 */
import * as vscode from 'vscode';
import type * as LocalConcurModule from '../index';
import type { MockConcur } from '../types';
import { definitionEntries, onCatalogChange, type DefinitionEntries } from '../../catalog/catalog';
import { BuiltinCommand, Command, ContextKey } from '../../platform/ids';
import { Disposable } from '../../platform/lifecycle';
import { UserError } from '../../platform/ui/commandErrors';
import type { Log } from '../../platform/ui/log';

export const LOCAL_SERVER_SCHEME = 'concur-local';
/** The loopback address the server listens on: never another interface. */
export const LOCAL_SERVER_HOST = '127.0.0.1';

let bundle: typeof LocalConcurModule | undefined;

/** The server bundle, required on first use (the build maps this to dist/localConcur.js). */
export function loadLocalConcur(): typeof LocalConcurModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bundle ??= require('../index') as typeof LocalConcurModule;
  return bundle;
}

/** Whether the server bundle has been loaded in this extension host (for tests and the benchmark). */
export function localConcurLoaded(): boolean {
  return bundle !== undefined;
}

export interface LocalServerOptions {
  readonly log: Log;
  /** `concur.localServer.port`. */
  readonly port: () => number;
  /** The API definitions, loaded (the catalog reads them on first use). */
  readonly loadDefinitions: () => Promise<readonly DefinitionEntries[]>;
}

export class LocalServer extends Disposable implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider {
  private server: MockConcur | undefined;
  private starting: Promise<MockConcur> | undefined;
  private readonly docEmitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.docEmitter.event;
  private readonly lensEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensEmitter.event;
  private readonly stateEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the server starts or stops, or its scenarios change. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly statusBar = this._register(vscode.window.createStatusBarItem('concur.localServer', vscode.StatusBarAlignment.Left, 10));
  private catalogSubscription: (() => void) | undefined;
  private statusShown = false;

  /** What the status bar entry shows (for tests). */
  get statusEntry(): { readonly text: string; readonly tooltip: string; readonly visible: boolean } {
    return { text: this.statusBar.text, tooltip: typeof this.statusBar.tooltip === 'string' ? this.statusBar.tooltip : '', visible: this.statusShown };
  }

  constructor(private readonly options: LocalServerOptions) {
    super();
    this.statusBar.name = vscode.l10n.t('Local Concur Server');
    this.statusBar.command = Command.showLocalServer;
    this._register({ dispose: () => void this.stop() });
  }

  /** The running server, or undefined. */
  get running(): MockConcur | undefined {
    return this.server;
  }

  /** The tab's address. */
  static readonly uri = vscode.Uri.from({ scheme: LOCAL_SERVER_SCHEME, path: '/Local Concur Server.md' });

  /** Starts the server (once; a second call gets the same one). */
  start(): Promise<MockConcur> {
    if (this.server) return Promise.resolve(this.server);
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<MockConcur> {
    const port = this.options.port();
    const { startMockConcur } = loadLocalConcur();
    let server: MockConcur;
    try {
      server = await startMockConcur({ host: LOCAL_SERVER_HOST, port, geoPort: 0, quiet: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UserError(vscode.l10n.t('Port {0} on this machine is in use. Set concur.localServer.port to another port, or to 0 for any free one.', port));
      }
      throw error;
    }
    this.server = server;
    this.options.log.info(`Local Concur server started at ${server.url} (sign-in) and ${server.geoUrl} (the demo users' home datacenter)`);
    // The catalog's definitions: those loaded now, and each change later.
    try {
      server.setDefinitions(await this.options.loadDefinitions());
    } catch (error) {
      this.options.log.warn(`The local Concur server answers the built-in catalog only: the API definitions could not be read (${String(error)})`);
    }
    this.catalogSubscription = onCatalogChange(() => {
      this.server?.setDefinitions(definitionEntries());
      this.changed();
    });
    this.changed();
    return server;
  }

  /** Stops the server; its sessions' tokens die with it. */
  async stop(): Promise<boolean> {
    await this.starting?.catch(() => undefined);
    const server = this.server;
    if (!server) return false;
    this.server = undefined;
    this.catalogSubscription?.();
    this.catalogSubscription = undefined;
    await server.close();
    this.options.log.info(`Local Concur server at ${server.url} stopped`);
    if (!this.isDisposed) this.changed();
    return true;
  }

  /** The server's scenarios changed (or it started or stopped): the status bar, the tab and the lenses follow. */
  changed(): void {
    const server = this.server;
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.localServerRunning, server !== undefined);
    if (server) {
      const entry = loadLocalConcur().statusBarEntry(server);
      this.statusBar.text = entry.text;
      this.statusBar.tooltip = entry.tooltip;
      this.statusBar.accessibilityInformation = { label: entry.label };
      this.statusBar.show();
    } else {
      this.statusBar.hide();
    }
    this.statusShown = server !== undefined;
    this.docEmitter.fire(LocalServer.uri);
    this.lensEmitter.fire();
    this.stateEmitter.fire();
  }

  /** The settings a user's own code needs, as environment variables (a .env file's lines). */
  connectionSettings(): string {
    const server = this.server;
    if (!server) throw new UserError(vscode.l10n.t('The local Concur server is not running. Start it with "Concur: Start Local Concur Server".'));
    return loadLocalConcur().connectionSettings(server);
  }

  provideTextDocumentContent(): string {
    const server = this.server;
    if (!server) {
      return `# ${vscode.l10n.t('Local Concur server')}\n\n${vscode.l10n.t('It is not running. Start it with "Concur: Start Local Concur Server".')}\n`;
    }
    return loadLocalConcur().serverTab(server);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== LOCAL_SERVER_SCHEME) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (!this.server) return [new vscode.CodeLens(top, { title: vscode.l10n.t('$(play) Start the Local Concur Server'), command: Command.startLocalServer })];
    return loadLocalConcur()
      .tabLenses()
      .map((lens) => new vscode.CodeLens(top, lens));
  }
}
