/**
 * `npm start`: Concur API Explorer in a real VS Code (VS Code Server, opened in your browser) with
 * the extension loaded from this checkout. Installs the VS Code Server host on first use.
 * Options: --port N (default 8765, or $CONCUR_DEMO_PORT)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from '../host/codeServer';
import { hostCacheDir, repoRoot } from '../host/paths';

async function main(): Promise<void> {
  const portFlag = process.argv.indexOf('--port');
  const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.CONCUR_DEMO_PORT ?? 8765));
  // A lasting profile, so that a session signed in during one demo is still there in the next.
  const userDataDir = path.join(hostCacheDir, 'demo-profile');
  const workspace = path.join(hostCacheDir, 'demo-workspace');
  fs.mkdirSync(workspace, { recursive: true });

  const server = await startCodeServer({ port, userDataDir });
  const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot });
  console.log(`
Concur API Explorer is running in VS Code (code-server) at ${server.origin}

  Open this address in a browser (it loads the extension from ${repoRoot}):
  ${url}

Press Ctrl+C to stop.`);

  const stop = async (): Promise<void> => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
