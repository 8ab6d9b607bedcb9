/**
 * @module The flags every clairctl command shares, as Clair's clairctl:
 * `-c/--config` (env CLAIR_CONF, default `config.yaml`), `-D` (debug logs),
 * `-q` (quieter logs) and `--issuer/--iss` (the JWT `iss` of PSK-signed
 * requests, default `clairctl`). A command reads them with `globalsOf`.
 *
 * Logs go to stderr, so stdout carries only the command's output.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config/types.js';
import { loadConfig, validateConfig } from '../../config/index.js';
import { createLogger, type Logger } from '../../lib/logger.js';

export interface GlobalOptions {
  config: string;
  /** True when `--config` (or CLAIR_CONF) named the file, rather than the default. */
  configNamed: boolean;
  debug: boolean;
  quiet: boolean;
  issuer: string;
}

export const DEFAULT_CONFIG_FILE = 'config.yaml';
export const DEFAULT_ISSUER = 'clairctl';

/** The global options as seen from any (sub)command. */
export function globalsOf(command: Command): GlobalOptions {
  const o = command.optsWithGlobals<{ config?: string; D?: boolean; q?: boolean; issuer?: string }>();
  const fromEnv = process.env.CLAIR_CONF || undefined;
  return {
    config: o.config ?? fromEnv ?? DEFAULT_CONFIG_FILE,
    configNamed: o.config !== undefined || fromEnv !== undefined,
    debug: o.D === true,
    quiet: o.q === true,
    issuer: o.issuer ?? DEFAULT_ISSUER,
  };
}

/**
 * A logger on stderr at the level `-D`/`-q` pick (info otherwise), written
 * as Go's slog text handler writes, as Clair's clairctl logs:
 * `time=… level=INFO msg="…" key=value`.
 */
export function cliLogger(g: GlobalOptions, out: NodeJS.WritableStream = process.stderr): Logger {
  return createLogger(g.debug ? 'debug' : g.quiet ? 'warn' : 'info', { write: (line: string) => void out.write(slogText(line)) });
}

const SKIPPED = new Set(['time', 'level', 'msg', 'pid']);

/** One pino JSON line as a slog text line. */
export function slogText(line: string): string {
  const record = JSON.parse(line) as Record<string, unknown>;
  const parts = [`time=${String(record.time)}`, `level=${String(record.level).toUpperCase()}`, `msg=${quote(String(record.msg ?? ''))}`];
  for (const [key, value] of Object.entries(record)) {
    if (!SKIPPED.has(key)) parts.push(`${key}=${quote(typeof value === 'string' ? value : JSON.stringify(value))}`);
  }
  return `${parts.join(' ')}\n`;
}

const quote = (value: string) => (/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value));

/**
 * The config file, validated as combo mode reads it. As upstream, commands
 * that only sign requests use it when it exists and carry on without it when
 * the default name is absent; a file the user named must exist.
 */
export async function optionalConfig(g: GlobalOptions): Promise<Config | undefined> {
  if (!g.configNamed && !(existsSync(g.config) && statSync(g.config).isFile())) return undefined;
  return (await loadConfig(g.config, 'combo')).config;
}

/** The config file, for commands that cannot run without one; the defaults when the default name is absent. */
export async function requiredConfig(g: GlobalOptions): Promise<Config> {
  return (await optionalConfig(g)) ?? validateConfig({}, 'combo').config;
}
