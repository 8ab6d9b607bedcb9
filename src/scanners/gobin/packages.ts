/**
 * @module Go build information to packages (claircore `gobin/exe.go`
 * `toPackages`): the standard library, the main module and every dependency.
 */
import type { ScannedPackage } from '../../model/scanned.js';
import { normalizedVersion, type NormalizedVersion } from '../../versions/scheme.js';
import type { GoBuildInfo } from './buildinfo.js';

const VERSION_RE =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** claircore `fitInt32`: at most the first nine digits, so the value always fits. */
function fitInt32(seg: string): number {
  return seg === '' ? 0 : Number.parseInt(seg.slice(0, 9), 10);
}

/**
 * claircore `gobin.ParseVersion`: kind `semver`, V[1..3] = major, minor,
 * patch (missing ones 0, each cut to nine digits); pre-release and build
 * metadata are dropped, so pseudo-versions collapse onto their base.
 * `undefined` for strings that are not semantic versions.
 */
export function parseGoVersion(v: string): NormalizedVersion | undefined {
  const m = VERSION_RE.exec(v);
  if (m === null) return undefined;
  return normalizedVersion('semver', [0, fitInt32(m[1]!), fitInt32((m[2] ?? '').slice(1)), fitInt32((m[3] ?? '').slice(1))]);
}

/** claircore's description of a `(devel)` main module: VCS stamps, when the build recorded any. */
function develVersion(info: GoBuildInfo): string {
  const v: string[] = [];
  for (const s of info.settings) {
    switch (s.key) {
      case 'vcs':
        v.push(s.value);
        break;
      case 'vcs.revision':
        v.push(s.value.length === 40 || s.value.length === 64 ? `commit ${s.value}` : `rev ${s.value}`);
        break;
      case 'vcs.time':
        v.push(`built at ${s.value}`);
        break;
      case 'vcs.modified':
        if (s.value === 'true') v.push('dirty');
        break;
      default:
    }
  }
  return v.length > 0 ? `(devel) (${v.join(', ')})` : '(devel)';
}

/** The packages of one Go executable at layer path `path`. */
export function goPackages(info: GoBuildInfo, path: string): ScannedPackage[] {
  const packageDb = `go:${path}`;
  const pkg = (name: string, version: string, normalized: NormalizedVersion | undefined): ScannedPackage => {
    const p: ScannedPackage = { name, version, kind: 'binary', arch: '', module: '', cpe: '', packageDb, filepath: path, repositoryHint: '' };
    if (normalized !== undefined) p.normalizedVersion = normalized;
    return p;
  };
  // "go1.20.12 X:strictfipsruntime" has been seen in the wild: keep only the version.
  let goVer = info.goVersion.startsWith('go') ? info.goVersion.slice(2) : info.goVersion;
  const space = goVer.indexOf(' ');
  if (space >= 0) goVer = goVer.slice(0, space);
  const out = [pkg('stdlib', goVer, parseGoVersion(goVer))];

  const mainNormalized = parseGoVersion(info.main.version);
  let mainVersion = info.main.version;
  if (mainNormalized === undefined && (mainVersion === '(devel)' || mainVersion === '')) mainVersion = develVersion(info);
  // This substitution makes the results look like `go version -m` output.
  out.push(pkg(info.main.path === '' ? 'command-line-arguments' : info.main.path, mainVersion, mainNormalized));

  for (const dep of info.deps) {
    // Replacements are evaluated once, for the main module: not recursive.
    const d = dep.replace ?? dep;
    out.push(pkg(d.path, d.version, parseGoVersion(d.version)));
  }
  return out;
}
