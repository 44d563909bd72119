/**
 * The body of a write request as the body tab holds it: the tab's first text (the required fields of
 * the operation's body schema, after a `$schema` that names that schema for VS Code's JSON language
 * service), the schema served for it, and the text that is sent (the same, without that `$schema`).
 * Knows nothing of VS Code.
 */
import { ApiUsageError } from '../platform/errors';
import { l10n } from '../platform/l10n';
import { formKindOf, type Endpoint, type FormField, type FormKind, type JsonSchema } from './catalog';
import { skeleton } from './schemaSkeleton';

/** The scheme the body schemas are served from (a TextDocumentContentProvider in the extension). */
export const SCHEMA_SCHEME = 'concur-schema';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** Whether an endpoint's body is JSON (no stated content type counts as JSON, as Concur's APIs take it). */
export function isJsonBody(endpoint: Endpoint | undefined): boolean {
  const type = endpoint?.body?.contentType;
  return !type || /[/+]json\b/i.test(type);
}

/** The schema URI of an endpoint's request body, as the body tab's `$schema` names it. */
export function bodySchemaUri(endpointId: string): string {
  return `${SCHEMA_SCHEME}:/${encodeURIComponent(endpointId)}/request.json`;
}

/**
 * The schema served for a body: the operation's schema, and `$schema` allowed beside its fields (the
 * tab names its schema there; it is taken out before sending).
 */
export function servedBodySchema(schema: JsonSchema): Record<string, unknown> {
  const dialect = typeof schema === 'object' && typeof schema.$schema === 'string' ? schema.$schema : DRAFT_07;
  return {
    $schema: dialect,
    allOf: [schema],
    properties: { $schema: { type: 'string', description: 'The schema this tab is checked against (not sent).' } },
  };
}

/** The tab's first text: `$schema` (when the operation has a body schema), then the required fields. */
export function initialBody(endpoint: Endpoint | undefined, given?: string): string {
  if (given !== undefined) return given;
  if (!isJsonBody(endpoint)) return '';
  const schema = endpoint?.body?.schema;
  const value = schema === undefined ? {} : skeleton(schema);
  if (!endpoint || schema === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return `${JSON.stringify(value ?? {}, null, 2)}\n`;
  return `${JSON.stringify({ $schema: bodySchemaUri(endpoint.id), ...(value as Record<string, unknown>) }, null, 2)}\n`;
}

/**
 * The body as sent: the tab's text without the `$schema` this extension put there, and otherwise as
 * the user wrote it. Throws a UserError that says where the JSON is broken.
 */
export function bodyToSend(text: string, endpointId: string | undefined, json = true): string | undefined {
  if (!text.trim()) return undefined;
  if (!json) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiUsageError(l10n.t('The body is not valid JSON ({0}). Fix it in the tab, then send again.', (error as Error).message));
  }
  const ours = endpointId ? bodySchemaUri(endpointId) : undefined;
  if (!ours || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || (parsed as Record<string, unknown>).$schema !== ours) return text;
  // Take out just that member, keeping the rest of the text (numbers, order, spacing) as written.
  const escaped = JSON.stringify(ours).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const withComma = new RegExp(`^(\\s*\\{)\\s*"\\$schema"\\s*:\\s*${escaped}\\s*,`);
  const alone = new RegExp(`^(\\s*\\{)\\s*"\\$schema"\\s*:\\s*${escaped}\\s*(?=\\})`);
  for (const pattern of [withComma, alone]) {
    const cut = text.replace(pattern, '$1');
    if (cut === text) continue;
    try {
      const again = JSON.parse(cut) as Record<string, unknown>;
      const { $schema: _dropped, ...rest } = parsed as Record<string, unknown>;
      if (JSON.stringify(again) === JSON.stringify(rest)) return cut;
    } catch {
      // Fall through to re-serialising.
    }
  }
  const { $schema: _dropped, ...rest } = parsed as Record<string, unknown>;
  return JSON.stringify(rest, null, 2);
}


// ── Form bodies (multipart/form-data, application/x-www-form-urlencoded) ────────────────────

/** The form fields the body tab offers for an endpoint, when its body is a form with known fields. */
export function formFieldsOf(endpoint: Endpoint | undefined): { kind: FormKind; fields: readonly FormField[] } | undefined {
  const kind = formKindOf(endpoint?.body?.contentType);
  const fields = endpoint?.body?.fields;
  return kind && fields && fields.length ? { kind, fields } : undefined;
}

/** The schema URI of an endpoint's form, as the form tab's `$schema` names it. */
export function formSchemaUri(endpointId: string): string {
  return `${SCHEMA_SCHEME}:/${encodeURIComponent(endpointId)}/form.json`;
}

/**
 * The schema served for a form tab: one text value per field (a file field's value is the file's
 * path), its required fields required, a pick list where the definition gives one.
 */
export function formSchema(fields: readonly FormField[], kind: FormKind): Record<string, unknown> {
  const properties: Record<string, unknown> = { $schema: { type: 'string', description: 'The schema this tab is checked against (not sent).' } };
  for (const field of fields) {
    const file = field.kind === 'file' && kind === 'multipart';
    const description = file
      ? [field.description, l10n.t('The path of the file to send (absolute, or from the workspace folder). Use "Choose File…" above the field.')].filter(Boolean).join(' — ')
      : field.description;
    properties[field.name] = {
      ...(file ? { type: 'string' } : { type: ['string', 'number', 'boolean'] }),
      ...(description ? { description } : {}),
      ...(field.choices ? { enum: [...field.choices] } : {}),
      ...(field.default !== undefined ? { default: field.default } : {}),
    };
  }
  return { $schema: DRAFT_07, type: 'object', required: fields.filter((f) => f.required).map((f) => f.name), properties };
}

/** The form tab's first text: `$schema`, then every field (empty, or its default); empty fields are not sent. */
export function initialForm(endpoint: Endpoint, fields: readonly FormField[]): string {
  const value: Record<string, string> = { $schema: formSchemaUri(endpoint.id) };
  for (const field of fields) value[field.name] = field.default ?? '';
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** How much of a body a confirmation shows: enough to recognise it, not so much that the dialog scrolls away. */
export const BODY_PREVIEW_CHARS = 1200;

/**
 * A write's body as a confirmation shows it: redacted first, then (JSON) indented, then cut to
 * `max` characters with a note of how much more there is. The redactor sees the whole body before
 * anything is cut or re-spaced, so no part of a secret is left at a cut or split by new spacing.
 */
export function bodyPreview(body: string, redact: (text: string) => string, max = BODY_PREVIEW_CHARS): string {
  let shown = redact(body);
  // A body the user sees indented reads better; re-serialising may decode an escape, so it is redacted again.
  if (shown.length <= 64 * 1024) {
    try {
      shown = redact(JSON.stringify(JSON.parse(shown), null, 2));
    } catch {
      // Not JSON (or no longer, where a redaction ended a string): shown as written.
    }
  }
  if (shown.length <= max) return shown;
  let cut = max;
  // Never end inside a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(shown.charAt(cut - 1))) cut--;
  return `${shown.slice(0, cut)}… ${l10n.t('({0} more characters)', (shown.length - cut).toLocaleString('en-US'))}`;
}
