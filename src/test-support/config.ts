/**
 * @module Configs for tests: validated like a real file, listening on
 * loopback port 0 so tests never collide, quiet logs.
 */
import { mergePatch, validateConfig } from '../config/index.js';
import type { Config, Mode } from '../config/types.js';
import { createLogger, type Logger } from '../lib/logger.js';

export function testConfig(mode: Mode, raw: Record<string, unknown> = {}): Config {
  // Updaters stay off unless a test turns them on: they would reach for the internet.
  const base = { http_listen_addr: '127.0.0.1:0', introspection_addr: '127.0.0.1:0', log_level: 'error', matcher: { disable_updaters: true } };
  return validateConfig(mergePatch(base, raw), mode, { env: {}, checkFiles: false }).config;
}

export const quietLogger = (): Logger => createLogger(process.env.CLAIR_TEST_LOG ? 'debug' : 'silent');
