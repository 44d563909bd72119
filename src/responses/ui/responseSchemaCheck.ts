/**
 * Answers checked against their schema: when the operation a response answers declares a schema for
 * its status, the response tab gets a diagnostic wherever the answer differs from it (a required
 * field missing, a value of the wrong type, a value outside an enum), and the response status entry
 * counts them. The check is a standard JSON Schema validator (Ajv, in the lazily loaded bundle).
 */
import * as vscode from 'vscode';
import { endpointById } from '../../catalog/catalog';
import { jsonPathOf, schemaForStatus } from '../../catalog/responseSchema';
import type { Log } from '../../platform/ui/log';
import { isJsonBody, responseJson, type ResponseRecord } from '../../calls/requestStore';
import { Disposable } from '../../platform/lifecycle';
import { loadOpenApi } from '../../catalog/ui/apiDefinitions';
import { RESPONSE_SCHEME, type ResponseDocuments } from './responses';

function positionAt(lineStarts: number[], offset: number): vscode.Position {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return new vscode.Position(low, offset - lineStarts[low]);
}

/** Answers larger than this are not checked against their schema. */
const MAX_CHECKED_BYTES = 10 * 1024 * 1024;

export class ResponseSchemaCheck extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('concur-response-schema'));
  private readonly counts = new Map<number, number>();

  constructor(
    private readonly documents: ResponseDocuments,
    private readonly log: Log,
  ) {
    super();
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === RESPONSE_SCHEME) this.collection.delete(doc.uri);
      }),
    );
  }

  /** Checks an answer against its operation's schema; the number of differences, or undefined when there is no schema to check. */
  check(record: ResponseRecord): number | undefined {
    if (this.counts.has(record.id)) return this.counts.get(record.id);
    const endpoint = record.request.endpointId ? endpointById(record.request.endpointId) : undefined;
    const schema = schemaForStatus(endpoint?.responses, record.result.status);
    if (schema === undefined || !isJsonBody(record) || record.body.file || record.result.truncated) return undefined;
    // Validation runs on the extension host's thread: an answer this large is not checked, and the log says so.
    if (record.result.bytes > MAX_CHECKED_BYTES) {
      this.log.info(`${record.result.request.method} ${record.result.target.pathAndQuery}: the answer (${record.result.bytes} bytes) is larger than the ${MAX_CHECKED_BYTES / 1024 / 1024} MB checked against a schema`);
      return undefined;
    }
    const { checkAgainstSchema, locateInJson } = loadOpenApi();
    const mismatches = checkAgainstSchema(responseJson(record), schema);
    const text = record.body.text;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const diagnostics = mismatches.map((m) => {
      const { offset, length } = locateInJson(text, m.path);
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(positionAt(lineStarts, offset), positionAt(lineStarts, offset + Math.max(1, length))),
        vscode.l10n.t('{0} (at {1})', m.message, jsonPathOf(m.path)),
        vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = endpoint ? vscode.l10n.t('{0} schema', endpoint.product) : vscode.l10n.t('API definition schema');
      diagnostic.code = m.kind;
      return diagnostic;
    });
    this.collection.set(this.documents.uri(record), diagnostics);
    this.counts.set(record.id, diagnostics.length);
    // Counts of responses long gone from the store are not kept for ever.
    if (this.counts.size > 1000) this.counts.delete(this.counts.keys().next().value as number);
    if (diagnostics.length) this.log.warn(`${record.result.request.method} ${record.result.target.pathAndQuery}: the answer differs from its schema in ${diagnostics.length} place${diagnostics.length === 1 ? '' : 's'}`);
    return diagnostics.length;
  }

  /** The differences found in a response (undefined when it had no schema). */
  count(recordId: number): number | undefined {
    return this.counts.get(recordId);
  }

  diagnostics(record: ResponseRecord): readonly vscode.Diagnostic[] {
    return this.collection.get(this.documents.uri(record)) ?? [];
  }
}
