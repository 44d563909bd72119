/**
 * One error path for every command: cancellation is silent; an error the extension knows (Concur
 * refused, the network failed, a target was refused, the user is signed out…) shows its own message,
 * which says what to do; anything else says what failed and offers the log, where the details are.
 * Nothing escapes to VS Code's generic "command failed".
 */
import { CurlError } from '../../calls/curl';
import { ApiUsageError, ConcurError, describeError, isCancellation, NetworkError, ResponseFormatError } from '../errors';
import { RefusedTargetError } from '../resolver';
import { Command } from '../ids';
import type { Log } from './log';
import { SignedOutError } from '../../sessions/sessionManager';
import { StorageLockedError } from '../../sessions/sessionStore';
import { l10n } from '../l10n';
import type { Messages } from './messages';

/** A failure with a message written for the user; shown as it is. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

const KNOWN = [UserError, ConcurError, NetworkError, ResponseFormatError, RefusedTargetError, ApiUsageError, SignedOutError, StorageLockedError, CurlError];

export function isKnownError(error: unknown): boolean {
  return KNOWN.some((type) => error instanceof type);
}

export interface ErrorReporting {
  readonly log: Log;
  readonly messages: Messages;
  /** Runs a command by id (for "Sign In" on a signed-out error). */
  readonly execute: (command: string, ...args: unknown[]) => unknown;
}

/** Wraps a command handler so that whatever it throws reaches the user the right way. */
export function guarded<A extends unknown[], R>(title: string, handler: (...args: A) => R | Promise<R>, reporting: ErrorReporting): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      reportError(title, error, reporting);
      return undefined;
    }
  };
}

/** Tells the user about a failure of `what` (a command title or an action), the same way everywhere. */
export function reportError(what: string, error: unknown, { log, messages, execute }: ErrorReporting): void {
  if (isCancellation(error)) return;
  if (isKnownError(error)) {
    log.warn(`${what}: ${describeError(error)}`);
    if (error instanceof SignedOutError) {
      const sessionId = error.sessionId;
      const signIn = l10n.t('Sign In');
      void messages.error(describeError(error), signIn).then((choice) => choice === signIn && execute(Command.signIn, sessionId ? { sessionId } : undefined));
    } else {
      void messages.error(describeError(error));
    }
    return;
  }
  log.error(`${what} failed`, error);
  const showLog = l10n.t('Show Log');
  void messages.error(l10n.t('{0} failed: {1}', what, describeError(error)), showLog).then((choice) => choice === showLog && log.show());
}
