/**
 * Request-file environments and the other tools' built-in variables, without VS Code: REST Client's
 * setting, JetBrains' public and private env files, httpYac's dotenv files, how they are merged and
 * which wins; every dynamic variable with an injected clock and random source; the text a request is
 * written back as; and that a file of doubling variables is stopped before it builds its text.
 *
 * The expectations are written from the tools' documentation: REST Client's README ("Environments",
 * "Variables", "System Variables"), JetBrains' "HTTP Client variables" and its dynamic-variable
 * descriptions, and httpYac's "Environments" guide.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTINS, builtinOf, describeBuiltin, parseBuiltin } from '../../../src/requestFiles/dynamicVariables';
import { privateFileText, publicSecretFindings, removeValueEdits } from '../../../src/requestFiles/environmentJson';
import {
  dotenvValue,
  environmentLayers,
  environmentNames,
  foldersFromRoot,
  MAX_ENVIRONMENT_FILE_BYTES,
  NO_FOLDER_ENVIRONMENTS,
  readFolderEnvironments,
  resolveEnvironment,
  restClientEnvironments,
  type EnvironmentTable,
  type FolderEnvironments,
} from '../../../src/requestFiles/environments';
import { expandVariables, expansionBudget, isBuiltinReference, MAX_EXPANDED_CHARS, type VariableSources } from '../../../src/requestFiles/variables';
import { parseRequestFile } from '../../../src/requestFiles/parse';
import { requestsToFile } from '../../../src/requestFiles/write';
import { repoRoot } from '../../host/paths';
import { isSecretName, isTokenShaped, looksLikeSecret } from '../../../src/requestFiles/secrets';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';

/** A folder tree of files: { 'a/b/http-client.env.json': '…' }. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-env-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const table = (setting: unknown): EnvironmentTable => {
  const read = restClientEnvironments(setting);
  assert.ok(typeof read !== 'string', String(read));
  return read;
};

/** The values of an environment as a plain object, with each one's source kind. */
function resolved(selected: string | undefined, settings: EnvironmentTable, folder: FolderEnvironments = NO_FOLDER_ENVIRONMENTS): Record<string, string> {
  return Object.fromEntries([...resolveEnvironment(environmentLayers(selected, settings, folder))].map(([name, v]) => [name, v.value]));
}

describe('request environments: REST Client\'s setting', () => {
  // REST Client's README example, with `$shared`, an environment's own values and `{{$shared name}}`.
  const settings = table({
    $shared: { version: 'v1', prodToken: 'foo', nonProdToken: 'bar' },
    local: { version: 'v2', host: 'localhost', token: '{{$shared nonProdToken}}', secretKey: 'devSecret', self: '{{$local host}}:8080' },
    production: { host: 'example.com', token: '{{$shared prodToken}}', secretKey: 'prodSecret' },
  });

  it('merges $shared with the chosen environment, the chosen one winning; $shared alone with none chosen', () => {
    assert.deepEqual(resolved('local', settings), { version: 'v2', prodToken: 'foo', nonProdToken: 'bar', host: 'localhost', token: 'bar', secretKey: 'devSecret', self: 'localhost:8080' });
    assert.deepEqual(resolved('production', settings), { version: 'v1', prodToken: 'foo', nonProdToken: 'bar', host: 'example.com', token: 'foo', secretKey: 'prodSecret' });
    // "if you select No Environment, variables defined in shared environment are still available"
    assert.deepEqual(resolved(undefined, settings), { version: 'v1', prodToken: 'foo', nonProdToken: 'bar' });
    assert.deepEqual(resolved('nowhere', settings), { version: 'v1', prodToken: 'foo', nonProdToken: 'bar' });
  });

  it('names the environments to choose from, never $shared, and says where each is defined', () => {
    assert.deepEqual(environmentNames(settings, NO_FOLDER_ENVIRONMENTS), [
      { name: 'local', sources: [{ kind: 'settings' }] },
      { name: 'production', sources: [{ kind: 'settings' }] },
    ]);
  });

  it('reads scalars as text and refuses a setting that is not an object of environments', () => {
    assert.deepEqual(resolved('dev', table({ dev: { port: 8080, on: true, none: null } })), { port: '8080', on: 'true' });
    assert.equal(typeof restClientEnvironments(['dev']), 'string');
    assert.deepEqual(restClientEnvironments(undefined), {});
  });

  it('marks secret-looking values (by their name or shape) to be kept out of view, and no others', () => {
    const variables = resolveEnvironment(environmentLayers('local', settings, NO_FOLDER_ENVIRONMENTS));
    assert.equal(variables.get('secretKey')?.secret, true);
    assert.equal(variables.get('token')?.secret, true, 'a token after {{$shared …}} is put in');
    assert.equal(variables.get('host')?.secret, false);
    assert.equal(variables.get('version')?.source.kind, 'settings');
    assert.equal(variables.get('version')?.environment, 'local');
    assert.equal(variables.get('prodToken')?.environment, '$shared');
  });
});

describe('request environments: JetBrains env files and httpYac dotenv files', () => {
  let root: string;
  let folder: FolderEnvironments;
  let leaf: string;

  before(() => {
    root = tree({
      'http-client.env.json': JSON.stringify({ $schema: 'https://example.test/schema.json', $shared: { tenant: 'outer', region: 'us' }, dev: { host: 'https://outer.test', user: 'alice' }, prod: { host: 'https://prod.test' } }),
      'http-client.private.env.json': JSON.stringify({ dev: { password: 'outer-private' } }),
      '.env': 'ROOT_ONLY=root\nSHARED_DOTENV=root\n',
      'api/http-client.env.json': JSON.stringify({ dev: { host: 'https://inner.test', nested: { id: 7, deep: { x: 'y' } }, list: [1, 2], ok: false } }),
      'api/http-client.private.env.json': JSON.stringify({ $shared: { region: 'eu-private' }, dev: { host: 'https://inner-private.test', password: 'inner-private' } }),
      'api/.env': 'SHARED_DOTENV=api\n',
      'api/.env.dev': 'DEV_DOTENV=dev\nhost=from-dotenv\n',
      'api/staging.env': 'STAGE=1\n',
      'api/requests/keep.txt': '',
    });
    leaf = path.join(root, 'api', 'requests');
    folder = readFolderEnvironments(leaf, root);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('looks from the workspace folder down to the request file\'s folder, and only there', () => {
    assert.deepEqual(foldersFromRoot(leaf, root), [root, path.join(root, 'api'), leaf]);
    assert.deepEqual(foldersFromRoot(leaf, undefined), [leaf]);
    // A file outside the workspace folder: its own folder only, never the folders above it.
    assert.deepEqual(foldersFromRoot('/elsewhere/x', root), [path.resolve('/elsewhere/x')]);
    assert.deepEqual(folder.files.map((f) => [path.relative(root, f.file), f.kind]), [
      ['http-client.env.json', 'env-file'],
      ['http-client.private.env.json', 'private-env-file'],
      [path.join('api', 'http-client.env.json'), 'env-file'],
      [path.join('api', 'http-client.private.env.json'), 'private-env-file'],
    ]);
    assert.deepEqual(folder.dotenv.map((f) => [path.relative(root, f.file), f.environment]), [
      ['.env', undefined],
      [path.join('api', '.env'), undefined],
      [path.join('api', '.env.dev'), 'dev'],
      [path.join('api', 'staging.env'), 'staging'],
    ]);
    assert.deepEqual(folder.problems, []);
  });

  it('the private file wins over the public one for the same environment, a nearer file over a further one, the environment over $shared', () => {
    const dev = resolveEnvironment(environmentLayers('dev', {}, folder));
    // .env.dev is nearest and most specific; without it the inner private file would give the host.
    assert.equal(dev.get('host')?.value, 'from-dotenv');
    assert.equal(dev.get('password')?.value, 'inner-private');
    assert.equal(dev.get('password')?.source.kind, 'private-env-file');
    assert.equal(dev.get('user')?.value, 'alice');
    assert.equal(dev.get('region')?.value, 'eu-private', 'a private $shared wins over a public one');
    assert.equal(dev.get('tenant')?.value, 'outer');
    // Nested objects by `outer.inner` name (and whole, as JSON); other scalars as text.
    assert.equal(dev.get('nested.id')?.value, '7');
    assert.equal(dev.get('nested.deep.x')?.value, 'y');
    assert.equal(dev.get('nested')?.value, '{"id":7,"deep":{"x":"y"}}');
    assert.equal(dev.get('list')?.value, '[1,2]');
    assert.equal(dev.get('ok')?.value, 'false');
    // Without .env.dev: the inner private file.
    const withoutDotenv: FolderEnvironments = { ...folder, dotenv: folder.dotenv.filter((f) => f.environment !== 'dev') };
    assert.equal(resolveEnvironment(environmentLayers('dev', {}, withoutDotenv)).get('host')?.value, 'https://inner-private.test');
    const withoutPrivate: FolderEnvironments = { ...withoutDotenv, files: folder.files.filter((f) => f.kind === 'env-file') };
    assert.equal(resolveEnvironment(environmentLayers('dev', {}, withoutPrivate)).get('host')?.value, 'https://inner.test');
    const outerOnly: FolderEnvironments = { ...withoutPrivate, files: withoutPrivate.files.filter((f) => !f.file.includes(`${path.sep}api${path.sep}`)) };
    assert.equal(resolveEnvironment(environmentLayers('dev', {}, outerOnly)).get('host')?.value, 'https://outer.test');
  });

  it('reads .env always and .env.<name> or <name>.env for the chosen environment, nearer files winning; private and dotenv values are kept out of view', () => {
    const none = resolveEnvironment(environmentLayers(undefined, {}, folder));
    assert.equal(none.get('ROOT_ONLY')?.value, 'root');
    assert.equal(none.get('SHARED_DOTENV')?.value, 'api');
    assert.equal(none.get('DEV_DOTENV'), undefined);
    assert.equal(none.get('host'), undefined, 'no environment: only what is shared');
    assert.equal(none.get('ROOT_ONLY')?.secret, true);
    assert.equal(resolveEnvironment(environmentLayers('staging', {}, folder)).get('STAGE')?.value, '1');
    const dev = resolveEnvironment(environmentLayers('dev', {}, folder));
    assert.equal(dev.get('DEV_DOTENV')?.value, 'dev');
    assert.equal(dev.get('password')?.secret, true);
    assert.equal(dev.get('user')?.secret, false);
  });

  it('lists every environment once with its sources: env files, private files and dotenv files, never $shared or $schema', () => {
    const names = environmentNames(table({ dev: { a: '1' }, local: {} }), folder);
    assert.deepEqual(names.map((n) => n.name), ['dev', 'local', 'prod', 'staging']);
    const dev = names.find((n) => n.name === 'dev');
    assert.deepEqual(dev?.sources.map((s) => [s.kind, s.file && path.relative(root, s.file)]), [
      ['settings', undefined],
      ['env-file', 'http-client.env.json'],
      ['private-env-file', 'http-client.private.env.json'],
      ['env-file', path.join('api', 'http-client.env.json')],
      ['private-env-file', path.join('api', 'http-client.private.env.json')],
      ['dotenv', path.join('api', '.env.dev')],
    ]);
  });

  it('merges sources for one environment: $shared of every source first, then the environment\'s own, settings below files', () => {
    const settings = table({ $shared: { region: 'settings-shared', only: 's' }, dev: { user: 'from-settings', tenant: 'settings-dev' } });
    const dev = resolveEnvironment(environmentLayers('dev', settings, folder));
    // The env file's dev.user beats the settings' dev.user; the settings' dev.tenant beats the env file's $shared.tenant.
    assert.equal(dev.get('user')?.value, 'alice');
    assert.equal(dev.get('tenant')?.value, 'settings-dev');
    assert.equal(dev.get('region')?.value, 'eu-private');
    assert.equal(dev.get('only')?.value, 's');
  });

  it('{{$dotenv NAME}} as REST Client reads it: the nearest folder with .env.<environment> or .env, the environment\'s file first', () => {
    assert.deepEqual(dotenvValue(folder, 'dev', 'DEV_DOTENV'), { value: 'dev', file: path.join(root, 'api', '.env.dev') });
    // REST Client reads one file: .env.dev lacks SHARED_DOTENV, and .env beside it is not consulted.
    assert.deepEqual(dotenvValue(folder, 'dev', 'SHARED_DOTENV'), { file: path.join(root, 'api', '.env.dev') });
    assert.deepEqual(dotenvValue(folder, undefined, 'SHARED_DOTENV'), { value: 'api', file: path.join(root, 'api', '.env') });
    // httpYac's staging.env is not REST Client's: with staging chosen, REST Client reads .env.
    assert.deepEqual(dotenvValue(folder, 'staging', 'STAGE'), { file: path.join(root, 'api', '.env') });
    assert.deepEqual(dotenvValue(NO_FOLDER_ENVIRONMENTS, 'dev', 'X'), {});
    const outer = readFolderEnvironments(root, root);
    assert.deepEqual(dotenvValue(outer, 'dev', 'ROOT_ONLY'), { value: 'root', file: path.join(root, '.env') });
  });

  it('a file that does not read is a problem with its line, and the rest still counts; a large file is not read', () => {
    const broken = tree({
      'http-client.env.json': '{\n  "dev": {\n    "host": "x",\n  }\n}',
      'http-client.private.env.json': JSON.stringify({ dev: { key: 'k' } }),
      '.env.big': `A=${'x'.repeat(MAX_ENVIRONMENT_FILE_BYTES + 10)}\n`,
      'list.json': '[]',
    });
    try {
      const read = readFolderEnvironments(broken, broken);
      assert.equal(read.problems.length, 2);
      assert.equal(read.problems[0].file, path.join(broken, 'http-client.env.json'));
      assert.match(read.problems[0].message, /\(line 4\)$/);
      assert.match(read.problems[1].message, /larger than 1024 KB/);
      assert.deepEqual(resolved('dev', {}, read), { key: 'k' });
      fs.writeFileSync(path.join(broken, 'http-client.env.json'), '[1]');
      assert.match(readFolderEnvironments(broken, broken).problems[0].message, /expected an object of environments/);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('request environments: secrets in public environments', () => {
  it('knows secrets by name and tokens by shape, and never a reference', () => {
    for (const name of ['password', 'secretKey', 'clientSecret', 'client_secret', 'refresh_token', 'accessToken', 'API-KEY', 'apiKey', 'token', 'privateKey', 'passphrase']) assert.ok(isSecretName(name), name);
    for (const name of ['host', 'tokenUrl', 'user', 'tenant', 'secretary', 'sortKey']) assert.ok(!isSecretName(name), name);
    assert.ok(isTokenShaped(`Bearer ${JWT}`));
    assert.ok(isTokenShaped('Basic dXNlcjpwYXNz'));
    assert.ok(isTokenShaped(JWT));
    assert.ok(!isTokenShaped('Bearer {{$concur.accessToken}}'));
    assert.ok(!isTokenShaped('https://example.test'));
    assert.ok(looksLikeSecret('password', 'hunter2'));
    assert.ok(looksLikeSecret('auth', `Bearer ${JWT}`));
    assert.ok(!looksLikeSecret('password', '{{$processEnv PASSWORD}}'));
    assert.ok(!looksLikeSecret('password', ''));
    assert.ok(!looksLikeSecret('host', 'https://example.test'));
  });

  it('finds them in http-client.env.json, REST Client\'s setting and a .code-workspace file, with their positions', () => {
    const env = `{\n  "$shared": { "apiKey": "k-123456" },\n  "dev": {\n    "host": "https://dev.test",\n    "auth": "Bearer ${JWT}",\n    "password": "{{$processEnv PW}}",\n    "nested": { "client_secret": "s3cret" }\n  }\n}\n`;
    const findings = publicSecretFindings(env, 'env-file');
    assert.deepEqual(
      findings.map((f) => [env.slice(f.offset, f.offset + f.length), f.environmentPath, f.tokenShaped]),
      [
        ['"k-123456"', ['$shared', 'apiKey'], false],
        [`"Bearer ${JWT}"`, ['dev', 'auth'], true],
        ['"s3cret"', ['dev', 'nested', 'client_secret'], false],
      ],
    );
    const settings = `{\n  // comments are allowed here\n  "editor.tabSize": 2,\n  "rest-client.environmentVariables": { "prod": { "token": "${JWT}" } }\n}`;
    assert.deepEqual(publicSecretFindings(settings, 'settings').map((f) => [f.path, f.tokenShaped]), [[['rest-client.environmentVariables', 'prod', 'token'], true]]);
    const workspace = `{ "folders": [], "settings": { "rest-client.environmentVariables": { "prod": { "password": "p" } } } }`;
    assert.deepEqual(publicSecretFindings(workspace, 'workspace').map((f) => f.path), [['settings', 'rest-client.environmentVariables', 'prod', 'password']]);
    assert.deepEqual(publicSecretFindings('{ not json', 'env-file'), []);
    assert.deepEqual(publicSecretFindings('{"rest-client.environmentVariables": []}', 'settings'), []);
  });

  it('moves a value to the private file (created or added to) and out of the public one, both staying valid JSON', () => {
    const env = `{\n  "dev": {\n    "host": "https://dev.test",\n    "password": "hunter2"\n  }\n}\n`;
    const [finding] = publicSecretFindings(env, 'env-file');
    let rest = env;
    for (const edit of [...removeValueEdits(env, finding.path)].sort((a, b) => b.offset - a.offset)) rest = rest.slice(0, edit.offset) + edit.content + rest.slice(edit.offset + edit.length);
    assert.deepEqual(JSON.parse(rest), { dev: { host: 'https://dev.test' } });
    assert.deepEqual(JSON.parse(privateFileText(undefined, finding.environmentPath, finding.value)), { dev: { password: 'hunter2' } });
    assert.deepEqual(JSON.parse(privateFileText('{\n  "dev": { "user": "u" },\n  "prod": {}\n}\n', finding.environmentPath, finding.value)), { dev: { user: 'u', password: 'hunter2' }, prod: {} });
  });
});

describe('request file variables: environments in expansion', () => {
  const environment = (values: Record<string, string>): Pick<VariableSources, 'environment'> => ({ environment: (name) => values[name] });

  it('a file variable wins over the environment\'s (REST Client\'s order); environment values are expanded like file variables', () => {
    const file = [{ name: 'host', value: 'https://file.test', line: 0 }, { name: 'path', value: '{{base}}/x', line: 1 }];
    const e = expandVariables('{{host}}|{{path}}|{{user}}|{{greeting}}', { file, ...environment({ host: 'https://env.test', base: '/api/{{version}}', version: 'v2', user: 'alice', greeting: 'hi {{user}} {{$timestamp}}' }), now: () => new Date(0) });
    assert.deepEqual(e.errors, []);
    assert.equal(e.text, 'https://file.test|/api/v2/x|alice|hi alice 0');
    // A cycle through the environment is found as one through file variables is.
    assert.match(expandVariables('{{a}}', { file: [{ name: 'a', value: '{{b}}', line: 0 }], ...environment({ b: '{{a}}' }) }).errors[0], /a → b → a/);
  });

  it('$processEnv %name and $dotenv %name read the name from the chosen environment (REST Client), else take it as it is', () => {
    const sources: VariableSources = {
      file: [],
      ...environment({ secretKey: 'PRODSECRET' }),
      processEnv: (name) => ({ PRODSECRET: 'from-process', secretKey: 'wrong' })[name],
      dotenv: (name) => ({ PRODSECRET: 'from-dotenv', PLAIN: 'plain' })[name],
    };
    assert.equal(expandVariables('{{$processEnv %secretKey}} {{$dotenv %secretKey}} {{$dotenv %PLAIN}} {{$processEnv secretKey}}', sources).text, 'from-process from-dotenv plain wrong');
  });

  it('an unset process variable is an empty text with $processEnv (REST Client) and unknown with $env.NAME (JetBrains)', () => {
    const sources: VariableSources = { file: [], processEnv: (name) => ({ HOME: '/home/me' })[name] };
    const e = expandVariables('[{{$processEnv NOPE}}] [{{$env.HOME}}] [{{$env.NOPE}}]', sources);
    assert.equal(e.text, '[] [/home/me] [{{$env.NOPE}}]');
    assert.deepEqual(e.unknown, ['$env.NOPE']);
  });

  it('written back, references to the environment, process variables, .env and built-ins stay references; file variables and answers are put in', () => {
    const secret = 'sk-live-7Q2x9KfR';
    const sources: VariableSources = {
      file: [{ name: 'base', value: '/things/{{$concur.sub}}', line: 0 }, { name: 'key', value: '{{$processEnv API_KEY}}', line: 1 }, { name: 'who', value: '{{me.response.body.$.id}}', line: 2 }],
      ...environment({ apiKey: secret, host: 'https://env.test' }),
      processEnv: () => secret,
      dotenv: () => secret,
      concur: () => 'user-1',
      response: () => ({ status: 200, headers: {}, body: { id: 'u-42' } }),
      jsonPath: () => ['u-42'],
    };
    const text = '{{host}}{{base}}?k={{key}}&d={{$dotenv KEY}}&e={{apiKey}}&j={{$env.API_KEY}}&id={{who}}&t={{$datetime \'YYYY\' 1 y}}&g={{$guid}}';
    const written = expandVariables(text, sources, { keepReferences: true });
    assert.equal(written.text, "{{host}}/things/{{$concur.sub}}?k={{$processEnv API_KEY}}&d={{$dotenv KEY}}&e={{apiKey}}&j={{$env.API_KEY}}&id=u-42&t={{$datetime 'YYYY' 1 y}}&g={{$guid}}");
    assert.ok(!written.text.includes(secret));
    const sent = expandVariables(text, sources);
    assert.equal(sent.text.split(secret).length - 1, 4);
    // And so it is saved: the file holds the references.
    const saved = requestsToFile([{ method: 'GET', target: written.text, headers: { 'X-Api-Key': expandVariables('{{apiKey}}', sources, { keepReferences: true }).text } }]);
    assert.ok(!saved.includes(secret));
    assert.match(saved, /^X-Api-Key: \{\{apiKey\}\}$/m);
    // A reference with a blank in it stays one reference, and the file reads back as the same request.
    const withBlank = requestsToFile([{ method: 'GET', target: '/x?p={{$processEnv API_KEY}}&q=a b' }]);
    assert.equal(parseRequestFile(withBlank).requests[0].url, '/x?p={{$processEnv API_KEY}}&q=a%20b');
  });
});

describe('request file variables: the other tools\' dynamic variables', () => {
  const now = new Date('2024-02-29T12:34:56.789Z');
  let draws: number[] = [];
  const random = (): number => (draws.length ? (draws.shift() as number) : 0.5);
  const sources: VariableSources = { file: [], now: () => now, uuid: () => '11111111-2222-4333-8444-555555555555', random, processEnv: (n) => ({ HOME: '/home/me' })[n] };
  const run = (text: string): string => {
    const e = expandVariables(text, sources);
    assert.deepEqual([e.errors, e.unknown], [[], []], text);
    return e.text;
  };
  const fails = (text: string, pattern: RegExp): void => {
    const e = expandVariables(text, sources);
    assert.ok(e.errors.some((m) => pattern.test(m)), `${text}: ${e.errors.join('; ')}`);
    assert.equal(e.text, text);
  };

  beforeEach(() => {
    draws = [];
  });

  it('$datetime with a Day.js format in quotes, every Day.js token, in UTC, with offsets', () => {
    assert.equal(run("{{$datetime 'YYYY-MM-DD'}}"), '2024-02-29');
    assert.equal(run('{{$datetime "DD-MM-YYYY" 1 y}}'), '28-02-2025', 'Day.js keeps the day in the month: 29 February + 1 y = 28 February');
    assert.equal(run("{{$datetime 'YY YYYY M MM MMM MMMM D DD d dd ddd dddd'}}"), '24 2024 2 02 Feb February 29 29 4 Th Thu Thursday');
    assert.equal(run("{{$datetime 'H HH h hh m mm s ss SSS A a Z ZZ [YYYY at] HH'}}"), '12 12 12 12 34 34 56 56 789 PM pm +00:00 +0000 YYYY at 12');
    assert.equal(run("{{$datetime 'YYYY-MM-DDTHH:mm' -90 m}}"), '2024-02-29T11:04');
    assert.equal(run('{{$datetime iso8601 1 M}}'), '2024-03-29T12:34:56.789Z');
    assert.equal(run('{{$datetime iso8601 -1 M}}'), '2024-01-29T12:34:56.789Z');
    assert.equal(run('{{$datetime rfc1123 2 w}}'), 'Thu, 14 Mar 2024 12:34:56 GMT');
    assert.equal(run('{{$datetime iso8601 500 ms}}'), '2024-02-29T12:34:57.289Z');
    assert.equal(run('{{$datetime iso8601 1 Q}}'), '2024-05-29T12:34:56.789Z');
    fails('{{$datetime YYYY}}', /iso8601, rfc1123 or a format in quotes/);
    fails("{{$datetime 'YYYY' 1}}", /expected an offset like "-1 d"/);
    fails('{{$datetime iso8601 1 fortnight}}', /unknown offset unit "fortnight"/);
  });

  it('$localDatetime in the local time zone: iso8601 with its offset, rfc1123 with +hhmm, formats', () => {
    const before = process.env.TZ;
    // A zone without daylight saving time, half an hour off: nothing here can pass by accident in UTC.
    process.env.TZ = 'Asia/Kolkata';
    try {
      assert.equal(run('{{$localDatetime iso8601}}'), '2024-02-29T18:04:56+05:30');
      assert.equal(run('{{$localDatetime rfc1123}}'), 'Thu, 29 Feb 2024 18:04:56 +0530');
      assert.equal(run("{{$localDatetime 'YYYY-MM-DD HH:mm Z'}}"), '2024-02-29 18:04 +05:30');
      assert.equal(run("{{$localDatetime 'HH:mm' 6 h}}"), '00:04');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('plain times need no library: Day.js is required on the first format or offset only', () => {
    const script = `
      const variables = require(${JSON.stringify(path.join(repoRoot, 'out', 'src', 'requestFiles', 'variables'))});
      const loaded = () => Object.keys(require.cache).some((k) => k.includes(${JSON.stringify(`${path.sep}dayjs${path.sep}`)}));
      const seen = [loaded()];
      variables.expandVariables('{{$timestamp}} {{$datetime iso8601}} {{$datetime rfc1123}} {{$isoTimestamp}} {{$random.integer(1, 2)}}', { file: [] });
      seen.push(loaded());
      variables.expandVariables("{{$datetime 'YYYY'}}", { file: [] });
      seen.push(loaded());
      console.log(JSON.stringify(seen));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), [false, false, true]);
  });

  it('$timestamp (Unix seconds, with an offset), $isoTimestamp, $guid, $uuid and $random.uuid', () => {
    const seconds = Math.floor(now.getTime() / 1000);
    assert.equal(run('{{$timestamp}}'), String(seconds));
    assert.equal(run('{{$timestamp -3 h}} {{$timestamp 2 d}}'), `${seconds - 3 * 3600} ${seconds + 2 * 86400}`);
    assert.equal(run('{{$isoTimestamp}}'), '2024-02-29T12:34:56.789Z');
    assert.equal(run('{{$guid}} {{$uuid}} {{$random.uuid}}'), '11111111-2222-4333-8444-555555555555 '.repeat(3).trim());
    fails('{{$isoTimestamp 1 d}}', /takes no arguments/);
    // The defaults: a real version 4 UUID each time.
    const [a, b] = expandVariables('{{$uuid}} {{$random.uuid}}', { file: [] }).text.split(' ');
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
  });

  it('$randomInt min max (REST Client: min included, max not) and $randomInt alone (JetBrains: 0 to 1000, both included)', () => {
    draws = [0, 0.999999, 0, 0.999999];
    assert.equal(run('{{$randomInt 5 10}} {{$randomInt 5 10}} {{$randomInt}} {{$randomInt}}'), '5 9 0 1000');
    fails('{{$randomInt 5}}', /two integers/);
    fails('{{$randomInt 5 5}}', /max must be greater than min/);
  });

  it('$random.integer and $random.float: (from, to) with to left out, (to) from 0, () from 0 to 1000', () => {
    draws = [0, 0.999999, 0.5, 0, 0.999999, 0.25, 0.5];
    assert.equal(run('{{$random.integer(1, 10)}} {{$random.integer(1, 10)}} {{$random.integer(10)}} {{$random.integer()}} {{$random.integer}}'), '1 9 5 0 1000');
    assert.equal(run('{{$random.float(2, 4)}} {{$random.float(-1.5, 1.5)}}'), '2.5 0');
    assert.equal(run('{{$random.integer(10, 1)}}'), '5', 'bounds the other way round are swapped, as httpYac does');
    fails('{{$random.integer(1, x)}}', /up to two numbers/);
    fails('{{$random.integer(1, 2, 3)}}', /up to two numbers/);
    fails('{{$random.integer(1, 2}}', /one pair of parentheses/);
  });

  it('$random.alphabetic, $random.alphanumeric and $random.hexadecimal: the length asked, from their alphabets; $random.email', () => {
    draws = [0, 0.999, 0.5];
    assert.equal(run('{{$random.alphabetic(3)}}'), 'Aza');
    draws = [0.999, 0.6];
    assert.equal(run('{{$random.alphanumeric(2)}}'), '_l');
    draws = [0.999, 0];
    assert.equal(run('{{$random.hexadecimal(2)}}'), 'F0');
    const real = expandVariables('{{$random.alphabetic(40)}}|{{$random.alphanumeric(40)}}|{{$random.hexadecimal(40)}}|{{$random.email}}', { file: [] }).text.split('|');
    assert.match(real[0], /^[A-Za-z]{40}$/);
    assert.match(real[1], /^\w{40}$/);
    assert.match(real[2], /^[0-9A-F]{40}$/);
    assert.match(real[3], /^[a-z]{10}@example\.com$/);
    fails('{{$random.alphabetic(0)}}', /length greater than 0/);
    fails('{{$random.hexadecimal()}}', /length greater than 0/);
    fails('{{$random.alphanumeric(99999999)}}', /more than the 1048576/);
    fails('{{$random.email(1)}}', /takes no arguments/);
  });

  it('$env.NAME reads the process environment as JetBrains does', () => {
    assert.equal(run('{{$env.HOME}}'), '/home/me');
    assert.equal(expandVariables('{{$env.HOME x}}', sources).errors.length, 1);
  });

  it('every built-in is known to completion, hover and the diagnostics, with a description', () => {
    for (const reference of ['$guid', '$uuid', '$random.uuid', '$timestamp -1 d', '$isoTimestamp', "$datetime 'YYYY-MM-DD' 1 y", '$localDatetime iso8601', '$randomInt', '$randomInt 1 2', '$random.integer(1, 2)', '$random.float', '$random.alphabetic(3)', '$random.alphanumeric(3)', '$random.hexadecimal(3)', '$random.email', '$processEnv %key', '$env.HOME', '$dotenv KEY', '$concur.sub', '$concur.accessToken']) {
      assert.ok(isBuiltinReference(reference), reference);
      assert.ok(describeBuiltin(builtinOf(reference)?.name ?? '').length > 20, reference);
    }
    for (const reference of ['$guidx', '$random', '$random.nothing(1)', 'guid', '$shared key']) assert.ok(!isBuiltinReference(reference), reference);
    assert.deepEqual(parseBuiltin("$datetime 'YYYY-MM-DD HH:mm' -1 d"), { name: '$datetime', args: ["'YYYY-MM-DD HH:mm'", '-1', 'd'], parenthesised: false });
    assert.deepEqual(parseBuiltin('$random.integer( 1 , 10 )'), { name: '$random.integer', args: ['1', '10'], parenthesised: true });
    assert.equal(new Set(BUILTINS.map((b) => b.name)).size, BUILTINS.length);
    for (const builtin of BUILTINS) assert.ok(builtin.snippet.startsWith('\\$'), builtin.name);
  });
});

describe('request file variables: a file of doubling variables is stopped before its text is built', () => {
  /** About 1.7 KB: a0 is 64 characters, each a(n) twice a(n-1), a16 4 MiB; the URL, 14 headers and the body use them. */
  const blowUp = (): string => {
    const lines = ['# Each variable doubles the one before it.', `@a0 = ${'x'.repeat(64)}`];
    for (let i = 1; i <= 16; i++) lines.push(`@a${i} = {{a${i - 1}}}{{a${i - 1}}}`);
    lines.push('', '###', 'POST /x?q={{a16}}');
    for (let i = 0; i < 14; i++) lines.push(`X-Header-${i}: {{a16}}{{a16}}`);
    lines.push('Content-Type: text/plain', '', '{{a16}}'.repeat(120), '');
    return lines.join('\n');
  };

  it('builds at most a few tens of MB in all (not the half gigabyte the text would be), quickly, and says why', () => {
    const text = blowUp();
    assert.ok(text.length > 1600 && text.length < 1800, `${text.length} bytes`);
    // A separate process: its peak memory is the expansion's own.
    const script = `
      const { parseRequestFile } = require(${JSON.stringify(path.join(repoRoot, 'out', 'src', 'requestFiles', 'parse'))});
      const variables = require(${JSON.stringify(path.join(repoRoot, 'out', 'src', 'requestFiles', 'variables'))});
      const file = parseRequestFile(require('node:fs').readFileSync(0, 'utf8'));
      const request = file.requests[0];
      // As the extension builds a request: one budget for its URL, headers and body.
      const sources = { file: file.variables, budget: variables.expansionBudget && variables.expansionBudget() };
      const started = performance.now();
      const results = [request.url, ...request.headers.map((h) => h.value), request.body.text].map((t) => variables.expandVariables(t, sources));
      const ms = performance.now() - started;
      console.log(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, errors: [...new Set(results.flatMap((r) => r.errors))], longest: Math.max(...results.map((r) => r.text.length)) }));`;
    const child = spawnSync(process.execPath, ['-e', script], { input: text, encoding: 'utf8', maxBuffer: 1024 * 1024 });
    assert.equal(child.status, 0, child.stderr);
    const outcome = JSON.parse(child.stdout) as { ms: number; maxRssMB: number; errors: string[]; longest: number };
    assert.ok(outcome.errors.some((e) => /more than \d+ MB/.test(e)), outcome.errors.join('; '));
    assert.ok(outcome.longest <= MAX_EXPANDED_CHARS, `a text of ${outcome.longest} characters was built`);
    assert.ok(outcome.maxRssMB < 250, `the expansion took ${Math.round(outcome.maxRssMB)} MB`);
    assert.ok(outcome.ms < 1500, `${Math.round(outcome.ms)} ms`);
  });

  it('one budget per request: texts that each stay under the limit stop together once they pass it', () => {
    const file = [{ name: 'big', value: 'y'.repeat(1024 * 1024), line: 0 }];
    const budget = expansionBudget(3 * 1024 * 1024);
    const first = expandVariables('{{big}}{{big}}', { file, budget });
    assert.deepEqual(first.errors, []);
    const second = expandVariables('{{big}}{{big}}', { file, budget });
    assert.match(second.errors[0], /in all/);
    assert.equal(second.text, '{{big}}{{big}}');
  });

  it('a long chain of variables is refused at a depth, not by a stack overflow', () => {
    const file = Array.from({ length: 20_000 }, (_, i) => ({ name: `v${i}`, value: i === 19_999 ? 'end' : `{{v${i + 1}}}`, line: i }));
    const e = expandVariables('{{v0}}', { file });
    assert.match(e.errors[0], /levels deep/);
  });
});
