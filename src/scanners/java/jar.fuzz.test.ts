/**
 * Fuzzing the jar reader through the scanner: zip archives with a manifest,
 * pom.properties (stored and deflated) and a nested jar.
 */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { buildZip, manifest } from '../../test-support/jar-builder.js';
import { scanEntries } from '../../test-support/scan.js';
import { javaPackageScanner } from './scanner.js';

const POM = 'groupId=org.apache.commons\nartifactId=commons-lang3\nversion=3.12.0\n';
const INNER = buildZip([
  { name: 'META-INF/', content: '' },
  { name: 'META-INF/MANIFEST.MF', content: manifest({ 'Manifest-Version': '1.0', 'Bundle-SymbolicName': 'com.google.guava;singleton:=true', 'Bundle-Version': '32.1.2.jre' }) },
]);
const FAT = buildZip([
  { name: 'META-INF/MANIFEST.MF', content: manifest({ 'Manifest-Version': '1.0', 'Implementation-Vendor-Id': 'com.example', 'Implementation-Title': 'app', 'Implementation-Version': '1.0.0' }), method: 'deflate' },
  { name: 'META-INF/maven/org.apache.commons/commons-lang3/pom.properties', content: POM, method: 'deflate' },
  { name: 'BOOT-INF/lib/guava-32.1.2-jre.jar', content: INNER },
  { name: 'org/example/App.class', content: Buffer.from('cafebabe00000041', 'hex') },
]);
const MANIFEST_ONLY = buildZip([
  {
    name: 'META-INF/MANIFEST.MF',
    content: manifest(
      { 'Manifest-Version': '1.0', 'Specification-Vendor': 'The Apache Software Foundation', 'Bundle-Name': 'log4j-api', 'Specification-Version': '2.17.1' },
      [{ Name: 'org/apache/logging/log4j/', 'Implementation-Version': '2.17.1' }],
    ),
  },
]);

describe('java archives: fuzz', () => {
  it('answers every mutated jar with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [FAT, MANIFEST_ONLY, INNER],
      parse: (input) => scanEntries(javaPackageScanner, [{ path: 'opt/app/lib/app-1.0.0.jar', content: input }]),
    });
  });
});
