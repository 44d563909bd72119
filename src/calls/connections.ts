/**
 * Revoking an app's access for a user: `DELETE /app-mgmt/v0/connections` with that user's access
 * token (Concur's App Management API). Afterwards every token the app holds for the user stops
 * working. Knows nothing of VS Code.
 */
import type { ApiClient } from './apiClient';
import { l10n } from '../platform/l10n';
import { describeError, isCancellation, oneLine } from '../platform/errors';
import { errorMessageOf } from './explain';

export const REVOKE_PATH = '/app-mgmt/v0/connections';

/** What a revoke came to: Concur's confirmation, or why it did not happen. */
export type RevokeOutcome =
  | { readonly revoked: true; readonly correlationId: string }
  | { readonly revoked: false; readonly reason: string; readonly correlationId?: string };

/**
 * Asks Concur to revoke the app's access for the session's user, through the session's own host
 * (the API client applies the resolver's rules and refreshes once on 401). Never throws but for
 * cancellation: a failure is an outcome, so that signing out goes on.
 */
export async function revokeConnection(api: ApiClient, sessionId: string, signal?: AbortSignal): Promise<RevokeOutcome> {
  try {
    const result = await api.call({ method: 'DELETE', target: REVOKE_PATH, sessionId, signal, maxBodyBytes: 64 * 1024 });
    if (result.status >= 200 && result.status < 300) return { revoked: true, correlationId: result.correlationId };
    const said = errorMessageOf(result.body, result.contentType);
    const reason = said ? l10n.t('Concur answered HTTP {0} ({1}).', result.status, oneLine(said, 160)) : l10n.t('Concur answered HTTP {0}.', result.status);
    return { revoked: false, reason, correlationId: result.correlationId };
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { revoked: false, reason: describeError(error) };
  }
}
