import * as path from 'node:path';

/** The repository root (this file runs compiled, from out/test/host/). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Ignored folder for the VS Code hosts the tests install on demand. */
export const hostCacheDir = path.join(repoRoot, '.vscode-test');

/** Ignored folder where tests and the demo leave screenshots, logs and results. */
export const artifactsDir = path.join(repoRoot, 'test-results');
