/**
 * @module OSV's bucket layout on loopback (`ecosystems.txt` at the root, one
 * `<Ecosystem>/all.zip` of advisories each) and a combo Clair whose only
 * updater set is `osv` reading it: the scene of the language ecosystems'
 * end-to-end report tests.
 */
import { startClair, type ClairProcess } from '../app/start.js';
import { quietLogger, testConfig } from './config.js';
import { startFeedServer, type FeedServer } from './feed-server.js';
import { buildZip } from './jar-builder.js';
import { waitForUpdates } from './reports.js';

/** Serves `advisories` (OSV documents by ecosystem name) in OSV's bucket layout. */
export async function serveOsvBuckets(advisories: Record<string, readonly object[]>): Promise<FeedServer> {
  const routes: Record<string, { body: string | Uint8Array }> = { '/ecosystems.txt': { body: `${Object.keys(advisories).join('\n')}\n` } };
  for (const [eco, docs] of Object.entries(advisories)) {
    routes[`/${eco}/all.zip`] = { body: buildZip(docs.map((d) => ({ name: `${(d as { id: string }).id}.json`, content: JSON.stringify(d) }))) };
  }
  return startFeedServer(routes);
}

/** A combo Clair on `connstring` whose `osv` set reads `feeds`, started once `updaters` have stored an operation. */
export async function startOsvClair(connstring: string, feeds: FeedServer, updaters: readonly string[]): Promise<ClairProcess> {
  const c = { connstring, migrations: true };
  const clair = await startClair({
    mode: 'combo',
    log: quietLogger(),
    config: testConfig('combo', { indexer: c, matcher: { ...c, disable_updaters: false }, notifier: c, updaters: { sets: ['osv'], config: { osv: { url: feeds.url } } } }),
  });
  await waitForUpdates(clair, updaters);
  return clair;
}
