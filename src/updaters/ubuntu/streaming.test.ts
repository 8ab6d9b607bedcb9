/**
 * A synthetic OVAL document far larger than the fixture: parse must stream
 * it (records counted as they come, retained heap bounded by the lookup
 * tables and flat while definitions stream) and stop cleanly when the run
 * is cancelled.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { testContext } from '../../test-support/dpkg-feeds.js';
import { DOWNLOAD_FILE, UbuntuUpdater } from './updater.js';

/** Writes `n` definitions, each naming three binaries through a constant variable; returns the byte count. */
async function writeOval(file: string, n: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  const id = (kind: string, i: number): string => `oval:com.ubuntu.noble:${kind}:${i}`;
  await write('<?xml version="1.0" ?>\n<oval_definitions xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">\n<definitions>\n');
  for (let i = 0; i < n; i++) {
    await write(`<definition class="vulnerability" id="${id('def', i)}" version="1"><metadata><title>CVE-2024-${i} on Ubuntu 24.04 LTS (noble) - medium</title>` +
      `<description>${'A long description of the flaw. '.repeat(12)}</description><reference source="CVE" ref_id="CVE-2024-${i}" ref_url="https://ubuntu.com/security/CVE-2024-${i}"/>` +
      `<advisory><severity>Medium</severity><cve href="https://ubuntu.com/security/CVE-2024-${i}">CVE-2024-${i}</cve></advisory></metadata>` +
      `<criteria><criterion test_ref="${id('tst', i)}" comment="pkg${i} package in noble was vulnerable but has been fixed."/></criteria></definition>\n`);
  }
  await write('</definitions>\n<tests>\n');
  for (let i = 0; i < n; i++) await write(`<linux-def:dpkginfo_test id="${id('tst', i)}" version="1"><linux-def:object object_ref="${id('obj', i)}"/>${i % 2 ? `<linux-def:state state_ref="${id('ste', i)}"/>` : ''}</linux-def:dpkginfo_test>\n`);
  await write('</tests>\n<objects>\n');
  for (let i = 0; i < n; i++) await write(`<linux-def:dpkginfo_object id="${id('obj', i)}" version="1"><linux-def:name var_ref="${id('var', i)}"/></linux-def:dpkginfo_object>\n`);
  await write('</objects>\n<states>\n');
  for (let i = 1; i < n; i += 2) await write(`<linux-def:dpkginfo_state id="${id('ste', i)}" version="1"><linux-def:evr datatype="debian_evr_string" operation="less than">0:1.${i}-1ubuntu1</linux-def:evr></linux-def:dpkginfo_state>\n`);
  await write('</states>\n<variables>\n');
  for (let i = 0; i < n; i++) await write(`<constant_variable id="${id('var', i)}" version="1" datatype="string"><value>pkg${i}</value><value>libpkg${i}</value><value>pkg${i}-dev</value></constant_variable>\n`);
  await write('</variables>\n</oval_definitions>\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}

describe('ubuntu updater streaming', { timeout: 120_000 }, () => {
  it('parses a 30k-definition OVAL document as a stream', async (t) => {
    const ctx = await testContext(110_000);
    try {
      const n = 30_000;
      const bytes = await writeOval(join(ctx.dir, DOWNLOAD_FILE), n);
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const base = process.memoryUsage().heapUsed;
      let tables = 0; // retained once pass 1 is done: the lookup tables
      let peak = 0;
      let count = 0;
      let fixed = 0;
      for await (const r of new UbuntuUpdater({ codeName: 'noble', versionId: '24.04' }, 'http://unused/').parse(ctx)) {
        count++;
        if (r.fixedInVersion !== '') fixed++;
        if (count % 10_000 === 0) {
          gc();
          const used = process.memoryUsage().heapUsed;
          if (count === 10_000) tables = used;
          peak = Math.max(peak, used);
        }
      }
      assert.equal(count, n * 3);
      assert.equal(fixed, (n / 2) * 3);
      const definitions = peak - tables;
      t.diagnostic(`${count} records from ${Math.round(bytes / 1e6)} MB of OVAL; tables retain ${Math.round((tables - base) / 1e6)} MB, definitions add at most ${Math.round(definitions / 1e6)} MB`);
      // Definitions are joined and dropped one at a time: retained heap stays flat through pass 2.
      assert.ok(definitions < 8e6, `retained heap grew ${Math.round(definitions / 1e6)} MB while streaming definitions`);
      // The tables scale with elements, not text; holding the document would take at least its size.
      assert.ok(tables - base < bytes * 0.75, `tables retain ${Math.round((tables - base) / 1e6)} MB for a ${Math.round(bytes / 1e6)} MB document`);
    } finally {
      await ctx.cleanup();
    }
  });

  it('stops with the cancellation reason when the run is cancelled mid-parse', async () => {
    const ctx = await testContext();
    try {
      await writeOval(join(ctx.dir, DOWNLOAD_FILE), 5_000);
      const controller = new AbortController();
      const u = new UbuntuUpdater({ codeName: 'noble', versionId: '24.04' }, 'http://unused/');
      let seen = 0;
      await assert.rejects(
        (async () => {
          for await (const _ of u.parse({ ...ctx, signal: controller.signal })) {
            if (++seen === 100) controller.abort(new Error('manager stopped'));
          }
        })(),
        /manager stopped/,
      );
      assert.ok(seen < 15_000);
    } finally {
      await ctx.cleanup();
    }
  });
});
