/**
 * @module What `clairctl report` does for one image, as Clair's clairctl:
 * resolve it to a manifest digest, ask the indexer whether it knows it,
 * submit the manifest (unless `--novel` and already known), wait for the
 * index, then fetch the vulnerability report. Layers of local archives are
 * served to the indexer by a `LayerServer`, started on first need.
 * `clairctl admin reindex` deletes an image's index report and indexes it
 * again through the same steps.
 */
import type { Logger } from 'pino';
import type { IndexReport } from '../../model/index.js';
import type { ClairApi } from './clair-api.js';
import type { Progress } from './progress.js';
import { openImage, type ImageOptions, type LayerServer, type OpenedImage } from './images/index.js';
import type { ReportResult } from './output/index.js';

export interface ReportFlow {
  api: ClairApi;
  image: Omit<ImageOptions, 'signal' | 'log'>;
  /** The server for local layers, started once when the first local image needs it. */
  layerServer: () => Promise<LayerServer>;
  /** Only submit manifests the indexer does not know yet (`--novel`). */
  novel: boolean;
  progress: Progress;
  log: Logger;
}

/** The report of one IMAGE argument; failures are thrown, naming the image. */
export async function reportFor(name: string, flow: ReportFlow, signal: AbortSignal): Promise<ReportResult> {
  return withImage(name, flow, signal, async (image, log) => {
    const known = await flow.api.indexReport(image.digest, signal);
    if (known.known && flow.novel) log.debug({ digest: image.digest }, 'clairctl manifest already known; not submitted');
    else await submit(name, image, flow, signal);
    flow.progress.status(name, 'matching');
    const report = await flow.api.vulnerabilityReport(image.digest, signal, () => flow.progress.status(name, 'waiting for the matcher\'s vulnerability data'));
    return { name, digest: image.digest, report };
  });
}

/** Deletes the index report of one IMAGE argument and indexes it afresh; returns the new report. */
export async function reindex(name: string, flow: ReportFlow, signal: AbortSignal): Promise<IndexReport> {
  return withImage(name, flow, signal, async (image) => {
    flow.progress.status(name, 'deleting the index report');
    await flow.api.deleteIndexReports([image.digest], signal);
    return submit(name, image, flow, signal);
  });
}

async function withImage<R>(name: string, flow: ReportFlow, signal: AbortSignal, work: (image: OpenedImage, log: Logger) => Promise<R>): Promise<R> {
  const log = flow.log.child({ image: name });
  flow.progress.status(name, 'resolving');
  const image = await openImage(name, { ...flow.image, signal, log });
  try {
    log.debug({ digest: image.digest }, 'clairctl image resolved');
    return await work(image, log);
  } finally {
    flow.progress.done(name);
    await image.close();
  }
}

/** Submits the image's manifest, its local layers served, and waits for the index. */
async function submit(name: string, image: OpenedImage, flow: ReportFlow, signal: AbortSignal): Promise<IndexReport> {
  const manifest = image.manifest(image.local ? await flow.layerServer() : undefined);
  flow.progress.status(name, `indexing ${manifest.layers.length} layer${manifest.layers.length === 1 ? '' : 's'}`);
  return flow.api.index(manifest, signal);
}

/**
 * Runs `work` over `items`, `concurrency` at a time, handing each result to
 * `emit` in the items' order as soon as it and all before it are done, so
 * output is deterministic however the work interleaves.
 */
export async function inOrder<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>, emit: (result: R, item: T) => Promise<void>): Promise<void> {
  const outcomes = items.map(() => deferred<R>());
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      await work(items[at]!).then(outcomes[at]!.resolve, outcomes[at]!.reject);
    }
  };
  const workers = Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  try {
    for (let at = 0; at < items.length; at++) await emit(await outcomes[at]!.promise, items[at]!);
  } finally {
    await workers;
  }
}

/** A promise with its settlers; a rejection nobody awaits yet is not "unhandled". */
function deferred<R>() {
  let resolve!: (value: R) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<R>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
