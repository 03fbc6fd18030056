/**
 * inet_pton/inet_ntop for the address checks Redis does with them (CLUSTER MEET): parse an
 * IPv4 or IPv6 literal the way glibc does and give back its canonical text form.
 */

/** inet_pton(AF_INET): four decimal octets, no leading zeros, nothing else. */
export function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

/** inet_pton(AF_INET6): eight 16-bit groups, one "::" allowed, an IPv4 tail allowed. */
export function parseIpv6(s: string): number[] | null {
  if (s.length === 0) return null;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const parseGroups = (part: string, allowV4Tail: boolean): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl), false);
    const tail = parseGroups(s.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    words = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s, true);
    if (!all || all.length !== 8) return null;
    words = all;
  }
  return words;
}

/** inet_ntop(AF_INET6): lowercase, the longest run of 2+ zero groups as "::", IPv4 tails. */
export function formatIpv6(w: number[]): string {
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const v4Tail = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
      if (i === bestStart) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && v4Tail) {
      out += `${w[6] >> 8}.${w[6] & 255}.${w[7] >> 8}.${w[7] & 255}`;
      break;
    }
    out += w[i].toString(16);
  }
  if (bestStart >= 0 && bestStart + bestLen === 8) out += ':';
  return out;
}

/** The normalized text of an IP literal, or null if it is neither IPv4 nor IPv6. */
export function normalizeIp(s: string): string | null {
  const v4 = parseIpv4(s);
  if (v4) return v4.join('.');
  const v6 = parseIpv6(s);
  return v6 ? formatIpv6(v6) : null;
}
