/**
 * Concur's datacenters (base URIs), as its documentation lists them. Which URLs a secret may go to
 * is decided in resolver.ts, not here.
 */
import { l10n } from '../platform/l10n';

export interface Datacenter {
  readonly id: string;
  readonly label: string;
  readonly baseUrl: string;
  readonly detail?: string;
}

/**
 * The current list first, then the legacy hosts that nearly every example still uses. Password and
 * OTP grants go to the user's own datacenter; a wrong guess is answered with code 16 and the right
 * host, which the token client follows.
 */
export const DATACENTERS: readonly Datacenter[] = [
  { id: 'us2', label: 'US (us2)', baseUrl: 'https://us2.api.concursolutions.com' },
  { id: 'eu2', label: 'EMEA (eu2)', baseUrl: 'https://eu2.api.concursolutions.com' },
  { id: 'apj1', label: 'APJ (apj1)', baseUrl: 'https://apj1.api.concursolutions.com' },
  // Labels and details with words in them are read in the display language when they are shown.
  {
    id: 'usg',
    get label() {
      return l10n.t('US public sector (usg)');
    },
    baseUrl: 'https://usg.api.concursolutions.com',
  },
  {
    id: 'glz',
    get label() {
      return l10n.t('Global landing zone (glz)');
    },
    baseUrl: 'https://glz.api.concursolutions.com',
    get detail() {
      return l10n.t('For company request tokens and the authorization grant');
    },
  },
  {
    id: 'us-impl',
    get label() {
      return l10n.t('US implementation (us-impl)');
    },
    baseUrl: 'https://us-impl.api.concursolutions.com',
    get detail() {
      return l10n.t('Implementation and test entities');
    },
  },
  {
    id: 'emea-impl',
    get label() {
      return l10n.t('EMEA implementation (emea-impl)');
    },
    baseUrl: 'https://emea-impl.api.concursolutions.com',
    get detail() {
      return l10n.t('Implementation and test entities');
    },
  },
  {
    id: 'us',
    get label() {
      return l10n.t('US, legacy (us)');
    },
    baseUrl: 'https://us.api.concursolutions.com',
    get detail() {
      return l10n.t('Older host used in most examples');
    },
  },
  {
    id: 'emea',
    get label() {
      return l10n.t('EMEA, legacy (emea)');
    },
    baseUrl: 'https://emea.api.concursolutions.com',
    get detail() {
      return l10n.t('Older host used in most examples');
    },
  },
  {
    id: 'eu',
    get label() {
      return l10n.t('EU, legacy (eu)');
    },
    baseUrl: 'https://eu.api.concursolutions.com',
    get detail() {
      return l10n.t('Same datacenter as EMEA');
    },
  },
];

export function datacenterForOrigin(origin: string): Datacenter | undefined {
  return DATACENTERS.find((dc) => dc.baseUrl === origin);
}

/** A short name for a base URL: the datacenter's id for Concur's hosts, else host:port. */
export function describeOrigin(origin: string): string {
  const known = datacenterForOrigin(origin);
  if (known) return known.id;
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
