/** @module Flags several clairctl commands share, spelled once. */
import { Command, Option } from 'commander';
import { DEFAULT_HOST } from '../session.js';

export function hostOption(): Option {
  return new Option('--host <url>', 'URL of the Clair v1 API').env('CLAIR_API').default(DEFAULT_HOST);
}

/** How images are found: `--platform`, `--insecure`. */
export function imageOptions(command: Command): Command {
  return command
    .addOption(new Option('--platform <os/arch[/variant]>', 'the platform to pick from a multi-platform image (default linux/amd64)'))
    .addOption(new Option('--insecure', 'talk to registries over plain HTTP, or HTTPS without verifying certificates'));
}

/** Where images go: `--host` or `--local`, and how local archives' layers are served. */
export function submitOptions(command: Command): Command {
  return imageOptions(command)
    .addOption(hostOption().conflicts('local'))
    .addOption(new Option('--local', 'run Clair in this process on the config\'s databases (the embedded PostgreSQL by default) instead of calling --host'))
    .addOption(new Option('--serve-addr <host:port>', 'where to listen while serving local archives\' layers to the indexer').default('127.0.0.1:0'))
    .addOption(new Option('--advertise-addr <url>', 'the base URL the indexer should fetch served layers from (default: the listen address)'));
}
