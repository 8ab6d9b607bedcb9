/**
 * @module Updater bundles: claircore's `jsonblob` format for moving
 * vulnerability data into an air-gapped Clair (`clairctl export-updaters` /
 * `import-updaters`), read and written as streams.
 */
export { BundleFieldError, fromClaircoreVulnerability, GO_ZERO_TIME, goTime, toClaircoreVulnerability } from './claircore-vulnerability.js';
export { compressor, decompressedBundle, detectCompression, exportCompression, type BundleCompression, type CompressionFlags } from './compression.js';
export { linePrefix, newOperationHeader, toClaircoreEnrichment, UPDATE_KINDS, type BundleOperation, type EnrichmentRecord, type OperationHeader } from './format.js';
export { MAX_LINE_BYTES, numberedLines, type NumberedLine } from './lines.js';
export { readBundle, type ReadOptions } from './reader.js';
export { BundleWriter, CHUNK_CHARS, encodeOperation, type AddedOperation, type BundleWriterOptions, type EncodeTally } from './writer.js';
