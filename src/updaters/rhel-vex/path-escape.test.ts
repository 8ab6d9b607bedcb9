import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goPathEscape } from './path-escape.js';

describe('goPathEscape', () => {
  it('escapes as Go\'s url.PathEscape does', () => {
    assert.equal(goPathEscape('AppStream-9.4.0.Z.MAIN:libfoo-0:1.2.3-4.el9_4.x86_64'), 'AppStream-9.4.0.Z.MAIN:libfoo-0:1.2.3-4.el9_4.x86_64');
    assert.equal(goPathEscape('8Base-RHOSE-Middleware:rh-sso-7/sso76-openshift-rhel8@sha256:9079_amd64'), '8Base-RHOSE-Middleware:rh-sso-7%2Fsso76-openshift-rhel8@sha256:9079_amd64');
    assert.equal(goPathEscape('nodejs-1:18.20.2-1.module+el9.4.0+21000'), 'nodejs-1:18.20.2-1.module+el9.4.0+21000');
    assert.equal(goPathEscape("a b!'()*;,?%é$&="), "a%20b%21%27%28%29%2A%3B%2C%3F%25%C3%A9$&=");
  });
});
