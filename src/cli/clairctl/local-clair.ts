/**
 * @module `clairctl report --local`: Clair in this process (combo mode, on
 * the config's databases — the embedded PostgreSQL under `data_dir` unless a
 * connstring says otherwise), so one command scans an image with no server
 * running. The API listens on a free loopback port only this process uses;
 * the introspection server too. Local archives' layers are served on
 * loopback, which the indexer may fetch from unless `indexer.layer_fetch`
 * denies it. Notification delivery is left off: a local scan tells no
 * subscriber anything.
 */
import type { Config } from '../../config/types.js';
import { startClair, type ClairProcess } from '../../app/start.js';
import type { Logger } from '../../lib/logger.js';

export const LOOPBACK = '127.0.0.1';

export function localConfig(config: Config): Config {
  const { webhook: _w, amqp: _a, stomp: _s, ...notifier } = config.notifier;
  return {
    ...config,
    http_listen_addr: `${LOOPBACK}:0`,
    introspection_addr: `${LOOPBACK}:0`,
    notifier,
  };
}

export async function startLocalClair(config: Config, log: Logger): Promise<ClairProcess> {
  return startClair({ config: localConfig(config), mode: 'combo', log });
}
