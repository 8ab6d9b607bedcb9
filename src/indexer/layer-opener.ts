/** @module Opens a manifest's layers over HTTP, for the controller. */
import { openLayer, type OpenLayerOptions } from './layer/index.js';
import type { LayerOpener } from './controller/context.js';

export function httpLayerOpener(options: OpenLayerOptions = {}): LayerOpener {
  return (layer, signal) =>
    openLayer(
      { digest: layer.hash, uri: layer.uri, headers: layer.headers, mediaType: layer.media_type },
      { ...options, signal },
    );
}
