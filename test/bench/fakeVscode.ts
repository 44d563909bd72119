/**
 * A stand-in for the `vscode` module, enough to require and activate the bundle in plain Node for
 * the activation benchmark: every member is a callable, constructible no-op that returns another.
 */
export function fakeVscode(): unknown {
  const make = (name: string): unknown => {
    const fn = function () {
      return undefined;
    };
    const assigned = new Map<PropertyKey, unknown>();
    return new Proxy(fn, {
      set(_target, prop, value) {
        assigned.set(prop, value);
        return true;
      },
      get(_target, prop) {
        if (assigned.has(prop)) return assigned.get(prop);
        if (prop === 'then') return undefined; // not a promise
        if (prop === Symbol.toPrimitive) return () => name;
        if (prop === 'version') return '1.100.3';
        if (prop === 'appName') return 'benchmark';
        if (prop === 'textDocuments' || prop === 'workspaceFolders') return [];
        return make(`${name}.${String(prop)}`);
      },
      apply(_target, _this, args: unknown[]) {
        if (name.endsWith('.executeCommand')) return Promise.resolve(undefined);
        if (name.endsWith('.getConfiguration')) return { get: (_key: string, fallback: unknown) => fallback };
        return make(`${name}()${args.length ? '' : ''}`);
      },
      construct() {
        return make(`new ${name}`) as object;
      },
    });
  };
  // A plain object with own members: bundlers copy a module's own properties when they import it.
  const names = [
    'window', 'commands', 'workspace', 'authentication', 'languages', 'env', 'extensions', 'Uri', 'EventEmitter', 'TreeItem',
    'ThemeIcon', 'ThemeColor', 'MarkdownString', 'StatusBarAlignment', 'ProgressLocation', 'TreeItemCollapsibleState',
    'QuickPickItemKind', 'QuickInputButtons', 'ConfigurationTarget', 'ViewColumn', 'Disposable', 'tests', 'TestRunProfileKind',
    'CodeActionKind', 'FoldingRangeKind', 'CodeLens', 'Range', 'Position', 'DiagnosticSeverity', 'FileType', 'FileSystemError',
    'lm', 'LanguageModelToolResult', 'LanguageModelTextPart', 'TabInputText', 'TabInputTextDiff',
  ];
  // Messages are strings, formatted as VS Code does for English.
  const l10n = { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)]))) };
  return Object.fromEntries([...names.map((n) => [n, make(n)]), ['l10n', l10n], ['version', '1.100.3']]);
}

export function fakeContext(version: string): unknown {
  return {
    subscriptions: [] as { dispose(): void }[],
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    extension: { packageJSON: { version } },
    logUri: { fsPath: '/tmp' },
    globalStorageUri: { fsPath: '/tmp/concur-bench-storage' },
  };
}
