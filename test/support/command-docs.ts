/** COMMAND DOCS replies compared in shape: the summary and complexity texts are our own words. */
import type { RespValue } from '../../src/engine/resp/reply-parser';

/** A COMMAND DOCS reply as JSON with its summary and complexity texts left out. */
export function docsShape(v: RespValue): unknown {
  if (v.type === 'array' || v.type === 'map') {
    const a = v.value as RespValue[];
    const out: unknown[] = [];
    for (let i = 0; i < a.length; i++) {
      const k = a[i];
      if (k.type === 'bulk' && (k.value === 'summary' || k.value === 'complexity') && i % 2 === 0) { out.push(k.value); i++; continue; }
      out.push(docsShape(k));
    }
    return out;
  }
  return 'value' in v ? String(v.value) : v.type;
}

const OWN_WORDS = new Set(['summary', 'complexity']);

/**
 * A COMMAND DOCS reply (or part of one) as an exact text: every value with its RESP type, in
 * reply order, except that the summary and complexity texts (our own words) are masked, their
 * keys kept, and subcommands are sorted by name (Redis lists them in dict order, which is random).
 */
export function docsCanonical(v: RespValue): string {
  const walk = (x: RespValue): unknown => {
    if (x.type === 'map') {
      return { map: x.value.map(([k, val]) => [walk(k), k.type === 'bulk' ? valueOf(k.value, val) : walk(val)]) };
    }
    if (x.type === 'array' || x.type === 'set') {
      // RESP2 maps are flat arrays: a bulk key at an even index is followed by its value.
      const out: unknown[] = [];
      for (let i = 0; i < x.value.length; i++) {
        const k = x.value[i];
        out.push(walk(k));
        if (i % 2 === 0 && k.type === 'bulk' && i + 1 < x.value.length && (OWN_WORDS.has(k.value) || k.value === 'subcommands')) {
          out.push(valueOf(k.value, x.value[++i]));
        }
      }
      return { [x.type]: out };
    }
    return { [x.type]: 'value' in x ? String(x.value) : null };
  };
  const valueOf = (key: string, val: RespValue): unknown => {
    if (OWN_WORDS.has(key) && val.type === 'bulk') return { bulk: '(own words)' };
    if (key !== 'subcommands') return walk(val);
    const pairs: [RespValue, RespValue][] = val.type === 'map' ? val.value
      : val.type === 'array' ? val.value.flatMap((n, i) => (i % 2 === 0 ? [[n, val.value[i + 1]] as [RespValue, RespValue]] : [])) : [];
    const name = (n: RespValue): string => (n.type === 'bulk' ? n.value : '');
    const sorted = [...pairs].sort((a, b) => (name(a[0]) < name(b[0]) ? -1 : 1));
    return { [val.type]: sorted.map(([n, d]) => [walk(n), walk(d)]) };
  };
  return JSON.stringify(walk(v));
}

/** The entries of a whole-table COMMAND DOCS reply (RESP2 array or RESP3 map), by command name. */
export function docsByName(v: RespValue): Map<string, string> {
  const pairs: [RespValue, RespValue][] = v.type === 'map' ? v.value
    : v.type === 'array' ? v.value.flatMap((n, i) => (i % 2 === 0 ? [[n, v.value[i + 1]] as [RespValue, RespValue]] : [])) : [];
  return new Map(pairs.map(([n, d]) => [n.type === 'bulk' ? n.value : JSON.stringify(n), docsCanonical({ type: 'array', value: [n, d] })]));
}

/**
 * The entries of a whole-table COMMAND INFO reply by command name, each as an exact text (types
 * and values in reply order) with its subcommands sorted by name (Redis's dict order is random).
 */
export function infoByName(v: RespValue): Map<string, string> {
  const canon = (x: RespValue): unknown => {
    if (x.type === 'array' && x.value.length === 10 && x.value[0].type === 'bulk' && x.value[9].type === 'array') {
      const subs = x.value[9].value.map((s) => [s.type === 'array' && s.value[0].type === 'bulk' ? s.value[0].value : '', canon(s)] as const);
      subs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      return { array: [...x.value.slice(0, 9).map(canon), { array: subs.map((s) => s[1]) }] };
    }
    if (x.type === 'array' || x.type === 'set') return { [x.type]: x.value.map(canon) };
    if (x.type === 'map') return { map: x.value.map(([k, val]) => [canon(k), canon(val)]) };
    return { [x.type]: 'value' in x ? String(x.value) : null };
  };
  const items = v.type === 'array' ? v.value : [];
  return new Map(items.map((c) => [c.type === 'array' && c.value[0].type === 'bulk' ? c.value[0].value : '?', JSON.stringify(canon(c))]));
}

/** Where two texts first differ, with some context, for a readable failure. */
export function firstDifference(real: string, ours: string): string {
  let i = 0;
  while (i < real.length && i < ours.length && real[i] === ours[i]) i++;
  const from = Math.max(0, i - 80);
  return `at ${i}:\n    real …${real.slice(from, i + 80)}\n    ours …${ours.slice(from, i + 80)}`;
}
