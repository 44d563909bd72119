/** Reaches heavy.ts (dotenv, Day.js, jsonc-parser) on first use only. */
import type * as Heavy from './heavy';

let heavy: typeof Heavy | undefined;

/** Request files' heavy helpers, required on first use (the build maps `./heavy` to the lazily loaded dist/openapi.js). */
export function loadHeavy(): typeof Heavy {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  heavy ??= require('./heavy') as typeof Heavy;
  return heavy;
}
