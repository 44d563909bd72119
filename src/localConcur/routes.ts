/** Every route of the built-in catalog's families in one table, and the answer to an API request: its route found, the bearer checked, the token type and scopes enforced. */
import { authenticateBearer, READ_ROUTES, safeDecode, type Route } from './api';
import type { ServerEnv } from './env';
import { EXPENSE_WORKFLOW_ROUTES } from './expenseWorkflow';
import { apiError, type Ctx } from './http';
import { UPLOAD_ROUTES } from './uploads';
import { WRITE_ROUTES } from './writes';

// Uploads first: a receipt POST as multipart is read there, as JSON handed on to its write route.
const ROUTES: readonly Route[] = [...READ_ROUTES, ...UPLOAD_ROUTES, ...WRITE_ROUTES, ...EXPENSE_WORKFLOW_ROUTES];

/** Answers an API request (a built-in route's, else a loaded definition's operation); returns false when none has the path. */
export function handleApi(ctx: Ctx, env: ServerEnv): boolean {
  // Every route of the path, whatever its method: the one of the request's method answers.
  const matching: Array<{ route: Route; match: RegExpExecArray }> = [];
  for (const candidate of ROUTES) {
    const found = candidate.pattern.exec(ctx.path);
    if (found) {
      matching.push({ route: candidate, match: found });
    }
  }
  const wanted = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  const chosen = matching.find((m) => (m.route.method ?? 'GET') === wanted);
  if (!chosen) {
    // What no built-in route serves, a loaded API definition's operation may; its 405 only when no built-in route has the path.
    const defined = env.definitions.find(ctx.method, ctx.path);
    if (defined && ('op' in defined || matching.length === 0)) return env.definitions.handle(ctx, env);
    if (matching.length === 0) return false;
    const allow = [...new Set(matching.map((m) => m.route.method ?? 'GET'))].join(', ');
    apiError(ctx, matching[0].route.family, 405, `Method ${ctx.method} is not supported by this mock`, { headers: { allow } });
    return true;
  }
  const { route, match } = chosen;
  // A loaded definition's operation names more of the path than the built-in route (a literal where
  // the route takes any value, as Request v4's agencyproposals beside its {action} route): it answers.
  const defined = env.definitions.find(ctx.method, ctx.path);
  if (defined && 'op' in defined && Object.keys(defined.params).length < match.length - 1) return env.definitions.handle(ctx, env);
  const family = route.family;
  const auth = authenticateBearer(ctx, env, family);
  if (!auth) {
    return true;
  }
  if (!route.principals.includes(auth.principal.type)) {
    env.count('apiForbidden');
    apiError(ctx, family, 403, `This resource does not accept ${auth.principal.type} tokens`);
    return true;
  }
  if (!route.scopes.some((s) => auth.scopes.includes(s))) {
    env.count('apiForbidden');
    apiError(ctx, family, 403, `Insufficient scope: requires ${route.scopes.join(' or ')}`);
    return true;
  }
  const params = match.slice(1).map(safeDecode);
  route.handle(ctx, env, auth, params);
  return true;
}

