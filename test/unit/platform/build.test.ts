import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../host/paths';

function productionBuild(): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-build-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs'), '--production', '--outdir', outdir], { cwd: repoRoot, stdio: 'pipe' });
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(outdir).sort()) {
    files[name] = crypto.createHash('sha256').update(fs.readFileSync(path.join(outdir, name))).digest('hex');
  }
  files['extension.js:text'] = fs.readFileSync(path.join(outdir, 'extension.js'), 'utf8');
  files['localConcur.js:text'] = fs.readFileSync(path.join(outdir, 'localConcur.js'), 'utf8');
  fs.rmSync(outdir, { recursive: true, force: true });
  return files;
}

describe('production build', function () {
  this.timeout(60_000);

  it('is byte-for-byte reproducible', () => {
    const first = productionBuild();
    const second = productionBuild();
    assert.deepEqual(Object.keys(first), ['README.md', 'extension.js', 'format-worker.js', 'localConcur.js', 'openapi.js', 'undici.js', 'extension.js:text', 'localConcur.js:text']);
    assert.deepEqual(second, first);
  });

  it('keeps undici, the API definition parser and the JSON Schema validator out of the activation bundle', () => {
    const text = productionBuild()['extension.js:text'];
    // The parser (js-yaml, $ref resolution) and Ajv are required from dist/openapi.js on first use only.
    assert.doesNotMatch(text, /MissingPointerError|json-schema-ref-parser|YAMLException|ajv\.js\.org|strictTypes/);
    // So are JSONPath (request files' chaining and expectations) and the .env reader.
    assert.doesNotMatch(text, /toPathString|jsep|DOTENV_KEY/);
    assert.match(text, /require\("\.\/openapi\.js"\)/);
    // undici's own code (its dispatcher internals) must not be in the bundle VS Code requires at activation.
    assert.doesNotMatch(text, /kConnect|llhttp|Symbol\("dispatcher"\)/);
    // undici alone is over 500 KB, the parser with Ajv and JSONPath over 300 KB: a bundle this size cannot
    // hold them (each is also looked for by its own code above). It holds the extension's own code: the
    // built-in catalog (about 65 KB since it was checked against Concur's reference and grew to 91
    // entries), the request-file language with environments and the other tools' variables, the judging
    // of request targets as a file is written (about 10 KB: it runs on the first edit, so it is not
    // deferred), the chat tools, and the commands of the local Concur server (its server and what its
    // tab shows are in dist/localConcur.js); what activation costs is measured in `npm run bench` (row d).
    assert.ok(text.length < 470_000, `extension.js is ${text.length} bytes`);
  });

  it('keeps the local Concur server and its example generator out of the activation bundle, in dist/localConcur.js', () => {
    const build = productionBuild();
    const extension = build['extension.js:text'];
    const server = build['localConcur.js:text'];
    // The server's demo company and openapi-sampler's own keyword are in its bundle only.
    for (const marker of ['Globex Demo Corporation', 'x-additionalPropertiesName', 'security.rate.limit.reached']) {
      assert.doesNotMatch(extension, new RegExp(marker.replace(/\./g, '\\.')), `extension.js holds ${marker}`);
      assert.match(server, new RegExp(marker.replace(/\./g, '\\.')), `localConcur.js lacks ${marker}`);
    }
    // The extension requires it on first use; it takes the schema check from dist/openapi.js rather than a second Ajv.
    assert.match(extension, /require\("\.\/localConcur\.js"\)/);
    assert.match(server, /require\("\.\/openapi\.js"\)/);
    assert.doesNotMatch(server, /ajv\.js\.org|strictTypes/);
  });
});
