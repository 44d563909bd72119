/**
 * What an API error answer means and what to do about it, per status: 401 after a refresh, 403
 * for a missing scope (and Receipts' own-user rule), 404/401 from the wrong datacenter, 429, 5xx.
 * The message always carries the correlation id support asks for.
 */
import { describeOrigin } from '../auth/datacenters';
import type { Endpoint } from '../catalog/catalog';
import { describeBody } from '../auth/tokenClient';
import { oneLine, orList, statusText } from '../platform/errors';
import { hostOf, originOf } from '../platform/resolver';
import { l10n } from '../platform/l10n';

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
  // Whole sentences after the explanation: what Concur said, and the id support asks for.
  const concurSays = said ? ` ${l10n.t('Concur says: "{0}".', said)}` : '';
  const support = ` ${l10n.t('Correlation id: {0}.', res.correlationId)}`;
  const host = originOf(res.url) ?? hostOf(res.url);
  const wrongHost = host !== originOf(ctx.geolocation);
  const status = `HTTP ${res.status}${statusText(res.status) ? ` ${statusText(res.status)}` : ''}`;
  const message = (explanation: string): string => `${status}: ${explanation}${concurSays}${support}`;
  const geoHint = (): string =>
    l10n.t("This session's resources live at its geolocation, {0} ({1}), not at {2}; call the path there.", ctx.geolocation, describeOrigin(ctx.geolocation), host);

  if (res.status === 401) {
    if (wrongHost) return { severity: 'error', message: message(geoHint()), actions: ['callAtGeolocation'] };
    return {
      severity: 'error',
      message: message(
        ctx.retriedAfter401
          ? l10n.t('Concur rejected the access token even after it was refreshed. Sign in again.')
          : l10n.t('Concur rejected the access token. Sign in again.'),
      ),
      actions: ['signIn'],
    };
  }
  if (res.status === 403) {
    const endpoint = ctx.endpoint;
    const has = ctx.tokenScopes?.length ? ctx.tokenScopes.join(', ') : undefined;
    if (endpoint && ctx.tokenScopes && !endpoint.scopes.some((s) => ctx.tokenScopes?.includes(s))) {
      const needs = orList(endpoint.scopes);
      return {
        severity: 'error',
        message: message(
          has
            ? l10n.t('{0} ({1}) needs the scope {2}; the token has {3}. Ask for the app to be granted the scope, then sign in again.', endpoint.title, endpoint.product, needs, has)
            : l10n.t('{0} ({1}) needs the scope {2}; the token has none. Ask for the app to be granted the scope, then sign in again.', endpoint.title, endpoint.product, needs),
        ),
        actions: ['showClaims'],
      };
    }
    if (endpoint && ctx.tokenType && !(endpoint.tokenTypes as readonly string[]).includes(ctx.tokenType)) {
      return {
        severity: 'error',
        message: message(
          l10n.t('{0} ({1}) accepts {2} tokens; this is a {3} token. Sign in with the matching grant.', endpoint.title, endpoint.product, orList(endpoint.tokenTypes), ctx.tokenType),
        ),
        actions: ['showClaims'],
      };
    }
    const receiptsUser = safeDecode(/\/receipts\/v4\/users\/([^/?#]+)/.exec(res.url)?.[1]);
    if (receiptsUser && ctx.sub && receiptsUser.toLowerCase() !== ctx.sub.toLowerCase()) {
      return {
        severity: 'error',
        message: message(l10n.t("Receipts only accepts the token's own user id (its sub, {0}), not {1}.", ctx.sub, receiptsUser)),
        actions: ['showClaims'],
      };
    }
    const needs = endpoint
      ? has
        ? l10n.t('Concur refused access. The endpoint needs {0}; the token has {1}.', orList(endpoint.scopes), has)
        : l10n.t('Concur refused access. The endpoint needs {0}; the token has none.', orList(endpoint.scopes))
      : has
        ? l10n.t('Concur refused access. The token has the scopes {0}.', has)
        : l10n.t('Concur refused access. The token has no scopes.');
    return { severity: 'error', message: message(needs), actions: ['showClaims'] };
  }
  if (res.status === 404) {
    return {
      severity: 'warning',
      message: message(wrongHost ? geoHint() : l10n.t('Concur found nothing at this path; check the ids in it.')),
      actions: wrongHost ? ['callAtGeolocation'] : [],
    };
  }
  if (res.status === 429) {
    const waits = ctx.rateLimitWaits ?? 0;
    return {
      severity: 'warning',
      message: message(
        waits === 0
          ? l10n.t('Concur is limiting the request rate. Try again in a minute.')
          : waits === 1
            ? l10n.t('Concur is limiting the request rate and still was after 1 wait. Try again in a minute.')
            : l10n.t('Concur is limiting the request rate and still was after {0} waits. Try again in a minute.', waits),
      ),
      actions: ['retry'],
    };
  }
  if (res.status >= 500) {
    return {
      severity: 'error',
      message: message(l10n.t('Concur had a problem answering. Try again in a moment; if it persists, give SAP Concur support the correlation id.')),
      actions: ['retry'],
    };
  }
  return { severity: 'error', message: message(l10n.t('Concur refused the request.')), actions: [] };
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
