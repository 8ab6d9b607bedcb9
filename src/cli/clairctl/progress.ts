/**
 * @module Progress of long work (resolving images, serving and indexing
 * layers, waiting for reports) on stderr: one spinner naming what each image
 * is waiting for, on a terminal only. Off with `-q` or when stderr is not a
 * TTY, so scripts and CI logs get nothing but the output and the errors.
 */
import ora, { type Ora } from 'ora';

export interface Progress {
  /** Says what `name` is doing now. */
  status(name: string, doing: string): void;
  /** `name` is finished; it leaves the spinner. */
  done(name: string): void;
  stop(): void;
}

const SILENT: Progress = { status() {}, done() {}, stop() {} };

export function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return SILENT;
  const doing = new Map<string, string>();
  let spinner: Ora | undefined;
  const render = () => {
    if (doing.size === 0) {
      spinner?.stop();
      spinner = undefined;
      return;
    }
    const text = [...doing].map(([name, what]) => `${name}: ${what}`).join('\n  ');
    if (spinner) spinner.text = text;
    else spinner = ora({ text, stream, discardStdin: false }).start();
  };
  return {
    status(name, what) {
      doing.set(name, what);
      render();
    },
    done(name) {
      doing.delete(name);
      render();
    },
    stop() {
      doing.clear();
      render();
    },
  };
}
