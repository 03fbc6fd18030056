/**
 * The append-only record of everything that happened in a world, with a running hash over a
 * canonical encoding of every record (`t|host|pid|kind|detail`). Two runs with the same seed
 * and the same inputs produce the same sequence, hence the same hash, whatever runtime ran
 * the processes. Only the most recent records are kept in memory (for the UI); the hash and
 * the count cover all of them.
 */
import { Fnv64 } from './hash';

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
  private readonly hasher = new Fnv64();
  private records: TraceRecord[] = [];
  count = 0;
  private readonly subscribers = new Set<(r: TraceRecord) => void>();

  constructor(private readonly keep = 50_000) {}

  add(t: number, host: string, pid: number, kind: string, detail: string): void {
    const r: TraceRecord = { i: this.count++, t, host, pid, kind, detail };
    this.hasher.updateString(`${t}|${host}|${pid}|${kind}|${detail}\n`);
    this.records.push(r);
    if (this.records.length > this.keep * 1.5) this.records = this.records.slice(-this.keep);
    for (const s of this.subscribers) s(r);
  }

  hash(): string { return this.hasher.hex(); }

  /** Recent records, optionally only those at or after index `from`. */
  recent(from = 0): TraceRecord[] {
    if (from <= 0) return [...this.records];
    return this.records.filter((r) => r.i >= from);
  }

  subscribe(fn: (r: TraceRecord) => void): () => void {
    this.subscribers.add(fn);
    return () => { this.subscribers.delete(fn); };
  }
}
