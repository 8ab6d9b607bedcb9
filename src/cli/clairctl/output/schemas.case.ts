/**
 * Validators for the published JSON schemas the SBOM and SARIF formats must
 * satisfy: SARIF 2.1.0 (vendored in ./schemas, see its README), CycloneDX
 * 1.6 with its SPDX-licence and JSF schemas (shipped by the
 * `@cyclonedx/cyclonedx-library` test dependency) and SPDX 2.3 (spdx-spec
 * tag v2.3 `schemas/spdx-schema.json`, which no npm package ships: vendored
 * in ./schemas and checked against the official file's SHA-256).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export type Validate = (document: unknown) => string[];

function validator(schemas: object[], main: string): Validate {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  addDraft2019Formats(ajv);
  for (const schema of schemas) ajv.addSchema(schema);
  const validate = ajv.getSchema(main);
  if (!validate) throw new Error(`schema ${main} did not load`);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { $id: string };

export function sarifValidator(): Validate {
  const schema = readJson(join(here, 'schemas', 'sarif-schema-2.1.0.json'));
  return validator([schema], schema.$id);
}

export function cycloneDxValidator(): Validate {
  const dir = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  // The library names its copies *.SNAPSHOT.schema.json; their $ids are the published names.
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8').replace(/(spdx|jsf-0\.82)\.SNAPSHOT\.schema\.json/g, '$1.schema.json')) as { $id: string };
  const bom = read('bom-1.6.SNAPSHOT.schema.json');
  return validator([bom, read('spdx.SNAPSHOT.schema.json'), read('jsf-0.82.SNAPSHOT.schema.json')], bom.$id);
}

export const SPDX_SCHEMA = join(here, 'schemas', 'spdx-schema-2.3.json');
/** SHA-256 of spdx-spec v2.3 `schemas/spdx-schema.json`. */
export const SPDX_SCHEMA_SHA256 = '239208b7ac287b3cf5d9a9af23f9d69863971102a5e1587a27a398b43490b89b';

/** The SPDX 2.3 validator, or why there is none. */
export function spdxValidator(path = process.env.CLAIR_TEST_SPDX_SCHEMA ?? SPDX_SCHEMA): Validate | string {
  if (!existsSync(path)) return `SPDX 2.3 schema absent: ${path} (spdx-spec v2.3 schemas/spdx-schema.json; SPDX schema validation skipped)`;
  const bytes = readFileSync(path);
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (sum !== SPDX_SCHEMA_SHA256) return `SPDX 2.3 schema at ${path} is not the official file (sha256 ${sum}); SPDX schema validation skipped`;
  const schema = JSON.parse(bytes.toString('utf8')) as { $id: string };
  return validator([schema], schema.$id);
}
