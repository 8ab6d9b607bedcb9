import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { ET_DYN, ET_EXEC, parseElf, sectionData } from './elf.js';
import { readElfSection, TAIL_WINDOW, type SectionQuery } from './elf-section.js';
import { buildElfWithSections, type ElfSectionsSpec } from './elf-sections.case.js';

const PAYLOAD = Buffer.from('the bytes of the section we want, and nothing else');
const OTHER = Buffer.alloc(100, 0x41);
const query: SectionQuery = { name: '.dep-v0', maxBytes: 1024, fileTypes: [ET_EXEC, ET_DYN] };

/** Reads through a layer that hands the file out in small chunks, counting the streams opened. */
async function lookup(file: Buffer, q: SectionQuery = query, chunkSize = 4096) {
  const layer = memoryLayer([{ path: 'bin/app', content: file, mode: 0o755 }], { chunkSize });
  let opened = 0;
  const counting = Object.assign(Object.create(layer) as typeof layer, {
    createReadStream(path: string): Readable {
      opened++;
      return layer.createReadStream(path);
    },
  });
  const result = await readElfSection(counting, 'bin/app', file.length, q);
  return { result, opened };
}

const file = (spec: Partial<ElfSectionsSpec> = {}) =>
  buildElfWithSections({ sections: [{ name: '.text', data: OTHER }, { name: '.dep-v0', data: PAYLOAD }, { name: '.bss', data: Buffer.alloc(16), type: 8 }], ...spec });

describe('readElfSection', () => {
  for (const cls of [64, 32] as const) {
    for (const endian of ['le', 'be'] as const) {
      it(`finds a section of a ${cls}-bit ${endian} file in one pass when it sits near the table`, async () => {
        const { result, opened } = await lookup(file({ class: cls, endian }), query, 7);
        assert.deepEqual(result, { status: 'found', data: PAYLOAD });
        assert.equal(opened, 1);
      });
    }
  }

  it('fetches the section with a second pass when it lies before the tail window', async () => {
    const { result, opened } = await lookup(file({ sections: [{ name: '.dep-v0', data: PAYLOAD }, { name: '.rodata', data: Buffer.alloc(TAIL_WINDOW + 10, 1) }] }));
    assert.deepEqual(result, { status: 'found', data: PAYLOAD });
    assert.equal(opened, 2);
  });

  it('fetches the name table and the section with passes of their own when both are far from the table', async () => {
    const { result, opened } = await lookup(file({ namesFirst: true, beforeTable: TAIL_WINDOW + 1 }), query, 1000);
    assert.deepEqual(result, { status: 'found', data: PAYLOAD });
    assert.equal(opened, 3);
  });

  it('agrees with the whole-file parser', async () => {
    const f = file({ leading: 5000 });
    const elf = parseElf(f);
    assert.ok(elf);
    assert.deepEqual(sectionData(elf, '.dep-v0'), PAYLOAD);
    assert.equal(sectionData(elf, '.bss'), undefined);
    assert.deepEqual((await lookup(f)).result, { status: 'found', data: PAYLOAD });
  });

  it('reports an absent section, a section without file bytes, another file type and a non-ELF file as absent', async () => {
    assert.deepEqual((await lookup(file(), { ...query, name: '.nope' })).result, { status: 'absent' });
    assert.deepEqual((await lookup(file(), { ...query, name: '.bss' })).result, { status: 'absent' });
    assert.deepEqual((await lookup(file({ type: 1 }))).result, { status: 'absent' });
    assert.deepEqual((await lookup(Buffer.from('#!/bin/sh\necho this is a shell script, not an ELF file at all\n'))).result, { status: 'absent' });
    // No section header table at all (stripped of it): nothing to find.
    const bare = file();
    bare.writeBigUInt64LE(0n, 40);
    assert.deepEqual((await lookup(bare)).result, { status: 'absent' });
  });

  it('refuses a section larger than allowed, naming its size', async () => {
    assert.deepEqual((await lookup(file(), { ...query, maxBytes: 10 })).result, { status: 'too-large', size: PAYLOAD.length });
  });

  it('reports malformed headers instead of reading past the file', async () => {
    const f = file();
    assert.deepEqual((await lookup(f.subarray(0, f.length - 10))).result, { status: 'malformed' }, 'table cut short');
    const badIndex = Buffer.from(f);
    badIndex.writeUInt16LE(200, 62); // e_shstrndx beyond e_shnum
    assert.deepEqual((await lookup(badIndex)).result, { status: 'malformed' });
    const outside = Buffer.from(f);
    const shoff = Number(f.readBigUInt64LE(40));
    outside.writeBigUInt64LE(BigInt(f.length), shoff + 2 * 64 + 24); // .dep-v0 starts at the end of the file
    assert.deepEqual((await lookup(outside)).result, { status: 'malformed' });
    const tableInHeader = Buffer.from(f);
    tableInHeader.writeBigUInt64LE(8n, 40);
    assert.deepEqual((await lookup(tableInHeader)).result, { status: 'malformed' });
  });

  it('passes a read error of the file on', async () => {
    const layer = memoryLayer([{ path: 'bin/app', content: file(), mode: 0o755 }]);
    const failing = Object.assign(Object.create(layer) as typeof layer, {
      createReadStream: () => new Readable({ read() { this.destroy(new Error('disk on fire')); } }),
    });
    await assert.rejects(readElfSection(failing, 'bin/app', 4096, query), /disk on fire/);
  });
});

describe('readElfSection with empty sections', () => {
  it('returns an empty section, and still finds the next one', async () => {
    const f = buildElfWithSections({ sections: [{ name: '.empty', data: Buffer.alloc(0) }, { name: '.dep-v0', data: PAYLOAD }] });
    assert.deepEqual((await lookup(f, { ...query, name: '.empty' })).result, { status: 'found', data: Buffer.alloc(0) });
    assert.deepEqual((await lookup(f)).result, { status: 'found', data: PAYLOAD });
  });
});
