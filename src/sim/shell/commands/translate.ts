/**
 * `tr`: translate, delete or squeeze bytes of standard input, as GNU coreutils' tr does in the
 * C.UTF-8 locale (byte by byte; the character classes hold ASCII only). The SET syntax — ranges,
 * `[:class:]`, `[=c=]`, `[c*n]`, backslash escapes — and the rules tying SET2 to SET1 (padding
 * with SET2's last byte, where [:upper:]/[:lower:] may appear) follow GNU, messages included.
 */
import type { Command } from '../context';
import { readChunk, quoted, usage } from '../context';
import { alive, badOption, parseOpts } from './operands';

type Elem =
  | { k: 'chars'; codes: number[] }
  | { k: 'class'; name: string; codes: number[] }
  | { k: 'repeat'; code: number; count: number | null };

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_x, i) => lo + i);
const UPPER = range(65, 90);
const LOWER = range(97, 122);
const DIGIT = range(48, 57);
const ALPHA = [...UPPER, ...LOWER];
const GRAPH = range(33, 126);

/** The classes in the C.UTF-8 locale, byte values ascending (tr works on bytes). */
const CLASSES: Record<string, number[]> = {
  alnum: [...DIGIT, ...ALPHA].sort((a, b) => a - b),
  alpha: ALPHA,
  blank: [9, 32],
  cntrl: [...range(0, 31), 127],
  digit: DIGIT,
  graph: GRAPH,
  lower: LOWER,
  print: range(32, 126),
  punct: GRAPH.filter((c) => !DIGIT.includes(c) && !ALPHA.includes(c)),
  space: [9, 10, 11, 12, 13, 32],
  upper: UPPER,
  xdigit: [...DIGIT, ...range(65, 70), ...range(97, 102)],
};

class TrError {
  constructor(readonly message: string) {}
}

/** The set's bytes with backslash escapes resolved; `esc` marks bytes that were escaped (never syntax). */
function unescapeSet(s: string, warn: (msg: string) => void): { c: number; esc: boolean }[] {
  const out: { c: number; esc: boolean }[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\') { out.push({ c: ch.charCodeAt(0), esc: false }); continue; }
    if (i + 1 >= s.length) {
      warn('warning: an unescaped backslash at end of string is not portable');
      out.push({ c: 92, esc: true });
      continue;
    }
    const n = s[++i];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (n in simple) { out.push({ c: simple[n], esc: true }); continue; }
    if (n >= '0' && n <= '7') {
      let v = Number(n);
      // Up to three octal digits, as long as the value stays a byte.
      for (let k = 0; k < 2 && /[0-7]/.test(s[i + 1] ?? '') && v * 8 + Number(s[i + 1]) <= 255; k++) v = v * 8 + Number(s[++i]);
      out.push({ c: v, esc: true });
      continue;
    }
    out.push({ c: n.charCodeAt(0), esc: true });
  }
  return out;
}

function printable(c: number): string {
  return c >= 32 && c < 127 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
}

/** Parse one SET into its constructs. */
function parseSet(s: string, warn: (msg: string) => void): Elem[] {
  const a = unescapeSet(s, warn);
  const isSyntax = (i: number, ch: string) => i < a.length && !a[i].esc && a[i].c === ch.charCodeAt(0);
  const elems: Elem[] = [];
  for (let i = 0; i < a.length; i++) {
    if (isSyntax(i, '[')) {
      if (isSyntax(i + 1, ':')) {
        let j = i + 2;
        while (j + 1 < a.length && !(isSyntax(j, ':') && isSyntax(j + 1, ']'))) j++;
        if (j + 1 < a.length) {
          const name = a.slice(i + 2, j).map((x) => String.fromCharCode(x.c)).join('');
          if (!(name in CLASSES)) throw new TrError(`invalid character class ${quoted(name)}`);
          elems.push({ k: 'class', name, codes: CLASSES[name] });
          i = j + 1;
          continue;
        }
      } else if (isSyntax(i + 1, '=') && isSyntax(i + 3, '=') && isSyntax(i + 4, ']')) {
        // An equivalence class is the byte itself in this locale.
        elems.push({ k: 'chars', codes: [a[i + 2].c] });
        i += 4;
        continue;
      } else if (i + 2 < a.length && isSyntax(i + 2, '*')) {
        let j = i + 3;
        while (j < a.length && !isSyntax(j, ']')) j++;
        if (j < a.length) {
          const countText = a.slice(i + 3, j).map((x) => String.fromCharCode(x.c)).join('');
          let count: number | null = null;
          if (countText !== '') {
            const octal = countText.startsWith('0');
            if (!(octal ? /^[0-7]+$/ : /^\d+$/).test(countText)) throw new TrError(`invalid repeat count ${quoted(countText)} in [c*n] construct`);
            count = parseInt(countText, octal ? 8 : 10);
            // [c*0] means "as many as needed", like [c*].
            if (count === 0) count = null;
          }
          elems.push({ k: 'repeat', code: a[i + 1].c, count });
          i = j;
          continue;
        }
      }
    }
    if (isSyntax(i + 1, '-') && i + 2 < a.length) {
      const lo = a[i].c;
      const hi = a[i + 2].c;
      if (hi < lo) throw new TrError(`range-endpoints of '${printable(lo)}-${printable(hi)}' are in reverse collating sequence order`);
      elems.push({ k: 'chars', codes: range(lo, hi) });
      i += 2;
      continue;
    }
    elems.push({ k: 'chars', codes: [a[i].c] });
  }
  return elems;
}

/** A SET's bytes, in order; `[c*n]` repeats c n times, and an open-ended `[c*]` is not allowed in SET1. */
function expand(elems: Elem[]): number[] {
  return elems.flatMap((e) => {
    if (e.k !== 'repeat') return e.codes;
    if (e.count === null) throw new TrError('the [c*] repeat construct may not appear in string1');
    return new Array<number>(e.count).fill(e.code);
  });
}

const complementOf = (codes: number[]) => { const s = new Set(codes); return range(0, 255).filter((c) => !s.has(c)); };

/**
 * SET2 fitted to SET1 for translation: `[c*]` filled, [:upper:]/[:lower:] aligned with SET1's,
 * a short SET2 padded with its last byte — with GNU's checks, in GNU's order. `caseClassAt`
 * maps a SET1 index to the upper/lower class starting there; `complement` is -c, under which
 * a SET1 class must be mapped to a single byte.
 */
function translationTarget(set1: number[], caseClassAt: Map<number, string>, set1HasClass: boolean, elems2: Elem[], complement: boolean, truncate: boolean): { set1: number[]; set2: number[] } {
  for (const e of elems2) {
    if (e.k === 'class' && e.name !== 'upper' && e.name !== 'lower') {
      throw new TrError("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
    }
  }
  if (elems2.filter((e) => e.k === 'repeat' && e.count === null).length > 1) throw new TrError('only one [c*] repeat construct may appear in string2');
  const fixed = elems2.reduce((n, e) => n + (e.k === 'repeat' ? e.count ?? 0 : e.codes.length), 0);
  const fill = Math.max(0, set1.length - fixed);
  const set2: number[] = [];
  for (const e of elems2) {
    if (e.k === 'repeat') {
      for (let k = 0; k < (e.count ?? fill); k++) set2.push(e.code);
      continue;
    }
    // [:upper:]/[:lower:] in SET2 must face [:lower:]/[:upper:] (or the same class) in SET1.
    if (e.k === 'class' && !complement && !caseClassAt.has(set2.length)) throw new TrError('misaligned [:upper:] and/or [:lower:] construct');
    set2.push(...e.codes);
  }
  if (truncate) return { set1: set1.slice(0, set2.length), set2 };
  if (set2.length < set1.length) {
    if (set2.length === 0) throw new TrError('when not truncating set1, string2 must be non-empty');
    if (elems2[elems2.length - 1].k === 'class') {
      throw new TrError('when translating with string1 longer than string2,\nthe latter string must not end with a character class');
    }
    const lastByte = set2[set2.length - 1];
    while (set2.length < set1.length) set2.push(lastByte);
  }
  if (complement && set1HasClass && (set2.length !== set1.length || new Set(set2).size > 1)) {
    throw new TrError('when translating with complemented character classes,\nstring2 must map all characters in the domain to one');
  }
  return { set1, set2 };
}

export const tr: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, {
    flags: 'cCdst', withArg: '',
    long: { complement: { key: 'c', arg: false }, delete: { key: 'd', arg: false }, 'squeeze-repeats': { key: 's', arg: false }, 'truncate-set1': { key: 't', arg: false } },
  });
  if ('error' in parsed) return badOption(ctx, 'tr', parsed.error);
  const has = (k: string) => parsed.opts.some((o) => o.key === k);
  const complement = has('c') || has('C');
  const del = has('d');
  const squeeze = has('s');
  const sets = parsed.operands;
  // GNU's operand counts: translating needs two sets, deleting one, deleting and squeezing two.
  const minOperands = del === squeeze ? 2 : 1;
  const maxOperands = del && !squeeze ? 1 : 2;
  if (sets.length < minOperands) {
    if (sets.length === 0) return usage(ctx, 'tr', 'missing operand');
    const why = squeeze ? 'Two strings must be given when both deleting and squeezing repeats.' : 'Two strings must be given when translating.';
    return usage(ctx, 'tr', `missing operand after ${quoted(sets[sets.length - 1])}\n${why}`);
  }
  if (sets.length > maxOperands) {
    const note = sets.length === 2 ? '\nOnly one string may be given when deleting without squeezing repeats.' : '';
    return usage(ctx, 'tr', `extra operand ${quoted(sets[maxOperands])}${note}`);
  }
  const translating = sets.length === 2 && !del;
  const warn = (msg: string) => ctx.err(`tr: ${msg}\n`);
  const map: number[] = range(0, 255);
  const deleted = new Set<number>();
  let squeezed = new Set<number>();
  try {
    const elems1 = parseSet(sets[0], warn);
    let set1 = expand(elems1);
    if (complement) set1 = complementOf(set1);
    if (translating) {
      const caseClassAt = new Map<number, string>();
      let at = 0;
      for (const e of complement ? [] : elems1) {
        if (e.k === 'class' && (e.name === 'upper' || e.name === 'lower')) caseClassAt.set(at, e.name);
        at += e.k === 'repeat' ? 0 : e.codes.length;
      }
      const fitted = translationTarget(set1, caseClassAt, elems1.some((e) => e.k === 'class'), parseSet(sets[1], warn), complement, has('t'));
      fitted.set1.forEach((c, i) => { map[c] = fitted.set2[i]; });
      if (squeeze) squeezed = new Set(fitted.set2);
    } else {
      if (del) for (const c of set1) deleted.add(c);
      if (squeeze) {
        if (sets.length === 2) {
          const elems2 = parseSet(sets[1], warn);
          if (elems2.some((e) => e.k === 'repeat' && e.count === null)) throw new TrError('the [c*] construct may appear in string2 only when translating');
          squeezed = new Set(expand(elems2));
        } else squeezed = new Set(set1);
      }
    }
  } catch (e) {
    if (e instanceof TrError) { ctx.err(`tr: ${e.message}\n`); return 1; }
    throw e;
  }
  let last = -1;
  for (;;) {
    const chunk: string | null = yield readChunk(ctx);
    if (chunk === null || !alive(ctx)) break;
    let out = '';
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (deleted.has(c)) continue;
      const t = map[c];
      // Squeezing compares with the previous byte written, across chunks.
      if (t === last && squeezed.has(t)) continue;
      out += String.fromCharCode(t);
      last = t;
    }
    if (out) ctx.out(out);
  }
  return 0;
};
