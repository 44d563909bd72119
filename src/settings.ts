/** The extension's settings (`contributes.configuration`), read in one place. */
import * as vscode from 'vscode';
import type { RefreshSettings } from './session/sessionManager';
import type { ApiSettings } from './ui/apiExplorer';
import type { ConfiguredDatacenter } from './ui/signIn';

export const SECTION = 'concur';

export function refreshSettings(): RefreshSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    lifetimeFraction: config.get<number>('refresh.lifetimeFraction', 0.75),
    failuresBeforeNotice: config.get<number>('refresh.failuresBeforeNotice', 3),
  };
}

export function configuredDatacenters(): ConfiguredDatacenter[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('datacenters', []);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (d): d is ConfiguredDatacenter => typeof d === 'object' && d !== null && typeof d.label === 'string' && typeof d.baseUrl === 'string',
  );
}

/** VS Code's own proxy setting, honoured for Concur's hosts. */
export function proxyUrl(): string | undefined {
  const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy');
  return proxy?.trim() || process.env.HTTPS_PROXY || process.env.https_proxy || undefined;
}

export function apiSettings(): ApiSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    maxResponseSizeMB: config.get<number>('api.maxResponseSizeMB', 50),
    fetchAllPagesLimit: config.get<number>('api.fetchAllPagesLimit', 10_000),
  };
}
