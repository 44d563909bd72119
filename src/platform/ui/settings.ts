/** The extension's settings (`contributes.configuration`), read in one place, each held to its range. */
import * as vscode from 'vscode';
import { checkBaseUrl } from '../resolver';
import type { RefreshSettings } from '../../sessions/sessionManager';
import { boundedNumber, type NumberBounds } from '../bounds';

/** Calling APIs: how much of an answer is read, and how Fetch All Pages pages. */
export interface ApiSettings {
  readonly maxResponseSizeMB: number;
  readonly fetchAllPagesLimit: number;
  /** Pages Fetch All Pages asks for at once, where the paging style allows it. */
  readonly pageConcurrency: number;
}

/** How the browser sign-in comes back: a loopback listener, VS Code's URI handler, or whichever fits the window. */
export type RedirectMode = 'auto' | 'loopback' | 'uriHandler';

export interface BrowserSignInSettings {
  readonly mode: RedirectMode;
  /** 0: any free port. */
  readonly loopbackPort: number;
  readonly timeoutMs: number;
}

/** Whether request files get this extension's CodeLenses and keybinding. */
export type RequestFileLenses = 'auto' | 'on' | 'off';

/** A datacenter the user listed in `concur.datacenters`. */
export interface ConfiguredDatacenter {
  label: string;
  baseUrl: string;
}

export const SECTION = 'concur';

export type RevokeChoice = 'ask' | 'never' | 'always';

/**
 * The settings, read when needed (so that changes apply at once). A value out of range or of the
 * wrong type is replaced by its default, and said once in the log.
 */
export class Settings {
  private readonly said = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {}

  private say(problem: string | undefined): void {
    if (problem && !this.said.has(problem)) {
      this.said.add(problem);
      this.warn(problem);
    }
  }

  private number(key: string, bounds: NumberBounds): number {
    const { value, problem } = boundedNumber(`${SECTION}.${key}`, vscode.workspace.getConfiguration(SECTION).get<unknown>(key, bounds.fallback), bounds);
    this.say(problem);
    return value;
  }

  /** Read raw: the session layer holds them to their ranges (and logs what it replaced). */
  refresh(): RefreshSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    return {
      lifetimeFraction: config.get<number>('refresh.lifetimeFraction', 0.75),
      failuresBeforeNotice: config.get<number>('refresh.failuresBeforeNotice', 3),
    };
  }

  /**
   * Extra sign-in hosts. The setting is application-scoped, and only the user's own value is read:
   * a workspace (a cloned repository) must not be able to add a look-alike datacenter to the list.
   * Entries that are not a usable base URL are left out and logged.
   */
  datacenters(): ConfiguredDatacenter[] {
    const value = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('datacenters')?.globalValue;
    if (!Array.isArray(value)) return [];
    const out: ConfiguredDatacenter[] = [];
    for (const d of value as unknown[]) {
      const entry = d as { label?: unknown; baseUrl?: unknown } | null;
      if (typeof entry !== 'object' || entry === null || typeof entry.label !== 'string' || typeof entry.baseUrl !== 'string') continue;
      const check = checkBaseUrl(entry.baseUrl);
      if (!check.ok) {
        this.say(`The concur.datacenters entry "${entry.label.slice(0, 40)}" is left out: ${check.message}`);
        continue;
      }
      out.push({ label: entry.label.slice(0, 80), baseUrl: check.origin });
    }
    return out;
  }

  /** VS Code's own proxy setting, honoured for Concur's hosts. */
  proxyUrl(): string | undefined {
    const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy');
    return proxy?.trim() || process.env.HTTPS_PROXY || process.env.https_proxy || undefined;
  }

  api(): ApiSettings {
    return {
      maxResponseSizeMB: this.number('api.maxResponseSizeMB', { min: 1, max: 1024, fallback: 100 }),
      fetchAllPagesLimit: this.number('api.fetchAllPagesLimit', { min: 1, max: 1_000_000, integer: true, fallback: 10_000 }),
      pageConcurrency: this.number('api.pageConcurrency', { min: 1, max: 16, integer: true, fallback: 4 }),
    };
  }

  /** The port the local Concur server's sign-in datacenter listens on (`concur.localServer.port`); 0: any free port. */
  localServerPort(): number {
    return this.number('localServer.port', { min: 0, max: 65535, integer: true, fallback: 0 });
  }

  browserSignIn(): BrowserSignInSettings {
    const mode = vscode.workspace.getConfiguration(SECTION).get<unknown>('signIn.browserRedirect', 'auto');
    return {
      mode: mode === 'loopback' || mode === 'uriHandler' ? (mode as RedirectMode) : 'auto',
      loopbackPort: this.number('signIn.loopbackPort', { min: 0, max: 65535, integer: true, fallback: 0 }),
      timeoutMs: this.number('signIn.browserTimeoutMinutes', { min: 1, max: 30, fallback: 5 }) * 60_000,
    };
  }

  /**
   * The scopes sign-in asks for when the caller names none (`concur.signIn.scopes`): names only,
   * each a run of characters without blanks or commas; anything else is left out and logged.
   */
  signInScopes(): string[] {
    const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('signIn.scopes', []);
    if (!Array.isArray(value)) {
      this.say('The concur.signIn.scopes setting is not a list of scopes; no scopes are asked for.');
      return [];
    }
    const scopes: string[] = [];
    for (const entry of value as unknown[]) {
      if (typeof entry === 'string' && /^[^\s,]{1,200}$/.test(entry.trim())) scopes.push(entry.trim());
      else this.say(`A concur.signIn.scopes entry is left out: ${JSON.stringify(entry).slice(0, 60)} is not a scope name.`);
    }
    return scopes;
  }

  /**
   * Whether Sign Out also revokes the app's access: asked once, then the answer is kept in the
   * user's settings. Only the user's own value counts: a workspace must not make sign-out revoke.
   */
  revokeAccess(): RevokeChoice {
    const value = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('signOut.revokeAccess')?.globalValue;
    return value === 'never' || value === 'always' ? value : 'ask';
  }

  async rememberRevokeAccess(choice: Exclude<RevokeChoice, 'ask'>): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('signOut.revokeAccess', choice, vscode.ConfigurationTarget.Global);
  }

  /** This extension's CodeLenses on request files: `auto` leaves them to REST Client or httpYac when one is installed. */
  requestFileLenses(): RequestFileLenses {
    const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('requestFiles.codeLens', 'auto');
    return value === 'on' || value === 'off' ? value : 'auto';
  }

  showWhenSignedOut(): boolean {
    return vscode.workspace.getConfiguration(SECTION).get<boolean>('statusBar.showWhenSignedOut', true) !== false;
  }
}
