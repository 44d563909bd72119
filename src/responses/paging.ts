/**
 * Concur's four paging styles: where the next page is, which items a page holds, and how pages
 * merge into one document.
 *  - scim:   `startIndex` (from 1) + `count`; `{ totalResults, startIndex, itemsPerPage, Resources }`
 *  - cursor: `cursor` in, `nextCursor` out (absent on the last page); `{ Resources, nextCursor? }`
 *  - v3:     `{ Items, NextPage }` with NextPage a URL or null
 *  - listv4: `page` from 1; `{ content, page: { size, totalElements, totalPages, number } }`
 */
import type { PagingStyle } from '../catalog/catalog';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Guesses the paging style from a response body, for calls made outside the catalog. */
export function detectPaging(body: unknown): PagingStyle {
  if (!isObject(body)) return 'none';
  if (Array.isArray(body.Items) && 'NextPage' in body) return 'v3';
  if (Array.isArray(body.content) && isObject(body.page) && typeof body.page.totalPages === 'number') return 'listv4';
  if (Array.isArray(body.Resources) && typeof body.nextCursor === 'string') return 'cursor';
  if (Array.isArray(body.Resources) && typeof body.totalResults === 'number' && typeof body.startIndex === 'number') return 'scim';
  if (Array.isArray(body.Resources) && !('startIndex' in body)) return 'cursor';
  return 'none';
}

/** The URL of the next page, or undefined on the last page. */
export function nextPageUrl(style: PagingStyle, requestUrl: string, body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const url = new URL(requestUrl);
  switch (style) {
    case 'scim': {
      const start = Number(body.startIndex ?? url.searchParams.get('startIndex') ?? 1);
      const onPage = Array.isArray(body.Resources) ? body.Resources.length : Number(body.itemsPerPage ?? 0);
      const total = Number(body.totalResults);
      if (!onPage || !Number.isFinite(total) || start - 1 + onPage >= total) return undefined;
      url.searchParams.set('startIndex', String(start + onPage));
      if (!url.searchParams.has('count')) url.searchParams.set('count', String(onPage));
      return url.toString();
    }
    case 'cursor': {
      if (typeof body.nextCursor !== 'string' || !body.nextCursor) return undefined;
      url.searchParams.set('cursor', body.nextCursor);
      return url.toString();
    }
    case 'v3':
      return typeof body.NextPage === 'string' && body.NextPage ? new URL(body.NextPage, url).toString() : undefined;
    case 'listv4': {
      const page = isObject(body.page) ? body.page : undefined;
      const number = Number(page?.number);
      const totalPages = Number(page?.totalPages);
      if (!Number.isFinite(number) || !Number.isFinite(totalPages) || number >= totalPages) return undefined;
      url.searchParams.set('page', String(number + 1));
      return url.toString();
    }
    default:
      return undefined;
  }
}

/** The items of one page. */
export function pageItems(style: PagingStyle, body: unknown): unknown[] {
  if (!isObject(body)) return [];
  const items = style === 'v3' ? body.Items : style === 'listv4' ? body.content : body.Resources;
  return Array.isArray(items) ? items : [];
}

/** Total number of items when the API says it (SCIM, List v4). */
export function totalItems(style: PagingStyle, body: unknown): number | undefined {
  if (!isObject(body)) return undefined;
  if (style === 'scim' || style === 'cursor') return typeof body.totalResults === 'number' ? body.totalResults : undefined;
  if (style === 'listv4' && isObject(body.page) && typeof body.page.totalElements === 'number') return body.page.totalElements;
  return undefined;
}

/**
 * One document from all pages: the first page's shape with every page's items, and the paging
 * fields saying there is nothing further (`complete: false` when a cap stopped the fetch early).
 */
export function mergePages(style: PagingStyle, pages: readonly unknown[], complete = true): unknown {
  const first = pages[0];
  if (!isObject(first)) return first;
  const items = pages.flatMap((p) => pageItems(style, p));
  switch (style) {
    case 'scim':
      return { ...first, startIndex: 1, itemsPerPage: items.length, Resources: items };
    case 'cursor': {
      const last = pages[pages.length - 1] as Json;
      const merged: Json = { ...first, itemsPerPage: items.length, Resources: items };
      delete merged.nextCursor;
      if (!complete && typeof last.nextCursor === 'string') merged.nextCursor = last.nextCursor;
      return merged;
    }
    case 'v3': {
      const last = pages[pages.length - 1] as Json;
      return { ...first, Items: items, NextPage: complete ? null : (last.NextPage ?? null) };
    }
    case 'listv4': {
      const page = isObject(first.page) ? first.page : {};
      return { ...first, content: items, page: { ...page, size: items.length, totalPages: complete ? 1 : page.totalPages, number: 1 } };
    }
    default:
      return first;
  }
}
