import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listenAddress } from './listen.js';

describe('listenAddress', () => {
  it('parses Go host:port forms', () => {
    assert.deepEqual(listenAddress(':6060'), { host: '::', port: 6060 });
    assert.deepEqual(listenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(listenAddress('[::1]:8089'), { host: '::1', port: 8089 });
    assert.deepEqual(listenAddress('clair.local:80'), { host: 'clair.local', port: 80 });
  });
  it('rejects malformed addresses', () => {
    assert.throws(() => listenAddress('6060'), /not host:port/);
    assert.throws(() => listenAddress(':99999'), /out of range/);
  });
});
