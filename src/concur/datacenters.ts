/**
 * Concur's datacenters (base URIs), as its documentation lists them. Which URLs a secret may go to
 * is decided in resolver.ts, not here.
 */

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
  { id: 'usg', label: 'US public sector (usg)', baseUrl: 'https://usg.api.concursolutions.com' },
  { id: 'glz', label: 'Global landing zone (glz)', baseUrl: 'https://glz.api.concursolutions.com', detail: 'For company request tokens and the authorization grant' },
  { id: 'us-impl', label: 'US implementation (us-impl)', baseUrl: 'https://us-impl.api.concursolutions.com', detail: 'Implementation and test entities' },
  { id: 'emea-impl', label: 'EMEA implementation (emea-impl)', baseUrl: 'https://emea-impl.api.concursolutions.com', detail: 'Implementation and test entities' },
  { id: 'us', label: 'US, legacy (us)', baseUrl: 'https://us.api.concursolutions.com', detail: 'Older host used in most examples' },
  { id: 'emea', label: 'EMEA, legacy (emea)', baseUrl: 'https://emea.api.concursolutions.com', detail: 'Older host used in most examples' },
  { id: 'eu', label: 'EU, legacy (eu)', baseUrl: 'https://eu.api.concursolutions.com', detail: 'Same datacenter as EMEA' },
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
