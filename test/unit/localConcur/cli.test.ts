import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_GEO_PORT, DEFAULT_PORT, formatDemoBanner, parseCliArgs } from '../../../src/localConcur/cli';
import { startMockConcur } from '../../../src/localConcur';
import { get } from './helpers';

describe('mock Concur: command line', () => {
  describe('parseCliArgs', () => {
    it('defaults to ports 5050 and 5051', () => {
      const { options, help } = parseCliArgs([], {});
      assert.equal(options.port, DEFAULT_PORT);
      assert.equal(options.geoPort, DEFAULT_GEO_PORT);
      assert.equal(help, false);
    });

    it('reads the environment, and flags override it', () => {
      assert.deepEqual(parseCliArgs([], { MOCK_CONCUR_PORT: '6000', MOCK_CONCUR_GEO_PORT: '6001' }).options, { port: 6000, geoPort: 6001 });
      const { options } = parseCliArgs(['--port', '7000', '--geo-port=7001', '--access-token-lifetime', '90', '--expires-in-as', 'number', '--quiet'], { MOCK_CONCUR_PORT: '6000' });
      assert.deepEqual(options, { port: 7000, geoPort: 7001, accessTokenLifetime: 90, expiresInAs: 'number', quiet: true });
    });

    it('refuses bad values and unknown flags', () => {
      assert.throws(() => parseCliArgs(['--port', 'abc']), /--port needs an integer/);
      assert.throws(() => parseCliArgs(['--access-token-lifetime', '0']), /needs an integer >= 1/);
      assert.throws(() => parseCliArgs(['--expires-in-as', 'float']), /must be one of/);
      assert.throws(() => parseCliArgs(['--bogus']), /unknown option --bogus/);
      assert.throws(() => parseCliArgs(['--port', '6000', '--geo-port', '6000']), /different ports/);
      assert.equal(parseCliArgs(['--help']).help, true);
    });
  });

  it('formats a banner with both URLs and the demo credentials', async () => {
    const mock = await startMockConcur({ quiet: true, companyUsers: 20 });
    try {
      const banner = formatDemoBanner(mock);
      for (const needle of [mock.url, mock.geoUrl, mock.demo.clientId, mock.demo.clientSecret, mock.demo.username, mock.demo.password, mock.demo.companyId, mock.demo.companyRequestToken, mock.demo.limitedClientId, 'locked@globex.example', 'code 14']) {
        assert.ok(banner.includes(needle), `banner shows ${needle}`);
      }
    } finally {
      await mock.close();
    }
  });

  it('starts from node, prints the banner and stops cleanly on SIGTERM', async function () {
    this.timeout(15_000);
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'localConcur', 'cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--geo-port', '0', '--quiet', '--company-users', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('Press Ctrl+C to stop.')) {
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await ready;
      const landing = /Landing datacenter \(glz\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      const geo = /Home datacenter \(us2\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      assert.ok(landing && geo, stdout);
      assert.equal((await get(`${landing}/oauth2/v0/jwks`)).status, 200);
      const demo = await get(`${geo}/_mock/demo`);
      assert.equal(demo.body.datacenters.geo.url, geo);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stdout, /SIGTERM: stopping mock Concur/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
