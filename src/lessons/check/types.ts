/**
 * Static types of the check language. Types exist so a lesson's mistakes are found when it is
 * validated, not when a learner is stuck on a step: a misspelt INFO field, a duration compared
 * with a plain number (`master_link_down_since_seconds > 30s`), a role compared with a value
 * it can never have (`role(...) == "primary"`).
 *
 * - bool, number, duration (milliseconds, written with a unit: 30s), string (text; may carry
 *   the set of values it can take), events (a list of trace events; true when not empty),
 *   records with named fields (a file, a process, an event, an INFO section).
 * - `error` marks a subexpression that already has a reported error, to avoid cascades.
 */
import { INFO_LIST_FIELDS, INFO_ONE_OF, INFO_SECTIONS, type InfoFieldType, type InfoListField } from './info-fields';

export type Type =
  | { kind: 'bool' }
  | { kind: 'number' }
  | { kind: 'duration' }
  | { kind: 'string'; oneOf?: readonly string[] }
  | { kind: 'events' }
  | RecordType
  | { kind: 'error' };

export interface MethodSig {
  params: Type[];
  returns: Type;
  doc: string;
}

export interface RecordType {
  kind: 'record';
  /** For messages: "file", "process", "INFO replication". */
  name: string;
  field(name: string): Type | null;
  fieldNames(): readonly string[];
  methods: Readonly<Record<string, MethodSig>>;
}

export const BOOL: Type = { kind: 'bool' };
export const NUMBER: Type = { kind: 'number' };
export const DURATION: Type = { kind: 'duration' };
export const STRING: Type = { kind: 'string' };
export const EVENTS: Type = { kind: 'events' };
export const ERROR: Type = { kind: 'error' };

export function stringOf(values: readonly string[]): Type {
  return { kind: 'string', oneOf: values };
}

/** Methods of text, also available on a file (applied to its contents). */
export const STRING_METHODS: Readonly<Record<string, MethodSig>> = {
  contains: { params: [STRING], returns: BOOL, doc: 'the text contains the given text' },
  starts_with: { params: [STRING], returns: BOOL, doc: 'the text starts with the given text' },
  ends_with: { params: [STRING], returns: BOOL, doc: 'the text ends with the given text' },
  count: { params: [STRING], returns: NUMBER, doc: 'how many times the given text occurs (not overlapping)' },
};

/** Fields of text. */
export const STRING_FIELDS: Readonly<Record<string, Type>> = { length: NUMBER, lines: NUMBER };

function fixedRecord(name: string, fields: Record<string, Type>, methods: Record<string, MethodSig> = {}): RecordType {
  return {
    kind: 'record',
    name,
    field: (f) => (Object.hasOwn(fields, f) ? fields[f] : null),
    fieldNames: () => Object.keys(fields),
    methods,
  };
}

export const FILE = fixedRecord('file', { exists: BOOL, size: NUMBER, text: STRING }, STRING_METHODS);
export const PROCESS = fixedRecord('process', { alive: BOOL, count: NUMBER, pid: NUMBER });
export const EVENT = fixedRecord('event', { name: STRING, at: DURATION, host: STRING, port: NUMBER, text: STRING });
/**
 * CLUSTER INFO of Redis 7.0.15. The per-type message counters whose names hold a dash
 * (`auth-req`, `auth-ack`) cannot be written in a check and are left out.
 */
const CLUSTER_MESSAGE_TYPES = ['ping', 'pong', 'meet', 'fail', 'publish', 'publishshard', 'update', 'mfstart'];
export const CLUSTER_INFO = fixedRecord('CLUSTER INFO', {
  cluster_state: stringOf(['ok', 'fail']),
  cluster_slots_assigned: NUMBER,
  cluster_slots_ok: NUMBER,
  cluster_slots_pfail: NUMBER,
  cluster_slots_fail: NUMBER,
  cluster_known_nodes: NUMBER,
  cluster_size: NUMBER,
  cluster_current_epoch: NUMBER,
  cluster_my_epoch: NUMBER,
  ...Object.fromEntries(
    CLUSTER_MESSAGE_TYPES.flatMap((t) => [
      [`cluster_stats_messages_${t}_sent`, NUMBER],
      [`cluster_stats_messages_${t}_received`, NUMBER],
    ]),
  ),
  cluster_stats_messages_sent: NUMBER,
  cluster_stats_messages_received: NUMBER,
  total_cluster_links_buffer_limit_exceeded: NUMBER,
});
/** Members of an `events` value. */
export const EVENTS_FIELDS: Readonly<Record<string, Type>> = { count: NUMBER, first: EVENT, last: EVENT };

function infoFieldType(t: InfoFieldType, name: string, oneOf?: Readonly<Record<string, readonly string[]>>): Type {
  if (t === 'N') return NUMBER;
  const values = oneOf?.[name];
  return values ? stringOf(values) : STRING;
}

function listFieldRecord(list: InfoListField, fieldName: string): RecordType {
  const fields: Record<string, Type> = {};
  for (const [k, t] of Object.entries(list.keys)) fields[k] = infoFieldType(t, k, list.oneOf);
  return fixedRecord(`INFO ${list.section} ${fieldName}`, fields);
}

/** The INFO list field (`slave0`, `db0`...) a name belongs to, if any. */
export function infoListField(section: string | null, name: string): InfoListField | null {
  return INFO_LIST_FIELDS.find((l) => (section === null || l.section === section) && l.pattern.test(name)) ?? null;
}

/** Type of one INFO field in a section (null = all sections), or null if there is no such field. */
export function infoFieldTypeOf(section: string | null, name: string): Type | null {
  const sections = section === null ? Object.keys(INFO_SECTIONS) : [section];
  for (const s of sections) {
    const t = INFO_SECTIONS[s]?.[name];
    if (t) return infoFieldType(t, name, INFO_ONE_OF);
  }
  const list = infoListField(section, name);
  return list ? listFieldRecord(list, name) : null;
}

/** The record type of `info(addr, section)`; section null means every section. */
export function infoRecord(section: string | null): RecordType {
  const sections = section === null ? Object.keys(INFO_SECTIONS) : [section];
  return {
    kind: 'record',
    name: section === null ? 'INFO' : `INFO ${section}`,
    field: (f) => infoFieldTypeOf(section, f),
    fieldNames: () => [
      ...sections.flatMap((s) => Object.keys(INFO_SECTIONS[s] ?? {})),
      ...INFO_LIST_FIELDS.filter((l) => sections.includes(l.section)).map((l) => l.example),
    ],
    methods: {},
  };
}

/** "a number", "a duration", "text", ... for messages. */
export function typeName(t: Type): string {
  switch (t.kind) {
    case 'bool':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'duration':
      return 'a duration';
    case 'string':
      return 'text';
    case 'events':
      return 'a list of events';
    case 'record':
      return t.name.startsWith('INFO') ? t.name : `a ${t.name}`;
    case 'error':
      return 'an invalid value';
  }
}

export function sameKind(a: Type, b: Type): boolean {
  return a.kind === b.kind && (a.kind !== 'record' || (b.kind === 'record' && a.name === b.name));
}
