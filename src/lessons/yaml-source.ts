/**
 * YAML with positions: the front matter and the `hint`/`predict` blocks are YAML, validated by
 * JSON Schema (ajv). This module parses YAML keeping its syntax tree, so both YAML syntax errors
 * and schema errors can be reported at the exact line and column of the offending key or value,
 * with messages written for lesson authors rather than ajv's defaults.
 *
 * Parsing is safe for lessons from strangers: the `yaml` library's core schema has no
 * executable tags, and alias expansion is capped (maxAliasCount) against "billion laughs".
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { didYouMean, type DiagnosticSink } from './diagnostics';
import type { TextMap } from './text-map';

export interface ParsedYaml {
  doc: Document;
  value: unknown;
}

/** Parse YAML text; syntax errors go to the sink. Null when the text is not usable YAML. */
export function parseYaml(text: string, map: TextMap, sink: DiagnosticSink): ParsedYaml | null {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) sink.error(map(e.pos[0]), `YAML: ${e.message}`);
  if (doc.errors.length) return null;
  try {
    return { doc, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    sink.error(map(0), `YAML: ${(e as Error).message}`);
    return null;
  }
}

function decodePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The node at a path, and the key node when the last step is a mapping key. */
export function locate(doc: Document, path: (string | number)[]): { node: Node | null; key: Node | null } {
  let node: Node | null = doc.contents as Node | null;
  let key: Node | null = null;
  for (const seg of path) {
    key = null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node, key: null };
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return { node, key: null };
      node = item;
    } else {
      return { node, key: null };
    }
  }
  return { node, key };
}

/** Start offset of a node's text (a scalar's first character, a collection's first item). */
export function nodeStart(node: Node | null): number {
  return node?.range ? node.range[0] : 0;
}

/** `topology.hosts[0].files["/etc/x"]` */
export function humanPath(path: (string | number)[], root: string): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || 'the front matter';
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping (key: value lines)',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function typeOfValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text "${v.length > 40 ? v.slice(0, 37) + '...' : v}"`;
  return `${typeof v === 'number' ? 'the number' : 'the value'} ${String(v)}`;
}

/**
 * An `anyOf` (`ip: 10.0.0.1` or a list of IPs) fails with the errors of every branch. Keep only
 * the errors of the branches whose type fits the value; when none fits, one `type` error
 * listing every accepted type.
 */
function pickAnyOfBranches(errors: ErrorObject[]): ErrorObject[] {
  const groups = errors.filter((e) => e.keyword === 'anyOf');
  const out = errors.filter((e) => e.keyword !== 'anyOf' && !groups.some((g) => e.schemaPath.startsWith(`${g.schemaPath}/`)));
  for (const g of groups) {
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (!e.schemaPath.startsWith(`${g.schemaPath}/`)) continue;
      const branch = e.schemaPath.slice(g.schemaPath.length + 1).split('/')[0];
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const misfit = (list: ErrorObject[]) => list.some((e) => e.keyword === 'type' && e.instancePath === g.instancePath);
    const fitting = [...branches.values()].filter((list) => !misfit(list));
    if (fitting.length) {
      out.push(...fitting.flat());
    } else {
      const types = [...branches.values()].flatMap((list) =>
        list.filter((e) => e.keyword === 'type' && e.instancePath === g.instancePath).map((e) => String((e.params as { type: string }).type)),
      );
      out.push({ ...g, keyword: 'type', params: { type: types.join(',') } });
    }
  }
  return out;
}

/**
 * Turn ajv errors (run with allErrors and verbose) into positioned diagnostics. `x-message` in
 * the schema replaces the default message for pattern/enum/format errors.
 */
export function reportSchemaErrors(
  errors: ErrorObject[] | null | undefined,
  doc: Document,
  map: TextMap,
  sink: DiagnosticSink,
  root: string,
): void {
  if (!errors) return;
  const seen = new Set<string>();
  for (const e of pickAnyOfBranches(errors)) {
    const path = decodePointer(e.instancePath);
    const where = humanPath(path, root);
    const { node, key } = locate(doc, path);
    let at = nodeStart(node);
    let message: string;
    const custom = (e.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        message = `${where}: missing "${missing}"`;
        if (key) at = nodeStart(key);
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
        const k = locate(doc, [...path, extra]).key;
        if (k) at = nodeStart(k);
        message = `${where}: unknown field "${extra}"${didYouMean(extra, allowed)}; fields are ${allowed.join(', ')}`;
        break;
      }
      case 'propertyNames': {
        const name = (e.params as { propertyName: string }).propertyName;
        const k = locate(doc, [...path, name]).key;
        if (k) at = nodeStart(k);
        const sub = errors.find((x) => x.keyword === 'pattern' && x.propertyName === name);
        const text = (sub?.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
        message = `${where}: "${name}" ${typeof text === 'string' ? text : 'is not allowed here'}`;
        break;
      }
      case 'type': {
        const expected = String((e.params as { type: string }).type)
          .split(',')
          .map((t) => TYPE_NAMES[t] ?? t)
          .join(' or ');
        message = `${where} must be ${expected}, not ${typeOfValue(e.data)}`;
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        message =
          typeof custom === 'string'
            ? `${where}: "${String(e.data)}" ${custom}`
            : `${where}: "${String(e.data)}" is not one of ${allowed.join(', ')}${didYouMean(String(e.data), allowed)}`;
        break;
      }
      case 'pattern':
        if (e.propertyName !== undefined) continue; // reported with its propertyNames error
        message = `${where}: "${String(e.data)}" ${typeof custom === 'string' ? custom : `does not match ${(e.params as { pattern: string }).pattern}`}`;
        break;
      case 'minItems':
        message = `${where} needs at least ${(e.params as { limit: number }).limit} item(s)`;
        break;
      case 'maxItems':
        message = `${where} takes at most ${(e.params as { limit: number }).limit} item(s)`;
        break;
      case 'uniqueItems': {
        const { i, j } = e.params as { i: number; j: number };
        const dup = locate(doc, [...path, i]).node;
        if (dup) at = nodeStart(dup);
        message = `${where}: items ${j + 1} and ${i + 1} are the same`;
        break;
      }
      case 'minLength':
        message = `${where} must not be empty`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        message = `${where} must be ${(e.params as { comparison: string }).comparison} ${(e.params as { limit: number }).limit}`;
        break;
      default:
        message = `${where} ${e.message ?? 'is invalid'}`;
    }
    const dedupe = `${at}:${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    sink.error(map(at), message);
  }
}

/** Validate a parsed YAML value with a compiled schema; true when valid. */
export function validateYaml(
  validate: ValidateFunction,
  parsed: ParsedYaml,
  map: TextMap,
  sink: DiagnosticSink,
  root: string,
): boolean {
  if (validate(parsed.value)) return true;
  reportSchemaErrors(validate.errors, parsed.doc, map, sink, root);
  return false;
}

/**
 * A map from offsets in a YAML string value back to the YAML text: exact for plain scalars,
 * for quoted scalars without escapes and for block scalars (line by line); otherwise the
 * value's start. Used to place check-language errors inside `when:` values.
 */
export function scalarValueMap(yamlText: string, node: Node | null, value: string, map: TextMap): TextMap {
  const start = nodeStart(node);
  const end = node?.range ? node.range[1] : start;
  const src = yamlText.slice(start, end);
  const direct = src.indexOf(value);
  if (direct >= 0) return (o) => map(start + direct + o);
  // Block scalars: find each line of the value in order.
  const lineOffsets: number[] = [];
  let from = 0;
  for (const line of value.split('\n')) {
    const k = src.indexOf(line, from);
    if (k < 0) return () => map(start);
    lineOffsets.push(k);
    from = k + line.length;
  }
  return (o) => {
    let rest = o;
    const lines = value.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (rest <= lines[i].length) return map(start + lineOffsets[i] + rest);
      rest -= lines[i].length + 1;
    }
    return map(end);
  };
}
