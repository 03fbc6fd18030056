/**
 * JSON Schemas (draft-07, checked with ajv) for the YAML parts of a lesson: the front matter and
 * the `hint` and `predict` blocks. `x-message` is our annotation: the text shown when a value
 * fails its `pattern` or `enum`, in place of ajv's generic one.
 *
 * The lab ids and source documents come from catalog.ts, so the schema and the catalogue
 * cannot drift apart. `frontMatterJsonSchema` is plain data: an editor can use it for
 * completion and inline validation too.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { DISK_PRESETS, LAB_IDS, LANGUAGES, LEVELS, SOURCE_DOCUMENTS } from './catalog';

const text = { type: 'string', minLength: 1 };

const localized = {
  type: 'object',
  required: [...LANGUAGES],
  additionalProperties: false,
  properties: Object.fromEntries(LANGUAGES.map((l) => [l, text])),
};

const duration = {
  type: 'string',
  pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$',
  'x-message': 'is not a duration: write a number with ms, s, m, h or d, like 90s',
};

const ipv4 = {
  type: 'string',
  pattern: '^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$',
  'x-message': 'is not an IPv4 address like 10.0.0.1',
};

const absolutePath = {
  type: 'string',
  pattern: '^/[^\\s]*$',
  'x-message': 'must be an absolute path without spaces (start with /)',
};

const address = {
  type: 'string',
  pattern: '^[A-Za-z0-9.-]+:\\d{1,5}$',
  'x-message': 'is not an address: write ip:port, like 10.0.0.1:6379',
};

const hostName = {
  type: 'string',
  pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
  'x-message': 'is not a host name: lower-case letters, digits and single dashes, starting with a letter (eshop-cache01)',
};

const lessonId = {
  type: 'string',
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  'x-message': 'is not a lesson id: lower-case letters, digits and single dashes (c2-automatic-failover)',
};

const sourceDocument = {
  type: 'string',
  enum: [...SOURCE_DOCUMENTS],
  'x-message': `is not a source document; they are ${SOURCE_DOCUMENTS.join(', ')}`,
};

export const frontMatterJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'HA Lab lesson front matter',
  type: 'object',
  required: ['id', 'title', 'labs', 'source', 'level', 'seed', 'topology'],
  additionalProperties: false,
  properties: {
    id: lessonId,
    title: localized,
    summary: localized,
    labs: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...LAB_IDS], 'x-message': 'is not a lab id of docs/LABS.md (A1-A9, B1-B8, C1-C10, D1-D4)' },
    },
    source: { anyOf: [sourceDocument, { type: 'array', minItems: 1, uniqueItems: true, items: sourceDocument }] },
    level: { enum: [...LEVELS] },
    requires: { type: 'array', uniqueItems: true, items: lessonId },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    topology: {
      type: 'object',
      required: ['hosts'],
      additionalProperties: false,
      properties: {
        network: {
          type: 'object',
          additionalProperties: false,
          properties: {
            latency: duration,
            bandwidth: {
              type: 'string',
              pattern: '^\\d+(\\.\\d+)?(b|kb|mb|gb)/s$',
              'x-message': 'is not a bandwidth: write bytes per second like 10mb/s',
            },
          },
        },
        hosts: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['name', 'ip'],
            additionalProperties: false,
            properties: {
              name: hostName,
              ip: { anyOf: [ipv4, { type: 'array', minItems: 1, uniqueItems: true, items: ipv4 }] },
              disk: { enum: [...DISK_PRESETS] },
              files: {
                type: 'object',
                propertyNames: absolutePath,
                additionalProperties: { type: 'string' },
              },
              dirs: { type: 'array', uniqueItems: true, items: absolutePath },
              boot: { type: 'array', items: text },
              torn_writes: { type: 'boolean' },
            },
          },
        },
      },
    },
    faults: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'do'],
        additionalProperties: false,
        properties: { at: duration, do: text },
      },
    },
    loadgen: {
      type: 'object',
      required: ['host'],
      additionalProperties: false,
      properties: {
        host: hostName,
        target: address,
        sentinels: { type: 'array', minItems: 1, uniqueItems: true, items: address },
        master: text,
        rate: { type: 'integer', minimum: 1, maximum: 100000 },
        keys: { type: 'integer', minimum: 1, maximum: 1000000 },
        autostart: { type: 'boolean' },
      },
    },
  },
} as const;

export const hintJsonSchema = { ...localized, title: 'hint block' };

export const predictJsonSchema = {
  title: 'predict block',
  type: 'object',
  required: ['question', 'choices'],
  additionalProperties: false,
  properties: {
    question: localized,
    choices: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        required: [...LANGUAGES, 'when'],
        additionalProperties: false,
        properties: { ...Object.fromEntries(LANGUAGES.map((l) => [l, text])), when: text },
      },
    },
    explain: localized,
  },
};

let compiled: { frontMatter: ValidateFunction; hint: ValidateFunction; predict: ValidateFunction } | null = null;

/** The compiled validators (compiled once, on first use). */
export function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addVocabulary(['x-message']);
    compiled = {
      frontMatter: ajv.compile(frontMatterJsonSchema),
      hint: ajv.compile(hintJsonSchema),
      predict: ajv.compile(predictJsonSchema),
    };
  }
  return compiled;
}
