/** The readable block the CLI (and a demo launcher) prints: URLs and demo credentials. */
import type { MockConcur } from './types';

function rows(pairs: Array<[string, string]>, indent = '  '): string[] {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 2;
  return pairs.map(([label, value]) => `${indent}${label.padEnd(width)}${value}`);
}

export function formatDemoBanner(mock: Pick<MockConcur, 'url' | 'geoUrl' | 'demo'>): string {
  const { demo } = mock;
  const { landing, geo } = demo.datacenters;
  const main = demo.apps.find((a) => a.key === 'main');
  const others = demo.apps.filter((a) => a.key !== 'main');
  const stateUsers = demo.users.filter((u) => u.username !== demo.username);
  const expires = new Date(demo.companyRequestTokenExpiresAt * 1000).toISOString();
  const lines = [
    'Mock Concur is running: a local stand-in for SAP Concur with made-up data.',
    '',
    ...rows([
      [`Landing datacenter (${landing.name})`, `${mock.url}   sign in here; answers code 16 for users who live elsewhere`],
      [`Home datacenter (${geo.name})`, `${mock.geoUrl}   geolocation of the demo user; APIs are served here`],
    ]),
    '',
    `Demo app (${main?.description ?? 'every grant'})`,
    ...rows([
      ['client_id', demo.clientId],
      ['client_secret', demo.clientSecret],
    ]),
    '',
    'Demo user',
    ...rows([
      ['username', demo.username],
      ['password', demo.password],
      ['user id', demo.userId],
      ['OTP e-mail', demo.otpHandle],
    ]),
    '',
    'Company (password grant with credtype=authtoken)',
    ...rows([
      ['company id', `${demo.companyId}   (${demo.companyName})`],
      ['request token', `${demo.companyRequestToken}   (valid until ${expires})`],
    ]),
    '',
    'Other apps',
    ...others.flatMap((a) => [`  ${a.name}: ${a.description}`, ...rows([['client_id', a.clientId], ['client_secret', a.clientSecret]], '    ')]),
    '',
    `Users with other outcomes (password ${demo.password} for all)`,
    ...rows(stateUsers.map((u) => [u.username, u.code === undefined ? u.behaviour : `code ${u.code}: ${u.behaviour}`])),
    '',
    'Try it',
    `  curl -s ${mock.geoUrl}/oauth2/v0/token -H 'Content-Type: application/x-www-form-urlencoded' \\`,
    `    -d grant_type=password -d client_id=${demo.clientId} -d client_secret=${demo.clientSecret} \\`,
    `    --data-urlencode username=${demo.username} --data-urlencode password=${demo.password}`,
    '',
    `Control endpoints (faults, request log, counters, one-time passwords, clock): GET ${mock.url}/_mock`,
  ];
  return lines.join('\n');
}
