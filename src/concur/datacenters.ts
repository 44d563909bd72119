/**
 * Concur's datacenters (base URIs) and the rules for URLs the extension will send secrets to.
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

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

export type UrlCheck = { ok: true; origin: string; url: URL } | { ok: false; message: string };

/**
 * Checks a URL the extension would send credentials or tokens to: https anywhere, plain http only
 * on this machine (a local mock server or a debugging proxy). TLS certificates are always verified.
 */
export function checkUrl(raw: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: `"${raw.trim()}" is not a URL. Enter an address such as https://us2.api.concursolutions.com.` };
  }
  if (url.protocol === 'https:') return { ok: true, origin: url.origin, url };
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return { ok: true, origin: url.origin, url };
    return {
      ok: false,
      message: `Plain http:// is only allowed for this machine (localhost, 127.x.x.x, [::1]); ${url.host} must use https://.`,
    };
  }
  return { ok: false, message: `${url.protocol} URLs are not supported; use https://.` };
}

/** The origin of a base URL or of a `geolocation` (one Concur doc shows it with a path). */
export function toOrigin(raw: string): string {
  const check = checkUrl(raw);
  if (!check.ok) throw new InsecureUrlError(check.message);
  return check.origin;
}

export class InsecureUrlError extends Error {
  override readonly name = 'InsecureUrlError';
}
