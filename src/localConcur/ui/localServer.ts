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
      const active = loadLocalConcur().activeScenarios(server);
      const host = new URL(server.url).host;
      this.statusBar.text = active.length ? vscode.l10n.t('$(server-process) Local Concur {0} · $(beaker) {1}', host, active.length) : vscode.l10n.t('$(server-process) Local Concur {0}', host);
      this.statusBar.tooltip = active.length
        ? vscode.l10n.t('The local Concur server runs at {0} (home datacenter {1}); scenarios on: {2}. Click for its demo company and sign-in.', server.url, server.geoUrl, active.map(scenarioLabel).join(', '))
        : vscode.l10n.t('The local Concur server runs at {0} (home datacenter {1}). Click for its demo company and sign-in.', server.url, server.geoUrl);
      this.statusBar.accessibilityInformation = { label: vscode.l10n.t('Local Concur server at {0}', server.url) };
      this.statusBar.show();
    } else {
      this.statusBar.hide();
    }
    this.docEmitter.fire(LocalServer.uri);
    this.lensEmitter.fire();
    this.stateEmitter.fire();
  }

  /** The settings a user's own code needs, as environment variables (a .env file's lines). */
  connectionSettings(): string {
    const server = this.server;
    if (!server) throw new UserError(vscode.l10n.t('The local Concur server is not running. Start it with "Concur: Start Local Concur Server".'));
    const demo = server.demo;
    return [
      `# ${vscode.l10n.t('The local Concur server of Concur API Explorer: made-up credentials that work only there.')}`,
      `CONCUR_BASE_URL=${server.url}`,
      `CONCUR_CLIENT_ID=${demo.clientId}`,
      `CONCUR_CLIENT_SECRET=${demo.clientSecret}`,
      `CONCUR_USERNAME=${demo.username}`,
      `CONCUR_PASSWORD=${demo.password}`,
      `CONCUR_COMPANY_ID=${demo.companyId}`,
      `CONCUR_COMPANY_REQUEST_TOKEN=${demo.companyRequestToken}`,
      '',
    ].join('\n');
  }

  provideTextDocumentContent(): string {
    const server = this.server;
    if (!server) {
      return `# ${vscode.l10n.t('Local Concur server')}\n\n${vscode.l10n.t('It is not running. Start it with "Concur: Start Local Concur Server".')}\n`;
    }
    const demo = server.demo;
    const active = loadLocalConcur().activeScenarios(server);
    const operations = server.definitionOperations();
    const expires = new Date(demo.companyRequestTokenExpiresAt * 1000).toISOString().replace('T', ' ').slice(0, 16);
    const lines = [
      `# ${vscode.l10n.t('Local Concur server')}`,
      '',
      vscode.l10n.t('A stand-in for SAP Concur on this machine, for trying the Concur API without a Concur company. Its credentials are made up and work only here.'),
      '',
      `- ${vscode.l10n.t('Sign-in and token requests (the landing datacenter, "{0}"): {1}', demo.datacenters.landing.name, server.url)}`,
      `- ${vscode.l10n.t('The demo users\' home datacenter ("{0}", the geolocation Concur names): {1}', demo.datacenters.geo.name, server.geoUrl)}`,
      '',
      `## ${vscode.l10n.t('Demo company')}`,
      '',
      `| | |`,
      `| --- | --- |`,
      `| ${vscode.l10n.t('Company')} | ${demo.companyName} (\`${demo.companyId}\`) |`,
      `| ${vscode.l10n.t('Client id')} | \`${demo.clientId}\` |`,
      `| ${vscode.l10n.t('Client secret')} | \`${demo.clientSecret}\` |`,
      `| ${vscode.l10n.t('User')} | \`${demo.username}\` |`,
      `| ${vscode.l10n.t('Password')} | \`${demo.password}\` |`,
      `| ${vscode.l10n.t('Company request token')} | \`${demo.companyRequestToken}\` (${vscode.l10n.t('valid until {0} UTC', expires)}) |`,
      '',
      `## ${vscode.l10n.t('Users')}`,
      '',
      vscode.l10n.t('Every user\'s password is {0}. Some show how Concur refuses a sign-in:', `\`${demo.password}\``),
      '',
      `| ${vscode.l10n.t('User')} | ${vscode.l10n.t('Password sign-in')} |`,
      `| --- | --- |`,
      ...demo.users.map((u) => `| \`${u.username}\` | ${u.code === undefined ? (u.home === 'geo' ? vscode.l10n.t('signed in') : vscode.l10n.t('signed in at the landing datacenter; code 16 at the other')) : vscode.l10n.t('Concur\'s code {0}', u.code)} |`),
      '',
      `## ${vscode.l10n.t('Your own code')}`,
      '',
      vscode.l10n.t('"Copy Connection Settings" above copies the base URL, client id and secret and a user as environment variables. From a terminal:'),
      '',
      '```sh',
      `curl -s -X POST ${server.url}/oauth2/v0/token -d grant_type=password -d client_id=${demo.clientId} -d client_secret=${demo.clientSecret} -d username=${encodeURIComponent(demo.username)} -d password=${demo.password}`,
      '```',
      '',
      vscode.l10n.t('The answer is code 16 with a geolocation: sign in again there, as Concur asks, and call the APIs there with the access token.'),
      '',
      `## ${vscode.l10n.t('APIs')}`,
      '',
      operations === 1
        ? vscode.l10n.t('Every built-in catalog entry answers from the demo company, and 1 operation of the API definitions in the catalog answers with an example made from its response schema.')
        : vscode.l10n.t('Every built-in catalog entry answers from the demo company, and {0} operations of the API definitions in the catalog answer with examples made from their response schemas.', operations),
      '',
      `## ${vscode.l10n.t('Scenarios')}`,
      '',
      active.length ? vscode.l10n.t('On: {0}.', active.map(scenarioLabel).join(', ')) : vscode.l10n.t('None is on. "Scenarios…" above switches on an expired token, code 108 on refresh, code 16, 429, 500, latency or large answers.'),
      '',
    ];
    return lines.join('\n');
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== LOCAL_SERVER_SCHEME) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (!this.server) return [new vscode.CodeLens(top, { title: vscode.l10n.t('$(play) Start the Local Concur Server'), command: Command.startLocalServer })];
    return [
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(sign-in) Sign In to It'), command: Command.signInToLocalServer, tooltip: vscode.l10n.t('Signs in as the demo user with the demo app, in one step') }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(copy) Copy Connection Settings'), command: Command.copyLocalServerConnection }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(beaker) Scenarios…'), command: Command.chooseLocalServerScenarios }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(debug-stop) Stop'), command: Command.stopLocalServer }),
    ];
  }
}

/** A scenario's name, as the quick pick and the tab say it. */
export function scenarioLabel(id: LocalConcurModule.ScenarioId): string {
  switch (id) {
    case 'expiredToken':
      return vscode.l10n.t('Expired access token');
    case 'refreshRevoked':
      return vscode.l10n.t('Code 108 on refresh');
    case 'wrongDatacenter':
      return vscode.l10n.t('Code 16: another datacenter');
    case 'rateLimited':
      return vscode.l10n.t('429 Too Many Requests');
    case 'serverError':
      return vscode.l10n.t('500 Internal Server Error');
    case 'latency':
      return vscode.l10n.t('Latency');
    case 'largeAnswers':
      return vscode.l10n.t('Large answers');
  }
}

/** What a scenario does, for the quick pick's detail line. */
export function scenarioDetail(id: LocalConcurModule.ScenarioId): string {
  const m = loadLocalConcur();
  switch (id) {
    case 'expiredToken':
      return vscode.l10n.t('Now: every access token issued so far expires; the next API call gets 401 "Access token has expired".');
    case 'refreshRevoked':
      return vscode.l10n.t('Now: every refresh token issued so far is revoked; the next refresh gets code 108 and the user signs in again.');
    case 'wrongDatacenter':
      return vscode.l10n.t('Once: the next token request at the landing datacenter gets code 16 with the geolocation to sign in at.');
    case 'rateLimited':
      return vscode.l10n.t('Until switched off: every API call gets 429 with retry-after: {0}.', m.RATE_LIMIT_RETRY_AFTER);
    case 'serverError':
      return vscode.l10n.t('Until switched off: every API call gets 500 Internal Server Error.');
    case 'latency':
      return vscode.l10n.t('Until switched off: every API call is answered after {0} seconds.', m.LATENCY_MS / 1000);
    case 'largeAnswers':
      return vscode.l10n.t('Until switched off: every successful API answer is about {0} MB.', m.LARGE_ANSWER_MB);
  }
}
