import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { hostCacheDir, repoRoot } from '../../host/paths';

/**
 * The TextMate grammar of request files (media/http.tmLanguage.json) and their language configuration.
 * Without VS Code: the grammar's structure, its includes and its regexes (compiled by JavaScript, which
 * reads them close enough to Oniguruma for the constructs the grammar uses). When VS Code's own
 * tokenizer (vscode-textmate + vscode-oniguruma) can be found, in node_modules or in the VS Code Server
 * host the integration tests install into .vscode-test, a sample file is also tokenized with it.
 */

const GRAMMAR_FILE = path.join(repoRoot, 'media', 'http.tmLanguage.json');
const CONFIGURATION_FILE = path.join(repoRoot, 'media', 'http-language-configuration.json');

interface Rule {
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
  whileCaptures?: Record<string, Rule>;
  repository?: Record<string, Rule>;
}

interface Grammar extends Rule {
  scopeName: string;
  repository: Record<string, Rule>;
  injections?: Record<string, Rule>;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const grammar = (): Grammar => readJson(GRAMMAR_FILE) as Grammar;

/** Every rule of the grammar (top-level patterns, repository, injections, captures), with where it is. */
function allRules(g: Grammar): { rule: Rule; at: string }[] {
  const found: { rule: Rule; at: string }[] = [];
  const visit = (rule: Rule, at: string): void => {
    found.push({ rule, at });
    rule.patterns?.forEach((r, i) => visit(r, `${at}.patterns[${i}]`));
    for (const key of ['captures', 'beginCaptures', 'endCaptures', 'whileCaptures'] as const) {
      for (const [n, r] of Object.entries(rule[key] ?? {})) visit(r, `${at}.${key}[${n}]`);
    }
    for (const [n, r] of Object.entries(rule.repository ?? {})) visit(r, `${at}.repository.${n}`);
  };
  g.patterns?.forEach((r, i) => visit(r, `patterns[${i}]`));
  for (const [n, r] of Object.entries(g.repository)) visit(r, `repository.${n}`);
  for (const [n, r] of Object.entries(g.injections ?? {})) visit(r, `injections[${n}]`);
  return found;
}

/** Oniguruma's \G (where the last match ended) has no JavaScript equivalent: an empty group stands in. */
const toJavaScript = (source: string): string => source.replace(/\\G/g, '(?:)');

function grammarRegExp(g: Grammar, key: string): RegExp {
  const [name, field] = key.split(':') as [string, 'match' | 'begin' | 'while'];
  const source = g.repository[name]?.[field];
  assert.ok(source, `repository.${name}.${field}`);
  return new RegExp(toJavaScript(source), 'u');
}

/** Top-level TextMate scope roots every theme styles (plus punctuation, which most do). */
const SCOPE_ROOTS = new Set(['comment', 'constant', 'entity', 'invalid', 'keyword', 'markup', 'meta', 'storage', 'string', 'support', 'variable', 'punctuation']);

describe('request file grammar', () => {
  it('is JSON with the scope name source.http and the file types .http and .rest', () => {
    const g = grammar();
    assert.equal(g.scopeName, 'source.http');
    assert.deepEqual((g as unknown as { fileTypes: string[] }).fileTypes, ['http', 'rest']);
    assert.ok(Array.isArray(g.patterns) && g.patterns.length > 0);
  });

  it('includes only repository entries that exist, $self or source.json, and uses every entry', () => {
    const g = grammar();
    const used = new Set<string>();
    for (const { rule, at } of allRules(g)) {
      if (rule.include === undefined) continue;
      if (rule.include === '$self' || rule.include === '$base' || rule.include === 'source.json') continue;
      assert.match(rule.include, /^#/, `${at} includes ${rule.include}`);
      const name = rule.include.slice(1);
      assert.ok(Object.hasOwn(g.repository, name), `${at} includes #${name}, which the repository does not have`);
      used.add(name);
    }
    assert.deepEqual(Object.keys(g.repository).filter((name) => !used.has(name)), []);
  });

  it('has regexes that all compile (Oniguruma-only \\G aside) and rules that are one kind each', () => {
    let count = 0;
    for (const { rule, at } of allRules(grammar())) {
      for (const key of ['match', 'begin', 'end', 'while'] as const) {
        const source = rule[key];
        if (source === undefined) continue;
        count++;
        assert.equal(typeof source, 'string', `${at}.${key}`);
        assert.doesNotThrow(() => new RegExp(toJavaScript(source), 'u'), `${at}.${key}: ${source}`);
        // Oniguruma syntax JavaScript would read differently or reject: keep it out.
        assert.doesNotMatch(source, /\\[AzZhHK]|\(\?[imx-]+[:)]|\(\?>|\\p\{|\[\[:/, `${at}.${key} uses Oniguruma-only syntax: ${source}`);
      }
      if (rule.match !== undefined) assert.ok(rule.begin === undefined && rule.include === undefined, `${at}: match with begin or include`);
      if (rule.begin !== undefined) assert.ok((rule.end === undefined) !== (rule.while === undefined), `${at}: a begin needs exactly one of end and while`);
      if (rule.end !== undefined || rule.while !== undefined) assert.ok(rule.begin !== undefined, `${at}: end or while without begin`);
    }
    assert.ok(count > 20, `${count} regexes`);
  });

  it('names scopes with well-known roots, all ending in .http but the embedded JSON body', () => {
    for (const { rule, at } of allRules(grammar())) {
      for (const scopes of [rule.name, rule.contentName]) {
        for (const scope of scopes?.split(' ') ?? []) {
          assert.ok(SCOPE_ROOTS.has(scope.split('.')[0]), `${at}: ${scope}`);
          assert.ok(scope.endsWith('.http') || scope === 'meta.embedded.block.json', `${at}: ${scope}`);
        }
      }
    }
  });

  it('embeds source.json in meta.embedded.block.json until the next ### line, with {{…}} injected into it', () => {
    const g = grammar();
    const json = Object.values(g.repository).filter((r) => r.name === 'meta.embedded.block.json');
    assert.equal(json.length, 1);
    assert.deepEqual(json[0].patterns, [{ include: 'source.json' }]);
    // `while` (not `end`): it is checked even inside the JSON grammar's unclosed strings and objects.
    assert.equal(json[0].while, '^(?!###)');
    const begin = new RegExp(json[0].begin ?? '', 'u');
    for (const line of ['{', '  {"a": 1}', '[1, 2]']) assert.match(line, begin);
    for (const line of ['{{payload}}', 'text {', '< ./body.json']) assert.doesNotMatch(line, begin);
    assert.deepEqual(g.injections?.['L:meta.embedded.block.json']?.patterns, [{ include: '#variables' }]);
  });

  it('reads request lines, headers, file variables, separators and file references (as JavaScript regexes)', () => {
    const g = grammar();
    const request = grammarRegExp(g, 'request:begin');
    assert.deepEqual([...(request.exec('GET /profile/v1/me HTTP/1.1') ?? [])].slice(1), ['GET', '/profile/v1/me', 'HTTP/1.1']);
    assert.deepEqual([...(request.exec('post {{host}}/x?from={{$datetime iso8601}}') ?? [])].slice(1), ['post', '{{host}}/x?from={{$datetime iso8601}}', undefined]);
    assert.deepEqual([...(request.exec('OPTIONS /things\tHTTP/2') ?? [])].slice(1), ['OPTIONS', '/things', 'HTTP/2']);
    assert.deepEqual([...(request.exec('https://example.test/plain') ?? [])].slice(1), [undefined, 'https://example.test/plain', undefined]);
    assert.deepEqual([...(request.exec('{{host}}/plain') ?? [])].slice(1), [undefined, '{{host}}/plain', undefined]);
    for (const line of ['GET', 'FETCH /x', 'Accept: application/json', 'hello world']) assert.doesNotMatch(line, request);

    assert.deepEqual([...(grammarRegExp(g, 'header:match').exec('X-Trace: {{$guid}} ') ?? [])].slice(1), ['X-Trace', ':', '{{$guid}}']);
    assert.deepEqual([...(grammarRegExp(g, 'file-variable:match').exec('@host = https://{{region}}.example') ?? [])].slice(1), ['@', 'host', '=', 'https://{{region}}.example']);
    assert.deepEqual([...(grammarRegExp(g, 'separator:match').exec('### Who am I') ?? [])].slice(1), ['###', 'Who am I']);
    assert.doesNotMatch(' ### indented', grammarRegExp(g, 'separator:match'));
    assert.deepEqual([...(grammarRegExp(g, 'query-continuation:match').exec('    &count=100') ?? [])].slice(1), ['&count=100']);
    const file = grammarRegExp(g, 'file-reference:match');
    assert.deepEqual([...(file.exec('<@ ./bodies/submit.json') ?? [])].slice(1), ['<@', '', undefined, './bodies/submit.json']);
    assert.deepEqual([...(file.exec('< ./thing.xml') ?? [])].slice(1), [undefined, undefined, '<', './thing.xml']);
    assert.doesNotMatch('<./x', file);
  });

  it('has a language configuration with # comments, brackets, auto-closing pairs and region folding', () => {
    const configuration = readJson(CONFIGURATION_FILE) as {
      comments: { lineComment: string };
      brackets: [string, string][];
      autoClosingPairs: { open: string; close: string }[];
      surroundingPairs: [string, string][];
      folding: { markers: { start: string; end: string } };
    };
    assert.equal(configuration.comments.lineComment, '#');
    for (const pair of [['{', '}'], ['[', ']']]) assert.ok(configuration.brackets.some((b) => b[0] === pair[0] && b[1] === pair[1]), pair.join(''));
    for (const [open, close] of [['{', '}'], ['[', ']'], ['"', '"']]) {
      assert.ok(configuration.autoClosingPairs.some((p) => p.open === open && p.close === close), open + close);
      assert.ok(configuration.surroundingPairs.some((p) => p[0] === open && p[1] === close), open + close);
    }
    // VS Code tests start before end: markers that were the same regex would never fold anything.
    const start = new RegExp(configuration.folding.markers.start);
    const end = new RegExp(configuration.folding.markers.end);
    for (const line of ['# region auth', '#region', '// #region', '  # region']) assert.ok(start.test(line) && !end.test(line), line);
    for (const line of ['# endregion', '#endregion', '// #endregion']) assert.ok(end.test(line) && !start.test(line), line);
    for (const line of ['###', '### region', '# @name region', 'GET /regions']) assert.ok(!start.test(line) && !end.test(line), line);
  });

  const engine = findTokenizer();
  if (engine) {
    it(`tokenizes a sample file like VS Code (vscode-textmate from ${path.relative(repoRoot, engine.modules)})`, async () => {
      const lines = await tokenize(engine, SAMPLE);
      const scopesOf = (line: number, text: string, nth = 0): string => {
        const tokens = lines[line].filter((t) => t.text === text);
        assert.ok(tokens[nth], `line ${line + 1} has no token "${text}": ${JSON.stringify(lines[line].map((t) => t.text))}`);
        return tokens[nth].scopes.join(' ');
      };
      const expect = (line: number, text: string, scope: string, nth = 0): void => {
        const scopes = scopesOf(line, text, nth);
        assert.ok(scopes.split(' ').includes(scope), `line ${line + 1} "${text}": ${scopes} (expected ${scope})`);
      };
      expect(0, 'host', 'variable.other.definition.http');
      expect(0, '=', 'keyword.operator.assignment.http');
      expect(0, 'https://example.test', 'string.unquoted.variable-value.http');
      expect(1, '###', 'punctuation.definition.comment.http');
      expect(1, 'Who am I', 'comment.line.separator.http');
      expect(2, 'name', 'keyword.other.annotation.http');
      expect(2, 'report', 'entity.name.function.request-name.http');
      expect(3, 'concur-session', 'keyword.other.annotation.http');
      expect(3, 'Dana', 'string.unquoted.session.http');
      expect(4, 'status', 'support.function.expectation.http');
      expect(4, '200', 'constant.numeric.status.http');
      expect(5, '$.Resources.length', 'variable.other.jsonpath.http');
      expect(5, '>', 'keyword.operator.comparison.http');
      expect(6, 'content-type', 'entity.other.attribute-name.header.http');
      expect(6, 'application/json', 'string.unquoted.expected.http');
      expect(7, 'expect', 'keyword.other.annotation.http');
      expect(7, 'exists', 'keyword.operator.word.http');
      expect(8, 'GET', 'keyword.other.method.http');
      expect(8, '/profile/v1/me', 'markup.underline.link.http');
      expect(8, 'host', 'variable.other.readwrite.http');
      expect(8, '{{', 'punctuation.definition.template-expression.begin.http');
      expect(8, 'HTTP/1.1', 'constant.language.http-version.http');
      expect(9, '?a=1', 'string.unquoted.url.http');
      expect(10, 'Accept', 'entity.other.attribute-name.header.http');
      expect(10, 'application/json', 'string.unquoted.header-value.http');
      expect(11, '$guid', 'support.variable.builtin.http');
      expect(12, ' not a header', 'comment.line.number-sign.http');
      expect(15, '$concur.sub', 'support.variable.builtin.http');
      if (engine.jsonGrammar) {
        // With VS Code's JSON grammar (without it, vscode-textmate drops the JSON rule and the body is text):
        // JSON scopes, and {{…}} injected inside its strings and values.
        expect(14, '{', 'meta.embedded.block.json');
        expect(14, '{', 'punctuation.definition.dictionary.begin.json');
        expect(15, '$concur.sub', 'meta.embedded.block.json');
        expect(15, 'id', 'support.type.property-name.json');
        expect(15, '$concur.sub', 'string.quoted.double.json');
      }
      expect(16, 'report.response.body.$.id', 'variable.other.readwrite.http');
      expect(17, '$datetime', 'support.variable.builtin.http');
      expect(17, 'iso8601', 'constant.language.http');
      // ### ends the request even inside an unclosed JSON string.
      expect(18, '###', 'punctuation.definition.comment.http');
      assert.doesNotMatch(scopesOf(18, '###'), /json|meta\.request/);
      expect(19, 'POST', 'keyword.other.method.http');
      expect(22, '<@', 'keyword.operator.file-reference.http');
      expect(22, './body.json', 'string.unquoted.file-path.http');
      expect(24, 'PUT', 'keyword.other.method.http');
      // A text body: a request line or a header there is body text.
      assert.equal(scopesOf(27, 'DELETE /not/a/request'), 'source.http meta.request.http meta.body.http');
      assert.equal(scopesOf(28, 'Name: not a header'), 'source.http meta.request.http meta.body.http');
      expect(29, 'x', 'variable.other.readwrite.http');
    });
  }
});

const SAMPLE = [
  /*  0 */ '@host = https://example.test',
  /*  1 */ '### Who am I',
  /*  2 */ '# @name report',
  /*  3 */ '# @concur-session Dana',
  /*  4 */ '# @expect status 200',
  /*  5 */ '# @expect $.Resources.length > 0',
  /*  6 */ '// @expect header content-type application/json',
  /*  7 */ '# @expect $.id exists',
  /*  8 */ 'GET {{host}}/profile/v1/me HTTP/1.1',
  /*  9 */ '    ?a=1',
  /* 10 */ 'Accept: application/json',
  /* 11 */ 'X-Trace: {{$guid}}',
  /* 12 */ '# not a header',
  /* 13 */ '',
  /* 14 */ '{',
  /* 15 */ '  "id": "{{$concur.sub}}",',
  /* 16 */ '  "ref": {{report.response.body.$.id}},',
  /* 17 */ '  "at": "{{$datetime iso8601}}, "unclosed',
  /* 18 */ '###',
  /* 19 */ 'POST /x',
  /* 20 */ 'Content-Type: application/json',
  /* 21 */ '',
  /* 22 */ '<@ ./body.json',
  /* 23 */ '###',
  /* 24 */ 'PUT /y',
  /* 25 */ 'Content-Type: text/plain',
  /* 26 */ '',
  /* 27 */ 'DELETE /not/a/request',
  /* 28 */ 'Name: not a header',
  /* 29 */ 'text {{x}}',
].join('\n');

interface Tokenizer {
  /** The node_modules folder holding vscode-textmate and vscode-oniguruma. */
  readonly modules: string;
  /** VS Code's JSON grammar (source.json), when it is next to them. */
  readonly jsonGrammar?: string;
}

/** vscode-textmate + vscode-oniguruma: from the repository's node_modules, else from the VS Code Server host, if installed. Never installs anything. */
function findTokenizer(): Tokenizer | undefined {
  const vscodeDir = path.join(hostCacheDir, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');
  const candidates: Tokenizer[] = [
    { modules: path.join(repoRoot, 'node_modules') },
    { modules: path.join(vscodeDir, 'node_modules'), jsonGrammar: path.join(vscodeDir, 'extensions', 'json', 'syntaxes', 'JSON.tmLanguage.json') },
  ];
  const found = candidates.find((c) => ['vscode-textmate', 'vscode-oniguruma'].every((m) => fs.existsSync(path.join(c.modules, m, 'package.json'))));
  if (!found) return undefined;
  return { modules: found.modules, ...(found.jsonGrammar && fs.existsSync(found.jsonGrammar) ? { jsonGrammar: found.jsonGrammar } : {}) };
}

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

/** The parts of vscode-textmate and vscode-oniguruma used here (their types are not installed). */
interface TextMate {
  INITIAL: unknown;
  parseRawGrammar(content: string, filePath: string): unknown;
  Registry: new (options: { onigLib: Promise<unknown>; loadGrammar(scopeName: string): Promise<unknown> }) => {
    loadGrammar(scopeName: string): Promise<{
      tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
    } | null>;
  };
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

let onigurumaLoaded: Promise<void> | undefined;

async function tokenize(engine: Tokenizer, text: string): Promise<Token[][]> {
  const load = createRequire(path.join(engine.modules, 'index.js'));
  const textmate = load('vscode-textmate') as TextMate;
  const oniguruma = load('vscode-oniguruma') as Oniguruma;
  onigurumaLoaded ??= (async () => {
    const wasm = fs.readFileSync(path.join(path.dirname(load.resolve('vscode-oniguruma')), 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  await onigurumaLoaded;
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'source.http') return textmate.parseRawGrammar(fs.readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE);
      if (scopeName === 'source.json' && engine.jsonGrammar) return textmate.parseRawGrammar(fs.readFileSync(engine.jsonGrammar, 'utf8'), engine.jsonGrammar);
      return null;
    },
  });
  const g = await registry.loadGrammar('source.http');
  assert.ok(g, 'vscode-textmate loads the grammar');
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = g.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}
