/**
 * `/app-mgmt/v0/connections`: Concur's App Management API, where a user's (or company's) access
 * token revokes that principal's connection to the app it was issued to — the "revoke access" of
 * signing out.
 */
import { authenticateBearer } from './api';
import type { ServerEnv } from './env';
import { apiError, sendEmpty, type Ctx } from './http';

export const CONNECTIONS_PATH = '/app-mgmt/v0/connections';

/**
 * `DELETE` with `Authorization: Bearer <access token>`: deletes every refresh and access token of
 * the token's principal for the token's app and answers 204. A bad token gets the APIs' 401, an app
 * token (client credentials, no user to disconnect) 403, another method 405.
 */
export function handleConnections(ctx: Ctx, env: ServerEnv): void {
  if (ctx.method !== 'DELETE') {
    apiError(ctx, 'legacy', 405, `Method ${ctx.method} is not supported here; revoke a connection with DELETE`, { headers: { allow: 'DELETE' } });
    return;
  }
  const auth = authenticateBearer(ctx, env, 'legacy');
  if (!auth) {
    return;
  }
  if (auth.principal.type === 'app') {
    env.count('apiForbidden');
    apiError(ctx, 'legacy', 403, 'An app token (client credentials) has no user or company connection to revoke; use the access token of the user or company');
    return;
  }
  env.store.revokeGrant(auth.principal, auth.clientId);
  env.count('connectionsRevoked');
  sendEmpty(ctx, 204);
}
