/**
 * The append-only record of everything that happened in a world, with a running hash over
 * every record (time, host, pid, kind, detail). Two runs with the same seed and the same
 * inputs produce the same sequence, hence the same hash, whatever runtime ran the processes.
 * Only the most recent records are kept in memory (for the UI and the lessons' events), and not
 * timer firings: they are most of an idle world's records (a server's cron at hz 10: 36 000 an
 * hour), so keeping them would leave the memory only the last minutes of an idle world. The
 * hash, the count and the subscribers cover every record.
 *
 * Cost matters: a busy world adds several records per simulated event. Records are kept in
 * columns of a ring buffer (no object per record until someone reads it), numbers are hashed
 * by their bits rather than their decimal text, and the records of payloads (`send`/`recv`:
 * socket id, size, payload hash) keep their three numbers and format the detail text only
 * when read.
 */
import { TraceHash } from './hash';

export interface TraceRecord {
  /** Position in the trace (0-based). */
  i: number;
  /** Virtual time in ms since the epoch. */
  t: number;
  host: string;
  pid: number;
  kind: string;
  detail: string;
}

/** Kinds hashed and counted but not kept in memory (see the top). */
const NOT_KEPT = new Set(['timer']);

export class Trace {
  private readonly hasher = new TraceHash();
  /** Records so far (the index the next one gets). */
  count = 0;
  /** Records kept so far: the ring's write position. */
  private kept = 0;
  private readonly capacity: number;
  /** Each kept record's index in the trace. */
  private readonly indexes: Float64Array;
  private readonly ts: Float64Array;
  private readonly pids: Float64Array;
  private readonly hosts: string[];
  private readonly kinds: string[];
  /** Detail text, or null for a payload record (its numbers are in n1..n3). */
  private readonly details: (string | null)[];
  private readonly n1: Float64Array;
  private readonly n2: Float64Array;
  private readonly n3: Float64Array;
  private readonly subscribers = new Set<(r: TraceRecord) => void>();

  constructor(keep = 50_000) {
    this.capacity = keep;
    this.indexes = new Float64Array(keep);
    this.ts = new Float64Array(keep);
    this.pids = new Float64Array(keep);
    this.hosts = new Array<string>(keep);
    this.kinds = new Array<string>(keep);
    this.details = new Array<string | null>(keep);
    this.n1 = new Float64Array(keep);
    this.n2 = new Float64Array(keep);
    this.n3 = new Float64Array(keep);
  }

  add(t: number, host: string, pid: number, kind: string, detail: string): void {
    const h = this.hasher;
    h.number(t);
    h.string(host);
    h.number(pid);
    h.string(kind);
    h.string(detail);
    h.end();
    const i = this.count++;
    if (NOT_KEPT.has(kind)) {
      if (this.subscribers.size > 0) this.publish({ i, t, host, pid, kind, detail });
      return;
    }
    const slot = this.keep(i, t, host, pid, kind);
    this.details[slot] = detail;
    if (this.subscribers.size > 0) this.publish(this.record(slot));
  }

  /** A kept record's common columns; its ring slot. */
  private keep(i: number, t: number, host: string, pid: number, kind: string): number {
    const slot = this.kept++ % this.capacity;
    this.indexes[slot] = i;
    this.ts[slot] = t;
    this.pids[slot] = pid;
    this.hosts[slot] = host;
    this.kinds[slot] = kind;
    return slot;
  }

  /** A `send`/`recv` record: socket id, byte count and the payload's 32-bit hash. */
  addPayload(t: number, host: string, pid: number, kind: string, sid: number, bytes: number, payloadHash: number): void {
    const h = this.hasher;
    h.number(t);
    h.string(host);
    h.number(pid);
    h.string(kind);
    h.number(sid);
    h.number(bytes);
    h.number(payloadHash);
    h.end();
    const slot = this.keep(this.count++, t, host, pid, kind);
    this.details[slot] = null;
    this.n1[slot] = sid;
    this.n2[slot] = bytes;
    this.n3[slot] = payloadHash;
    if (this.subscribers.size > 0) this.publish(this.record(slot));
  }

  hash(): string { return this.hasher.hex(); }

  /** The records kept (the last `keep` but timer firings), optionally only those at or after index `from`. */
  recent(from = 0): TraceRecord[] {
    // The kept records' indexes grow: the first at or after `from`, by bisection.
    let lo = Math.max(this.kept - this.capacity, 0);
    let hi = this.kept;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indexes[mid % this.capacity] < from) lo = mid + 1;
      else hi = mid;
    }
    const out: TraceRecord[] = [];
    for (let k = lo; k < this.kept; k++) out.push(this.record(k % this.capacity));
    return out;
  }

  private record(slot: number): TraceRecord {
    const d = this.details[slot];
    return {
      i: this.indexes[slot], t: this.ts[slot], host: this.hosts[slot], pid: this.pids[slot], kind: this.kinds[slot],
      detail: d ?? `${this.n1[slot]} ${this.n2[slot]}B ${this.n3[slot].toString(16)}`,
    };
  }

  private publish(r: TraceRecord): void {
    for (const s of this.subscribers) s(r);
  }

  subscribe(fn: (r: TraceRecord) => void): () => void {
    this.subscribers.add(fn);
    return () => { this.subscribers.delete(fn); };
  }
}
