import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScannedPackage } from '../../model/scanned.js';
import { scanEntries } from '../../test-support/scan.js';
import { osvRepository } from '../../updaters/osv/records.js';
import { parseDepsJson } from './deps-json.js';
import { DOTNET_SCANNER_KIND, DOTNET_SCANNER_NAME, DOTNET_SCANNER_VERSION, dotnetPackageScanner } from './package-scanner.js';

// `dotnet publish -c Release` of an ASP.NET Core 8 app (framework-dependent), in the shape the SDK writes.
const WEBAPP = JSON.stringify(
  {
    runtimeTarget: { name: '.NETCoreApp,Version=v8.0', signature: '' },
    compilationOptions: {},
    targets: {
      '.NETCoreApp,Version=v8.0': {
        'WebApp/1.0.0': {
          dependencies: { 'Newtonsoft.Json': '12.0.3', 'Serilog.AspNetCore': '8.0.0', 'Microsoft.SourceLink.GitHub': '8.0.0', 'Shared.Library': '1.0.0', 'System.Data.SqlClient': '4.8.5' },
          runtime: { 'WebApp.dll': {} },
        },
        'Microsoft.Build.Tasks.Git/8.0.0': {},
        'Microsoft.SourceLink.GitHub/8.0.0': { dependencies: { 'Microsoft.Build.Tasks.Git': '8.0.0' } },
        'Newtonsoft.Json/12.0.3': { runtime: { 'lib/netstandard2.0/Newtonsoft.Json.dll': { assemblyVersion: '12.0.0.0', fileVersion: '12.0.3.23909' } } },
        'Serilog/3.1.1': { runtime: { 'lib/net7.0/Serilog.dll': { assemblyVersion: '2.0.0.0', fileVersion: '3.1.1.0' } } },
        'Serilog.AspNetCore/8.0.0': {
          dependencies: { Serilog: '3.1.1', 'System.Text.Json': '8.0.0' },
          runtime: { 'lib/net8.0/Serilog.AspNetCore.dll': { assemblyVersion: '7.0.0.0', fileVersion: '8.0.0.0' } },
        },
        'System.Text.Json/8.0.0': {},
        'System.Data.SqlClient/4.8.5': {
          dependencies: { 'runtime.native.System.Data.SqlClient.sni': '4.7.0' },
          runtimeTargets: {
            'runtimes/unix/lib/netcoreapp2.1/System.Data.SqlClient.dll': { rid: 'unix', assetType: 'runtime', assemblyVersion: '4.6.1.5', fileVersion: '4.700.22.51706' },
            'runtimes/win/lib/netcoreapp2.1/System.Data.SqlClient.dll': { rid: 'win', assetType: 'runtime', assemblyVersion: '4.6.1.5', fileVersion: '4.700.22.51706' },
          },
        },
        'Shared.Library/1.0.0': { runtime: { 'Shared.Library.dll': { assemblyVersion: '1.0.0.0', fileVersion: '1.0.0.0' } } },
      },
    },
    libraries: {
      'WebApp/1.0.0': { type: 'project', serviceable: false, sha512: '' },
      'Microsoft.Build.Tasks.Git/8.0.0': { type: 'package', serviceable: true, sha512: 'sha512-bZKfSIKJRXLTuSzLudMFte/8CempWjVamNUR5eHJizsy+iuOuO/k2gnh7W0dHJmYY0tBf+gUErfluCv5mySAOQ==', path: 'microsoft.build.tasks.git/8.0.0', hashPath: 'microsoft.build.tasks.git.8.0.0.nupkg.sha512' },
      'Microsoft.SourceLink.GitHub/8.0.0': { type: 'package', serviceable: true, sha512: 'sha512-G5q7OqtwIyGTkeIOAc3u2ZuV/kicQaec5EaRnc0pIeSnh9LUjj+PYQrJYBURvDt7twGl2PKA7nSN0kz1Zw5bnQ==', path: 'microsoft.sourcelink.github/8.0.0', hashPath: 'microsoft.sourcelink.github.8.0.0.nupkg.sha512' },
      'Newtonsoft.Json/12.0.3': { type: 'package', serviceable: true, sha512: 'sha512-6mgjfnRB4jKMlzHSl+VD+oUc1IebOZabkbyWj2RiTgWwYPPuaK1H97G1sHqGwPlS5npiF5Q0OrxN1wni2n5QWg==', path: 'newtonsoft.json/12.0.3', hashPath: 'newtonsoft.json.12.0.3.nupkg.sha512' },
      'Serilog/3.1.1': { type: 'package', serviceable: true, sha512: 'sha512-P6G4/4Kt9bT635bhuwdXlJ2SCqqn2nhh4gqFqQueCOr9bK/e7W9ll/IoX1Ter948cV2Z/5+5v8pAfJYUISY03A==', path: 'serilog/3.1.1', hashPath: 'serilog.3.1.1.nupkg.sha512' },
      'Serilog.AspNetCore/8.0.0': { type: 'package', serviceable: true, sha512: 'sha512-FAjtKPZ4IzqFQBqZKPv6evcXK/F0ls7RoXI/62Pnx2igkDZ6nZ/jn/C/FxVATqQbEQvtqP+KViWYIe4NZIHa2w==', path: 'serilog.aspnetcore/8.0.0', hashPath: 'serilog.aspnetcore.8.0.0.nupkg.sha512' },
      'System.Text.Json/8.0.0': { type: 'package', serviceable: true, sha512: 'sha512-OdrZO2WjkiEG6ajEFRABTRCi/wuXQPxeV6g8xvUJqdxMvvuCCEk86zPla8UiIQJz3durtUEbNyY/3lIhS0yZvQ==', path: 'system.text.json/8.0.0', hashPath: 'system.text.json.8.0.0.nupkg.sha512' },
      'System.Data.SqlClient/4.8.5': { type: 'package', serviceable: true, sha512: 'sha512-fRuEKK8TkzaVkNvY1YBMEBOcx/+8ij0G6MBcKEQ4sNDZRbPGhEcS4YX6DmpAd1Y0D9TDvA5jIP+0HCGNkoqpw==', path: 'system.data.sqlclient/4.8.5', hashPath: 'system.data.sqlclient.4.8.5.nupkg.sha512' },
      'Shared.Library/1.0.0': { type: 'project', serviceable: false, sha512: '' },
    },
  },
  null,
  2,
);

// A self-contained publish (`-r linux-x64 --self-contained`): the runtime pack rides along.
const SELF_CONTAINED = JSON.stringify({
  runtimeTarget: { name: '.NETCoreApp,Version=v8.0/linux-x64', signature: '' },
  compilationOptions: {},
  targets: {
    '.NETCoreApp,Version=v8.0': {},
    '.NETCoreApp,Version=v8.0/linux-x64': {
      'Worker/1.0.0': { dependencies: { 'Microsoft.Extensions.Hosting': '8.0.0' }, runtime: { 'Worker.dll': {} } },
      'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1': {
        runtime: { 'System.Private.CoreLib.dll': { assemblyVersion: '8.0.0.0', fileVersion: '8.0.123.58001' } },
        native: { 'libSystem.Native.so': { fileVersion: '0.0.0.0' } },
      },
      'Microsoft.Extensions.Hosting/8.0.0': { runtime: { 'lib/net8.0/Microsoft.Extensions.Hosting.dll': { assemblyVersion: '8.0.0.0', fileVersion: '8.0.23.53103' } } },
    },
  },
  libraries: {
    'Worker/1.0.0': { type: 'project', serviceable: false, sha512: '' },
    'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1': { type: 'runtimepack', serviceable: false, sha512: '' },
    'Microsoft.Extensions.Hosting/8.0.0': { type: 'package', serviceable: true, sha512: 'sha512-x', path: 'microsoft.extensions.hosting/8.0.0', hashPath: 'microsoft.extensions.hosting.8.0.0.nupkg.sha512' },
  },
});

function pkg(path: string, name: string, version: string): ScannedPackage {
  return { name, version, kind: 'binary', arch: '', module: '', cpe: '', packageDb: `dotnet:${path}`, filepath: path, repositoryHint: 'nuget' };
}

describe('dotnet-core package scanner', () => {
  it('has its persisted identity and the repository OSV NuGet records name', () => {
    assert.deepEqual([DOTNET_SCANNER_NAME, DOTNET_SCANNER_VERSION, DOTNET_SCANNER_KIND], ['dotnet-core', '1', 'package']);
    assert.deepEqual(dotnetPackageScanner.defaultRepository, { name: 'nuget', key: '', uri: 'https://www.nuget.org/packages/', cpe: '' });
    const { name, key, uri } = osvRepository('NuGet');
    assert.deepEqual({ name, key, uri }, { name: 'nuget', key: '', uri: 'https://www.nuget.org/packages/' });
  });

  it('reports the NuGet packages an application loads: not projects, not packages without runtime assets', async () => {
    const found = await scanEntries(dotnetPackageScanner, [
      { path: 'app/WebApp.deps.json', content: WEBAPP },
      { path: 'app/WebApp.runtimeconfig.json', content: '{"runtimeOptions":{"tfm":"net8.0"}}' },
      { path: 'worker/Worker.deps.json', content: SELF_CONTAINED },
    ]);
    assert.deepEqual(found, [
      pkg('app/WebApp.deps.json', 'newtonsoft.json', '12.0.3'),
      pkg('app/WebApp.deps.json', 'serilog', '3.1.1'),
      pkg('app/WebApp.deps.json', 'serilog.aspnetcore', '8.0.0'),
      pkg('app/WebApp.deps.json', 'system.data.sqlclient', '4.8.5'),
      pkg('worker/Worker.deps.json', 'microsoft.netcore.app.runtime.linux-x64', '8.0.1'),
      pkg('worker/Worker.deps.json', 'microsoft.extensions.hosting', '8.0.0'),
    ]);
  });

  it('keeps every package when the runtime target is not described', () => {
    const doc = JSON.parse(WEBAPP) as { runtimeTarget: { name: string } };
    doc.runtimeTarget.name = '.NETCoreApp,Version=v9.0';
    const got = parseDepsJson(JSON.stringify(doc));
    assert.deepEqual(got.ok ? got.packages.map((p) => `${p.name}@${p.version}`) : got, [
      'microsoft.build.tasks.git@8.0.0',
      'microsoft.sourcelink.github@8.0.0',
      'newtonsoft.json@12.0.3',
      'serilog@3.1.1',
      'serilog.aspnetcore@8.0.0',
      'system.text.json@8.0.0',
      'system.data.sqlclient@4.8.5',
    ]);
  });

  it('skips files that are not deps.json, and library keys without a version', async () => {
    const found = await scanEntries(dotnetPackageScanner, [
      { path: 'a.deps.json', content: 'not json' },
      { path: 'b.deps.json', content: '{"targets": {}}' },
      { path: 'c.deps.json', content: JSON.stringify({ libraries: { 'NoVersion': { type: 'package' }, 'Trailing/': { type: 'package' }, 'Ok/1.0.0': { type: 'Package' }, 'Ref/1.0.0': { type: 'reference' } } }) },
      { path: 'd.json', content: WEBAPP },
    ]);
    assert.deepEqual(found, [pkg('c.deps.json', 'ok', '1.0.0')]);
  });

  it('says why a file is refused', () => {
    assert.deepEqual(parseDepsJson('{'), { ok: false, reason: 'not JSON' });
    assert.deepEqual(parseDepsJson('[]'), { ok: false, reason: 'no "libraries" object' });
  });

  it('stops when aborted', async () => {
    const c = new AbortController();
    c.abort(new Error('halt'));
    await assert.rejects(scanEntries(dotnetPackageScanner, [], { signal: c.signal }), /halt/);
  });
});
