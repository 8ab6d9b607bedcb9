/**
 * @module Configuration loading, as upstream's `cmd.LoadConfig`: the main
 * file (`.yaml` or `.json`, chosen by extension; `.yml` is rejected), then the
 * drop-ins in `<file>.d/` in lexical order. A drop-in with the main file's
 * extension is an RFC 7386 merge patch; one ending `<ext>-patch` is an
 * RFC 6902 JSON patch written in the main file's format; anything else, and
 * any subdirectory, is skipped.
 *
 * @example
 * const { config, lints } = await loadConfig('/etc/clair/config.yaml', 'combo');
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import jsonpatch from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';
import { clairError } from '../lib/errors.js';
import { isPlainObject, normalizeDocument, setOwn } from './schema.js';
import type { LoadedConfig, Mode } from './types.js';
import { validateConfig, type ValidateOptions } from './validate.js';

type Format = 'yaml' | 'json';
type Obj = Record<string, unknown>;

/** The extensions accepted for the main file. */
export const CONFIG_EXTENSIONS = ['.yaml', '.json'] as const;

function formatOf(path: string): Format {
  const ext = extname(path);
  if (ext === '.yaml') return 'yaml';
  if (ext === '.json') return 'json';
  const hint = ext === '.yml' ? ' (rename it to .yaml: ".yml" is not supported, as upstream)' : '';
  throw clairError(
    'CONFIG_UNREADABLE',
    `config ${JSON.stringify(path)}: unknown config kind ${JSON.stringify(ext)}: the file name must end in .yaml or .json${hint}`,
  );
}

/**
 * Deeper than any configuration needs (free-form updater blocks included).
 * The merge, validation and printing steps recurse, so a deeper document
 * would overflow the stack rather than be refused.
 */
const MAX_CONFIG_DEPTH = 100;

/**
 * Why a parsed document cannot be configuration, or `undefined`: nested past
 * {@link MAX_CONFIG_DEPTH}, or (YAML) an alias inside the node it names, which
 * the YAML reader turns into a cycle and yaml.v3 refuses.
 */
function shapeProblem(value: unknown, depth = 0, open = new Set<object>()): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (open.has(value)) return 'an alias refers to a node that contains it';
  if (depth >= MAX_CONFIG_DEPTH) return `values are nested more than ${MAX_CONFIG_DEPTH} levels deep`;
  open.add(value);
  for (const child of Object.values(value)) {
    const problem = shapeProblem(child, depth + 1, open);
    if (problem !== undefined) return problem;
  }
  open.delete(value);
  return undefined;
}

/** Parses one file's text as YAML or JSON into plain JSON values. */
function parseText(text: string, format: Format, path: string): unknown {
  const value = parseValue(text, format, path);
  const problem = shapeProblem(value);
  if (problem !== undefined) throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: ${problem}`);
  return value;
}

function parseValue(text: string, format: Format, path: string): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      // V8 quotes a snippet of the source ('…, "{"key": "hunt…" is not valid JSON'); it may hold a secret.
      const safe = (err as Error).message.replace(/,? ".*" is not valid JSON/s, ' (not valid JSON)');
      throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: ${safe}`);
    }
  }
  // yaml.v3 semantics: YAML 1.2 core schema plus "<<" merge keys.
  // An empty stream (only comments or whitespace) is an empty list.
  // No pretty errors: they quote the offending source line, which may hold a secret.
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: false });
  if (docs.length > 1) {
    throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: contains ${docs.length} YAML documents; only one is allowed`);
  }
  const doc = docs[0];
  if (doc === undefined) return null;
  const error = doc.errors[0];
  if (error !== undefined) {
    const before = text.slice(0, error.pos[0]).split('\n');
    const where = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: ${where}: ${error.message}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err });
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw clairError('CONFIG_UNREADABLE', `error reading file ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a document that must be a mapping (main file or merge patch). An empty YAML file is `{}`. */
async function readObject(path: string, format: Format): Promise<Obj> {
  const value = parseText(await readText(path), format, path);
  if (value === null && format === 'yaml') return {};
  if (!isPlainObject(value)) {
    throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: not a ${format === 'yaml' ? 'YAML mapping' : 'JSON object'}`);
  }
  return value;
}

/** Reads an RFC 6902 patch document (a list of operations). */
async function readPatch(path: string, format: Format): Promise<jsonpatch.Operation[]> {
  const value = parseText(await readText(path), format, path);
  if (!Array.isArray(value)) {
    throw clairError('CONFIG_UNREADABLE', `malformed file ${JSON.stringify(path)}: not a patch document (expected a list of operations)`);
  }
  return value as jsonpatch.Operation[];
}

/**
 * Applies an RFC 7386 JSON merge patch: objects merge recursively, `null`
 * deletes a key, anything else (lists included) replaces.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Obj = {};
  if (isPlainObject(target)) for (const [k, v] of Object.entries(target)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatch(out[k], v));
  }
  return out;
}

/** Byte-wise order of file names, like Go's `filepath.WalkDir`. */
function lexical(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The drop-in files of `<path>.d/` in lexical order; subdirectories (and links to them) are skipped. */
async function dropIns(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw clairError('CONFIG_UNREADABLE', `error reading drop-in directory ${JSON.stringify(dir)}: ${(err as Error).message}`, { cause: err });
  }
  const files: string[] = [];
  for (const name of names.sort(lexical)) {
    const full = join(dir, name);
    try {
      if ((await stat(full)).isDirectory()) continue;
    } catch {
      // A dangling link: let reading it report the error if its extension matters.
    }
    files.push(full);
  }
  return files;
}

/** A one-line description of a fast-json-patch failure that never includes the document. */
function describePatchError(err: unknown): string {
  if (err instanceof jsonpatch.JsonPatchError) {
    const first = err.message.split('\n')[0] ?? err.name;
    const op = isPlainObject(err.operation) ? err.operation : {};
    const where = typeof op.path === 'string' ? ` at path ${JSON.stringify(op.path)}` : '';
    const index = err.index === undefined ? '' : ` (operation ${err.index}${typeof op.op === 'string' ? `, "${op.op}"` : ''}${where})`;
    return `${err.name}: ${first}${index}`;
  }
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
}

/**
 * Reads the main configuration file and applies its drop-ins, returning the
 * merged document with no defaults applied: what `clairctl check-config`
 * prints. `null` values and empty plain-struct objects (`matchers: {}`) on
 * known keys are dropped, as Go's decode/encode round trip does, so the
 * result matches upstream's `want.json` fixtures.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_UNREADABLE` when a file cannot be read
 * or parsed or has an unsupported extension; `CLAIR_ERR_CONFIG_INVALID` when
 * a patch does not apply or the merged document is empty.
 */
export async function readConfigDocument(path: string): Promise<unknown> {
  const main = normalize(path);
  const format = formatOf(main);
  const ext = extname(main);
  let doc: Obj = await readObject(main, format);

  for (const file of await dropIns(`${main}.d`)) {
    const dext = extname(file);
    if (dext === ext) {
      const patch = await readObject(file, format);
      doc = mergePatch(doc, patch) as Obj;
    } else if (dext === `${ext}-patch`) {
      const ops = await readPatch(file, format);
      try {
        const result = jsonpatch.applyPatch(doc, ops, true, false).newDocument as unknown;
        if (!isPlainObject(result)) throw new TypeError('the patch replaced the document with a non-object');
        doc = result;
      } catch (err) {
        // No `cause`: fast-json-patch puts the whole document (secrets included) in its error.
        throw clairError('CONFIG_INVALID', `error applying patch ${JSON.stringify(file)}: ${describePatchError(err)}`);
      }
    }
  }

  const out = normalizeDocument(doc);
  if (Object.keys(out).length === 0) {
    throw clairError('CONFIG_INVALID', `error loading config ${JSON.stringify(main)}: empty document after merges`);
  }
  return out;
}

/**
 * Loads, merges and validates the configuration at `path` for `mode`.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_UNREADABLE` or `CLAIR_ERR_CONFIG_INVALID`;
 * validation errors list every problem, one per line.
 */
export async function loadConfig(path: string, mode: Mode, options: ValidateOptions = {}): Promise<LoadedConfig> {
  return validateConfig(await readConfigDocument(path), mode, options);
}
