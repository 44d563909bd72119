/**
 * `npm run check:definitions -- <folder>`: loads every API definition file (JSON or YAML) under a
 * folder the way the extension does — for instance a copy of Concur's published files from the
 * public repository SAP-docs/preview.developer.concur.com (`src/api-explorer/`), fetched by hand
 * outside this repository — and prints, per file, what loaded, what was left out or read leniently,
 * and every operation's method and path (with its form fields), then whether each answer and body
 * schema compiles for the answer check, and which built-in catalog entries no loaded operation has.
 * A file whose path under the folder is one of Concur's published files (`v4-0/Cards.oas3.json`) is
 * read with the product name and base-path correction the extension gives it.
 *
 * Ends with one summary line; exits 1 when a file does not load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_CATALOG } from '../../src/catalog/builtinCatalog';
import { sameTemplate, type Endpoint, type JsonSchema } from '../../src/catalog/catalog';
import { publishedByKey } from '../../src/catalog/publishedDefinitions';
import { loadDefinition, schemaCompileFailure } from '../../src/catalog/definitions/openapi';

const DEFINITION_FILE = /\.(json|ya?ml)$/i;

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      } else if (DEFINITION_FILE.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(folder);
  return out;
}

/** Whether a file looks like an API definition before it is handed to the loader (a folder holds other JSON too). */
function looksLikeDefinition(file: string): boolean {
  const head = fs.readFileSync(file, 'utf8');
  return /(^|[\s{,])["']?(swagger|openapi)["']?\s*:/.test(head);
}

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder || !fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    console.error('Usage: npm run check:definitions -- <folder with Swagger 2.0 / OpenAPI 3 files>');
    process.exitCode = 2;
    return;
  }
  const files = filesUnder(path.resolve(folder)).filter(looksLikeDefinition);
  let loaded = 0;
  let operations = 0;
  let warnings = 0;
  let schemas = 0;
  let schemaFailures = 0;
  let formBodies = 0;
  const loadedEndpoints: Endpoint[] = [];
  for (const file of files) {
    const relative = path.relative(path.resolve(folder), file).split(path.sep).join('/');
    const key = relative.split('/').slice(-2).join('/');
    const published = publishedByKey(key);
    try {
      const entries = await loadDefinition(
        { id: relative, location: file, product: published?.product, basePath: published?.basePath },
        { fetchText: async (url) => Promise.reject(new Error(`not downloaded here: ${url}`)) },
      );
      loaded++;
      operations += entries.endpoints.length;
      loadedEndpoints.push(...entries.endpoints);
      const note = published ? ` (published file${published.basePath !== undefined ? `, base path ${published.basePath || '(none)'}` : ''})` : '';
      console.log(`✔ ${relative}: "${entries.product}", ${entries.endpoints.length} operation${entries.endpoints.length === 1 ? '' : 's'}${note}`);
      for (const warning of entries.warnings ?? []) {
        warnings++;
        console.log(`    ! ${warning}`);
      }
      const failures = new Set<string>();
      for (const endpoint of entries.endpoints) {
        const form = endpoint.body?.fields;
        if (form) formBodies++;
        const body = endpoint.body ? ` [${endpoint.body.contentType}${form ? `: ${form.map((f) => `${f.name}${f.kind === 'file' ? ' (file)' : ''}${f.required ? '*' : ''}`).join(', ')}` : ''}]` : '';
        console.log(`    ${endpoint.method.padEnd(6)} ${endpoint.path}${body}`);
        const all: JsonSchema[] = [...(endpoint.body?.schema !== undefined ? [endpoint.body.schema] : []), ...Object.values(endpoint.responses ?? {})];
        for (const schema of all) {
          schemas++;
          const failure = schemaCompileFailure(schema);
          if (failure) {
            schemaFailures++;
            failures.add(failure);
          }
        }
      }
      for (const failure of failures) console.log(`    ✘ schema: ${failure}`);
    } catch (error) {
      const where = (error as { where?: string }).where;
      console.log(`✘ ${relative}: ${(error as Error).message}${where ? ` (${where})` : ''}`);
    }
  }
  const unmatched = BUILTIN_CATALOG.filter((b) => !loadedEndpoints.some((e) => e.method === b.method && sameTemplate(e.path, b.path)));
  if (loadedEndpoints.length) {
    console.log(`\nBuilt-in catalog entries with no operation of the same method and path in these files (${unmatched.length} of ${BUILTIN_CATALOG.length}):`);
    for (const b of unmatched) console.log(`    ${b.method.padEnd(6)} ${b.path}  (${b.id}${b.docs ? `, ${b.docs}` : ''})`);
  }
  console.log(
    `\n${loaded} of ${files.length} files loaded, ${operations} operations (${formBodies} with form fields), ${warnings} warnings, ${schemas - schemaFailures} of ${schemas} schemas compile, ${BUILTIN_CATALOG.length - unmatched.length} of ${BUILTIN_CATALOG.length} built-in entries found in these files`,
  );
  if (loaded < files.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
