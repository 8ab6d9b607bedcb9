/**
 * Every default updater set's `checkConfig`, and every per-updater
 * `configure`, against the config a Clair user writes: claircore's
 * documented keys (plus this project's extensions) pass without lints, an
 * unknown key is a lint at its exact path, and a wrong type is
 * `CONFIG_INVALID` naming the key, refused alike by `checkConfig` and
 * `create` (they share one parse).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../lib/errors.js';
import { setContext } from '../test-support/updater-context.js';
import { DEFAULT_SET_FACTORIES } from '../app/defaults/updaters.js';
import type { Updater } from './updater.js';
import { alpineUpdater } from './alpine/index.js';
import { DebianUpdater, debianConfig } from './debian/index.js';
import { OsvUpdater } from './osv/index.js';
import { RhelVexUpdater, parseRhelVexConfig } from './rhel-vex/index.js';
import { UbuntuUpdater } from './ubuntu/index.js';
import { oracleUpdater } from './oracle/index.js';
import { photonUpdater } from './photon/index.js';
import { suseUpdater } from './suse/index.js';
import { azureLinuxUpdater } from './azurelinux/index.js';
import { slesRelease } from '../model/releases.js';

interface SetCase {
  /** A block as a Clair user writes it: claircore's keys and this project's extensions. */
  documented: Record<string, unknown>;
  /** A block with one wrongly typed key, and the exact error. */
  wrongType: [Record<string, unknown>, string];
}

const SETS: Record<string, SetCase> = {
  alpine: {
    documented: { url: 'https://secdb.mirror.example/', releases: ['v3.19', 'edge'], repos: ['main'] },
    wrongType: [{ url: 5 }, 'config: updaters.config.alpine.url: must be a string, got number'],
  },
  aws: {
    documented: { releases: ['linux2', 'linux2023'], mirror_lists: { linux2: 'http://mirror.example/al2/mirror.list' } },
    wrongType: [{ releases: 'linux2' }, 'config: updaters.config.aws.releases: must be a list, got string'],
  },
  chainguard: {
    documented: { url: 'https://packages.mirror.example/chainguard/security.json' },
    wrongType: [{ url: 5 }, 'config: updaters.config.chainguard.url: must be a string, got number'],
  },
  debian: {
    documented: { mirror_url: 'https://deb.mirror.example/', json_url: 'https://tracker.mirror.example/data/json' },
    wrongType: [{ mirror_url: 5 }, 'config: updaters.config.debian.mirror_url: must be a string, got number'],
  },
  oracle: {
    documented: { url: 'https://oval.mirror.example/oracle/', first_year: 2020, last_year: 2024 },
    wrongType: [{ first_year: '2020' }, 'config: updaters.config.oracle.first_year: must be an integer, got string'],
  },
  osv: {
    documented: { url: 'https://osv.mirror.example/', allowlist: ['PyPI', 'npm'] },
    wrongType: [{ url: 5 }, 'config: updaters.config.osv.url: must be a string, got number'],
  },
  azurelinux: {
    documented: { url: 'https://oval.mirror.example/azurelinux/', releases: ['2.0', '3.0'], compression: 'none' },
    wrongType: [{ releases: [3] }, 'config: updaters.config.azurelinux.releases[0]: must be a string, got number'],
  },
  photon: {
    documented: { url: 'https://oval.mirror.example/photon/', releases: ['4.0', '5.0'], compression: 'gz' },
    wrongType: [{ releases: [4] }, 'config: updaters.config.photon.releases[0]: must be a string, got number'],
  },
  'rhel-vex': {
    documented: { url: 'https://vex.mirror.example/csaf/v2/vex/', compressed_file_timeout: '5m', ignore_kernel_packages: true, fixed_in_version_cel: '' },
    wrongType: [{ ignore_kernel_packages: 'true' }, 'config: updaters.config.rhel-vex.ignore_kernel_packages: must be a boolean, got string'],
  },
  suse: {
    documented: { url: 'https://oval.mirror.example/suse/' },
    wrongType: [{ url: 5 }, 'config: updaters.config.suse.url: must be a string, got number'],
  },
  ubuntu: {
    documented: { url: 'https://api.launchpad.mirror.example/1.0/', name: 'ubuntu', force: [{ name: 'focal', version: '20.04' }], oval_url: 'https://oval.mirror.example/ubuntu/', releases: ['jammy'] },
    wrongType: [{ name: 5 }, 'config: updaters.config.ubuntu.name: must be a string, got number'],
  },
  wolfi: {
    documented: { url: 'https://packages.mirror.example/os/security.json' },
    wrongType: [{ url: 5 }, 'config: updaters.config.wolfi.url: must be a string, got number'],
  },
};

const configError = (message: string) => (err: unknown): boolean => {
  assert.ok(isClairError(err, 'CONFIG_INVALID'), `expected CONFIG_INVALID, got ${String(err)}`);
  assert.equal((err as Error).message, message);
  return true;
};

describe('updater set checkConfig', () => {
  it('has a case for every default set', () => {
    assert.deepEqual(DEFAULT_SET_FACTORIES.map((f) => f.name).sort(), Object.keys(SETS).sort());
  });

  for (const factory of DEFAULT_SET_FACTORIES) {
    const c = SETS[factory.name];
    if (c === undefined) continue;
    describe(factory.name, () => {
      it('accepts the documented keys, an absent block and null values without lints', () => {
        assert.deepEqual(factory.checkConfig(c.documented), []);
        assert.deepEqual(factory.checkConfig(undefined), []);
        assert.deepEqual(factory.checkConfig(null), []);
        assert.deepEqual(factory.checkConfig(Object.fromEntries(Object.keys(c.documented).map((k) => [k, null]))), []);
      });

      it('lints an unknown key at its exact path, and still accepts the block', () => {
        const lints = factory.checkConfig({ ...c.documented, mirror_urls: 'x' });
        assert.equal(lints.length, 1);
        assert.equal(lints[0]!.path, `updaters.config.${factory.name}.mirror_urls`);
        assert.match(lints[0]!.message, /^unknown key, ignored \(known: .+\)$/);
      });

      it('refuses a wrong type, naming the key, in checkConfig and create alike', async () => {
        const [raw, message] = c.wrongType;
        assert.throws(() => factory.checkConfig(raw), configError(message));
        await assert.rejects(factory.create(setContext(raw)), configError(message));
        assert.throws(() => factory.checkConfig('yes'), configError(`config: updaters.config.${factory.name}: must be a mapping, got string`));
      });
    });
  }
});

interface UpdaterCase {
  make(): Updater;
  documented: Record<string, unknown>;
  wrongType: [Record<string, unknown>, string];
}

const UPDATERS: UpdaterCase[] = [
  {
    make: () => alpineUpdater('https://secdb.example/', { kind: 'stable', major: 3, minor: 19 }, 'main'),
    documented: { url: 'https://m.example/v3.19/main.json' },
    wrongType: [{ url: 5 }, 'config: updaters.config.alpine-main-v3.19-updater.url: must be a string, got number'],
  },
  {
    make: () => new DebianUpdater(debianConfig(undefined)),
    documented: { json_url: 'https://m.example/json' },
    wrongType: [{ json_url: 5 }, 'config: updaters.config.debian/updater.json_url: must be a string, got number'],
  },
  {
    make: () => new UbuntuUpdater({ codeName: 'jammy', versionId: '22.04' }, 'https://m.example/com.ubuntu.jammy.cve.oval.xml.bz2'),
    documented: { url: 'https://m.example/jammy.xml.bz2' },
    wrongType: [{ url: 5 }, 'config: updaters.config.ubuntu/updater/jammy.url: must be a string, got number'],
  },
  {
    make: () => new OsvUpdater('PyPI', 'https://osv.example/'),
    documented: { url: 'https://m.example/PyPI/all.zip' },
    wrongType: [{ url: 5 }, 'config: updaters.config.osv/pypi.url: must be a string, got number'],
  },
  {
    make: () => new RhelVexUpdater(parseRhelVexConfig(undefined).config),
    documented: { url: 'https://m.example/vex/', ignore_kernel_packages: false },
    wrongType: [{ ignore_kernel_packages: 1 }, 'config: updaters.config.rhel-vex.ignore_kernel_packages: must be a boolean, got number'],
  },
  {
    make: () => oracleUpdater(2024),
    documented: { url: 'https://m.example/com.oracle.elsa-2024.xml.bz2', compression: 'bz2' },
    wrongType: [{ compression: 5 }, 'config: updaters.config.oracle-2024-updater.compression: must be a string, got number'],
  },
  {
    make: () => photonUpdater('5.0'),
    documented: { url: 'https://m.example/com.vmware.phsa-photon5.xml', compression: 'auto' },
    wrongType: [{ url: ['x'] }, 'config: updaters.config.photon-updater-5.0.url: must be a string, got array'],
  },
  {
    make: () => azureLinuxUpdater('3.0'),
    documented: { url: 'https://m.example/azurelinux-3.0-oval.xml', compression: 'auto' },
    wrongType: [{ url: ['x'] }, 'config: updaters.config.azurelinux-updater-3.0.url: must be a string, got array'],
  },
  {
    make: () => suseUpdater('https://m.example/suse.linux.enterprise.server.15.xml.gz', slesRelease('15')),
    documented: { url: 'https://m.example/sles15.xml.gz', compression: 'gzip' },
    wrongType: [{ url: true }, 'config: updaters.config.suse-updater-suse.linux.enterprise.server.15.url: must be a string, got bool'],
  },
];

describe('per-updater configure', () => {
  for (const c of UPDATERS) {
    const name = c.make().name;
    it(`${name}: accepts its documented keys, lints an unknown key, refuses a wrong type`, () => {
      const u = c.make();
      assert.ok(u.configure, 'claircore configures this updater, so it must take a block');
      assert.deepEqual(u.configure(c.documented), []);
      assert.deepEqual(u.configure({}), []);
      const lints = u.configure({ ...c.documented, extra_key: 1 });
      // rhel-vex shares its block with the set, whose checkConfig already lints it.
      assert.deepEqual(lints.map((l) => l.path), name === 'rhel-vex' ? [] : [`updaters.config.${name}.extra_key`]);
      assert.throws(() => u.configure!(c.wrongType[0]), configError(c.wrongType[1]));
    });
  }

  it('refuses an unknown OVAL compression, as claircore’s ParseCompressor does', () => {
    assert.throws(() => oracleUpdater(2024).configure({ compression: 'xz' }), configError('config: updaters.config.oracle-2024-updater.compression: unknown compression scheme "xz" (known: auto, none, gz, gzip, bz2, bzip2, zstd)'));
  });
});
