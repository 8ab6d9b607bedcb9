/**
 * The distributed benchmark's fixtures: the generated images are served
 * byte for byte under their digests, share the base and runtime layers as
 * described, and say how many packages they hold; the tracker feed serves
 * the tracker and reads its source names back; a tracker too small for the
 * asked shape is refused with a message naming the knob.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serveDebianImages } from './debian-images.js';
import { serveDebianFeed } from './debian-feed.js';

const names = Array.from({ length: 60 }, (_, i) => `src${i}`);
const shape = { runtimes: 2, basePackages: 6, runtimePackages: 3, appPackages: 2, appLayerBytes: 100 };

describe('generated Debian images', () => {
  it('serves each layer under its digest, shares the base and runtime layers, and counts packages', async () => {
    const set = await serveDebianImages({ images: 4, sourceNames: names, ...shape });
    try {
      const layers = set.images.map((i) => i.manifest.layers);
      assert.ok(layers.every((l) => l.length === 3));
      assert.equal(new Set(layers.map((l) => l[0]!.hash)).size, 1, 'one base layer');
      assert.equal(new Set(layers.map((l) => l[1]!.hash)).size, 2, 'two runtime layers');
      assert.equal(new Set(layers.map((l) => l[2]!.hash)).size, 4, 'an own layer each');
      assert.equal(new Set(set.images.map((i) => i.manifest.hash)).size, 4);
      assert.deepEqual(set.images.map((i) => i.packages), [11, 11, 11, 11]);
      for (const layer of new Set(layers.flat())) {
        const body = Buffer.from(await (await fetch(layer.uri)).arrayBuffer());
        assert.equal(`sha256:${createHash('sha256').update(body).digest('hex')}`, layer.hash);
      }
      // The own layer's dpkg status lists every package installed so far, the tracker's giants left out.
      const own = gunzipSync(Buffer.from(await (await fetch(layers[0]![2]!.uri)).arrayBuffer())).toString('latin1');
      const listed = [...own.matchAll(/Package: (\S+)\n/g)].map((m) => m[1]);
      assert.equal(listed.length, 11);
      assert.equal(listed[0], 'src8');
    } finally {
      await set.close();
    }
  });

  it('refuses a tracker too small for the shape, naming the knob', async () => {
    await assert.rejects(serveDebianImages({ images: 1, sourceNames: names.slice(0, 20), ...shape }), /has 12 usable source packages; 20 are needed \(raise BENCH_TRACKER_PACKAGES\)/);
  });
});

describe('Debian tracker feed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clair-feed-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the tracker at the configured URL and reads its source names back', async () => {
    const feed = await serveDebianFeed(dir, 30);
    try {
      assert.equal(feed.sourceNames.length, 30);
      assert.equal(feed.sourceNames[0], 'linux', 'the generator writes its giants first');
      assert.equal(new Set(feed.sourceNames).size, 30);
      const config = (feed.updaters as { sets: string[]; config: { debian: { json_url: string; mirror_url: string } } });
      assert.deepEqual(config.sets, ['debian']);
      const tracker = (await (await fetch(config.config.debian.json_url)).json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(tracker), feed.sourceNames);
      assert.equal((await fetch(new URL('debian/dists/bookworm/Release', config.config.debian.mirror_url))).status, 200);
    } finally {
      await feed.close();
    }
  });
});
