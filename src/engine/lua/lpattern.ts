/**
 * Lua 5.1's pattern matcher (lstrlib.c's match machinery), over byte strings held as JS
 * strings with char codes 0..255.
 *
 * The C code walks NUL-terminated strings: the pattern ends at its first NUL byte (callers
 * pass the pattern cut there), and reading one past the end of the subject yields 0, which
 * the frontier pattern and %b rely on. We reproduce both by reading out-of-range positions
 * as 0. Character classes are C-locale ctype: bytes >= 0x80 are in no class.
 */

/** Capture lengths with special meaning, as in lstrlib.c. */
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
/** LUA_MAXCAPTURES. */
const MAX_CAPTURES = 32;
const L_ESC = 37; // '%'

export type Capture = string | number;

const isalpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isdigit = (c: number) => c >= 48 && c <= 57;
const islower = (c: number) => c >= 97 && c <= 122;
const isupper = (c: number) => c >= 65 && c <= 90;
const isspace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const iscntrl = (c: number) => c < 32 || c === 127;
const ispunct = (c: number) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
const isxdigit = (c: number) => isdigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const tolower = (c: number) => (isupper(c) ? c + 32 : c);

export { isdigit as cIsDigit, isalpha as cIsAlpha, isspace as cIsSpace };

function matchClass(c: number, cl: number): boolean {
  let res: boolean;
  switch (tolower(cl)) {
    case 97: res = isalpha(c); break; // a
    case 99: res = iscntrl(c); break; // c
    case 100: res = isdigit(c); break; // d
    case 108: res = islower(c); break; // l
    case 112: res = ispunct(c); break; // p
    case 115: res = isspace(c); break; // s
    case 117: res = isupper(c); break; // u
    case 119: res = isalpha(c) || isdigit(c); break; // w
    case 120: res = isxdigit(c); break; // x
    case 122: res = c === 0; break; // z
    default: return cl === c;
  }
  return islower(cl) ? res : !res;
}

/**
 * One matching run over `src` with pattern `pat`. `fail` raises a Lua error (luaL_error
 * semantics: the caller adds the position prefix) and never returns.
 */
export class MatchState {
  level = 0;
  readonly capInit: number[] = [];
  readonly capLen: number[] = [];

  constructor(readonly src: string, readonly pat: string, readonly fail: (msg: string) => never) {}

  private p(i: number): number { return i < this.pat.length ? this.pat.charCodeAt(i) : 0; }
  private s(i: number): number { return i < this.src.length ? this.src.charCodeAt(i) : 0; }

  private checkCapture(l: number): number {
    l -= 49; // '1'
    if (l < 0 || l >= this.level || this.capLen[l] === CAP_UNFINISHED) this.fail('invalid capture index');
    return l;
  }

  private captureToClose(): number {
    for (let level = this.level - 1; level >= 0; level--) if (this.capLen[level] === CAP_UNFINISHED) return level;
    return this.fail('invalid pattern capture');
  }

  private classEnd(p: number): number {
    const c = this.p(p++);
    if (c === L_ESC) {
      if (p >= this.pat.length) this.fail("malformed pattern (ends with '%')");
      return p + 1;
    }
    if (c === 91) { // '['
      if (this.p(p) === 94) p++; // '^'
      do {
        if (p >= this.pat.length) this.fail("malformed pattern (missing ']')");
        const cc = this.p(p++);
        if (cc === L_ESC && p < this.pat.length) p++; // skip escapes such as %]
      } while (this.p(p) !== 93);
      return p + 1;
    }
    return p;
  }

  /** `p` at the '[', `ec` at the closing ']'. */
  private matchBracketClass(c: number, p: number, ec: number): boolean {
    let sig = true;
    if (this.p(p + 1) === 94) { sig = false; p++; }
    while (++p < ec) {
      const pc = this.p(p);
      if (pc === L_ESC) {
        p++;
        if (matchClass(c, this.p(p))) return sig;
      } else if (this.p(p + 1) === 45 && p + 2 < ec) { // range a-z
        p += 2;
        if (this.p(p - 2) <= c && c <= this.p(p)) return sig;
      } else if (pc === c) return sig;
    }
    return !sig;
  }

  private singleMatch(c: number, p: number, ep: number): boolean {
    const pc = this.p(p);
    switch (pc) {
      case 46: return true; // '.'
      case L_ESC: return matchClass(c, this.p(p + 1));
      case 91: return this.matchBracketClass(c, p, ep - 1);
      default: return pc === c;
    }
  }

  private matchBalance(s: number, p: number): number {
    if (p >= this.pat.length || p + 1 >= this.pat.length) this.fail('unbalanced pattern');
    if (this.s(s) !== this.p(p)) return -1;
    const b = this.p(p);
    const e = this.p(p + 1);
    let cont = 1;
    const end = this.src.length;
    while (++s < end) {
      const c = this.src.charCodeAt(s);
      if (c === e) {
        if (--cont === 0) return s + 1;
      } else if (c === b) cont++;
    }
    return -1;
  }

  private maxExpand(s: number, p: number, ep: number): number {
    let i = 0;
    const end = this.src.length;
    while (s + i < end && this.singleMatch(this.src.charCodeAt(s + i), p, ep)) i++;
    while (i >= 0) {
      const res = this.match(s + i, ep + 1);
      if (res !== -1) return res;
      i--;
    }
    return -1;
  }

  private minExpand(s: number, p: number, ep: number): number {
    for (;;) {
      const res = this.match(s, ep + 1);
      if (res !== -1) return res;
      if (s < this.src.length && this.singleMatch(this.src.charCodeAt(s), p, ep)) s++;
      else return -1;
    }
  }

  private startCapture(s: number, p: number, what: number): number {
    const level = this.level;
    if (level >= MAX_CAPTURES) this.fail('too many captures');
    this.capInit[level] = s;
    this.capLen[level] = what;
    this.level = level + 1;
    const res = this.match(s, p);
    if (res === -1) this.level--;
    return res;
  }

  private endCapture(s: number, p: number): number {
    const l = this.captureToClose();
    this.capLen[l] = s - this.capInit[l];
    const res = this.match(s, p);
    if (res === -1) this.capLen[l] = CAP_UNFINISHED;
    return res;
  }

  private matchCapture(s: number, l: number): number {
    l = this.checkCapture(l);
    const len = this.capLen[l];
    const init = this.capInit[l];
    // A position capture's length (-2) is a huge size_t in C: it never matches.
    if (len >= 0 && this.src.length - s >= len && this.src.slice(init, init + len) === this.src.slice(s, s + len)) return s + len;
    return -1;
  }

  /** The end of the match of pattern position `p` against subject position `s`, or -1. */
  match(s: number, p: number): number {
    for (;;) {
      if (p >= this.pat.length) return s; // end of pattern
      const pc = this.pat.charCodeAt(p);
      if (pc === 40) { // '('
        if (this.p(p + 1) === 41) return this.startCapture(s, p + 2, CAP_POSITION);
        return this.startCapture(s, p + 1, CAP_UNFINISHED);
      }
      if (pc === 41) return this.endCapture(s, p + 1); // ')'
      if (pc === L_ESC) {
        const nc = this.p(p + 1);
        if (nc === 98) { // %b
          s = this.matchBalance(s, p + 2);
          if (s === -1) return -1;
          p += 4;
          continue;
        }
        if (nc === 102) { // %f
          p += 2;
          if (this.p(p) !== 91) this.fail("missing '[' after '%f' in pattern");
          const ep = this.classEnd(p);
          const previous = s === 0 ? 0 : this.src.charCodeAt(s - 1);
          if (this.matchBracketClass(previous, p, ep - 1) || !this.matchBracketClass(this.s(s), p, ep - 1)) return -1;
          p = ep;
          continue;
        }
        if (isdigit(nc)) { // back-reference %0-%9
          s = this.matchCapture(s, nc);
          if (s === -1) return -1;
          p += 2;
          continue;
        }
      } else if (pc === 36 && p + 1 === this.pat.length) { // '$' at the end
        return s === this.src.length ? s : -1;
      }
      // A single-character item with an optional repetition suffix.
      const ep = this.classEnd(p);
      const m = s < this.src.length && this.singleMatch(this.src.charCodeAt(s), p, ep);
      const suffix = this.p(ep);
      if (suffix === 63) { // '?'
        if (m) {
          const res = this.match(s + 1, ep + 1);
          if (res !== -1) return res;
        }
        p = ep + 1;
        continue;
      }
      if (suffix === 42) return this.maxExpand(s, p, ep); // '*'
      if (suffix === 43) return m ? this.maxExpand(s + 1, p, ep) : -1; // '+'
      if (suffix === 45) return this.minExpand(s, p, ep); // '-'
      if (!m) return -1;
      s++;
      p = ep;
    }
  }

  /** push_onecapture: capture i, or the whole match s..e when there are no captures. */
  capture(i: number, s: number, e: number): Capture {
    if (i >= this.level) {
      if (i === 0) return this.src.slice(s, e);
      this.fail('invalid capture index');
    }
    const l = this.capLen[i];
    if (l === CAP_UNFINISHED) this.fail('unfinished capture');
    if (l === CAP_POSITION) return this.capInit[i] + 1;
    return this.src.slice(this.capInit[i], this.capInit[i] + l);
  }

  /** push_captures: all captures, or the whole match (when `wholeIfNone` and none). */
  captures(s: number, e: number, wholeIfNone: boolean): Capture[] {
    const n = this.level === 0 && wholeIfNone ? 1 : this.level;
    const out: Capture[] = [];
    for (let i = 0; i < n; i++) out.push(this.capture(i, s, e));
    return out;
  }
}

/** lmemfind: the index of `needle` in `hay` from `init`, or -1 (empty needle matches at init). */
export function memFind(hay: string, needle: string, init: number): number {
  if (needle.length === 0) return init;
  return hay.indexOf(needle, init);
}

/** strpbrk(p, SPECIALS) === NULL on the C string: does the pattern use no magic characters? */
export function isPlainPattern(cpat: string): boolean {
  return !/[\^$*+?.([%-]/.test(cpat);
}

/** The pattern as C sees it: up to its first NUL byte. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
