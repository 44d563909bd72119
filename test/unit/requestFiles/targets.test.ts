/**
 * Request targets judged while a request file is written (src/requestFiles/targets.ts): the resolver's
 * and the header check's refusals, said at the part the user wrote and naming where a variable came
 * from; nothing claimed that a value not known yet could change.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveApiTarget } from '../../../src/platform/resolver';
import { parseRequestFile, type ParsedRequestFile } from '../../../src/requestFiles/parse';
import { TargetJudge, type RequestProblem, type TargetContext } from '../../../src/requestFiles/targets';
import type { VariableSources } from '../../../src/requestFiles/variables';

const SESSION = { baseUrl: 'https://us.api.concursolutions.com', geolocation: 'https://us2.api.concursolutions.com' };

function judge(text: string, options: { session?: boolean; environment?: Record<string, string>; dotenv?: Record<string, string>; answers?: Record<string, unknown> } = {}): { file: ParsedRequestFile; problems: (readonly RequestProblem[])[] } {
  const file = parseRequestFile(text);
  const sources: VariableSources = {
    file: file.variables,
    environment: (name) => options.environment?.[name],
    dotenv: (name) => options.dotenv?.[name],
    processEnv: (name) => process.env[name],
    response: (name) => (options.answers && name in options.answers ? { status: 200, headers: {}, body: options.answers[name] } : undefined),
  };
  const context: TargetContext = {
    session: options.session === false ? undefined : SESSION,
    sources,
    origins: {
      environment: (name) => (options.environment && name in options.environment ? { environment: 'dev', where: 'http-client.env.json' } : undefined),
      dotenv: (name) => (options.dotenv && name in options.dotenv ? '.env' : undefined),
    },
  };
  const judgeOf = new TargetJudge(context);
  return { file, problems: file.requests.map((r) => judgeOf.judge(r)) };
}

/** The written text a problem points at. */
function marked(file: ParsedRequestFile, index: number, problem: RequestProblem): string {
  const request = file.requests[index];
  const written = problem.header === undefined ? request.url : request.headers[problem.header].value;
  return problem.span ? written.slice(problem.span.start, problem.span.end) : problem.header === undefined ? written : request.headers[problem.header].name;
}

describe('request targets judged while the file is written', () => {
  it('a path, and a full URL on the session\'s hosts, are not refused', () => {
    const { problems } = judge('GET /profile/v1/me\n\n###\nGET https://us2.api.concursolutions.com/x\n\n###\n@p = /expensereports/v4\nGET {{p}}/reports\n');
    assert.deepEqual(problems, [[], [], []]);
  });

  it('//host, another host and plain http are refused where they are written, with the resolver\'s reason', () => {
    const text = 'GET //other.example/x\n\n###\nGET https://other.example/x\n\n###\nGET http://other.example/x\n';
    const { file, problems } = judge(text);
    assert.equal(problems.flat().length, 3);
    assert.match(problems[0][0].message, /^"\/\/other\.example\/x" names another host \(other\.example\)/);
    assert.match(problems[1][0].message, /only sent to this session's hosts .* not to other\.example/);
    assert.match(problems[2][0].message, /Plain http:\/\/ is only allowed for this machine/);
    assert.equal(marked(file, 0, problems[0][0]), '//other.example/x');
  });

  it('a file variable that expands to another host is named, with its line, and marked where it stands', () => {
    const text = '@target = https://other.example/steal\n\nGET {{target}}\n';
    const { file, problems } = judge(text);
    assert.equal(problems[0].length, 1);
    const [problem] = problems[0];
    assert.equal(marked(file, 0, problem), '{{target}}');
    assert.match(problem.message, /^Refused target from \{\{target\}\} \(file variable, line 1\): The access token is only sent to this session's hosts/);
  });

  it('the chain of variables is named, down to the environment that gives the host', () => {
    const text = '@target = {{base}}/x\n\nGET {{target}}?a=1\n';
    const { problems } = judge(text, { environment: { base: 'https://other.example' } });
    assert.match(problems[0][0].message, /^Refused target from \{\{target\}\} \(file variable, line 1\) → \{\{base\}\} \(environment "dev", http-client\.env\.json\):/);
  });

  it('a host from .env is named by its file', () => {
    const { problems } = judge('GET {{$dotenv API_HOST}}/x\n', { dotenv: { API_HOST: 'https://other.example' } });
    assert.match(problems[0][0].message, /^Refused target from \{\{\$dotenv API_HOST\}\} \(\.env\):/);
  });

  it('a value not known yet decides nothing, unless the text before it already does', () => {
    const text = [
      '# @prompt where',
      'GET {{where}}/x',
      '',
      '###',
      'GET {{login.response.body.$.next}}',
      '',
      '###',
      'GET /{{nowhere}}',
      '',
      '###',
      'GET https://other.example/{{login.response.body.$.id}}',
      '',
      '###',
      'GET https://{{nowhere}}/x',
    ].join('\n');
    const { problems } = judge(text);
    assert.deepEqual(problems.map((p) => p.length), [0, 0, 0, 1, 0]);
    assert.match(problems[3][0].message, /not to other\.example/);
  });

  it('another request\'s answer, once known in this window, is judged like any value', () => {
    const { problems } = judge('# @name login\nGET /x\n\n###\nGET {{login.response.body.$.next}}\n', { answers: { login: { next: 'https://other.example/page/2' } } });
    assert.equal(problems[1].length, 1);
    assert.match(problems[1][0].message, /^Refused target from \{\{login\.response\.body\.\$\.next\}\} \(the answer of "login"\)/);
  });

  it('without a session, only what every session refuses is said', () => {
    const text = 'GET https://other.example/x\n\n###\nGET //other.example/x\n\n###\nGET http://other.example/x\n\n###\nGET /x\n';
    const { problems } = judge(text, { session: false });
    assert.deepEqual(problems.map((p) => p.length), [0, 1, 1, 0]);
    assert.match(problems[1][0].message, /names a host \(other\.example\)/);
  });

  it('a Host for another host and a header value a header cannot carry are refused, as the header check refuses them', () => {
    const text = '@h = other.example\nGET /x\nHost: {{h}}\nX-Note: 日本\n\n###\nGET /x\nHost: us2.api.concursolutions.com\n';
    const { file, problems } = judge(text);
    assert.equal(problems[0].length, 2);
    assert.equal(marked(file, 0, problems[0][0]), '{{h}}');
    assert.match(problems[0][0].message, /^Refused Host header from \{\{h\}\} \(file variable, line 1\): The Host header names other\.example/);
    assert.equal(marked(file, 0, problems[0][1]), 'X-Note');
    assert.match(problems[0][1].message, /U\+65E5/);
    // The session's own host is merely left out, not refused.
    assert.deepEqual(problems[1], []);
  });

  it('{{$concur.accessToken}} in a URL is refused on it', () => {
    const text = 'GET /x?t={{$concur.accessToken}}\n';
    const { file, problems } = judge(text);
    assert.equal(marked(file, 0, problems[0][0]), '{{$concur.accessToken}}');
    assert.match(problems[0][0].message, /a token never goes into a URL/);
  });

  it('a refusal said before a value is known holds whatever the value turns out to be (fast-check, 10,000 templates)', () => {
    const pieces = ['/', '//', 'https://', 'http://', 'other.example', 'us2.api.concursolutions.com', '127.0.0.1:9', '?', '#', '@', ':', 'x', '/users', '\\', ' ', '%2f'];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, fc.array(text, { minLength: 1, maxLength: 8 }), (before, after, values) => {
        if (!(before + after).trim() || /[\s]/.test(before.trim() + after.trim())) return;
        const { problems } = judge(`# @name a\nGET /a\n\n###\nGET ${before}{{a.response.body.$.v}}${after}\n`);
        if (!problems[1]?.length) return;
        for (const value of values) {
          const resolution = resolveApiTarget(`${before}${value}${after}`, SESSION);
          assert.equal(resolution.ok, false, `${before}{{v}}${after} was said refused, but with v = ${JSON.stringify(value)} it goes to ${resolution.ok ? resolution.url.href : ''}`);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('remembered judgements are reused for a request written the same, and a request changed is judged anew', () => {
    const remembered = new Map<string, readonly RequestProblem[]>();
    const pass = (text: string): (readonly RequestProblem[])[] => {
      const file = parseRequestFile(text);
      const judgeOf = new TargetJudge({ session: SESSION, sources: { file: file.variables }, remembered });
      return file.requests.map((r) => judgeOf.judge(r));
    };
    const first = pass('GET //other.example/x\n\n###\nGET /fine\n');
    assert.equal(remembered.size, 2);
    // Lines inserted above: the same requests, the same judgements (the very same objects).
    const second = pass('\n\nGET //other.example/x\n\n###\nGET /fine\n');
    assert.equal(second[0], first[0]);
    assert.equal(second[1], first[1]);
    const changed = pass('GET //other.example/x\nHost: x\n\n###\nGET //elsewhere.example/y\n');
    assert.notEqual(changed[0], first[0]);
    assert.match(changed[1][0].message, /elsewhere\.example/);
  });
});
