/** @module Opens a manifest's layers over HTTP, for the controller. */
import { openLayer, SpoolBudget, type OpenLayerOptions } from './layer/index.js';
import type { LayerOpener } from './controller/context.js';
import type { IndexerConfig } from '../config/types.js';
import { createHttpClient } from '../lib/http-client.js';

export function httpLayerOpener(options: OpenLayerOptions = {}): LayerOpener {
  return (layer, signal) =>
    openLayer(
      { digest: layer.hash, uri: layer.uri, headers: layer.headers, mediaType: layer.media_type },
      { ...options, signal },
    );
}

/** Layer-fetch options from the indexer config: spool directory and cap, size cap, air gap. */
export function layerOptionsFrom(config: IndexerConfig): OpenLayerOptions {
  // Layers can be gigabytes: allow half an hour per download attempt.
  const http = createHttpClient({ airgap: config.airgap, timeoutMs: 30 * 60_000 });
  return {
    fetch: (url, init) => http.fetch(url as string | URL, init as RequestInit & { signal?: AbortSignal }),
    maxUncompressedBytes: config.max_layer_bytes,
    spool: {
      ...(config.spool_dir ? { dir: config.spool_dir } : {}),
      ...(config.spool_max_bytes > 0 ? { budget: new SpoolBudget(config.spool_max_bytes) } : {}),
    },
  };
}
