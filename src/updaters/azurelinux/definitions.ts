/**
 * @module The `<definition>`s of an Azure Linux / CBL-Mariner OVAL file, one
 * at a time, through the shared streaming SAX reader (`../oval/xml.ts`).
 *
 * Microsoft's layout differs from the Red Hat one the shared definitions
 * reader knows: the fields that decide a record sit directly in
 * `<metadata>` (`<patchable>`, `<advisory_id>`, `<advisory_date>`,
 * `<severity>`), not in an `<advisory>` block, and there is one definition
 * per (CVE, source package). Only what the records need is kept, and only
 * for the definition being read, so memory is bounded by one definition plus
 * one read chunk. Reading stops at `</definitions>`; the tests, objects and
 * states after it come from the shared tables pass.
 */
import { parseOvalDate } from '../oval/date.js';
import { saxItems, type XmlReadOptions } from '../oval/xml.js';
import type { OvalReference } from '../oval/types.js';

/** One definition as the Azure Linux records need it. Text fields are trimmed. */
export interface AzureLinuxDefinition {
  id: string;
  /** `vulnerability` in every published file. */
  class: string;
  title: string;
  description: string;
  /** `<affected><platform>`: `Azure Linux` or `CBL-Mariner`. */
  platforms: string[];
  references: OvalReference[];
  /** `true`, `false` or `Not Applicable` (a CVE that never or no longer applies). */
  patchable: string;
  advisoryId: string;
  advisoryDate: Date | undefined;
  /** `<metadata><severity>`, else the Red Hat-style `<advisory><severity>`. */
  severity: string;
  /** The `test_ref` of every criterion not negated, at any depth, in document order. */
  testRefs: string[];
}

/** Elements whose text is kept, by their parent. */
const METADATA_TEXT = new Set(['title', 'description', 'patchable', 'advisory_id', 'advisory_date', 'severity']);

function newDefinition(attrs: Readonly<Record<string, string>>): AzureLinuxDefinition {
  return {
    id: attrs['id'] ?? '',
    class: attrs['class'] ?? '',
    title: '',
    description: '',
    platforms: [],
    references: [],
    patchable: '',
    advisoryId: '',
    advisoryDate: undefined,
    severity: '',
    testRefs: [],
  };
}

/** Builds definitions from SAX events; `done` collects the finished ones. */
class DefinitionReader {
  readonly done: AzureLinuxDefinition[] = [];
  finished = false;
  #def: AzureLinuxDefinition | undefined;
  /** Local element names from `<definition>` down. */
  #path: string[] = [];
  /** Text of the element being captured, if it is one that is kept. */
  #text: string | undefined;
  /** Advisory-block fallbacks, used when `<metadata>` has none. */
  #advisorySeverity = '';

  open(name: string, attrs: Readonly<Record<string, string>>): void {
    const def = this.#def;
    if (def === undefined) {
      // Past </definitions>, the rest of the chunk being parsed is ignored.
      if (name === 'definition' && !this.finished) {
        this.#def = newDefinition(attrs);
        this.#path = [name];
        this.#advisorySeverity = '';
      }
      return;
    }
    const parent = this.#path[this.#path.length - 1];
    this.#path.push(name);
    this.#text = undefined;
    if (parent === 'metadata' && METADATA_TEXT.has(name)) this.#text = '';
    else if (parent === 'affected' && name === 'platform') this.#text = '';
    else if (parent === 'advisory' && name === 'severity') this.#text = '';
    else if (parent === 'metadata' && name === 'reference') {
      def.references.push({ source: attrs['source'] ?? '', refId: attrs['ref_id'] ?? '', refUrl: attrs['ref_url'] ?? '' });
    } else if (name === 'criterion' && parent === 'criteria') {
      const negated = attrs['negate'] === 'true' || attrs['negate'] === '1';
      if (!negated && attrs['test_ref']) def.testRefs.push(attrs['test_ref']);
    }
  }

  close(name: string): void {
    const def = this.#def;
    if (def === undefined) {
      if (name === 'definitions') this.finished = true;
      return;
    }
    this.#path.pop();
    const parent = this.#path[this.#path.length - 1];
    const text = (this.#text ?? '').trim();
    this.#text = undefined;
    if (parent === undefined) {
      def.severity ||= this.#advisorySeverity;
      this.done.push(def);
      this.#def = undefined;
    } else if (parent === 'metadata') {
      this.#closeMetadataChild(def, name, text);
    } else if (parent === 'affected' && name === 'platform') {
      def.platforms.push(text);
    } else if (parent === 'advisory' && name === 'severity') {
      this.#advisorySeverity = text;
    }
  }

  text(text: string): void {
    if (this.#text !== undefined) this.#text += text;
  }

  #closeMetadataChild(def: AzureLinuxDefinition, name: string, text: string): void {
    switch (name) {
      case 'title':
        def.title = text;
        break;
      case 'description':
        def.description = text;
        break;
      case 'patchable':
        def.patchable = text;
        break;
      case 'advisory_id':
        def.advisoryId = text;
        break;
      case 'advisory_date':
        def.advisoryDate = parseOvalDate(text);
        break;
      case 'severity':
        def.severity = text;
        break;
    }
  }
}

/** Streams the definitions of the OVAL document at `path`, in document order. */
export async function* readAzureLinuxDefinitions(path: string, options: XmlReadOptions): AsyncGenerator<AzureLinuxDefinition> {
  yield* saxItems(path, new DefinitionReader(), options);
}
