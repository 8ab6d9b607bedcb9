/**
 * @module What the scanner takes from one rpm header (claircore
 * `internal/rpm/info.go`): identity, source rpm, module, payload digest,
 * signature and file list.
 */
import { type HeaderEntry, type RpmHeader, RpmTag, readBin, readInt32s, readString, readStringArray } from './header.js';
import { pgpIssuerKeyId } from './pgp.js';
import { rpmError } from './errors.js';

/** Payload digest algorithm number of SHA-256 (rpm `PGPHASHALGO_SHA256`). */
const DIGEST_SHA256 = 8;

/** Package information from one header. */
export interface RpmInfo {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string;
  /** The full MODULARITYLABEL, `name:stream:version:context`. */
  module: string;
  digestAlgo: number;
  /** First PAYLOADDIGEST value, hex. */
  digest: string;
  /** SIGPGP, the header+payload signature claircore reads. */
  sigPgp: Buffer | undefined;
  /** RSAHEADER or DSAHEADER, the header-only signature (see {@link rpmHint}). */
  sigHeader: Buffer | undefined;
  /** Installed file paths, layer-relative (no leading `/`). */
  files: string[];
}

/**
 * Loads the tags claircore's `Info.Load` reads. Later entries for a tag
 * replace earlier ones, as in claircore.
 *
 * @throws {ClairError} `RPM_DB_INVALID` on a value of the wrong type or an
 *   inconsistent file list.
 */
export function loadInfo(h: RpmHeader): RpmInfo {
  const info: RpmInfo = {
    name: '',
    epoch: 0,
    version: '',
    release: '',
    arch: '',
    sourceRpm: '',
    module: '',
    digestAlgo: 0,
    digest: '',
    sigPgp: undefined,
    sigHeader: undefined,
    files: [],
  };
  let dirnames: string[] = [];
  let dirindexes: number[] = [];
  let basenames: string[] = [];
  let rsa: Buffer | undefined;
  let dsa: Buffer | undefined;
  // Only the last entry of a tag counts, so only it is decoded: a header of
  // thousands of entries repeating one tag over all its data would otherwise
  // take time quadratic in its size.
  const last = new Map<number, HeaderEntry>();
  for (const e of h.entries) last.set(e.tag, e);
  for (const e of h.entries) {
    if (last.get(e.tag) !== e) continue;
    switch (e.tag) {
      case RpmTag.Name:
        info.name = readString(h, e);
        break;
      case RpmTag.Epoch:
        info.epoch = readInt32s(h, e)[0] ?? 0;
        break;
      case RpmTag.Version:
        info.version = readString(h, e);
        break;
      case RpmTag.Release:
        info.release = readString(h, e);
        break;
      case RpmTag.SourceRPM:
        info.sourceRpm = readString(h, e);
        break;
      case RpmTag.ModularityLabel:
        info.module = readString(h, e);
        break;
      case RpmTag.Arch:
        info.arch = readString(h, e);
        break;
      case RpmTag.PayloadDigestAlgo:
        info.digestAlgo = readInt32s(h, e)[0] ?? 0;
        break;
      case RpmTag.PayloadDigest:
        info.digest = readStringArray(h, e)[0] ?? '';
        break;
      case RpmTag.SigPGP:
        info.sigPgp = readBin(h, e);
        break;
      case RpmTag.RSAHeader:
        rsa = readBin(h, e);
        break;
      case RpmTag.DSAHeader:
        dsa = readBin(h, e);
        break;
      case RpmTag.Dirnames:
        dirnames = readStringArray(h, e);
        break;
      case RpmTag.Dirindexes:
        dirindexes = readInt32s(h, e);
        break;
      case RpmTag.Basenames:
        basenames = readStringArray(h, e);
        break;
      case RpmTag.Filenames:
        // rpm4-era "old filenames": split into dir + base, as claircore does.
        ({ dirnames, dirindexes, basenames } = splitFilenames(readStringArray(h, e)));
        break;
      default:
    }
  }
  info.sigHeader = rsa ?? dsa;
  if (basenames.length !== dirindexes.length) {
    throw rpmError(`rpm: Info: mismatched "base" and "dir" counts: ${basenames.length}, ${dirindexes.length}`);
  }
  for (let j = 0; j < basenames.length; j++) {
    const d = dirnames[dirindexes[j]!];
    if (d === undefined || dirindexes[j]! < 0) {
      throw rpmError(`rpm: Info: invalid "dirindex": index ${dirindexes[j]} is out-of-bounds (length ${dirnames.length})`);
    }
    info.files.push(joinPath(d.slice(1), basenames[j]!));
  }
  return info;
}

function splitFilenames(names: string[]): { dirnames: string[]; dirindexes: number[]; basenames: string[] } {
  const sorted = [...names].sort();
  const dirnames: string[] = [];
  const dirindexes: number[] = [];
  const basenames: string[] = [];
  for (const name of sorted) {
    const slash = name.lastIndexOf('/');
    const dir = name.slice(0, slash + 1);
    basenames.push(name.slice(slash + 1));
    if (dirnames.length === 0 || dirnames[dirnames.length - 1] !== dir) dirnames.push(dir);
    dirindexes.push(dirnames.length - 1);
  }
  return { dirnames, dirindexes, basenames };
}

/** Go `path.Join(dir, base)` for the simple, already-clean inputs rpm stores. */
function joinPath(dir: string, base: string): string {
  const parts = `${dir}/${base}`.split('/').filter((s) => s !== '' && s !== '.');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/** claircore `Info.ModuleStream`: `name:stream` of a label with at least two colons, else `''`. */
export function moduleStream(label: string): string {
  const first = label.indexOf(':');
  if (first < 0) return '';
  const second = label.indexOf(':', first + 1);
  if (second < 0) return '';
  return label.slice(0, second);
}

/** Go `url.QueryEscape`: everything but `A-Za-z0-9-_.~` is percent-encoded, space as `+`. */
function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * claircore `Info.Hint`: `url.Values{hash, key}.Encode()`, e.g.
 * `hash=sha256%3A<payload digest>&key=<issuer key id>`. `hash` is set only
 * for SHA-256 payload digests.
 *
 * The key comes from SIGPGP as in claircore; when a package has no SIGPGP
 * (rpm ≥ 4.16 signs headers only unless asked for v3 signatures), the issuer
 * of RSAHEADER or DSAHEADER is used instead — a deliberate extension.
 */
export function rpmHint(info: RpmInfo): string {
  const pairs: string[] = [];
  if (info.digest !== '' && info.digestAlgo === DIGEST_SHA256) pairs.push(`hash=${queryEscape(`sha256:${info.digest}`)}`);
  let key: string | undefined;
  if (info.sigPgp !== undefined && info.sigPgp.length > 0) key = pgpIssuerKeyId(info.sigPgp);
  else if (info.sigHeader !== undefined && info.sigHeader.length > 0) key = pgpIssuerKeyId(info.sigHeader);
  if (key !== undefined) pairs.push(`key=${queryEscape(key)}`);
  return pairs.join('&');
}
