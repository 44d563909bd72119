/**
 * The questions asked before a request is sent — which endpoint, its parameters, or a method, path
 * and body — each returning a typed `ApiRequest` (or undefined when the user cancels). The path
 * input is validated by the resolver itself, so what it says while typing is where the request
 * will go, or why it will not.
 */
import * as vscode from 'vscode';
import { accessProblem, allEndpoints, buildRequestPath, prefill, requestHeaders, statusNote, tokenAccess, type Endpoint } from '../../catalog/catalog';
import { subjectOf } from '../../auth/jwt';
import { resolveApiTarget } from '../../platform/resolver';
import { SignedOutError, type SessionManager } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import type { ApiRequest } from '../requestStore';
import { MultiStepInput, type InputStep } from '../../platform/ui/multiStepInput';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** What "Call API…" takes as a command argument. */
export interface CallApiArgs {
  readonly method?: string;
  readonly target?: string;
  readonly body?: string;
  readonly sessionId?: string;
}

export class ApiPrompts {
  /** Parameter values typed earlier (report ids, list ids…), offered again. */
  private readonly remembered: Record<string, string> = {};
  private lastCall: { method: string; target: string; body?: string } = { method: 'GET', target: '/profile/v1/me' };

  constructor(private readonly sessions: SessionManager) {}

  /** The active session, or a SignedOutError that says how to sign in. */
  async activeSession(): Promise<Session> {
    await this.sessions.initialize();
    const session = this.sessions.activeSession;
    if (!session) throw new SignedOutError(vscode.l10n.t('Sign in to Concur to call its APIs.'));
    if (session.state !== 'active') throw new SignedOutError(vscode.l10n.t('The Concur session for {0} has ended. Sign in again to call Concur.', session.label), session.id);
    return session;
  }

  async pickEndpoint(placeHolder = vscode.l10n.t('Concur endpoint to call')): Promise<Endpoint | undefined> {
    const session = this.sessions.activeSession;
    const token = session ? tokenAccess(session) : {};
    const picked = await vscode.window.showQuickPick(
      allEndpoints().map((e) => {
        const problem = accessProblem(e, token);
        const note = statusNote(e);
        return {
          label: `${problem ? '$(warning) ' : note ? '$(history) ' : ''}${e.method} ${e.path}`,
          description: `${e.product}: ${e.title}`,
          // The scopes are in the detail, so that typing a scope finds the endpoints it opens.
          detail: `${problem ?? note ?? e.description} · ${e.scopes.join(', ')}`,
          endpoint: e,
        };
      }),
      { placeHolder, matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.endpoint;
  }

  /** A catalog endpoint's request: parameters prefilled, asked for unless all are given. */
  async endpointRequest(endpoint: Endpoint, given: Record<string, string> | undefined): Promise<ApiRequest | undefined> {
    const session = await this.activeSession();
    let values: Record<string, string> | undefined = { ...prefill(endpoint, { sub: subjectOf(session.accessToken, session.idToken) }, this.remembered), ...stringValues(given) };
    const missing = endpoint.params.filter((p) => p.required && !values?.[p.name]);
    if (!given || missing.length > 0) values = await this.askParameters(endpoint, values);
    if (!values) return undefined;
    for (const param of endpoint.params) if (values[param.name] && !param.fromSession && !param.paging) this.remembered[param.name] = values[param.name];
    return { method: endpoint.method, target: buildRequestPath(endpoint, values), headers: requestHeaders(endpoint, values), endpointId: endpoint.id, paging: endpoint.paging, sessionId: session.id };
  }

  /** "Call API…": from a command argument, or asked step by step. */
  async callRequest(args: CallApiArgs | undefined): Promise<ApiRequest | undefined> {
    if (args?.target !== undefined) {
      // A command argument goes through the same resolver when it is sent; nothing is trusted here.
      return { method: String(args.method ?? 'GET').toUpperCase(), target: String(args.target), body: bodyOf(args.body), sessionId: args.sessionId, paging: 'none' };
    }
    const session = await this.activeSession();
    const call = await this.askCall(session);
    if (!call) return undefined;
    this.lastCall = call;
    return { method: call.method, target: call.target, body: bodyOf(call.body), sessionId: session.id, paging: 'none' };
  }

  private async askParameters(endpoint: Endpoint, initial: Record<string, string>): Promise<Record<string, string> | undefined> {
    const values = { ...initial };
    const params = endpoint.params;
    if (params.length === 0) return values;
    const title = `${endpoint.method} ${endpoint.path}`;
    const step = (index: number): InputStep => async (input) => {
      const param = params[index];
      const next = index + 1 < params.length ? step(index + 1) : undefined;
      const prompt = parameterPrompt(param);
      if (param.choices) {
        // An optional parameter can be left out: the first entry sends nothing.
        const items = [...(param.required ? [] : [{ label: '', description: vscode.l10n.t('(leave out)') }]), ...param.choices.map((c) => ({ label: c }))];
        const picked = await input.showQuickPick({ title, step: index + 1, totalSteps: params.length, items, activeItem: items.find((i) => i.label === values[param.name]), placeholder: prompt });
        values[param.name] = picked.label;
      } else {
        values[param.name] = (
          await input.showInputBox({
            title,
            step: index + 1,
            totalSteps: params.length,
            value: values[param.name] ?? '',
            prompt,
            validate: (text) =>
              param.required && !text.trim()
                ? vscode.l10n.t('Enter {0}.', param.name)
                : param.paging && text.trim() && !/^\d+$/.test(text.trim()) && param.name !== 'cursor'
                  ? vscode.l10n.t('{0} is a number.', param.name)
                  : undefined,
          })
        ).trim();
      }
      return next;
    };
    return (await MultiStepInput.run(step(0))) ? values : undefined;
  }

  private async askCall(session: Session): Promise<{ method: string; target: string; body?: string } | undefined> {
    const call = { ...this.lastCall };
    const title = vscode.l10n.t('Call Concur API');
    const takesBody = (method: string | undefined): boolean => method !== 'GET' && method !== 'DELETE';
    const withBody = (): boolean => takesBody(call.method);
    const pickMethod: InputStep = async (input) => {
      const items = METHODS.map((m) => ({ label: m }));
      call.method = (
        await input.showQuickPick({
          title,
          step: 1,
          // GET and DELETE ask for a path only; the others for a body too: the count follows the highlighted method.
          totalSteps: (active) => (takesBody(active?.label ?? call.method) ? 3 : 2),
          items,
          activeItem: items.find((i) => i.label === call.method),
          placeholder: vscode.l10n.t('HTTP method'),
        })
      ).label;
      return enterTarget;
    };
    const enterTarget: InputStep = async (input) => {
      call.target = (
        await input.showInputBox({
          title,
          step: 2,
          totalSteps: withBody() ? 3 : 2,
          value: call.target,
          prompt: vscode.l10n.t('A path such as /profile/v1/me (sent to {0}), or a full URL on that host', session.geolocation),
          validate: (text) => validateTarget(text, session),
        })
      ).trim();
      return withBody() ? enterBody : undefined;
    };
    const enterBody: InputStep = async (input) => {
      call.body = await input.showInputBox({
        title,
        step: 3,
        totalSteps: 3,
        value: call.body ?? '',
        prompt: vscode.l10n.t('JSON body (empty for none)'),
        validate: (text) => {
          if (!text.trim()) return undefined;
          try {
            JSON.parse(text);
            return undefined;
          } catch (error) {
            return vscode.l10n.t('Not valid JSON: {0}', (error as Error).message);
          }
        },
      });
    };
    return (await MultiStepInput.run(pickMethod)) ? call : undefined;
  }
}

/**
 * What the path input says while typing: the resolver's refusal as an error (Enter does nothing),
 * or where the request will go as information.
 */
export function validateTarget(text: string, session: Session): string | vscode.InputBoxValidationMessage {
  const resolution = resolveApiTarget(text, session);
  if (!resolution.ok) return resolution.message;
  return { message: vscode.l10n.t('Sends to {0}', resolution.url.href), severity: vscode.InputBoxValidationSeverity.Info };
}

/** The prompt for one parameter: "reportId: The report's id", "(query)" for one not in the path, marked optional or prefilled. */
function parameterPrompt(param: Endpoint['params'][number]): string {
  const where = param.in === 'path' ? '' : ` (${param.in})`;
  const name = `${param.name}${where}`;
  if (param.fromSession) {
    return param.required
      ? vscode.l10n.t('{0}: {1} — prefilled from your token', name, param.description)
      : vscode.l10n.t('{0}, optional: {1} — prefilled from your token', name, param.description);
  }
  return param.required ? vscode.l10n.t('{0}: {1}', name, param.description) : vscode.l10n.t('{0}, optional: {1}', name, param.description);
}

function bodyOf(body: unknown): string | undefined {
  return typeof body === 'string' && body.trim() ? body : undefined;
}

function stringValues(given: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
  return out;
}
