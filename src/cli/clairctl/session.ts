/**
 * @module What a command that submits images needs, set up once from its
 * flags and torn down in reverse: the config (required with `--local`), an
 * in-process Clair for `--local`, the API client, the progress spinner, and
 * the layer server for local archives, started only if one is named.
 */
import type { Config } from '../../config/types.js';
import type { ClairProcess } from '../../app/start.js';
import { ClairApi } from './clair-api.js';
import { cliLogger, optionalConfig, requiredConfig, type GlobalOptions } from './globals.js';
import { LayerServer } from './images/index.js';
import { startLocalClair } from './local-clair.js';
import { createProgress } from './progress.js';
import type { ReportFlow } from './report-flow.js';

export const DEFAULT_HOST = 'http://localhost:6060/';

export interface SessionOptions {
  host?: string;
  local?: boolean;
  novel?: boolean;
  platform?: string;
  insecure?: boolean;
  serveAddr?: string;
  advertiseAddr?: string;
}

export interface Session {
  flow: ReportFlow;
  close(): Promise<void>;
}

export async function openSession(g: GlobalOptions, opts: SessionOptions): Promise<Session> {
  const log = cliLogger(g);
  const progress = createProgress({ quiet: g.quiet });
  let local: ClairProcess | undefined;
  let server: Promise<LayerServer> | undefined;
  const close = async () => {
    progress.stop();
    if (server) await (await server.catch(() => undefined))?.close();
    await local?.close();
  };
  try {
    let config: Config | undefined;
    if (opts.local) {
      config = await requiredConfig(g);
      progress.status('clair', 'starting in this process');
      // Clair's own logs only with -D: the user asked for a report, not a server.
      local = await startLocalClair(config, g.debug ? log : log.child({}, { level: 'warn' }));
      progress.done('clair');
    } else {
      config = await optionalConfig(g);
    }
    const flow: ReportFlow = {
      api: new ClairApi({ host: local?.apiUrl ?? opts.host ?? DEFAULT_HOST, config, issuer: g.issuer, ...(local ? { updatesSettled: local.firstUpdate } : {}) }),
      image: { ...(opts.platform !== undefined ? { platform: opts.platform } : {}), insecure: opts.insecure === true },
      layerServer: () => (server ??= LayerServer.start({ ...(opts.serveAddr !== undefined ? { listen: opts.serveAddr } : {}), ...(opts.advertiseAddr !== undefined ? { advertise: opts.advertiseAddr } : {}), log })),
      novel: opts.novel === true,
      progress,
      log,
    };
    return { flow, close };
  } catch (err) {
    await close();
    throw err;
  }
}
