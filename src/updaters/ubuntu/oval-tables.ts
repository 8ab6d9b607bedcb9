/**
 * @module The lookup tables of a dpkg OVAL document: `dpkginfo_test`s (→
 * object and state), `dpkginfo_object`s (→ package name, or a `var_ref` to
 * a constant variable), `dpkginfo_state`s (→ EVR and arch) and
 * `constant_variable`s (→ values, e.g. every binary of a source package).
 *
 * They follow the definitions in the document, so they are collected in a
 * first pass; definitions are joined against them in a second, one at a
 * time. Only ids and short strings are kept: a few MB for a full release.
 */
import { detach, type XmlHandlers } from './xml.js';

/** A `dpkginfo_test`: which object to look for and, optionally, the state it must be in. */
export interface DpkgTest {
  objectRef: string;
  /** Absent: the test only checks the package exists (no fix known). */
  stateRef: string | undefined;
}

/** A `dpkginfo_object`: the package name, given or by variable. */
export interface DpkgObject {
  name: string;
  /** Set when the name is a `var_ref` to a constant variable. */
  varRef: string | undefined;
}

/** A `dpkginfo_state`: the version (and arch) a vulnerable package has. */
export interface DpkgState {
  /** Absent: not a package version check. */
  evr: string | undefined;
  arch: string | undefined;
  archOperation: string | undefined;
}

/** Every lookup table of one document, by OVAL id. */
export interface OvalTables {
  tests: Map<string, DpkgTest>;
  objects: Map<string, DpkgObject>;
  states: Map<string, DpkgState>;
  variables: Map<string, string[]>;
}

/** Fresh, empty tables for pass 1 to fill. */
export function emptyTables(): OvalTables {
  return { tests: new Map(), objects: new Map(), states: new Map(), variables: new Map() };
}

type Capture = 'name' | 'evr' | 'arch' | 'value' | undefined;

/** Handlers filling `tables` from a document's tests, objects, states and variables. */
export function tableHandlers(tables: OvalTables): XmlHandlers {
  let test: { id: string; t: DpkgTest } | undefined;
  let object: { id: string; o: DpkgObject } | undefined;
  let state: { id: string; s: DpkgState } | undefined;
  let variable: { id: string; values: string[] } | undefined;
  let capture: Capture;
  let text = '';

  return {
    open(name, a) {
      switch (name) {
        case 'dpkginfo_test':
          test = a.id ? { id: a.id, t: { objectRef: '', stateRef: undefined } } : undefined;
          break;
        case 'object':
          // The first object and state of a test count (the schema allows one object).
          if (test && test.t.objectRef === '') test.t.objectRef = a.object_ref ?? '';
          break;
        case 'state':
          if (test && test.t.stateRef === undefined && a.state_ref) test.t.stateRef = a.state_ref;
          break;
        case 'dpkginfo_object':
          object = a.id ? { id: a.id, o: { name: '', varRef: undefined } } : undefined;
          break;
        case 'dpkginfo_state':
          state = a.id ? { id: a.id, s: { evr: undefined, arch: undefined, archOperation: undefined } } : undefined;
          break;
        case 'constant_variable':
          variable = a.id ? { id: a.id, values: [] } : undefined;
          break;
        case 'name':
          if (object) {
            object.o.varRef = a.var_ref || undefined;
            capture = 'name';
          }
          break;
        case 'evr':
          if (state) capture = 'evr';
          break;
        case 'arch':
          if (state) {
            state.s.archOperation = a.operation;
            capture = 'arch';
          }
          break;
        case 'value':
          if (variable) capture = 'value';
          break;
        default:
          return;
      }
      text = '';
    },
    text(t) {
      if (capture) text += t;
    },
    close(name) {
      switch (name) {
        case 'dpkginfo_test':
          if (test && test.t.objectRef !== '') tables.tests.set(test.id, test.t);
          test = undefined;
          break;
        case 'dpkginfo_object':
          if (object) tables.objects.set(object.id, object.o);
          object = undefined;
          break;
        case 'dpkginfo_state':
          if (state) tables.states.set(state.id, state.s);
          state = undefined;
          break;
        case 'constant_variable':
          if (variable) tables.variables.set(variable.id, variable.values);
          variable = undefined;
          break;
        case 'name':
          if (capture === 'name' && object) object.o.name = detach(text.trim());
          break;
        case 'evr':
          if (capture === 'evr' && state) state.s.evr = detach(text.trim());
          break;
        case 'arch':
          if (capture === 'arch' && state) state.s.arch = detach(text.trim());
          break;
        case 'value':
          if (capture === 'value' && variable) variable.values.push(detach(text.trim()));
          break;
        default:
          return;
      }
      capture = undefined;
    },
  };
}
