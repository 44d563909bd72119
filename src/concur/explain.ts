/**
 * What an API error answer means and what to do about it, per status: 401 after a refresh, 403
 * for a missing scope (and Receipts' own-user rule), 404/401 from the wrong datacenter, 429, 5xx.
 * The message always carries the correlation id support asks for.
 */
import { describeOrigin } from './datacenters';
import type { Endpoint } from './catalog';
import { describeBody } from './auth';
import { oneLine, statusText } from './errors';
import { hostOf, originOf } from './resolver';

export type ExplanationAction = 'signIn' | 'showClaims' | 'retry' | 'callAtGeolocation';

export interface Explanation {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly actions: readonly ExplanationAction[];
}

export interface ExplainContext {
  readonly endpoint?: Endpoint;
  readonly tokenScopes?: readonly string[];
  readonly tokenType?: string;
  readonly sub?: string;
  readonly geolocation: string;
  readonly retriedAfter401?: boolean;
  readonly rateLimitWaits?: number;
}

export interface ExplainResponse {
  readonly status: number;
  readonly url: string;
  readonly correlationId: string;
  readonly body: Buffer;
  readonly contentType: string;
}

/** The message in an API error body, whichever family's shape it has. */
export function errorMessageOf(body: Buffer, contentType: string): string | undefined {
  const text = body.toString('utf8').trim();
  if (!text) return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const nested = typeof json.error === 'object' && json.error !== null ? (json.error as Record<string, unknown>).message : undefined;
    for (const candidate of [json.Message, json.message, json.errorMessage, json.detail, nested, json.error_description, json.error]) {
      if (typeof candidate === 'string' && candidate.trim()) return oneLine(candidate);
    }
    return undefined;
  } catch {
    return describeBody(text, contentType);
  }
}

export function explainResponse(res: ExplainResponse, ctx: ExplainContext): Explanation | undefined {
  if (res.status < 400) return undefined;
  const said = errorMessageOf(res.body, res.contentType);
  const concurSays = said ? ` Concur says: "${said}".` : '';
  const support = ` Correlation id: ${res.correlationId}.`;
  const host = originOf(res.url) ?? hostOf(res.url);
  const wrongHost = host !== originOf(ctx.geolocation);
  const status = `HTTP ${res.status}${statusText(res.status) ? ` ${statusText(res.status)}` : ''}`;
  const geoHint = `This session's resources live at its geolocation, ${ctx.geolocation} (${describeOrigin(ctx.geolocation)}), not at ${host}; call the path there.`;

  if (res.status === 401) {
    if (wrongHost) return { severity: 'error', message: `${status}: ${geoHint}${concurSays}${support}`, actions: ['callAtGeolocation'] };
    return {
      severity: 'error',
      message: `${status}: Concur rejected the access token${ctx.retriedAfter401 ? ' even after it was refreshed' : ''}. Sign in again.${concurSays}${support}`,
      actions: ['signIn'],
    };
  }
  if (res.status === 403) {
    const endpoint = ctx.endpoint;
    const has = ctx.tokenScopes?.length ? ctx.tokenScopes.join(', ') : 'none';
    if (endpoint && ctx.tokenScopes && !endpoint.scopes.some((s) => ctx.tokenScopes?.includes(s))) {
      return {
        severity: 'error',
        message: `${status}: ${endpoint.title} (${endpoint.product}) needs the scope ${endpoint.scopes.join(' or ')}; the token has ${has}. Ask for the app to be granted the scope, then sign in again.${concurSays}${support}`,
        actions: ['showClaims'],
      };
    }
    if (endpoint && ctx.tokenType && !(endpoint.tokenTypes as readonly string[]).includes(ctx.tokenType)) {
      return {
        severity: 'error',
        message: `${status}: ${endpoint.title} (${endpoint.product}) accepts ${endpoint.tokenTypes.join(' or ')} tokens; this is a ${ctx.tokenType} token. Sign in with the matching grant.${concurSays}${support}`,
        actions: ['showClaims'],
      };
    }
    const receiptsUser = safeDecode(/\/receipts\/v4\/users\/([^/?#]+)/.exec(res.url)?.[1]);
    if (receiptsUser && ctx.sub && receiptsUser.toLowerCase() !== ctx.sub.toLowerCase()) {
      return {
        severity: 'error',
        message: `${status}: Receipts only accepts the token's own user id (its sub, ${ctx.sub}), not ${receiptsUser}.${concurSays}${support}`,
        actions: ['showClaims'],
      };
    }
    const needs = endpoint ? ` The endpoint needs ${endpoint.scopes.join(' or ')}; the token has ${has}.` : ` The token has the scopes ${has}.`;
    return { severity: 'error', message: `${status}: Concur refused access.${needs}${concurSays}${support}`, actions: ['showClaims'] };
  }
  if (res.status === 404) {
    return {
      severity: 'warning',
      message: wrongHost ? `${status}: ${geoHint}${concurSays}${support}` : `${status}: Concur found nothing at this path; check the ids in it.${concurSays}${support}`,
      actions: wrongHost ? ['callAtGeolocation'] : [],
    };
  }
  if (res.status === 429) {
    return {
      severity: 'warning',
      message: `${status}: Concur is limiting the request rate${ctx.rateLimitWaits ? ` and still was after ${ctx.rateLimitWaits} wait${ctx.rateLimitWaits === 1 ? '' : 's'}` : ''}. Try again in a minute.${concurSays}${support}`,
      actions: ['retry'],
    };
  }
  if (res.status >= 500) {
    return {
      severity: 'error',
      message: `${status}: Concur had a problem answering. Try again in a moment; if it persists, give SAP Concur support the correlation id.${concurSays}${support}`,
      actions: ['retry'],
    };
  }
  return { severity: 'error', message: `${status}: Concur refused the request.${concurSays}${support}`, actions: [] };
}

/** A path segment decoded, or as it is when its percent-encoding is malformed (`%zz`). */
function safeDecode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
