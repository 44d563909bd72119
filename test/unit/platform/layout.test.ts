import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkLayout, cyclesOf, importsOf } from '../../support/checkLayout';
import { repoRoot } from '../../host/paths';

const made: string[] = [];

/** A throwaway src/ tree of the given files (path → text). */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-layout-'));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('layout check (features, ui/ apart, no cycles)', () => {
  after(() => {
    for (const root of made.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds no problem in the extension source', () => {
    assert.deepEqual(checkLayout(repoRoot).map((p) => p.message), []);
  });

  it('finds an import cycle, type imports and re-exports included', () => {
    const root = tree({
      'src/catalog/a.ts': "import type { B } from './b';\nexport type A = B;",
      'src/catalog/b.ts': "export * from './c';\nexport type B = string;",
      'src/catalog/c.ts': "import { a } from './a';\nexport const c = a;",
    });
    const problems = checkLayout(root);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, 'cycle');
    assert.match(problems[0].message, /src\/catalog\/a\.ts → src\/catalog\/b\.ts → src\/catalog\/c\.ts → src\/catalog\/a\.ts/);
  });

  it('finds a core importing a feature above it, and a core importing ui/', () => {
    const root = tree({
      'src/platform/http.ts': "import { x } from '../calls/client';\nexport const h = x;",
      'src/calls/client.ts': 'export const x = 1;',
      'src/auth/grant.ts': "import { s } from './ui/signIn';\nexport const g = s;",
      'src/auth/ui/signIn.ts': 'export const s = 1;',
    });
    const kinds = checkLayout(root).map((p) => `${p.kind}: ${p.message}`);
    assert.equal(kinds.length, 2, kinds.join('\n'));
    assert.ok(kinds.some((k) => k.startsWith('layer:') && k.includes('src/platform/http.ts')));
    assert.ok(kinds.some((k) => k.startsWith('ui:') && k.includes('src/auth/grant.ts')));
  });

  it('lets a ui/ folder use any core, and ui/ folders of its own feature and those below', () => {
    const root = tree({
      'src/auth/ui/signIn.ts': "import { c } from '../../calls/client';\nimport { l } from '../../platform/ui/log';\nexport const s = c + l;",
      'src/calls/client.ts': 'export const c = 1;',
      'src/platform/ui/log.ts': 'export const l = 1;',
      'src/sessions/ui/tree.ts': "import { s } from '../../auth/ui/signIn';\nexport const t = s;",
      'src/platform/ui/bad.ts': "import { t } from '../../sessions/ui/tree';\nexport const b = t;",
      'src/extension.ts': "import { b } from './platform/ui/bad';\nexport const e = b;",
    });
    const problems = checkLayout(root);
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['layer'],
    );
    assert.match(problems[0].message, /src\/platform\/ui\/bad\.ts \(platform\/ui\) imports src\/sessions\/ui\/tree\.ts \(sessions\/ui\)/);
  });

  it('names a module outside any feature folder, and any feature importing the composition root', () => {
    const root = tree({
      'src/helpers.ts': 'export const h = 1;',
      'src/extension.ts': 'export const e = 1;',
      'src/calls/x.ts': "import { e } from '../extension';\nexport const x = e;",
    });
    const messages = checkLayout(root).map((p) => p.message);
    assert.ok(messages.some((m) => m.includes('src/helpers.ts is not in a feature folder')));
    assert.ok(messages.some((m) => m.includes('imports the composition root src/extension.ts')));
  });

  it('reads static imports, import type, re-exports, require() and import() alike, and only relative ones', () => {
    const text = [
      "import * as vscode from 'vscode';",
      "import type { A } from './a';",
      "export { b } from '../b';",
      "const c = require('./c');",
      "const d = await import('./d');",
    ].join('\n');
    assert.deepEqual(importsOf(text, 'x.ts'), ['./a', '../b', './c', './d']);
  });

  it('cycles: a self-import is one, a chain without a way back is none', () => {
    assert.deepEqual(cyclesOf(new Map([['a', ['a']]])), [['a']]);
    assert.deepEqual(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
  });
});
