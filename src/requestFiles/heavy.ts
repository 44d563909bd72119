/**
 * What request files load on first use only, in the lazily loaded bundle (dist/openapi.js, whose
 * entry is src/lazy.ts): the .env reader behind `{{$dotenv NAME}}`, Day.js behind `{{$datetime
 * 'format'}}`, and the JSON positions and edits behind the warnings on secrets in public
 * request-file environments. `loadHeavy()` requires it; the build maps that require to the bundle.
 */
export { parse as parseDotenv } from 'dotenv';
export { formatTime, shiftedTime } from './dates';
export { privateFileText, publicSecretFindings, removeValueEdits, replaceValueEdit, type EnvironmentDocumentKind, type SecretFinding } from './environmentJson';
