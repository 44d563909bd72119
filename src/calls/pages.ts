/**
 * The pages of a paged answer, one ordered walk for every consumer: "Fetch All Pages" (merged into
 * one document, its pages asked for one after another or several at a time) and "Fetch All Pages
 * to File" (streamed to a sink, memory not growing with the number of items) both read
 * `walkPages`, which owns what they must agree on:
 *
 * - **Where the next page is.** With `concurrency` 1, or for styles whose pages each name the next
 *   (cursor, v3), the walk follows each page's link (`nextPageUrl`), resolved by the resolver for the
 *   session's hosts relative to the page it came in (`ApiClient.resolvePageLink`): a link elsewhere
 *   is not followed. Where the first page says how many there are (SCIM `totalResults`, List v4
 *   `page.totalPages`) and `concurrency` is above 1, pages 2..n are the very URLs the link walk would
 *   visit (`parallelPlan`), `concurrency` of them asked for at a time. Every page goes through
 *   `ApiClient.call`, which resolves its URL again (`requireApiTarget`).
 * - **When it stops.** At the last page; at `maxItems`; at an error answer (kept as `stoppedBy`); at a
 *   link to a page already fetched, a refused link, or a page that adds nothing yet names a further
 *   one (each with a `stopReason` for the user). An empty planned page ends the schedule there: a
 *   total Concur overstated is not fetched page after empty page.
 * - **Rate limits.** One gate for the walk: `ApiClient.call` waits out 429s itself as it always does,
 *   and each such wait closes the gate for every other request of the walk; a 429 the client finally
 *   hands back closes it for the answer's `retry-after` (capped at 120 s), then the page is asked for
 *   again, at most 5 times before its 429 ends the walk like any error answer.
 * - **Cancellation.** `first.signal` aborting rejects with `CancelledError` at once, aborting the
 *   requests in flight; a reader that stops reading (`return()` on the iterator) aborts them too.
 *
 * Pages are handed over in page order; at most `concurrency` pages are in flight or waiting to be
 * read at once, so a slow reader holds back the requests. Knows nothing of VS Code.
 */
import { setMaxListeners } from 'node:events';
import { sleep } from '../platform/clock';
import { l10n } from '../platform/l10n';
import { type ApiCall, type ApiClient, type ApiResult, type RateLimitWait, retryAfterMs } from './apiClient';
import type { PagingStyle } from '../catalog/catalog';
import { CancelledError } from '../platform/errors';
import { mergePages, nextPageUrl, pageItems, totalItems } from '../responses/paging';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 16;
/** How many times one page is asked for again after a 429 the client handed back. */
export const MAX_PAGE_RATE_LIMIT_RETRIES = 5;
/** Longest single wait of the shared rate-limit gate (the ApiClient's default cap). */
const MAX_GATE_WAIT_MS = 120_000;
/** A plan longer than this is not made (the walk follows links then). */
const MAX_PLANNED_PAGES = 100_000;

export interface PageWalkOptions {
  /** Pages in flight at once: 1–16 (values outside are clamped). 1, the default, follows each page's link. */
  readonly concurrency?: number;
  /** No page is asked for once the pages read hold this many items. */
  readonly maxItems?: number;
  /** The first page, when it is already at hand (the response tab the user ran Fetch All from). */
  readonly firstResult?: ApiResult;
  readonly firstBody?: unknown;
  readonly onRateLimited?: (wait: RateLimitWait) => void;
}

/** One page of the walk. */
export interface Page {
  /** 1 for the first page. */
  readonly number: number;
  readonly result: ApiResult;
  readonly body: unknown;
  readonly items: readonly unknown[];
  /** The total number of items the first page announced, where it does. */
  readonly total?: number;
}

/** How a walk ended. */
export interface PageWalkEnd {
  /** The last page was reached. */
  readonly complete: boolean;
  /** An error answer that stopped the walk. */
  readonly stoppedBy?: ApiResult;
  /** Why the walk stopped before the last page, for the user (a cap, a refused link, a page that added nothing). */
  readonly stopReason?: string;
}

export interface PageProgress {
  readonly pages: number;
  readonly items: number;
  readonly total?: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a first page lets the rest be fetched in parallel (SCIM with totalResults, List v4 with
 * totalPages): the URLs of pages 2..n, in order — the very URLs the link walk would visit — or
 * undefined (then the walk follows links). An empty list: the first page is the only one.
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

/** A concurrency setting as the walk takes it: 1–16, `fallback` when unset. */
export function clampConcurrency(value: number | undefined, fallback = 1): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(value)));
}

/** The walk's one rate-limit gate: while it is closed, no request of the walk is sent. */
class RateLimitGate {
  private until = 0;

  constructor(private readonly report?: (wait: RateLimitWait) => void) {}

  /** A 429 the client waits out itself: the other requests of the walk wait too. */
  readonly onClientWait = (wait: RateLimitWait): void => {
    this.until = Math.max(this.until, Date.now() + wait.waitMs);
    this.report?.(wait);
  };

  /** A 429 the client handed back: closed for its retry-after. */
  close(result: ApiResult, attempt: number): void {
    const waitMs = Math.min(retryAfterMs(result.headers['retry-after'], Date.now()), MAX_GATE_WAIT_MS);
    this.until = Math.max(this.until, Date.now() + waitMs);
    this.report?.({ waitMs, attempt });
  }

  async passed(signal: AbortSignal): Promise<void> {
    for (let left = this.until - Date.now(); left > 0; left = this.until - Date.now()) await sleep(left, signal);
  }
}

/** What became of one planned page. */
type PageSlot =
  | { readonly ok: true; readonly result: ApiResult; readonly body: unknown; readonly items: readonly unknown[] }
  | { readonly ok: false; readonly result: ApiResult };

const limitReached = (maxItems: number): PageWalkEnd => ({ complete: false, stopReason: l10n.t('the limit of {0} items', maxItems.toLocaleString('en-US')) });
const failedPage = (number: number, result: ApiResult): PageWalkEnd => ({ complete: false, stoppedBy: result, stopReason: l10n.t('page {0} answered HTTP {1}', number, result.status) });
const addedNothing = (number: number): PageWalkEnd => ({ complete: false, stopReason: l10n.t('page {0} added no items but named a further page', number) });

/**
 * Every page of a paged answer, in page order, returning how the walk ended. Throws
 * `CancelledError` when `first.signal` aborts, and what a request throws (a network error, say)
 * after stopping the other requests; a page that is not JSON throws its parse error.
 */
export async function* walkPages(client: ApiClient, first: ApiCall, style: PagingStyle, options: PageWalkOptions = {}): AsyncGenerator<Page, PageWalkEnd, undefined> {
  const gate = new RateLimitGate(options.onRateLimited);
  const firstResult = options.firstResult ?? (await client.call(first, gate.onClientWait));
  if (firstResult.status >= 300) return { complete: false, stoppedBy: firstResult, stopReason: l10n.t('the first page answered HTTP {0}', firstResult.status) };
  const firstBody: unknown = options.firstBody ?? JSON.parse(firstResult.body.toString('utf8'));
  const total = totalItems(style, firstBody);
  const firstItems = pageItems(style, firstBody);
  const concurrency = clampConcurrency(options.concurrency);
  const plan = concurrency > 1 ? parallelPlan(style, firstResult.target.href, firstBody) : undefined;

  // Aborted by the caller's signal, or by the walk when a request throws or the reader stops reading.
  const stop = new AbortController();
  const signal = first.signal ? AbortSignal.any([first.signal, stop.signal]) : stop.signal;
  // Each request in flight and each request waiting at the gate listens to it: up to two per page in flight.
  setMaxListeners(2 * MAX_CONCURRENCY + 8, signal);
  const cancelled = (): boolean => first.signal?.aborted === true;
  const page: ApiCall = { ...first, sessionId: firstResult.sessionId, signal };

  /** One page through the gate: asked for again after a 429 the client handed back, up to the limit. */
  const fetchGated = async (target: string): Promise<ApiResult | undefined> => {
    for (let retries = 0; ; retries++) {
      await gate.passed(signal);
      if (signal.aborted) return undefined;
      const result = await client.call({ ...page, target }, gate.onClientWait);
      if (result.status === 429 && retries < MAX_PAGE_RATE_LIMIT_RETRIES) {
        gate.close(result, retries + 1);
        continue;
      }
      return result;
    }
  };

  try {
    yield { number: 1, result: firstResult, body: firstBody, items: firstItems, total };
    let items = firstItems.length;
    let number = 1;
    let last = firstResult;
    let lastBody = firstBody;

    if (!plan) {
      // Each page names the next.
      const visited = new Set<string>([firstResult.target.href]);
      for (;;) {
        if (options.maxItems !== undefined && items >= options.maxItems) return limitReached(options.maxItems);
        const link = nextPageUrl(style, last.target.href, lastBody);
        if (!link) return { complete: true };
        const resolution = await client.resolvePageLink(link, last.target, firstResult.sessionId, first.signal);
        if (!resolution.ok) return { complete: false, stopReason: l10n.t("the next page's link was refused: {0}", resolution.message) };
        if (visited.has(resolution.url.href)) return { complete: false, stopReason: l10n.t('Concur sent a link to a page already fetched ({0})', resolution.url.pathAndQuery) };
        visited.add(resolution.url.href);
        if (cancelled()) throw new CancelledError();
        const result = await fetchGated(resolution.url.href);
        if (!result || cancelled()) throw new CancelledError();
        if (result.status >= 300) return failedPage(number + 1, result);
        const body: unknown = JSON.parse(result.body.toString('utf8'));
        const got = pageItems(style, body);
        number++;
        items += got.length;
        last = result;
        lastBody = body;
        yield { number, result, body, items: got, total };
        if (got.length === 0 && nextPageUrl(style, last.target.href, lastBody)) return addedNothing(number);
      }
    }

    // Pages 2..n planned: up to `concurrency` in flight or waiting to be read at once.
    const slots = new Map<number, PageSlot>();
    let nextIndex = 0;
    let inFlight = 0;
    /** Pages asked for and not yet read: the window. */
    let held = 0;
    /** Items of the pages read or waiting to be read. */
    let doneItems = items;
    /** A page answered an error: nothing after it is scheduled. */
    let failed = false;
    let thrown: { error: unknown } | undefined;
    /** The first planned page that came back empty: the schedule ends there. */
    let endIndex = plan.length;
    let wake: (() => void) | undefined;
    const changed = (): void => {
      wake?.();
      wake = undefined;
    };
    signal.addEventListener('abort', changed, { once: true });

    const wanted = (): boolean =>
      !thrown &&
      !failed &&
      !signal.aborted &&
      nextIndex < endIndex &&
      held < concurrency &&
      // Pages in flight count as full pages; when some come back short, more are asked for.
      (options.maxItems === undefined || doneItems + inFlight * firstItems.length < options.maxItems);

    const fetchPlanned = async (index: number): Promise<void> => {
      const result = await fetchGated(plan[index]);
      if (!result) return;
      if (result.status >= 300) {
        slots.set(index, { ok: false, result });
        failed = true;
        return;
      }
      const body: unknown = JSON.parse(result.body.toString('utf8'));
      const got = pageItems(style, body);
      if (got.length === 0) endIndex = Math.min(endIndex, index);
      slots.set(index, { ok: true, result, body, items: got });
      doneItems += got.length;
    };

    const pump = (): void => {
      while (wanted()) {
        const index = nextIndex++;
        inFlight++;
        held++;
        fetchPlanned(index)
          .catch((error: unknown) => {
            if (!thrown) thrown = { error };
            stop.abort();
          })
          .finally(() => {
            inFlight--;
            pump();
            changed();
          });
      }
    };

    for (let i = 0; ; i++) {
      if (options.maxItems !== undefined && items >= options.maxItems) return limitReached(options.maxItems);
      // A page that says it is the last one ends the walk there, as it ends the link walk.
      if (i >= plan.length || !nextPageUrl(style, last.target.href, lastBody)) return { complete: true };
      pump();
      let slot: PageSlot | undefined;
      while (!(slot = slots.get(i))) {
        if (cancelled()) throw new CancelledError();
        if (thrown) throw thrown.error;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (cancelled()) throw new CancelledError();
      if (!slot.ok) return failedPage(number + 1, slot.result);
      slots.delete(i);
      number++;
      items += slot.items.length;
      last = slot.result;
      lastBody = slot.body;
      yield { number, result: slot.result, body: slot.body, items: slot.items, total };
      // Read: its place in the window is free.
      held--;
      if (slot.items.length === 0 && nextPageUrl(style, last.target.href, lastBody)) return addedNothing(number);
    }
  } finally {
    stop.abort();
  }
}

export interface FetchAllOptions extends PageWalkOptions {
  readonly onPage?: (progress: PageProgress) => void;
}

export interface FetchAllOutcome extends PageWalkEnd {
  /** Every page's items in one document of the first page's shape (undefined when the first page failed). */
  readonly merged: unknown;
  readonly pages: number;
  readonly items: number;
  /** The last page read (the first page's answer when that failed). */
  readonly last: ApiResult;
}

/** "Fetch All Pages": the walk's pages merged into one document of the first page's shape. */
export async function fetchAllPages(client: ApiClient, first: ApiCall, style: PagingStyle, options: FetchAllOptions = {}): Promise<FetchAllOutcome> {
  const walk = walkPages(client, first, style, options);
  const bodies: unknown[] = [];
  let items = 0;
  let last: ApiResult | undefined;
  for (;;) {
    const step = await walk.next();
    if (step.done) {
      const end = step.value;
      // The first page failed: its answer is all there is.
      if (!last) return { merged: undefined, pages: 0, items: 0, complete: false, last: end.stoppedBy as ApiResult, stoppedBy: end.stoppedBy };
      return { merged: mergePages(style, bodies, end.complete), pages: bodies.length, items, last, ...end };
    }
    bodies.push(step.value.body);
    items += step.value.items.length;
    last = step.value.result;
    options.onPage?.({ pages: bodies.length, items, total: step.value.total });
  }
}

export interface PageStreamOutcome extends PageWalkEnd {
  readonly pages: number;
  /** The items handed to the sink. */
  readonly items: number;
}

/**
 * "Fetch All Pages to File": each page's items handed to `sink` in page order as they arrive, none
 * kept; at most `maxItems` items are handed over (the last page cut to fit).
 */
export async function streamAllPages(
  client: ApiClient,
  first: ApiCall,
  style: PagingStyle,
  sink: (items: readonly unknown[]) => Promise<void>,
  options: FetchAllOptions = {},
): Promise<PageStreamOutcome> {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  let items = 0;
  let pages = 0;
  const walk = walkPages(client, first, style, options);
  for (;;) {
    const step = await walk.next();
    if (step.done) return { pages, items, ...step.value };
    const got = step.value.items;
    const kept = got.length > max - items ? got.slice(0, Math.max(0, max - items)) : got;
    await sink(kept);
    items += kept.length;
    pages++;
    options.onPage?.({ pages, items, total: step.value.total });
  }
}
