/**
 * @module Whether and how the text format colours its output.
 *
 * The decision is the caller's (`FormatterOptions.color`); `useColor`
 * makes it the usual way: `FORCE_COLOR` wins when set (`0` or `false` turn
 * colour off, anything else on, as Node's own `FORCE_COLOR` reads), then a
 * non-empty `NO_COLOR` turns it off (no-color.org), then `TERM=dumb`, and
 * otherwise colour is used when the stream is a terminal.
 */
import picocolors from 'picocolors';
import type { NormalizedSeverity } from '../../../model/vulnerability.js';

/** Decides whether output to `stream` should be coloured. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The styles the text format uses; identity functions when colour is off. */
export interface Palette {
  title(text: string): string;
  heading(text: string): string;
  error(text: string): string;
  severity(severity: NormalizedSeverity, text: string): string;
}

export function palette(color: boolean): Palette {
  const c = picocolors.createColors(color);
  const bySeverity: Record<NormalizedSeverity, (s: string) => string> = {
    Critical: (s) => c.bold(c.red(s)),
    High: c.red,
    Medium: c.yellow,
    Low: c.cyan,
    Negligible: c.dim,
    Unknown: c.dim,
  };
  return {
    title: c.bold,
    heading: c.bold,
    error: c.red,
    severity: (severity, text) => bySeverity[severity](text),
  };
}
