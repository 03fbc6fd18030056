/**
 * Glob-style matching with Redis's exact semantics (stringmatchlen in util.c): `*`, `?`,
 * `[abc]`, `[^a-z]`, `\x` escapes, optional case folding. Used by KEYS, SCAN MATCH,
 * PSUBSCRIBE, CONFIG GET, CLIENT KILL and friends.
 *
 * Like the C code, a failed `*` expansion remembers that no later start can match either
 * ("skip longer matches"), which keeps pathological patterns linear-ish instead of exponential.
 */

const signed = (c: number) => (c << 24) >> 24; // C `char` is signed on x86
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  const skip = { longer: false };
  return matchImpl(pattern, 0, str, 0, nocase, skip);
}

function matchImpl(p: string, pi: number, s: string, si: number, nocase: boolean, skip: { longer: boolean }): boolean {
  const plen = p.length, slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    switch (pc) {
      case 42: { // '*'
        while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi === plen - 1) return true;
        while (si < slen) {
          if (matchImpl(p, pi + 1, s, si, nocase, skip)) return true;
          if (skip.longer) return false;
          si++;
        }
        skip.longer = true;
        return false;
      }
      case 63: // '?'
        si++;
        break;
      case 91: { // '['
        pi++;
        const not = pi < plen && p.charCodeAt(pi) === 94; // '^'
        if (not) pi++;
        let match = false;
        const c0 = s.charCodeAt(si);
        for (;;) {
          if (pi < plen && p.charCodeAt(pi) === 92 && plen - pi >= 2) { // '\\'
            pi++;
            if (p.charCodeAt(pi) === c0) match = true;
          } else if (pi < plen && p.charCodeAt(pi) === 93) { // ']'
            break;
          } else if (pi >= plen) {
            pi--;
            break;
          } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === 45) { // 'a-z'
            let start = signed(p.charCodeAt(pi));
            let end = signed(p.charCodeAt(pi + 2));
            let c = signed(c0);
            if (start > end) { const t = start; start = end; end = t; }
            if (nocase) { start = lower(start); end = lower(end); c = lower(c); }
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase ? p.charCodeAt(pi) === c0 : lower(p.charCodeAt(pi)) === lower(c0)) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      default: {
        if (pc === 92 && plen - pi >= 2) pi++; // '\\' escapes the next pattern char
        const a = p.charCodeAt(pi), b = s.charCodeAt(si);
        if (nocase ? lower(a) !== lower(b) : a !== b) return false;
        si++;
        break;
      }
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi >= plen && si === slen;
}
