/**
 * @module Configuration lints: advice about a configuration that is valid
 * but probably not what was meant (an unknown key, a renamed updater). They
 * are printed by `clair -check` and logged at start-up; errors, by contrast,
 * stop both. Plug-ins (updater sets, matchers, scanners) return them from
 * their config checks, so this type lives below every part that checks config.
 */

/** Non-fatal advice about a configuration, logged at start-up as a warning. */
export interface Lint {
  /** Dotted key path, e.g. `matcher.period` or `updaters.config.debian.mirror`. */
  path: string;
  message: string;
}
