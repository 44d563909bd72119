/**
 * A readable name for a browser sign-in. The authorization-code grant's tokens name the user by
 * id only (`sub`); Concur's own profile has the user name. Asked once after sign-in, from the
 * user's own record — Profile v1's `/me`, the one profile read Concur offers a user token (Identity
 * v4.1 takes company tokens only) — and never needed: without it, the session keeps its id-based label.
 */
import type { ApiClient } from './apiClient';
import { accessProblem, buildRequestPath, endpointById, tokenAccess } from '../catalog/catalog';
import { oneLine } from '../platform/errors';

export interface NamedSession {
  readonly id: string;
  readonly accessToken: string;
  readonly idToken?: string;
  readonly scopes: readonly string[];
}

/** The user's name (user name or e-mail address) as Concur's profile gives it, or undefined. */
export async function accountName(api: ApiClient, session: NamedSession, signal?: AbortSignal): Promise<string | undefined> {
  const profile = endpointById('profile.me');
  if (!profile || accessProblem(profile, tokenAccess(session))) return undefined;
  const target = buildRequestPath(profile, {});
  try {
    const result = await api.call({ method: 'GET', target, sessionId: session.id, signal, maxBodyBytes: 256 * 1024 });
    if (result.status !== 200) return undefined;
    const user = JSON.parse(result.body.toString('utf8')) as { userName?: unknown; emails?: { value?: unknown }[]; displayName?: unknown };
    const name = [user.userName, user.emails?.[0]?.value, user.displayName].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    // Shown as a label: one printable line, short.
    // eslint-disable-next-line no-control-regex
    return name ? oneLine(name.replace(/[\u0000-\u001f\u007f-\u009f]/g, ''), 80) || undefined : undefined;
  } catch {
    // Not reachable, cancelled, not JSON: the id-based label stays.
    return undefined;
  }
}
