/**
 * Every page of a paged answer, handed to a sink in page order as the pages arrive, without keeping
 * them: what "Fetch All Pages to File" streams to disk, with memory that does not grow with the
 * number of items. Pages 2..n are asked for `concurrency` at a time where the first page says how
 * many there are (see `parallelPlan`), one after another otherwise. Every page URL goes through the
 * resolver like any request (`ApiClient.call`); a link to a page already fetched, or a page that adds
 * nothing but names a further one, stops the walk. Knows nothing of VS Code.
 */
import type { ApiCall, ApiClient, ApiResult, RateLimitWait } from './apiClient';
import type { PagingStyle } from '../catalog/catalog';
import { l10n } from '../platform/l10n';
import { CancelledError } from '../platform/errors';
import { nextPageUrl, pageItems, totalItems } from './paging';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, parallelPlan } from './parallelPager';

export interface PageStreamOptions {
  readonly concurrency?: number;
  readonly maxItems?: number;
  /** The first page, when it is already at hand. */
  readonly firstResult?: ApiResult;
  readonly firstBody?: unknown;
  readonly onPage?: (progress: { pages: number; items: number; total?: number }) => void;
  readonly onRateLimited?: (wait: RateLimitWait) => void;
}

export interface PageStreamOutcome {
  readonly pages: number;
  readonly items: number;
  readonly complete: boolean;
  /** The error answer that stopped the walk. */
  readonly stoppedBy?: ApiResult;
  readonly stopReason?: string;
}

export async function streamAllPages(
  client: ApiClient,
  first: ApiCall,
  style: PagingStyle,
  sink: (items: readonly unknown[]) => Promise<void>,
  options: PageStreamOptions = {},
): Promise<PageStreamOutcome> {
  const firstResult = options.firstResult ?? (await client.call(first, options.onRateLimited));
  if (firstResult.status >= 300) return { pages: 0, items: 0, complete: false, stoppedBy: firstResult, stopReason: l10n.t('the first page answered HTTP {0}', firstResult.status) };
  const firstBody: unknown = options.firstBody ?? JSON.parse(firstResult.body.toString('utf8'));
  const total = totalItems(style, firstBody);
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  let items = 0;
  let pages = 0;
  const take = async (body: unknown): Promise<number> => {
    const got = pageItems(style, body);
    const kept = got.length > max - items ? got.slice(0, Math.max(0, max - items)) : got;
    await sink(kept);
    items += kept.length;
    pages++;
    options.onPage?.({ pages, items, total });
    return got.length;
  };
  const call = (target: string): Promise<ApiResult> => {
    if (first.signal?.aborted) throw new CancelledError();
    return client.call({ ...first, target, sessionId: firstResult.sessionId }, options.onRateLimited);
  };
  const limited = (): PageStreamOutcome => ({ pages, items, complete: false, stopReason: l10n.t('the limit of {0} items', max.toLocaleString('en-US')) });
  await take(firstBody);

  const plan = parallelPlan(style, firstResult.target.href, firstBody);
  if (plan) {
    const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)));
    // A window of pages at a time, written in order before the next window: memory holds one window.
    for (let start = 0; start < plan.length; start += concurrency) {
      if (items >= max) return limited();
      const window = await Promise.all(plan.slice(start, start + concurrency).map((url) => call(url)));
      for (const [offset, result] of window.entries()) {
        if (result.status >= 300) return { pages, items, complete: false, stoppedBy: result, stopReason: l10n.t('page {0} answered HTTP {1}', start + offset + 2, result.status) };
        if (items >= max) return limited();
        // An empty page is past the end: a total Concur overstated stops here, not after every planned page.
        if ((await take(JSON.parse(result.body.toString('utf8')))) === 0) return { pages, items, complete: true };
      }
    }
    return { pages, items, complete: true };
  }

  const visited = new Set<string>([firstResult.target.href]);
  let result = firstResult;
  let body = firstBody;
  for (;;) {
    if (items >= max) return limited();
    const link = nextPageUrl(style, result.target.href, body);
    if (!link) return { pages, items, complete: true };
    // A link from an answer goes where the resolver allows, as Fetch All Pages does: a refused one ends the walk with what was written.
    const resolution = await client.resolvePageLink(link, result.target, firstResult.sessionId, first.signal);
    if (!resolution.ok) return { pages, items, complete: false, stopReason: l10n.t("the next page's link was refused: {0}", resolution.message) };
    const next = resolution.url.href;
    if (visited.has(next)) return { pages, items, complete: false, stopReason: l10n.t('Concur sent a link to a page already fetched') };
    visited.add(next);
    result = await call(next);
    if (result.status >= 300) return { pages, items, complete: false, stoppedBy: result, stopReason: l10n.t('page {0} answered HTTP {1}', pages + 1, result.status) };
    body = JSON.parse(result.body.toString('utf8'));
    const added = await take(body);
    if (added === 0 && nextPageUrl(style, result.target.href, body)) return { pages, items, complete: false, stopReason: l10n.t('page {0} added no items but named a further page', pages) };
  }
}
