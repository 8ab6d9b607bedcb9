/**
 * @module CPE names as os-release files and distribution records carry them
 * (NISTIR 7695): unbinding the URI form (`cpe:/o:redhat:enterprise_linux:8`)
 * and the formatted-string form (`cpe:2.3:o:amazon:amazon_linux:2`) into a
 * well-formed name, and binding that back to the formatted string, which is
 * the form claircore stores and reports
 * (`cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*`).
 *
 * As claircore's `cpe.Unbind`, a formatted string may stop early: missing
 * attributes are ANY.
 */

/** The eleven attributes of a well-formed CPE name, in binding order. */
export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'sw_edition',
  'target_sw',
  'target_hw',
  'other',
] as const;

export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/**
 * An attribute value: ANY, NA, or a value in WFN form, where every character
 * other than a letter, digit or `_` is quoted with `\`, and an unquoted `*`
 * or `?` is a wildcard.
 */
export type CpeValue = { readonly kind: 'any' } | { readonly kind: 'na' } | { readonly kind: 'value'; readonly wfn: string };

/** A well-formed CPE name. */
export type Wfn = Readonly<Record<CpeAttribute, CpeValue>>;

const ANY: CpeValue = { kind: 'any' };
const NA: CpeValue = { kind: 'na' };
const ALNUM = /[A-Za-z0-9_]/;

/** Unbinds a URI (`cpe:/…`) or formatted-string (`cpe:2.3:…`) CPE name; `undefined` when it is not valid. */
export function unbindCpe(text: string): Wfn | undefined {
  if (text.startsWith('cpe:2.3:')) return unbindFs(text);
  if (/^cpe:\//i.test(text)) return unbindUri(text);
  return undefined;
}

/** Binds a name to the formatted string, `cpe:2.3:` and eleven attributes. */
export function bindCpeFs(wfn: Wfn): string {
  return `cpe:2.3:${CPE_ATTRIBUTES.map((a) => bindFsValue(wfn[a])).join(':')}`;
}

/** Unbinds and re-binds as a formatted string; `undefined` when `text` is not a valid CPE name. */
export function toFsCpe(text: string): string | undefined {
  const wfn = unbindCpe(text);
  return wfn === undefined ? undefined : bindCpeFs(wfn);
}

/** The plain text of a value (quoting removed); `''` for ANY and NA. */
export function cpeValueText(value: CpeValue): string {
  return value.kind === 'value' ? value.wfn.replace(/\\(.)/g, '$1') : '';
}

function makeWfn(values: ReadonlyMap<CpeAttribute, CpeValue>): Wfn | undefined {
  const out = {} as Record<CpeAttribute, CpeValue>;
  for (const a of CPE_ATTRIBUTES) out[a] = values.get(a) ?? ANY;
  const part = out.part;
  if (part.kind === 'value' && !/^[aho]$/.test(part.wfn)) return undefined;
  return out;
}

function unbindUri(text: string): Wfn | undefined {
  const components = text.slice(5).split(':');
  if (components.length > 7) return undefined;
  const values = new Map<CpeAttribute, CpeValue>();
  for (let i = 0; i < components.length; i++) {
    const attribute = CPE_ATTRIBUTES[i]!;
    const component = components[i]!;
    if (attribute === 'edition' && component.startsWith('~')) {
      // A packed edition carries edition~sw_edition~target_sw~target_hw~other.
      const packed = component.slice(1).split('~');
      if (packed.length !== 5) return undefined;
      const names: CpeAttribute[] = ['edition', 'sw_edition', 'target_sw', 'target_hw', 'other'];
      for (let j = 0; j < 5; j++) {
        const v = decodeUri(packed[j]!);
        if (v === undefined) return undefined;
        values.set(names[j]!, v);
      }
      continue;
    }
    const v = decodeUri(component);
    if (v === undefined) return undefined;
    values.set(attribute, v);
  }
  return makeWfn(values);
}

function decodeUri(component: string): CpeValue | undefined {
  if (component === '') return ANY;
  if (component === '-') return NA;
  const s = component.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '.' || c === '-' || c === '~') {
      out += `\\${c}`;
    } else if (c !== '%') {
      if (!ALNUM.test(c)) return undefined;
      out += c;
    } else {
      const code = s.slice(i, i + 3);
      if (!/^%[0-9a-f]{2}$/.test(code)) return undefined;
      i += 2;
      if (code === '%01') out += '?';
      else if (code === '%02') out += '*';
      else out += `\\${String.fromCharCode(parseInt(code.slice(1), 16))}`;
    }
  }
  return { kind: 'value', wfn: out };
}

function unbindFs(text: string): Wfn | undefined {
  const fields = splitUnescaped(text.slice('cpe:2.3:'.length));
  if (fields.length > 11) return undefined;
  const values = new Map<CpeAttribute, CpeValue>();
  for (let i = 0; i < fields.length; i++) {
    const v = decodeFs(fields[i]!);
    if (v === undefined) return undefined;
    values.set(CPE_ATTRIBUTES[i]!, v);
  }
  return makeWfn(values);
}

/** Splits at `:` not quoted by a backslash. */
function splitUnescaped(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
    } else if (c === ':') {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

function decodeFs(field: string): CpeValue | undefined {
  if (field === '*') return ANY;
  if (field === '-') return NA;
  if (field === '') return undefined;
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    if (c === '\\') {
      const next = field[i + 1];
      if (next === undefined) return undefined;
      out += `\\${next}`;
      i++;
    } else if (ALNUM.test(c) || c === '*' || c === '?') {
      out += c;
    } else {
      out += `\\${c}`;
    }
  }
  return { kind: 'value', wfn: out };
}

function bindFsValue(value: CpeValue): string {
  if (value.kind === 'any') return '*';
  if (value.kind === 'na') return '-';
  // Quoted ".", "-" and "_" are written bare in a formatted string; other quotes stay.
  return value.wfn.replace(/\\([.\-_])/g, '$1');
}
