/**
 * Readable views of a Redis server's files, as the inspector shows them:
 *
 * - an AOF (appendonly.aof.N.incr.aof, or a 6.x single appendonly.aof): the RESP commands one
 *   per line with their byte offsets, and a truncated tail flagged as such (what
 *   redis-check-aof would complain about);
 * - the AOF manifest: its lines as they are (a text file);
 * - dump.rdb (or an AOF base .rdb): a summary — RDB version, the AUX fields (redis-ver, ctime,
 *   used-mem...), each database's key counts (as RESIZEDB announces them and as counted), keys
 *   by type, whether the EOF marker and the checksum are there. Values are skipped, not
 *   decoded: every type's framing is walked (strings, LZF strings, list/set/zset/hash in all
 *   their encodings); a stream or a module value ends the walk with a note;
 * - anything else: text.
 *
 * All of it is parsed here from the file's bytes (read through the world's file API); nothing
 * reaches into a running engine.
 */

export interface AofCommand {
  offset: number;
  argv: string[];
}

export interface AofView {
  commands: AofCommand[];
  /** Bytes after the last complete command (a torn write), if any. */
  truncatedAt: number | null;
  /** A framing error (not RESP at all) at this offset, if any. */
  errorAt: number | null;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function readLine(b: Uint8Array, pos: number): { text: string; next: number } | null {
  for (let i = pos; i + 1 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10) return { text: decoder.decode(b.subarray(pos, i)), next: i + 2 };
  }
  return null;
}

/** Parse an AOF's RESP multibulk commands. */
export function parseAof(bytes: Uint8Array): AofView {
  const commands: AofCommand[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    if (bytes[pos] !== 42 /* '*' */) return { commands, truncatedAt: null, errorAt: pos };
    const head = readLine(bytes, pos + 1);
    if (!head) return { commands, truncatedAt: start, errorAt: null };
    const n = Number(head.text);
    if (!Number.isInteger(n) || n < 1) return { commands, truncatedAt: null, errorAt: start };
    pos = head.next;
    const argv: string[] = [];
    for (let k = 0; k < n; k++) {
      if (pos >= bytes.length) return { commands, truncatedAt: start, errorAt: null };
      if (bytes[pos] !== 36 /* '$' */) return { commands, truncatedAt: null, errorAt: pos };
      const len = readLine(bytes, pos + 1);
      if (!len) return { commands, truncatedAt: start, errorAt: null };
      const size = Number(len.text);
      if (!Number.isInteger(size) || size < 0) return { commands, truncatedAt: null, errorAt: pos };
      if (len.next + size + 2 > bytes.length) return { commands, truncatedAt: start, errorAt: null };
      argv.push(decoder.decode(bytes.subarray(len.next, len.next + size)));
      pos = len.next + size + 2;
    }
    commands.push({ offset: start, argv });
  }
  return { commands, truncatedAt: null, errorAt: null };
}

/** Quote an argument the way redis-cli prints it when it needs quoting. */
export function quoteArg(a: string): string {
  if (a !== '' && !/[\s"'\\\x00-\x1f\x7f]/.test(a)) return a;
  return `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export interface RdbSummary {
  ok: boolean;
  version: number | null;
  aux: [string, string][];
  databases: { db: number; keys: number | null; expires: number | null; counted: number; withTtl: number }[];
  /** Keys by RDB type name. */
  types: Record<string, number>;
  /** 0xFF opcode followed by an 8-byte checksum at the end of the file. */
  endMarker: boolean;
  size: number;
  /** Why the walk stopped before the EOF opcode, if it did (in both of the UI's languages). */
  problem: Localized | null;
}

/** A text in the UI's two languages (src/ui/i18n.svelte.ts picks one). */
export interface Localized {
  en: string;
  zh: string;
}

/** "truncated AUX field at byte 9": what was cut short, and where. */
const truncated = (what: { en: string; zh: string }, pos: number): Localized => ({
  en: `truncated ${what.en} at byte ${pos}`,
  zh: `第 ${pos} 字节处的${what.zh}不完整`,
});

/** RDB length encoding: returns the value (or a special encoding type) and the next offset. */
function rdbLength(b: Uint8Array, pos: number): { len: number; special: boolean; next: number } | null {
  if (pos >= b.length) return null;
  const first = b[pos];
  const type = first >> 6;
  if (type === 0) return { len: first & 0x3f, special: false, next: pos + 1 };
  if (type === 1) return pos + 1 < b.length ? { len: ((first & 0x3f) << 8) | b[pos + 1], special: false, next: pos + 2 } : null;
  if (type === 3) return { len: first & 0x3f, special: true, next: pos + 1 };
  if (first === 0x80) return pos + 4 < b.length ? { len: b[pos + 1] * 2 ** 24 + (b[pos + 2] << 16) + (b[pos + 3] << 8) + b[pos + 4], special: false, next: pos + 5 } : null;
  if (first === 0x81) {
    if (pos + 8 >= b.length) return null;
    let v = 0;
    for (let i = 1; i <= 8; i++) v = v * 256 + b[pos + i];
    return { len: v, special: false, next: pos + 9 };
  }
  return null;
}

/** An RDB string (plain, or one of the integer encodings). LZF strings are reported, not inflated. */
function rdbString(b: Uint8Array, pos: number): { text: string; next: number } | null {
  const l = rdbLength(b, pos);
  if (!l) return null;
  if (!l.special) {
    if (l.next + l.len > b.length) return null;
    return { text: decoder.decode(b.subarray(l.next, l.next + l.len)), next: l.next + l.len };
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (l.len === 0) return l.next < b.length ? { text: String(dv.getInt8(l.next)), next: l.next + 1 } : null;
  if (l.len === 1) return l.next + 2 <= b.length ? { text: String(dv.getInt16(l.next, true)), next: l.next + 2 } : null;
  if (l.len === 2) return l.next + 4 <= b.length ? { text: String(dv.getInt32(l.next, true)), next: l.next + 4 } : null;
  if (l.len === 3) {
    const c = rdbLength(b, l.next);
    const u = c && rdbLength(b, c.next);
    if (!c || !u || u.next + c.len > b.length) return null;
    return { text: `<lzf ${u.len} bytes>`, next: u.next + c.len };
  }
  return null;
}

const RDB_TYPES: Record<number, string> = {
  0: 'string', 1: 'list', 2: 'set', 3: 'zset', 4: 'hash', 5: 'zset', 6: 'module', 7: 'module', 9: 'hash', 10: 'list',
  11: 'set', 12: 'zset', 13: 'hash', 14: 'list', 15: 'stream', 16: 'hash', 17: 'zset', 18: 'list', 19: 'stream',
};

const TRUNCATED_VALUE: Localized = { en: 'truncated value', zh: '值不完整' };

/** Skip one value of RDB type `t` at `pos`; the next offset, or a reason it cannot. */
function skipValue(b: Uint8Array, t: number, pos: number): number | Localized {
  const str = (p: number) => rdbString(b, p)?.next ?? null;
  const strings = (p: number, perItem: number, extra = 0): number | null => {
    const n = rdbLength(b, p);
    if (!n) return null;
    let q: number | null = n.next;
    for (let i = 0; i < n.len * perItem && q !== null; i++) {
      q = str(q);
      if (q !== null && extra && (i % perItem) === perItem - 1) q += extra;
    }
    return q;
  };
  let next: number | null;
  switch (t) {
    case 0: case 9: case 10: case 11: case 12: case 13: case 16: case 17: next = str(pos); break;
    case 1: case 2: case 14: next = strings(pos, 1); break;
    case 4: next = strings(pos, 2); break;
    case 5: next = strings(pos, 1, 8); break; // member, then a binary double
    case 3: { // old zset: member, then a score as a length-prefixed string
      const n = rdbLength(b, pos);
      if (!n) return TRUNCATED_VALUE;
      let q: number | null = n.next;
      for (let i = 0; i < n.len && q !== null; i++) {
        q = str(q);
        if (q !== null) q = q + 1 + (b[q] >= 253 ? 0 : b[q]);
      }
      next = q;
      break;
    }
    case 18: { // quicklist 2: nodes of (container, blob)
      const n = rdbLength(b, pos);
      if (!n) return TRUNCATED_VALUE;
      let q: number | null = n.next;
      for (let i = 0; i < n.len && q !== null; i++) {
        const c = rdbLength(b, q);
        q = c ? str(c.next) : null;
      }
      next = q;
      break;
    }
    default:
      return { en: `a ${RDB_TYPES[t] ?? `type ${t}`} value (not walked)`, zh: RDB_TYPES[t] ? `${RDB_TYPES[t]} 类型的值（未解析）` : `类型 ${t} 的值（未解析）` };
  }
  return next === null || next > b.length ? TRUNCATED_VALUE : next;
}

export function summarizeRdb(b: Uint8Array): RdbSummary {
  const out: RdbSummary = { ok: false, version: null, aux: [], databases: [], types: {}, endMarker: false, size: b.length, problem: null };
  const magic = decoder.decode(b.subarray(0, 5));
  if (magic !== 'REDIS') {
    out.problem = { en: 'not an RDB file (no REDIS magic)', zh: '不是 RDB 文件（没有 REDIS 魔数）' };
    return out;
  }
  out.version = Number(decoder.decode(b.subarray(5, 9)));
  out.endMarker = b.length >= 9 && b[b.length - 9] === 0xff;
  let pos = 9;
  let db: RdbSummary['databases'][number] | null = null;
  let expiring = false;
  while (pos < b.length) {
    const op = b[pos];
    if (op === 0xfa) {
      const k = rdbString(b, pos + 1);
      const v = k && rdbString(b, k.next);
      if (!k || !v) { out.problem = truncated({ en: 'AUX field', zh: ' AUX 字段' }, pos); return out; }
      out.aux.push([k.text, v.text]);
      pos = v.next;
    } else if (op === 0xfe) {
      const l = rdbLength(b, pos + 1);
      if (!l) { out.problem = truncated({ en: 'SELECTDB', zh: ' SELECTDB' }, pos); return out; }
      db = { db: l.len, keys: null, expires: null, counted: 0, withTtl: 0 };
      out.databases.push(db);
      pos = l.next;
    } else if (op === 0xfb) {
      const a = rdbLength(b, pos + 1);
      const e = a && rdbLength(b, a.next);
      if (!a || !e) { out.problem = truncated({ en: 'RESIZEDB', zh: ' RESIZEDB' }, pos); return out; }
      if (db) { db.keys = a.len; db.expires = e.len; }
      pos = e.next;
    } else if (op === 0xfd || op === 0xfc) {
      pos += op === 0xfd ? 5 : 9;
      expiring = true;
    } else if (op === 0xf8) {
      const l = rdbLength(b, pos + 1);
      if (!l) { out.problem = truncated({ en: 'LRU', zh: ' LRU' }, pos); return out; }
      pos = l.next;
    } else if (op === 0xf9) {
      pos += 2;
    } else if (op === 0xf5) {
      const f = rdbString(b, pos + 1);
      if (!f) { out.problem = truncated({ en: 'FUNCTION', zh: ' FUNCTION' }, pos); return out; }
      pos = f.next;
    } else if (op === 0xff) {
      out.ok = true;
      return out;
    } else if (RDB_TYPES[op] !== undefined) {
      const key = rdbString(b, pos + 1);
      if (!key) { out.problem = truncated({ en: 'key', zh: '键' }, pos); return out; }
      const next = skipValue(b, op, key.next);
      if (typeof next !== 'number') { out.problem = { en: `stopped at byte ${pos}: ${next.en}`, zh: `在第 ${pos} 字节处停止：${next.zh}` }; return out; }
      const name = RDB_TYPES[op];
      out.types[name] = (out.types[name] ?? 0) + 1;
      if (db) { db.counted++; if (expiring) db.withTtl++; }
      expiring = false;
      pos = next;
    } else {
      out.problem = { en: `unknown opcode 0x${op.toString(16)} at byte ${pos}`, zh: `第 ${pos} 字节处是未知的操作码 0x${op.toString(16)}` };
      return out;
    }
  }
  out.problem = { en: 'no EOF marker', zh: '没有 EOF 标记' };
  return out;
}

export type FileKind = 'aof' | 'manifest' | 'rdb' | 'text';

export function fileKind(path: string, bytes: Uint8Array): FileKind {
  const name = path.split('/').pop() ?? path;
  if (name.endsWith('.manifest')) return 'manifest';
  if (name.endsWith('.rdb') || decoder.decode(bytes.subarray(0, 5)) === 'REDIS') return 'rdb';
  if (name.endsWith('.aof')) return 'aof';
  return 'text';
}
