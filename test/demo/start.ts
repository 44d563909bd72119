/**
 * `npm start`: Concur API Explorer in a real VS Code (VS Code Server, opened in your browser),
 * loaded from this checkout, next to the local Concur server with its demo company. The VS Code
 * profile lists the local server in Concur: Sign In, so the printed demo credentials are all a
 * newcomer needs. The VS Code Server host is installed on first use.
 *
 * Options: --port N (VS Code, default 8765 or $CONCUR_DEMO_PORT); the local Concur server listens
 * on 5050/5051 (or $MOCK_CONCUR_PORT / $MOCK_CONCUR_GEO_PORT).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from '../host/codeServer';
import { hostCacheDir, repoRoot } from '../host/paths';
import { formatDemoBanner, startMockConcur } from '../../src/localConcur';

export const DEMO_DATACENTER_LABEL = 'Local Concur server (demo)';

function numberArg(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
}

/** Points the extension at the local server: an entry in concur.datacenters, kept across runs. */
function configureProfile(userDataDir: string, baseUrl: string): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // First run, or a settings file with comments: start from the demo defaults.
  }
  const others = (Array.isArray(settings['concur.datacenters']) ? (settings['concur.datacenters'] as { label?: string }[]) : []).filter(
    (d) => d.label !== DEMO_DATACENTER_LABEL,
  );
  settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    // The demo workspace lives inside this repository; VS Code need not offer to open it.
    'git.openRepositoryInParentFolders': 'never',
    // The demo's browser and the local Concur server are on this machine: Sign In with Browser
    // comes back to a loopback listener, as in a desktop window.
    'concur.signIn.browserRedirect': 'loopback',
    // An OpenAPI document in the API Catalog, whose operations the local server answers (one of
    // them with a schema the answer breaks, to show the schema check).
    'concur.apiDefinitions': [path.join(repoRoot, 'test', 'fixtures', 'integration', 'sample-localities.yaml')],
    ...settings,
    'concur.datacenters': [{ label: DEMO_DATACENTER_LABEL, baseUrl }, ...others],
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

async function main(): Promise<void> {
  const port = numberArg('--port', Number(process.env.CONCUR_DEMO_PORT ?? 8765));
  const mock = await startMockConcur({
    port: Number(process.env.MOCK_CONCUR_PORT ?? 5050),
    geoPort: Number(process.env.MOCK_CONCUR_GEO_PORT ?? 5051),
    quiet: true,
  });

  // A lasting profile, so that a session signed in during one demo is still there in the next.
  const userDataDir = path.join(hostCacheDir, 'demo-profile');
  const workspace = path.join(hostCacheDir, 'demo-workspace');
  fs.mkdirSync(workspace, { recursive: true });
  // A request file to try (kept when it is already there: it may have been edited).
  const requests = path.join(workspace, 'concur-requests.http');
  if (!fs.existsSync(requests)) fs.copyFileSync(path.join(repoRoot, 'test', 'demo', 'requests.http'), requests);
  configureProfile(userDataDir, mock.url);

  const server = await startCodeServer({ port, userDataDir });
  const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot });
  console.log(`${formatDemoBanner(mock)}

────────────────────────────────────────────────────────────────────────────
Concur API Explorer is running in VS Code (code-server) at ${server.origin}

  Open this address in a browser (it loads the extension from ${repoRoot}):
  ${url}

  Then: Command Palette → "Concur: Sign In" → "${DEMO_DATACENTER_LABEL}" → Password,
  and the demo app's client_id / client_secret and the demo user printed above.
  Or "Concur: Sign In with Browser": the local server's sign-in page opens; click "Approve as …".
  Or the "One-time password" grant with ${mock.demo.otpHandle}: the code it "e-mails" is at
  ${mock.url}/_mock/otp?handle=${encodeURIComponent(mock.demo.otpHandle)}

  The API Catalog holds the built-in endpoints (writes open a body tab; Send asks first) and
  "Sample Localities 5.0", read from an OpenAPI file (concur.apiDefinitions); its "Every country"
  operation shows where the answer differs from its schema.
  concur-requests.http in the workspace: requests sent with the session, chained, with expectations.

Press Ctrl+C to stop.`);

  const stop = async (): Promise<void> => {
    await Promise.allSettled([server.close(), mock.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
