/**
 * `npm run mock-concur` (compiled: `node out/src/localConcur/cli.js`): starts both datacenters,
 * prints their URLs and the demo credentials, and runs until SIGINT or SIGTERM.
 */
import { formatDemoBanner } from './banner';
import { startMockConcur } from './server';
import type { MockConcur, MockConcurOptions } from './types';

export { formatDemoBanner };

export const DEFAULT_PORT = 5050;
export const DEFAULT_GEO_PORT = 5051;

export const USAGE = `Usage: mock-concur [options]

Options:
  --port N                     landing datacenter port (env MOCK_CONCUR_PORT, default ${DEFAULT_PORT}; 0 = any free)
  --geo-port N                 home datacenter port (env MOCK_CONCUR_GEO_PORT, default ${DEFAULT_GEO_PORT}; 0 = any free)
  --host H                     interface to listen on (env MOCK_CONCUR_HOST, default 127.0.0.1)
  --access-token-lifetime N    access-token lifetime in seconds (default 3600)
  --refresh-token-lifetime N   refresh-token lifetime in seconds (default 15552000, 180 days)
  --expires-in-as string|number   how expires_in is sent (default string)
  --error-code-as number|string   how token error codes are sent (default number)
  --company-users N            size of the seeded company (default 2500)
  --quiet                      no line per request
  --help                       this text`;

export interface CliConfig {
  options: MockConcurOptions;
  help: boolean;
}

function integer(name: string, raw: string | undefined, min: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min) {
    throw new Error(`${name} needs an integer >= ${min}, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function oneOf<T extends string>(name: string, raw: string | undefined, values: readonly T[]): T {
  if (raw === undefined || !(values as readonly string[]).includes(raw)) {
    throw new Error(`${name} must be one of ${values.join(', ')}`);
  }
  return raw as T;
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliConfig {
  const options: MockConcurOptions = {
    port: env.MOCK_CONCUR_PORT !== undefined ? integer('MOCK_CONCUR_PORT', env.MOCK_CONCUR_PORT, 0) : DEFAULT_PORT,
    geoPort: env.MOCK_CONCUR_GEO_PORT !== undefined ? integer('MOCK_CONCUR_GEO_PORT', env.MOCK_CONCUR_GEO_PORT, 0) : DEFAULT_GEO_PORT,
  };
  if (env.MOCK_CONCUR_HOST) {
    options.host = env.MOCK_CONCUR_HOST;
  }
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const value = (): string | undefined => (eq === -1 ? argv[++i] : arg.slice(eq + 1));
    switch (flag) {
      case '--port':
        options.port = integer(flag, value(), 0);
        break;
      case '--geo-port':
        options.geoPort = integer(flag, value(), 0);
        break;
      case '--host':
        options.host = value();
        if (!options.host) {
          throw new Error('--host needs a value');
        }
        break;
      case '--access-token-lifetime':
        options.accessTokenLifetime = integer(flag, value(), 1);
        break;
      case '--refresh-token-lifetime':
        options.refreshTokenLifetime = integer(flag, value(), 1);
        break;
      case '--expires-in-as':
        options.expiresInAs = oneOf(flag, value(), ['string', 'number'] as const);
        break;
      case '--error-code-as':
        options.errorCodeAs = oneOf(flag, value(), ['number', 'string'] as const);
        break;
      case '--company-users':
        options.companyUsers = integer(flag, value(), 1);
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  if (options.port !== 0 && options.port === options.geoPort) {
    throw new Error('the landing and home datacenters need different ports');
  }
  return { options, help };
}

export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<MockConcur | undefined> {
  const config = parseCliArgs(argv, env);
  if (config.help) {
    console.log(USAGE);
    return undefined;
  }
  const mock = await startMockConcur({ ...config.options, log: (line) => console.log(line) });
  console.log(formatDemoBanner(mock));
  console.log('\nPress Ctrl+C to stop.');
  const stop = (signal: string): void => {
    console.log(`\n${signal}: stopping mock Concur`);
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return mock;
}

if (require.main === module) {
  main().catch((err: NodeJS.ErrnoException) => {
    const hint = err.code === 'EADDRINUSE' ? ' (pick other ports with --port/--geo-port or MOCK_CONCUR_PORT/MOCK_CONCUR_GEO_PORT)' : '';
    console.error(`mock-concur: ${err.message}${hint}`);
    process.exitCode = 1;
  });
}
