/**
 * Localized text for modules that do not import `vscode` (so they stay testable in plain Node).
 *
 * Inside VS Code this is `vscode.l10n.t`, which reads the extension's bundle for the display language
 * (`l10n/bundle.l10n.<language>.json`); elsewhere (unit tests, benchmarks, the local Concur server)
 * the English message is formatted the same way. Call it as `l10n.t('literal message {0}', arg)`:
 * the message must be a string literal so `npm run l10n:check` can see it.
 */

type Arg = string | number | boolean;
type Translate = (message: string, ...args: Arg[]) => string;

let translate: Translate | null | undefined;
/** Messages translated by the extension host for code that runs where `vscode` is not (a worker thread). */
let given: Record<string, string> = {};

/** Sets the translations used where `vscode` cannot be required (English message → translated message, placeholders kept). */
export function setTranslations(translations: Record<string, string>): void {
  given = { ...translations };
}

function host(): Translate | null {
  if (translate !== undefined) return translate;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vscode = require('vscode') as { l10n?: { t?: Translate } };
    translate = typeof vscode?.l10n?.t === 'function' ? vscode.l10n.t.bind(vscode.l10n) : null;
  } catch {
    translate = null;
  }
  return translate;
}

/** `{0}`, `{1}`… replaced by the arguments, as `vscode.l10n.t` does; unknown placeholders stay. */
export function format(message: string, args: readonly Arg[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

export const l10n = {
  t(message: string, ...args: Arg[]): string {
    const t = host();
    return t ? t(message, ...args) : format(given[message] ?? message, args);
  },
};
