/**
 * @module .NET's `<app>.deps.json`, which `dotnet build`/`publish` writes
 * beside an application: `libraries` lists every library by
 * `"<Name>/<Version>"` with its `type` (`package` from NuGet, `project` from
 * the same build, `runtimepack` for the runtime a self-contained app
 * carries, `reference`); `targets["<tfm>[/<rid>]"]["<Name>/<Version>"]`
 * lists each library's assets for the target `runtimeTarget.name` names.
 *
 * What is a NuGet package here follows Trivy: `package` libraries, and
 * `runtimepack` ones under the runtime pack's NuGet name (the
 * `runtimepack.` prefix dropped, e.g. `Microsoft.NETCore.App.Runtime.linux-x64`);
 * projects and references are the application's own code. When the runtime
 * target's entries are there, a library without `runtime`, `runtimeTargets`
 * or `native` assets is left out: nothing of it is loaded at run time (a
 * build-only package, or one the shared framework supersedes).
 */

/** One NuGet package the application loads. */
export interface DepsPackage {
  /** Lower-cased: NuGet ids are case-insensitive, and OSV NuGet records are lower-cased to match. */
  name: string;
  version: string;
}

export type DepsJsonResult = { ok: true; packages: DepsPackage[] } | { ok: false; reason: string };

const RUNTIME_PACK_PREFIX = 'runtimepack.';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasAssets = (v: unknown) => isObject(v) && Object.keys(v).length > 0;

/**
 * The NuGet packages of a deps.json, in `libraries` order. Text that is not
 * JSON, or has no `libraries` object, is refused with the reason.
 */
export function parseDepsJson(text: string): DepsJsonResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(doc) || !isObject(doc.libraries)) return { ok: false, reason: 'no "libraries" object' };
  const runtimeTarget = isObject(doc.runtimeTarget) ? doc.runtimeTarget.name : undefined;
  const target = typeof runtimeTarget === 'string' && isObject(doc.targets) && isObject(doc.targets[runtimeTarget]) ? doc.targets[runtimeTarget] : undefined;
  const packages: DepsPackage[] = [];
  for (const [key, library] of Object.entries(doc.libraries)) {
    if (!isObject(library) || typeof library.type !== 'string') continue;
    const type = library.type.toLowerCase();
    if (type !== 'package' && type !== 'runtimepack') continue;
    const slash = key.indexOf('/');
    if (slash <= 0 || slash === key.length - 1) continue;
    if (target !== undefined && isObject(target[key])) {
      const entry = target[key];
      if (!hasAssets(entry.runtime) && !hasAssets(entry.runtimeTargets) && !hasAssets(entry.native)) continue;
    }
    let name = key.slice(0, slash);
    if (type === 'runtimepack' && name.startsWith(RUNTIME_PACK_PREFIX)) name = name.slice(RUNTIME_PACK_PREFIX.length);
    packages.push({ name: name.toLowerCase(), version: key.slice(slash + 1) });
  }
  return { ok: true, packages };
}
