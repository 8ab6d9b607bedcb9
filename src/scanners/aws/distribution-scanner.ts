/**
 * @module Amazon Linux distribution scanner (claircore
 * `aws.DistributionScanner`): the os-release `CPE_NAME` line identifies
 * Amazon Linux AMI (2017.03–2018.09, all reported as 2018.03, the release
 * ALAS data covers), Amazon Linux 2 and Amazon Linux 2023.
 */
import type { ScannedDistribution } from '../../indexer/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { distribution } from '../internal/distribution.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { toFsCpe } from '../osrelease/cpe.js';
import { OS_RELEASE_PATH } from '../osrelease/parse.js';

/** Persisted identity; changing it is a migration. */
export const AWS_DISTRIBUTION_SCANNER_NAME = 'aws';
export const AWS_DISTRIBUTION_SCANNER_VERSION = '2';
export const AWS_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** Amazon Linux AMI (AL1). */
export const AMAZON_LINUX_1 = distribution({
  did: 'amzn',
  name: 'Amazon Linux AMI',
  version: '2018.03',
  versionId: '2018.03',
  prettyName: 'Amazon Linux AMI 2018.03',
  cpe: toFsCpe('cpe:/o:amazon:linux:2018.03:ga') ?? '',
});

/** Amazon Linux 2. */
export const AMAZON_LINUX_2 = distribution({
  did: 'amzn',
  name: 'Amazon Linux',
  version: '2',
  versionId: '2',
  prettyName: 'Amazon Linux 2',
  cpe: toFsCpe('cpe:2.3:o:amazon:amazon_linux:2') ?? '',
});

/** Amazon Linux 2023. */
export const AMAZON_LINUX_2023 = distribution({
  did: 'amzn',
  name: 'Amazon Linux',
  version: '2023',
  versionId: '2023',
  prettyName: 'Amazon Linux 2023',
  cpe: toFsCpe('cpe:2.3:o:amazon:amazon_linux:2023') ?? '',
});

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
