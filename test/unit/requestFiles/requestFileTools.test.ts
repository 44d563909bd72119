/**
 * Request files written for REST Client, JetBrains HTTP Client and httpYac, read as each tool reads
 * them: a corpus per tool (test/fixtures/requestFiles/tools), each expectation taken from the tool's
 * own documentation (REST Client's README, JetBrains' format specification, httpYac's documentation),
 * the bodies those requests send built byte for byte, pasted curl commands, the gate on requests with
 * an error, and the hostile-input time bounds of the token finder and the parser.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBody, encodeFormBody, joinHeaders, RequestBuildError, type BodySources } from '../../../src/requestFiles/body';
import { CURL_FORM_BOUNDARY } from '../../../src/requestFiles/curlCommand';
import { parseRequestFile, readsAsBodyText, type ParsedRequestFile, type RequestBlock } from '../../../src/requestFiles/parse';
import { findLiteralTokens, isSecretName } from '../../../src/requestFiles/secrets';
import { expandVariables } from '../../../src/requestFiles/variables';
import { requestToText } from '../../../src/requestFiles/write';
import { bodyText } from '../../../src/platform/bodyText';
import { repoRoot } from '../../host/paths';

const tools = path.join(repoRoot, 'test', 'fixtures', 'requestFiles', 'tools');
const read = (name: string): ParsedRequestFile => parseRequestFile(fs.readFileSync(path.join(tools, name), 'utf8'));
const file = (name: string): Buffer => fs.readFileSync(path.join(tools, 'files', name));
const named = (parsed: ParsedRequestFile, name: string): RequestBlock => {
  const request = parsed.requests.find((r) => r.name === name);
  assert.ok(request, `no request named ${name}`);
  return request;
};

/** What the extension builds for a request: headers joined, body by Content-Type, includes read from the fixtures, `{{…}}` from the given values. */
async function built(parsed: ParsedRequestFile, request: RequestBlock, values: Record<string, string> = {}): Promise<{ headers: Record<string, string>; body?: string | Uint8Array }> {
  const variables = [...parsed.variables, ...Object.entries(values).map(([name, value]) => ({ name, value, line: 0 }))];
  const sources: BodySources = {
    read: async (include) => fs.promises.readFile(path.resolve(tools, include.path)),
    expand: async (text) => expandVariables(text, { file: variables }).text,
  };
  const headers = joinHeaders(await Promise.all(request.headers.map(async (h) => ({ name: h.name, value: await sources.expand(h.value) }))));
  return buildBody(request.body, headers, sources);
}

const crlf = (...lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');
const information = (parsed: ParsedRequestFile): [number, string][] => parsed.diagnostics.filter((d) => d.severity === 'information').map((d) => [d.span.line, d.message]);

describe('request files from REST Client (its README)', () => {
  const parsed = read('restClient.http');

  it('reads every request, with no error', () => {
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(
      parsed.requests.map((r) => [r.name, r.method, r.url, r.httpVersion]),
      [
        ['full', 'POST', '{{baseUrl}}/comments', 'HTTP/1.1'],
        // "If request method is omitted, request will be treated as GET".
        ['Request line with the URL only', 'GET', 'https://example.com/comments/1', undefined],
        // "the lines in immediately after the Request Line which starts with ? and &".
        ['paged', 'GET', 'https://example.com/comments?page=2&pageSize=10', undefined],
        ['unindented', 'GET', 'https://example.com/comments?page=2', undefined],
        ['fromFile', 'POST', 'https://example.com/comments', 'HTTP/1.1'],
        ['expanded', 'POST', 'https://example.com/comments', 'HTTP/1.1'],
        ['latin1', 'POST', 'https://example.com/comments', 'HTTP/1.1'],
        ['upload', 'POST', 'https://api.example.com/user/upload', undefined],
        ['login', 'POST', 'https://api.example.com/login', 'HTTP/1.1'],
        ['graphql', 'POST', 'https://api.github.com/graphql', undefined],
        ['prompts', 'POST', 'https://{{host}}/verify-otp/{{refCode}}', 'HTTP/1.1'],
        ['comments', 'POST', 'https://example.com/comments', undefined],
        ['repeated', 'GET', 'https://example.com/comments', undefined],
        ['noBody', 'GET', 'https://example.com/comments', undefined],
      ],
    );
  });

  it('sends `< file` as the file\'s bytes, `<@ file` with variables expanded, `<@latin1 file` read as Latin-1', async () => {
    assert.deepEqual((await built(parsed, named(parsed, 'fromFile'))).body, file('demo.xml'));
    assert.equal((await built(parsed, named(parsed, 'expanded'), { name: 'sample' })).body, '<request>\r\n    <name>sample</name>\r\n</request>\r\n');
    assert.equal((await built(parsed, named(parsed, 'latin1'), { name: 'sample' })).body, 'Café crème sample\n');
    assert.deepEqual(named(parsed, 'latin1').body?.lines, [{ kind: 'file', path: './files/latin1.txt', expand: true, encoding: 'latin1', line: 46 }]);
  });

  it('sends a multipart body with CRLF line ends and the image part as the file\'s bytes', async () => {
    const { body, headers } = await built(parsed, named(parsed, 'upload'));
    const boundary = '------WebKitFormBoundary7MA4YWxkTrZu0gW';
    const expected = Buffer.concat([
      Buffer.from(crlf(boundary, 'Content-Disposition: form-data; name="text"', '', 'title', boundary, 'Content-Disposition: form-data; name="image"; filename="1.png"', 'Content-Type: image/png', '')),
      file('1.png'),
      Buffer.from(crlf('', `${boundary}--`).slice(0)),
    ]);
    assert.ok(body instanceof Uint8Array);
    assert.equal(Buffer.compare(Buffer.from(body), expected), 0);
    assert.equal(headers['Content-Type'], `multipart/form-data; boundary=${boundary.slice(2)}`);
  });

  it('joins form lines that start with & without a line break', async () => {
    assert.equal((await built(parsed, named(parsed, 'login'))).body, 'name=foo&password=bar');
  });

  it('sends a GraphQL request as {"query", "variables"} from the query and the JSON after its blank line, without the X-Request-Type header', async () => {
    const { body, headers } = await built(parsed, named(parsed, 'graphql'));
    assert.equal(typeof body, 'string');
    assert.deepEqual(JSON.parse(body as string), {
      query: 'query ($name: String!, $owner: String!) {\n  repository(name: $name, owner: $owner) {\n    name\n    fullName: nameWithOwner\n  }\n}',
      variables: { name: 'vscode-restclient', owner: 'Huachao' },
    });
    assert.deepEqual(headers, { 'Content-Type': 'application/json' });
  });

  it('reads # @prompt names and descriptions', () => {
    assert.deepEqual(named(parsed, 'prompts').prompts, [
      { name: 'username', line: 91 },
      { name: 'refCode', description: 'Your reference code display on webpage', line: 92 },
      { name: 'otp', description: 'Your one-time password in your mailbox', line: 93 },
    ]);
  });

  it('drops whole-line comments in headers, in the body and after it; a comment after a GET gives it no body', async () => {
    const comments = named(parsed, 'comments');
    assert.deepEqual(comments.headers.map((h) => h.name), ['Content-Type']);
    assert.equal((await built(parsed, comments)).body, '{\n  "name": "sample",\n  "time": "now", "note": "// not a comment, # neither"\n}');
    assert.equal(comments.expectations.length, 1);
    assert.equal(named(parsed, 'noBody').body, undefined);
  });

  it('keeps a repeated header: Cookie joined with "; ", others with ", "', async () => {
    assert.deepEqual((await built(parsed, named(parsed, 'repeated'))).headers, { Cookie: 'a=1; b=2', Accept: 'application/json, text/plain' });
  });
});

describe('request files from JetBrains HTTP Client (its format specification)', () => {
  const parsed = read('jetBrains.http');

  it('reads `### title` as the name, @name over it, HTTP/2 labels kept and said to be sent as HTTP/1.1', () => {
    assert.deepEqual(parsed.diagnostics.filter((d) => d.severity !== 'information'), []);
    assert.deepEqual(
      parsed.requests.map((r) => [r.name, r.method, r.url, r.httpVersion]),
      [
        ['Get the auth token', 'POST', 'http://example.com/auth', undefined],
        ['Response handler over several lines', 'GET', 'http://example.com/api/get?id=15', 'HTTP/2'],
        ['Response handler in a file, answer saved to files', 'GET', 'http://example.com/api/get', undefined],
        ['Pre-request script', 'GET', 'http://example.com/api/users/{{firstname}}', undefined],
        ['Multipart', 'POST', 'http://example.com/api/upload', undefined],
        // 4.2.1: "Whitespaces around each line of the request path and the query will be trimmed."
        ['A long URL over indented lines', 'GET', 'http://example.com/api/get', undefined],
        ['Comments in the body, with and without indent', 'POST', 'http://example.com/add', undefined],
        ['named', 'PUT', 'http://example.com/items/1', 'HTTP/2.0'],
      ],
    );
  });

  it('recognises response handlers, pre-request scripts, >> and <> lines: not sent, each said not to run here', async () => {
    const handler = 'JetBrains response handlers are not run here, nor sent: check the answer with # @expect lines instead.';
    const before = 'JetBrains pre-request scripts are not run here, nor sent: set values with @name = value or # @prompt instead.';
    const saved = 'Saving the answer to a file (>>) is not done here: the answer opens in a tab, which you can save.';
    const http2 = (v: string): string => `${v} is read and kept in the file, but this extension sends HTTP/1.1.`;
    assert.deepEqual(information(parsed), [
      [8, handler],
      [9, 'References to earlier answers (<>) are not used here.'],
      [12, http2('HTTP/2')],
      [14, handler],
      [23, handler],
      [24, saved],
      [25, saved],
      [28, before],
      [31, before],
      [64, http2('HTTP/2.0')],
    ]);
    // "< input.json" then the handler: the body is the file alone.
    assert.deepEqual((await built(parsed, parsed.requests[0])).body, file('input.json'));
    for (const r of parsed.requests.slice(1, 4)) assert.equal(r.body, undefined, r.name);
  });

  it('sends the multipart example with CRLF and the file part as its bytes', async () => {
    const { body } = await built(parsed, named(parsed, 'Multipart'));
    const expected = Buffer.concat([
      Buffer.from(crlf('--abcd', 'Content-Disposition: form-data; name="text"', '', 'Text', '--abcd', 'Content-Disposition: form-data; name="file_to_send"; filename="input.txt"', '')),
      file('input.txt'),
      Buffer.from(crlf('', '--abcd--')),
    ]);
    assert.equal(Buffer.compare(Buffer.from(body as Uint8Array), expected), 0);
  });

  it('drops comment lines in a body "with or without indent" (2.4)', async () => {
    assert.equal((await built(parsed, named(parsed, 'Comments in the body, with and without indent'))).body, 'message-body');
  });
});

describe('request files from httpYac (its documentation and parser)', () => {
  const parsed = read('httpYac.http');

  it('reads /* */ comments, names with blanks, # @note, /path and ?query lines', () => {
    assert.deepEqual(parsed.diagnostics.filter((d) => d.severity !== 'information'), []);
    assert.deepEqual(
      parsed.requests.map((r) => [r.name, r.method, r.url, r.note]),
      [
        ['get user', 'GET', 'https://httpbin.org/anything/users?id=1', 'This changes nothing, but asks first'],
        ['create', 'POST', 'https://httpbin.org/anything', undefined],
        ['A method the other tools know too', 'PROPFIND', 'https://httpbin.org/dav/', undefined],
        [undefined, 'REPORT', 'https://httpbin.org/dav/calendar', undefined],
      ],
    );
  });

  it('recognises {{ }} scripts and ?? asserts: not sent, each said not to run here', async () => {
    const script = 'httpYac scripts are not run here, nor sent: set values with @name = value and check answers with # @expect.';
    const assertion = 'httpYac asserts (??) are not checked here, nor sent: write # @expect lines instead, such as # @expect status 200.';
    assert.deepEqual(information(parsed), [
      [13, assertion],
      [14, assertion],
      [18, script],
      [29, script],
    ]);
    assert.equal(named(parsed, 'get user').body, undefined);
    assert.equal((await built(parsed, named(parsed, 'create'), { stamp: 'now' })).body, '{\n  "created": "now"\n}');
  });
});

describe('curl commands pasted into a request file', () => {
  const parsed = read('curl.http');

  it('reads each command as a request: method, URL, headers; says what curl would do that is not done here', () => {
    assert.deepEqual(
      parsed.requests.map((r) => [r.name, r.method, r.url, r.headers.map((h) => `${h.name}: ${h.value}`), r.curl]),
      [
        [
          'createReceipt',
          'POST',
          'https://us.api.concursolutions.com/receipts/v4/users/{{$concur.sub}}',
          ['Content-Type: application/json', 'link: <http://schema.concursolutions.com/general-receipt.schema.json>;rel=describedBy'],
          true,
        ],
        [
          'imageOnly',
          'POST',
          'https://us.api.concursolutions.com/receipts/v4/users/{{$concur.sub}}/image-only-receipts',
          ['Authorization: Bearer {YOUR ACCESS TOKEN}', `Content-Type: multipart/form-data; boundary=${CURL_FORM_BOUNDARY}`],
          true,
        ],
        ['A GET with flags and data in the query', 'GET', 'https://us.api.concursolutions.com/localities/v5/countries?q=S%C3%A3o%20Paulo&limit=5', ['Accept: application/json'], true],
        ['Data from a file, a form and a HEAD', 'POST', 'https://us.api.concursolutions.com/profile/v1/me', ['Content-Type: application/json'], true],
      ],
    );
    assert.deepEqual(
      parsed.diagnostics.map((d) => [d.span.line, d.severity, d.message]),
      [
        [20, 'information', 'TLS certificates are always checked here: -k is ignored.'],
        [23, 'information', 'The credentials in this command are not sent: the request goes with the signed-in Concur session\'s token.'],
        [23, 'warning', 'curl\'s --proxy is not read here: the request is sent without it.'],
      ],
    );
    // The pasted token is flagged like one in a header line.
    assert.deepEqual(findLiteralTokens(fs.readFileSync(path.join(tools, 'curl.http'), 'utf8')), [{ line: 15, start: 26, end: 45 }]);
  });

  it('sends the data as written (a quoted JSON body over several lines), a -F file part as its bytes, a --data-binary file as its bytes', async () => {
    assert.equal((await built(parsed, named(parsed, 'createReceipt'))).body, '{\n  "merchant": {"name": "Café"},\n  "total": 12.5\n}');
    const upload = await built(parsed, named(parsed, 'imageOnly'));
    const expected = Buffer.concat([
      Buffer.from(crlf(`--${CURL_FORM_BOUNDARY}`, 'Content-Disposition: form-data; name="image"; filename="1.png"', 'Content-Type: image/png', '')),
      file('1.png'),
      Buffer.from(crlf('', `--${CURL_FORM_BOUNDARY}--`)),
    ]);
    assert.equal(Buffer.compare(Buffer.from(upload.body as Uint8Array), expected), 0);
    assert.deepEqual((await built(parsed, parsed.requests[3])).body, file('input.json'));
  });

  it('reads quotes, escapes and continuations as a shell does; an unclosed quote is an error', () => {
    const one = parseRequestFile(`curl "https://x.test/a?b=1" -H $'X-A: tab\\there' -H "X-B: \\"q\\"" -H X-C:\\ c -XPUT --data-raw '@not-a-file'\n`).requests[0];
    assert.deepEqual([one.method, one.url, one.headers.map((h) => h.value), one.body?.text], ['PUT', 'https://x.test/a?b=1', ['tab\there', '"q"', 'c', 'application/x-www-form-urlencoded'], '@not-a-file']);
    const windows = parseRequestFile('curl https://x.test/a ^\n  -I\n').requests[0];
    assert.deepEqual([windows.method, windows.errors], ['HEAD', []]);
    const open = parseRequestFile("curl -d '{\"a\": 1}\n###\nGET /next\n");
    assert.equal(open.requests.length, 1);
    assert.deepEqual(open.diagnostics[0].severity, 'error');
    assert.equal(parseRequestFile('curl -sS\n').diagnostics[0].message, 'Expected a URL in the curl command');
    // After the command: only comments and blank lines.
    const after = parseRequestFile('curl https://x.test/a\nAccept: x\n').requests[0];
    assert.equal(after.errors[0].message, 'Expected a blank line, a comment or ### after the curl command (its lines continue only after a \\)');
  });
});

describe('request file bodies and headers', () => {
  const sources = (files: Record<string, Uint8Array> = {}): BodySources => ({
    read: async (include) => files[include.path] ?? Promise.reject(new Error(`no ${include.path}`)),
    expand: async (text) => text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => ({ who: 'Ana', amp: 'a&b c' })[name] ?? `{{${name}}}`),
  });
  const body = (text: string): RequestBlock => {
    const request = parseRequestFile(text).requests[0];
    assert.ok(request);
    return request;
  };
  const build = async (text: string, files?: Record<string, Uint8Array>): Promise<string | Uint8Array | undefined> => {
    const request = body(text);
    return (await buildBody(request.body, joinHeaders(request.headers), sources(files))).body;
  };

  it('reads an include anywhere in a body, between other lines, and joins them with line feeds', async () => {
    const sent = await build('POST /x\nContent-Type: text/plain\n\nbefore {{who}}\n< ./a.bin\n# gone\nafter\n', { './a.bin': new Uint8Array([0, 255, 10]) });
    assert.deepEqual(Buffer.from(sent as Uint8Array), Buffer.concat([Buffer.from('before Ana\n'), Buffer.from([0, 255, 10]), Buffer.from('\nafter')]));
    // An indented `<` line is text, as in all three tools.
    assert.equal(await build('POST /x\n\n  < ./a.bin\n'), '  < ./a.bin');
    assert.equal(await build('POST /x\n\n<@nope ./a\n'), undefined);
    assert.match(parseRequestFile('POST /x\n\n<@nope ./a\n').requests[0].errors[0].message, /"nope" is not an encoding/);
  });

  it('multipart: CRLF after every line, expanded text, the file bytes untouched', async () => {
    const bytes = new Uint8Array([13, 10, 0, 45, 45]);
    const sent = await build('POST /x\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="who"\n\n{{who}}\n--b\nContent-Disposition: form-data; name="f"; filename="f"\n\n< f\n--b--\n', { f: bytes });
    const expected = Buffer.concat([Buffer.from(crlf('--b', 'Content-Disposition: form-data; name="who"', '', 'Ana', '--b', 'Content-Disposition: form-data; name="f"; filename="f"', '')), Buffer.from(bytes), Buffer.from(crlf('', '--b--'))]);
    assert.deepEqual(Buffer.from(sent as Uint8Array), expected);
    // Without a file: text, CRLF too.
    assert.equal(await build('POST /x\nContent-Type: Multipart/Form-Data; boundary=b\n\n--b\n\nx\n--b--\n'), crlf('--b', '', 'x', '--b--'));
  });

  it('form bodies: & lines joined, other lines keep their break, characters a form cannot hold encoded, escapes kept', async () => {
    assert.equal(await build('POST /x\nContent-Type: application/x-www-form-urlencoded\n\nname={{who}}\n  &q=a b\n&pct=100%25 ü"\n'), 'name=Ana&q=a%20b&pct=100%25%20%C3%BC%22');
    assert.equal(encodeFormBody('a=1\nb=%zz&c={x}'), 'a=1%0Ab=%25zz&c=%7Bx%7D');
  });

  it('GraphQL: no variables is {}; the operation name is read; variables that are not JSON are an error', async () => {
    const graphql = 'POST /graphql\nX-Request-Type: graphql\n\nquery Me { me { id } }\n';
    assert.equal(await build(graphql), JSON.stringify({ query: 'query Me { me { id } }', operationName: 'Me', variables: {} }));
    await assert.rejects(build(`${graphql}\n{ nope\n`), (error: Error) => error instanceof RequestBuildError && /not valid JSON/.test(error.message));
  });

  it('headers: repeated ones joined, Cookie with "; ", Set-Cookie never; HTTP\'s one-only headers given twice are errors in the file', () => {
    assert.deepEqual(joinHeaders([{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }, { name: 'Cookie', value: 'a=1' }, { name: 'cookie', value: 'b=2' }]), { 'X-A': '1, 2', Cookie: 'a=1; b=2' });
    assert.throws(() => joinHeaders([{ name: 'Set-Cookie', value: 'a' }, { name: 'Set-Cookie', value: 'b' }]), RequestBuildError);
    const twice = parseRequestFile('GET /x\nContent-Type: a\nContent-Type: b\nSet-Cookie: a\nSet-Cookie: b\n').requests[0];
    assert.deepEqual(
      twice.errors.map((e) => [e.span.line, e.message]),
      [
        [2, 'Content-Type is given twice (first on line 2), and HTTP allows it once: keep one line.'],
        [4, 'Set-Cookie is never joined into one line (it is an answer\'s header): keep one Set-Cookie line.'],
      ],
    );
  });

  it('what is shown of a body: text as it is, UTF-8 bytes as text, binary bytes not', () => {
    assert.equal(bodyText('x'), 'x');
    assert.equal(bodyText(Buffer.from('a\r\nb ü')), 'a\r\nb ü');
    assert.equal(bodyText(file('1.png')), undefined);
    assert.equal(bodyText(new Uint8Array([0x61, 0])), undefined);
  });
});

describe('request file requests that are not sent as written', () => {
  it('a request with an error lists it; an unindented ?query line and a /* */ comment are read, not errors', () => {
    const fixed = parseRequestFile('GET https://example.com/comments\n?page=2\n\n###\n/* the next request\n   lists comments */\nGET /comments\n');
    assert.deepEqual(
      fixed.requests.map((r) => [r.method, r.url, r.errors.length]),
      [
        ['GET', 'https://example.com/comments?page=2', 0],
        ['GET', '/comments', 0],
      ],
    );
    const broken = parseRequestFile('GET /comments\nnot a header\n\n###\n/* never closed\nGET /x\n');
    assert.deepEqual(
      broken.requests.map((r) => [r.url, r.errors.map((e) => e.message)]),
      [
        ['/comments', ['Expected a header (Name: value) or a blank line before the body']],
        ['/x', ['This /* comment is not closed: end it with */']],
      ],
    );
    assert.deepEqual(
      broken.diagnostics.map((d) => d.message),
      ['Expected a header (Name: value) or a blank line before the body', 'This /* comment is not closed: end it with */'],
    );
  });

  it('methods: any RFC 9110 token (a warning when no tool knows it), CONNECT refused', () => {
    const file = parseRequestFile('PROPFIND /dav\n###\nmkcol /dav/new\n###\nPURGE /cache\n###\nCONNECT proxy.example:443\n');
    assert.deepEqual(
      file.requests.map((r) => [r.method, r.url, r.errors.length]),
      [
        ['PROPFIND', '/dav', 0],
        ['MKCOL', '/dav/new', 0],
        ['PURGE', '/cache', 0],
        ['CONNECT', 'proxy.example:443', 1],
      ],
    );
    assert.deepEqual(
      file.diagnostics.map((d) => [d.severity, d.span.line]),
      [
        ['warning', 4],
        ['error', 6],
      ],
    );
  });

  it('an unclosed script is an error where it cannot be body text, and body text in a body (as httpYac reads it)', () => {
    assert.deepEqual(parseRequestFile('> {%\nGET /x\n').requests[0].errors.map((e) => e.message), ['This {% script is not closed: end it with a line that is %}']);
    assert.deepEqual(parseRequestFile('{{\nGET /x\n').requests[0].errors.map((e) => e.message), ['This {{ script is not closed: end it with a line that is }}']);
    assert.equal(parseRequestFile('POST /x\n\n{{\n"a"\n').requests[0].body?.text, '{{\n"a"');
  });

  it('says which body lines no syntax sends as text, for the writer', () => {
    for (const line of ['# x', '  // x', '< ./f', '<@ ./f', '<> f', '> {% x %}', '> h.js', '>> out', '?? status == 200', '{{', '/*']) assert.equal(readsAsBodyText(line), false, line);
    for (const line of ['{', '"a": "# no"', '  < indented', 'a // b', '>', '> two words', '{{x}}', '']) assert.equal(readsAsBodyText(line), true, line);
    const text = requestToText({ method: 'POST', target: '/x', body: '# Heading\ntext' });
    assert.match(text, /^# Some lines of this body start with #/);
  });

  it('# @prompt names that say a secret are masked; others are not', () => {
    for (const name of ['password', 'Password', 'passwd', 'clientSecret', 'api_key', 'apiKey', 'userPin', 'otp', 'refreshToken', 'ACCESS_TOKEN', 'userpassword']) assert.equal(isSecretName(name), true, name);
    for (const name of ['username', 'refCode', 'shipping', 'keyboardLayout', 'monkey', 'reportId', 'passenger']) assert.equal(isSecretName(name), false, name);
  });
});

describe('request-file text from anywhere stays linear', () => {
  const timed = (run: () => unknown): number => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };

  // A header value of blanks before a U+2028 (which `.` does not match) made `(.*)$` backtrack over
  // every split of the blanks: quadratic, minutes for 1 MB. Grown step by step, so that the old code
  // fails at the first, small step instead of freezing the test run.
  it('the token finder and the parser read a 1 MB header in linear time', () => {
    for (const size of [16 * 1024, 64 * 1024, 1024 * 1024]) {
      const blanks = ' '.repeat(size);
      const lines = [`Authorization: Bearer ${blanks}\u2028`, `authorization:${blanks}bearer ${blanks}\u2029x`, `X-Token: eyJa${blanks}\u2028`, `X-Long:${blanks}\u2028`, `-H 'Authorization: Bearer ${blanks}\u2028`];
      const text = `GET /x\n${lines.join('\n')}\n`;
      let found: unknown;
      let read: ReturnType<typeof parseRequestFile> | undefined;
      const ms = timed(() => {
        found = findLiteralTokens(text);
        read = parseRequestFile(text);
      });
      // Linear, these take a few milliseconds (1 MB: about 100); quadratic, 16 KB took 3.4 s. The bounds leave room for a busy machine.
      assert.ok(ms < (size > 64 * 1024 ? 1500 : 400), `${size / 1024} KB: ${ms.toFixed(0)} ms`);
      assert.ok(Array.isArray(found));
      assert.equal(read?.requests[0].headers.length, 4);
    }
  });

  it('many openers without their end, and many backslashes, stay linear', () => {
    const openers = `POST /x\n\n${'{{\n/*\n> {%\n'.repeat(30_000)}`;
    const slashes = `curl https://x.test/${'\\'.repeat(200_000)}a\n`;
    const headers = `GET /x\n${Array.from({ length: 50_000 }, (_, i) => `X-H${i % 2 ? i : 0}: v`).join('\n')}\n`;
    let errors = 0;
    const ms = timed(() => {
      errors = parseRequestFile(openers).requests[0].errors.length;
      parseRequestFile(slashes);
      parseRequestFile(headers);
    });
    assert.equal(errors, 30_000);
    // Linear: about 0.3 s together on a busy machine; the quadratic error list alone took 16 s.
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });
});
