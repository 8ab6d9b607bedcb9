/**
 * @module The `aws` updater set: ALAS advisories for Amazon Linux 1
 * (2018.03), 2 and 2023, one updater per release, read from the yum
 * repositories' `updateinfo.xml.gz` (claircore `aws`).
 */
import type { SetContext, Updater, UpdaterSetFactory } from '../updater.js';
import { parseAwsConfig } from './config.js';
import { AwsUpdater } from './updater.js';

/** Persisted set name (`updaters.sets`). */
export const AWS_SET_NAME = 'aws';

/** The `aws` set: `aws-linux1-updater`, `aws-linux2-updater`, `aws-linux2023-updater`. */
export const awsFactory: UpdaterSetFactory = {
  name: AWS_SET_NAME,
  checkConfig: (config) => parseAwsConfig(config).lints,
  async create(ctx: SetContext): Promise<Updater[]> {
    const { config } = parseAwsConfig(ctx.config);
    return config.releases.map((release) => new AwsUpdater({ release, mirrorList: config.mirrorLists[release] }));
  },
};

export { parseAwsConfig, type AwsConfig } from './config.js';
export { parseMirrorList } from './mirrors.js';
export { fixedVersion, normalizeAwsSeverity, updateRecords } from './records.js';
export { AWS_RELEASES, AWS_RELEASE_INFO, awsUpdaterName, type AwsRelease } from './releases.js';
export { parseRepomd, type RepomdData } from './repomd.js';
export { readUpdateinfo, type Update, type UpdatePackage, type UpdateReference } from './updateinfo.js';
export { AwsUpdater, type AwsUpdaterOptions } from './updater.js';
