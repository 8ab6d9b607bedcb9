import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pickContentType } from './negotiate.js';
import { isClairError } from '../lib/errors.js';

const offers = ['application/vnd.clair.index_report.v1+json', 'application/json'];

describe('pickContentType', () => {
  it('picks the first offer when there is no Accept header', () => {
    assert.equal(pickContentType(undefined, offers), offers[0]);
    assert.equal(pickContentType('', offers), offers[0]);
  });

  it('honours q order and wildcards, keeping the client order for equal q', () => {
    assert.equal(pickContentType('application/json', offers), 'application/json');
    assert.equal(pickContentType('text/html;q=0.9, application/json;q=0.5', offers), 'application/json');
    assert.equal(pickContentType('application/json;q=0.1, application/*;q=0.8', offers), offers[0]);
    assert.equal(pickContentType('*/*', offers), offers[0]);
    assert.equal(pickContentType('application/json, */*', offers), 'application/json');
  });

  it('refuses with 415 when nothing matches, and 400 for a malformed header', () => {
    assert.throws(() => pickContentType('text/html', offers), (e) => isClairError(e, 'HTTP_UNSUPPORTED_MEDIA_TYPE'));
    assert.throws(() => pickContentType('application/json;q=0', offers), (e) => isClairError(e, 'HTTP_UNSUPPORTED_MEDIA_TYPE'));
    assert.throws(() => pickContentType('json', offers), (e) => isClairError(e, 'HTTP_BAD_REQUEST'));
    assert.throws(() => pickContentType('application/json;q=2', offers), (e) => isClairError(e, 'HTTP_BAD_REQUEST'));
  });
});
