/**
 * Scanners over a layer listing tens of thousands of entries: each looks at
 * the listing at most once, rpm databases are searched for once per layer
 * however many scanners need them, and no pass over the listing holds the
 * event loop for more than a few thousand entries (a layer may list a
 * million; health checks must keep answering).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LayerEntry, LayerFS } from '../indexer/layer-fs.js';
import type { ScanContext } from '../indexer/scanner.js';
import { memoryLayer, type MemoryEntrySpec } from '../test-support/memory-layer-fs.js';
import { dpkgDistrolessPackageScanner } from './dpkg/distroless-scanner.js';
import { dpkgPackageScanner } from './dpkg/package-scanner.js';
import { gobinPackageScanner } from './gobin/index.js';
import { ENTRIES_PER_TURN } from './internal/layer-files.js';
import { javaPackageScanner } from './java/index.js';
import { nodejsPackageScanner } from './nodejs/package-scanner.js';
import { pythonPackageScanner } from './python/package-scanner.js';
import { rhelPackageScanner } from './rhel/package-scanner.js';
import { rpmPackageScanner } from './rpm/index.js';
import { rubyPackageScanner } from './ruby/package-scanner.js';
import { whiteoutScanner } from './whiteout/file-scanner.js';
import { cargoLockScanner, rustBinaryScanner } from './rust/index.js';
import { composerPackageScanner } from './php/index.js';
import { dotnetPackageScanner } from './dotnet/index.js';

interface Scanner {
  name: string;
  scan(layer: LayerFS, context: ScanContext): Promise<unknown[]>;
}

const SCANNERS: readonly Scanner[] = [
  dpkgPackageScanner,
  dpkgDistrolessPackageScanner,
  rpmPackageScanner,
  rhelPackageScanner,
  gobinPackageScanner,
  javaPackageScanner,
  pythonPackageScanner,
  rubyPackageScanner,
  nodejsPackageScanner,
  cargoLockScanner,
  rustBinaryScanner,
  composerPackageScanner,
  dotnetPackageScanner,
  whiteoutScanner,
];

/**
 * `layer` with its listings counted, and the most entries any pass pulled
 * from a listing between two turns of the event loop.
 */
function instrumented(layer: LayerFS): { layer: LayerFS; listings: () => number; longestRun: () => number; stop: () => void } {
  let listings = 0;
  let run = 0;
  let longest = 0;
  let ticking = true;
  const tick = (): void => {
    run = 0;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  function* counted(entries: Iterable<LayerEntry>): Generator<LayerEntry> {
    for (const entry of entries) {
      longest = Math.max(longest, ++run);
      yield entry;
    }
  }
  return {
    listings: () => listings,
    longestRun: () => longest,
    stop: () => {
      ticking = false;
    },
    layer: {
      digest: layer.digest,
      entries: () => (listings++, counted(layer.entries())),
      lstat: (path) => layer.lstat(path),
      stat: (path) => layer.stat(path),
      readDir: (dir) => layer.readDir(dir),
      readFile: (path, options) => layer.readFile(path, options),
      createReadStream: (path) => layer.createReadStream(path),
    },
  };
}

describe('scanners over a large layer', () => {
  const count = 8 * ENTRIES_PER_TURN;
  const specs: MemoryEntrySpec[] = Array.from({ length: count }, (_, i) => ({ path: `d${i % 97}/f${i}`, content: '' }));
  // An archive that is no zip: the java scanner then also asks which files rpm owns.
  specs.push({ path: 'opt/app/lib/not-a.jar', content: 'not a zip' });

  it('lists the layer at most once per scanner, and searches for rpm databases once', async () => {
    const probe = instrumented(memoryLayer(specs));
    try {
      const perScanner: Record<string, number> = {};
      for (const scanner of SCANNERS) {
        const before = probe.listings();
        await scanner.scan(probe.layer, {});
        perScanner[scanner.name] = probe.listings() - before;
        // The controller stores each scanner's findings before the next runs: a turn of the loop.
        await nextTurn();
      }
      for (const [name, n] of Object.entries(perScanner)) assert.ok(n <= 1, `${name} listed the layer ${n} times`);
      // rpm, rhel-package-scanner and java (for rpm-owned files) share one search; java and gobin list once each.
      const walkers = perScanner.rpm! + perScanner['rhel-package-scanner']! + perScanner.java! + perScanner.gobin!;
      assert.equal(walkers, 3);
    } finally {
      probe.stop();
    }
  });

  it('lets the event loop turn every few thousand entries in every pass', async () => {
    const probe = instrumented(memoryLayer(specs));
    try {
      for (const scanner of SCANNERS) {
        await scanner.scan(probe.layer, {});
        await nextTurn();
      }
      assert.ok(probe.longestRun() <= ENTRIES_PER_TURN, `${probe.longestRun()} entries between two turns of the event loop`);
    } finally {
      probe.stop();
    }
  });
});
