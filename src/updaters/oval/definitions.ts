/**
 * @module Second pass over an OVAL file: the `<definition>` elements, one at
 * a time, as they stream by. Memory is bounded by the largest single
 * definition (its description is usually the biggest part) plus one read
 * chunk; reading stops at `</definitions>`, since the tests, objects and
 * states after it were taken by the first pass.
 */
import type { Criteria, CriteriaNode, OvalDefinition } from './types.js';
import { parseOvalDate } from './date.js';
import { saxItems, type XmlReadOptions } from './xml.js';

function newDefinition(attrs: Readonly<Record<string, string>>): OvalDefinition {
  return {
    id: attrs['id'] ?? '',
    class: attrs['class'] ?? '',
    title: '',
    description: '',
    affected: [],
    references: [],
    advisory: { severity: '', issued: undefined, updated: undefined, cves: [], bugzillas: [], refs: [], bugs: [], affectedCpes: [] },
    criteria: undefined,
  };
}

const isNegated = (attrs: Readonly<Record<string, string>>): boolean => attrs['negate'] === 'true' || attrs['negate'] === '1';

/** Builds definitions from SAX events; `done` collects the finished ones. */
class DefinitionBuilder {
  readonly done: OvalDefinition[] = [];
  finished = false;
  #def: OvalDefinition | undefined;
  /** Local names from the `<definition>` down. */
  #path: string[] = [];
  #criteria: Criteria[] = [];
  #text = '';
  #attrs: Readonly<Record<string, string>> = {};

  open(name: string, attrs: Readonly<Record<string, string>>): void {
    if (this.#def === undefined) {
      if (name === 'definition') {
        this.#def = newDefinition(attrs);
        this.#path = [name];
      }
      return;
    }
    const parent = this.#path[this.#path.length - 1];
    this.#path.push(name);
    this.#text = '';
    this.#attrs = attrs;
    const def = this.#def;
    if (name === 'criteria' && (parent === 'definition' || parent === 'criteria')) {
      const node: Criteria = { type: 'criteria', operator: attrs['operator'] ?? 'AND', negate: isNegated(attrs), comment: attrs['comment'] ?? '', children: [] };
      const up = this.#criteria[this.#criteria.length - 1];
      if (up === undefined) def.criteria ??= node;
      else up.children.push(node);
      this.#criteria.push(node);
    } else if (name === 'criterion' && parent === 'criteria') {
      this.#addCriterion({ type: 'criterion', testRef: attrs['test_ref'] ?? '', comment: attrs['comment'] ?? '', negate: isNegated(attrs) });
    } else if (name === 'extend_definition' && parent === 'criteria') {
      this.#addCriterion({ type: 'extend_definition', definitionRef: attrs['definition_ref'] ?? '', comment: attrs['comment'] ?? '', negate: isNegated(attrs) });
    } else if (name === 'affected' && parent === 'metadata') {
      def.affected.push({ family: attrs['family'] ?? '', platforms: [] });
    } else if (name === 'reference' && parent === 'metadata') {
      def.references.push({ source: attrs['source'] ?? '', refId: attrs['ref_id'] ?? '', refUrl: attrs['ref_url'] ?? '' });
    } else if (parent === 'advisory' && (name === 'issued' || name === 'updated')) {
      def.advisory[name] = parseOvalDate(attrs['date'] ?? '');
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
    const text = this.#text;
    this.#text = '';
    if (name === 'definition' && parent === undefined) {
      this.done.push(def);
      this.#def = undefined;
      this.#criteria = [];
    } else if (name === 'criteria' && (parent === 'definition' || parent === 'criteria')) {
      this.#criteria.pop();
    } else if (parent === 'metadata') {
      if (name === 'title') def.title = text;
      else if (name === 'description') def.description = text;
    } else if (parent === 'affected' && name === 'platform') {
      def.affected[def.affected.length - 1]?.platforms.push(text.trim());
    } else if (parent === 'affected_cpe_list' && name === 'cpe') {
      def.advisory.affectedCpes.push(text.trim());
    } else if (parent === 'advisory') {
      this.#closeAdvisoryChild(def, name, text);
    }
  }

  text(text: string): void {
    if (this.#def !== undefined) this.#text += text;
  }

  #addCriterion(node: CriteriaNode): void {
    this.#criteria[this.#criteria.length - 1]?.children.push(node);
  }

  #closeAdvisoryChild(def: OvalDefinition, name: string, text: string): void {
    const attrs = this.#attrs;
    switch (name) {
      case 'severity':
        def.advisory.severity = text.trim();
        break;
      case 'cve':
        def.advisory.cves.push({ id: text.trim(), href: attrs['href'] ?? '' });
        break;
      case 'bugzilla':
        def.advisory.bugzillas.push({ id: attrs['id'] ?? text.trim(), href: attrs['href'] ?? '' });
        break;
      case 'ref':
        def.advisory.refs.push(text.trim());
        break;
      case 'bug':
        def.advisory.bugs.push(text.trim());
        break;
      case 'issued':
      case 'updated':
        // Some feeds put the date in the element text rather than the attribute.
        def.advisory[name] ??= parseOvalDate(text.trim());
        break;
    }
  }
}

/** Streams the definitions of the OVAL document at `path`, in document order. */
export async function* readDefinitions(path: string, options: XmlReadOptions): AsyncGenerator<OvalDefinition> {
  yield* saxItems(path, new DefinitionBuilder(), options);
}
