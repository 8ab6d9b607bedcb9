import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ClairError, clairError, ERROR_CATALOGUE, isClairError } from './errors.js';

const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('has unique codes of the form CLAIR_ERR_*', () => {
    const codes = Object.values(ERROR_CATALOGUE).map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^CLAIR_ERR_[A-Z0-9_]+$/);
  });

  it('documents every code in docs/errors.md with its status, and documents no stale code', () => {
    for (const spec of Object.values(ERROR_CATALOGUE)) {
      assert.match(docs, new RegExp(`\\| \`${spec.code}\` \\| ${spec.status} \\|`), `${spec.code} missing from docs/errors.md`);
    }
    const documented = [...docs.matchAll(/`(CLAIR_ERR_[A-Z0-9_]+)`/g)].map((m) => m[1]);
    const known = new Set<string>(Object.values(ERROR_CATALOGUE).map((e) => e.code));
    for (const code of documented) assert.ok(known.has(code!), `${code} is documented but not in the catalogue`);
  });

  it('creates errors carrying code, status and cause', () => {
    const cause = new Error('root');
    const err = clairError('STORE_CONNECT', 'store: down', { cause });
    assert.ok(err instanceof Error);
    assert.ok(err instanceof ClairError);
    assert.equal(err.code, 'CLAIR_ERR_STORE_CONNECT');
    assert.equal(err.httpStatus, 503);
    assert.equal(err.cause, cause);
    assert.ok(isClairError(err, 'STORE_CONNECT'));
    assert.equal(isClairError(err, 'STORE_MIGRATION'), false);
    assert.equal(isClairError(new Error('plain')), false);
  });

  it('recognises a branded error from another copy of the module', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('clair.error')]: true, code: 'CLAIR_ERR_HTTP_NOT_FOUND', httpStatus: 404 });
    assert.ok(foreign instanceof ClairError);
    assert.ok(isClairError(foreign, 'HTTP_NOT_FOUND'));
  });
});
