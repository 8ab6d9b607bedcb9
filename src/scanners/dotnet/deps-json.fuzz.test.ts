/** Fuzzing the .NET deps.json reader through the scanner, from a real-format deps.json. */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { scanEntries } from '../../test-support/scan.js';
import { dotnetPackageScanner } from './package-scanner.js';

const DEPS = JSON.stringify(
  {
    runtimeTarget: { name: '.NETCoreApp,Version=v8.0/linux-x64', signature: '' },
    compilationOptions: {},
    targets: {
      '.NETCoreApp,Version=v8.0': {},
      '.NETCoreApp,Version=v8.0/linux-x64': {
        'App/1.0.0': { dependencies: { 'Newtonsoft.Json': '13.0.1' }, runtime: { 'App.dll': {} } },
        'Newtonsoft.Json/13.0.1': { runtime: { 'lib/net6.0/Newtonsoft.Json.dll': { assemblyVersion: '13.0.0.0', fileVersion: '13.0.1.25517' } } },
        'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1': { runtime: { 'System.Text.Json.dll': {} } },
        'Microsoft.Build.Tasks/17.0.0': {},
        'SQLitePCLRaw.lib.e_sqlite3/2.1.6': { runtimeTargets: { 'runtimes/linux-x64/native/libe_sqlite3.so': { rid: 'linux-x64', assetType: 'native' } } },
      },
    },
    libraries: {
      'App/1.0.0': { type: 'project', serviceable: false, sha512: '' },
      'Newtonsoft.Json/13.0.1': { type: 'package', serviceable: true, sha512: 'sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==', path: 'newtonsoft.json/13.0.1' },
      'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1': { type: 'runtimepack', serviceable: false, sha512: '' },
      'Microsoft.Build.Tasks/17.0.0': { type: 'package' },
      'SQLitePCLRaw.lib.e_sqlite3/2.1.6': { type: 'Package' },
    },
  },
  null,
  2,
);

describe('.NET deps.json: fuzz', () => {
  it('answers every mutated deps.json with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(DEPS)],
      parse: (input) => scanEntries(dotnetPackageScanner, [{ path: 'app/App.deps.json', content: input }]),
    });
  });
});
