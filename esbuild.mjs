// Builds the extension bundle into dist/.
//   node esbuild.mjs               development build: source maps, not minified
//   node esbuild.mjs --production  packaging build: minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
//
// Three bundles: dist/extension.js is what VS Code requires at activation; dist/undici.js holds the
// HTTP client (about 540 KB minified) and is required only when the extension first talks to Concur;
// dist/openapi.js (entry src/lazy.ts) holds the API definition parser and the JSON Schema validator,
// JSONPath, and request files' .env reader, Day.js and JSON positions, each required on first use;
// dist/format-worker.js is what the worker thread that formats large answers requires;
// dist/localConcur.js (entry src/localConcur/index.ts) is the local Concur server with its example
// generator, required when the user first starts it.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';

/** Every `import ... from 'undici'` in the extension resolves to the lazily required sibling bundle. */
const undiciAsSibling = {
  name: 'undici-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/**
 * What features require on first use resolves to the lazily required sibling bundle, whose entry
 * (src/lazy.ts) gathers them: the catalog's `require('../definitions/openapi')`, request files'
 * `require('./heavy')` and the platform's `require('./jsonpath')`.
 */
const lazyAsSibling = {
  name: 'lazy-as-sibling',
  setup(build) {
    build.onResolve({ filter: /\/definitions\/openapi$/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: './openapi.js', external: true }));
    build.onResolve({ filter: /^\.\/heavy$/ }, (args) => (args.kind === 'require-call' && /[\\/]requestFiles$/.test(args.resolveDir) ? { path: './openapi.js', external: true } : undefined));
    build.onResolve({ filter: /^\.\/jsonpath$/ }, (args) => (args.kind === 'require-call' && /[\\/]platform$/.test(args.resolveDir) ? { path: './openapi.js', external: true } : undefined));
  },
};

/**
 * The local Concur server's VS Code part requires the server on first use (`require('../index')` in
 * src/localConcur/ui): the lazily required sibling bundle dist/localConcur.js.
 */
const localConcurAsSibling = {
  name: 'local-concur-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index$/ }, (args) => (args.kind === 'require-call' && /[\\/]localConcur[\\/]ui$/.test(args.resolveDir) ? { path: './localConcur.js', external: true } : undefined));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  metafile: true,
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir,
    external: ['vscode'],
    plugins: [undiciAsSibling, lazyAsSibling, localConcurAsSibling],
  },
  {
    // The local Concur server: what the API definitions' operations need (the parser's schema check)
    // comes from dist/openapi.js, required beside it.
    ...common,
    entryPoints: { localConcur: 'src/localConcur/index.ts' },
    outdir,
    external: ['vscode'],
    plugins: [lazyAsSibling],
  },
  {
    ...common,
    entryPoints: { openapi: 'src/lazy.ts' },
    outdir,
    // jsonc-parser's default (UMD) build requires its parts in a way a bundler cannot follow; its ES build bundles.
    mainFields: ['module', 'main'],
    // The parser's own HTTP resolver is switched off (definitions are fetched through the extension's
    // resolver and client), so its undici is never needed; it stays out of the bundle.
    external: ['vscode'],
  },
  {
    // What the formatting worker thread requires: formatBody and the paging functions, nothing else.
    ...common,
    entryPoints: { 'format-worker': 'src/responses/formatWorkerMain.ts' },
    outdir,
    external: ['vscode'],
  },
  {
    ...common,
    stdin: { contents: "module.exports = require('undici');", resolveDir: '.', loader: 'js', sourcefile: 'undici-entry.js' },
    outfile: `${outdir}/undici.js`,
  },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching src/ for changes');
} else {
  if (production) writePackageReadme();
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  for (const { metafile } of results) {
    for (const [file, { bytes }] of Object.entries(metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(8)} KB`);
    }
  }
}

/**
 * The README inside the .vsix: the repository's README without its screenshots and with links into
 * the repository turned into plain text, since relative paths mean nothing once packaged.
 */
function writePackageReadme() {
  const readme = readFileSync('README.md', 'utf8')
    .replace(/^!\[[^\]]*\]\([^)]*\)\n\n?/gm, '')
    .replace(/\[([^\]]+)\]\((?!https?:|#)[^)]*\)/g, '$1');
  mkdirSync(outdir, { recursive: true });
  writeFileSync(`${outdir}/README.md`, readme);
}
