/**
 * What the formatting worker thread runs (see formatWorker.ts): the very same `formatBody` as the
 * extension host's thread, and the paging functions, so that the next page of a large answer is
 * found where it is parsed. Bundled alone as dist/format-worker.js; must not import `vscode`.
 */
export { formatBody } from './format';
export { detectPaging, nextPageUrl } from './paging';
export { setTranslations } from '../platform/l10n';
