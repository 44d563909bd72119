/**
 * Kept copies of API definition documents downloaded from the web (Concur's published files among
 * them), in the extension's global storage with the validators they came with (ETag,
 * Last-Modified): a window reads the kept copy without the network, and a reload asks the server
 * whether it changed (a conditional GET, answered 304 when it did not). Every window of VS Code
 * shares the folder; each copy is written to a temporary file and renamed into place, so a reader
 * never sees half a file. Knows nothing of VS Code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HttpClient } from '../platform/http';
import { fetchDefinition, type Validators } from './definitionFetch';
import { describeError } from '../platform/errors';
import { l10n } from '../platform/l10n';

interface KeptMeta extends Validators {
  readonly url: string;
  /** When the copy was downloaded or last confirmed current (ms). */
  readonly checkedAt: number;
}

export type FetchMode =
  /** The kept copy when there is one (no request), else a download. */
  | 'kept'
  /** Ask the server (conditionally when a copy is kept); the kept copy when the server cannot be reached. */
  | 'revalidate';

export interface KeptText {
  readonly text: string;
  /** Said when the text is a kept copy that could not be checked (the server was unreachable). */
  readonly note?: string;
  /** Whether the network was used. */
  readonly downloaded: boolean;
}

export class DefinitionStore {
  constructor(
    private readonly folder: string,
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  private files(url: string): { text: string; meta: string } {
    const name = createHash('sha256').update(url).digest('hex').slice(0, 32);
    return { text: path.join(this.folder, `${name}.txt`), meta: path.join(this.folder, `${name}.json`) };
  }

  /** The kept copy of a URL, if any. */
  async kept(url: string): Promise<{ text: string; meta: KeptMeta } | undefined> {
    const files = this.files(url);
    try {
      const meta = JSON.parse(await fs.readFile(files.meta, 'utf8')) as KeptMeta;
      if (meta.url !== url) return undefined;
      return { text: await fs.readFile(files.text, 'utf8'), meta };
    } catch {
      return undefined;
    }
  }

  /** A URL's text: kept or downloaded as the mode says, the download kept for next time. */
  async fetch(url: string, mode: FetchMode, signal?: AbortSignal): Promise<KeptText> {
    const kept = await this.kept(url);
    if (kept && mode === 'kept') return { text: kept.text, downloaded: false };
    try {
      const answer = await fetchDefinition(this.http, url, { signal, validators: kept ? { etag: kept.meta.etag, lastModified: kept.meta.lastModified } : undefined });
      if (answer.status === 304 && kept) {
        await this.write(url, kept.text, { ...kept.meta, checkedAt: this.now() });
        return { text: kept.text, downloaded: true };
      }
      if (answer.status === 200) {
        await this.write(url, answer.text, { url, ...answer.validators, checkedAt: this.now() });
        return { text: answer.text, downloaded: true };
      }
      throw new Error(l10n.t('{0} answered HTTP {1}.', url, answer.status));
    } catch (error) {
      signal?.throwIfAborted();
      if (!kept) throw error;
      // Offline, or the server failed: the copy kept before is still the best there is.
      return {
        text: kept.text,
        downloaded: false,
        note: l10n.t('{0} could not be checked for changes ({1}); the copy kept on {2} is used.', url, describeError(error), new Date(kept.meta.checkedAt).toISOString().slice(0, 10)),
      };
    }
  }

  private async write(url: string, text: string, meta: KeptMeta): Promise<void> {
    const files = this.files(url);
    await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
    const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(files.text + suffix, text, { mode: 0o600 });
    await fs.rename(files.text + suffix, files.text);
    await fs.writeFile(files.meta + suffix, JSON.stringify({ ...meta, url }), { mode: 0o600 });
    await fs.rename(files.meta + suffix, files.meta);
  }
}
