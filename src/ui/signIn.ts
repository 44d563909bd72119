/**
 * "Concur: Sign In": datacenter → grant → client id → client secret → credentials, then a
 * cancellable progress notification while Concur is asked for tokens. Everything but the
 * credentials is remembered (globalState) to prefill the next sign-in; secrets never are.
 */
import * as vscode from 'vscode';
import type { GrantKind } from '../concur/auth';
import { DATACENTERS, describeOrigin } from '../concur/datacenters';
import { describeError, isCancellation } from '../concur/errors';
import { checkBaseUrl, hostOf, RefusedTargetError } from '../concur/resolver';
import type { Log } from '../log';
import type { SessionManager, SignInRequest } from '../session/sessionManager';
import type { Session } from '../session/types';
import type { Messages } from './messages';
import { MultiStepInput, type InputStep } from './multiStepInput';

/** What `concur.signIn` accepts as its argument: any subset; what is missing is asked for. */
export interface SignInArgs {
  baseUrl?: string;
  grant?: GrantKind;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  companyId?: string;
  requestToken?: string;
  /** Space-separated scopes to request (narrower than the app's); Concur grants all by default. */
  scope?: string;
}

const TITLE = 'Sign In to Concur';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateUuid(what: string, value: string): string | undefined {
  const v = value.trim();
  if (!v) return `Enter the ${what}.`;
  if (!UUID.test(v)) return `The ${what} is a UUID, such as 2f3a6c2e-8b1d-4c57-9a0e-5d7f1b2c3d4e.`;
  return undefined;
}

export interface ConfiguredDatacenter {
  label: string;
  baseUrl: string;
}

interface DatacenterItem extends vscode.QuickPickItem {
  baseUrl?: string;
}

interface GrantItem extends vscode.QuickPickItem {
  grant: GrantKind;
}

const GRANTS: readonly GrantItem[] = [
  { grant: 'password', label: '$(person) Password', description: 'a user', detail: 'Username and password of a Concur user (the password grant).' },
  {
    grant: 'companyRequestToken',
    label: '$(organization) Company request token',
    description: 'a company',
    detail: 'Company id and the 24-hour request token generated in Concur (password grant with credtype=authtoken).',
  },
  { grant: 'clientCredentials', label: '$(key) Client credentials', description: 'the app itself', detail: 'An app token: no user, no refresh token, one hour.' },
];

export class SignInFlow {
  constructor(
    private readonly sessions: SessionManager,
    private readonly log: Log,
    private readonly messages: Messages,
    private readonly configuredDatacenters: () => ConfiguredDatacenter[],
  ) {}

  /**
   * Runs the flow; resolves with the new session, or undefined when the user cancels. On failure
   * the user may try again with every value kept except the password (or request token).
   */
  async run(args: SignInArgs = {}): Promise<Session | undefined> {
    const defaults = this.sessions.signInDefaults();
    let values: SignInArgs = {
      baseUrl: defaults.baseUrl,
      grant: defaults.grant,
      clientId: defaults.clientId,
      username: defaults.username,
      companyId: defaults.companyId,
      ...stripUndefined(args),
    };
    let askAll = !isComplete(values);
    for (;;) {
      if (askAll) {
        const answered = await this.ask(values);
        if (!answered) return undefined;
        values = answered;
      }
      try {
        const session = await this.signInWithProgress(toRequest(values));
        if (!session) return undefined;
        void this.messages.info(`Signed in to Concur as ${session.label} (datacenter ${describeOrigin(session.geolocation)}).`);
        return session;
      } catch (error) {
        this.log.error(`Sign-in at ${values.baseUrl ?? '(no base URL)'} failed`, error);
        const retry = 'Try Again';
        const choice = await this.messages.error(`Could not sign in to Concur: ${describeError(error)}`, retry, 'Show Log');
        if (choice === 'Show Log') this.log.show();
        if (choice !== retry) return undefined;
        // Keep everything but the secret the user typed last, which is the usual culprit.
        values = { ...values, password: undefined, requestToken: undefined };
        askAll = true;
      }
    }
  }

  private async signInWithProgress(request: SignInRequest): Promise<Session | undefined> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in to Concur at ${describeOrigin(request.baseUrl)}…`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        try {
          return await this.sessions.signIn(request, abort.signal);
        } catch (error) {
          if (isCancellation(error) || token.isCancellationRequested) return undefined;
          throw error;
        } finally {
          subscription.dispose();
        }
      },
    );
  }

  /** The quick input steps; undefined when the user cancels. */
  private async ask(initial: SignInArgs): Promise<SignInArgs | undefined> {
    const v: SignInArgs = { ...initial };
    const totalSteps = (): number => (v.grant === 'clientCredentials' ? 4 : 6);
    let storedSecret: string | undefined;

    const pickDatacenter: InputStep = async (input) => {
      const items: DatacenterItem[] = [];
      const configured = this.configuredDatacenters();
      const known = new Set<string>();
      const add = (item: DatacenterItem): void => {
        if (item.baseUrl && known.has(item.baseUrl)) return;
        if (item.baseUrl) known.add(item.baseUrl);
        items.push(item);
      };
      if (v.baseUrl) add({ label: `$(history) ${describeOrigin(v.baseUrl)}`, description: v.baseUrl, detail: 'Used last time', baseUrl: v.baseUrl });
      // Named with their host, and said to come from the user's settings, so that none passes for one of Concur's.
      for (const dc of configured) add({ label: `$(server) ${dc.label}`, description: hostOf(dc.baseUrl), detail: `From your concur.datacenters setting: ${dc.baseUrl}`, baseUrl: dc.baseUrl });
      if (configured.length) items.push({ label: 'Concur datacenters', kind: vscode.QuickPickItemKind.Separator });
      for (const dc of DATACENTERS) add({ label: dc.label, description: dc.baseUrl, detail: dc.detail, baseUrl: dc.baseUrl });
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
      const custom: DatacenterItem = { label: '$(edit) Custom base URL…', detail: 'A proxy, a sandbox or a local server (http:// only on this machine)' };
      items.push(custom);
      const picked = await input.showQuickPick({
        title: TITLE,
        step: 1,
        totalSteps: totalSteps(),
        items,
        activeItem: items[0],
        placeholder: 'Datacenter to sign in at (Concur redirects to the user\'s own datacenter when needed)',
      });
      if (picked === custom) return enterCustomUrl;
      v.baseUrl = picked.baseUrl;
      return pickGrant;
    };

    const enterCustomUrl: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: TITLE,
        step: 1,
        totalSteps: totalSteps(),
        value: v.baseUrl && !DATACENTERS.some((d) => d.baseUrl === v.baseUrl) ? v.baseUrl : 'https://',
        prompt: 'Base URL of the Concur API host: https://…, or http:// for a server on this machine',
        validate: (text) => {
          const check = checkBaseUrl(text);
          return check.ok ? undefined : check.message;
        },
      });
      const check = checkBaseUrl(value);
      v.baseUrl = check.ok ? check.origin : value;
      return pickGrant;
    };

    const pickGrant: InputStep = async (input) => {
      const picked = await input.showQuickPick({
        title: TITLE,
        step: 2,
        totalSteps: totalSteps(),
        items: GRANTS,
        activeItem: GRANTS.find((g) => g.grant === v.grant),
        placeholder: 'Whom the token is for: a user, a company, or the app',
      });
      v.grant = picked.grant;
      return enterClientId;
    };

    const enterClientId: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: TITLE,
        step: 3,
        totalSteps: totalSteps(),
        value: v.clientId ?? '',
        prompt: 'Client id of your Concur app (a UUID, issued with the app)',
        placeholder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
        validate: (text) => validateUuid('client id', text),
      });
      v.clientId = value.trim();
      // Offered only for the host it was used with: a secret never goes to a host it was not meant for.
      storedSecret = v.baseUrl ? await this.sessions.storedClientSecret(v.clientId, v.baseUrl) : undefined;
      return storedSecret ? chooseSecret : enterClientSecret;
    };

    const chooseSecret: InputStep = async (input) => {
      const reuse = { label: '$(lock) Use the stored client secret', detail: `Kept in VS Code's secret storage for ${v.clientId} at ${hostOf(v.baseUrl ?? '')}` };
      const other = { label: '$(edit) Enter a different client secret' };
      const picked = await input.showQuickPick({ title: TITLE, step: 4, totalSteps: totalSteps(), items: [reuse, other], placeholder: 'Client secret' });
      if (picked === other) return enterClientSecret;
      v.clientSecret = storedSecret;
      return afterSecret();
    };

    const enterClientSecret: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: TITLE,
        step: 4,
        totalSteps: totalSteps(),
        value: '',
        password: true,
        prompt: 'Client secret of your Concur app (kept only in VS Code\'s secret storage)',
        validate: (text) => (text.trim() ? undefined : 'Enter the client secret.'),
      });
      v.clientSecret = value.trim();
      return afterSecret();
    };

    const afterSecret = (): InputStep | undefined => {
      if (v.grant === 'password') return enterUsername;
      if (v.grant === 'companyRequestToken') return enterCompanyId;
      return undefined;
    };

    const enterUsername: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: TITLE,
        step: 5,
        totalSteps: totalSteps(),
        value: v.username ?? '',
        prompt: 'Concur username (usually the user\'s e-mail address)',
        validate: (text) => (text.trim() ? undefined : 'Enter the username.'),
      });
      v.username = value.trim();
      return enterPassword;
    };

    const enterPassword: InputStep = async (input) => {
      v.password = await input.showInputBox({
        title: TITLE,
        step: 6,
        totalSteps: totalSteps(),
        value: '',
        password: true,
        prompt: `Concur password for ${v.username ?? 'the user'}`,
        validate: (text) => (text ? undefined : 'Enter the password.'),
      });
    };

    const enterCompanyId: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: TITLE,
        step: 5,
        totalSteps: totalSteps(),
        value: v.companyId ?? '',
        prompt: 'Company id (the company\'s UUID, shown where the request token is generated)',
        validate: (text) => validateUuid('company id', text),
      });
      v.companyId = value.trim();
      return enterRequestToken;
    };

    const enterRequestToken: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: TITLE,
        step: 6,
        totalSteps: totalSteps(),
        value: '',
        password: true,
        prompt: 'Company request token (valid for 24 hours after it is generated in Concur)',
        validate: (text) => (text.trim() ? undefined : 'Enter the request token.'),
      });
      v.requestToken = value.trim();
    };

    return (await MultiStepInput.run(pickDatacenter)) ? v : undefined;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isComplete(v: SignInArgs): boolean {
  if (!v.baseUrl || !v.grant || !v.clientId || !v.clientSecret) return false;
  if (v.grant === 'password') return Boolean(v.username && v.password);
  if (v.grant === 'companyRequestToken') return Boolean(v.companyId && v.requestToken);
  return true;
}

function toRequest(v: SignInArgs): SignInRequest {
  const check = checkBaseUrl(v.baseUrl ?? '');
  if (!check.ok) throw new RefusedTargetError(check.message);
  const base = { baseUrl: check.origin, clientId: (v.clientId ?? '').trim(), clientSecret: v.clientSecret ?? '' };
  switch (v.grant) {
    case 'password':
      return { ...base, grant: { kind: 'password', username: v.username ?? '', password: v.password ?? '', scope: v.scope } };
    case 'companyRequestToken':
      return { ...base, grant: { kind: 'companyRequestToken', companyId: v.companyId ?? '', requestToken: v.requestToken ?? '', scope: v.scope } };
    default:
      return { ...base, grant: { kind: 'clientCredentials', scope: v.scope } };
  }
}
