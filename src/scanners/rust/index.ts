/** @module rust: Cargo.lock and `cargo auditable` executables, and their matcher against OSV crates.io records. */
export { AUDITABLE_SECTION, parseAuditData, type AuditedCrate } from './auditable.js';
export { parseCargoLock, type LockedCrate } from './cargo-lock.js';
export { CRATES_IO_LOCK_SOURCES, CRATES_IO_REPOSITORY } from './crates.js';
export { CARGO_LOCK_SCANNER_NAME, CARGO_LOCK_SCANNER_VERSION, cargoLockScanner } from './lock-scanner.js';
export { RUST_BINARY_SCANNER_NAME, RUST_BINARY_SCANNER_VERSION, rustBinaryScanner } from './binary-scanner.js';
export { RUST_MATCHER_NAME, rustMatcher } from './matcher.js';
