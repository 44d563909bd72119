/** The commands on a response tab: its headers, a JSONPath filter, and comparing with another answer. */
import * as vscode from 'vscode';
import { isJsonBody, loadResponseJson, type KeptBody, type RequestStore, type ResponseRecord } from '../../calls/requestStore';
import { isCancellation } from '../../platform/errors';
import { Command } from '../../platform/ids';
import { loadJsonPath } from '../../platform/lazyJsonPath';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import { FilterExpressionError, filterJsonFileOffThread } from '../filterWorker';
import { formatBytes, type ResponseDocuments } from './responses';

export interface ResponseCommandServices {
  readonly messages: Messages;
  readonly globalState: vscode.Memento;
  readonly requests: RequestStore;
  readonly documents: ResponseDocuments;
  /** Opens a kept answer in its tab (the sender's). */
  readonly show: (record: ResponseRecord) => Promise<unknown>;
}

/** The response a command is about: the tab it was run from, or the active one. */
export function responseOf(documents: ResponseDocuments, uri?: vscode.Uri): ResponseRecord {
  const record = documents.fromUri(uri) ?? documents.active();
  if (!record) throw new UserError(vscode.l10n.t('Open a Concur response tab first (run a request from the API Catalog or "Concur: Call API…").'));
  return record;
}

export function registerResponseCommands(registry: CommandRegistry, services: ResponseCommandServices): vscode.Disposable[] {
  const { messages, requests, documents } = services;
  return registry.register({
    [Command.showResponseHeaders]: (uri?: vscode.Uri) => documents.showHeaders(responseOf(documents, uri)),
    [Command.filterResponse]: async (uri?: unknown, given?: unknown) => {
      const record = responseOf(documents, uri instanceof vscode.Uri ? uri : undefined);
      if (!isJsonBody(record)) throw new UserError(vscode.l10n.t('This response is not JSON: there is nothing to filter with JSONPath.'));
      const recent = services.globalState.get<string[]>(FILTER_HISTORY_KEY, []);
      const expression = typeof given === 'string' ? given : await askFilter(recent);
      if (!expression) return undefined;
      const notReadable = (error: unknown): UserError => new UserError(vscode.l10n.t('"{0}" is not a JSONPath expression this filter reads: {1}', expression, (error as Error).message));
      let body: KeptBody;
      let matches: number;
      if (record.body.file) {
        // A large answer is read, parsed and filtered in a worker thread: the window's extensions do not wait on it.
        const file = record.body.file;
        const outcome = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Concur: filtering {0}', formatBytes(record.body.fileBytes ?? 0)), cancellable: true },
          (_progress, cancel) => {
            const abort = new AbortController();
            cancel.onCancellationRequested(() => abort.abort());
            return filterJsonFileOffThread(file, expression, { signal: abort.signal }).catch((error: unknown) => {
              if (error instanceof FilterExpressionError) throw notReadable(error);
              if (isCancellation(error)) return undefined;
              throw error;
            });
          },
        );
        if (!outcome) return undefined;
        body = { text: outcome.text, language: 'json', jsonOmitted: true };
        matches = outcome.matches;
      } else {
        let selected: unknown[];
        try {
          selected = loadJsonPath()(expression, await loadResponseJson(record));
        } catch (error) {
          throw notReadable(error);
        }
        const value = selected.length === 1 ? selected[0] : selected;
        body = { text: JSON.stringify(value, null, 2) ?? 'null', language: 'json', json: value };
        matches = selected.length;
      }
      await services.globalState.update(FILTER_HISTORY_KEY, [expression, ...recent.filter((e) => e !== expression)].slice(0, 10));
      const filtered = requests.addResponse({
        request: { ...record.request, part: matches === 1 ? vscode.l10n.t('{0} · 1 match', expression) : vscode.l10n.t('{0} · {1} matches', expression, matches) },
        result: { ...record.result, body: Buffer.alloc(0), bytes: Buffer.byteLength(body.text) },
        body,
        paging: 'none',
      });
      await services.show(filtered);
      return filtered.id;
    },
    [Command.compareWithPrevious]: async (uri?: unknown) => {
      const record = responseOf(documents, uri instanceof vscode.Uri ? uri : undefined);
      let previous = requests.previousAnswer(record);
      if (!previous) {
        // No earlier answer to the same request: any other kept answer, picked.
        const others = requests.keptResponses().filter((r) => r.id !== record.id);
        if (others.length === 0) throw new UserError(vscode.l10n.t('There is no other response to compare with yet: run the request again, then compare.'));
        const picked = await vscode.window.showQuickPick(
          others.map((r) => ({ label: messages.redact(`${r.result.request.method} ${r.result.target.pathAndQuery}`), description: `${r.result.status}${r.request.part ? ` · ${r.request.part}` : ''}`, record: r })),
          { placeHolder: vscode.l10n.t('No earlier answer to this request is kept: compare with which response?') },
        );
        if (!picked) return undefined;
        previous = picked.record;
      }
      const title = messages.redact(`${record.result.request.method} ${record.result.target.pathAndQuery}: ${previous.result.status} ↔ ${record.result.status}`);
      await vscode.commands.executeCommand('vscode.diff', documents.uri(previous), documents.uri(record), title);
      return previous.id;
    },
  });
}

/** globalState: the last JSONPath expressions of Filter Response (expressions, never response data). */
const FILTER_HISTORY_KEY = 'concur.filterExpressions';

async function askFilter(recent: readonly string[]): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick();
  pick.title = vscode.l10n.t('Filter Response (JSONPath)');
  pick.placeholder = vscode.l10n.t('A JSONPath expression such as $.Resources[*].userName or $..[?(@.active==false)]');
  const apply = vscode.l10n.t('apply');
  const usedBefore = vscode.l10n.t('used before');
  const items = (value: string): vscode.QuickPickItem[] => [
    ...(value ? [{ label: value, description: apply }] : []),
    ...recent.filter((e) => e !== value).map((e) => ({ label: e, description: usedBefore })),
  ];
  pick.items = items('');
  pick.onDidChangeValue((value) => (pick.items = items(value.trim())));
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label ?? (pick.value.trim() || undefined));
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
