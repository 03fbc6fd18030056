/**
 * The run log: how a world whose processes run in workers rewinds without waiting for them.
 *
 * A rewind re-executes the world from its start (process memory cannot be checkpointed: it is
 * closures and timers). Inline that is fast; with workers, every round of the replay is a
 * round trip to the workers, and the round trips, not the work, are what takes the time (a
 * 5-minute session: ~15 000 rounds).
 *
 * But the kernel is deterministic: given the same state, the same limit to step to and the
 * same answers from the runners, it hands out the same batches. So while a worker world runs,
 * the log keeps, in order, every step's limit, the frontier it reached and the runners'
 * answers (BatchResults), every input and every idle jump. A rewind then replays the log:
 * the kernel steps to the logged limits and takes the logged answers at once, while each batch
 * is also posted to its worker without waiting (`RunnerHandle.feed`), so the workers rebuild
 * their processes' memory in parallel, behind the kernel. Before the world goes on, every live
 * worker answers a sync with a digest of the answers it computed, which must equal the digest
 * of the logged ones; a mismatch (a process that behaves differently the second time) or a
 * batch that is not the logged one throws RunLogDiverged, and the world re-executes with the
 * workers answering every round, as it does without a log.
 *
 * A worker world re-executing with nothing logged (a replay of recorded inputs) fills the log the
 * same way from inline twins of its runners (Kernel.startShadow), feeding the workers as here.
 *
 * Only a prefix of the session may be logged (the log stops recording past its size limit); a
 * rewind replays what is logged and runs the rest as without a log.
 */
import type { Batch, BatchResult, Effect } from './protocol';
import { payloadHash } from './kernel/hash';

/** One runner's answer to one batch (payloads in the log's arena), and what identifies the batch. */
interface LoggedRun {
  slot: number;
  start: number;
  end: number;
  deliveries: number;
  horizon: number;
  wake: number;
  loudWake: number;
  handled: number;
  quietReads: number[];
  cpu: number[];
  rss: number[];
  effects: Effect[];
}

export type LogOp =
  | { k: 'step'; limit: number; frontier: number; runs: LoggedRun[]; arenaEnd: number }
  | { k: 'idle'; to: number }
  | { k: 'input' };

/**
 * What the log may hold, counted as payload bytes plus what its objects cost in V8's heap
 * (measured on Node 20: 10 virtual minutes of lab C2 log ~74 000 runs with ~87 000 effects,
 * 41 MB of heap; with a redis-benchmark run in them, 64 MB): about half an hour of lab C2.
 */
const MAX_LOG_BYTES = 128 * 1024 * 1024;
const RUN_BYTES = 300;
const EFFECT_BYTES = 220;
const OP_BYTES = 60;

export class RunLogDiverged extends Error {}

export class RunLog {
  private ops: LogOp[] = [];
  private readonly arena = new Arena();
  private objectBytes = 0;
  /** The step being recorded (its runs are added by the kernel). */
  private open: LoggedRun[] | null = null;
  /** The step being replayed, and how many of its runs the kernel has taken. */
  private replayed: { op: LogOp & { k: 'step' }; taken: number } | null = null;

  constructor(private readonly maxBytes = MAX_LOG_BYTES) {}

  get length(): number { return this.ops.length; }

  op(i: number): LogOp { return this.ops[i]; }

  get replaying(): boolean { return this.replayed !== null; }

  /** Roughly what the log holds (payloads and objects), bytes. */
  get bytes(): number { return this.arena.used + this.objectBytes; }

  /** Past `maxBytes`: nothing more is recorded (the log stays a valid prefix). */
  private get full(): boolean { return this.bytes >= this.maxBytes; }

  /** Whether it covers the session up to virtual time `t` (still recording, or full after `t`). */
  reaches(t: number): boolean {
    if (!this.full) return true;
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i];
      if (op.k === 'step') return op.frontier >= t;
      if (op.k === 'idle') return op.to >= t;
    }
    return false;
  }

  // ---- recording ---------------------------------------------------------------------------

  beginStep(): void {
    if (!this.full) this.open = [];
  }

  /** The kernel's step ran (`ran`: it did a round) and reached `frontier`. */
  endStep(ran: boolean, limit: number, frontier: number): void {
    const runs = this.open;
    this.open = null;
    if (runs && ran) this.push({ k: 'step', limit, frontier, runs, arenaEnd: this.arena.mark() });
  }

  /** A runner's answer, its payloads copied into the arena (the kernel passes the originals on). */
  recordRun(slot: number, batch: Batch, r: BatchResult): void {
    if (!this.open) return;
    const effects = r.effects.length === 0 ? NO_EFFECTS : r.effects.map((e) => ('bytes' in e ? { ...e, bytes: this.arena.store(e.bytes) } : e));
    this.open.push({
      slot, start: batch.start, end: batch.end, deliveries: batch.deliveries.length,
      horizon: r.horizon, wake: r.wake, loudWake: r.loudWake, handled: r.handled,
      quietReads: r.quietReads.length === 0 ? NO_NUMBERS : r.quietReads, cpu: r.cpu.length === 0 ? NO_NUMBERS : r.cpu,
      rss: r.rss.length === 0 ? NO_NUMBERS : r.rss, effects,
    });
    this.objectBytes += RUN_BYTES + EFFECT_BYTES * effects.length;
  }

  recordIdle(to: number): void { if (!this.full) this.push({ k: 'idle', to }); }

  recordInput(): void { if (!this.full) this.push({ k: 'input' }); }

  private push(op: LogOp): void {
    this.ops.push(op);
    this.objectBytes += OP_BYTES;
  }

  // ---- replaying ---------------------------------------------------------------------------

  /** The kernel is about to step as the logged step `i` did. */
  replayStep(i: number): void {
    const op = this.ops[i];
    if (op.k !== 'step') throw new RunLogDiverged(`run log: op ${i} is not a step`);
    this.replayed = { op, taken: 0 };
  }

  /**
   * The logged answer to this batch, with payloads of its own: the kernel passes them on, and
   * posting a view into the arena would copy its whole chunk.
   */
  take(slot: number, batch: Batch): BatchResult {
    const r = this.replayed!;
    const run = r.op.runs[r.taken++];
    if (!run || run.slot !== slot || run.start !== batch.start || run.end !== batch.end || run.deliveries !== batch.deliveries.length) {
      throw new RunLogDiverged(`run log: slot ${slot}'s batch [${batch.start}, ${batch.end}) is not the logged one`);
    }
    const effects = run.effects.map((e) => ('bytes' in e ? { ...e, bytes: e.bytes.slice() } : e));
    return { effects, horizon: run.horizon, wake: run.wake, loudWake: run.loudWake, quietReads: run.quietReads, handled: run.handled, cpu: run.cpu, rss: run.rss };
  }

  /** The replayed step is over: it must have reached the logged frontier with every run taken. */
  endReplayStep(frontier: number): void {
    const r = this.replayed!;
    this.replayed = null;
    if (r.taken !== r.op.runs.length || frontier !== r.op.frontier) {
      throw new RunLogDiverged(`run log: a step reached ${frontier} with ${r.taken} runs, logged ${r.op.frontier} with ${r.op.runs.length}`);
    }
  }

  /**
   * Keep the first `n` ops (what the new world has replayed); what follows was the old world's
   * future. Recording goes on from there.
   */
  truncate(n: number): void {
    this.replayed = null;
    this.ops.length = Math.min(n, this.ops.length);
    let arenaEnd = 0;
    this.objectBytes = 0;
    for (const op of this.ops) {
      this.objectBytes += OP_BYTES;
      if (op.k !== 'step') continue;
      arenaEnd = op.arenaEnd;
      for (const run of op.runs) this.objectBytes += RUN_BYTES + EFFECT_BYTES * run.effects.length;
    }
    this.arena.rewindTo(arenaEnd);
  }
}

const NO_EFFECTS: Effect[] = [];
const NO_NUMBERS: number[] = [];

/**
 * The log's payload bytes, packed in big chunks: a payload is a view into a chunk, not a
 * buffer of its own (a small buffer costs more than its bytes). Appended in log order, so a
 * truncated log gives back the arena's tail.
 */
class Arena {
  private static readonly CHUNK_BYTES = 1 << 20;
  private chunks: Uint8Array[] = [];
  /** Bytes used in the last chunk. */
  private at = 0;
  /** The size of all the chunks before the last. */
  private before = 0;

  get used(): number { return this.before + this.at; }

  store(bytes: Uint8Array): Uint8Array {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.length - this.at < bytes.length) {
      if (chunk) this.before += chunk.length;
      chunk = new Uint8Array(Math.max(Arena.CHUNK_BYTES, bytes.length));
      this.chunks.push(chunk);
      this.at = 0;
    }
    const view = chunk.subarray(this.at, this.at + bytes.length);
    view.set(bytes);
    this.at += bytes.length;
    return view;
  }

  /** Where the arena ends now: the last chunk's index and its bytes used. */
  mark(): number { return Math.max(0, this.chunks.length - 1) * 2 ** 32 + this.at; }

  rewindTo(mark: number): void {
    const last = Math.floor(mark / 2 ** 32);
    this.chunks.length = Math.min(this.chunks.length, last + 1);
    this.at = mark % 2 ** 32;
    this.before = 0;
    for (let i = 0; i < this.chunks.length - 1; i++) this.before += this.chunks[i].length;
  }
}

/**
 * A running digest of a runner's answers, the same on both sides of a feed (the page over the
 * logged or inline twins' answers, the worker over the ones it computed): every field of their
 * effects, and what they report (times, quiet sockets, CPU, memory).
 */
export function digestResult(h: number, r: BatchResult): number {
  h = mix(h, r.horizon);
  h = mix(h, r.wake);
  h = mix(h, r.loudWake);
  h = mix(h, r.handled);
  for (const list of [r.quietReads, r.cpu, r.rss]) h = mixValue(h, list);
  h = mix(h, r.effects.length);
  for (const e of r.effects) h = mixValue(h, e);
  return h;
}

/** Every field of an effect: its texts, paths and arguments as much as its numbers and payloads. */
function mixValue(h: number, v: unknown): number {
  if (typeof v === 'number') return mix(h, v);
  if (typeof v === 'string') {
    h = mix(h, v.length);
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }
  if (typeof v === 'boolean' || v === null || v === undefined) return mix(h, v === true ? 1 : v === false ? 0 : v === null ? 2 : 3);
  if (v instanceof Uint8Array) return mix(h, payloadHash(v));
  if (Array.isArray(v)) {
    h = mix(h, v.length);
    for (const x of v) h = mixValue(h, x);
    return h;
  }
  for (const [key, x] of Object.entries(v as Record<string, unknown>)) h = mixValue(mixValue(h, key), x);
  return h;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, x: number): number {
  f64[0] = x;
  h = Math.imul(h ^ u32[0], 0x01000193);
  return Math.imul(h ^ u32[1], 0x01000193) >>> 0;
}
