/**
 * Sentinel events (sentinelEvent): every event is logged (when the log level allows), published
 * on the sentinel's own pub/sub with the event name as the channel (unless it is a debug
 * event), and, for warning-level events about an instance, handed to the master's
 * notification script.
 *
 * The text of most events starts with the instance: "<type> <name> <ip> <port>", plus
 * " @ <master name> <master ip> <master port>" for replicas and sentinels
 * (`+sdown slave 10.0.0.12:6379 10.0.0.12 6379 @ mymaster 10.0.0.11 6379`). The log line is
 * "<event> <text>", like `serverLog(level, "%s %s", type, msg)`.
 */
import type { LogLevel } from '../server/log';
import { announceAddr } from './addr';
import type { Instance, SentinelState } from './state';
import { scheduleScript } from './scripts';

/** The "%@" prefix: the instance and, for non-masters, the master it belongs to. */
export function describeInstance(st: SentinelState, ri: Instance): string {
  const master = ri.isMaster ? null : ri.master;
  const self = `${ri.typeStr()} ${ri.name} ${announceAddr(st, ri.addr)} ${ri.addr.port}`;
  return master ? `${self} @ ${master.name} ${announceAddr(st, master.addr)} ${master.addr.port}` : self;
}

export interface EventListener {
  (e: { type: string; text: string; level: LogLevel; atMs: number }): void;
}

/**
 * Emit an event. `text` is the message after the event name; with `at` (the default when an
 * instance is given) it is prefixed with the instance description.
 */
export function sentinelEvent(st: SentinelState, level: LogLevel, type: string, ri: Instance | null, rest = '', at = ri !== null): void {
  let msg = '';
  if (at && ri) msg = describeInstance(st, ri);
  msg += rest;
  // Messages are formatted into a LOG_MAX_LEN (1024) buffer.
  if (msg.length > 1023) msg = msg.slice(0, 1023);
  const server = st.server;
  if (server.log.enabled(level)) {
    if (level === 'warning') server.log.warning(`${type} ${msg}`);
    else if (level === 'notice') server.log.notice(`${type} ${msg}`);
    else if (level === 'verbose') server.log.verbose(`${type} ${msg}`);
    else server.log.debug(`${type} ${msg}`);
  }
  if (level !== 'debug') server.publish(type, msg);
  for (const l of eventListeners(st)) l({ type, text: msg, level, atMs: st.now() });
  record(st, { type, text: msg, level, atMs: st.now() });
  if (level === 'warning' && ri) {
    const master = ri.isMaster ? ri : ri.master;
    if (master?.notificationScript) scheduleScript(st, master.notificationScript, [type, msg]);
  }
}

const listeners = new WeakMap<SentinelState, Set<EventListener>>();

export function eventListeners(st: SentinelState): Set<EventListener> {
  let s = listeners.get(st);
  if (!s) { s = new Set(); listeners.set(st, s); }
  return s;
}

/**
 * The latest events of each sentinel, kept for read-only observers (the lessons' `event()`
 * checks read them through src/engine/inspect.ts): a bounded log numbered from 0, so an
 * observer asks for what came after the last number it saw. Keeping them changes nothing the
 * sentinel does.
 */
export interface RecordedEvent { type: string; text: string; level: LogLevel; atMs: number }
const RECORDED_EVENTS_MAX = 10_000;
const recorded = new WeakMap<SentinelState, { first: number; events: RecordedEvent[] }>();

function record(st: SentinelState, e: RecordedEvent): void {
  let r = recorded.get(st);
  if (!r) { r = { first: 0, events: [] }; recorded.set(st, r); }
  r.events.push(e);
  if (r.events.length > RECORDED_EVENTS_MAX) {
    const drop = r.events.length - RECORDED_EVENTS_MAX;
    r.events.splice(0, drop);
    r.first += drop;
  }
}

/** Events numbered `since` and later (those still kept), and the number of the next one. */
export function recordedEventsSince(st: SentinelState, since: number): { next: number; events: RecordedEvent[] } {
  const r = recorded.get(st);
  if (!r) return { next: 0, events: [] };
  const from = Math.max(0, since - r.first);
  return { next: r.first + r.events.length, events: r.events.slice(from) };
}
