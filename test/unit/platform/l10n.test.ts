import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, l10n } from '../../../src/platform/l10n';
import { repoRoot } from '../../host/paths';
import {
  type JsonFile,
  type Problem,
  bundleText,
  checkManifest,
  checkRepository,
  checkSourceBundle,
  checkTranslation,
  exportRepository,
  extractMessages,
  formatProblem,
  manifestFields,
  protectedTokens,
} from '../../support/l10nCheck';

const json = (file: string, value: unknown): JsonFile => ({ file, text: `${JSON.stringify(value, null, 2)}\n` });
const lines = (problems: readonly Problem[]): string[] => problems.map(formatProblem);

/** Asserts exactly one problem, matching `pattern`, and returns it. */
function single(problems: readonly Problem[], pattern: RegExp): Problem {
  assert.equal(problems.length, 1, `expected one problem, got:\n${lines(problems).join('\n')}`);
  assert.match(problems[0].message, pattern);
  return problems[0];
}

describe('l10n: format (src/platform/l10n.ts)', () => {
  it('replaces {0}, {1}… by the arguments and keeps placeholders it has no argument for', () => {
    assert.equal(format('{0} of {1} pages, {2} left', [3, 'ten']), '3 of ten pages, {2} left');
    assert.equal(format('{name} stays, {0} and {0} again', [true]), '{name} stays, true and true again');
    assert.equal(format('no placeholders', ['unused']), 'no placeholders');
  });

  it('formats the English message outside VS Code', () => {
    assert.equal(l10n.t('Signed in as {0} at {1}', 'jane@example.com', 'us2'), 'Signed in as jane@example.com at us2');
  });
});

describe('l10n: messages in the sources', () => {
  it('finds vscode.l10n.t and l10n.t calls with literal messages, at their lines, and flags t taken out of l10n', () => {
    const source = [
      "import * as vscode from 'vscode';",
      "import { l10n } from '../util/l10n';",
      "vscode.l10n.t('Signed in as {0}', name);",
      'l10n.t(`Plain template`);',
      "other.t('Not a message');",
      'const { t } = vscode.l10n;',
      "t('Not one either');",
      "vscode.l10n.t('Escaped \\'quote\\'');",
    ].join('\n');
    const { messages, problems } = extractMessages('src/a.ts', source);
    // The destructured t hides its message from extraction: the destructuring is the problem.
    assert.equal(single(problems, /destructures t from l10n: use l10n\.t\(\.\.\.\) directly so the message can be extracted/).line, 6);
    assert.deepEqual(
      messages.map((m) => `${m.line}: ${m.message}`),
      ['3: Signed in as {0}', '4: Plain template', "8: Escaped 'quote'"],
    );
  });

  describe('flags every way of using l10n.t other than calling it directly', () => {
    const directly = /use l10n\.t\(\.\.\.\) directly so the message can be extracted/;
    const cases: [string, string[], number][] = [
      ['destructured t', ['const { t } = vscode.l10n;', 't(msg);'], 1],
      ['destructured and renamed t', ['const { t: tr } = l10n;', "tr('Hi');"], 1],
      ['t destructured from vscode.l10n in one pattern', ["const { l10n: { t } } = vscode;", "t('Hi');"], 1],
      ['t taken by the rest of a pattern', ['const { ...all } = vscode.l10n;', "all.t('Hi');"], 1],
      ['t destructured by assignment', ['let t;', '({ t } = vscode.l10n);', "t('Hi');"], 2],
      ['t stored in a variable', ['const tr = vscode.l10n.t;', 'tr(x);'], 1],
      ['t passed as a value', ['items.map(l10n.t);'], 1],
      ['t read by index', ["vscode.l10n['t'](y);"], 1],
      ['t read by a computed index', ['vscode.l10n[name](y);'], 1],
      ['t.call', ["vscode.l10n.t.call(undefined, 'Hi');"], 1],
      ['t.bind', ['const tr = l10n.t.bind(l10n);'], 1],
      ['t.apply', ["vscode.l10n.t.apply(undefined, ['Hi']);"], 1],
      ['t through parentheses', ["(vscode.l10n.t)('Hi');"], 1],
    ];
    for (const [name, source, line] of cases) {
      it(name, () => {
        const { problems } = extractMessages('src/alias.ts', source.join('\n'));
        assert.equal(single(problems, directly).line, line, name);
      });
    }

    it('l10n imported or stored under another name, and still checks the calls made through it', () => {
      const imported = extractMessages('src/h.ts', ["import { l10n as L } from '../util/l10n';", "L.t('Signed in as {0}');"].join('\n'));
      assert.deepEqual(
        lines(imported.problems).map((p) => p.replace(/: .*?(uses|use l10n)/, ': $1')),
        ['src/h.ts:1: use l10n.t(...) directly so the message can be extracted', 'src/h.ts:2: uses {0} but l10n.t() has 0 argument(s) after the message'],
      );
      assert.deepEqual(imported.messages.map((m) => m.message), ['Signed in as {0}']);
      const fromVscode = extractMessages('src/i.ts', ["import { l10n as vl } from 'vscode';", "vl.t('Hi');"].join('\n'));
      assert.equal(single(fromVscode.problems, /l10n imported as vl/).line, 1);
      assert.deepEqual(fromVscode.messages.map((m) => m.message), ['Hi']);
      const stored = extractMessages('src/j.ts', ['const L = vscode.l10n;', "L.t('Hi');"].join('\n'));
      assert.equal(single(stored.problems, /l10n stored as L/).line, 1);
      const renamed = extractMessages('src/k.ts', ['const { l10n: L } = vscode;', "L.t('Hi');"].join('\n'));
      assert.equal(single(renamed.problems, /l10n destructured as L/).line, 1);
    });

    it('accepts the direct forms: a namespace imported under any name, optional calls, other properties of l10n', () => {
      const source = [
        "import * as code from 'vscode';",
        "import { l10n } from 'vscode';",
        "import { l10n as l10n2 } from './other';",
        "code.l10n.t('One');",
        "l10n.t('Two');",
        "vscode.l10n!.t('Three');",
        'const uri = vscode.l10n.uri;',
        "const { bundle } = vscode.l10n;",
        "const { t } = other;",
        "l10n2.t('Not a message');",
      ].join('\n');
      const { messages, problems } = extractMessages('src/l.ts', source);
      assert.deepEqual(lines(problems), []);
      assert.deepEqual(messages.map((m) => m.message), ['One', 'Two', 'Three']);
    });

    it('lets src/platform/l10n.ts, which implements l10n.t, forward to vscode.l10n.t', () => {
      const source = 'translate = typeof vscode?.l10n?.t === \'function\' ? vscode.l10n.t.bind(vscode.l10n) : null;';
      assert.deepEqual(lines(extractMessages('src/platform/l10n.ts', source).problems), []);
      assert.equal(extractMessages('src/util/other.ts', source).problems.length, 2);
    });
  });

  it('flags a message that is a variable, a concatenation or a call', () => {
    const source = "vscode.l10n.t(message);\nl10n.t('Signed in as ' + name);\nl10n.t(String(x));";
    const { messages, problems } = extractMessages('src/b.ts', source);
    assert.deepEqual(messages, []);
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}`),
      ['src/b.ts:1', 'src/b.ts:2', 'src/b.ts:3'],
    );
    for (const p of problems) assert.match(p.message, /not a string literal/);
  });

  it('flags a template with substitutions and the object form', () => {
    const templated = extractMessages('src/c.ts', 'const n = 2;\nvscode.l10n.t(`${n} pages`);');
    assert.equal(single(templated.problems, /template that has \$\{\} substitutions/).line, 2);
    assert.deepEqual(templated.messages, []);
    const object = extractMessages('src/d.ts', "l10n.t({ message: 'Hi {0}', args: [x], comment: 'greeting' });");
    single(object.problems, /pass the message as a string literal/);
  });

  it('flags a placeholder without an argument and an argument without a placeholder', () => {
    single(extractMessages('src/e.ts', "l10n.t('{0} of {1}', done);").problems, /uses \{1\} but l10n\.t\(\) has 1 argument/);
    single(extractMessages('src/f.ts', "vscode.l10n.t('Done', count);").problems, /has no \{0\} for argument 1/);
    // Named and spread arguments are not counted; a template filled in later passes its placeholders themselves.
    assert.deepEqual(extractMessages('src/g.ts', "vscode.l10n.t('{user} signed in', { user });\nl10n.t('{0}{1}', ...parts);\nvscode.l10n.t('Cut at {0} MB', '{0}');").problems, []);
  });

  it('flags a placeholder whose argument was forgotten altogether', () => {
    const forgotten = single(extractMessages('src/m.ts', "const who = user();\nvscode.l10n.t('Signed in as {0}');").problems, /"Signed in as \{0\}" uses \{0\} but l10n\.t\(\) has 0 argument\(s\)/);
    assert.equal(forgotten.line, 2);
    assert.equal(extractMessages('src/n.ts', "l10n.t('{0} of {1}');").problems.length, 2);
    assert.deepEqual(extractMessages('src/o.ts', "l10n.t('No placeholders');").problems, []);
  });

  it('exports the bundle as @vscode/l10n-dev does: each message its own value, keys sorted, 2-space JSON', () => {
    const messages = [
      { message: 'b {0}', file: 'src/x.ts', line: 1 },
      { message: 'A', file: 'src/x.ts', line: 2 },
      { message: 'b {0}', file: 'src/y.ts', line: 9 },
    ];
    assert.equal(bundleText(messages), '{\n  "A": "A",\n  "b {0}": "b {0}"\n}\n');
  });

  it('flags a message missing from the bundle at the call, and a bundle key no longer used', () => {
    const messages = [{ message: 'Sign In', file: 'src/a.ts', line: 12 }];
    const missing = single(checkSourceBundle(messages, json('media/l10n/bundle.l10n.json', {})), /"Sign In" is not in media\/l10n\/bundle\.l10n\.json/);
    assert.deepEqual([missing.file, missing.line], ['src/a.ts', 12]);
    const unused = single(checkSourceBundle(messages, json('media/l10n/bundle.l10n.json', { 'Sign In': 'Sign In', Gone: 'Gone' })), /"Gone" is no longer used/);
    assert.deepEqual([unused.file, unused.line], ['media/l10n/bundle.l10n.json', 3]);
    assert.deepEqual(checkSourceBundle(messages, json('media/l10n/bundle.l10n.json', { 'Sign In': 'Sign In' })), []);
  });
});

describe('l10n: translations', () => {
  const english = json('bundle.l10n.json', { 'Signed in as {0}': 'Signed in as {0}', '$(sync~spin) Refreshing {name}': '$(sync~spin) Refreshing {name}', 'Open [log](command:concur.showLog)': 'Open [log](command:concur.showLog)' });
  const good = {
    'Signed in as {0}': 'Angemeldet als {0}',
    '$(sync~spin) Refreshing {name}': '$(sync~spin) {name} wird aktualisiert',
    'Open [log](command:concur.showLog)': '[Protokoll](command:concur.showLog) öffnen',
  };

  it('passes a complete translation that keeps placeholders, codicons and links', () => {
    assert.deepEqual(checkTranslation(english, json('bundle.l10n.de.json', good)), []);
  });

  it('flags a missing key, an added key and an empty value', () => {
    const { ['Signed in as {0}']: _dropped, ...rest } = good;
    single(checkTranslation(english, json('bundle.l10n.de.json', rest)), /lacks "Signed in as \{0\}"/);
    const added = single(checkTranslation(english, json('bundle.l10n.de.json', { ...good, Extra: 'Extra' })), /"Extra" is not in bundle\.l10n\.json/);
    assert.equal(added.line, 5);
    single(checkTranslation(english, json('bundle.l10n.de.json', { ...good, 'Signed in as {0}': ' ' })), /empty translation/);
  });

  it('flags a changed placeholder, a dropped codicon and a changed link target', () => {
    single(checkTranslation(english, json('bundle.l10n.de.json', { ...good, 'Signed in as {0}': 'Angemeldet als {1}' })), /placeholders.*\(\{0\}\), has \{1\}/);
    single(checkTranslation(english, json('bundle.l10n.de.json', { ...good, '$(sync~spin) Refreshing {name}': '{name} wird aktualisiert' })), /\$\(sync~spin\)/);
    single(checkTranslation(english, json('bundle.l10n.de.json', { ...good, 'Open [log](command:concur.showLog)': '[Protokoll](command:concur.showLogs) öffnen' })), /command:concur\.showLog\)/);
  });

  it('reads placeholders, codicons and link targets', () => {
    assert.deepEqual(protectedTokens('$(key) {0} [a](command:x?%22y%22) {name} `{ "a": 1 }`'), ['$(key)', '](command:x?%22y%22)', '{0}', '{name}']);
  });
});

describe('l10n: the manifest', () => {
  const manifest = (title: string, extra: Record<string, unknown> = {}) => ({
    name: 'x',
    displayName: '%extension.displayName%',
    contributes: {
      commands: [{ command: 'concur.signIn', title, category: '%concur.category%' }],
      viewsWelcome: [{ view: 'concur.sessions', contents: '%viewsWelcome.sessions.contents%' }],
      ...extra,
    },
  });
  const nls = {
    'extension.displayName': 'Concur API Explorer',
    'concur.category': 'Concur',
    'command.signIn.title': 'Sign In',
    'viewsWelcome.sessions.contents': 'Sign in.\n[Sign In](command:concur.signIn)',
  };
  const de = {
    'extension.displayName': 'Concur API Explorer',
    'concur.category': 'Concur',
    'command.signIn.title': 'Anmelden',
    'viewsWelcome.sessions.contents': 'Melden Sie sich an.\n[Anmelden](command:concur.signIn)',
  };

  it('passes a clean manifest with its English and German texts', () => {
    assert.deepEqual(lines(checkManifest(json('package.json', manifest('%command.signIn.title%')), json('package.nls.json', nls), [json('package.nls.de.json', de)])), []);
  });

  it('flags a literal command title, naming the key to use', () => {
    const { ['command.signIn.title']: _title, ...rest } = nls;
    const { ['command.signIn.title']: _titleDe, ...restDe } = de;
    const problem = single(checkManifest(json('package.json', manifest('Sign In')), json('package.nls.json', rest), [json('package.nls.de.json', restDe)]), /contributes\.commands\[0\]\.title is the literal "Sign In": make it "%command\.signIn\.title%"/);
    assert.equal(problem.line, 8);
  });

  it('flags a %key% missing from package.nls.json and a key no longer referenced', () => {
    const { ['command.signIn.title']: _title, ...rest } = nls;
    single(checkManifest(json('package.json', manifest('%command.signIn.title%')), json('package.nls.json', rest)), /%command\.signIn\.title% is not in package\.nls\.json/);
    single(checkManifest(json('package.json', manifest('%command.signIn.title%')), json('package.nls.json', { ...nls, 'command.old.title': 'Old' })), /"command\.old\.title" is not used in package\.json/);
  });

  it('flags a translation that lacks a key or changes a command link', () => {
    const { ['concur.category']: _category, ...lacking } = de;
    const good = json('package.json', manifest('%command.signIn.title%'));
    single(checkManifest(good, json('package.nls.json', nls), [json('package.nls.de.json', lacking)]), /lacks "concur\.category" \(from package\.nls\.json\)/);
    const relinked = { ...de, 'viewsWelcome.sessions.contents': 'Melden Sie sich an.\n[Anmelden](command:concur.signOut)' };
    const problem = single(checkManifest(good, json('package.nls.json', nls), [json('package.nls.de.json', relinked)]), /link targets/);
    assert.equal(problem.file, 'package.nls.de.json');
  });

  it('treats settings, walkthroughs and language model tools as user-facing, with systematic keys', () => {
    const fields = manifestFields(
      manifest('%command.signIn.title%', {
        configuration: { title: 'T', properties: { 'concur.api.pageConcurrency': { markdownDescription: 'M', enum: ['a', 'b'], enumDescriptions: ['A', 'B'] } } },
        walkthroughs: [{ id: 'concur.gettingStarted', title: 'W', steps: [{ id: 'concur.signIn', title: 'S', description: 'D' }] }],
        languageModelTools: [{ name: 'concur_callApi', displayName: 'N', userDescription: 'U', modelDescription: 'MD', inputSchema: { properties: { path: { description: 'for the model' } } } }],
      }),
    );
    assert.deepEqual(
      fields.filter((f) => !String(f.value).startsWith('%')).map((f) => f.key),
      [
        'config.title',
        'config.api.pageConcurrency.markdownDescription',
        'config.api.pageConcurrency.enumDescriptions.a',
        'config.api.pageConcurrency.enumDescriptions.b',
        'walkthrough.gettingStarted.title',
        'walkthrough.gettingStarted.step.signIn.title',
        'walkthrough.gettingStarted.step.signIn.description',
        'languageModelTools.concur_callApi.displayName',
        'languageModelTools.concur_callApi.userDescription',
        'languageModelTools.concur_callApi.modelDescription',
      ],
    );
  });
});

describe('l10n: a whole repository', () => {
  let root: string;
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-l10n-'));
    write('src/commands/signIn.ts', "import * as vscode from 'vscode';\nvscode.l10n.t('Signed in as {0}', user);\n");
    write('src/util/paging.ts', "import { l10n } from './l10n';\nl10n.t('Page {0}', page);\n");
    write('package.json', JSON.stringify({ name: 'x', l10n: './media/l10n', displayName: '%extension.displayName%' }));
    write('package.nls.json', JSON.stringify({ 'extension.displayName': 'Concur API Explorer' }));
    write('package.nls.de.json', JSON.stringify({ 'extension.displayName': 'Concur API Explorer' }));
    write('media/l10n/bundle.l10n.de.json', JSON.stringify({ 'Page {0}': 'Seite {0}', 'Signed in as {0}': 'Angemeldet als {0}' }));
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exports the bundle, then passes the check', () => {
    const exported = exportRepository(root);
    assert.deepEqual(exported.added, ['Page {0}', 'Signed in as {0}']);
    assert.equal(fs.readFileSync(path.join(root, 'media/l10n/bundle.l10n.json'), 'utf8'), '{\n  "Page {0}": "Page {0}",\n  "Signed in as {0}": "Signed in as {0}"\n}\n');
    assert.deepEqual(lines(checkRepository(root).problems), []);
  });

  it('requires the German bundle, the manifest translation and the "l10n" field', () => {
    exportRepository(root);
    fs.rmSync(path.join(root, 'media/l10n/bundle.l10n.de.json'));
    fs.rmSync(path.join(root, 'package.nls.de.json'));
    write('package.json', JSON.stringify({ name: 'x', displayName: '%extension.displayName%' }));
    assert.deepEqual(lines(checkRepository(root).problems), [
      'package.json:1: needs "l10n": "./media/l10n" so VS Code finds the bundles',
      'media/l10n/bundle.l10n.de.json:1: missing: the de translation of media/l10n/bundle.l10n.json',
      'package.nls.de.json:1: missing: the de translation of package.nls.json',
    ]);
  });

  it('fails when a source gains a message the bundle does not have', () => {
    exportRepository(root);
    write('src/util/paging.ts', "import { l10n } from './l10n';\nl10n.t('Page {0}', page);\nl10n.t('Last page');\n");
    const problems = checkRepository(root).problems;
    assert.deepEqual(lines(problems), ['src/util/paging.ts:3: "Last page" is not in media/l10n/bundle.l10n.json (npm run l10n:export)']);
  });
});

describe('l10n: this repository', () => {
  const read = (file: string): JsonFile => ({ file, text: fs.readFileSync(path.join(repoRoot, file), 'utf8') });

  it('has every user-facing text of package.json in package.nls.json and package.nls.de.json', () => {
    assert.deepEqual(lines(checkManifest(read('package.json'), read('package.nls.json'), [read('package.nls.de.json')])), []);
  });

  it('passes the whole check: sources, bundles, manifest (npm run l10n:check)', () => {
    const problems = lines(checkRepository(repoRoot).problems);
    const shown = problems.slice(0, 20).join('\n') + (problems.length > 20 ? `\n… and ${problems.length - 20} more` : '');
    assert.ok(problems.length === 0, `${problems.length} localization problem(s) (npm run l10n:export regenerates the English bundle):\n${shown}`);
  });
});
