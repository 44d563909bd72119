/** The fixed cast of the mock: company, client apps, demo users and Concur's token error catalogue. */
import type { DatacenterId, DemoApp } from './types';

export const DATACENTER_NAMES: Record<DatacenterId, string> = { landing: 'glz', geo: 'us2' };

export const COMPANY = {
  id: '4f5a3c2e-8b1d-4e6f-9a7c-2d3e4f5a6b7c',
  name: 'Globex Demo Corporation',
  domain: 'globex.example',
  home: 'geo' as DatacenterId,
} as const;

/** Every company user signs in with this password (demo users included). */
export const DEMO_PASSWORD = 'Concur-Demo-1';

export const SCOPES = {
  identity: ['identity.user.core.read', 'identity.user.enterprise.read', 'identity.user.coresensitive.read', 'identity.user.ids.read'],
  identityV41: ['identity.user.core.read', 'identity.user.enterprise.read', 'identity.user.coresensitive.read', 'identity.user.ids.read', 'identity.user.sap.read'],
  all: [
    'openid',
    'user.read',
    'EXPRPT',
    'expense.report.read',
    'spend.list.read',
    'spend.listitem.read',
    'spend.user.general.read',
    'receipts.read',
    'locality.read',
    'identity.user.core.read',
    'identity.user.enterprise.read',
    // The write endpoints' scopes (and the reads that came with them).
    'expense.report.readwrite',
    'expense.report.workflowstatus.write',
    'expense.exchangerate.writeonly',
    'ATTEND',
    'identity.user.coreenterprise.writeonly',
    'identity.user.delete',
    'user.provision.read',
    'user.provision.write',
    'spend.user.general.writeonly',
    'spend.list.write',
    'spend.listitem.write',
    'spend.listitem.delete',
    'receipts.write',
    'travelrequest.write',
    'travelrequest.externalsystemworkflow.write',
    'cashadvance.read',
    'cashadvance.write',
    'quickexpense.writeonly',
    'travel.itinerary.read',
    'INVPMT',
    'INVVEN',
    'INVPO',
    'budgetitem.read',
    'budgetitem.write',
    'FISVC',
  ],
} as const;

export const GRANTS = ['password', 'refresh_token', 'client_credentials', 'authorization_code', 'otp'] as const;

export const APPS: readonly DemoApp[] = [
  {
    key: 'main',
    name: 'Concur API Explorer Demo',
    clientId: '6f1c3a52-9d4e-4b7a-8e21-3c5d7f9a1b24',
    clientSecret: 'e8b7d6c5-4a3f-4e2d-9c1b-0a9f8e7d6c5b',
    scopes: [...SCOPES.all],
    grants: [...GRANTS],
    refreshAllowed: true,
    enabled: true,
    description: 'every grant, every scope',
  },
  {
    key: 'limited',
    name: 'Limited Scopes App',
    clientId: '2b7e9c41-5f3a-4d86-b1e0-7a4c9d2e6f83',
    clientSecret: '9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f',
    scopes: ['openid', 'user.read'],
    grants: ['password', 'refresh_token', 'authorization_code'],
    refreshAllowed: true,
    enabled: true,
    description: 'scopes openid user.read only: asking for more gives code 54, other APIs answer 403',
  },
  {
    key: 'noRefresh',
    name: 'No Refresh App',
    clientId: '8d3f1a6c-2e9b-4c57-a4d0-5b8e1f3c7a92',
    clientSecret: '3a2b1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9',
    scopes: [...SCOPES.all],
    grants: ['password', 'refresh_token'],
    refreshAllowed: false,
    enabled: true,
    description: 'gets refresh tokens but may not use them: refresh gives code 107',
  },
  {
    key: 'disabled',
    name: 'Disabled App',
    clientId: '5e9a2c7d-1b4f-4a83-9d6e-0c2f8b5a3e71',
    clientSecret: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2f10',
    scopes: [...SCOPES.all],
    grants: [...GRANTS],
    refreshAllowed: true,
    enabled: false,
    description: 'disabled client: every grant gives code 59 (403 access_denied)',
  },
];

export const APPS_BY_ID: ReadonlyMap<string, DemoApp> = new Map(APPS.map((a) => [a.clientId, a]));
export const MAIN_APP = APPS[0];

/** How a password sign-in of a special demo user ends. */
export interface SignInOutcome {
  code: number;
  /** The error body carries `code` as a string, as some Concur deployments send it. */
  codeAsString?: boolean;
}

export interface DemoUserSeed {
  local: string;
  id: string;
  givenName: string;
  familyName: string;
  title: string;
  home: DatacenterId;
  behaviour: string;
  outcome?: SignInOutcome;
  ssoOnly?: boolean;
}

/** The first company users; the rest of the company is generated. */
export const DEMO_USERS: readonly DemoUserSeed[] = [
  { local: 'demo.traveler', id: 'c1a5e8f2-3b7d-4e9a-8f1c-6d2b4a7e9c35', givenName: 'Dana', familyName: 'Traveler', title: 'Senior Consultant', home: 'geo', behaviour: 'signs in; lives at the home datacenter (code 16 at the landing one); owns 60 reports and approves for 8 direct reports' },
  { local: 'glz.resident', id: '0b9d2f4e-6a1c-4d8b-9e3f-5c7a1b3d5e79', givenName: 'Gale', familyName: 'Resident', title: 'Analyst', home: 'landing', behaviour: 'signs in; lives at the landing datacenter (code 16 at the home one)' },
  { local: 'disabled', id: '1d3f5a7c-9e2b-4c6d-8f1a-3b5d7f9a2c4e', givenName: 'Dale', familyName: 'Disabled', title: 'Analyst', home: 'geo', behaviour: 'account disabled', outcome: { code: 10 } },
  { local: 'deactivated', id: '2e4a6c8e-1f3b-4d5f-9a2c-4e6a8c1e3f5b', givenName: 'Dee', familyName: 'Activated', title: 'Analyst', home: 'geo', behaviour: 'account disabled (company side)', outcome: { code: 11 } },
  { local: 'logon.denied', id: '3f5b7d9f-2a4c-4e6a-8b3d-5f7b9d2f4a6c', givenName: 'Denis', familyName: 'Logon', title: 'Analyst', home: 'geo', behaviour: 'logon denied', outcome: { code: 12 } },
  { local: 'logon.denied.policy', id: '4a6c8e1a-3b5d-4f7b-9c4e-6a8c1e3a5b7d', givenName: 'Polly', familyName: 'Denied', title: 'Analyst', home: 'geo', behaviour: 'logon denied by policy', outcome: { code: 13 } },
  { local: 'locked', id: '5b7d9f2b-4c6e-4a8c-8d5f-7b9d2f4b6c8e', givenName: 'Lock', familyName: 'Smith', title: 'Analyst', home: 'geo', behaviour: 'account locked', outcome: { code: 14 } },
  { local: 'ip.restricted', id: '6c8e1a3c-5d7f-4b9d-9e6a-8c1e3a5c7d9f', givenName: 'Ira', familyName: 'Restricted', title: 'Analyst', home: 'geo', behaviour: 'logon denied (IP restriction)', outcome: { code: 20 } },
  { local: 'password.expired', id: '7d9f2b4d-6e8a-4c1e-8f7b-9d2f4b6d8e1a', givenName: 'Pat', familyName: 'Expired', title: 'Analyst', home: 'geo', behaviour: 'password must be changed', outcome: { code: 139 } },
  { local: 'sso.only', id: '8e1a3c5e-7f9b-4d2f-9a8c-1e3a5c7e9f2b', givenName: 'Sasha', familyName: 'Single', title: 'Analyst', home: 'geo', behaviour: 'SSO-only: any password sign-in gives code 21', ssoOnly: true },
  { local: 'string.code', id: '9f2b4d6f-8a1c-4e3a-8b9d-2f4b6d8f1a3c', givenName: 'Stringer', familyName: 'Code', title: 'Analyst', home: 'geo', behaviour: 'every sign-in fails with code "5" sent as a string', outcome: { code: 5, codeAsString: true } },
];

export function demoUsername(local: string): string {
  return `${local}@${COMPANY.domain}`;
}

type TokenErrorName = 'invalid_grant' | 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'access_denied';

/** Concur's documented token/otp error codes the mock produces, with Concur's own wording. */
export const TOKEN_ERROR_CODES: Readonly<Record<number, { error: TokenErrorName; description: string }>> = {
  5: { error: 'invalid_grant', description: 'Incorrect Credentials. Please Retry' },
  10: { error: 'invalid_grant', description: 'Account is disabled. Please contact support' },
  11: { error: 'invalid_grant', description: 'Account is disabled. Please contact support' },
  12: { error: 'invalid_grant', description: 'Logon Denied. Please contact support' },
  13: { error: 'invalid_grant', description: 'Logon Denied. Please contact support' },
  14: { error: 'invalid_grant', description: 'Account Locked. Please contact support' },
  16: { error: 'invalid_request', description: 'user lives elsewhere' },
  19: { error: 'invalid_grant', description: 'Incorrect credentials. Please Retry' },
  20: { error: 'invalid_grant', description: 'Logon Denied. Please contact support' },
  21: { error: 'invalid_request', description: 'user must sign in with single sign-on' },
  51: { error: 'invalid_request', description: 'username was not supplied' },
  52: { error: 'invalid_request', description: 'password was not supplied' },
  54: { error: 'invalid_scope', description: 'requested scope exceeds granted scope' },
  55: { error: 'invalid_request', description: "we don't know this email" },
  56: { error: 'invalid_request', description: 'otp was not supplied' },
  57: { error: 'invalid_request', description: 'channel_type missing' },
  58: { error: 'invalid_request', description: 'channel_handle missing' },
  59: { error: 'access_denied', description: 'client disabled' },
  60: { error: 'invalid_grant', description: 'these are not the grants you are looking for' },
  61: { error: 'invalid_client', description: 'client not found' },
  62: { error: 'invalid_request', description: 'client_id was not supplied' },
  63: { error: 'invalid_request', description: 'client_secret was not supplied' },
  64: { error: 'invalid_client', description: 'Incorrect credentials. Please Retry' },
  65: { error: 'invalid_request', description: 'grant_type was not supplied' },
  80: { error: 'invalid_request', description: 'invalid channel type' },
  81: { error: 'invalid_request', description: 'bad channel handle' },
  82: { error: 'invalid_request', description: 'the number of open otp requests has been exceeded' },
  83: { error: 'invalid_request', description: 'otp not found' },
  84: { error: 'invalid_request', description: 'fact verification failed' },
  85: { error: 'invalid_request', description: 'otp verification failed' },
  101: { error: 'invalid_request', description: 'code was not supplied' },
  102: { error: 'invalid_request', description: 'redirect_uri was not supplied' },
  103: { error: 'invalid_request', description: 'code is bad or expired' },
  104: { error: 'invalid_grant', description: 'redirect_uri does not match the previous grant' },
  105: { error: 'invalid_grant', description: 'this grant was not issued to you!' },
  106: { error: 'invalid_request', description: 'refresh_token was not supplied' },
  107: { error: 'invalid_request', description: 'refresh disallowed for app' },
  108: { error: 'invalid_grant', description: 'bad or expired refresh token' },
  120: { error: 'invalid_request', description: 'credtype is invalid' },
  135: { error: 'invalid_request', description: 'unsupported request format' },
  136: { error: 'invalid_request', description: 'auth token was not issued for you' },
  139: { error: 'invalid_grant', description: 'password must be changed' },
};

/** HTTP status for a token error: Concur doesn't document it per code, this is what clients meet. */
export function tokenErrorStatus(error: string): number {
  if (error === 'invalid_client') {
    return 401;
  }
  if (error === 'access_denied') {
    return 403;
  }
  return 400;
}
