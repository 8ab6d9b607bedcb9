/**
 * @module The Amazon Linux releases ALAS covers, as claircore's
 * `aws/releases.go`: the release token in the updater name, the default
 * `mirror.list` URL, and the distribution. Distributions are the AWS
 * distribution scanner's own constants, so a record's DID and VersionID (the
 * matcher's constraints) are exactly what an image of that release reports.
 */
import type { VulnerableDistribution } from '../../model/vulnerability-record.js';
import { AMAZON_LINUX_1, AMAZON_LINUX_2, AMAZON_LINUX_2023 } from '../../model/releases.js';

export const AWS_RELEASES = ['linux1', 'linux2', 'linux2023'] as const;
export type AwsRelease = (typeof AWS_RELEASES)[number];

export interface AwsReleaseInfo {
  /** Where the list of repository mirrors lives (one base URL per line). */
  mirrorList: string;
  distribution: VulnerableDistribution;
}

/** claircore's defaults (`mirrorlist()`) and distributions. */
export const AWS_RELEASE_INFO: Readonly<Record<AwsRelease, AwsReleaseInfo>> = {
  linux1: { mirrorList: 'http://repo.us-west-2.amazonaws.com/2018.03/updates/x86_64/mirror.list', distribution: AMAZON_LINUX_1 },
  linux2: { mirrorList: 'https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list', distribution: AMAZON_LINUX_2 },
  linux2023: { mirrorList: 'https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list', distribution: AMAZON_LINUX_2023 },
};

/** The persisted updater name, as claircore: `aws-linux2-updater`. */
export function awsUpdaterName(release: AwsRelease): string {
  return `aws-${release}-updater`;
}

export function isAwsRelease(value: string): value is AwsRelease {
  return (AWS_RELEASES as readonly string[]).includes(value);
}
