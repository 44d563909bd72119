/**
 * The entry of the lazily loaded bundle (dist/openapi.js): what the extension needs only on first
 * use of a feature, gathered in one file so that the libraries behind it are loaded once. Like
 * extension.ts, it is a composition root: it names several features, and no feature names it — each
 * requires its own module (`../definitions/openapi`, `./heavy`, `./jsonpath`), which the build maps
 * to this bundle (see esbuild.mjs).
 */
export * from './catalog/definitions/openapi';
export * from './requestFiles/heavy';
export { queryJsonPath } from './platform/jsonpath';
