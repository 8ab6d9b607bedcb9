/**
 * @module The `osv` updater set: GET `/ecosystems.txt` on the configured
 * root's host, as claircore does (conditional on the previous ETag), and
 * build one {@link OsvUpdater} (`osv/<eco>`) for each listed ecosystem that
 * is neither ignored (distribution and kernel ecosystems, which have their
 * own updaters or no meaning in containers) nor left out by `allowlist`.
 * Versioned names (`Debian:12`) are distribution ecosystems and are skipped.
 */
import type { SetContext, Updater, UpdaterSetFactory } from '../updater.js';
import { fetchText } from '../download.js';
import { ecosystemsUrl, parseOsvConfig } from './config.js';
import { OsvUpdater } from './updater.js';

/** Persisted set name (`updaters.sets`). */
export const OSV_SET_NAME = 'osv';

const LIST_LIMIT = 1024 * 1024; // 1 MiB: ecosystems.txt is about 1 KiB

/** Lower-cased ecosystems never read: distributions, kernels, source-only feeds. */
export const IGNORED_ECOSYSTEMS: ReadonlySet<string> = new Set([
  'almalinux', 'alpaquita', 'alpine', 'android', 'bellsoft hardened containers', 'bitnami', 'chainguard', 'debian', 'echo',
  'git', 'linux', 'mageia', 'minimos', 'openeuler', 'opensuse', 'oss-fuzz', 'photon os', 'red hat', 'rocky linux', 'suse',
  'sle', 'ubuntu', 'wolfi', 'azure linux', 'mariner',
]);

/** The ecosystems to read from an `ecosystems.txt` body, as spelled there, in order. */
export function wantedEcosystems(text: string, allow?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const eco = line.trim();
    if (eco === '' || eco.includes(':')) continue;
    const lower = eco.toLowerCase();
    if (IGNORED_ECOSYSTEMS.has(lower) || seen.has(lower)) continue;
    if (allow && !allow.has(lower)) continue;
    seen.add(lower);
    out.push(eco);
  }
  return out;
}

interface Cached {
  url: string;
  etag: string | undefined;
  text: string;
}

/** Creates an `osv` set factory; it remembers the last `ecosystems.txt` so an unchanged list costs a 304. */
export function createOsvFactory(): UpdaterSetFactory {
  let last: Cached | undefined;
  return {
    name: OSV_SET_NAME,
    checkConfig: (config) => parseOsvConfig(config).lints,
    async create(ctx: SetContext): Promise<Updater[]> {
      const { config } = parseOsvConfig(ctx.config);
      const listUrl = ecosystemsUrl(config.url);
      const cached = last?.url === listUrl ? last : undefined;
      const res = await fetchText(ctx, listUrl, { component: OSV_SET_NAME, etag: cached?.etag, tolerate: [304], maxBytes: LIST_LIMIT });
      let text: string;
      if (res.status === 304 && cached) text = cached.text;
      else if (res.status === 200) {
        text = res.text;
        last = { url: listUrl, etag: res.etag, text };
      } else {
        // A 304 we did not ask for: fall back to an unconditional read next time.
        last = undefined;
        const again = await fetchText(ctx, listUrl, { component: OSV_SET_NAME, tolerate: [304], maxBytes: LIST_LIMIT });
        text = again.status === 200 ? again.text : '';
      }
      const ecosystems = wantedEcosystems(text, config.ecosystems);
      ctx.log.info({ component: 'updaters/osv', ecosystems }, 'osv ecosystems');
      return ecosystems.map((eco) => new OsvUpdater(eco, config.url));
    },
  };
}

/** The default `osv` set. */
export const osvSetFactory: UpdaterSetFactory = createOsvFactory();
