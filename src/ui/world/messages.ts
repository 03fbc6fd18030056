/**
 * Messages seen on the simulated wire, turned into what the topology draws: pulses travelling
 * along a connection, labelled by kind (the command name for a request, "reply" for an answer,
 * "rdb" for a bulk payload) and sized by bytes.
 *
 * Loopback and LAN latencies are micro- to milliseconds of virtual time, far too short to see,
 * so a pulse is drawn over a fixed stretch of wall time (PULSE_MS): the animation shows that a
 * message went and how big it was, not how long it took. The exact virtual send and arrival
 * times stay on the pulse for tooltips. Bursts are merged per direction of a connection so
 * the picture stays readable (and cheap) at 100x speed.
 */
import type { WireMessage } from '../../sim';
import type { Lang } from '../i18n.svelte';

/** A transmission or a recall the world reported (`on('message')`), as the UI keeps it. */
export type WireEvent = WireMessage & {
  /** Set on a message a later recall took back: it never arrived (a retransmission may). */
  fate?: 'held' | 'lost';
};

/**
 * Mark the messages a recall took back: the newest ones of its direction still due after the
 * break, as many as its byte count covers (the receiver keeps what it already read, the oldest).
 */
export function markRecalled(wire: WireEvent[], recall: WireEvent): void {
  let bytes = recall.bytes;
  for (let i = wire.length - 1; i >= 0; i--) {
    const m = wire[i];
    if (m.from !== recall.from || m.to !== recall.to || m.fate || m.arrivalT <= recall.sentT) continue;
    if (bytes <= 0 && !m.fin) break;
    m.fate = recall.recalled;
    bytes -= m.bytes;
  }
}

export interface Pulse {
  key: string;
  fromPid: number; toPid: number; fromHost: string; toHost: string;
  kind: string;
  bytes: number;
  /** Messages merged into this pulse. */
  count: number;
  sentT: number;
  arrivalT: number;
  /** Wall-clock ms when the pulse started moving. */
  born: number;
}

export const PULSE_MS = 700;
/** Pulses alive at once per direction of a connection; more are merged into the newest. */
export const MAX_PULSES_PER_DIRECTION = 3;
/** Below this spacing (wall ms) a message joins the previous pulse instead of starting one. */
const MERGE_WITHIN_MS = 120;
/** A segment bigger than this is a payload (an RDB, a long reply), not one short frame. */
const PAYLOAD_BYTES = 4096;

/** The kinds that are words (a command's name is shown as it is), as the UI says them. */
const KIND_NAMES: Record<string, Record<Lang, string>> = {
  command: { en: 'command', zh: '命令' },
  reply: { en: 'reply', zh: '回复' },
  error: { en: 'error', zh: '错误' },
  data: { en: 'data', zh: '数据' },
  rdb: { en: 'rdb', zh: 'RDB' },
  fin: { en: 'fin', zh: 'FIN' },
  mixed: { en: 'mixed', zh: '混合' },
};

/** A message kind's name in `lang`: "reply" is 回复 in Chinese; PING stays PING. */
export function kindName(kind: string, lang: Lang): string {
  return KIND_NAMES[kind]?.[lang] ?? kind;
}

/**
 * Classify a payload by its first bytes. A segment is not a message: the middle of an RDB
 * transfer or of a long reply starts anywhere, so only a recognisable frame start gets a name;
 * anything else is "data".
 */
export function messageKind(head: string, bytes: number, fin: boolean): string {
  if (fin) return 'fin';
  if (head.startsWith('*')) {
    // *<n>\r\n$<len>\r\n<NAME>\r\n: the whole first string is a name. An array reply starts
    // the same way, but its first string is data ("order:1001", what KEYS found).
    const m = /^\*\d+\r\n\$(\d+)\r\n([A-Za-z-]+)\r\n/.exec(head);
    if (m && m[2].length === Number(m[1])) return m[2].toUpperCase();
    if (/^\*\d+\r\n\$\d+\r\n[A-Za-z-]*$/.test(head)) return 'command';
    return /^\*-?\d+\r\n/.test(head) ? 'reply' : 'data';
  }
  // A bulk string large enough to be a payload (a full sync's RDB: $<len> or $EOF:<mark>).
  if (/^\$(\d+|EOF:)/.test(head) && bytes > PAYLOAD_BYTES) return 'rdb';
  // A reply: a short line (status, error, number...) or the header of a bulk or aggregate.
  if (bytes <= PAYLOAD_BYTES && /^[+\-:_,#(!=][ -~]*(\r\n|$)/.test(head)) return head[0] === '-' ? 'error' : 'reply';
  if (/^[$%~>|](-1|\d+)\r\n/.test(head)) return 'reply';
  // An inline command (PING typed over telnet), a word and then a space or the line's end.
  const word = /^([A-Za-z]+)( [ -~]*)?(\r?\n|$)/.exec(head);
  return word ? word[1].toUpperCase() : 'data';
}

/** A wire message's kind: an ICMP datagram (ping) is "ICMP", a TCP segment is named by its payload. */
export function wireKind(m: Pick<WireEvent, 'head' | 'bytes' | 'fin' | 'proto'>): string {
  return m.proto === 'icmp' ? 'ICMP' : messageKind(m.head, m.bytes, m.fin);
}

export class PulseBuffer {
  pulses: Pulse[] = [];
  /** Kinds seen so far (for the filter). */
  readonly kinds = new Set<string>();
  total = 0;

  add(e: WireEvent, wallNow: number): void {
    const kind = wireKind(e);
    this.kinds.add(kind);
    this.total++;
    const key = `${e.from}>${e.to}`;
    let alive = 0;
    let newest: Pulse | null = null;
    for (const p of this.pulses) {
      if (p.key !== key) continue;
      alive++;
      if (!newest || p.born > newest.born) newest = p;
    }
    if (newest && (alive >= MAX_PULSES_PER_DIRECTION || wallNow - newest.born < MERGE_WITHIN_MS)) {
      newest.bytes += e.bytes;
      newest.count++;
      newest.arrivalT = Math.max(newest.arrivalT, e.arrivalT);
      if (newest.kind !== kind) newest.kind = 'mixed';
      return;
    }
    this.pulses.push({ key, fromPid: e.fromPid, toPid: e.toPid, fromHost: e.fromHost, toHost: e.toHost, kind, bytes: e.bytes, count: 1, sentT: e.sentT, arrivalT: e.arrivalT, born: wallNow });
  }

  /** A recall: the pulses of its direction still travelling at the break never arrive. */
  recall(r: WireEvent): void {
    const key = `${r.from}>${r.to}`;
    this.pulses = this.pulses.filter((p) => p.key !== key || p.arrivalT <= r.sentT);
  }

  /** Drop finished pulses; returns those still moving with their progress 0..1. */
  live(wallNow: number): { pulse: Pulse; progress: number }[] {
    this.pulses = this.pulses.filter((p) => wallNow - p.born < PULSE_MS);
    return this.pulses.map((pulse) => ({ pulse, progress: Math.min(1, Math.max(0, (wallNow - pulse.born) / PULSE_MS)) }));
  }

  clear(): void {
    this.pulses = [];
  }
}

/** Radius of a pulse: grows with the logarithm of its size. */
export function pulseRadius(bytes: number): number {
  return 3 + Math.min(9, Math.log10(Math.max(1, bytes)) * 2);
}
