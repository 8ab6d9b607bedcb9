/**
 * @module First pass over an OVAL file: the rpminfo tests, objects and states
 * (everything outside `<definitions>`), kept as compact maps so the second
 * pass can resolve each definition's criteria as it streams by.
 *
 * Memory: proportional to the number of rpminfo tests, objects and states,
 * a few short strings each (ids, a package name, an EVR, an arch pattern).
 * Definition text, the bulk of an OVAL file, is not kept. Elements are found
 * by name wherever they sit, so a misnamed container (one SUSE excerpt wraps
 * its states in `<state>` rather than `<states>`) does not hide them.
 */
import { clairError } from '../../lib/errors.js';
import type { OvalValue, RpmInfoState, RpmInfoTables } from './types.js';
import { saxFile, type XmlReadOptions } from './xml.js';

/** The OVAL default when an entity has no `operation` attribute. */
export const DEFAULT_OPERATION = 'equals';

const STATE_ENTITIES = new Set(['evr', 'arch', 'signature_keyid', 'version', 'release']);

interface StateDraft {
  id: string;
  values: Map<string, OvalValue>;
}

/** Reads the rpminfo tables of the OVAL document at `path`. */
export async function readRpmInfoTables(path: string, options: XmlReadOptions): Promise<RpmInfoTables> {
  const tables: RpmInfoTables = { tests: new Map(), objects: new Map(), states: new Map(), otherTests: 0 };
  let root: string | undefined;
  let definitionsDepth = 0;
  let test: { id: string; objectRef: string; stateRefs: string[] } | undefined;
  let object: { id: string; name: string } | undefined;
  let state: StateDraft | undefined;
  // The element whose text is being collected, with its operation.
  let capture: { name: string; operation: string; text: string } | undefined;

  const handlers = {
    open(name: string, attrs: Readonly<Record<string, string>>): void {
      if (root === undefined) {
        root = name;
        if (name !== 'oval_definitions') {
          throw clairError('UPDATER_PARSE', `${options.component}: not an OVAL definitions document (root element <${name}>)`);
        }
        return;
      }
      if (name === 'definitions' || definitionsDepth > 0) {
        definitionsDepth++;
        return;
      }
      if (test !== undefined) {
        if (name === 'object' && test.objectRef === '') test.objectRef = attrs['object_ref'] ?? '';
        if (name === 'state' && attrs['state_ref'] !== undefined) test.stateRefs.push(attrs['state_ref']);
        return;
      }
      if (name === 'rpminfo_test') {
        test = { id: attrs['id'] ?? '', objectRef: '', stateRefs: [] };
      } else if (name.endsWith('_test')) {
        tables.otherTests++;
      } else if (name === 'rpminfo_object') {
        object = { id: attrs['id'] ?? '', name: '' };
      } else if (object !== undefined && name === 'name') {
        capture = { name, operation: DEFAULT_OPERATION, text: '' };
      } else if (name === 'rpminfo_state') {
        state = { id: attrs['id'] ?? '', values: new Map() };
      } else if (state !== undefined && STATE_ENTITIES.has(name)) {
        capture = { name, operation: attrs['operation'] ?? DEFAULT_OPERATION, text: '' };
      }
    },
    close(name: string): void {
      if (definitionsDepth > 0) {
        definitionsDepth--;
        return;
      }
      if (capture !== undefined && name === capture.name) {
        if (object !== undefined) object.name = capture.text.trim();
        else state?.values.set(capture.name, { value: capture.text.trim(), operation: capture.operation });
        capture = undefined;
      } else if (name === 'rpminfo_test' && test !== undefined) {
        tables.tests.set(test.id, { objectRef: test.objectRef, stateRefs: test.stateRefs });
        test = undefined;
      } else if (name === 'rpminfo_object' && object !== undefined) {
        tables.objects.set(object.id, object.name);
        object = undefined;
      } else if (name === 'rpminfo_state' && state !== undefined) {
        tables.states.set(state.id, toState(state.values));
        state = undefined;
      }
    },
    text(text: string): void {
      if (capture !== undefined) capture.text += text;
    },
  };

  for await (const _ of saxFile(path, handlers, options));
  if (root === undefined) throw clairError('UPDATER_PARSE', `${options.component}: empty OVAL document`);
  return tables;
}

function toState(values: Map<string, OvalValue>): RpmInfoState {
  return {
    evr: values.get('evr'),
    arch: values.get('arch'),
    signatureKeyId: values.get('signature_keyid'),
    version: values.get('version'),
    release: values.get('release'),
  };
}
