/**
 * @module Amazon Linux distribution scanner (claircore
 * `aws.DistributionScanner`): the os-release `CPE_NAME` line identifies
 * Amazon Linux AMI (2017.03–2018.09, all reported as 2018.03, the release
 * ALAS data covers), Amazon Linux 2 and Amazon Linux 2023.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { OS_RELEASE_PATH } from '../osrelease/parse.js';
import { AMAZON_LINUX_1, AMAZON_LINUX_2, AMAZON_LINUX_2023 } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const AWS_DISTRIBUTION_SCANNER_NAME = 'aws';
export const AWS_DISTRIBUTION_SCANNER_VERSION = '2';
export const AWS_DISTRIBUTION_SCANNER_KIND = 'distribution';

// claircore's patterns, matched against the raw file, first match wins.
const RELEASES: readonly (readonly [RegExp, ScannedDistribution])[] = [
  [/CPE_NAME="cpe:\/o:amazon:linux:201.\.0[39]:ga"/, AMAZON_LINUX_1],
  [/CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"/, AMAZON_LINUX_2],
  [/CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"/, AMAZON_LINUX_2023],
];

/** The Amazon Linux release an os-release file's text names, if any. */
export function awsFromOsRelease(text: string): ScannedDistribution | undefined {
  return RELEASES.find(([re]) => re.test(text))?.[1];
}

/** Detects Amazon Linux releases. */
export const awsDistributionScanner = {
  name: AWS_DISTRIBUTION_SCANNER_NAME,
  version: AWS_DISTRIBUTION_SCANNER_VERSION,
  kind: AWS_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const text = await readSmallText(layer, OS_RELEASE_PATH, AWS_DISTRIBUTION_SCANNER_NAME);
    const dist = text === undefined ? undefined : awsFromOsRelease(text);
    return dist === undefined ? [] : [{ ...dist }];
  },
} satisfies DistributionScanner;
