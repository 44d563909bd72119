import * as assert from 'node:assert/strict';
import type { GrantKind } from '../../../src/auth/tokenClient';
import { signInSteps, stepOf, type SignInPath } from '../../../src/auth/signInSteps';

const path = (over: Partial<SignInPath>): SignInPath => ({ customUrl: false, askGrant: true, grant: 'password', secret: 'enter', ...over });

describe('sign-in steps: each step\'s n/m is its real position on the path taken', () => {
  it('counts each grant\'s steps in Concur: Sign In', () => {
    const expected: Record<GrantKind, string[]> = {
      password: ['datacenter', 'grant', 'clientId', 'clientSecret', 'username', 'password'],
      authorizationCode: ['datacenter', 'grant', 'clientId', 'clientSecret', 'scopes'],
      otp: ['datacenter', 'grant', 'clientId', 'clientSecret', 'email'],
      companyRequestToken: ['datacenter', 'grant', 'clientId', 'clientSecret', 'companyId', 'requestToken'],
      clientCredentials: ['datacenter', 'grant', 'clientId', 'clientSecret'],
    };
    for (const [grant, steps] of Object.entries(expected) as [GrantKind, string[]][]) {
      assert.deepEqual(signInSteps(path({ grant })), steps, grant);
      steps.forEach((step, i) => assert.deepEqual(stepOf(path({ grant }), step as never), { step: i + 1, totalSteps: steps.length }, `${grant} ${step}`));
    }
    // Before a grant is chosen, the first one offered (Password) is the one counted.
    assert.equal(signInSteps(path({ grant: undefined })).length, 6);
  });

  it('counts Sign In with Browser as four steps: datacenter, client id, client secret, scopes', () => {
    const browser = path({ askGrant: false, grant: 'authorizationCode' });
    assert.deepEqual(signInSteps(browser), ['datacenter', 'clientId', 'clientSecret', 'scopes']);
    assert.deepEqual(stepOf(browser, 'datacenter'), { step: 1, totalSteps: 4 });
    assert.deepEqual(stepOf(browser, 'clientId'), { step: 2, totalSteps: 4 });
    assert.deepEqual(stepOf(browser, 'clientSecret'), { step: 3, totalSteps: 4 });
    assert.deepEqual(stepOf(browser, 'scopes'), { step: 4, totalSteps: 4 });
  });

  it('leaves the scopes step out when the caller named the scopes', () => {
    const browser = path({ askGrant: false, grant: 'authorizationCode', askScopes: false });
    assert.deepEqual(signInSteps(browser), ['datacenter', 'clientId', 'clientSecret']);
    // Only the browser asks for scopes: the other grants send the caller's or the setting's as they are.
    assert.deepEqual(signInSteps(path({ grant: 'password', askScopes: true })), ['datacenter', 'grant', 'clientId', 'clientSecret', 'username', 'password']);
  });

  it('makes the Custom base URL box a step of its own, after the datacenter step, and counts it', () => {
    const browser = path({ askGrant: false, grant: 'authorizationCode', customUrl: true });
    assert.deepEqual(stepOf(browser, 'datacenter'), { step: 1, totalSteps: 5 });
    assert.deepEqual(stepOf(browser, 'customUrl'), { step: 2, totalSteps: 5 });
    assert.deepEqual(stepOf(browser, 'clientId'), { step: 3, totalSteps: 5 });
    assert.deepEqual(stepOf(browser, 'clientSecret'), { step: 4, totalSteps: 5 });
    assert.deepEqual(stepOf(browser, 'scopes'), { step: 5, totalSteps: 5 });
    assert.deepEqual(stepOf(path({ customUrl: true, grant: 'otp' }), 'email'), { step: 6, totalSteps: 6 });
  });

  it('counts the stored secret as the secret step, and typing another one as one more', () => {
    assert.deepEqual(stepOf(path({ secret: 'stored' }), 'storedSecret'), { step: 4, totalSteps: 6 });
    assert.deepEqual(stepOf(path({ secret: 'stored' }), 'username'), { step: 5, totalSteps: 6 });
    assert.deepEqual(stepOf(path({ secret: 'other' }), 'storedSecret'), { step: 4, totalSteps: 7 });
    assert.deepEqual(stepOf(path({ secret: 'other' }), 'clientSecret'), { step: 5, totalSteps: 7 });
    assert.deepEqual(stepOf(path({ secret: 'other' }), 'password'), { step: 7, totalSteps: 7 });
  });
});
