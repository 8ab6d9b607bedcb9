/**
 * Writes openapi.yaml from the route schemas. `src/http/openapi.test.ts`
 * fails when the committed file and the generated document differ.
 */
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, renderOpenApiFile } from '../src/http/openapi-document.js';

writeFileSync(OPENAPI_FILE, await renderOpenApiFile());
console.log(`wrote ${OPENAPI_FILE}`);
