/**
 * @module CVSS vector-string validation, as far as claircore's
 * `cvss.ParseV2/V3/V4` go before the VEX parser accepts a vector as a
 * record's severity: the right prefix, known metrics with known values,
 * no repeats, every base metric present; v2 and v4 in specification order,
 * v2 temporal and environmental groups all-or-nothing. Scores are not
 * computed: the updater stores the vector text only.
 *
 * Pure: no I/O, nothing throws.
 */

type Table = ReadonlyArray<readonly [metric: string, values: readonly string[], required: boolean]>;

const HLN = ['H', 'L', 'N'];

const V2: Table = [
  ['AV', ['L', 'A', 'N'], true], ['AC', ['H', 'M', 'L'], true], ['Au', ['M', 'S', 'N'], true],
  ['C', ['N', 'P', 'C'], true], ['I', ['N', 'P', 'C'], true], ['A', ['N', 'P', 'C'], true],
  ['E', ['U', 'POC', 'F', 'H', 'ND'], false], ['RL', ['OF', 'TF', 'W', 'U', 'ND'], false], ['RC', ['UC', 'UR', 'C', 'ND'], false],
  ['CDP', ['N', 'L', 'LM', 'MH', 'H', 'ND'], false], ['TD', ['N', 'L', 'M', 'H', 'ND'], false],
  ['CR', ['L', 'M', 'H', 'ND'], false], ['IR', ['L', 'M', 'H', 'ND'], false], ['AR', ['L', 'M', 'H', 'ND'], false],
];
/** v2 optional metrics come in groups that are given whole or not at all. */
const V2_GROUPS = [['E', 'RL', 'RC'], ['CDP', 'TD', 'CR', 'IR', 'AR']];

const V3: Table = [
  ['AV', ['N', 'A', 'L', 'P'], true], ['AC', ['L', 'H'], true], ['PR', ['N', 'L', 'H'], true], ['UI', ['N', 'R'], true],
  ['S', ['U', 'C'], true], ['C', HLN, true], ['I', HLN, true], ['A', HLN, true],
  ['E', ['X', 'U', 'P', 'F', 'H'], false], ['RL', ['X', 'O', 'T', 'W', 'U'], false], ['RC', ['X', 'U', 'R', 'C'], false],
  ['CR', ['X', 'L', 'M', 'H'], false], ['IR', ['X', 'L', 'M', 'H'], false], ['AR', ['X', 'L', 'M', 'H'], false],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], false], ['MAC', ['X', 'L', 'H'], false], ['MPR', ['X', 'N', 'L', 'H'], false],
  ['MUI', ['X', 'N', 'R'], false], ['MS', ['X', 'U', 'C'], false],
  ['MC', ['X', 'N', 'L', 'H'], false], ['MI', ['X', 'N', 'L', 'H'], false], ['MA', ['X', 'N', 'L', 'H'], false],
];

const V4: Table = [
  ['AV', ['N', 'A', 'L', 'P'], true], ['AC', ['L', 'H'], true], ['AT', ['N', 'P'], true], ['PR', ['N', 'L', 'H'], true],
  ['UI', ['N', 'P', 'A'], true], ['VC', HLN, true], ['VI', HLN, true], ['VA', HLN, true],
  ['SC', HLN, true], ['SI', HLN, true], ['SA', HLN, true],
  ['E', ['X', 'A', 'P', 'U'], false],
  ['CR', ['X', 'H', 'M', 'L'], false], ['IR', ['X', 'H', 'M', 'L'], false], ['AR', ['X', 'H', 'M', 'L'], false],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], false], ['MAC', ['X', 'L', 'H'], false], ['MAT', ['X', 'N', 'P'], false],
  ['MPR', ['X', 'N', 'L', 'H'], false], ['MUI', ['X', 'N', 'P', 'A'], false],
  ['MVC', ['X', 'H', 'L', 'N'], false], ['MVI', ['X', 'H', 'L', 'N'], false], ['MVA', ['X', 'H', 'L', 'N'], false],
  ['MSC', ['X', 'H', 'L', 'N'], false], ['MSI', ['X', 'S', 'H', 'L', 'N'], false], ['MSA', ['X', 'S', 'H', 'L', 'N'], false],
  ['S', ['X', 'N', 'P'], false], ['AU', ['X', 'N', 'Y'], false], ['R', ['X', 'A', 'U', 'I'], false],
  ['V', ['X', 'D', 'C'], false], ['RE', ['X', 'L', 'M', 'H'], false], ['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], false],
];

/** CVSS versions a vector can be checked as. */
export type CvssVersion = 'v2' | 'v3' | 'v4';

/** `undefined` when `vector` is a well-formed vector of `version`, else why not. */
export function cvssVectorProblem(version: CvssVersion, vector: string): string | undefined {
  let body = vector;
  if (version === 'v3') {
    if (!vector.startsWith('CVSS:3.0/') && !vector.startsWith('CVSS:3.1/')) return 'missing the CVSS:3.0/ or CVSS:3.1/ prefix';
    body = vector.slice('CVSS:3.x/'.length);
  } else if (version === 'v4') {
    if (!vector.startsWith('CVSS:4.0/')) return 'missing the CVSS:4.0/ prefix';
    body = vector.slice('CVSS:4.0/'.length);
  }
  const table = version === 'v2' ? V2 : version === 'v3' ? V3 : V4;
  const ordered = version !== 'v3'; // v3.x allows any order; v2 and v4 do not
  const seen = new Set<string>();
  let lastIndex = -1;
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return `malformed metric ${JSON.stringify(part)}`;
    const metric = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const index = table.findIndex(([m]) => m === metric);
    if (index < 0) return `unknown metric ${JSON.stringify(metric)}`;
    if (seen.has(metric)) return `metric ${metric} repeated`;
    if (!table[index]![1].includes(value)) return `metric ${metric} has unknown value ${JSON.stringify(value)}`;
    if (ordered && index < lastIndex) return `metric ${metric} out of order`;
    seen.add(metric);
    lastIndex = index;
  }
  const missing = table.filter(([m, , required]) => required && !seen.has(m)).map(([m]) => m);
  if (missing.length > 0) return `missing base metric(s) ${missing.join(', ')}`;
  if (version === 'v2') {
    for (const group of V2_GROUPS) {
      const present = group.filter((m) => seen.has(m)).length;
      if (present !== 0 && present !== group.length) return `incomplete metric group ${group.join('/')}`;
    }
  }
  return undefined;
}
