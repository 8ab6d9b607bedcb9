/**
 * @module Wire vulnerabilities for tests, shaped as the matcher store returns
 * them: package, distribution and repository always objects, empty where the
 * record names nothing.
 */
import type { Distribution, Vulnerability } from '../model/index.js';

/** A distribution with every field empty, as a record without one reads back. */
export const NO_DISTRIBUTION: Distribution = { id: '', did: '', name: '', version: '', version_code_name: '', version_id: '', arch: '', cpe: '', pretty_name: '' };

/** A vulnerability with claircore's empty defaults, overridden by `fields`. */
export function testVulnerability(fields: Partial<Vulnerability> & Pick<Vulnerability, 'name'>): Vulnerability {
  return {
    id: '1',
    updater: 'test',
    description: '',
    issued: '0001-01-01T00:00:00Z',
    links: '',
    severity: '',
    normalized_severity: 'Unknown',
    package: { id: '', name: '', version: '', normalized_version: '', cpe: '' },
    distribution: NO_DISTRIBUTION,
    repository: { cpe: '' },
    fixed_in_version: '',
    ...fields,
  };
}
