/**
 * What the local server's VS Code part shows of it — its tab, its scenarios' names, the connection
 * settings a user's own code needs — written here, in the server's own bundle, so that none of it
 * weighs on activation. Knows nothing of VS Code (messages go through l10n, which is VS Code's inside it).
 */
import { Command } from '../platform/ids';
import { l10n } from '../platform/l10n';
import { activeScenarios, LARGE_ANSWER_MB, LATENCY_MS, RATE_LIMIT_RETRY_AFTER, SCENARIOS, type ScenarioId } from './scenarios';
import type { MockConcur } from './types';

/** The settings a user's own code needs, as environment variables (a .env file's lines). */
export function connectionSettings(server: MockConcur): string {
  const demo = server.demo;
  return [
    `# ${l10n.t('The local Concur server of Concur API Explorer: made-up credentials that work only there.')}`,
    `CONCUR_BASE_URL=${server.url}`,
    `CONCUR_CLIENT_ID=${demo.clientId}`,
    `CONCUR_CLIENT_SECRET=${demo.clientSecret}`,
    `CONCUR_USERNAME=${demo.username}`,
    `CONCUR_PASSWORD=${demo.password}`,
    `CONCUR_COMPANY_ID=${demo.companyId}`,
    `CONCUR_COMPANY_REQUEST_TOKEN=${demo.companyRequestToken}`,
    '',
  ].join('\n');
}

/** The status bar entry while the server runs: its address, and how many scenarios are on. */
export function statusBarEntry(server: MockConcur): { text: string; tooltip: string; label: string } {
  const active = activeScenarios(server);
  const host = new URL(server.url).host;
  return {
    text: active.length ? l10n.t('$(server-process) Local Concur {0} · $(beaker) {1}', host, active.length) : l10n.t('$(server-process) Local Concur {0}', host),
    tooltip: active.length
      ? l10n.t('The local Concur server runs at {0} (home datacenter {1}); scenarios on: {2}. Click for its demo company and sign-in.', server.url, server.geoUrl, active.map(scenarioLabel).join(', '))
      : l10n.t('The local Concur server runs at {0} (home datacenter {1}). Click for its demo company and sign-in.', server.url, server.geoUrl),
    label: l10n.t('Local Concur server at {0}', server.url),
  };
}

/** The scenarios as the quick pick offers them: name, whether it happens once, what it does, whether it is on. */
export function scenarioChoices(server: MockConcur): { id: ScenarioId; label: string; description?: string; detail: string; picked: boolean }[] {
  const active = new Set(activeScenarios(server));
  return SCENARIOS.map(({ id, kind }) => ({ id, label: scenarioLabel(id), description: kind === 'once' ? l10n.t('once') : undefined, detail: scenarioDetail(id), picked: active.has(id) }));
}

/** The commands above the server's tab while it runs (its CodeLenses). */
export function tabLenses(): { title: string; command: string; tooltip?: string }[] {
  return [
    { title: l10n.t('$(sign-in) Sign In to It'), command: Command.signInToLocalServer, tooltip: l10n.t('Signs in as the demo user with the demo app, in one step') },
    { title: l10n.t('$(copy) Copy Connection Settings'), command: Command.copyLocalServerConnection },
    { title: l10n.t('$(beaker) Scenarios…'), command: Command.chooseLocalServerScenarios },
    { title: l10n.t('$(debug-stop) Stop'), command: Command.stopLocalServer },
  ];
}

/** The server's tab: its addresses, demo company and users, how to call it, its scenarios (Markdown). */
export function serverTab(server: MockConcur): string {
  const demo = server.demo;
  const active = activeScenarios(server);
  const operations = server.definitionOperations();
  const expires = new Date(demo.companyRequestTokenExpiresAt * 1000).toISOString().replace('T', ' ').slice(0, 16);
  const lines = [
    `# ${l10n.t('Local Concur server')}`,
    '',
    l10n.t('A stand-in for SAP Concur on this machine, for trying the Concur API without a Concur company. Its credentials are made up and work only here.'),
    '',
    `- ${l10n.t('Sign-in and token requests (the landing datacenter, "{0}"): {1}', demo.datacenters.landing.name, server.url)}`,
    `- ${l10n.t('The demo users\' home datacenter ("{0}", the geolocation Concur names): {1}', demo.datacenters.geo.name, server.geoUrl)}`,
    '',
    `## ${l10n.t('Demo company')}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| ${l10n.t('Company')} | ${demo.companyName} (\`${demo.companyId}\`) |`,
    `| ${l10n.t('Client id')} | \`${demo.clientId}\` |`,
    `| ${l10n.t('Client secret')} | \`${demo.clientSecret}\` |`,
    `| ${l10n.t('User')} | \`${demo.username}\` |`,
    `| ${l10n.t('Password')} | \`${demo.password}\` |`,
    `| ${l10n.t('Company request token')} | \`${demo.companyRequestToken}\` (${l10n.t('valid until {0} UTC', expires)}) |`,
    '',
    `## ${l10n.t('Users')}`,
    '',
    l10n.t('Every user\'s password is {0}. Some show how Concur refuses a sign-in:', `\`${demo.password}\``),
    '',
    `| ${l10n.t('User')} | ${l10n.t('Password sign-in')} |`,
    `| --- | --- |`,
    ...demo.users.map((u) => `| \`${u.username}\` | ${u.code === undefined ? (u.home === 'geo' ? l10n.t('signed in') : l10n.t('signed in at the landing datacenter; code 16 at the other')) : l10n.t('Concur\'s code {0}', u.code)} |`),
    '',
    `## ${l10n.t('Your own code')}`,
    '',
    l10n.t('"Copy Connection Settings" above copies the base URL, client id and secret and a user as environment variables. From a terminal:'),
    '',
    '```sh',
    `curl -s -X POST ${server.url}/oauth2/v0/token -d grant_type=password -d client_id=${demo.clientId} -d client_secret=${demo.clientSecret} -d username=${encodeURIComponent(demo.username)} -d password=${demo.password}`,
    '```',
    '',
    l10n.t('The answer is code 16 with a geolocation: sign in again there, as Concur asks, and call the APIs there with the access token.'),
    '',
    `## ${l10n.t('APIs')}`,
    '',
    operations === 1
      ? l10n.t('Every built-in catalog entry answers from the demo company, and 1 operation of the API definitions in the catalog answers with an example made from its response schema.')
      : l10n.t('Every built-in catalog entry answers from the demo company, and {0} operations of the API definitions in the catalog answer with examples made from their response schemas.', operations),
    '',
    `## ${l10n.t('Scenarios')}`,
    '',
    active.length ? l10n.t('On: {0}.', active.map(scenarioLabel).join(', ')) : l10n.t('None is on. "Scenarios…" above switches on an expired token, code 108 on refresh, code 16, 429, 500, latency or large answers.'),
    '',
  ];
  return lines.join('\n');
}

/** A scenario's name, as the quick pick and the tab say it. */
export function scenarioLabel(id: ScenarioId): string {
  switch (id) {
  case 'expiredToken':
    return l10n.t('Expired access token');
  case 'refreshRevoked':
    return l10n.t('Code 108 on refresh');
  case 'wrongDatacenter':
    return l10n.t('Code 16: another datacenter');
  case 'rateLimited':
    return l10n.t('429 Too Many Requests');
  case 'serverError':
    return l10n.t('500 Internal Server Error');
  case 'latency':
    return l10n.t('Latency');
  case 'largeAnswers':
    return l10n.t('Large answers');
  }
}

/** What a scenario does, for the quick pick's detail line. */
export function scenarioDetail(id: ScenarioId): string {
  switch (id) {
  case 'expiredToken':
    return l10n.t('Now: every access token issued so far expires; the next API call gets 401 "Access token has expired".');
  case 'refreshRevoked':
    return l10n.t('Now: every refresh token issued so far is revoked; the next refresh gets code 108 and the user signs in again.');
  case 'wrongDatacenter':
    return l10n.t('Once: the next token request at the landing datacenter gets code 16 with the geolocation to sign in at.');
  case 'rateLimited':
    return l10n.t('Until switched off: every API call gets 429 with retry-after: {0}.', RATE_LIMIT_RETRY_AFTER);
  case 'serverError':
    return l10n.t('Until switched off: every API call gets 500 Internal Server Error.');
  case 'latency':
    return l10n.t('Until switched off: every API call is answered after {0} seconds.', LATENCY_MS / 1000);
  case 'largeAnswers':
    return l10n.t('Until switched off: every successful API answer is about {0} MB.', LARGE_ANSWER_MB);
  }
}
