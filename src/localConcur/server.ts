/** Starts the two datacenters and routes every request through log, counters, faults and handlers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { handleApi } from './routes';
import { CONNECTIONS_PATH, handleConnections } from './appMgmt';
import { handleControl } from './control';
import { getDataset } from './data';
import { DefinitionRoutes } from './definitions';
import { APPS, APPS_BY_ID, COMPANY, DATACENTER_NAMES, DEMO_PASSWORD, DEMO_USERS, MAIN_APP, demoUsername } from './directory';
import type { ServerEnv } from './env';
import { FaultEngine } from './faults';
import { apiError, correlationIdOf, isFormEncoded, parseForm, readBody, send, sendHtml, sendJson, type Ctx } from './http';
import { getSigningKey } from './jwt';
import { handleAuthorize, handleJwks, handleOtp, handleToken } from './oauth';
import { handlePublished, PUBLISHED_PREFIX } from './published';
import { uploadsOf } from './uploads';
import { MockState } from './state';
import { TokenStore, type Principal, type RequestTokenRecord } from './tokens';
import type { Counters, DatacenterId, DemoApp, DemoCredentials, FaultRule, MockConcur, MockConcurOptions, RequestLogEntry } from './types';

const TOKEN_PATH = '/oauth2/v0/token';
const OTP_PATH = '/oauth2/v0/otp';
const AUTHORIZE_PATH = '/oauth2/v0/authorize';
const JWKS_PATH = '/oauth2/v0/jwks';
const MAX_LOG = 200_000;
const EMPTY = Buffer.alloc(0);

const COUNTER_NAMES = [
  'requests',
  'tokenRequests',
  'refreshGrants',
  'apiRequests',
  'passwordGrants',
  'companyGrants',
  'clientCredentialsGrants',
  'authorizationCodeGrants',
  'otpGrants',
  'tokensIssued',
  'tokenErrors',
  'refreshRotations',
  'refreshRejected',
  'otpRequests',
  'otpsSent',
  'authorizeRequests',
  'authorizationCodesIssued',
  'jwksRequests',
  'apiUnauthorized',
  'apiForbidden',
  'connectionsRevoked',
  'faultsInjected',
] as const;

const HTML_503 =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n' +
  '<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n';

function freshCounters(): Counters {
  const counters = {} as Counters;
  for (const name of COUNTER_NAMES) {
    counters[name] = 0;
  }
  return counters;
}

function originOf(host: string, port: number): string {
  let shown = host;
  if (host === '0.0.0.0') {
    shown = '127.0.0.1';
  } else if (host === '::') {
    shown = '[::1]';
  } else if (host.includes(':')) {
    shown = `[${host}]`;
  }
  return `http://${shown}:${port}`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // Ends keep-alive sockets and the requests a `hang` fault is holding open.
    server.closeAllConnections();
  });
}

function appByKey(key: DemoApp['key']): DemoApp {
  return APPS.find((a) => a.key === key) as DemoApp;
}

function buildDemo(urls: Record<DatacenterId, string>, requestToken: RequestTokenRecord): DemoCredentials {
  const limited = appByKey('limited');
  const noRefresh = appByKey('noRefresh');
  const disabled = appByKey('disabled');
  const traveler = DEMO_USERS[0];
  return {
    clientId: MAIN_APP.clientId,
    clientSecret: MAIN_APP.clientSecret,
    username: demoUsername(traveler.local),
    password: DEMO_PASSWORD,
    userId: traveler.id,
    companyId: COMPANY.id,
    companyName: COMPANY.name,
    companyRequestToken: requestToken.token,
    companyRequestTokenExpiresAt: requestToken.exp,
    otpHandle: demoUsername(traveler.local),
    redirectUri: 'http://127.0.0.1/callback',
    limitedClientId: limited.clientId,
    limitedClientSecret: limited.clientSecret,
    noRefreshClientId: noRefresh.clientId,
    noRefreshClientSecret: noRefresh.clientSecret,
    disabledClientId: disabled.clientId,
    disabledClientSecret: disabled.clientSecret,
    apps: APPS.map((a) => ({ ...a, scopes: [...a.scopes], grants: [...a.grants] })),
    users: DEMO_USERS.map((u) => ({
      username: demoUsername(u.local),
      password: DEMO_PASSWORD,
      id: u.id,
      displayName: `${u.givenName} ${u.familyName}`,
      home: u.home,
      behaviour: u.behaviour,
      ...(u.outcome ? { code: u.outcome.code } : u.ssoOnly ? { code: 21 } : {}),
    })),
    datacenters: {
      landing: { name: DATACENTER_NAMES.landing, url: urls.landing },
      geo: { name: DATACENTER_NAMES.geo, url: urls.geo },
    },
  };
}

export async function startMockConcur(options: MockConcurOptions = {}): Promise<MockConcur> {
  const host = options.host ?? '127.0.0.1';
  const baseNow = options.now ?? Date.now;
  let clockOffset = 0;
  const now = (): number => baseNow() + clockOffset;
  const quiet = options.quiet ?? false;
  const key = getSigningKey();
  const dataset = getDataset(options.companyUsers ?? 2500);
  const faults = new FaultEngine();
  faults.set(options.faults ?? []);
  const counters = freshCounters();
  const requests: RequestLogEntry[] = [];
  const pendingDelays = new Set<() => void>();
  let closing: Promise<void> | undefined;

  const landing = createServer();
  const geo = createServer();
  const ports: Record<DatacenterId, number> = { landing: 0, geo: 0 };
  ports.landing = await listen(landing, options.port ?? 0, host);
  try {
    ports.geo = await listen(geo, options.geoPort ?? 0, host);
  } catch (err) {
    await closeServer(landing);
    throw err;
  }
  const urls: Record<DatacenterId, string> = { landing: originOf(host, ports.landing), geo: originOf(host, ports.geo) };

  const store = new TokenStore({
    key,
    urls,
    now,
    accessTokenLifetime: options.accessTokenLifetime ?? 3600,
    refreshTokenLifetime: options.refreshTokenLifetime ?? 180 * 86_400,
    expiresInAs: options.expiresInAs ?? 'string',
  });
  const demo = buildDemo(urls, store.newRequestToken(MAIN_APP.clientId));

  const definitions = new DefinitionRoutes();
  const resetLog = (): void => {
    requests.length = 0;
    for (const name of Object.keys(counters)) {
      counters[name] = 0;
    }
  };

  const env: ServerEnv = {
    dataset,
    state: new MockState(dataset),
    store,
    faults,
    key,
    urls,
    now,
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    errorCodeAs: options.errorCodeAs ?? 'number',
    counters,
    requests,
    demo,
    count: (name) => {
      counters[name] = (counters[name] ?? 0) + 1;
    },
    resetLog,
    definitions,
    appScopes: (app) => (app.key === 'main' && definitions.scopes.size ? [...new Set([...app.scopes, ...definitions.scopes])] : app.scopes),
  };

  /** A delay that `close()` cuts short, so no handler outlives the server. */
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pendingDelays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pendingDelays.add(done);
    });

  const route = (ctx: Ctx): void => {
    switch (ctx.path) {
      case TOKEN_PATH:
        return handleToken(ctx, env);
      case OTP_PATH:
        return handleOtp(ctx, env);
      case AUTHORIZE_PATH:
        return handleAuthorize(ctx, env);
      case JWKS_PATH:
        return handleJwks(ctx, env);
      case CONNECTIONS_PATH:
        return handleConnections(ctx, env);
    }
    if (ctx.path.startsWith(PUBLISHED_PREFIX)) return handlePublished(ctx, options.publishedFolder);
    if (!handleApi(ctx, env)) {
      apiError(ctx, 'legacy', 404, 'No resource found that matches the request URI');
    }
  };

  const applyTerminal = (ctx: Ctx, rule: FaultRule): void => {
    switch (rule.kind) {
      case 'status500':
        return send(ctx, 500, rule.body ?? 'Internal Server Error', 'text/plain; charset=utf-8');
      case 'html503':
        return sendHtml(ctx, 503, HTML_503);
      case 'rate429':
        return sendJson(ctx, 429, { error: { id: 'security.rate.limit.reached', message: 'Too many requests' } }, { 'retry-after': String(rule.retryAfter ?? 1) });
      case 'reset':
        ctx.answered = true;
        ctx.req.socket.resetAndDestroy();
        return;
      case 'hang':
        // Never answered; close() ends the socket.
        ctx.answered = true;
        return;
    }
  };

  const print = (entry: RequestLogEntry): void => {
    if (!quiet && options.log) {
      const status = entry.status === 0 ? (entry.fault ?? '---') : String(entry.status);
      const grant = entry.grantType ? ` (${entry.grantType})` : '';
      options.log(`[local-concur] ${entry.host.padEnd(7)} ${entry.method} ${entry.path}${grant} -> ${status} ${entry.durationMs ?? 0}ms`);
    }
  };

  const dispatch = async (dc: DatacenterId, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const ctx: Ctx = {
      req,
      res,
      dc,
      origin: urls[dc],
      method: (req.method ?? 'GET').toUpperCase(),
      path: q === -1 ? rawUrl : rawUrl.slice(0, q),
      query: new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1)),
      correlationId: correlationIdOf(req),
      body: EMPTY,
      now: now(),
      flags: { malformedJson: false, opaqueAccessToken: false, unknownKey: false, stringErrorCode: false },
      answered: false,
    };
    try {
      ctx.body = await readBody(req);
    } catch {
      send(ctx, 413, 'Request body too large', 'text/plain; charset=utf-8');
      return;
    }
    if (ctx.path === '/_mock' || ctx.path.startsWith('/_mock/')) {
      handleControl(ctx, env);
      return;
    }

    const entry: RequestLogEntry = {
      seq: requests.length,
      host: dc,
      method: ctx.method,
      path: ctx.path,
      query: Object.fromEntries(ctx.query),
      status: 0,
      time: ctx.now,
      correlationId: ctx.correlationId,
    };
    ctx.log = entry;
    if (requests.length >= MAX_LOG) {
      requests.splice(0, requests.length - MAX_LOG + 1);
    }
    requests.push(entry);
    counters.requests += 1;
    if (ctx.path.startsWith('/oauth2/')) {
      const form = ctx.method === 'POST' && isFormEncoded(ctx) ? parseForm(ctx) : ctx.query;
      entry.clientId = form.get('client_id') ?? undefined;
      if (ctx.path === TOKEN_PATH) {
        entry.grantType = form.get('grant_type') ?? undefined;
        counters.tokenRequests += 1;
        if (entry.grantType === 'refresh_token') {
          counters.refreshGrants += 1;
        }
      } else if (ctx.path === OTP_PATH) {
        counters.otpRequests += 1;
      }
      if (entry.clientId === undefined) {
        delete entry.clientId;
      }
      if (entry.grantType === undefined) {
        delete entry.grantType;
      }
    } else {
      counters.apiRequests += 1;
      if (ctx.body.length) {
        entry.body = ctx.body;
        entry.contentType = ctx.req.headers['content-type'];
      }
    }

    try {
      const fault = faults.match(dc, ctx.method, ctx.path);
      if (fault) {
        counters.faultsInjected += 1;
        entry.fault = fault.terminal?.kind ?? fault.applied[0];
        if (fault.latencyMs > 0) {
          await delay(fault.latencyMs);
          if (closing) {
            return;
          }
        }
        if (fault.terminal) {
          applyTerminal(ctx, fault.terminal);
          return;
        }
        ctx.flags.malformedJson = fault.modifiers.has('malformedJson');
        ctx.flags.opaqueAccessToken = fault.modifiers.has('opaqueAccessToken');
        ctx.flags.unknownKey = fault.modifiers.has('unknownKey');
        ctx.flags.stringErrorCode = fault.modifiers.has('stringErrorCode');
        ctx.flags.largeBodyMb = fault.largeBodyMb;
        ctx.flags.wrongDatacenter = fault.modifiers.has('wrongDatacenter');
      }
      route(ctx);
    } catch (err) {
      if (!ctx.answered && !res.destroyed) {
        send(ctx, 500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`, 'text/plain; charset=utf-8');
      }
    } finally {
      entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
      print(entry);
    }
  };

  landing.on('request', (req: IncomingMessage, res: ServerResponse) => void dispatch('landing', req, res));
  geo.on('request', (req: IncomingMessage, res: ServerResponse) => void dispatch('geo', req, res));

  const issueTokens: MockConcur['issueTokens'] = (opts = {}) => {
    const app = APPS_BY_ID.get((opts.clientId ?? MAIN_APP.clientId).toLowerCase());
    if (!app) {
      throw new Error(`unknown client ${opts.clientId}`);
    }
    let principal: Principal;
    if (opts.principal === 'company') {
      principal = { type: 'company', sub: COMPANY.id, home: COMPANY.home };
    } else if (opts.principal === 'app') {
      principal = { type: 'app', sub: app.clientId, home: COMPANY.home };
    } else {
      const user = dataset.usersByName.get((opts.principal ?? demo.username).toLowerCase());
      if (!user) {
        throw new Error(`unknown user ${opts.principal}`);
      }
      principal = { type: 'user', sub: user.id, home: user.home, user };
    }
    const scopes = opts.scopes ?? env.appScopes(app);
    const isApp = principal.type === 'app';
    return store.issue(principal, app, scopes, { refreshScopes: isApp ? undefined : scopes, idToken: !isApp, lifetime: opts.lifetime });
  };

  return {
    url: urls.landing,
    geoUrl: urls.geo,
    demo,
    requests,
    counters,
    resetLog,
    setFaults: (rules) => faults.set(rules),
    uploads: () => uploadsOf(env),
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    now,
    advanceClock: env.advanceClock,
    issueCompanyRequestToken: (clientId = MAIN_APP.clientId, lifetimeSeconds) => store.newRequestToken(clientId.toLowerCase(), lifetimeSeconds).token,
    revokeRefreshTokens: (sub) => store.revokeRefresh(sub),
    revokeAccessTokens: (sub) => store.revokeAccess(sub),
    expireAccessTokens: (sub) => store.expireAccess(sub),
    setDefinitions: (entries) => env.definitions.set(entries),
    definitionOperations: () => env.definitions.count,
    lastOtp: (handle) => store.lastOtps.get(handle.toLowerCase()),
    issueTokens,
    jwks: () => ({ keys: [{ ...key.publicJwk }] }),
    close: () => {
      if (!closing) {
        for (const done of [...pendingDelays]) {
          done();
        }
        closing = Promise.all([closeServer(landing), closeServer(geo)]).then(() => undefined);
      }
      return closing;
    },
  };
}
