import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeGoQuery, firstValue, goQueryEscape, goQueryUnescape, parseGoQuery } from './go-query.js';

describe('Go query encoding', () => {
  it('escapes as url.QueryEscape: ~ kept, * escaped, space as +', () => {
    assert.equal(goQueryEscape('sha256:ab~c*d e/f'), 'sha256%3Aab~c%2Ad+e%2Ff');
    assert.equal(goQueryEscape('rhel-9-for-x86_64-baseos-rpms'), 'rhel-9-for-x86_64-baseos-rpms');
    assert.equal(goQueryEscape('é'), '%C3%A9');
  });

  it('unescapes %XX and +, rejecting malformed escapes', () => {
    assert.equal(goQueryUnescape('sha256%3Aab+c'), 'sha256:ab c');
    assert.equal(goQueryUnescape('%C3%A9'), 'é');
    assert.equal(goQueryUnescape('%zz'), undefined);
    assert.equal(goQueryUnescape('%4'), undefined);
  });

  it('parses an rpm repository hint and re-encodes it with keys sorted', () => {
    const { values, error } = parseGoQuery('key=199e2f91fd431d51&hash=sha256%3Aff');
    assert.equal(error, undefined);
    assert.deepEqual([...values], [['key', ['199e2f91fd431d51']], ['hash', ['sha256:ff']]]);
    values.set('repoid', ['rhel-9-for-x86_64-appstream-rpms', 'rhel-9-for-x86_64-baseos-rpms']);
    assert.equal(encodeGoQuery(values), 'hash=sha256%3Aff&key=199e2f91fd431d51&repoid=rhel-9-for-x86_64-appstream-rpms&repoid=rhel-9-for-x86_64-baseos-rpms');
  });

  it('keeps parsing after a bad pair and reports the first error, as url.ParseQuery', () => {
    const { values, error } = parseGoQuery('a=%zz&&repoid=x&b=1;c=2&repoid=y');
    assert.match(error ?? '', /semicolon|escape/);
    assert.equal(firstValue(values, 'repoid'), 'x');
    assert.deepEqual(values.get('repoid'), ['x', 'y']);
    assert.equal(values.has('a'), false);
    assert.equal(firstValue(values, 'missing'), '');
  });

  it('treats a pair without = as a key with an empty value and skips empty pairs', () => {
    assert.deepEqual([...parseGoQuery('&flag&').values], [['flag', ['']]]);
    assert.equal(encodeGoQuery(new Map()), '');
  });
});
