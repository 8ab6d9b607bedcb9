/**
 * @module A synthetic Debian security-tracker JSON in the real schema, for
 * streaming tests and the ingest benchmark (the full upstream file, ~70 MB,
 * is not available offline). Not used by the updater itself.
 *
 * The shape follows the real dump: most source packages have one or two
 * CVEs, a few (the kernel, browsers) have thousands; each CVE has a
 * description, scope, often a Debian bug, and per-release entries with
 * status, repositories, fixed version and urgency. Output is deterministic
 * for a seed and written as a stream, so a file of any size costs no memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Size and seed of a synthetic tracker. */
export interface SyntheticOptions {
  packages: number;
  seed?: number;
  /** Releases whose entries count as records in the returned totals. */
  numbered?: readonly string[];
}

/** What a synthetic tracker holds. */
export interface SyntheticSummary {
  bytes: number;
  packages: number;
  cves: number;
  /** Entries whose release is in `numbered`: the records parse must yield. */
  records: number;
}

const RELEASES = ['stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'sid'] as const;
const URGENCIES = ['unimportant', 'low', 'medium', 'high', 'not yet assigned', 'low*', 'medium**', 'end-of-life'] as const;
const WORDS = 'a an the buffer overflow heap stack use-after-free in allows remote local attackers to cause denial of service crash or possibly execute arbitrary code via crafted file request packet header when parsing certain input sequences through function component module before version issue summary impact'.split(' ');
const GIANTS = ['linux', 'chromium', 'firefox-esr', 'thunderbird', 'imagemagick', 'tcpdf', 'php8.2', 'wireshark'];

/** Mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes a synthetic tracker JSON to `path` and summarises it. */
export async function writeSyntheticTracker(path: string, options: SyntheticOptions): Promise<SyntheticSummary> {
  const rand = prng(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const numbered = new Set(options.numbered ?? ['bullseye', 'bookworm']);
  const out = createWriteStream(path, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  const summary: SyntheticSummary = { bytes: 0, packages: options.packages, cves: 0, records: 0 };
  let cveSerial = 0;

  await write('{');
  for (let p = 0; p < options.packages; p++) {
    const name = p < GIANTS.length ? GIANTS[p]! : `pkg${p.toString(36)}-${pick(['utils', 'lib', 'tools', 'perl', 'python3', 'data'])}`;
    const cves = p < GIANTS.length ? 800 + Math.floor(rand() * 2000) : rand() < 0.7 ? 1 : 1 + Math.floor(rand() * 3);
    await write(`${p === 0 ? '' : ','}\n  ${JSON.stringify(name)}: {`);
    for (let c = 0; c < cves; c++) {
      cveSerial++;
      summary.cves++;
      const id = rand() < 0.03 ? `TEMP-${String(cveSerial).padStart(7, '0')}-${Math.floor(rand() * 0xffffff).toString(16).toUpperCase()}` : `CVE-${2005 + (cveSerial % 20)}-${String(cveSerial).padStart(5, '0')}`;
      const description = Array.from({ length: 30 + Math.floor(rand() * 55) }, () => pick(WORDS)).join(' ');
      const releases: string[] = [];
      for (const release of RELEASES) {
        if (rand() < 0.25) continue;
        if (numbered.has(release)) summary.records++;
        const upstream = `${1 + Math.floor(rand() * 9)}.${Math.floor(rand() * 30)}.${Math.floor(rand() * 20)}`;
        const status = pick(['resolved', 'resolved', 'resolved', 'open', 'undetermined'] as const);
        const fixed = status === 'resolved' ? (rand() < 0.2 ? '0' : `${upstream}-${1 + Math.floor(rand() * 5)}+deb12u${Math.floor(rand() * 4)}`) : undefined;
        const entry: Record<string, unknown> = { status, repositories: { [release]: `${upstream}-1` } };
        if (rand() < 0.3) (entry.repositories as Record<string, string>)[`${release}-security`] = `${upstream}-1+deb12u1`;
        if (fixed !== undefined) entry.fixed_version = fixed;
        entry.urgency = pick(URGENCIES);
        releases.push(`${JSON.stringify(release)}: ${JSON.stringify(entry)}`);
      }
      const head: Record<string, unknown> = { scope: pick(['local', 'remote']) };
      if (rand() < 0.4) head.debianbug = 900000 + Math.floor(rand() * 200000);
      head.description = description;
      const headText = JSON.stringify(head).slice(1, -1);
      await write(`${c === 0 ? '' : ','}\n    ${JSON.stringify(id)}: {${headText}, "releases": {${releases.join(', ')}}}`);
    }
    await write('\n  }');
  }
  await write('\n}\n');
  out.end();
  await once(out, 'finish');
  summary.bytes = bytes;
  return summary;
}
