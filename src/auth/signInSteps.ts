/**
 * The steps of "Concur: Sign In" and "Concur: Sign In with Browser" for the path the user is on, so
 * that every step's "n/m" is its real position and m the real number of steps. The path changes as
 * the user answers: a custom base URL is one more step, the grant decides what follows the client
 * secret, and a stored secret that the user chooses not to reuse adds the box to type another.
 * No `vscode` here: the unit tests count the steps of every path.
 */
import type { GrantKind } from './tokenClient';

export type SignInStep =
  | 'datacenter'
  | 'customUrl'
  | 'grant'
  | 'clientId'
  | 'storedSecret'
  | 'clientSecret'
  | 'username'
  | 'password'
  | 'companyId'
  | 'requestToken'
  | 'email'
  | 'scopes';

export interface SignInPath {
  /** The base URL is typed in the Custom base URL… box after the datacenter step. */
  readonly customUrl: boolean;
  /** The grant is asked for (not in Sign In with Browser, whose grant is set). */
  readonly askGrant: boolean;
  /** The grant chosen, or about to be (the highlighted one); undefined counts as the first offered, Password. */
  readonly grant?: GrantKind;
  /**
   * The client secret: typed (`enter`), the stored one reused (`stored`), or another typed after
   * declining the stored one (`other`).
   */
  readonly secret: 'enter' | 'stored' | 'other';
  /**
   * The scopes the authorize request asks for are typed in a last step (Sign In with Browser, unless
   * the caller named the scopes). Unset counts as asked for the browser grant.
   */
  readonly askScopes?: boolean;
}

/** What the grant asks after the client secret. */
function grantSteps(grant: GrantKind | undefined, askScopes: boolean): SignInStep[] {
  switch (grant ?? 'password') {
    case 'password':
      return ['username', 'password'];
    case 'companyRequestToken':
      return ['companyId', 'requestToken'];
    case 'otp':
      return ['email'];
    case 'authorizationCode':
      // The scopes go in the authorize request, where the user consents to them.
      return askScopes ? ['scopes'] : [];
    default:
      // Client credentials need nothing more than the app's id and secret.
      return [];
  }
}

/** Every step of the path, in order. */
export function signInSteps(path: SignInPath): SignInStep[] {
  return [
    'datacenter',
    ...(path.customUrl ? (['customUrl'] as const) : []),
    ...(path.askGrant ? (['grant'] as const) : []),
    'clientId',
    ...(path.secret === 'enter' ? (['clientSecret'] as const) : path.secret === 'stored' ? (['storedSecret'] as const) : (['storedSecret', 'clientSecret'] as const)),
    ...grantSteps(path.grant, path.askScopes ?? true),
  ];
}

/** A step's position on the path (1-based) and the number of steps; a step not on the path counts as one more at the end. */
export function stepOf(path: SignInPath, step: SignInStep): { step: number; totalSteps: number } {
  const steps = signInSteps(path);
  const index = steps.indexOf(step);
  return index >= 0 ? { step: index + 1, totalSteps: steps.length } : { step: steps.length + 1, totalSteps: steps.length + 1 };
}
