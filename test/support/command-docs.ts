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
