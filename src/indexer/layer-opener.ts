/**
 * @module Opens a manifest's layers over HTTP, for the controller: the
 * `indexer.layer_fetch` deadlines, minimum rate and destination rules, the
 * air gap, and the `indexer.limits` on one layer, wired from the config.
 */
import type { LookupFunction } from 'node:net';
import { layerLimitsFrom, openLayer, SpoolBudget, type OpenLayerOptions } from './layer/index.js';
import type { LayerOpener } from './controller/context.js';
import type { IndexerConfig } from '../config/types.js';
import { DestinationPolicy, type OwnListeners } from '../lib/destination-policy.js';
import { clairError, isClairError } from '../lib/errors.js';
import { createHttpClient } from '../lib/http-client.js';
import { DEFAULT_RATE_WINDOW_MS } from './layer/min-rate.js';

export function httpLayerOpener(options: OpenLayerOptions = {}): LayerOpener {
  return async (layer, signal) => {
    try {
      return await openLayer(
        { digest: layer.hash, uri: layer.uri, headers: layer.headers, mediaType: layer.media_type },
        { ...options, signal },
      );
    } catch (err) {
      throw withoutContent(err, layer.hash);
    }
  };
}

/** Errors about the fetched bytes: what they say may come from whatever answered. */
const ABOUT_CONTENT = ['LAYER_FORMAT', 'LAYER_PATH_TRAVERSAL', 'LAYER_TOO_LARGE'] as const;

/**
 * Errors about a fetched body say the layer could not be used, without
 * echoing the body: a layer URI may point at some internal service, and its
 * answer must not come back through the API. A digest mismatch names only
 * the declared digest (what the content hashed to would fingerprint the
 * response); other errors lose the quoted names and values they carried
 * (tar entry names, the Content-Type). The original stays as the cause, for
 * the logs.
 */
function withoutContent(err: unknown, digest: string): unknown {
  if (isClairError(err, 'LAYER_DIGEST_MISMATCH')) {
    return clairError('LAYER_DIGEST_MISMATCH', `layer ${digest}: the downloaded content does not match the layer digest; the layer could not be used`, { cause: err });
  }
  const name = ABOUT_CONTENT.find((n) => isClairError(err, n));
  if (name === undefined) return err;
  const message = (err as Error).message
    .replace(/\s*\(?"(?:[^"\\]|\\.)*"\)?/g, '')
    .replace(/\s+/g, ' ');
  return clairError(name, `${message}; the layer could not be used`, { cause: err });
}

/** What the config does not say but the running process knows, plus test hooks. */
export interface LayerFetchContext {
  /** This process's listeners: their ports are never fetched from (filled in as servers start). */
  ownListeners?: OwnListeners | undefined;
  /** Name resolution for layer hosts (default: the system resolver); for tests. */
  lookup?: LookupFunction | undefined;
  /** The minimum-rate window in ms (default 30 s); shorter in tests. */
  rateWindowMs?: number | undefined;
}

/**
 * Layer-fetch options from the indexer config: per-attempt connect and
 * response deadlines, the minimum body rate, attempts, where layers may come
 * from (`indexer.layer_fetch`, `indexer.airgap`, the process's own
 * listeners), and the spool and size limits.
 *
 * There is no overall per-download deadline: a download keeps going while it
 * keeps up the minimum rate, and the whole index is bounded by
 * `indexer.limits.index_timeout` (the controller's).
 */
export function layerOptionsFrom(config: IndexerConfig, context: LayerFetchContext = {}): OpenLayerOptions {
  const fetchConfig = config.layer_fetch;
  const rateWindowMs = context.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS;
  const http = createHttpClient({
    timeoutMs: 0,
    guard: {
      policy: new DestinationPolicy({ allow: fetchConfig.allow, deny: fetchConfig.deny, airgap: config.airgap, ownListeners: context.ownListeners }),
      connectTimeoutMs: fetchConfig.connect_timeout,
      responseTimeoutMs: fetchConfig.response_timeout,
      // A backstop only: the minimum rate gives up first, and with a clearer message.
      bodyTimeoutMs: 2 * rateWindowMs,
      lookup: context.lookup,
    },
  });
  return {
    fetch: (url, init) => http.fetch(url as string | URL, init as RequestInit & { signal?: AbortSignal }),
    attempts: fetchConfig.attempts,
    minBytesPerSecond: fetchConfig.min_bytes_per_second,
    rateWindowMs,
    ...layerLimitsFrom(config.limits),
    spool: {
      ...(config.spool_dir ? { dir: config.spool_dir } : {}),
      ...(Number.isFinite(config.limits.spool_bytes) ? { budget: new SpoolBudget(config.limits.spool_bytes) } : {}),
    },
  };
}
