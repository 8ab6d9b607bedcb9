/** Types for `ajv-formats-draft2019` (a test dependency, shipped without them): adds the draft 2019-09 string formats (`iri-reference`, `idn-email`, …) to an Ajv instance. */
declare module 'ajv-formats-draft2019' {
  import type Ajv from 'ajv';
  function addFormats<T extends Ajv>(ajv: T, options?: { formats?: string[] }): T;
  export default addFormats;
}
