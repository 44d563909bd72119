/**
 * "Fetch All Pages" with several pages in flight, for the paging styles whose first page says how
 * many pages there are: SCIM (`startIndex`/`count` + `totalResults`) and List v4 (`page` +
 * `page.totalPages`). Cursor and v3 pages each name the next one, so they are walked one at a time
 * by `ApiClient.fetchAllPages`, and so is any first page that does not say how many there are.
 *
 * Every page URL is the first page's checked URL with only `startIndex` / `page` changed, and goes
 * through `ApiClient.call` like any request, which resolves it again (`requireApiTarget`): a page
 * is never sent anywhere the resolver would not send it.
 *
 * The outcome has the shape of the sequential walk's, page for page: the items in page order,
 * `maxItems` ending the fetch at the same page, an error answer ending it just before that page.
 *
 * Rate limits: all workers share one gate. `ApiClient.call` first waits out 429s itself as it
 * always does (per request, as many times as the client is configured to); a 429 it finally hands
 * back closes the gate for the answer's `retry-after` (capped at 120 s): no worker sends a request
 * until it opens again, then the page that got the 429 is asked for again, at most 5 times before
 * its 429 ends the fetch like any error answer. A client built with `maxRateLimitRetries: 0` leaves
 * every 429 to the gate. Knows nothing of VS Code.
 */
import { setMaxListeners } from 'node:events';
import { sleep } from '../platform/clock';
import { l10n } from '../platform/l10n';
import { type ApiCall, type ApiClient, type ApiResult, type FetchAllOptions, type FetchAllOutcome, type RateLimitWait, retryAfterMs } from './apiClient';
import type { PagingStyle } from '../catalog/catalog';
import { CancelledError } from '../platform/errors';
import { mergePages, nextPageUrl, pageItems, totalItems } from './paging';

export interface ParallelFetchOptions extends FetchAllOptions {
  /** Pages in flight at once: 1–16 (values outside are clamped), default 4. */
  readonly concurrency?: number;
}

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 16;
/** How many times one page is asked for again after a 429 the client handed back. */
export const MAX_PAGE_RATE_LIMIT_RETRIES = 5;
/** Longest single wait of the shared rate-limit gate (the ApiClient's default cap). */
const MAX_GATE_WAIT_MS = 120_000;
/** A plan longer than this is not made (the walk is sequential then). */
const MAX_PLANNED_PAGES = 100_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a first page lets the rest be fetched in parallel (SCIM with totalResults, List v4 with
 * totalPages): the URLs of pages 2..n, in order — the very URLs the sequential walk would visit —
 * or undefined (then sequential). An empty list: the first page is the only one.
 */
export function parallelPlan(style: PagingStyle, firstUrl: string, firstBody: unknown): string[] | undefined {
  if (!isObject(firstBody)) return undefined;
  let url: URL;
  try {
    url = new URL(firstUrl);
  } catch {
    return undefined;
  }
  switch (style) {
    case 'scim': {
      // As nextPageUrl moves: by the items on a page, from the page's own startIndex.
      const total = firstBody.totalResults;
      if (typeof total !== 'number' || !Number.isFinite(total) || !Array.isArray(firstBody.Resources)) return undefined;
      const perPage = firstBody.Resources.length;
      const start = Number(firstBody.startIndex ?? url.searchParams.get('startIndex') ?? 1);
      if (!Number.isSafeInteger(start)) return undefined;
      if (perPage === 0 || start - 1 + perPage >= total) return [];
      if ((total - (start - 1 + perPage)) / perPage > MAX_PLANNED_PAGES) return undefined;
      if (!url.searchParams.has('count')) url.searchParams.set('count', String(perPage));
      const urls: string[] = [];
      for (let next = start + perPage; next - 1 < total; next += perPage) {
        url.searchParams.set('startIndex', String(next));
        urls.push(url.toString());
      }
      return urls;
    }
    case 'listv4': {
      const page = isObject(firstBody.page) ? firstBody.page : undefined;
      const number = page?.number;
      const totalPages = page?.totalPages;
      if (typeof number !== 'number' || typeof totalPages !== 'number' || !Number.isSafeInteger(number) || !Number.isSafeInteger(totalPages)) return undefined;
      if (number >= totalPages) return [];
      if (totalPages - number > MAX_PLANNED_PAGES) return undefined;
      const urls: string[] = [];
      for (let next = number + 1; next <= totalPages; next++) {
        url.searchParams.set('page', String(next));
        urls.push(url.toString());
      }
      return urls;
    }
    default:
      // cursor: each page names the next; v3: NextPage is a link, and no total is given.
      return undefined;
  }
}

/** What became of one planned page. */
type PageSlot =
  | { readonly ok: true; readonly result: ApiResult; readonly body: unknown; readonly items: number }
  | { readonly ok: false; readonly result: ApiResult };

/**
 * `ApiClient.fetchAllPages`, with pages 2..n fetched `concurrency` at a time when the first page
 * says how many there are (see `parallelPlan`); otherwise the sequential walk itself. Throws
 * `CancelledError` when `first.signal` aborts (in-flight requests are aborted with it), and what a
 * request throws (a network error, say) after stopping the other workers.
 */
export async function fetchAllPagesParallel(client: ApiClient, first: ApiCall, style: PagingStyle, options: ParallelFetchOptions = {}): Promise<FetchAllOutcome> {
  const firstResult = options.firstResult ?? (await client.call(first, options.onRateLimited));
  const sequential = (): Promise<FetchAllOutcome> => client.fetchAllPages(first, style, { ...options, firstResult });
  if (firstResult.status >= 300) return sequential();
  let firstBody: unknown = options.firstBody;
  if (firstBody === undefined) {
    try {
      firstBody = JSON.parse(firstResult.body.toString('utf8'));
    } catch {
      return sequential(); // which says what is wrong with the page, as it always has
    }
  }
  const plan = parallelPlan(style, firstResult.target.href, firstBody);
  if (!plan) return client.fetchAllPages(first, style, { ...options, firstResult, firstBody });

  const concurrency = clampConcurrency(options.concurrency);
  const total = totalItems(style, firstBody);
  const firstItems = pageItems(style, firstBody).length;
  const maxItems = options.maxItems;
  options.onPage?.({ pages: 1, items: firstItems, total });

  // Aborted by the caller's signal, or by this function when a request throws.
  const stop = new AbortController();
  const signal = first.signal ? AbortSignal.any([first.signal, stop.signal]) : stop.signal;
  // Each request in flight and each worker waiting at the gate listens to it: up to two per worker.
  setMaxListeners(2 * MAX_CONCURRENCY + 8, signal);
  const slots: (PageSlot | undefined)[] = new Array<PageSlot | undefined>(plan.length).fill(undefined);
  let nextIndex = 0;
  let inFlight = 0;
  let doneItems = firstItems;
  let donePages = 1;
  /** A page answered an error: nothing after it is scheduled. */
  let failed = false;
  let thrown: { error: unknown } | undefined;
  let gateUntil = 0;
  /** The first planned page that came back empty: a total Concur overstated ends there, not after every planned page. */
  let endIndex = plan.length;
  /** A 429 waited out inside the client (its own retries) closes the gate for every worker, too. */
  const onRateLimited = (wait: RateLimitWait): void => {
    gateUntil = Math.max(gateUntil, Date.now() + wait.waitMs);
    options.onRateLimited?.(wait);
  };

  const waitForGate = async (): Promise<void> => {
    for (let left = gateUntil - Date.now(); left > 0; left = gateUntil - Date.now()) await sleep(left, signal);
  };

  /** Whether another page is wanted: there is one, nothing stopped the fetch, and maxItems is not met by the pages done or coming. */
  const wanted = (): boolean =>
    !thrown &&
    !failed &&
    !signal.aborted &&
    nextIndex < endIndex &&
    // Pages in flight count as full pages; when some come back short, another round asks for more.
    (maxItems === undefined || doneItems + inFlight * firstItems < maxItems);

  const fetchPage = async (index: number): Promise<void> => {
    for (let retries = 0; ; retries++) {
      await waitForGate();
      if (signal.aborted) return;
      const result = await client.call({ ...first, target: plan[index], sessionId: firstResult.sessionId, signal }, onRateLimited);
      if (result.status === 429 && retries < MAX_PAGE_RATE_LIMIT_RETRIES) {
        const waitMs = Math.min(retryAfterMs(result.headers['retry-after'], Date.now()), MAX_GATE_WAIT_MS);
        gateUntil = Math.max(gateUntil, Date.now() + waitMs);
        options.onRateLimited?.({ waitMs, attempt: retries + 1 });
        continue;
      }
      if (result.status >= 300) {
        slots[index] = { ok: false, result };
        failed = true;
        return;
      }
      const body: unknown = JSON.parse(result.body.toString('utf8'));
      const items = pageItems(style, body).length;
      if (items === 0) endIndex = Math.min(endIndex, index);
      slots[index] = { ok: true, result, body, items };
      doneItems += items;
      donePages++;
      options.onPage?.({ pages: donePages, items: doneItems, total });
      return;
    }
  };

  const worker = async (): Promise<void> => {
    while (wanted()) {
      inFlight++;
      try {
        await fetchPage(nextIndex++);
      } catch (error) {
        if (!thrown) {
          thrown = { error };
          stop.abort();
        }
        return;
      } finally {
        inFlight--;
      }
    }
  };

  // A round ends when no worker can take a page; another starts only when pages came back short of maxItems.
  while (wanted()) {
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  if (first.signal?.aborted) throw new CancelledError();
  if (thrown) throw thrown.error;

  return assemble(style, firstResult, firstBody, firstItems, plan, slots, maxItems);
}

/** The outcome the sequential walk would have had over the same pages. */
function assemble(
  style: PagingStyle,
  firstResult: ApiResult,
  firstBody: unknown,
  firstItems: number,
  plan: readonly string[],
  slots: readonly (PageSlot | undefined)[],
  maxItems: number | undefined,
): FetchAllOutcome {
  const bodies: unknown[] = [firstBody];
  let items = firstItems;
  let last = firstResult;
  let lastBody = firstBody;
  const partial = (stopReason: string, stoppedBy?: ApiResult): FetchAllOutcome => ({
    merged: mergePages(style, bodies, false),
    pages: bodies.length,
    items,
    complete: false,
    last,
    stoppedBy,
    stopReason,
  });
  for (let i = 0; ; i++) {
    if (maxItems !== undefined && items >= maxItems) return partial(l10n.t('the limit of {0} items', maxItems.toLocaleString('en-US')));
    // A page that says it is the last one ends the walk there, as it ends the sequential one.
    if (i >= plan.length || !nextPageUrl(style, last.target.href, lastBody)) break;
    const slot = slots[i];
    if (!slot) return partial(l10n.t('page {0} was not fetched', bodies.length + 1)); // not reached: an earlier page stopped the fetch
    if (!slot.ok) return partial(l10n.t('page {0} answered HTTP {1}', bodies.length + 1, slot.result.status), slot.result);
    last = slot.result;
    lastBody = slot.body;
    bodies.push(slot.body);
    items += slot.items;
    if (slot.items === 0 && nextPageUrl(style, last.target.href, lastBody)) return partial(l10n.t('page {0} added no items but named a further page', bodies.length));
  }
  return { merged: mergePages(style, bodies, true), pages: bodies.length, items, complete: true, last };
}

function clampConcurrency(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return DEFAULT_CONCURRENCY;
  return Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(value)));
}
