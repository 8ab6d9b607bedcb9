/**
 * @module Clair's Go binaries take single-dash long flags (`-mode combo`,
 * `-conf=x.yaml`). This rewrites those to the double-dash form commander
 * parses, leaving everything else untouched.
 */
export function goStyleFlags(argv: readonly string[], longNames: readonly string[]): string[] {
  return argv.map((arg) => {
    const match = /^-([a-z][a-z-]+)(=.*)?$/.exec(arg);
    if (match && longNames.includes(match[1]!)) return `-${arg}`;
    return arg;
  });
}
