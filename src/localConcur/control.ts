/**
 * `/_mock/*` on both datacenters: lets a client in another process (an extension host under test)
 * inject faults, read the request log and counters, read one-time passwords and move the clock.
 * These requests are never logged, counted or faulted.
 */
import { APPS_BY_ID, MAIN_APP } from './directory';
import type { ServerEnv } from './env';
import { ruleFromJson, ruleToJson } from './faults';
import { sendJson, type Ctx } from './http';

const ENDPOINTS = [
  'GET    /_mock                        this list',
  'GET    /_mock/demo                   demo credentials',
  'GET    /_mock/faults                 active fault rules',
  'POST   /_mock/faults                 replace the rules (JSON array, or {"rules": [...]})',
  'POST   /_mock/faults/add             add one rule (or an array)',
  'DELETE /_mock/faults                 remove every rule',
  'GET    /_mock/requests?since=N       request log (entries from seq N)',
  'DELETE /_mock/requests               clear the log and zero the counters',
  'GET    /_mock/counters               counters',
  'GET    /_mock/otp?handle=EMAIL       last one-time password sent to EMAIL',
  'GET    /_mock/clock                  server clock',
  'POST   /_mock/clock                  {"advanceSeconds": N} or {"advanceMs": N}',
  'POST   /_mock/company-request-token  {"clientId"?, "lifetimeSeconds"?}: a new company request token',
  'POST   /_mock/revoke                 {"sub"?}: revoke refresh and access tokens',
];

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function jsonBody(ctx: Ctx): Record<string, unknown> | unknown[] {
  const text = ctx.body.toString('utf8').trim();
  if (text === '') {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') {
      return value as Record<string, unknown> | unknown[];
    }
  } catch {
    // reported below
  }
  throw new ControlError(400, 'body must be a JSON object or array');
}

function rulesFrom(body: Record<string, unknown> | unknown[]): unknown[] {
  if (Array.isArray(body)) {
    return body;
  }
  if (Array.isArray(body.rules)) {
    return body.rules;
  }
  return [body];
}

function numberField(body: Record<string, unknown> | unknown[], name: string): number | undefined {
  if (Array.isArray(body) || body[name] === undefined) {
    return undefined;
  }
  if (typeof body[name] !== 'number' || !Number.isFinite(body[name])) {
    throw new ControlError(400, `${name} must be a number`);
  }
  return body[name] as number;
}

function stringField(body: Record<string, unknown> | unknown[], name: string): string | undefined {
  if (Array.isArray(body) || body[name] === undefined) {
    return undefined;
  }
  return String(body[name]);
}

export function handleControl(ctx: Ctx, env: ServerEnv): void {
  try {
    route(ctx, env);
  } catch (err) {
    const status = err instanceof ControlError ? err.status : 400;
    sendJson(ctx, status, { error: err instanceof Error ? err.message : String(err) });
  }
}

function route(ctx: Ctx, env: ServerEnv): void {
  const key = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`;
  switch (key) {
    case 'GET /_mock':
      return sendJson(ctx, 200, { landing: env.urls.landing, geo: env.urls.geo, endpoints: ENDPOINTS });
    case 'GET /_mock/demo':
      return sendJson(ctx, 200, env.demo);
    case 'GET /_mock/faults':
      return sendJson(ctx, 200, { rules: env.faults.list().map(ruleToJson) });
    case 'POST /_mock/faults':
      env.faults.set(rulesFrom(jsonBody(ctx)).map(ruleFromJson));
      return sendJson(ctx, 200, { rules: env.faults.list().map(ruleToJson) });
    case 'POST /_mock/faults/add':
      for (const rule of rulesFrom(jsonBody(ctx)).map(ruleFromJson)) {
        env.faults.add(rule);
      }
      return sendJson(ctx, 200, { rules: env.faults.list().map(ruleToJson) });
    case 'DELETE /_mock/faults':
      env.faults.clear();
      return sendJson(ctx, 200, { rules: [] });
    case 'GET /_mock/requests': {
      const since = Number(ctx.query.get('since') ?? 0);
      // A body as base64: it may be bytes (a multipart upload).
      return sendJson(ctx, 200, { requests: env.requests.filter((r) => r.seq >= since).map(({ body, ...r }) => (body ? { ...r, body: body.toString('base64') } : r)) });
    }
    case 'DELETE /_mock/requests':
      env.resetLog();
      return sendJson(ctx, 200, { requests: [], counters: env.counters });
    case 'GET /_mock/counters':
      return sendJson(ctx, 200, env.counters);
    case 'GET /_mock/otp': {
      const handle = ctx.query.get('handle') ?? '';
      const otp = env.store.lastOtps.get(handle.toLowerCase());
      if (!otp) {
        throw new ControlError(404, `no one-time password was sent to ${handle}`);
      }
      return sendJson(ctx, 200, { handle, otp });
    }
    case 'GET /_mock/clock':
      return sendJson(ctx, 200, { now: env.now(), iso: new Date(env.now()).toISOString() });
    case 'POST /_mock/clock': {
      const body = jsonBody(ctx);
      const ms = (numberField(body, 'advanceMs') ?? 0) + (numberField(body, 'advanceSeconds') ?? 0) * 1000;
      env.advanceClock(ms);
      return sendJson(ctx, 200, { now: env.now(), iso: new Date(env.now()).toISOString() });
    }
    case 'POST /_mock/company-request-token': {
      const body = jsonBody(ctx);
      const clientId = (stringField(body, 'clientId') ?? MAIN_APP.clientId).toLowerCase();
      if (!APPS_BY_ID.has(clientId)) {
        throw new ControlError(400, `unknown clientId ${clientId}`);
      }
      const record = env.store.newRequestToken(clientId, numberField(body, 'lifetimeSeconds'));
      return sendJson(ctx, 200, { requestToken: record.token, companyId: record.companyId, clientId, expiresAt: record.exp });
    }
    case 'POST /_mock/revoke': {
      const sub = stringField(jsonBody(ctx), 'sub');
      return sendJson(ctx, 200, { refreshRevoked: env.store.revokeRefresh(sub), accessRevoked: env.store.revokeAccess(sub) });
    }
    default:
      throw new ControlError(404, `no control endpoint ${key}; GET /_mock lists them`);
  }
}
