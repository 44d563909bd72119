/**
 * Request files without VS Code: the parser on a corpus written for it (test/fixtures/requestFiles),
 * variable expansion (file variables, system variables, the session's claims, chaining through
 * named requests' responses), `# @expect` checks, the writers and the literal-token finder.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { evaluateExpectation } from '../../../src/requestFiles/expectations';
import { parseRequestFile, readsAsBodyText, requestAt, type Expectation, type ParsedRequestFile, type RequestBlock } from '../../../src/requestFiles/parse';
import { findLiteralTokens } from '../../../src/requestFiles/secrets';
import { ACCESS_TOKEN_MARKER, expandVariables, knownVariableNames, MAX_EXPANDED_CHARS, variableReferences, type VariableSources } from '../../../src/requestFiles/variables';
import { requestsToFile, requestToText, type RequestToWrite } from '../../../src/requestFiles/write';
import { repoRoot } from '../../host/paths';

const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'requestFiles', name), 'utf8');
const parsed = (name: string): ParsedRequestFile => parseRequestFile(fixture(name));
/** A body's text, lines and span (its lines and text are made when first read). */
const bodyOf = (request: RequestBlock): object | undefined => request.body && { text: request.body.text, lines: request.body.lines, firstLine: request.body.firstLine, lastLine: request.body.lastLine };
const named = (file: ParsedRequestFile, name: string): RequestBlock => {
  const request = file.requests.find((r) => r.name === name);
  assert.ok(request, `no request named ${name}`);
  return request;
};

describe('request file parser', () => {
  const corpus = parsed('corpus.http');

  it('reads every request block of the corpus, in order, with its lines', () => {
    assert.deepEqual(
      corpus.requests.map((r) => [r.index, r.name, r.method, r.url, r.firstLine, r.lastLine, r.requestLine]),
      [
        [0, 'me', 'GET', '/profile/v1/me', 6, 13, 11],
        [1, 'users', 'GET', '{{users}}?startIndex=1&count=100', 15, 25, 20],
        [2, 'createReport', 'POST', '{{host}}/expensereports/v4/users/{{$concur.sub}}/context/TRAVELER/reports', 27, 38, 28],
        [3, 'report', 'GET', '{{host}}/expensereports/v4/reports/{{createReport.response.body.$.uri}}', 40, 46, 44],
        [4, undefined, 'PUT', '/expensereports/v4/reports/1/submit', 48, 53, 49],
        [5, undefined, 'PATCH', 'https://example.test/things/1', 55, 59, 55],
        [6, undefined, 'GET', 'https://example.test/plain', 61, 62, 61],
        [7, undefined, 'DELETE', '/things/{{$randomInt 1 100}}', 64, 66, 65],
        [8, 'trailing', 'OPTIONS', '/things', 68, 71, 69],
      ],
    );
    // The HTTP/2 label is read and kept, and said not to be used.
    assert.deepEqual(corpus.diagnostics, [{ span: { line: 28, start: 79, end: 85 }, message: 'HTTP/2 is read and kept in the file, but this extension sends HTTP/1.1.', severity: 'information' }]);
    assert.ok(corpus.requests.every((r) => r.errors.length === 0));
    // A `### title` names a request that has no @name; @name wins over it.
    assert.deepEqual(corpus.requests.map((r) => r.title), ['Who am I', undefined, 'create an expense report', undefined, undefined, undefined, undefined, undefined, 'trailing']);
  });

  it('reads sessions, HTTP versions and URL spans', () => {
    const me = named(corpus, 'me');
    assert.equal(me.session, 'Acme (sandbox)');
    assert.equal(me.httpVersion, 'HTTP/1.1');
    assert.deepEqual(me.urlSpan, { line: 11, start: 4, end: 18 });
    assert.equal(named(corpus, 'createReport').httpVersion, 'HTTP/2');
    assert.equal(named(corpus, 'users').session, undefined);
    // A lower-case method is upper-cased; the span is the URL on the request line only.
    assert.deepEqual(named(corpus, 'users').urlSpan, { line: 20, start: 4, end: 13 });
    // Tabs between the method, the URL and the version, and in a header.
    const options = corpus.requests[8];
    assert.deepEqual(options.urlSpan, { line: 69, start: 8, end: 15 });
    assert.equal(options.httpVersion, 'HTTP/1.1');
    assert.deepEqual(options.headers, [{ name: 'Origin', value: 'https://example.test', line: 70 }]);
  });

  it('reads headers and bodies: inline (trailing blank lines trimmed), from a file, with and without expansion', () => {
    assert.deepEqual(named(corpus, 'users').headers, [
      { name: 'Accept', value: 'application/json', line: 23 },
      { name: 'X-Trace', value: '{{$guid}}', line: 24 },
    ]);
    assert.equal(named(corpus, 'users').body, undefined);
    assert.deepEqual(bodyOf(named(corpus, 'createReport')), {
      text: '{\n  "name": "Trip to {{city}}",\n  "purpose": "Customer visit",\n  "comment": "## not a separator ###"\n}',
      lines: ['{', '  "name": "Trip to {{city}}",', '  "purpose": "Customer visit",', '  "comment": "## not a separator ###"', '}'],
      firstLine: 32,
      lastLine: 36,
    });
    assert.deepEqual(corpus.requests[4].body?.lines, [{ kind: 'file', path: './bodies/submit.json', expand: true, line: 52 }]);
    assert.deepEqual(corpus.requests[5].body?.lines, [{ kind: 'file', path: './bodies/thing.xml', expand: false, line: 58 }]);
    assert.deepEqual([corpus.requests[5].body?.firstLine, corpus.requests[5].body?.lastLine], [58, 58]);
  });

  it('reads expectations with their spans; other tools’ annotations are comments', () => {
    assert.deepEqual(named(corpus, 'me').expectations, [
      { kind: 'status', status: 200, span: { line: 8, start: 2, end: 20 } },
      { kind: 'header', name: 'content-type', contains: 'application/json', span: { line: 9, start: 2, end: 46 } },
    ]);
    assert.deepEqual(named(corpus, 'users').expectations, [
      { kind: 'jsonpath', path: '$.Resources.length', op: '>', value: 0, span: { line: 16, start: 3, end: 33 } },
      { kind: 'jsonpath', path: '$.totalResults', op: '>=', value: 1, span: { line: 17, start: 3, end: 30 } },
      { kind: 'jsonpath', path: '$.Resources[?(@.active == true)].userName', op: 'contains', value: 'alice', span: { line: 18, start: 3, end: 69 } },
      { kind: 'jsonpath', path: '$.itemsPerPage', op: 'exists', span: { line: 19, start: 3, end: 32 } },
    ]);
    assert.deepEqual(
      named(corpus, 'report').expectations.map((e) => e.kind === 'jsonpath' && [e.path, e.op, e.value]),
      [
        ['$.name', '==', 'Trip to Lisbon'],
        ['$.id', '!=', null],
      ],
    );
  });

  it('reads file variables anywhere outside a body, in file order (a later definition wins when expanding)', () => {
    assert.deepEqual(corpus.variables, [
      { name: 'host', value: 'https://us.api.concursolutions.com', line: 1 },
      { name: 'version', value: 'v4', line: 2 },
      { name: 'users', value: '{{host}}/profile/identity/{{version}}/Users', line: 3 },
      { name: 'city', value: 'Lisbon', line: 40 },
      { name: 'version', value: 'v5', line: 68 },
    ]);
    assert.equal(expandVariables('{{users}}', { file: corpus.variables }).text, 'https://us.api.concursolutions.com/profile/identity/v5/Users');
    // `@name = value` inside a body is body text.
    const file = parseRequestFile('POST /x\n\n@inBody = 1\n');
    assert.deepEqual(file.variables, []);
    assert.equal(file.requests[0].body?.text, '@inBody = 1');
  });

  it('reads CRLF line endings, a BOM and tabs', () => {
    const text = fixture('crlf.http');
    assert.ok(text.startsWith('\ufeff') && text.includes('\r\n'));
    const file = parseRequestFile(text);
    assert.deepEqual(file.diagnostics, []);
    assert.deepEqual(file.variables, [{ name: 'host', value: 'https://example.test', line: 0 }]);
    const [first, second] = file.requests;
    assert.equal(first.name, 'first');
    assert.equal(first.method, 'POST');
    assert.equal(first.url, '{{host}}/a');
    assert.deepEqual(first.urlSpan, { line: 4, start: 5, end: 15 });
    assert.equal(first.httpVersion, 'HTTP/1.1');
    assert.deepEqual(first.headers, [{ name: 'Content-Type', value: 'application/json', line: 5 }]);
    assert.deepEqual(bodyOf(first), { text: '{\n\t"a": 1\n}', lines: ['{', '\t"a": 1', '}'], firstLine: 7, lastLine: 9 });
    assert.equal(second.name, 'second');
    assert.equal(second.url, '{{host}}/b?x=1&y=2');
    assert.deepEqual([second.firstLine, second.lastLine, second.requestLine], [12, 16, 13]);
  });

  it('ends a block at a line that starts with ### even inside a JSON string, and only there', () => {
    const file = parsed('hashes.http');
    assert.equal(file.requests.length, 2);
    const [notes, after] = file.requests;
    assert.deepEqual(notes.body?.text, '{\n  "title": "###",\n  "text": "a ### b",');
    assert.deepEqual([notes.body.firstLine, notes.body.lastLine], [3, 5]);
    assert.equal(notes.lastLine, 5);
    // What is left of the JSON after the ### line is a block of its own, which does not read.
    assert.deepEqual(file.diagnostics, [
      { span: { line: 7, start: 2, end: 15 }, message: 'Expected a request line (METHOD URL), a comment, a variable (@name = value) or ###', severity: 'error' },
    ]);
    assert.deepEqual([after.method, after.url, after.requestLine, after.separatorLine], ['GET', '/after', 10, 9]);
  });

  it('reports malformed lines with exact spans; a request with an error lists it (and is not sent)', () => {
    const file = parsed('malformed.http');
    assert.deepEqual(file.diagnostics, [
      // Any RFC 9110 token is a method (as HTTP defines it); one no tool knows may be a typo.
      { span: { line: 0, start: 0, end: 5 }, message: '"FETCH" is not a method REST Client, httpYac or JetBrains HTTP Client know; it is sent as written. Check its spelling.', severity: 'warning' },
      { span: { line: 3, start: 0, end: 3 }, message: 'Expected a URL after GET', severity: 'error' },
      { span: { line: 7, start: 2, end: 14 }, message: 'This block has annotations but no request line (METHOD URL)', severity: 'error' },
      { span: { line: 11, start: 0, end: 19 }, message: 'Expected "=" after the variable name: @noequals = value', severity: 'error' },
      { span: { line: 13, start: 2, end: 20 }, message: '"abc" is not an HTTP status code (100–599)', severity: 'error' },
      { span: { line: 14, start: 2, end: 18 }, message: 'Unknown operator ">>" (expected ==, !=, >=, <=, >, <, contains, exists)', severity: 'error' },
      { span: { line: 15, start: 2, end: 22 }, message: '"exists" takes no value (found "3")', severity: 'error' },
      {
        span: { line: 16, start: 2, end: 20 },
        message: 'Expected "@expect status <code>", "@expect header <name> <text>" or "@expect $.<json path> <operator> [value]"',
        severity: 'error',
      },
      { span: { line: 17, start: 2, end: 29 }, message: 'Expected the text the content-type header should contain', severity: 'error' },
      { span: { line: 18, start: 2, end: 17 }, message: 'Expected an account or label after @concur-session', severity: 'error' },
      { span: { line: 21, start: 0, end: 20 }, message: 'Expected a header (Name: value) or a blank line before the body', severity: 'error' },
      { span: { line: 29, start: 8, end: 11 }, message: 'Another request is already named "dup" (line 13)', severity: 'warning' },
      // A word before a text that is no URL: a line of prose, not a request.
      { span: { line: 30, start: 0, end: 11 }, message: 'Expected a request line (METHOD URL), a comment, a variable (@name = value) or ###', severity: 'error' },
      { span: { line: 33, start: 8, end: 11 }, message: 'Another request is already named "dup" (line 13)', severity: 'warning' },
    ]);
    // Blocks whose request line does not read give no request; header-shaped lines in a body are body.
    // A name is the rest of the line, as httpYac and JetBrains read it (one that is not an identifier cannot be referred to in {{…}}).
    assert.deepEqual(
      file.requests.map((r) => [r.method, r.url, r.name, r.expectations.length, r.errors.map((e) => e.span.line)]),
      [
        ['FETCH', '/x', undefined, 0, []],
        ['GET', '/a', 'dup', 0, [11, 13, 14, 15, 16, 17, 18, 21]],
        ['POST', '/b', '1bad', 0, []],
      ],
    );
    assert.equal(file.requests[1].body?.text, '{\n  "Header-Like": "fine",\nX-Not-A-Header: fine in a body\n}');
  });

  it('reads small files: no separator, only a URL, only variables, empty, `// @name`, `@name=x`', () => {
    assert.deepEqual(parseRequestFile(''), { requests: [], variables: [], diagnostics: [] });
    assert.deepEqual(parseRequestFile('@a = 1\n# comment\n'), { requests: [], variables: [{ name: 'a', value: '1', line: 0 }], diagnostics: [] });
    const one = parseRequestFile('{{host}}/x');
    assert.deepEqual([one.requests[0].method, one.requests[0].url, one.requests[0].separatorLine], ['GET', '{{host}}/x', undefined]);
    assert.equal(parseRequestFile('# @name=compact\nhead /x').requests[0].name, 'compact');
    assert.equal(parseRequestFile('# @name=compact\nhead /x').requests[0].method, 'HEAD');
    assert.equal(parseRequestFile('#@expect status 204\nDELETE /x').requests[0].expectations[0].kind, 'status');
    // A URL with a blank in it stays one URL; the last word is the version only when it is one.
    assert.equal(parseRequestFile('GET /search?q=a b').requests[0].url, '/search?q=a b');
    // A request line that is only a word is not a URL.
    assert.equal(parseRequestFile('users').diagnostics.length, 1);
  });

  it('finds the request under a line, its ### line included', () => {
    assert.equal(requestAt(corpus, 0), undefined);
    assert.equal(requestAt(corpus, 4), undefined);
    assert.equal(requestAt(corpus, 5)?.name, 'me');
    assert.equal(requestAt(corpus, 11)?.name, 'me');
    assert.equal(requestAt(corpus, 13)?.name, 'me');
    assert.equal(requestAt(corpus, 14)?.name, 'users');
    assert.equal(requestAt(corpus, 36)?.name, 'createReport');
    assert.equal(requestAt(corpus, 71)?.index, 8);
    assert.equal(requestAt(corpus, 72), undefined);
    for (const request of corpus.requests) {
      for (let line = request.firstLine; line <= request.lastLine; line++) assert.equal(requestAt(corpus, line), request);
    }
  });
});

describe('request file variables', () => {
  const now = new Date('2024-02-29T12:34:56.789Z');
  const base = (file: VariableSources['file'] = []): VariableSources => ({ file, now: () => now, uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0.5 });
  const v = (name: string, value: string, line = 0): { name: string; value: string; line: number } => ({ name, value, line });

  it('expands file variables recursively, later definitions winning', () => {
    const file = [v('host', 'https://a.test'), v('base', '{{ host }}/api/{{version}}'), v('version', 'v1'), v('version', 'v2')];
    const e = expandVariables('{{base}}/x?id={{version}}', base(file));
    assert.deepEqual(e, { text: 'https://a.test/api/v2/x?id=v2', unknown: [], needs: [], usesAccessToken: false, errors: [] });
  });

  it('reports cycles and unknown names once, leaving them in the text', () => {
    const e = expandVariables('{{a}} {{a}} {{nope}} {{nope}} {{}}', base([v('a', 'x{{b}}'), v('b', '{{a}}')]));
    assert.deepEqual(e.errors, ['The variables a → b → a refer to each other in a cycle']);
    assert.deepEqual(e.unknown, ['nope']);
    assert.equal(e.text, 'x{{a}} x{{a}} {{nope}} {{nope}} {{}}');
    assert.deepEqual(expandVariables('{{self}}', base([v('self', '{{self}}')])).errors, ['The variables self → self refer to each other in a cycle']);
  });

  it('expands system variables', () => {
    const e = expandVariables('{{$guid}} {{$randomInt 10 20}} {{$timestamp}} {{$timestamp -1 d}} {{$datetime iso8601}} {{$datetime rfc1123}} {{$datetime iso8601 1 y}} {{$datetime iso8601 -2 h}}', base());
    assert.deepEqual(e.errors, []);
    assert.equal(
      e.text,
      [
        '00000000-0000-4000-8000-000000000000',
        '15',
        String(Math.floor(now.getTime() / 1000)),
        String(Math.floor(now.getTime() / 1000) - 86400),
        '2024-02-29T12:34:56.789Z',
        'Thu, 29 Feb 2024 12:34:56 GMT',
        // REST Client adds offsets with Day.js, which keeps the day in the month: 29 February + 1 y is 28 February.
        '2025-02-28T12:34:56.789Z',
        '2024-02-29T10:34:56.789Z',
      ].join(' '),
    );
    // The defaults: a real UUID, Math.random, the clock.
    const real = expandVariables('{{$guid}}|{{$randomInt 0 2}}|{{$timestamp}}', { file: [] }).text.split('|');
    assert.match(real[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(['0', '1'].includes(real[1]));
    assert.ok(Math.abs(Number(real[2]) - Date.now() / 1000) < 5);
  });

  it('reports system variables with bad arguments as errors', () => {
    // A format is in quotes: {{$datetime "YYYY"}} reads, {{$datetime YYYY}} does not.
    const e = expandVariables('{{$randomInt 5}} {{$randomInt 5 5}} {{$datetime YYYY}} {{$timestamp 1 fortnight}} {{$guidx}}', base());
    assert.equal(e.errors.length, 4);
    assert.deepEqual(e.unknown, ['$guidx']);
    assert.equal(e.text, '{{$randomInt 5}} {{$randomInt 5 5}} {{$datetime YYYY}} {{$timestamp 1 fortnight}} {{$guidx}}');
  });

  it('reads $dotenv, $processEnv and the session’s claims through the caller', () => {
    const sources: VariableSources = {
      ...base(),
      dotenv: (name) => ({ CLIENT: 'c-1' })[name],
      processEnv: (name) => ({ HOME: '/home/me' })[name],
      concur: (name) => ({ sub: 'user-1', geolocation: 'https://us2.api.concursolutions.com' })[name as string],
    };
    const e = expandVariables('{{$dotenv CLIENT}} {{$processEnv HOME}} {{$concur.sub}} {{$concur.geolocation}} {{$concur.company}} {{$dotenv NOPE}} {{$processEnv NOPE}}', sources);
    // An unset process variable is an empty text, as REST Client sends it.
    assert.equal(e.text, 'c-1 /home/me user-1 https://us2.api.concursolutions.com {{$concur.company}} {{$dotenv NOPE}} ');
    assert.deepEqual(e.unknown, ['$concur.company', '$dotenv NOPE']);
    // Without the callbacks (not signed in, no .env): unknown.
    assert.deepEqual(expandVariables('{{$concur.sub}}{{$dotenv A}}', { file: [] }).unknown, ['$concur.sub', '$dotenv A']);
  });

  it('never puts the access token into text: a marker that cannot be typed', () => {
    let asked = false;
    const sources: VariableSources = { file: [v('auth', 'Bearer {{$concur.accessToken}}')], concur: () => ((asked = true), 'eyJ.secret') };
    const e = expandVariables('{{auth}}', sources);
    assert.equal(e.text, `Bearer ${ACCESS_TOKEN_MARKER}`);
    assert.equal(e.usesAccessToken, true);
    assert.equal(asked, false);
    assert.ok(ACCESS_TOKEN_MARKER.includes('\u0000'));
    assert.equal(expandVariables('{{$concur.sub}}', { file: [] }).usesAccessToken, false);
  });

  it('chains through named responses: JSONPath, *, headers (any case), and says which requests must run first', () => {
    const responses: Record<string, { status: number; headers: Record<string, string>; body: unknown }> = {
      login: { status: 200, headers: { ETag: 'W/"1"', 'content-type': 'application/json' }, body: { id: 7, uri: 'r/1', items: [{ n: 'a' }, { n: 'b' }], nested: { x: [1] }, nothing: null } },
      text: { status: 200, headers: {}, body: '{"fromText": true}' },
      plain: { status: 200, headers: {}, body: 'hello' },
    };
    const sources: VariableSources = { ...base(), response: (name) => responses[name] };
    const e = expandVariables(
      '{{login.response.body.$.id}} {{login.response.body.$.uri}} {{login.response.body.$.items[1].n}} {{login.response.body.$.nested}} {{login.response.body.$.nothing}} {{login.response.body.id}} {{login.response.headers.etag}} {{text.response.body.$.fromText}} {{plain.response.body.*}}',
      sources,
    );
    assert.deepEqual(e.errors, []);
    assert.equal(e.text, '7 r/1 b {"x":[1]} null 7 W/"1" true hello');
    assert.equal(expandVariables('{{login.response.body.*}}', sources).text, JSON.stringify(responses.login.body));
    const missing = expandVariables('{{login.response.body.$.nope}} {{login.response.headers.X-Nope}} {{plain.response.body.$.a}} {{later.response.body.$.id}} {{later.response.headers.A}}', sources);
    assert.deepEqual(missing.needs, ['later']);
    assert.equal(missing.errors.length, 3);
    assert.match(missing.errors[0], /nothing in the response of login matches \$\.nope/);
    assert.match(missing.errors[1], /no X-Nope header/);
    assert.match(missing.errors[2], /not JSON/);
    assert.equal(missing.text, '{{login.response.body.$.nope}} {{login.response.headers.X-Nope}} {{plain.response.body.$.a}} {{later.response.body.$.id}} {{later.response.headers.A}}');
    // Through a file variable, and with a JSONPath given by the caller.
    const calls: string[] = [];
    const viaParam = expandVariables('{{id}}', { file: [v('id', '{{login.response.body.$.id}}')], response: (name) => responses[name], jsonPath: (p) => (calls.push(p), [42]) });
    assert.deepEqual([viaParam.text, calls], ['42', ['$.id']]);
  });

  it('lists references in a line and the names a file may use', () => {
    assert.deepEqual(variableReferences('GET {{host}}/x/{{ $randomInt 1 2 }}?a={{b.response.body.$.c}}'), [
      { name: 'host', start: 4, end: 12 },
      { name: '$randomInt 1 2', start: 15, end: 35 },
      { name: 'b.response.body.$.c', start: 38, end: 61 },
    ]);
    assert.deepEqual(variableReferences('no references {single}'), []);
    const names = knownVariableNames(parseRequestFile(fixture('corpus.http')));
    assert.deepEqual(names.slice(0, 4), ['host', 'version', 'users', 'city']);
    for (const builtin of ['$guid', '$randomInt', '$timestamp', '$datetime', '$dotenv', '$processEnv', '$concur.sub', '$concur.geolocation', '$concur.company', '$concur.accessToken']) assert.ok(names.includes(builtin), builtin);
  });

  it('requiring the parser, variables and expectations does not load jsonpath-plus', () => {
    const script = `
      for (const m of ['parse', 'variables', 'expectations', 'write', 'secrets']) require(${JSON.stringify(path.join(repoRoot, 'out', 'src', 'requestFiles'))} + '/' + m);
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('jsonpath-plus'));
      const before = loaded();
      require(${JSON.stringify(path.join(repoRoot, 'out', 'src', 'requestFiles', 'variables'))}).expandVariables('{{a.response.body.$.x}}', { file: [], response: () => ({ status: 200, headers: {}, body: { x: 1 } }) });
      console.log(JSON.stringify([before, loaded()]));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), [false, true]);
  });
});

describe('request file expectations', () => {
  const span = { line: 0, start: 0, end: 1 };
  const response = {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: { Resources: [{ userName: 'alice', active: true, n: 1 }, { userName: 'bob', active: false, n: 2 }], total: 2, name: 'Trip to Lisbon', id: 'abc', tags: ['a', 'b'], empty: [], when: '2024-03-01', nothing: null },
  };
  const jp = (path: string, op: Extract<Expectation, { kind: 'jsonpath' }>['op'], value?: unknown): Expectation => ({ kind: 'jsonpath', path, op, ...(op === 'exists' ? {} : { value }), span });
  const check = (e: Expectation, r: Parameters<typeof evaluateExpectation>[1] = response): [boolean, string] => {
    const outcome = evaluateExpectation(e, r);
    return [outcome.passed, outcome.message];
  };

  it('checks the status', () => {
    assert.deepEqual(check({ kind: 'status', status: 200, span }), [true, 'status 200']);
    assert.deepEqual(check({ kind: 'status', status: 200, span }, { ...response, status: 404 }), [false, 'expected status 200, got 404']);
    assert.equal(evaluateExpectation({ kind: 'status', status: 200, span }, { ...response, status: 404 }).actual, '404');
  });

  it('checks a header’s text, its name and the text in any case', () => {
    assert.deepEqual(check({ kind: 'header', name: 'content-type', contains: 'APPLICATION/JSON', span }), [true, 'content-type contains "APPLICATION/JSON"']);
    assert.deepEqual(check({ kind: 'header', name: 'content-type', contains: 'text/html', span }), [false, 'content-type: expected to contain "text/html", got "application/json; charset=utf-8"']);
    assert.deepEqual(check({ kind: 'header', name: 'ETag', contains: 'x', span }), [false, 'expected a ETag header containing "x", got no ETag header']);
  });

  it('checks JSONPath values with every operator, passing and failing', () => {
    const cases: [Expectation, boolean, string][] = [
      [jp('$.Resources.length', '>', 0), true, '$.Resources.length > 0'],
      [jp('$.empty.length', '>', 0), false, '$.empty.length: expected > 0, got 0'],
      [jp('$.total', '>=', 2), true, '$.total >= 2'],
      [jp('$.total', '<', 2), false, '$.total: expected < 2, got 2'],
      [jp('$.total', '<=', 2), true, '$.total <= 2'],
      [jp('$.total', '>', 10), false, '$.total: expected > 10, got 2'],
      [jp('$.when', '>', '2024-01-01'), true, '$.when > "2024-01-01"'],
      [jp('$.total', '>', '1'), false, '$.total: expected > "1", got 2 (> compares two numbers or two strings)'],
      [jp('$.name', '==', 'Trip to Lisbon'), true, '$.name == "Trip to Lisbon"'],
      [jp('$.name', '==', 'Trip to Porto'), false, '$.name: expected == "Trip to Porto", got "Trip to Lisbon"'],
      [jp('$.Resources[0]', '==', { userName: 'alice', active: true, n: 1 }), true, '$.Resources[0] == {"userName":"alice","active":true,"n":1}'],
      [jp('$.id', '!=', null), true, '$.id != null'],
      [jp('$.nothing', '!=', null), false, '$.nothing: expected != null, got null'],
      [jp('$.tags', 'contains', 'b'), true, '$.tags contains "b"'],
      [jp('$.tags', 'contains', 'c'), false, '$.tags: expected contains "c", got ["a","b"]'],
      [jp('$.name', 'contains', 'Lisbon'), true, '$.name contains "Lisbon"'],
      [jp('$.Resources[?(@.active == true)].userName', 'contains', 'alice'), true, '$.Resources[?(@.active == true)].userName contains "alice"'],
      [jp('$.Resources[*].userName', 'contains', 'bob'), true, '$.Resources[*].userName contains "bob"'],
      [jp('$.Resources[*].n', '==', [1, 2]), true, '$.Resources[*].n == [1,2]'],
      [jp('$.total', 'contains', 2), false, '$.total: expected contains 2, got 2 (contains needs a string, an array or an object)'],
      [jp('$.id', 'exists'), true, '$.id exists'],
      [jp('$.nothing', 'exists'), true, '$.nothing exists'],
      [jp('$.missing', 'exists'), false, '$.missing: expected to exist, got nothing'],
      [jp('$.missing', '==', 1), false, '$.missing: expected == 1, got nothing'],
    ];
    for (const [expectation, passed, message] of cases) assert.deepEqual(check(expectation), [passed, message], JSON.stringify(expectation));
  });

  it('reads a body given as text, and a body that is not JSON', () => {
    assert.deepEqual(check(jp('$.a', '==', 1), { status: 200, headers: {}, body: '{"a":1}' }), [true, '$.a == 1']);
    assert.deepEqual(check(jp('$.a', 'exists'), { status: 200, headers: {}, body: 'plain text' }), [false, '$.a: expected to exist, got nothing']);
    assert.deepEqual(check(jp('$', 'contains', 'plain'), { status: 200, headers: {}, body: 'plain text' }), [true, '$ contains "plain"']);
  });

  it('checks what the parser read', () => {
    const file = parseRequestFile('# @expect status 201\n# @expect header Location /reports/\n# @expect $.id exists\n# @expect $.count == 3\nPOST /reports\n');
    const created = { status: 201, headers: { location: 'https://x/reports/9' }, body: { id: '9', count: 3 } };
    assert.deepEqual(
      file.requests[0].expectations.map((e) => evaluateExpectation(e, created).passed),
      [true, true, true, true],
    );
  });
});

describe('request file writers', () => {
  it('writes a request with its name and comment, without secrets', () => {
    const text = requestToText({
      method: 'post',
      target: '/expensereports/v4/reports',
      name: 'create report',
      comment: 'From the history\n@name not an annotation',
      headers: {
        Authorization: 'Bearer abc',
        cookie: 'session=1',
        'X-Token': 'bearer xyz',
        'X-Jwt': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: '{\r\n  "name": "x"\r\n}\r\n\r\n',
    });
    assert.equal(
      text,
      '# From the history\n# (@)name not an annotation\n# @name create-report\nPOST /expensereports/v4/reports\nContent-Type: application/json\nAccept: application/json\n\n{\n  "name": "x"\n}\n',
    );
    assert.deepEqual(findLiteralTokens(text), []);
    const back = parseRequestFile(text);
    assert.deepEqual(back.diagnostics, []);
    assert.equal(back.requests[0].name, 'create-report');
  });

  it('writes a file that reads back: methods, URLs, headers and bodies, names made unique', () => {
    const requests: RequestToWrite[] = [
      { method: 'GET', target: '/profile/v1/me', headers: { Accept: 'application/json', Authorization: 'Bearer t' }, name: 'me' },
      { method: 'POST', target: 'https://us.api.concursolutions.com/x?a=1&b=2', headers: { 'Content-Type': 'application/json' }, body: '{\n  "a": "###"\n}', name: 'me' },
      { method: 'DELETE', target: '/things/1' },
    ];
    const text = requestsToFile(requests);
    assert.match(text, /^# Concur API Explorer request file\.\n# .*session.*by reference/);
    assert.doesNotMatch(text, /authorization|accessToken/i);
    const file = parseRequestFile(text);
    assert.deepEqual(file.diagnostics, []);
    assert.deepEqual(
      file.requests.map((r) => [r.name, r.method, r.url, r.headers.map((h) => [h.name, h.value]), r.body?.text]),
      [
        ['me', 'GET', '/profile/v1/me', [['Accept', 'application/json']], undefined],
        ['me-2', 'POST', 'https://us.api.concursolutions.com/x?a=1&b=2', [['Content-Type', 'application/json']], '{\n  "a": "###"\n}'],
        [undefined, 'DELETE', '/things/1', [], undefined],
      ],
    );
  });

  it('round-trips random requests through the writer and the parser', () => {
    const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
    const segment = fc.stringMatching(/^[A-Za-z0-9._~{}$-]{1,12}$/);
    const target = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
      fc.tuple(fc.constantFrom('https://us.api.concursolutions.com', '{{host}}'), fc.array(segment, { maxLength: 3 }), fc.option(fc.stringMatching(/^[a-z]=[A-Za-z0-9]{0,5}(&[a-z]=[A-Za-z0-9]{0,5}){0,2}$/))).map(
        ([host, parts, query]) => `${host}/${parts.join('/')}${query ? `?${query}` : ''}`,
      ),
    );
    const headerValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019 ;=,/"{}$.*'.split('')), maxLength: 20 }).map((s) => s.trim());
    const bodyLine = fc.string({ unit: fc.constantFrom(...'ab{}[]":, \t#@<>/\\'.split('')), maxLength: 30 });
    const body = fc.array(bodyLine, { minLength: 1, maxLength: 6 }).map((lines) => lines.join('\n'));
    const request = fc.record(
      {
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'get', 'Post'),
        target,
        headers: fc.dictionary(token, headerValue, { maxKeys: 4 }),
        body,
        name: fc.stringMatching(/^[A-Za-z_][\w-]{0,10}$/),
        comment: fc.string({ maxLength: 30 }),
      },
      { requiredKeys: ['method', 'target'] },
    );
    fc.assert(
      fc.property(fc.array(request, { maxLength: 6 }), (requests) => {
        const file = parseRequestFile(requestsToFile(requests));
        // Information (another tool's construct in a body) is fine; nothing the writer writes is an error.
        assert.deepEqual(file.diagnostics.filter((d) => d.severity !== 'information'), []);
        assert.equal(file.requests.length, requests.length);
        requests.forEach((written, i) => {
          const read = file.requests[i];
          assert.equal(read.method, written.method.toUpperCase());
          assert.equal(read.url, written.target);
          const headers = Object.entries(written.headers ?? {}).filter(([name, value]) => !/^(authorization|proxy-authorization|cookie|set-cookie)$/i.test(name) && !/^\s*bearer\s|eyJ/i.test(value));
          assert.deepEqual(
            read.headers.map((h) => [h.name, h.value]),
            headers,
          );
          // The parser drops blank lines at the end of a body; a line starting with ### is written indented.
          const expected = (written.body ?? '').replace(/(?:\n[ \t]*)+$/, '').replace(/^###/gm, ' ###');
          // A line no request-file syntax sends as text (a comment, `< file`, a script) is said in a comment above the request.
          if (expected.split('\n').some((line) => !readsAsBodyText(line))) {
            assert.ok(read.firstLine < read.requestLine, 'the note above the request');
            return;
          }
          assert.equal(read.body?.text ?? '', expected.trim() ? expected : '');
          if (written.name) assert.ok(read.name?.startsWith(written.name));
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('request file literal tokens', () => {
  it('finds Bearer and Basic literals and JWT-shaped text, with their spans', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
    const text = [
      'GET /x',
      `Authorization: Bearer ${jwt}`,
      'authorization:   bearer opaque-token-123  ',
      'Authorization: Basic dXNlcjpwYXNz',
      `X-Other: ${jwt}`,
      '',
      `{"token": "${jwt}", "again": "${jwt}"}`,
    ].join('\r\n');
    assert.deepEqual(findLiteralTokens(text), [
      { line: 1, start: 22, end: 22 + jwt.length },
      { line: 2, start: 24, end: 40 },
      { line: 3, start: 21, end: 33 },
      { line: 4, start: 9, end: 9 + jwt.length },
      { line: 6, start: 11, end: 11 + jwt.length },
      { line: 6, start: 11 + jwt.length + 13, end: 11 + 2 * jwt.length + 13 },
    ]);
  });

  it('does not flag the session by reference or variables', () => {
    const text = 'GET /x\nAuthorization: Bearer {{$concur.accessToken}}\nAuthorization: {{$concur.accessToken}}\nAuthorization: Bearer {{token}}\nX-Note: eyJ alone is not a token\n# eyJhbGciOi.notajwt\n';
    assert.deepEqual(findLiteralTokens(text), []);
    assert.deepEqual(findLiteralTokens(fixture('corpus.http')), []);
  });
});

describe('request file texts from anywhere stay cheap', () => {
  const timed = (run: () => unknown): number => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };

  it('a chain of variables that doubles at every level stops at the size limit with an error, not the memory limit', () => {
    const file = Array.from({ length: 40 }, (_, i) => ({ name: `v${i}`, value: i === 39 ? 'x'.repeat(64) : `{{v${i + 1}}}{{v${i + 1}}}`, line: i }));
    let expansion: ReturnType<typeof expandVariables> | undefined;
    const ms = timed(() => (expansion = expandVariables('GET /x/{{v0}}', { file })));
    assert.ok(expansion?.errors.some((e) => e.includes(`more than ${MAX_EXPANDED_CHARS / 1024 / 1024} MB`)), expansion?.errors.join('; '));
    assert.ok((expansion?.text.length ?? 0) <= MAX_EXPANDED_CHARS);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('long hostile lines are read in linear time: many {{ without }}, eyJ runs, blanks after a Bearer value', () => {
    const braces = '{'.repeat(200_000);
    const eyj = `Authorization: Bearer ${'eyJ'.repeat(70_000)}`;
    const blanks = `Authorization: Bearer x${' '.repeat(100_000)}y`;
    const runs = `${'eyJa.'.repeat(40_000)}`;
    const ms = timed(() => {
      assert.deepEqual(variableReferences(braces), []);
      findLiteralTokens([eyj, blanks, runs, `< ./a${' '.repeat(100_000)}b.json`].join('\n'));
      parseRequestFile(`POST /x\n\n< ./a${' '.repeat(100_000)}b.json\n`);
    });
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('still finds a JWT inside a longer run, and each of two on one line', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const line = `x-token: abc${jwt} and ${jwt}.`;
    const spans = findLiteralTokens(line);
    assert.deepEqual(spans.map((s) => line.slice(s.start, s.end)), [`eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`, jwt]);
  });
});
