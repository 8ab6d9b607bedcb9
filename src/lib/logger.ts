/**
 * @module Logging: pino JSON to stdout, constant messages with bindings
 * ("<process> <event>"), child loggers carrying `component`.
 */
import pino, { type Logger } from 'pino';

/** Clair's log levels (`log_level`). */
export const LOG_LEVELS = ['debug-color', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Clair's levels mapped onto pino's (pino has no panic; debug-color is debug). */
const LEVELS: Record<LogLevel, pino.LevelWithSilent> = {
  'debug-color': 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  panic: 'fatal',
};

export function createLogger(level: LogLevel | 'silent', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: level === 'silent' ? 'silent' : LEVELS[level],
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
