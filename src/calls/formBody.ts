/**
 * Form bodies — `multipart/form-data` (RFC 7578) and `application/x-www-form-urlencoded` — as the
 * body tab writes them (one value per field; a file field names a file on disk) and as they go out:
 * multipart with CRLF line ends, a boundary that occurs in no part, each file part read as bytes with
 * its file name and media type. Also the same form as cURL arguments and as request-file text.
 * Knows nothing of VS Code.
 */
import { ApiUsageError } from '../platform/errors';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { l10n } from '../platform/l10n';
import type { FormField, FormKind } from '../catalog/catalog';


/** A form as it is to be sent: the fields given (empty optional ones left out), files by path. */
export interface FormRequestBody {
  readonly kind: FormKind;
  readonly fields: readonly FormValue[];
}

export interface FormValue {
  readonly name: string;
  /** The text, or (a file field) the path of the file. */
  readonly value: string;
  readonly file?: boolean;
}

/** A form body ready for the wire. */
export interface EncodedForm {
  readonly body: Buffer;
  readonly contentType: string;
  /** Each part as the confirmation names it: "receipt (1.2 KB)", "image: receipt.png (34.0 KB)". */
  readonly summary: readonly string[];
}

/** Files larger than this are not sent from a form (Concur's receipt images are a few MB at most). */
export const MAX_FORM_FILE_BYTES = 50 * 1024 * 1024;

/**
 * The body tab's object (`{"receipt": "…", "image": "./receipt.png"}`) as a form: values as text
 * (numbers and booleans written as JSON writes them), empty ones left out, required ones checked.
 */
export function formFromTab(value: unknown, kind: FormKind, fields: readonly FormField[]): FormRequestBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiUsageError(l10n.t('The form must be a JSON object with one value per field. Fix it in the tab, then send again.'));
  }
  const out: FormValue[] = [];
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (name === '$schema' || raw === undefined || raw === null || raw === '') continue;
    if (typeof raw === 'object') throw new ApiUsageError(l10n.t('The form field "{0}" must be text, a number or true/false, not an object or list.', name));
    const field = fields.find((f) => f.name === name);
    out.push({ name, value: String(raw), ...(field?.kind === 'file' && kind === 'multipart' ? { file: true } : {}) });
  }
  const missing = fields.filter((f) => f.required && !out.some((v) => v.name === f.name)).map((f) => f.name);
  if (missing.length) {
    throw new ApiUsageError(
      missing.length === 1
        ? l10n.t('The form field "{0}" is required. Fill it in, then send again.', missing[0])
        : l10n.t('The form fields {0} are required. Fill them in, then send again.', missing.map((m) => `"${m}"`).join(', ')),
    );
  }
  return { kind, fields: out };
}

/** A file field's path as a full path: relative ones from `baseDir` (the workspace folder). */
export function resolveFormPath(value: string, baseDir: string | undefined): string {
  const trimmed = value.trim().replace(/^file:\/\//i, '');
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.join(process.env.HOME ?? process.env.USERPROFILE ?? '', trimmed.slice(1));
  return path.isAbsolute(trimmed) ? trimmed : path.resolve(baseDir ?? process.cwd(), trimmed);
}

/** The form on the wire: reads each file (checked: it exists, is a file, is not too large). */
export async function encodeForm(form: FormRequestBody, baseDir: string | undefined): Promise<EncodedForm> {
  if (form.kind === 'urlencoded') {
    const params = new URLSearchParams();
    for (const f of form.fields) params.append(f.name, f.value);
    const body = Buffer.from(params.toString(), 'utf8');
    return { body, contentType: 'application/x-www-form-urlencoded', summary: form.fields.map((f) => `${f.name} (${sizeText(Buffer.byteLength(f.value))})`) };
  }
  const parts: { header: string; content: Buffer; summary: string }[] = [];
  for (const f of form.fields) {
    if (f.file) {
      const file = resolveFormPath(f.value, baseDir);
      let content: Buffer;
      try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) throw new ApiUsageError(l10n.t('The form field "{0}" names {1}, which is not a file.', f.name, file));
        if (stat.size > MAX_FORM_FILE_BYTES) throw new ApiUsageError(l10n.t('The file {0} for "{1}" is larger than {2} MB.', file, f.name, MAX_FORM_FILE_BYTES / 1024 / 1024));
        content = await fs.readFile(file);
      } catch (error) {
        if (error instanceof ApiUsageError) throw error;
        throw new ApiUsageError(
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? l10n.t('The file {0} for the form field "{1}" does not exist. Choose another file, then send again.', file, f.name)
            : l10n.t('The file {0} for the form field "{1}" could not be read: {2}', file, f.name, (error as Error).message),
        );
      }
      const filename = path.basename(file);
      parts.push({
        header: `Content-Disposition: form-data; name="${quoted(f.name)}"; filename="${quoted(filename)}"\r\nContent-Type: ${mediaTypeOf(filename)}\r\n`,
        content,
        summary: `${f.name}: ${filename} (${sizeText(content.length)})`,
      });
    } else {
      const content = Buffer.from(f.value, 'utf8');
      // A value that is a JSON object or list goes as JSON (Receipts v4 reads its `receipt` part so).
      const json = isJsonText(f.value) ? 'Content-Type: application/json\r\n' : '';
      parts.push({ header: `Content-Disposition: form-data; name="${quoted(f.name)}"\r\n${json}`, content, summary: `${f.name} (${sizeText(content.length)})` });
    }
  }
  const boundary = boundaryFor(parts.map((p) => p.content));
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.header}\r\n`, 'utf8'), part.content, Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`, summary: parts.map((p) => p.summary) };
}

/** A boundary that occurs in no part (RFC 2046 §5.1.1: up to 70 characters). */
function boundaryFor(contents: readonly Buffer[]): string {
  for (;;) {
    const boundary = `----ConcurApiExplorer${randomBytes(12).toString('hex')}`;
    if (!contents.some((c) => c.includes(boundary))) return boundary;
  }
}

/** A name or file name inside a quoted Content-Disposition parameter (RFC 7578 §4.2: CR, LF and `"` percent-encoded). */
function quoted(text: string): string {
  return text.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));
}

function isJsonText(text: string): boolean {
  if (!/^\s*[{[]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.zip': 'application/zip',
};

/** The media type of a file by its extension (Concur accepts receipts as PNG, JPEG, GIF, TIFF and PDF). */
export function mediaTypeOf(filename: string): string {
  return MEDIA_TYPES[path.extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The form as cURL arguments: `-F name=value`, `-F name=@file` (with its type), or `--data-urlencode`. */
export function formCurlArguments(form: FormRequestBody, baseDir: string | undefined, quote: (text: string) => string): string[] {
  if (form.kind === 'urlencoded') return form.fields.map((f) => `--data-urlencode ${quote(`${f.name}=${f.value}`)}`);
  return form.fields.map((f) => {
    if (f.file) {
      const file = resolveFormPath(f.value, baseDir);
      return `-F ${quote(`${f.name}=@${file};type=${mediaTypeOf(file)}`)}`;
    }
    // `-F name=<value` would read a file; `--form-string` sends the text as written.
    return `--form-string ${quote(`${f.name}=${f.value}`)}`;
  });
}

/**
 * The form as a request file's body (REST Client's and httpYac's multipart syntax: parts between
 * `--boundary` lines, a file part's content as `< path`), with the Content-Type header it needs.
 */
export function formToHttpText(form: FormRequestBody, baseDir: string | undefined): { contentType: string; body: string } {
  if (form.kind === 'urlencoded') {
    return { contentType: 'application/x-www-form-urlencoded', body: form.fields.map((f, i) => `${i ? '&' : ''}${encodeURIComponent(f.name)}=${encodeURIComponent(f.value)}`).join('\n') };
  }
  const boundary = 'ConcurApiExplorerBoundary';
  const lines: string[] = [];
  for (const f of form.fields) {
    lines.push(`--${boundary}`);
    if (f.file) {
      const file = resolveFormPath(f.value, baseDir);
      lines.push(`Content-Disposition: form-data; name="${quoted(f.name)}"; filename="${quoted(path.basename(file))}"`, `Content-Type: ${mediaTypeOf(file)}`, '', `< ${file}`);
    } else {
      lines.push(`Content-Disposition: form-data; name="${quoted(f.name)}"`, '', f.value);
    }
  }
  lines.push(`--${boundary}--`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: lines.join('\n') };
}
