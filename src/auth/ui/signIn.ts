/**
 * "Concur: Sign In": datacenter → grant → client id → client secret → credentials, then a
 * cancellable progress notification while Concur is asked for tokens. Everything but the
 * credentials is remembered (globalState) to prefill the next sign-in; secrets never are.
 */
import * as vscode from 'vscode';
import { scopeParameter, type GrantKind } from '../tokenClient';
import { DATACENTERS, describeOrigin } from '../datacenters';
import { ConcurError, describeError, isCancellation } from '../../platform/errors';
import { checkBaseUrl, hostOf, isUrlSchemePrefix, RefusedTargetError } from '../../platform/resolver';
import type { Log } from '../../platform/ui/log';
import type { SessionManager, SignInRequest } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import type { BrowserSignIn } from './browserSignIn';
import { MultiStepInput, type InputStep } from '../../platform/ui/multiStepInput';
import type { ConfiguredDatacenter } from '../../platform/ui/settings';
import { stepOf, type SignInPath, type SignInStep } from '../signInSteps';

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
  /** The e-mail address a one-time password is sent to. */
  email?: string;
  /**
   * Custom fields sent with the one-time-password request and again with the token request, as
   * Concur requires (their names may not be those of the requests' own parameters).
   */
  otpFields?: Record<string, string>;
  /**
   * Scopes to ask for (space- or comma-separated), within the app's own; without them, the
   * concur.signIn.scopes setting's, and with neither, none is sent and Concur grants the app's scopes.
   */
  scope?: string;
}

/** Codes typed for one e-mailed one-time password before the sign-in fails. */
const MAX_OTP_ATTEMPTS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a client id or company id as typed: undefined when it is a UUID, else what to type. */
export function validateUuid(what: 'clientId' | 'companyId', value: string): string | undefined {
  const v = value.trim();
  if (what === 'clientId') {
    if (!v) return vscode.l10n.t('Enter the client id.');
    if (!UUID.test(v)) return vscode.l10n.t('The client id is a UUID, such as 2f3a6c2e-8b1d-4c57-9a0e-5d7f1b2c3d4e.');
  } else {
    if (!v) return vscode.l10n.t('Enter the company id.');
    if (!UUID.test(v)) return vscode.l10n.t('The company id is a UUID, such as 2f3a6c2e-8b1d-4c57-9a0e-5d7f1b2c3d4e.');
  }
  return undefined;
}


interface DatacenterItem extends vscode.QuickPickItem {
  baseUrl?: string;
}

interface GrantItem extends vscode.QuickPickItem {
  grant: GrantKind;
}

function grantItems(): GrantItem[] {
  return [
    {
      grant: 'password',
      label: vscode.l10n.t('$(person) Password'),
      description: vscode.l10n.t('a user'),
      detail: vscode.l10n.t('Username and password of a Concur user (the password grant).'),
    },
    {
      grant: 'authorizationCode',
      label: vscode.l10n.t('$(globe) Browser'),
      description: vscode.l10n.t('a user, with single sign-on'),
      detail: vscode.l10n.t('Sign in on Concur\'s own page in your browser, with single sign-on or a password (the authorization-code grant).'),
    },
    {
      grant: 'otp',
      label: vscode.l10n.t('$(mail) One-time password'),
      description: vscode.l10n.t('a user, by e-mail'),
      detail: vscode.l10n.t('Concur e-mails a code to the user; no password needed (the one-time-password grant).'),
    },
    {
      grant: 'companyRequestToken',
      label: vscode.l10n.t('$(organization) Company request token'),
      description: vscode.l10n.t('a company'),
      detail: vscode.l10n.t('Company id and the 24-hour request token generated in Concur (password grant with credtype=authtoken).'),
    },
    {
      grant: 'clientCredentials',
      label: vscode.l10n.t('$(key) Client credentials'),
      description: vscode.l10n.t('the app itself'),
      detail: vscode.l10n.t('An app token: no user, no refresh token, one hour.'),
    },
  ];
}

export class SignInFlow {
  constructor(
    private readonly sessions: SessionManager,
    private readonly log: Log,
    private readonly messages: Messages,
    private readonly configuredDatacenters: () => ConfiguredDatacenter[],
    private readonly browser: BrowserSignIn,
    /** The concur.signIn.scopes setting: the scopes to ask for when the caller names none. */
    private readonly settingScopes: () => readonly string[] = () => [],
  ) {}

  /**
   * Runs the flow; resolves with the new session, or undefined when the user cancels. On failure
   * the user may try again with every value kept except the password (or request token).
   */
  async run(args: SignInArgs = {}, options: { readonly lockGrant?: boolean } = {}): Promise<Session | undefined> {
    const defaults = this.sessions.signInDefaults();
    let values: SignInArgs = {
      baseUrl: defaults.baseUrl,
      grant: defaults.grant,
      clientId: defaults.clientId,
      username: defaults.username,
      companyId: defaults.companyId,
      ...stripUndefined(args),
    };
    // The scopes asked for: the caller's (a command argument, or an extension through VS Code's
    // authentication API), else the setting's. With none, no scope is sent and Concur grants the
    // app's own scopes: any fixed default would either narrow the token below what the app may call
    // (openid alone leaves every API at 403) or name a scope some app lacks, which Concur refuses
    // with code 54 — and the app's scopes are not known before sign-in.
    // Sign In with Browser asks in its last step, prefilled with the setting's scopes or those of the
    // last browser sign-in: the authorize request is where the user consents to them.
    const askedScope = scopeParameter(args.scope);
    const scopeFromSetting = askedScope ? undefined : scopeParameter(this.settingScopes());
    values.scope = askedScope ?? scopeFromSetting;
    const lastAuthorizeScope = defaults.authorizeScope;
    let askAll = !isComplete(values);
    for (;;) {
      if (askAll) {
        const answered = await this.ask(values, options.lockGrant === true, { askScopes: askedScope === undefined, lastAuthorizeScope });
        if (!answered) return undefined;
        values = answered;
      }
      try {
        const session = await this.signInWith(values);
        if (!session) return undefined;
        void this.messages.info(vscode.l10n.t('Signed in to Concur as {0} (datacenter {1}).', session.label, describeOrigin(session.geolocation)));
        return session;
      } catch (error) {
        this.log.error(`Sign-in at ${values.baseUrl ?? '(no base URL)'} failed`, error);
        const retry = vscode.l10n.t('Try Again');
        const showLog = vscode.l10n.t('Show Log');
        // Concur's code 54 (a scope beyond the app's): name the scopes asked for and where they came from.
        const scopes =
          error instanceof ConcurError && error.code === 54 && values.scope
            ? ` ${scopeFromSetting && values.scope === scopeFromSetting ? vscode.l10n.t('Scopes asked for: {0} (setting concur.signIn.scopes).', values.scope) : vscode.l10n.t('Scopes asked for: {0}.', values.scope)}`
            : '';
        const choice = await this.messages.error(`${vscode.l10n.t('Could not sign in to Concur: {0}', describeError(error))}${scopes}`, retry, showLog);
        if (choice === showLog) this.log.show();
        if (choice !== retry) return undefined;
        // Keep everything but the secret the user typed last, which is the usual culprit.
        values = { ...values, password: undefined, requestToken: undefined };
        askAll = true;
      }
    }
  }

  /** Asks for the code Concur e-mailed; tests replace it to read the code from the local Concur server. */
  askOtp: (email: string, problem?: string) => Thenable<string | undefined> = (email, problem) =>
    vscode.window.showInputBox({
      title: grantTitle('otp'),
      prompt: problem ? vscode.l10n.t('{0} The one-time password Concur e-mailed to {1}', problem, email) : vscode.l10n.t('The one-time password Concur e-mailed to {0}', email),
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter the code from the e-mail.')),
    });

  /** Signs in with what was asked, the way the grant needs; undefined when the user cancels. */
  private async signInWith(values: SignInArgs): Promise<Session | undefined> {
    if (values.grant === 'authorizationCode') return this.browser.signIn({ ...appAt(values), scope: values.scope });
    if (values.grant === 'otp') return this.signInWithOtp(appAt(values), (values.email ?? '').trim(), checkOtpFields(values.otpFields), values.scope);
    const request = toRequest(values);
    return this.withProgress(vscode.l10n.t('Signing in to Concur at {0}…', describeOrigin(request.baseUrl)), (signal) => this.sessions.signIn(request, signal));
  }

  /** Sends the one-time password, says so, asks for the code, and signs in where it was sent from. */
  private async signInWithOtp(app: AppAt, email: string, customFields: Record<string, string> | undefined, scope: string | undefined): Promise<Session | undefined> {
    const sent = await this.withProgress(vscode.l10n.t('Asking Concur to e-mail a one-time password to {0}…', email), (signal) => this.sessions.requestOtp({ ...app, email, customFields }, signal));
    if (!sent) return undefined;
    void this.messages.info(vscode.l10n.t('Concur sent a one-time password to {0}. Enter it to sign in.', email));
    // A mistyped code is asked for again, without sending another e-mail (Concur limits open codes).
    let problem: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const otp = await this.askOtp(email, problem);
      if (!otp?.trim()) return undefined;
      const request: SignInRequest = { ...app, grant: { kind: 'otp', email, otp: otp.trim(), customFields, scope }, tokenOrigin: sent.origin };
      try {
        return await this.withProgress(vscode.l10n.t('Signing in to Concur at {0}…', describeOrigin(sent.origin)), (signal) => this.sessions.signIn(request, signal));
      } catch (error) {
        if (!(error instanceof ConcurError && error.code === 85) || attempt >= MAX_OTP_ATTEMPTS) throw error;
        problem = error.message;
      }
    }
  }

  private async withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        return await task(abort.signal);
      } catch (error) {
        if (isCancellation(error) || token.isCancellationRequested) return undefined;
        throw error;
      } finally {
        subscription.dispose();
      }
    });
  }

  /** The quick input steps; undefined when the user cancels. */
  private async ask(initial: SignInArgs, lockGrant: boolean, scopes: { readonly askScopes: boolean; readonly lastAuthorizeScope?: string }): Promise<SignInArgs | undefined> {
    const v: SignInArgs = { ...initial };
    const askScopes = scopes.askScopes;
    const askGrant = !(lockGrant && v.grant);
    // The path so far: what decides how many steps there are (see signInSteps.ts).
    let customUrl = false;
    let customValue: string | undefined;
    let secret: SignInPath['secret'] = 'enter';
    const path = (over: Partial<SignInPath> = {}): SignInPath => ({ customUrl, askGrant, grant: v.grant, secret, askScopes, ...over });
    const at = (step: SignInStep, over?: Partial<SignInPath>): { step: number; totalSteps: number } => stepOf(path(over), step);
    // Named for what was chosen: Sign In with Browser from its first step, Sign In once its grant is picked.
    const firstTitle = (): string => (askGrant ? vscode.l10n.t('Sign In to Concur') : grantTitle(v.grant));
    const title = (): string => grantTitle(v.grant);
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
      if (v.baseUrl) {
        // Named as in the list below (which then leaves it out), so that typing its name finds it.
        const name = configured.find((dc) => dc.baseUrl === v.baseUrl)?.label ?? DATACENTERS.find((dc) => dc.baseUrl === v.baseUrl)?.label ?? describeOrigin(v.baseUrl);
        add({ label: `$(history) ${name}`, description: v.baseUrl, detail: vscode.l10n.t('Used last time'), baseUrl: v.baseUrl });
      }
      // Named with their host, and said to come from the user's settings, so that none passes for one of Concur's.
      for (const dc of configured) add({ label: `$(server) ${dc.label}`, description: hostOf(dc.baseUrl), detail: vscode.l10n.t('From your concur.datacenters setting: {0}', dc.baseUrl), baseUrl: dc.baseUrl });
      if (configured.length) items.push({ label: vscode.l10n.t('Concur datacenters'), kind: vscode.QuickPickItemKind.Separator });
      for (const dc of DATACENTERS) add({ label: dc.label, description: dc.baseUrl, detail: dc.detail, baseUrl: dc.baseUrl });
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
      const custom: DatacenterItem = { label: vscode.l10n.t('$(edit) Custom base URL…'), detail: vscode.l10n.t('A proxy, a sandbox or a local server (http:// only on this machine)') };
      items.push(custom);
      const picked = await input.showQuickPick({
        title: firstTitle(),
        step: 1,
        // Custom base URL… is one more step: the count follows the highlighted entry.
        totalSteps: (active) => at('datacenter', { customUrl: active === custom }).totalSteps,
        items,
        // Back from the Custom base URL box comes back to its entry.
        activeItem: customUrl ? custom : items[0],
        placeholder: vscode.l10n.t('Datacenter to sign in at (Concur redirects to the user\'s own datacenter when needed)'),
      });
      customUrl = picked === custom;
      if (customUrl) return enterCustomUrl;
      v.baseUrl = picked.baseUrl;
      return askGrant ? pickGrant : enterClientId;
    };

    const enterCustomUrl: InputStep = async (input) => {
      const listed = DATACENTERS.some((d) => d.baseUrl === v.baseUrl) || this.configuredDatacenters().some((d) => d.baseUrl === v.baseUrl);
      const value = await input.showInputBox({
        title: firstTitle(),
        ...at('customUrl'),
        // What was typed here before (Back keeps it), a base URL of no list, or empty — not "https://":
        // nothing typed is nothing wrong (the prompt and placeholder say what to type).
        value: customValue ?? (v.baseUrl && !listed ? v.baseUrl : ''),
        placeholder: 'https://concur-proxy.example.com',
        prompt: vscode.l10n.t('Base URL of the Concur API host: https://…, or http:// for a server on this machine'),
        validate: validateBaseUrl,
      });
      customValue = value;
      const check = checkBaseUrl(value);
      v.baseUrl = check.ok ? check.origin : value;
      return askGrant ? pickGrant : enterClientId;
    };

    const pickGrant: InputStep = async (input) => {
      const grants = grantItems();
      const picked = await input.showQuickPick({
        title: vscode.l10n.t('Sign In to Concur'),
        ...at('grant'),
        // What follows depends on the grant: the count follows the highlighted one.
        totalSteps: (active) => at('grant', { grant: active?.grant ?? v.grant }).totalSteps,
        items: grants,
        activeItem: grants.find((g) => g.grant === v.grant),
        placeholder: vscode.l10n.t('Whom the token is for: a user, a company, or the app'),
      });
      v.grant = picked.grant;
      return enterClientId;
    };

    const enterClientId: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('clientId'),
        value: v.clientId ?? '',
        prompt: vscode.l10n.t('Client id of your Concur app (a UUID, issued with the app)'),
        placeholder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
        validate: (text) => validateUuid('clientId', text),
      });
      v.clientId = value.trim();
      // Offered only for the host it was used with: a secret never goes to a host it was not meant for.
      storedSecret = v.baseUrl ? await this.sessions.storedClientSecret(v.clientId, v.baseUrl) : undefined;
      if (!storedSecret) secret = 'enter';
      else if (secret === 'enter') secret = 'stored';
      return storedSecret ? chooseSecret : enterClientSecret;
    };

    const chooseSecret: InputStep = async (input) => {
      const reuse = {
        label: vscode.l10n.t('$(lock) Use the stored client secret'),
        detail: vscode.l10n.t('Kept in VS Code\'s secret storage for {0} at {1}', v.clientId ?? '', hostOf(v.baseUrl ?? '')),
      };
      const other = { label: vscode.l10n.t('$(edit) Enter a different client secret') };
      const picked = await input.showQuickPick({
        title: title(),
        ...at('storedSecret'),
        // Typing another secret is one more step.
        totalSteps: (active) => at('storedSecret', { secret: active === other ? 'other' : 'stored' }).totalSteps,
        items: [reuse, other],
        activeItem: secret === 'other' ? other : reuse,
        placeholder: vscode.l10n.t('Client secret'),
      });
      secret = picked === other ? 'other' : 'stored';
      if (picked === other) return enterClientSecret;
      v.clientSecret = storedSecret;
      return afterSecret();
    };

    const enterClientSecret: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('clientSecret'),
        value: '',
        password: true,
        prompt: vscode.l10n.t('Client secret of your Concur app (kept only in VS Code\'s secret storage)'),
        validate: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter the client secret.')),
      });
      v.clientSecret = value.trim();
      return afterSecret();
    };

    const afterSecret = (): InputStep | undefined => {
      if (v.grant === 'password') return enterUsername;
      if (v.grant === 'companyRequestToken') return enterCompanyId;
      if (v.grant === 'otp') return enterEmail;
      if (v.grant === 'authorizationCode' && askScopes) return enterScopes;
      return undefined;
    };

    const enterScopes: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('scopes'),
        value: v.scope ?? scopes.lastAuthorizeScope ?? '',
        prompt: vscode.l10n.t('Scopes to ask Concur for, separated by spaces, as your app lists them in App Management. Left empty, none is asked for and Concur grants all of the app\'s scopes.'),
        placeholder: 'openid user.read expense.report.read',
        validate: (text) => {
          const names = scopeParameter(text);
          // Says what goes in the authorize request; nothing here blocks.
          return {
            message: names ? vscode.l10n.t('Asks Concur for: {0}', names) : vscode.l10n.t('Asks for no scope: Concur grants all of your app\'s scopes.'),
            severity: vscode.InputBoxValidationSeverity.Info,
          };
        },
      });
      v.scope = scopeParameter(value);
    };

    const enterEmail: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('email'),
        value: v.email ?? v.username ?? '',
        prompt: vscode.l10n.t('E-mail address of the Concur user: Concur sends the one-time password there'),
        validate: (text) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim()) ? undefined : vscode.l10n.t('Enter an e-mail address, such as pat@example.com.')),
      });
      v.email = value.trim();
    };

    const enterUsername: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('username'),
        value: v.username ?? '',
        prompt: vscode.l10n.t('Concur username (usually the user\'s e-mail address)'),
        validate: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter the username.')),
      });
      v.username = value.trim();
      return enterPassword;
    };

    const enterPassword: InputStep = async (input) => {
      v.password = await input.showInputBox({
        title: title(),
        ...at('password'),
        value: '',
        password: true,
        prompt: v.username ? vscode.l10n.t('Concur password for {0}', v.username) : vscode.l10n.t('Concur password for the user'),
        validate: (text) => (text ? undefined : vscode.l10n.t('Enter the password.')),
      });
    };

    const enterCompanyId: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('companyId'),
        value: v.companyId ?? '',
        prompt: vscode.l10n.t('Company id (the company\'s UUID, shown where the request token is generated)'),
        validate: (text) => validateUuid('companyId', text),
      });
      v.companyId = value.trim();
      return enterRequestToken;
    };

    const enterRequestToken: InputStep = async (input) => {
      const value = await input.showInputBox({
        title: title(),
        ...at('requestToken'),
        value: '',
        password: true,
        prompt: vscode.l10n.t(
          'Company request token. A company request token lasts 24 hours. A Concur administrator generates it for this app in Concur: Administration → Company → Authentication Admin → Company Request Token.',
        ),
        validate: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter the request token.')),
      });
      v.requestToken = value.trim();
    };

    return (await MultiStepInput.run(pickDatacenter)) ? v : undefined;
  }
}

/** The sign-in flow's title once the grant is known: it names what the user chose. */
export function grantTitle(grant: GrantKind | undefined): string {
  switch (grant) {
    case 'password':
      return vscode.l10n.t('Sign In with Password');
    case 'authorizationCode':
      return vscode.l10n.t('Sign In with Browser');
    case 'otp':
      return vscode.l10n.t('Sign In with One-Time Password');
    case 'companyRequestToken':
      return vscode.l10n.t('Sign In with Company Request Token');
    case 'clientCredentials':
      return vscode.l10n.t('Sign In with Client Credentials');
    default:
      return vscode.l10n.t('Sign In to Concur');
  }
}

/**
 * What the Custom base URL box says as the user types: a hint while nothing but (the start of) a
 * scheme is there, an error for what cannot be a base URL, and where the sign-in goes for one that
 * can. Accepting the box without an address is refused with what to type.
 */
export function validateBaseUrl(text: string, accepting: boolean): string | vscode.InputBoxValidationMessage | undefined {
  const typed = text.trim();
  if (isUrlSchemePrefix(typed)) {
    return accepting
      ? vscode.l10n.t('Enter the base URL, such as https://us2.api.concursolutions.com, or http://localhost:8080 for a server on this machine.')
      : { message: vscode.l10n.t('Type the base URL, such as https://us2.api.concursolutions.com, or http://localhost:8080 for a server on this machine.'), severity: vscode.InputBoxValidationSeverity.Info };
  }
  const check = checkBaseUrl(typed);
  if (!check.ok) return check.message;
  // Only the origin is kept (Concur's paths start at the host): a path typed with it is said to be left out.
  const url = new URL(typed);
  const rest = `${url.pathname === '/' ? '' : url.pathname}${url.search}${url.hash}`;
  return {
    message: rest ? vscode.l10n.t('Signs in at {0} (without {1}: Concur\'s paths start at the host)', check.origin, rest) : vscode.l10n.t('Signs in at {0}', check.origin),
    severity: vscode.InputBoxValidationSeverity.Info,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Custom one-time-password fields, as a command argument may carry them: a few short name/value
 * strings, or a clear refusal. (Names the requests use themselves are refused by the token client.)
 */
export function checkOtpFields(fields: unknown): Record<string, string> | undefined {
  if (fields === undefined || fields === null) return undefined;
  const refuse = (message: string): never => {
    throw new UserError(message);
  };
  if (typeof fields !== 'object' || Array.isArray(fields)) {
    return refuse(vscode.l10n.t('The one-time-password fields are refused: they are not an object. Pass an object of at most 20 short text values, such as { "purpose": "vscode" }.'));
  }
  const entries = Object.entries(fields as Record<string, unknown>);
  if (entries.length > 20) refuse(vscode.l10n.t('The one-time-password fields are refused: there are more than 20. Pass an object of at most 20 short text values, such as { "purpose": "vscode" }.'));
  for (const [name, value] of entries) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
      refuse(vscode.l10n.t('The one-time-password fields are refused: a name is not 1 to 64 letters, digits, "_", "." or "-". Pass an object of at most 20 short text values, such as { "purpose": "vscode" }.'));
    }
    if (typeof value !== 'string' || value.length > 1024) {
      refuse(
        vscode.l10n.t(
          'The one-time-password fields are refused: the value of {0} is not a text of at most 1024 characters. Pass an object of at most 20 short text values, such as { "purpose": "vscode" }.',
          name,
        ),
      );
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function isComplete(v: SignInArgs): boolean {
  if (!v.baseUrl || !v.grant || !v.clientId || !v.clientSecret) return false;
  if (v.grant === 'password') return Boolean(v.username && v.password);
  if (v.grant === 'companyRequestToken') return Boolean(v.companyId && v.requestToken);
  if (v.grant === 'otp') return Boolean(v.email);
  return true;
}

/** The app and where it signs in: what every grant sends. */
type AppAt = Pick<SignInRequest, 'baseUrl' | 'clientId' | 'clientSecret'>;

function appAt(v: SignInArgs): AppAt {
  const check = checkBaseUrl(v.baseUrl ?? '');
  if (!check.ok) throw new RefusedTargetError(check.message);
  return { baseUrl: check.origin, clientId: (v.clientId ?? '').trim(), clientSecret: v.clientSecret ?? '' };
}

/** The request of a grant whose credentials are all at hand (not the browser's, not the one-time password's). */
function toRequest(v: SignInArgs): SignInRequest {
  const base = appAt(v);
  switch (v.grant) {
    case 'password':
      return { ...base, grant: { kind: 'password', username: v.username ?? '', password: v.password ?? '', scope: v.scope } };
    case 'companyRequestToken':
      return { ...base, grant: { kind: 'companyRequestToken', companyId: v.companyId ?? '', requestToken: v.requestToken ?? '', scope: v.scope } };
    default:
      return { ...base, grant: { kind: 'clientCredentials', scope: v.scope } };
  }
}

/** Everything needed to sign in again as the same account, except the secrets. */
export function signInArgsFor(session: Session): SignInArgs {
  return {
    baseUrl: session.baseUrl,
    grant: session.grant,
    clientId: session.clientId,
    username: session.grant === 'otp' ? undefined : session.username,
    email: session.grant === 'otp' ? session.username : undefined,
    companyId: session.companyId,
  };
}
