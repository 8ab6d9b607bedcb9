/**
 * @module Labels of a Dockerfile (claircore `rhel/dockerfile`): just enough
 * of the Dockerfile syntax to read the `LABEL` instructions of the build
 * Dockerfiles Red Hat ships in `root/buildinfo/`, with `ARG` and `ENV`
 * variables expanded (`$x`, `${x}`, `${x:-default}`, `${x:+set}`), quotes
 * removed, line continuations joined and comment lines inside instructions
 * skipped, as claircore's lexer and transformers do.
 *
 * One difference: an `# escape=` directive sets the escape character to the
 * one after `=` (claircore's parser reads the wrong rune there).
 *
 * Pure: no I/O.
 */

/** Go's `unicode.IsSpace` (the Unicode White_Space property). */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const isSpace = (r: string): boolean => SPACE.test(r);
/** Intraline whitespace. */
const isWhitespace = (r: string): boolean => r !== '\n' && isSpace(r);
const isLetter = (r: string): boolean => /\p{L}/u.test(r);
const validName = (r: string): boolean => /[\p{L}\p{Nd}_]/u.test(r);

/** Why a Dockerfile could not be read. */
export class DockerfileError extends Error {
  override readonly name = 'DockerfileError';
}

type ItemKind = 'comment' | 'instruction' | 'label' | 'arg' | 'env';
interface Item {
  kind: ItemKind;
  val: string;
}

/** The lexer: one item at a time, so the parser can change the escape character between lines. */
class Lexer {
  escchar = '\\';
  readonly #runes: string[];
  #pos = 0;

  constructor(text: string) {
    this.#runes = [...text];
  }

  next(): Item | undefined {
    while (this.#pos < this.#runes.length && isSpace(this.#runes[this.#pos]!)) this.#pos++;
    const r = this.#runes[this.#pos];
    if (r === undefined) return undefined;
    if (r === '#') {
      this.#pos++;
      while (this.#pos < this.#runes.length && isSpace(this.#runes[this.#pos]!)) this.#pos++;
      return { kind: 'comment', val: this.#collectLine() };
    }
    if (!isLetter(r)) throw new DockerfileError(`dockerfile: unknown rune ${JSON.stringify(r)}`);
    const ln = this.#collectLine();
    const i = [...ln].findIndex(isSpace);
    if (i < 0) throw new DockerfileError(`dockerfile: unexpected line: ${JSON.stringify(ln)}`);
    const chars = [...ln];
    const cmd = chars.slice(0, i).join('').toLowerCase();
    const rest = trimSpace(chars.slice(i).join(''));
    if (cmd === 'arg' || cmd === 'env' || cmd === 'label') return { kind: cmd, val: rest };
    return { kind: 'instruction', val: ln };
  }

  /** One logical line: continuations joined, comment lines inside it dropped. */
  #collectLine(): string {
    let sb = '';
    let esc = false;
    let inComment = false;
    let started = false;
    for (; this.#pos < this.#runes.length; this.#pos++) {
      const r = this.#runes[this.#pos]!;
      if (inComment && r === '\n') {
        inComment = false;
        started = false;
      } else if (inComment) {
        // skipped
      } else if (esc && r === '\r') {
        // Some build Dockerfiles have DOS line endings.
      } else if (esc && r === '\n') {
        esc = false;
        started = false;
      } else if (esc) {
        esc = false;
        sb += this.escchar + r;
      } else if (r === this.escchar) {
        esc = true;
        started = true;
      } else if (r === '\n') {
        break;
      } else if (!started && r === '#') {
        inComment = true;
      } else {
        if (!started && !isSpace(r)) started = true;
        sb += r;
      }
    }
    return sb;
  }
}

function trimSpace(s: string): string {
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && isSpace(chars[a]!)) a++;
  while (b > a && isSpace(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

const ESC_TABLE: Readonly<Record<string, string>> = { '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };

/** Undoes one level of quoting (claircore `Unquote`). */
export function unquote(s: string, escchar = '\\'): string {
  let state: 'bare' | 'single' | 'double' = 'bare';
  let esc = false;
  let out = '';
  for (const r of s) {
    if (!esc && r === escchar) {
      esc = true;
      continue;
    }
    if (!esc) {
      if (state === 'bare' && (r === '"' || r === "'")) state = r === '"' ? 'double' : 'single';
      else if ((state === 'double' && r === '"') || (state === 'single' && r === "'")) state = 'bare';
      else out += r;
      continue;
    }
    esc = false;
    const escapable = r === escchar || (state === 'bare' && (r === '"' || r === "'")) || (state === 'single' && r === "'") || (state === 'double' && r === '"');
    if (escapable) out += r;
    else if (state === 'double' && ESC_TABLE[r] !== undefined) out += ESC_TABLE[r];
    else out += escchar + r;
  }
  return out;
}

/**
 * Expands variables (claircore `Vars`): `$name`, `${name}`, `${name:-word}`,
 * `${name:+word}`; an escaped `$` is literal; unset variables expand to ''.
 *
 * @throws {DockerfileError} on `${name:x…}` with another modifier.
 */
export function expandVars(s: string, vars: ReadonlyMap<string, string>, escchar = '\\'): string {
  const runes = [...s];
  let out = '';
  let esc = false;
  for (let i = 0; i < runes.length; i++) {
    const r = runes[i]!;
    if (esc) {
      esc = false;
      out += r === '$' ? r : escchar + r;
      continue;
    }
    if (r === escchar) {
      esc = true;
      continue;
    }
    if (r !== '$') {
      out += r;
      continue;
    }
    if (i + 1 >= runes.length) break; // a dangling `$` expands to nothing
    if (runes[i + 1] !== '{') {
      let name = '';
      let j = i + 1;
      while (j < runes.length && validName(runes[j]!)) name += runes[j++];
      out += vars.get(name) ?? '';
      i = j - 1;
      continue;
    }
    let j = i + 2;
    let name = '';
    let mode: 'none' | 'default' | 'ifset' = 'none';
    let word = '';
    while (j < runes.length && runes[j] !== '}' && runes[j] !== ':') name += runes[j++];
    if (runes[j] === ':') {
      const m = runes[j + 1];
      if (m === '-') mode = 'default';
      else if (m === '+') mode = 'ifset';
      else throw new DockerfileError(`dockerfile: bad default spec in ${JSON.stringify(s)}`);
      j += 2;
      while (j < runes.length && runes[j] !== '}') word += runes[j++];
    }
    if (j >= runes.length) break; // unterminated: claircore emits nothing
    const value = vars.get(name);
    out += mode === 'none' ? (value ?? '') : mode === 'default' ? (value ?? word) : value !== undefined ? word : '';
    i = j;
  }
  return out;
}

/** Splits on unquoted, unescaped intraline whitespace (claircore `splitKV`), quirks included. */
function splitKV(escchar: string, s: string): string[] {
  const out: string[] = [];
  let esc = false;
  let quote = false;
  let ws = false;
  let quotechar = '';
  let start = 0;
  let cur = 0;
  for (const r of s) {
    for (;;) {
      if (esc) esc = false;
      else if (r === escchar) esc = true;
      else if (!quote && (r === '"' || r === "'")) {
        if (ws) start = cur;
        ws = false;
        quote = true;
        quotechar = r;
      } else if (quote && r === quotechar) {
        quote = false;
        quotechar = '';
      } else if (!quote && ws) {
        if (isWhitespace(r)) break;
        // A non-space ends the run: it starts the next pair; look at it again.
        start = cur;
        ws = false;
        continue;
      } else if (!quote && isWhitespace(r)) {
        out.push(s.slice(start, cur));
        ws = true;
      }
      break;
    }
    cur += r.length;
  }
  const rem = s.slice(start);
  if (rem.length > 0) out.push(rem);
  return out;
}

function isKV(s: string): boolean {
  const eq = s.indexOf('=');
  const sp = [...s].findIndex(isSpace);
  const spAt = sp < 0 ? -1 : [...s].slice(0, sp).join('').length;
  return eq !== -1 && (spAt === -1 || spAt >= eq);
}

/**
 * The labels a Dockerfile sets, later assignments winning, with `ARG` and
 * `ENV` values substituted (as if no build arguments were passed).
 *
 * @throws {DockerfileError} on syntax claircore rejects (a line that does
 *   not start an instruction, an assignment without `=`, a bad `${x:…}`).
 */
export function dockerfileLabels(text: string): Map<string, string> {
  const lexer = new Lexer(text);
  const vars = new Map<string, string>();
  const labels = new Map<string, string>();
  const assign = (val: string, set: (k: string, v: string) => void): void => {
    const e = lexer.escchar;
    if (isKV(val)) {
      for (const kv of splitKV(e, val)) {
        const idx = kv.indexOf('=');
        if (idx < 0) throw new DockerfileError(`dockerfile: invalid assignment syntax: ${JSON.stringify(val)}`);
        set(unquote(kv.slice(0, idx), e), expandVars(unquote(kv.slice(idx + 1), e), vars, e));
      }
      return;
    }
    const chars = [...val];
    const sp = chars.findIndex(isSpace);
    // claircore panics here; an error is kinder.
    if (sp < 0) throw new DockerfileError(`dockerfile: invalid assignment syntax: ${JSON.stringify(val)}`);
    const rest = chars.slice(sp).join('');
    set(unquote(chars.slice(0, sp).join(''), e), expandVars(rest.slice(rest.length - trimLeftSpace(rest).length), vars, e));
  };
  for (let item = lexer.next(); item !== undefined; item = lexer.next()) {
    switch (item.kind) {
      case 'env':
        assign(item.val, (k, v) => vars.set(k, v));
        break;
      case 'arg': {
        const idx = item.val.indexOf('=');
        if (idx < 0) break;
        const e = lexer.escchar;
        vars.set(unquote(item.val.slice(0, idx), e), expandVars(unquote(item.val.slice(idx + 1), e), vars, e));
        break;
      }
      case 'label':
        // Not documented, but LABEL also takes the `LABEL key value` form.
        assign(item.val, (k, v) => labels.set(k, v));
        break;
      case 'comment': {
        const v = trimSpace(item.val);
        const eq = v.indexOf('=');
        if (v.toLowerCase().includes('escape=') && eq >= 0) {
          const [esc] = [...v.slice(eq + 1)];
          if (esc !== undefined) lexer.escchar = esc;
        }
        break;
      }
      case 'instruction':
        break;
    }
  }
  return labels;
}

function trimLeftSpace(s: string): string {
  const chars = [...s];
  let a = 0;
  while (a < chars.length && isSpace(chars[a]!)) a++;
  return chars.slice(a).join('');
}
