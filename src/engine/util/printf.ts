/**
 * printf("%.Nf") for doubles. JavaScript's toFixed rounds exact ties up (0.125 → "0.13");
 * glibc rounds them to even (0.125 → "0.12"). INFO fields such as usec_per_call and the
 * memory ratios are printed with %.2f, so the tie rule is visible. A negative zero keeps its
 * sign, as glibc prints it.
 */
export function cFixed(d: number, digits: number): string {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? (Object.is(d, NaN) ? 'nan' : '-nan') : d > 0 ? 'inf' : '-inf';
  if (Math.abs(d) >= 1e21) return BigInt(Math.round(d)).toString() + (digits ? '.' + '0'.repeat(digits) : '');
  const longer = Math.abs(d).toFixed(Math.min(100, digits + 30));
  const dot = longer.indexOf('.');
  const tail = longer.slice(dot + 1 + digits);
  const isTie = /^50*$/.test(tail);
  // glibc keeps the sign of a negative zero (-0.000000); toFixed drops it.
  if (!isTie) return Object.is(d, -0) ? `-${d.toFixed(digits)}` : d.toFixed(digits);
  // Exact tie: truncate, then round the last kept digit to even.
  const kept = longer.slice(0, dot + 1 + digits).replace(/\.$/, '');
  const lastDigit = Number(kept[kept.length - 1]);
  let out = kept;
  if (lastDigit % 2 === 1) {
    const scaled = BigInt(kept.replace('.', '')) + 1n;
    const s = scaled.toString().padStart(digits + 1, '0');
    out = digits ? `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}` : s;
  }
  return (d < 0 || Object.is(d, -0) ? '-' : '') + out;
}

/** Redis's bytesToHuman: 100B, 943.10K, 11.83M, 23.54G... */
export function bytesToHuman(n: number): string {
  const K = 1024;
  if (n < K) return `${n}B`;
  if (n < K ** 2) return `${cFixed(n / K, 2)}K`;
  if (n < K ** 3) return `${cFixed(n / K ** 2, 2)}M`;
  if (n < K ** 4) return `${cFixed(n / K ** 3, 2)}G`;
  if (n < K ** 5) return `${cFixed(n / K ** 4, 2)}T`;
  if (n < K ** 6) return `${cFixed(n / K ** 5, 2)}P`;
  return `${n}B`;
}
