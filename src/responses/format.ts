/**
 * Answers (`responses/`): this formatting, paging styles, the worker threads for large answers and
 * JSONPath filters; its ui/ holds the response tabs, answer files, the schema check and the
 * commands on a response tab.
 *
 * Response bodies as editor text: JSON pretty-printed, XML and HTML as they came, in the right language mode.
 */
import { l10n } from '../platform/l10n';

export type BodyLanguage = 'json' | 'xml' | 'html' | 'plaintext';

export interface FormattedBody {
  readonly text: string;
  readonly language: BodyLanguage;
  /** The parsed JSON, for paging. */
  readonly json?: unknown;
  /** What the reader should know: the body was cut, or is not the JSON it claims to be. */
  readonly note?: string;
}

export function languageFor(contentType: string, text: string): BodyLanguage {
  const type = contentType.toLowerCase();
  if (type.includes('json')) return 'json';
  if (type.includes('html')) return 'html';
  if (type.includes('xml')) return 'xml';
  const start = text.trimStart().slice(0, 15).toLowerCase();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  if (start.startsWith('<')) return 'xml';
  return 'plaintext';
}

/**
 * Pretty-prints JSON with the engine's own parser and serializer (the fastest there is for a
 * 20 MB body); other bodies stay as they are.
 */
export function formatBody(body: Buffer, contentType: string, truncated = false, limitMB?: number): FormattedBody {
  const raw = body.toString('utf8');
  if (truncated) {
    return {
      text: raw,
      language: 'plaintext',
      note: l10n.t('The body was cut at {0} MB (setting concur.api.maxResponseSizeMB); what arrived is shown as text.', limitMB ?? Math.round(body.length / 1_048_576)),
    };
  }
  const language = languageFor(contentType, raw);
  if (language !== 'json') return { text: raw, language };
  if (raw.trim() === '') return { text: '', language: 'plaintext', note: l10n.t('The body is empty.') };
  try {
    const json: unknown = JSON.parse(raw);
    return { text: JSON.stringify(json, null, 2), language: 'json', json };
  } catch (error) {
    return { text: raw, language: 'plaintext', note: l10n.t('The body is not valid JSON ({0}); it is shown as it came.', (error as Error).message) };
  }
}
