import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalAddress, DestinationPolicy, denialOf, isLocalAddress, isPrivateAddress, OwnListeners } from './destination-policy.js';
import { isClairError } from './errors.js';

const rule = (policy: DestinationPolicy, address: string, port = 80, host = address) => policy.check({ host, address, port })?.rule ?? 'allowed';

describe('destination policy', () => {
  it('denies unspecified, link-local and cloud metadata addresses by default, in every spelling', () => {
    const policy = new DestinationPolicy();
    const cases: Array<[string, string]> = [
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['169.254.169.254', 'metadata'],
      ['::ffff:169.254.169.254', 'metadata'],
      ['::ffff:a9fe:a9fe', 'metadata'],
      ['64:ff9b::a9fe:a9fe', 'metadata'],
      ['fd00:ec2::254', 'metadata'],
      ['FD00:EC2:0:0:0:0:0:254', 'metadata'],
      ['100.100.100.200', 'metadata'],
      ['169.254.1.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
    ];
    assert.deepEqual(cases.map(([address]) => [address, rule(policy, address)]), cases);
  });

  it('allows loopback, private ranges and public addresses by default: registries live there', () => {
    const policy = new DestinationPolicy();
    for (const address of ['127.0.0.1', '::1', '10.0.0.5', '172.16.0.1', '192.168.1.1', 'fd12::1', '100.64.0.1', '93.184.216.34', '2001:db8::1']) {
      assert.equal(rule(policy, address, 5432), 'allowed', address);
    }
  });

  it('denies this process\'s own ports on every local address, and only those', () => {
    const own = new OwnListeners();
    own.add({ port: 6060 });
    own.add(8089);
    own.add(0);
    own.add(null);
    assert.deepEqual(own.ports, [6060, 8089]);
    const policy = new DestinationPolicy({ ownListeners: own });
    assert.equal(rule(policy, '127.0.0.1', 6060), 'own-listener');
    assert.equal(rule(policy, '127.1.2.3', 8089), 'own-listener');
    assert.equal(rule(policy, '::1', 6060), 'own-listener');
    assert.equal(rule(policy, '::ffff:7f00:1', 6060), 'own-listener');
    assert.equal(rule(policy, '127.0.0.1', 6061), 'allowed');
    assert.equal(rule(policy, '93.184.216.34', 6060), 'allowed', 'another machine\'s port 6060 is not ours');
  });

  it('lets an operator deny hosts, suffixes, addresses and blocks, and allow entries override every denial but the air gap', () => {
    const policy = new DestinationPolicy({
      deny: ['10.0.0.0/8', 'registry.internal', '*.corp.example', '::1', '::ffff:127.0.0.0/104'],
      allow: ['10.1.2.3', 'ok.corp.example', '169.254.169.254/32'],
    });
    assert.equal(rule(policy, '10.9.9.9', 5432), 'deny');
    assert.equal(rule(policy, '10.1.2.3', 5432), 'allowed');
    assert.equal(rule(policy, '192.168.1.1', 443, 'registry.internal'), 'deny');
    assert.equal(rule(policy, '192.168.1.1', 443, 'REGISTRY.internal.'), 'deny');
    assert.equal(rule(policy, '192.168.1.1', 443, 'a.b.corp.example'), 'deny');
    assert.equal(rule(policy, '192.168.1.1', 443, 'corp.example'), 'allowed', '*.suffix does not match the suffix itself');
    assert.equal(rule(policy, '10.9.9.9', 443, 'ok.corp.example'), 'allowed', 'an allowed host may resolve anywhere');
    assert.equal(rule(policy, '::1'), 'deny');
    assert.equal(rule(policy, '127.0.0.1'), 'deny', 'a mapped block in IPv6 notation is its IPv4 block');
    assert.equal(rule(policy, '169.254.169.254'), 'allowed');
    const airgapped = new DestinationPolicy({ airgap: true, allow: ['93.184.216.34', 'public.example'] });
    assert.equal(rule(airgapped, '93.184.216.34'), 'airgap');
    assert.equal(rule(airgapped, '93.184.216.34', 80, 'public.example'), 'airgap');
    assert.equal(rule(airgapped, '10.0.0.1'), 'allowed');
    assert.equal(rule(airgapped, '169.254.169.254'), 'metadata', 'the air gap keeps the built-in denials');
  });

  it('gives one message naming host and port, whatever denied it', () => {
    const own = new OwnListeners();
    own.add(6060);
    const policy = new DestinationPolicy({ ownListeners: own, deny: ['10.0.0.0/8'] });
    const message = (host: string, address: string, port: number) => {
      const destination = { host, address, port };
      const err = policy.deniedError(destination, policy.check(destination)!);
      assert.ok(isClairError(err, 'FETCH_DESTINATION_DENIED'));
      return err.message;
    };
    assert.equal(message('10.0.0.5', '10.0.0.5', 5432), 'fetching from 10.0.0.5:5432 is not allowed (indexer.layer_fetch)');
    assert.equal(message('localhost', '127.0.0.1', 6060), 'fetching from localhost:6060 is not allowed (indexer.layer_fetch)');
    assert.equal(message('fe80::1', 'fe80::1', 80), 'fetching from [fe80::1]:80 is not allowed (indexer.layer_fetch)');
    const destination = { host: 'x', address: '169.254.169.254', port: 80 };
    assert.deepEqual(denialOf(policy.deniedError(destination, policy.check(destination)!)), { rule: 'metadata', configKey: 'indexer.layer_fetch' });
    const air = { host: 'x', address: '8.8.8.8', port: 80 };
    const airgapped = new DestinationPolicy({ airgap: true });
    assert.equal(airgapped.deniedError(air, airgapped.check(air)!).message, 'fetching from x:80 is not allowed (indexer.airgap)');
  });
});

describe('address helpers', () => {
  it('reduces mapped and NAT64 IPv6 addresses to IPv4', () => {
    assert.equal(canonicalAddress('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(canonicalAddress('[::FFFF:10.0.0.1]'), '10.0.0.1');
    assert.equal(canonicalAddress('0:0:0:0:0:ffff:a9fe:a9fe'), '169.254.169.254');
    assert.equal(canonicalAddress('64:ff9b::7f00:1'), '127.0.0.1');
    assert.equal(canonicalAddress('2001:db8::1'), '2001:db8::1');
    assert.equal(canonicalAddress('10.0.0.1'), '10.0.0.1');
  });

  it('knows private and local addresses', () => {
    assert.deepEqual(['10.1.1.1', '::ffff:192.168.0.1', 'fe80::1', 'fd00::1', '127.0.0.1', '8.8.8.8', '2001:db8::1'].map(isPrivateAddress), [true, true, true, true, true, false, false]);
    assert.ok(isLocalAddress('127.0.0.1'));
    assert.ok(isLocalAddress('::1'));
    assert.ok(isLocalAddress('0.0.0.0'));
    assert.ok(!isLocalAddress('93.184.216.34'));
  });
});
