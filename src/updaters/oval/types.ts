/**
 * @module The parts of an OVAL definitions document (OVAL 5, the
 * `oval-definitions-5` and `#linux` schemas) that the rpminfo updaters read:
 * definitions with their metadata and criteria trees, and the rpminfo tests,
 * objects and states those criteria point at. Field names follow the XML.
 */

/** A `<criterion>`: a reference to one test. */
export interface Criterion {
  readonly type: 'criterion';
  readonly testRef: string;
  readonly comment: string;
  readonly negate: boolean;
}

/** An `<extend_definition>`: "this other definition must also hold". */
export interface ExtendDefinition {
  readonly type: 'extend_definition';
  readonly definitionRef: string;
  readonly comment: string;
  readonly negate: boolean;
}

/** A `<criteria>` node; `operator` is `AND` (the OVAL default), `OR`, `ONE` or `XOR`. */
export interface Criteria {
  readonly type: 'criteria';
  readonly operator: string;
  readonly negate: boolean;
  readonly comment: string;
  /** In document order. */
  readonly children: CriteriaNode[];
}

/** A child of a `<criteria>`. */
export type CriteriaNode = Criteria | Criterion | ExtendDefinition;

/** A `<reference source ref_id ref_url>`. */
export interface OvalReference {
  readonly source: string;
  readonly refId: string;
  readonly refUrl: string;
}

/** `<affected family>` with its `<platform>` names. */
export interface OvalAffected {
  readonly family: string;
  readonly platforms: string[];
}

/** The vendor `<advisory>` block (Red Hat's layout, which Oracle, SUSE and Photon share). */
export interface OvalAdvisory {
  severity: string;
  issued: Date | undefined;
  updated: Date | undefined;
  /** `<cve href>CVE-…</cve>`. */
  readonly cves: Array<{ id: string; href: string }>;
  /** `<bugzilla href id>`. */
  readonly bugzillas: Array<{ id: string; href: string }>;
  /** `<ref>URL</ref>` (Ubuntu's layout). */
  readonly refs: string[];
  /** `<bug>URL</bug>` (Ubuntu's layout). */
  readonly bugs: string[];
  /** `<affected_cpe_list><cpe>…`. */
  readonly affectedCpes: string[];
}

/** One `<definition>`. Text fields are as in the document, whitespace included. */
export interface OvalDefinition {
  id: string;
  class: string;
  title: string;
  description: string;
  readonly affected: OvalAffected[];
  readonly references: OvalReference[];
  readonly advisory: OvalAdvisory;
  /** The top `<criteria>`; absent in some SUSE definitions that list CVEs without packages. */
  criteria: Criteria | undefined;
}

/** An element value with its OVAL `operation` (`equals` when the attribute is absent, per the schema). */
export interface OvalValue {
  readonly value: string;
  readonly operation: string;
}

/** An `<rpminfo_test>`: exactly one object and optional states. */
export interface RpmInfoTest {
  readonly objectRef: string;
  readonly stateRefs: readonly string[];
}

/** The entities of an `<rpminfo_state>` that matter for vulnerability data. */
export interface RpmInfoState {
  readonly evr: OvalValue | undefined;
  readonly arch: OvalValue | undefined;
  readonly signatureKeyId: OvalValue | undefined;
  readonly version: OvalValue | undefined;
  readonly release: OvalValue | undefined;
}

/**
 * Everything outside `<definitions>` that resolving rpminfo criteria needs,
 * keyed by OVAL id. Tests of other kinds (`uname_test`, `rpmverifyfile_test`,
 * …) are only counted: like claircore, criteria pointing at them are skipped.
 */
export interface RpmInfoTables {
  readonly tests: Map<string, RpmInfoTest>;
  /** rpminfo object id → package name. */
  readonly objects: Map<string, string>;
  readonly states: Map<string, RpmInfoState>;
  /** Tests of kinds other than rpminfo, which resolve to nothing. */
  otherTests: number;
}
