import * as vscode from 'vscode';

export const EXTENSION_ID = 'concur-api-explorer.concur-api-explorer';

let activeBeforeTests: boolean | undefined;

export function recordActivationState(active: boolean): void {
  activeBeforeTests = active;
}

export function wasActiveBeforeTests(): boolean | undefined {
  return activeBeforeTests;
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export interface PackageJson {
  main: string;
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: unknown }[];
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    menus?: Record<string, { command: string; when?: string }[]>;
  };
}

export function packageJson(): PackageJson {
  return extension().packageJSON as PackageJson;
}
