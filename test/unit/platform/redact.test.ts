import * as assert from 'node:assert/strict';
import { REDACTED, Redactor, encodedForms, redactPatterns } from '../../../src/platform/redact';
import { fingerprint } from '../../support/secretAsserts';

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3OCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redact', () => {
  it('hides JWTs wherever they appear', () => {
    assert.equal(redactPatterns(`token ${JWT} end`), `token ${REDACTED} end`);
  });

  it('hides Authorization header values', () => {
    assert.equal(redactPatterns('Authorization: Bearer abc.def-ghi_jkl'), `Authorization: Bearer ${REDACTED}`);
  });

  it('hides secret form fields and JSON properties, keeping the others', () => {
    const form = 'grant_type=password&client_id=abc&client_secret=s3cr3t-value&username=u%40x.com&password=hunter22';
    assert.equal(redactPatterns(form), `grant_type=password&client_id=abc&client_secret=${REDACTED}&username=u%40x.com&password=${REDACTED}`);
    assert.equal(redactPatterns('{"refresh_token":"opaque-thing","expires_in":"3600"}'), `{"refresh_token":"${REDACTED}","expires_in":"3600"}`);
  });

  it('keeps Concur error codes readable but hides authorization codes', () => {
    assert.equal(redactPatterns('{"code": 16, "error":"invalid_request"}'), '{"code": 16, "error":"invalid_request"}');
    assert.equal(redactPatterns('/cb?code=Abc123Def456Ghi789&state=1'), `/cb?code=${REDACTED}&state=1`);
  });

  it('hides registered values that have no recognisable shape, and forgets them on request', () => {
    const redactor = new Redactor();
    redactor.add('opaque-refresh-9f8e7d');
    assert.equal(redactor.redact('rt opaque-refresh-9f8e7d x'), `rt ${REDACTED} x`);
    redactor.delete('opaque-refresh-9f8e7d');
    assert.equal(redactor.redact('rt opaque-refresh-9f8e7d x'), 'rt opaque-refresh-9f8e7d x');
  });

  it('ignores values too short to be secrets', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    assert.equal(redactor.redact('abc def'), 'abc def');
  });
});

/**
 * One case of the tables below: `text` redacts to `expected`; none of `secrets` (the secret and the
 * parts of it that used to leak) is left, and every piece of `keep` still is.
 */
interface Case {
  readonly text: string;
  readonly expected?: string;
  readonly secrets?: readonly string[];
  readonly keep?: readonly string[];
}

/** A redacted text for a failure message, each secret in it replaced by its fingerprint. */
function shown(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, secret) => t.split(secret).join(`[${fingerprint(secret)}]`), text);
}

function check({ text, expected, secrets = [], keep = [] }: Case, redact: (text: string) => string = redactPatterns): void {
  const out = redact(text);
  for (const secret of secrets) assert.ok(!out.includes(secret), `${fingerprint(secret)} survived in ${shown(out, secrets)}`);
  for (const piece of keep) assert.ok(out.includes(piece), `"${piece}" was lost: ${shown(out, secrets)}`);
  if (expected !== undefined) assert.ok(out === expected, `expected ${shown(expected, secrets)}\n     got ${shown(out, secrets)}`);
}

const title = (text: string): string => JSON.stringify(text.length > 70 ? `${text.slice(0, 67)}…` : text);

describe('redact: whole values, whatever they hold', () => {
  const cases: Case[] = [
    // Spaces and commas used to end the value: `b, c` leaked.
    { text: '{"password":"a b, c","client_id":"cid-1"}', expected: `{"password":"${REDACTED}","client_id":"cid-1"}`, secrets: ['a b', 'b, c'] },
    // An escaped quote is not the end.
    { text: '{"password":"ab\\"cd ef","expires_in":3600}', expected: `{"password":"${REDACTED}","expires_in":3600}`, secrets: ['ab', 'cd ef'] },
    { text: '{"password":"a\\\\","token_type":"Bearer"}', expected: `{"password":"${REDACTED}","token_type":"Bearer"}`, secrets: ['a\\\\'] },
    // JSON in a JSON string: the value is quoted with \" and its own quote escaped as \\\".
    {
      text: JSON.stringify(JSON.stringify({ client_secret: 'x y"z', client_id: 'cid-2' })),
      expected: `"{\\"client_secret\\":\\"${REDACTED}\\",\\"client_id\\":\\"cid-2\\"}"`,
      secrets: ['x y', 'z\\\\\\"'],
    },
    { text: '"{\\"client_secret\\":\\"x y\\\\\\"z\\"}"', expected: `"{\\"client_secret\\":\\"${REDACTED}\\"}"`, secrets: ['x y', 'z'] },
    // Three levels deep.
    {
      text: JSON.stringify({ log: JSON.stringify(JSON.stringify({ password: 'p "q" r', scope: 'a b' })) }),
      secrets: ['p ', 'q', ' r'],
      keep: ['scope', 'a b', '"log":'],
    },
    { text: "password='a b' user=bob", expected: `password='${REDACTED}' user=bob`, secrets: ['a b'] },
    { text: "{'password': 'it\\'s mine', 'user': 'bob'}", expected: `{'password': '${REDACTED}', 'user': 'bob'}`, secrets: ['it', 's mine'] },
    { text: 'password = "a b" next', expected: `password = "${REDACTED}" next`, secrets: ['a b'] },
    // Header or YAML style: the rest of the line.
    { text: 'password: hunter 2, x\nclient_id: abc', expected: `password: ${REDACTED}\nclient_id: abc`, secrets: ['hunter', '2, x'] },
    { text: 'Client-Secret: s3cret value \r\nAccept: */*', expected: `Client-Secret: ${REDACTED} \r\nAccept: */*`, secrets: ['s3cret', 'value'] },
    { text: '  - password: {not yaml} x', expected: `  - password: ${REDACTED}`, secrets: ['not yaml', 'x'] },
    // A JSON literal after a quoted key.
    { text: '{"otp": 123456, "expires_in": 3600}', expected: `{"otp": ${REDACTED}, "expires_in": 3600}`, secrets: ['123456'] },
    { text: '{"refresh_token": null, "id_token": false}', expected: '{"refresh_token": null, "id_token": false}' },
    // An unterminated quote (a truncated body) runs to the end of the text.
    { text: '{"client_id":"cid","client_secret":"abc def', expected: `{"client_id":"cid","client_secret":"${REDACTED}`, secrets: ['abc', 'def'] },
    // Nested objects are not values: their keys are looked at one by one.
    { text: '{"authorization": {"type": "basic", "password": "pw 1"}}', expected: `{"authorization": {"type": "basic", "password": "${REDACTED}"}}`, secrets: ['pw 1'] },
  ];
  for (const c of cases) it(`hides all of the value in ${title(c.text)}`, () => check(c));

  // Where an unquoted value after `=` ends.
  for (const end of ['&', ' ', '\t', '\n', '"', "'", ';', '<', '>', ')', ']', '}', '%26next=']) {
    it(`ends an unquoted value at ${JSON.stringify(end)}`, () =>
      check({ text: `(password=s3cr3t,value${end}rest)`, expected: `(password=${REDACTED}${end}rest)`, secrets: ['s3cr3t', 'value'] }));
  }

  it('reads a form-encoded value to its end, encoded `&` and quotes included', () => {
    const body = new URLSearchParams({ grant_type: 'password', password: `"a&b=c" it's`, client_id: 'cid' }).toString();
    check({ text: body, expected: `grant_type=password&password=${REDACTED}&client_id=cid`, secrets: ['%22a%26b', 'b%3Dc', '%22+it%27s'] });
    check({ text: 'password=a%26b%22c%26d', expected: `password=${REDACTED}`, secrets: ['b%22', 'c%26d'] });
  });
});

describe('redact: secret keys in every spelling', () => {
  const secretKeys = [
    'access_token', 'refresh_token', 'id_token', 'client_secret', 'password', 'passwd', 'pwd', 'otp', 'request_token', 'auth_token', 'api_key',
    'token', 'authorization', 'session_token', 'client_assertion', 'secret', 'accessToken', 'refreshToken', 'idToken', 'clientSecret', 'requestToken',
    'AccessToken', 'ACCESS_TOKEN', 'Client-Secret', 'x_client_secret', 'concur-refresh-token', 'newPassword', 'my.password', 'X-Api-Key', 'oauth.token',
  ];
  const forms: Array<(key: string) => [text: string, expected: string]> = [
    (k) => [`${k}=v4lue-1&client_id=cid`, `${k}=${REDACTED}&client_id=cid`],
    (k) => [`${k} = v4lue-1 expires_in=1`, `${k} = ${REDACTED} expires_in=1`],
    (k) => [`{"${k}":"v4lue 1","expires_in":3600}`, `{"${k}":"${REDACTED}","expires_in":3600}`],
    (k) => [`{'${k}' : 'v4lue 1', 'scope': 'x'}`, `{'${k}' : '${REDACTED}', 'scope': 'x'}`],
    (k) => [`"{\\"${k}\\":\\"v4lue 1\\",\\"token_type\\":\\"Bearer\\"}"`, `"{\\"${k}\\":\\"${REDACTED}\\",\\"token_type\\":\\"Bearer\\"}"`],
    (k) => [`%22${k}%22%3A%22v4lue%201%22%2C%22scope%22`, `%22${k}%22%3A%22${REDACTED}%22%2C%22scope%22`],
    (k) => [`{&quot;${k}&quot;:&quot;v4lue 1&quot;,&quot;scope&quot;:1}`, `{&quot;${k}&quot;:&quot;${REDACTED}&quot;,&quot;scope&quot;:1}`],
    (k) => [`${k}: v4lue 1\nscope: x`, `${k}: ${REDACTED}\nscope: x`],
  ];
  for (const key of secretKeys) {
    it(`recognises ${key}`, () => {
      for (const form of forms) {
        const [text, expected] = form(key);
        check({ text, expected, secrets: ['v4lue'] });
      }
    });
  }

  // The name must end with the key word: these say something about a secret, they are not one.
  const readable = [
    'token_type=Bearer&expires_in=3600&scope=a',
    '{"token_type":"Bearer","refreshTokenExpiresAt":"2030-01-01","refresh_expires_in":15552000,"password_hint":"dog"}',
    'grant_type=password&credtype=authtoken&client_id=cid&username=bob',
    '{"code": 16, "error":"invalid_request"}',
    'code=108&code=Abc123', // too short for an authorization code
    'tokens: 3\nsecretive: no',
    '"tokenCount": 12, "secretary": "Ann"',
  ];
  for (const text of readable) it(`keeps ${title(text)} as it is`, () => check({ text, expected: text }));

  it('hides an authorization code however it is written, only when it looks like one', () => {
    check({ text: '{"code":"Abc123Def456Ghi789","state":"1"}', expected: `{"code":"${REDACTED}","state":"1"}`, secrets: ['Abc123Def456Ghi789'] });
    check({ text: 'authorization_code=Abc123Def456Ghi789&state=1', expected: `authorization_code=${REDACTED}&state=1` });
    check({ text: 'cb%3Fcode%3DAbc123Def456Ghi789%26state%3D1', expected: `cb%3Fcode%3D${REDACTED}%26state%3D1` });
    check({ text: 'errorCode=Abc123Def456Ghi789', expected: 'errorCode=Abc123Def456Ghi789' });
  });

  it('reads a phrase as a phrase: only a credential-looking word after "token:" goes', () => {
    const sentence = 'Could not refresh the Concur access token: Concur refused it (invalid_grant). The session is kept.';
    check({ text: sentence, expected: sentence });
    check({ text: 'Invalid refresh token: 7f3a9b2c1d, try again', expected: `Invalid refresh token: ${REDACTED}, try again`, secrets: ['7f3a9b2c1d'] });
  });
});

describe('redact: percent-encoded forms', () => {
  const cases: Case[] = [
    { text: 'password%3Dhunter2%26x%3D1', expected: `password%3D${REDACTED}%26x%3D1`, secrets: ['hunter2'] },
    { text: '%22password%22%3A%22a%20b%22%2C%22client_id%22%3A%22c%22', expected: `%22password%22%3A%22${REDACTED}%22%2C%22client_id%22%3A%22c%22`, secrets: ['a%20b'] },
    { text: '%22password%22%3A%22a%5C%22b%22%7D', expected: `%22password%22%3A%22${REDACTED}%22%7D`, secrets: ['a%5C', '%22b'] },
    { text: 'password%253Dhunter2%2526x%253D1', expected: `password%253D${REDACTED}%2526x%253D1`, secrets: ['hunter2'] },
    { text: 'PASSWORD%3dhunter2%26x', expected: `PASSWORD%3d${REDACTED}%26x`, secrets: ['hunter2'] },
    // Inside a redirect: the inner value is encoded twice, its `&` (%2526) is part of it.
    {
      text: `https://app.example/login?state=s1&redirect_uri=${encodeURIComponent(`https://x.example/cb?client_secret=${encodeURIComponent("a&b c'd(e)")}&z=1`)}`,
      secrets: [encodeURIComponent(encodeURIComponent("a&b c'd(e)")), 'a%2526b', "c'd(e)"],
      keep: ['state=s1&redirect_uri=https%3A%2F%2Fx.example%2Fcb%3Fclient_secret%3D', '%26z%3D1'],
    },
  ];
  for (const c of cases) it(`hides the value in ${title(c.text)}`, () => check(c));

  it('finds registered secrets in their encodings', () => {
    const secret = 'p@ss w"rd&x=1\\é+%';
    const redactor = new Redactor();
    redactor.add(secret);
    const encodings = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ a: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
      encodeURIComponent(encodeURIComponent(secret)),
    ];
    assert.equal(new Set(encodings).size, encodings.length, 'the encodings differ from each other');
    for (const encoded of encodings) check({ text: `before ${encoded} after`, expected: `before ${REDACTED} after`, secrets: [encoded] }, (t) => redactor.redact(t));
    redactor.delete(secret);
    for (const encoded of encodings) assert.ok(redactor.redact(`x ${encoded} y`).includes(encoded), 'a deleted secret is shown again');
  });

  it('keeps a secret whose encodings equal another secret until both are deleted', () => {
    const [a, b] = ['two words here', 'two+words+here'];
    assert.ok(encodedForms(a).includes(b));
    const redactor = new Redactor();
    redactor.add(a);
    redactor.add(b);
    redactor.delete(a);
    check({ text: 'x two+words+here y', expected: `x ${REDACTED} y` }, (t) => redactor.redact(t));
  });
});

describe('redact: URL userinfo', () => {
  const cases: Case[] = [
    { text: 'GET https://user:pass@host.example/x?y=1', expected: `GET https://user:${REDACTED}@host.example/x?y=1`, secrets: ['pass'] },
    { text: 'https://bob:p%40ss:w@rd@host:8443/x', expected: `https://bob:${REDACTED}@host:8443/x`, secrets: ['p%40ss', 'w@rd'] },
    { text: "('http://u:s3cr'et@127.0.0.1')", expected: `('http://u:${REDACTED}@127.0.0.1')`, secrets: ["s3cr'et"] },
    { text: 'https://bob@host.example/x and http://[::1]:8080/y', expected: 'https://bob@host.example/x and http://[::1]:8080/y' },
    { text: 'https://host.example:8443/a:b@c', expected: 'https://host.example:8443/a:b@c' },
  ];
  for (const c of cases) it(`hides the password in ${title(c.text)}`, () => check(c));
});

describe('redact: JWTs', () => {
  const header = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9';
  const payload = 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkJvYiJ9';
  const signature = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const pieces = [header, payload, signature, 'IsInR5cCI6IkpXVCJ9', 'IwibmFtZSI6IkJvYiJ9', 'PMeJf36POk6yJV_adQssw5c'];
  const cases: Case[] = [
    { text: `x\n${header}\n  .${payload}\n  .${signature}\nnext`, secrets: pieces, keep: ['x\n'] },
    { text: `id_token=${header.slice(0, 20)}\r\n    ${header.slice(20)}.${payload}\r\n    .${signature} end`, secrets: pieces, keep: ['id_token=', ' end'] },
    { text: `Authorization: Bearer ${header}.\n${payload}.\n${signature}\nAccept: application/json`, secrets: pieces, keep: ['Authorization: Bearer ', '\nAccept: application/json'] },
    { text: `{"token":"${header}.${payload}.${signature}","scope":"a"}`, expected: `{"token":"${REDACTED}","scope":"a"}` },
    { text: `see ${header}.${payload}.${signature}.`, expected: `see ${REDACTED}.` },
    { text: `an unsigned ${header}.${payload}. token`, expected: `an unsigned ${REDACTED}. token` },
    { text: `half of one: ${header}`, expected: `half of one: ${REDACTED}` },
    { text: `encoded%3D${header}.${payload}%26`, expected: `encoded%3D${REDACTED}%26` },
    { text: 'keyJSONParser and eyJust', expected: 'keyJSONParser and eyJust' },
  ];
  for (const c of cases) it(`hides the token in ${title(c.text)}`, () => check(c));
});

describe('redact: authorization schemes', () => {
  const cases: Case[] = [
    { text: 'Authorization: Basic dXNlcjpwYXNzd29yZA==', expected: `Authorization: Basic ${REDACTED}` },
    { text: 'curl -H "authorization: bearer abc.def-ghi_jkl" x', expected: `curl -H "authorization: bearer ${REDACTED}" x` },
    { text: '{"authorization":"Bearer abcdefghijkl","scope":"x"}', expected: `{"authorization":"Bearer ${REDACTED}","scope":"x"}` },
    { text: 'header Bearer%20abcdefghijkl%26', expected: `header Bearer%20${REDACTED}%26` },
    { text: 'the Bearer token was refused', expected: 'the Bearer token was refused' },
  ];
  for (const c of cases) it(`hides the credential in ${title(c.text)}`, () => check(c));
});

/**
 * Texts built to make a backtracking matcher, or a scanner that reads the same text again and again,
 * slow: each repeated up to 100 KB and 1 MB.
 */
const ADVERSARIAL: Record<string, string> = {
  'eyJ repeated': 'eyJ',
  'eyJ and line breaks': 'eyJ\n ',
  'a long base64url run': 'eyJ' + 'aB3_-xYz09',
  'base64url without dots': 'aB3_-xYz09',
  'password= repeated': 'password=',
  '"password":" without a closing quote': '"password":"',
  '"password":"\\ repeated': '"password":"\\',
  "password=' repeated": "password='",
  'backslashes after a key': '\\\\\\"password\\":\\"',
  '%22password%22%3A%22 repeated': '%22password%22%3A%22',
  'password%253D repeated': 'password%253D',
  '&quot;password&quot;:&quot; repeated': '&quot;password&quot;:&quot;',
  'password: repeated': 'password: ',
  'a token: in a phrase': 'a token: ',
  'code= repeated': 'code=',
  '://a: without @': '://a:',
  'https://u:p@ repeated': 'https://u:p@',
  'Bearer repeated': 'Bearer ',
  'Basic repeated': 'Basic ',
  'a= repeated': 'a=',
  '%3D repeated': '%3D',
  'name characters': 'a_b-c.d',
  'separators of a long name': '_-._-.',
};

describe('redact: linear time', function () {
  this.timeout(20_000);
  const redactor = new Redactor();
  for (const secret of ['opaque-refresh-9f8e7d', 'p@ss w"rd&x=1', JWT]) redactor.add(secret);
  const fill = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const best = (text: string): number => {
    let fastest = Infinity;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      redactor.redact(text);
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  };

  for (const [name, unit] of Object.entries(ADVERSARIAL)) {
    it(`redacts 1 MB of ${name} in about 10× the time of 100 KB`, () => {
      const small = fill(unit, 100_000);
      redactor.redact(small.slice(0, 10_000));
      const smallMs = best(small);
      // Quadratic code takes seconds here; stop before the 1 MB run would take minutes.
      assert.ok(smallMs < 1000, `100 KB took ${smallMs.toFixed(0)} ms`);
      const largeMs = best(fill(unit, 1_000_000));
      // Linear is 10×, quadratic 100×. A timer tick or a garbage collection can cost a millisecond.
      assert.ok(largeMs <= 25 * Math.max(smallMs, 1), `1 MB took ${largeMs.toFixed(1)} ms, 100 KB ${smallMs.toFixed(1)} ms`);
    });
  }
});

describe('redact: shapes of Concur\'s XML answers, cookies, pass and pin', () => {
  const cases: Case[] = [
    // Concur's older APIs answer XML: the token's elements, whatever their case and namespace.
    {
      text: '<Access_Token><Instance_Url>https://www.concursolutions.com/</Instance_Url><Token>0_opaque+token/value=</Token><Expiration_date>1/1/2027 10:00:00 AM</Expiration_date><Refresh_Token>refresh-opaque-1234</Refresh_Token></Access_Token>',
      expected: `<Access_Token><Instance_Url>https://www.concursolutions.com/</Instance_Url><Token>${REDACTED}</Token><Expiration_date>1/1/2027 10:00:00 AM</Expiration_date><Refresh_Token>${REDACTED}</Refresh_Token></Access_Token>`,
      secrets: ['0_opaque', 'refresh-opaque'],
    },
    { text: '<refresh_token>rt value 1</refresh_token><token_type>Bearer</token_type>', expected: `<refresh_token>${REDACTED}</refresh_token><token_type>Bearer</token_type>`, secrets: ['rt value'] },
    { text: '<ns:access_token xmlns:ns="urn:x">at-123456</ns:access_token>', expected: `<ns:access_token xmlns:ns="urn:x">${REDACTED}</ns:access_token>`, secrets: ['at-123456'] },
    { text: '<password>p&amp;ss w0rd</password>', expected: `<password>${REDACTED}</password>`, secrets: ['w0rd'] },
    { text: '<Client_Secret>\n  s3cret-value\n</Client_Secret>', expected: `<Client_Secret>\n  ${REDACTED}\n</Client_Secret>`, secrets: ['s3cret'] },
    { text: '<password><![CDATA[a<b>c]]></password>', expected: `<password><![CDATA[${REDACTED}]]></password>`, secrets: ['a<b>c'] },
    { text: '<password/><user>bob</user>', expected: '<password/><user>bob</user>' },
    { text: '<Message>Invalid token</Message>', expected: '<Message>Invalid token</Message>' },
    // Cookies: the value of a Cookie or Set-Cookie header, wherever it stands.
    { text: 'Set-Cookie: JSESSIONID=abc123def; Path=/; HttpOnly\r\nContent-Type: text/html', expected: `Set-Cookie: ${REDACTED}\r\nContent-Type: text/html`, secrets: ['abc123def'] },
    { text: 'cookie: sid=s1; other=s2\nAccept: */*', expected: `cookie: ${REDACTED}\nAccept: */*`, secrets: ['sid=s1', 'other=s2'] },
    { text: '{"set-cookie":"sid=s1; Secure","content-type":"application/json"}', expected: `{"set-cookie":"${REDACTED}","content-type":"application/json"}`, secrets: ['sid=s1'] },
    // `pass` and `pin` as a whole word of the name, not the end of another word.
    { text: 'user=bob&pass=hunter22&x=1', expected: `user=bob&pass=${REDACTED}&x=1`, secrets: ['hunter22'] },
    { text: 'pin=4711&card_pin=1234&cardPin=9876', expected: `pin=${REDACTED}&card_pin=${REDACTED}&cardPin=${REDACTED}`, secrets: ['4711', '1234', '9876'] },
    { text: '{"PIN": "0000", "pass": "x y"}', expected: `{"PIN": "${REDACTED}", "pass": "${REDACTED}"}`, secrets: ['0000', 'x y'] },
    { text: 'bypass=true&spin=3&compass=north', expected: 'bypass=true&spin=3&compass=north' },
  ];
  for (const c of cases) it(`hides the secret in ${title(c.text)}`, () => check(c));
});
