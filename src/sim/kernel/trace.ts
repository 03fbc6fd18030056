/**
 * The append-only record of everything that happened in a world, with a running hash over
 * every record (time, host, pid, kind, detail). Two runs with the same seed and the same
 * inputs produce the same sequence, hence the same hash, whatever runtime ran the processes.
 * Only the most recent records are kept in memory (for the UI); the hash and the count cover
 * all of them.
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

export class Trace {
  private readonly hasher = new TraceHash();
  count = 0;
  private readonly capacity: number;
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
    const slot = this.count % this.capacity;
    this.ts[slot] = t;
    this.pids[slot] = pid;
    this.hosts[slot] = host;
    this.kinds[slot] = kind;
    this.details[slot] = detail;
    this.count++;
    if (this.subscribers.size > 0) this.publish(this.count - 1);
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
    const slot = this.count % this.capacity;
    this.ts[slot] = t;
    this.pids[slot] = pid;
    this.hosts[slot] = host;
    this.kinds[slot] = kind;
    this.details[slot] = null;
    this.n1[slot] = sid;
    this.n2[slot] = bytes;
    this.n3[slot] = payloadHash;
    this.count++;
    if (this.subscribers.size > 0) this.publish(this.count - 1);
  }

  hash(): string { return this.hasher.hex(); }

  /** Recent records (the last `keep`), optionally only those at or after index `from`. */
  recent(from = 0): TraceRecord[] {
    const first = Math.max(from, this.count - this.capacity, 0);
    const out: TraceRecord[] = [];
    for (let i = first; i < this.count; i++) out.push(this.record(i));
    return out;
  }

  private record(i: number): TraceRecord {
    const s = i % this.capacity;
    const d = this.details[s];
    return {
      i, t: this.ts[s], host: this.hosts[s], pid: this.pids[s], kind: this.kinds[s],
      detail: d ?? `${this.n1[s]} ${this.n2[s]}B ${this.n3[s].toString(16)}`,
    };
  }

  private publish(i: number): void {
    const r = this.record(i);
    for (const s of this.subscribers) s(r);
  }

  subscribe(fn: (r: TraceRecord) => void): () => void {
    this.subscribers.add(fn);
    return () => { this.subscribers.delete(fn); };
  }
}
