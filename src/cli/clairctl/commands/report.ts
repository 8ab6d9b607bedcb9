/**
 * @module `clairctl report [flags] IMAGE...`: the vulnerability report of
 * each image, with Clair's clairctl flags (`--host`/CLAIR_API, `-o`,
 * `-k/--keep-going`, `--novel`) and this project's (`--local`, `--platform`,
 * `--insecure`, `--severity`, `--ignore-unfixed`, `--fail-on`,
 * `--serve-addr`, `--advertise-addr`).
 *
 * Images are worked on four at a time and printed in argument order. Exit
 * codes: 0, or `FAIL_ON_EXIT` when `--fail-on` finds a finding at or above
 * its severity, or 1 when an image failed (with `--keep-going`, after the
 * others are printed), or 2 for a usage error.
 */
import { Command, Option } from 'commander';
import { globalsOf } from '../globals.js';
import { inOrder, reportFor } from '../report-flow.js';
import { openSession, type SessionOptions } from '../session.js';
import { submitOptions } from './options.js';
import { createFormatter, failOn, filterReport, FAIL_ON_EXIT, OUTPUT_FORMATS, parseSeverity, useColor, type OutputFormat, type ReportResult } from '../output/index.js';
import type { NormalizedSeverity } from '../../../model/index.js';

/** Images worked on at once. */
const CONCURRENCY = 4;

interface ReportOptions extends SessionOptions {
  out: OutputFormat;
  keepGoing?: boolean;
  severity?: NormalizedSeverity;
  ignoreUnfixed?: boolean;
  failOn?: NormalizedSeverity;
}

export function reportCommand(): Command {
  const command = new Command('report')
    .description('request and print Clair vulnerability reports for the named images')
    .argument('<image...>', 'registry references, docker-archive tarballs, OCI layouts (directory or tarball) or Clair manifest JSON files')
    .addOption(new Option('-o, --out <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(new Option('-k, --keep-going', 'when reporting several images, do not stop at the first error'))
    .addOption(new Option('--novel', 'only submit manifests the indexer does not know yet'))
    .addOption(new Option('--severity <severity>', 'show only vulnerabilities at or above this severity').argParser(parseSeverity))
    .addOption(new Option('--ignore-unfixed', 'show only vulnerabilities with a known fix'))
    .addOption(new Option('--fail-on <severity>', `exit ${FAIL_ON_EXIT} when a shown vulnerability is at or above this severity`).argParser(parseSeverity));
  submitOptions(command);
  return command.action(async (images: string[], opts: ReportOptions, cmd: Command) => {
    const session = await openSession(globalsOf(cmd), opts);
    const controller = new AbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    let failed = 0;
    let findings = false;
    try {
      const formatter = createFormatter(opts.out, process.stdout, { color: useColor(process.stdout) });
      const work = async (name: string): Promise<ReportResult> => {
        try {
          return await reportFor(name, session.flow, controller.signal);
        } catch (err) {
          if (!opts.keepGoing) controller.abort(err);
          return { name, digest: '', error: err as Error };
        }
      };
      await inOrder(images, CONCURRENCY, work, async (result) => {
        if (result.error) {
          failed++;
          // Without --keep-going, only the error that stopped the run is told, not the aborts it caused.
          if (controller.signal.aborted && controller.signal.reason !== result.error) return;
          process.stderr.write(`clairctl: ${result.name}: ${result.error.message}\n`);
          if (!opts.keepGoing) return;
        }
        const shown = result.report ? { ...result, report: filterReport(result.report, { minSeverity: opts.severity, ignoreUnfixed: opts.ignoreUnfixed === true }) } : result;
        if (opts.failOn && failOn([shown], opts.failOn)) findings = true;
        await formatter.write(shown);
      });
      await formatter.close();
    } finally {
      process.off('SIGINT', onSignal);
      await session.close();
    }
    if (failed > 0) process.exitCode = 1;
    else if (findings) process.exitCode = FAIL_ON_EXIT;
  });
}
