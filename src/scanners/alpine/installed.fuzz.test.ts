/** Fuzzing the apk database reader through the scanner, from a real-format `lib/apk/db/installed`. */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { lines, scanEntries } from '../../test-support/scan.js';
import { APK_INSTALLED_PATH, apkPackageScanner } from './package-scanner.js';

const INSTALLED = lines(
  'C:Q1r5Mm4Pv8RhV1nE6tOmTP8SfpLv4=',
  'P:musl',
  'V:1.2.4-r2',
  'A:x86_64',
  'S:383152',
  'I:622592',
  'T:the musl c library (libc) implementation',
  'U:https://musl.libc.org/',
  'L:MIT',
  'o:musl',
  'm:Timo Teräs <timo.teras@iki.fi>',
  't:1698155616',
  'c:6a6e3e8c8d7a0c6e0b1c8c3e2f1d0a9b8c7d6e5f',
  'F:lib',
  'R:ld-musl-x86_64.so.1',
  'a:0:0:755',
  'Z:Q1DSNEqG9pTBDtnz9tYuoHK0TDG2M=',
  '',
  'C:Q1WHd5bbcvhbmC6WNnP2nF9aWqxGE=',
  'P:libcrypto3',
  'V:3.1.4-r1',
  'A:x86_64',
  'o:openssl',
  'D:so:libc.musl-x86_64.so.1',
  'p:so:libcrypto.so.3=3',
  '',
  'P:libssl3',
  'V:3.1.4-r1',
  'A:x86_64',
  'o:openssl',
);

describe('apk installed: fuzz', () => {
  it('answers every mutated installed database with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(INSTALLED)],
      parse: (input) => scanEntries(apkPackageScanner, [{ path: APK_INSTALLED_PATH, content: input }]),
    });
  });
});
