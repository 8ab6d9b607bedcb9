/**
 * @module Where an outbound request may connect: the rules that keep a
 * manifest's layer URIs from reaching what they should not (SSRF).
 *
 * A destination is the host a URL names, the address it resolved to, and the
 * port. It is checked where the connection is made, on the address actually
 * connected to, so redirects and DNS answers (rebinding included) cannot get
 * around it. The rules, first match wins:
 *
 * 1. an `allow` entry matching the host or the address: allowed;
 * 2. a `deny` entry matching the host or the address: denied;
 * 3. the built-in denials: unspecified (0.0.0.0/8, ::), link-local
 *    (169.254.0.0/16, fe80::/10), cloud metadata addresses
 *    ({@link METADATA_ADDRESSES}), and this process's own listening ports on
 *    any local address ({@link OwnListeners});
 * 4. otherwise allowed: loopback and private ranges too, since registries
 *    live there.
 *
 * With air gap on, only private, loopback and link-local addresses are ever
 * allowed, whatever `allow` says. Entries are host names (`registry.local`),
 * `*.suffix` patterns (subdomains of `suffix`, not `suffix` itself), IP
 * addresses and CIDR blocks, as `indexer.layer_fetch` validates them.
 */
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { clairError, type ClairError } from './errors.js';

/** Cloud instance-metadata endpoints: AWS (IPv4 and IPv6), GCP, Azure, Oracle (169.254.169.254), Alibaba, Azure's wire server. */
export const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16'] as const;

/** One connection about to be made. */
export interface Destination {
  /** The host as the URL names it (a name, or an address without brackets). */
  host: string;
  /** The address that would be connected to. */
  address: string;
  port: number;
}

export interface DestinationPolicyOptions {
  /** Entries that override the built-in denials and `deny`. */
  allow?: readonly string[] | undefined;
  /** Entries denied on top of the built-in denials. */
  deny?: readonly string[] | undefined;
  /** Only private, loopback and link-local addresses (`indexer.airgap`). */
  airgap?: boolean | undefined;
  /** This process's listeners; their ports are denied on every local address. */
  ownListeners?: OwnListeners | undefined;
  /** The config section named in denials, e.g. `indexer.layer_fetch`. */
  configKey?: string | undefined;
}

/**
 * The listening sockets of this process (API, introspection). A request to
 * one of their ports on a local address would reach the service itself, so
 * it is denied. Ports are added as servers start; port 0 is ignored.
 */
export class OwnListeners {
  readonly #ports = new Set<number>();

  /**
   * Records a listener by the port it is bound to (a server's `address()`
   * works as is). Whatever address it is bound to, every local address
   * counts: a socket bound to 0.0.0.0 answers on all of them.
   */
  add(listener: number | { port: number } | string | null): void {
    const port = typeof listener === 'number' ? listener : typeof listener === 'object' && listener !== null ? listener.port : undefined;
    if (port !== undefined && Number.isInteger(port) && port > 0) this.#ports.add(port);
  }

  /** The ports recorded so far. */
  get ports(): readonly number[] {
    return [...this.#ports];
  }

  /** True when connecting to `address:port` would reach one of the listeners. */
  reaches(address: string, port: number): boolean {
    return this.#ports.has(port) && isLocalAddress(address);
  }
}

interface Entries {
  hosts: Set<string>;
  suffixes: string[];
  blocks: BlockList;
}

const BUILT_IN_UNSPECIFIED = subnets([['0.0.0.0', 8], ['::', 128]]);
const BUILT_IN_LINK_LOCAL = subnets([['169.254.0.0', 16], ['fe80::', 10]]);
const BUILT_IN_METADATA = subnets(METADATA_ADDRESSES.map((a) => [a, isIP(a) === 4 ? 32 : 128] as const));
const LOOPBACK = subnets([['127.0.0.0', 8], ['::1', 128]]);

/** The decision for a destination; `undefined` from {@link DestinationPolicy.check} means allowed. */
export interface Denial {
  /** Which rule denied it, for logs: never shown to API clients. */
  rule: 'airgap' | 'deny' | 'unspecified' | 'link-local' | 'metadata' | 'own-listener';
  /** The config key that governs it. */
  configKey: string;
}

export class DestinationPolicy {
  readonly #allow: Entries;
  readonly #deny: Entries;
  readonly #airgap: boolean;
  readonly #own: OwnListeners | undefined;
  readonly #configKey: string;

  constructor(options: DestinationPolicyOptions = {}) {
    this.#allow = entries(options.allow ?? []);
    this.#deny = entries(options.deny ?? []);
    this.#airgap = options.airgap ?? false;
    this.#own = options.ownListeners;
    this.#configKey = options.configKey ?? 'indexer.layer_fetch';
  }

  /** Why connecting to `destination` is not allowed, or `undefined` when it is. */
  check(destination: Destination): Denial | undefined {
    const address = canonicalAddress(destination.address);
    const host = canonicalHost(destination.host);
    if (this.#airgap && !isPrivateAddress(address)) return { rule: 'airgap', configKey: 'indexer.airgap' };
    if (matches(this.#allow, host, address)) return undefined;
    const denied = (rule: Denial['rule']): Denial => ({ rule, configKey: this.#configKey });
    if (matches(this.#deny, host, address)) return denied('deny');
    if (inBlocks(BUILT_IN_UNSPECIFIED, address)) return denied('unspecified');
    if (inBlocks(BUILT_IN_METADATA, address)) return denied('metadata');
    if (inBlocks(BUILT_IN_LINK_LOCAL, address)) return denied('link-local');
    if (this.#own?.reaches(address, destination.port)) return denied('own-listener');
    return undefined;
  }

  /**
   * The error for a denied destination. It names the host as the URL gave it
   * and the port, the same whatever is (or is not) listening there, so
   * denials cannot be used to probe ports.
   */
  deniedError(destination: Destination, denial: Denial): ClairError {
    const host = destination.host.includes(':') ? `[${destination.host}]` : destination.host;
    const error = clairError('FETCH_DESTINATION_DENIED', `fetching from ${host}:${destination.port} is not allowed (${denial.configKey})`);
    denials.set(error, denial);
    return error;
  }
}

/** The denial behind an error made by {@link DestinationPolicy.deniedError}, for logs. */
export function denialOf(err: unknown): Denial | undefined {
  return typeof err === 'object' && err !== null ? denials.get(err) : undefined;
}

const denials = new WeakMap<object, Denial>();

/** True for loopback, RFC 1918, link-local, ULA and CGNAT addresses (the air gap's "inside"). */
export function isPrivateAddress(address: string): boolean {
  const a = canonicalAddress(address);
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number) as [number, number];
    return x === 10 || x === 127 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254) || (x === 100 && y >= 64 && y <= 127);
  }
  const lower = a.toLowerCase();
  return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/** True for loopback and unspecified addresses and the addresses of this machine's interfaces. */
export function isLocalAddress(address: string): boolean {
  const a = canonicalAddress(address);
  if (inBlocks(LOOPBACK, a) || inBlocks(BUILT_IN_UNSPECIFIED, a)) return true;
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (canonicalAddress(info.address.replace(/%.*$/, '')) === a) return true;
    }
  }
  return false;
}

/**
 * The address in its plainest form: IPv4 for IPv4-mapped (`::ffff:7f00:1`)
 * and NAT64 (`64:ff9b::a9fe:a9fe`) IPv6 addresses, lower case, no zone.
 */
export function canonicalAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (isIP(bare) !== 6) return bare;
  const groups = expandIPv6(bare);
  if (groups === undefined) return bare;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return bare;
  const [hi, lo] = [groups[6]!, groups[7]!];
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

function canonicalHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  return isIP(bare) === 0 ? bare : canonicalAddress(bare);
}

/** The eight 16-bit groups of an IPv6 address (which `isIP` accepted). */
function expandIPv6(address: string): number[] | undefined {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = 8 - left.length - right.length;
  if (fill < 0 || (tail === undefined && fill !== 0)) return undefined;
  return [...left, ...new Array<number>(fill).fill(0), ...right];
}

function subnets(list: ReadonlyArray<readonly [string, number]>): BlockList {
  const blocks = new BlockList();
  for (const [address, bits] of list) blocks.addSubnet(address, bits, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  return blocks;
}

function inBlocks(blocks: BlockList, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function entries(list: readonly string[]): Entries {
  const out: Entries = { hosts: new Set(), suffixes: [], blocks: new BlockList() };
  for (const raw of list) {
    const entry = raw.trim().toLowerCase();
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const address = canonicalAddress(entry.slice(0, slash));
      const family = isIP(address);
      const bits = Number(entry.slice(slash + 1));
      // An IPv4-mapped block written in IPv6 is kept as the IPv4 block it means.
      const v4bits = family === 4 && isIP(entry.slice(0, slash)) === 6 ? bits - 96 : bits;
      if (family !== 0) out.blocks.addSubnet(address, family === 4 ? Math.max(0, v4bits) : bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (isIP(canonicalAddress(entry)) !== 0) {
      const address = canonicalAddress(entry);
      out.blocks.addAddress(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
    } else if (entry.startsWith('*.')) {
      out.suffixes.push(entry.slice(1).replace(/\.$/, ''));
    } else {
      out.hosts.add(entry.replace(/\.$/, ''));
    }
  }
  return out;
}

function matches(list: Entries, host: string, address: string): boolean {
  if (list.hosts.has(host)) return true;
  if (list.suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)) return true;
  return inBlocks(list.blocks, address);
}
