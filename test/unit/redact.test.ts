import * as assert from 'node:assert/strict';
import { REDACTED, Redactor, redactPatterns } from '../../src/concur/redact';

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
