/** The sign-in commands: the guided flow, the browser, and the browser link again. */
import type * as vscode from 'vscode';
import { Command } from '../../platform/ids';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import type { SessionManager } from '../../sessions/sessionManager';
import type { BrowserSignIn } from './browserSignIn';
import { signInArgsFor, type SignInArgs, type SignInFlow } from './signIn';

export interface AuthCommandServices {
  readonly sessions: SessionManager;
  readonly signIn: SignInFlow;
  readonly browserSignIn: BrowserSignIn;
}

export function registerAuthCommands(registry: CommandRegistry, services: AuthCommandServices): vscode.Disposable[] {
  const { sessions } = services;
  return registry.register({
    [Command.signIn]: (args?: SignInArgs | { sessionId: string }) => {
      // From a signed-out session in the tree ("Sign In Again"): everything but the secrets prefilled.
      const from = args && 'sessionId' in args ? sessions.getSession(args.sessionId) : undefined;
      return services.signIn.run(from ? signInArgsFor(from) : isSignInArgs(args) ? args : {});
    },
    [Command.signInWithBrowser]: (args?: SignInArgs) =>
      services.signIn.run({ ...(isSignInArgs(args) ? args : {}), grant: 'authorizationCode' }, { lockGrant: true }),
    [Command.openSignInLink]: () => services.browserSignIn.openLinkAgain(),
    [Command.copySignInLink]: () => services.browserSignIn.copyLink(),
  });
}

function isSignInArgs(value: unknown): value is SignInArgs {
  return typeof value === 'object' && value !== null && !('sessionId' in value);
}
