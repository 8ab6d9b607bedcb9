/**
 * @module apk package scanner (claircore `alpine.Scanner`): the database at
 * `lib/apk/db/installed`, stanzas separated by empty lines, one
 * case-sensitive `K:value` per line. `P` is the name, `V` the version, `A`
 * the architecture, `c` the aports commit (kept as the repository hint) and
 * `o` the origin, reported as the source package. The first package of an
 * origin fixes that source's version, as in claircore.
 */
import type { ScannedPackage } from '../../model/scanned.js';
import type { PackageScanner } from '../../indexer/scanner.js';
import { checkAborted, scannerError } from '../internal/layer-files.js';
import { readLines } from '../internal/lines.js';

/** Persisted identity; changing it is a migration. */
export const APK_PACKAGE_SCANNER_NAME = 'apk';
export const APK_PACKAGE_SCANNER_VERSION = 'v0.0.1';
export const APK_PACKAGE_SCANNER_KIND = 'package';

/** The one place apk keeps its database. */
export const APK_INSTALLED_PATH = 'lib/apk/db/installed';

interface Stanza {
  name: string;
  version: string;
  arch: string;
  commit: string;
  origin: string;
}

const empty = (): Stanza => ({ name: '', version: '', arch: '', commit: '', origin: '' });

/** Finds packages installed by apk. */
export const apkPackageScanner = {
  name: APK_PACKAGE_SCANNER_NAME,
  version: APK_PACKAGE_SCANNER_VERSION,
  kind: APK_PACKAGE_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    if (layer.stat(APK_INSTALLED_PATH)?.type !== 'file') return [];
    const out: ScannedPackage[] = [];
    const sources = new Map<string, ScannedPackage>();
    const finish = (s: Stanza): void => {
      // claircore keeps even nameless stanzas; a package needs a name and version to be matched at all.
      if (s.name === '' || s.version === '') return;
      let source: ScannedPackage | undefined;
      if (s.origin !== '') {
        source = sources.get(s.origin);
        if (source === undefined) {
          source = { name: s.origin, version: s.version, kind: 'source', arch: '', module: '', cpe: '', packageDb: '', filepath: '', repositoryHint: '' };
          sources.set(s.origin, source);
        }
      }
      out.push({
        name: s.name,
        version: s.version,
        kind: 'binary',
        arch: s.arch,
        module: '',
        cpe: '',
        ...(source === undefined ? {} : { source: { ...source } }),
        packageDb: APK_INSTALLED_PATH,
        filepath: '',
        repositoryHint: s.commit,
      });
    };
    let current = empty();
    try {
      for await (const line of readLines(layer.createReadStream(APK_INSTALLED_PATH))) {
        if (line.text === '' && !line.overlong) {
          finish(current);
          current = empty();
          checkAborted(context);
          continue;
        }
        if (line.text.length < 2 || line.text[1] !== ':') continue;
        const value = line.text.slice(2).trim();
        switch (line.text[0]) {
          case 'P':
            current.name = value;
            break;
          case 'V':
            current.version = value;
            break;
          case 'A':
            current.arch = value;
            break;
          case 'c':
            current.commit = value;
            break;
          case 'o':
            current.origin = value;
            break;
        }
      }
    } catch (err) {
      if (context.signal?.aborted) throw err;
      throw scannerError(APK_PACKAGE_SCANNER_NAME, `unable to read ${JSON.stringify(APK_INSTALLED_PATH)}`, err);
    }
    finish(current);
    return out;
  },
} satisfies PackageScanner;
