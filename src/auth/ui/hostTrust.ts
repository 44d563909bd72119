/**
 * The user's confirmation of a host outside the automatic trust rules: a sign-in at a proxy or
 * sandbox whose answer names another host as the user's datacenter. Asked in a modal dialog that
 * names the host and says what would go there, before anything does; a yes is remembered per
 * origin in globalState (which no workspace can write).
 */
import type * as vscode from 'vscode';
import { hostOf } from '../../platform/resolver';
import { l10n } from '../../platform/l10n';
import type { HostTrust } from '../../sessions/sessionManager';
import type { Messages } from '../../platform/ui/messages';

export const CONFIRMED_HOSTS_KEY = 'concur.confirmedHosts';

export class ConfirmedHosts implements HostTrust {
  constructor(
    private readonly globalState: vscode.Memento,
    private readonly messages: Messages,
  ) {}

  isConfirmed(origin: string): boolean {
    return this.list().includes(origin);
  }

  async confirm(origin: string, context: { readonly baseUrl: string }): Promise<boolean> {
    const host = hostOf(origin);
    const trust = l10n.t('Trust {0}', host);
    const choice = await this.messages.ask(
      l10n.t('{0} says this account\'s Concur data lives at {1}. Send your Concur credentials and tokens to {1}?', hostOf(context.baseUrl), host),
      l10n.t(
        'If you go on, the client secret, this sign-in\'s credentials, and later the access and refresh tokens are sent to {0}. Trust it only if it is your own proxy or sandbox. Concur\'s own hosts (*.api.concursolutions.com) never need this.',
        origin,
      ),
      trust,
    );
    if (choice !== trust) return false;
    await this.globalState.update(CONFIRMED_HOSTS_KEY, [...this.list(), origin]);
    return true;
  }

  private list(): string[] {
    const value = this.globalState.get<unknown>(CONFIRMED_HOSTS_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}
