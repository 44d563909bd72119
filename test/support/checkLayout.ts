/**
 * `npm run lint` runs this after ESLint: the layout of src/ as the README's Development section maps it.
 *
 * - **No import cycles** among src/ modules (static imports, `import type` included, re-exports and
 *   `require('…')` calls alike): a cycle is a pair of features that cannot be understood, tested or
 *   loaded one without the other.
 * - **No module imports a feature above its own**: features are layered, each feature's core may
 *   use the cores of those listed before it in LAYERS and its own. The `ui/` folders sit above every
 *   core: a feature's `ui/` may use any feature's core, and the `ui/` of its own feature and those
 *   before it. `extension.ts`, the composition root, may use all.
 * - **A core does not import any `ui/`**: the core is what runs in plain Node, the `ui/` folders
 *   adapt it to VS Code. (That only `ui/` folders and `extension.ts` import
 *   `vscode` is ESLint's `no-restricted-imports`, in eslint.config.mjs.)
 *
 * Prints each problem and exits 1 when there is one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The features, lowest first: a module may import from its own feature and those before it. */
export const LAYERS = ['platform', 'auth', 'sessions', 'catalog', 'responses', 'calls', 'requestFiles', 'localConcur', 'chat'] as const;

export interface LayoutProblem {
  readonly kind: 'cycle' | 'layer' | 'ui';
  readonly message: string;
}

/** Every `.ts` file under a folder, as paths relative to `root` with `/`. */
function sources(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, folder));
  return out.sort();
}

/** The relative module specifiers a file imports, re-exports or requires. */
export function importsOf(text: string, fileName: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) found.push(node.moduleReference.expression.text);
    else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) && ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((s) => s.startsWith('.'));
}

/** A relative specifier from `from` as a path relative to the root (`src/x/y.ts`), or undefined outside the known files. */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (known.has(candidate)) return candidate;
  return undefined;
}

/**
 * The composition roots: what builds the extension at activation, and the entry of the lazily loaded
 * bundle. They may name any feature; no feature names them.
 */
export const ROOTS = ['extension.ts', 'lazy.ts'];

/** `src/calls/ui/sender.ts` → { feature: 'calls', ui: true }; a composition root is 'root'. */
function placeOf(file: string): { feature: string; ui: boolean } {
  const parts = file.split('/').slice(1);
  if (parts.length === 1) return { feature: ROOTS.includes(parts[0]) ? 'root' : 'top', ui: false };
  return { feature: parts[0], ui: parts.includes('ui') };
}

export function checkLayout(root: string, folder = 'src'): LayoutProblem[] {
  const files = sources(root, folder);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    graph.set(file, [...new Set(importsOf(text, file).map((s) => resolve(file, s, known)).filter((f): f is string => f !== undefined))]);
  }
  const problems: LayoutProblem[] = [];
  const rank = (feature: string): number => (LAYERS as readonly string[]).indexOf(feature);
  for (const [file, targets] of graph) {
    const from = placeOf(file);
    if (from.feature === 'root') continue;
    if (from.feature === 'top') problems.push({ kind: 'layer', message: `${file} is not in a feature folder (${LAYERS.join(', ')})` });
    else if (rank(from.feature) < 0) problems.push({ kind: 'layer', message: `${file} is in an unknown feature folder "${from.feature}" (known: ${LAYERS.join(', ')})` });
    for (const target of targets) {
      const to = placeOf(target);
      if (to.feature === 'root') problems.push({ kind: 'layer', message: `${file} imports the composition root ${target}` });
      else if (!from.ui && to.ui) problems.push({ kind: 'ui', message: `${file} is core code and imports ${target}, which is VS Code glue` });
      // A ui/ module may use any core; otherwise (core to core, ui/ to ui/) only its own feature and those before it.
      else if ((from.ui ? to.ui : true) && rank(to.feature) > rank(from.feature)) {
        problems.push({ kind: 'layer', message: `${file} (${from.feature}${from.ui ? '/ui' : ''}) imports ${target} (${to.feature}${to.ui ? '/ui' : ''}), a feature above its own` });
      }
    }
  }
  for (const cycle of cyclesOf(graph)) problems.push({ kind: 'cycle', message: `import cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  return problems;
}

/** The strongly connected components of more than one module (or a module importing itself), each in a readable order. */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    indexes.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexes.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexes.get(w)!));
      }
    }
    if (low.get(v) === indexes.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.reverse());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexes.has(v)) strong(v);
  return out;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const problems = checkLayout(root);
  for (const p of problems) console.log(`✘ ${p.message}`);
  console.log(problems.length ? `layout check: ${problems.length} problem(s)` : 'layout check: OK, no import cycle, no feature importing one above it, no core importing ui/');
  process.exitCode = problems.length ? 1 : 0;
}
