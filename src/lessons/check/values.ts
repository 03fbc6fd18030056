/**
 * Run-time values of the check language. Numbers and durations are both JS numbers (durations
 * in ms; the type checker keeps them apart). `Unknown` is the third truth value: the world
 * cannot answer (the server is down, the key or INFO field does not exist). It spreads through
 * everything except `and`/`or` that are decided anyway (false and unknown = false, true or
 * unknown = true). A check that ends unknown has not passed, and its reason is shown.
 */
import type { TraceEvent } from '../world-view';

export class Unknown {
  constructor(readonly reason: string) {}
}

export interface RecordValue {
  kind: 'record';
  /** For explanations: `file("h:/p")`. */
  label: string;
  get(field: string): Value;
}

export class EventList {
  constructor(readonly events: readonly TraceEvent[], readonly label: string) {}
}

export type Value = boolean | number | string | Unknown | RecordValue | EventList;

export function isRecord(v: Value): v is RecordValue {
  return typeof v === 'object' && !(v instanceof Unknown) && !(v instanceof EventList) && v.kind === 'record';
}

export function recordOf(label: string, fields: Record<string, () => Value>): RecordValue {
  return {
    kind: 'record',
    label,
    get: (f) => (Object.hasOwn(fields, f) ? fields[f]() : new Unknown(`${label} has no field ${f}`)),
  };
}

export function eventRecord(e: TraceEvent): RecordValue {
  return recordOf(`event ${e.kind}`, {
    name: () => e.kind,
    at: () => e.atMs,
    host: () => e.host,
    port: () => (e.port === undefined ? new Unknown(`event ${e.kind} has no port`) : e.port),
    text: () => e.text,
  });
}
