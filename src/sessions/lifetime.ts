/**
 * How long a session can go on. Concur's refresh tokens last six months, and each refresh moves
 * that end forward (Concur's OAuth 2.0 documentation, "Refresh Token"); a session whose refresh
 * token nears its end needs the user to sign in again before it does.
 */
import type { Session } from './types';

/** The Sessions view and a notification speak up this long before the refresh token ends. */
export const REFRESH_END_WARNING_MS = 14 * 24 * 3600_000;

/** Days until the session's refresh token ends, when that is within the warning period (0 when past). */
export function refreshEndsInDays(session: Session, now: number): number | undefined {
  if (session.state !== 'active' || !session.refreshToken || session.refreshExpiresAt === undefined) return undefined;
  const left = session.refreshExpiresAt - now;
  if (left > REFRESH_END_WARNING_MS) return undefined;
  return Math.max(0, Math.ceil(left / (24 * 3600_000)));
}
