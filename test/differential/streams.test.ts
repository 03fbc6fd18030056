/**
 * Streams against real Redis 7.0.15: XADD (IDs, NOMKSTREAM, MAXLEN/MINID with = and ~ and
 * LIMIT), XLEN, XRANGE/XREVRANGE (exclusive ranges, COUNT), XDEL, XTRIM, XSETID, their errors,
 * the node layout that `~` trimming and DUMP expose, what is propagated and notified, WATCH,
 * and COMMAND INFO/DOCS of the new commands. Auto IDs (`*`) depend on each server's clock, so
 * most steps use explicit IDs; the `*` forms are compared by shape.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Pair, type Step } from '../support/differential';
import { recordKeyspaceEvents } from '../support/keyspace-events';
import { attachOurReplica, attachRealReplica, settle } from '../support/repl-stream';
import { rng as seeded } from '../support/rng';
import type { RawClient } from '../support/raw-client';
import { docsShape } from '../support/command-docs';
import { waitFor } from '../support/persistence';
import { expectSameScenario } from '../support/scenario';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startOurs, startReal, tmpDir } from '../support/persistence';
import { streamId } from '../support/rdb-craft';
import { RdbWriter } from '../../src/engine/persistence/rdb/encoder';
import { ListpackWriter } from '../../src/engine/persistence/rdb/listpack';
import { Crc64 } from '../../src/engine/persistence/rdb/crc64';
import { T } from '../../src/engine/persistence/rdb/format';
import { toJs, type RespValue } from '../../src/engine/resp/reply-parser';

/** `n` XADDs with explicit IDs `ms-seq` counting up, fields f0..f(k-1). */
function adds(key: string, n: number, startMs = 1, fields = 2): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) {
    const fv: string[] = [];
    for (let f = 0; f < fields; f++) fv.push(`f${f}`, `v${i}-${f}`);
    steps.push(['XADD', key, `${startMs + i}-0`, ...fv]);
  }
  return steps;
}

/**
 * A DUMP payload of type STREAM_LISTPACKS (15, what Redis 5 to 6.2 wrote): entries 1-0 to 6-0
 * with 1-0 to 4-0 deleted, group g1 at 5-0 with 1, 2, 4 and 5 pending for c11, group g2 at
 * 0-0. The format has no first ID, max deleted ID, entries added or groups' read counters:
 * loading estimates them.
 */
function legacyStreamPayload(): string {
  const lp = new ListpackWriter();
  lp.appendInt(2); lp.appendInt(4); lp.appendInt(1); lp.appendString('data'); lp.appendInt(0);
  for (let ms = 1; ms <= 6; ms++) {
    lp.appendInt(ms <= 4 ? 3 : 2); lp.appendInt(ms - 1); lp.appendInt(0); lp.appendString(String.fromCharCode(96 + ms)); lp.appendInt(4);
  }
  const w = new RdbWriter({ compression: false, listFill: -2 });
  w.byte(T.STREAM_LISTPACKS);
  w.length(1); w.string(streamId(1)); w.blob(lp.finish());
  w.length(2); w.length(6); w.length(0); // length, last ID
  w.length(2);
  w.string('g1'); w.length(5); w.length(0);
  w.length(4);
  for (const ms of [1, 2, 4, 5]) { w.ascii(streamId(ms)); w.millis(1600000000000 + ms); w.length(1); }
  w.length(1); w.string('c11'); w.millis(1600000000000); w.length(4);
  for (const ms of [1, 2, 4, 5]) w.ascii(streamId(ms));
  w.string('g2'); w.length(0); w.length(0); w.length(0); w.length(0);
  w.byte(10); w.byte(0); // RDB version
  const crc = new Crc64();
  crc.update(w.buf, 0, w.len);
  const v = crc.toBigInt();
  for (let i = 0n; i < 8n; i++) w.byte(Number((v >> (8n * i)) & 0xffn));
  return String.fromCharCode(...w.view());
}

const STREAM_COMMANDS = ['xadd', 'xlen', 'xrange', 'xrevrange', 'xdel', 'xtrim', 'xsetid', 'xread', 'xreadgroup', 'xack', 'xpending', 'xclaim', 'xautoclaim', 'xgroup', 'xinfo'];

/**
 * A reply with the clock's traces masked: idle times and seen/delivery times depend on when
 * each server ran the command. Integers that look like Unix ms times, the value after an
 * "idle" or "seen-time" field, and XPENDING's per-entry idle time become "T".
 */
function masked(argv: string[], v: unknown): unknown {
  const walk = (x: unknown): unknown => {
    if (typeof x === 'number' || typeof x === 'bigint') return Number(x) > 1e12 ? 'T' : x;
    if (!Array.isArray(x)) return x;
    const out = x.map(walk);
    for (let i = 0; i + 1 < out.length; i++) if (out[i] === 'idle' || out[i] === 'seen-time') out[i + 1] = 'T';
    return out;
  };
  let r = walk(v);
  if (argv[0].toUpperCase() === 'XPENDING' && argv.length > 3 && Array.isArray(r)) r = r.map((e) => (Array.isArray(e) ? [e[0], e[1], 'T', e[3]] : e));
  return r;
}

/** Run the steps on both servers and compare the replies with times masked. */
async function expectSameMasked(p: Pair, steps: string[][]): Promise<void> {
  const problems: string[] = [];
  for (const argv of steps) {
    const [real, ours] = await Promise.all([p.realClient.command(argv), p.ourClient.command(argv)]);
    const a = JSON.stringify(masked(argv, toJs(real))), b = JSON.stringify(masked(argv, toJs(ours)));
    if (a !== b) problems.push(`${argv.join(' ')}\n  real: ${a}\n  ours: ${b}`);
  }
  expect(problems, problems.join('\n')).toEqual([]);
}

/** Propagated commands with XCLAIM's TIME (a delivery time) masked. */
function maskTime(cmds: string[]): string[] {
  return cmds.map((c) => c.replace(/"TIME" "\d+"/, '"TIME" "T"'));
}

describeDifferential('streams (differential)', (pair) => {
  it('XADD IDs: explicit, partial ms-*, ms only, and the ID errors', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', '1-0', 'a', '1'], ['XADD', 's', '1-2', 'a', '1'],
    ['XADD', 's', '1-*', 'b', '2'], ['XADD', 's', '5-*', 'b', '2'], ['XADD', 's', '5-*', 'b', '2'], ['XADD', 's', '3-*', 'b', '2'],
    ['XADD', 's', '7', 'c', '3'], ['XADD', 's', '7', 'c', '3'], ['XADD', 's', '007-5', 'c', '3'],
    ['XADD', 's', '0-0', 'x', 'y'], ['XADD', 'new', '0-0', 'x', 'y'], ['EXISTS', 'new'], ['XADD', 'new', '0-*', 'x', 'y'], ['XADD', 'new', '0', 'x', 'y'],
    ['XADD', 's', '-', 'x', 'y'], ['XADD', 's', '+', 'x', 'y'], ['XADD', 's', 'abc', 'x', 'y'], ['XADD', 's', '1-a', 'x', 'y'], ['XADD', 's', '-1', 'x', 'y'],
    ['XADD', 's', '18446744073709551616-0', 'x', 'y'], ['XADD', 's', '1-18446744073709551616', 'x', 'y'], ['XADD', 's', '1-*-', 'x', 'y'],
    ['XADD', 's', '18446744073709551615-18446744073709551614', 'x', 'y'], ['XADD', 's', '18446744073709551615-*', 'x', 'y'],
    ['XADD', 's', '18446744073709551615-*', 'x', 'y'], ['XADD', 's', '*', 'x', 'y'],
    ['XLEN', 's'], ['XRANGE', 's', '-', '+'],
    ['XADD', 'm', '1-18446744073709551615', 'a', 'b'], ['XADD', 'm', '1-*', 'a', 'b'], ['XADD', 'm', '2-*', 'a', 'b'],
    // Arity and options.
    ['XADD', 's'], ['XADD', 's', '*'], ['XADD', 's', '*', 'a'], ['XADD', 's', '9-0', 'a', 'b', 'c'], ['XADD', 's', 'MAXLEN', '*', 'a', 'b'],
    ['XADD', 'nomk', 'NOMKSTREAM', '1-0', 'a', 'b'], ['EXISTS', 'nomk'], ['XADD', 'nomk', 'nomkstream', 'MAXLEN', '1', '1-0', 'a', 'b'],
    ['SET', 'str', 'x'], ['XADD', 'str', '1-0', 'a', 'b'], ['XADD', 'str', 'NOMKSTREAM', '1-0', 'a', 'b'], ['XLEN', 'str'], ['XRANGE', 'str', '-', '+'],
    ['TYPE', 's'], ['OBJECT', 'ENCODING', 's'], ['XLEN', 'nokey'],
  ]));

  it('XADD with * makes IDs from the clock and keeps them increasing', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL']]);
    for (const cl of [p.realClient, p.ourClient]) {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await cl.command(['XADD', 'auto', '*', 'n', String(i)]);
        ids.push(r.type === 'bulk' ? r.value : '');
      }
      const parsed = ids.map((x) => x.split('-').map(BigInt));
      expect(Math.abs(Number(parsed[0][0]) - Date.now())).toBeLessThan(10000);
      for (let i = 1; i < 5; i++) expect(parsed[i][0] > parsed[i - 1][0] || (parsed[i][0] === parsed[i - 1][0] && parsed[i][1] > parsed[i - 1][1])).toBe(true);
    }
    // A stream whose last ID is in the future: * continues its sequence.
    await expectSame(p, [
      ['XADD', 'future', '99999999999999-5', 'a', 'b'], ['XADD', 'future', '*', 'a', 'b'], ['XADD', 'future', 'MAXLEN', '1', '*', 'a', 'b'],
      ['XRANGE', 'future', '-', '+'],
    ]);
  });

  it('XRANGE / XREVRANGE: incomplete IDs, exclusive ranges, COUNT and errors', () => expectSame(pair(), ([
    ['FLUSHALL'], ...(adds('s', 10) as string[][]), ['XADD', 's', '10-5', 'x', 'y'], ['XADD', 's', '10-18446744073709551615', 'x', 'y'],
    ['XRANGE', 's', '-', '+'], ['XREVRANGE', 's', '+', '-'], ['XRANGE', 's', '3', '5'], ['XREVRANGE', 's', '5', '3'],
    ['XRANGE', 's', '(3', '(5'], ['XRANGE', 's', '(3-0', '5'], ['XREVRANGE', 's', '(5', '(3'], ['XRANGE', 's', '10', '10'],
    ['XRANGE', 's', '(10-5', '+'], ['XRANGE', 's', '-', '(10-5'], ['XREVRANGE', 's', '+', '(10-5'],
    ['XRANGE', 's', '-', '+', 'COUNT', '3'], ['XREVRANGE', 's', '+', '-', 'COUNT', '3'], ['XRANGE', 's', '-', '+', 'COUNT', '0'],
    ['XRANGE', 's', '-', '+', 'COUNT', '-1'], ['XRANGE', 's', '-', '+', 'count', '2', 'COUNT', '4'], ['XRANGE', 's', '-', '+', 'COUNT'],
    ['XRANGE', 's', '-', '+', 'COUNT', 'x'], ['XRANGE', 's', '-', '+', 'LIMIT', '1'], ['XRANGE', 's', '5', '3'],
    ['XRANGE', 's', '(-', '+'], ['XRANGE', 's', '-', '(+'], ['XRANGE', 's', '(', '+'], ['XRANGE', 's', '((1', '+'],
    ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'], ['XRANGE', 's', '-', '(0-0'],
    ['XRANGE', 's', '(0', '+', 'COUNT', '1'], ['XRANGE', 's', 'x', '+'], ['XRANGE', 's', '-', 'x'], ['XRANGE', 's', '-'],
    ['XRANGE', 'nokey', '-', '+'], ['XRANGE', 'nokey', '-', '+', 'COUNT', '0'], ['XREVRANGE', 'nokey', '+', '-'],
    ['SET', 'str', 'x'], ['XRANGE', 'str', '-', '+'], ['XRANGE', 'str', 'bad', '+'], ['XREVRANGE', 'str', '+', '-'],
    ['HELLO', '3'], ['XRANGE', 's', '-', '+', 'COUNT', '2'], ['XRANGE', 's', '-', '+', 'COUNT', '0'], ['HELLO', '2'],
  ] as string[][]).map((s): Step => (s[0] === 'HELLO' ? { cmd: s, compare: 'type' } : s))));

  it('XDEL, XLEN and the node layout seen through DUMP', () => expectSame(pair(), [
    ['FLUSHALL'], ...adds('s', 5),
    ['XDEL', 's', '2-0'], ['XDEL', 's', '2-0', '3-0', '99-0'], ['XDEL', 's', 'bad', '4-0'], ['XLEN', 's'], ['XRANGE', 's', '-', '+'],
    ['XDEL', 's'], ['XDEL', 'nokey', '1-0'], ['XDEL', 's', '-'], ['XDEL', 's', '1'],
    ['DUMP', 's'], ['XDEL', 's', '4-0', '5-0'], ['XLEN', 's'], ['EXISTS', 's'], ['DUMP', 's'], ['XADD', 's', '3-0', 'a', 'b'], ['XADD', 's', '6-0', 'a', 'b'], ['DUMP', 's'],
    // Entries with other fields, integers and long values: each layout of a node entry.
    ['XADD', 'mix', '1-0', 'a', '1', 'b', '2'], ['XADD', 'mix', '1-1', 'a', '-5', 'b', '100000'], ['XADD', 'mix', '2-0', 'c', 'x'],
    ['XADD', 'mix', '2-1', 'a', 'x'.repeat(70), 'b', 'y'.repeat(5000)], ['XADD', 'mix', '3-0', '12', '007', 'a', '9223372036854775807'],
    ['XADD', 'mix', '18446744073709551615-0', 'a', '1', 'b', '2'], ['DUMP', 'mix'], ['XRANGE', 'mix', '-', '+'],
    ['SET', 'str', 'x'], ['XDEL', 'str', '1-0'], ['XLEN', 'str'],
  ]));

  it('nodes fill at stream-node-max-entries / -max-bytes, and ~ trims whole nodes', () => {
    const steps: Step[] = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '10']];
    steps.push(...adds('s', 35));
    steps.push(['XTRIM', 's', 'MAXLEN', '~', '28'], ['XLEN', 's'], ['XTRIM', 's', 'MAXLEN', '~', '22'], ['XLEN', 's'], ['XRANGE', 's', '-', '+', 'COUNT', '1']);
    steps.push(['XTRIM', 's', 'MAXLEN', '=', '13'], ['XLEN', 's'], ['DUMP', 's'], ['XTRIM', 's', 'MAXLEN', '13'], ['XTRIM', 's', 'MINID', '~', '30'], ['XLEN', 's']);
    steps.push(['XTRIM', 's', 'MINID', '33'], ['XLEN', 's'], ['XRANGE', 's', '-', '+'], ['DUMP', 's']);
    steps.push(['CONFIG', 'SET', 'stream-node-max-entries', '100'], ['CONFIG', 'SET', 'stream-node-max-bytes', '200']);
    steps.push(...adds('b', 30, 1, 3), ['DUMP', 'b'], ['XTRIM', 'b', 'MAXLEN', '~', '20'], ['XLEN', 'b'], ['XTRIM', 'b', 'MAXLEN', '~', '0', 'LIMIT', '5'], ['XLEN', 'b']);
    steps.push(['XTRIM', 'b', 'MAXLEN', '~', '0', 'LIMIT', '0'], ['XLEN', 'b'], ['EXISTS', 'b'], ['DUMP', 'b']);
    steps.push(['CONFIG', 'SET', 'stream-node-max-bytes', '0'], ['CONFIG', 'SET', 'stream-node-max-entries', '0'], ...adds('z', 20), ['DUMP', 'z']);
    steps.push(['MEMORY', 'USAGE', 's'], ['MEMORY', 'USAGE', 'b'], ['MEMORY', 'USAGE', 'z'], ['MEMORY', 'USAGE', 'z', 'SAMPLES', '0']);
    steps.push(['CONFIG', 'SET', 'stream-node-max-bytes', '4096'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
    // Big entries: listpacks past the 4096-byte preallocation, shrunk when the next node starts.
    for (let i = 1; i <= 12; i++) steps.push(['XADD', 'big', `${i}-0`, 'f', 'x'.repeat(700 * i)], ['MEMORY', 'USAGE', 'big'], ['MEMORY', 'USAGE', 'big', 'SAMPLES', '0']);
    steps.push(...adds('many', 300), ['MEMORY', 'USAGE', 'many'], ['XDEL', 'many', '1-0', '150-0'], ['MEMORY', 'USAGE', 'many', 'SAMPLES', '0']);
    steps.push(['XTRIM', 'many', 'MAXLEN', '130'], ['MEMORY', 'USAGE', 'many', 'SAMPLES', '0'], ['DEBUG', 'RELOAD'], ['MEMORY', 'USAGE', 'many', 'SAMPLES', '0'], ['MEMORY', 'USAGE', 'big']);
    return expectSame(pair(), steps);
  });

  it('XADD and XTRIM trimming options and their errors', () => expectSame(pair(), [
    ['FLUSHALL'], ...adds('s', 20),
    ['XADD', 's', 'MAXLEN', '15', '21-0', 'a', 'b'], ['XLEN', 's'], ['XADD', 's', 'MAXLEN', '=', '12', '22-0', 'a', 'b'], ['XLEN', 's'],
    ['XADD', 's', 'MAXLEN', '~', '5', '23-0', 'a', 'b'], ['XLEN', 's'], ['XADD', 's', 'MINID', '15', '24-0', 'a', 'b'], ['XRANGE', 's', '-', '+', 'COUNT', '1'],
    ['XADD', 's', 'MINID', '~', '20', 'LIMIT', '100', '25-0', 'a', 'b'], ['XLEN', 's'],
    ['XADD', 's', 'MAXLEN', '1', 'MINID', '1', '26-0', 'a', 'b'], ['XADD', 's', 'MINID', '1', 'MAXLEN', '1', '26-0', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '-1', '26-0', 'a', 'b'], ['XADD', 's', 'MAXLEN', 'x', '26-0', 'a', 'b'], ['XADD', 's', 'MAXLEN', '~', '-1', '26-0', 'a', 'b'],
    ['XADD', 's', 'LIMIT', '10', '26-0', 'a', 'b'], ['XADD', 's', 'MAXLEN', '5', 'LIMIT', '10', '26-0', 'a', 'b'], ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', '-1', '26-0', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', 'x', '26-0', 'a', 'b'], ['XADD', 's', 'MINID', 'x', '26-0', 'a', 'b'], ['XADD', 's', 'MINID', '-', '26-0', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '0', 'LIMIT', '0', '26-0', 'a', 'b'], ['XLEN', 's'], ['EXISTS', 's'], ['XRANGE', 's', '-', '+'],
    ['XADD', 's', 'MAXLEN'], ['XADD', 's', 'MAXLEN', '~'], ['XADD', 's', 'MAXLEN', '5', '27-0', 'a'],
    ['XTRIM', 's'], ['XTRIM', 's', 'MAXLEN'], ['XTRIM', 's', 'LIMIT', '5'], ['XTRIM', 's', 'BOGUS', '1'], ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'],
    ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '5'], ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', '5'], ['XTRIM', 's', 'NOMKSTREAM', 'MAXLEN', '1'],
    ['XTRIM', 'nokey', 'MAXLEN', '0'], ['XTRIM', 'nokey', 'MAXLEN', 'x'], ['SET', 'str', 'v'], ['XTRIM', 'str', 'MAXLEN', '0'],
    ['XTRIM', 's', 'MINID', '0'], ['XTRIM', 's', 'MAXLEN', '0'], ['XLEN', 's'], ['TYPE', 's'],
  ]));

  it('XSETID and its errors', () => expectSame(pair(), [
    ['FLUSHALL'], ...adds('s', 3),
    ['XSETID', 's', '2-0'], ['XSETID', 's', '3-0'], ['XSETID', 's', '10-0'], ['XADD', 's', '5-0', 'a', 'b'], ['XADD', 's', '10-*', 'a', 'b'],
    ['XSETID', 's', '20-0', 'ENTRIESADDED', '3'], ['XSETID', 's', '20-0', 'ENTRIESADDED', '-1'], ['XSETID', 's', '20-0', 'ENTRIESADDED', 'x'],
    ['XSETID', 's', '20-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '15-0'], ['XSETID', 's', '20-0', 'MAXDELETEDID', '25-0'],
    ['XSETID', 's', '20-0', 'MAXDELETEDID', 'bad'], ['XSETID', 's', '20-0', 'BOGUS', '1'], ['XSETID', 's', '20-0', 'ENTRIESADDED'],
    ['XSETID', 's', '-'], ['XSETID', 's', '+'], ['XSETID', 's', 'x'], ['XSETID', 'nokey', '1-0'], ['SET', 'str', 'v'], ['XSETID', 'str', '1-0'],
    ['XDEL', 's', '1-0', '2-0', '3-0', '10-1'], ['XSETID', 's', '1-0'], ['XSETID', 's', '1-0', 'ENTRIESADDED', '0'], ['DUMP', 's'],
    ['XADD', 'e', 'MAXLEN', '0', '5-0', 'a', 'b'], ['XSETID', 'e', '1-0'], ['XADD', 'e', '2-0', 'a', 'b'], ['DUMP', 'e'],
  ]));

  it('DUMP/RESTORE, DEBUG RELOAD, COPY, RENAME, DEBUG DIGEST-VALUE and the RDB keep streams', async () => {
    const p = pair();
    await expectSame(p, [
      ['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '4'], ...adds('s', 11, 1, 3), ['XDEL', 's', '2-0', '6-0'], ['XTRIM', 's', 'MAXLEN', '8'],
      ['XADD', 's', '100-0', 'other', 'fields'], ['XSETID', 's', '200-0', 'ENTRIESADDED', '50', 'MAXDELETEDID', '150-0'],
      ['XADD', 'empty', 'MAXLEN', '0', '5-0', 'a', 'b'],
      ['DUMP', 's'], ['DUMP', 'empty'], ['DEBUG', 'DIGEST-VALUE', 's', 'empty'],
      ['COPY', 's', 'c'], ['DUMP', 'c'], ['RENAME', 'c', 'd'], ['XRANGE', 'd', '-', '+'],
      ['DEBUG', 'RELOAD'], ['DUMP', 's'], ['DUMP', 'empty'], ['XLEN', 'empty'], ['XADD', 's', '300-0', 'a', 'b'], ['DUMP', 's'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ]);
    // Real Redis's payload restores in ours (and the other way) to the same bytes.
    const real = await p.realClient.command(['DUMP', 's']);
    const ours = await p.ourClient.command(['DUMP', 's']);
    expect(real.type).toBe('bulk');
    await p.ourClient.command(['RESTORE', 'fromreal', '0', real.type === 'bulk' ? real.value : '']);
    await p.realClient.command(['RESTORE', 'fromreal', '0', ours.type === 'bulk' ? ours.value : '']);
    await expectSame(p, [['DUMP', 'fromreal'], ['XRANGE', 'fromreal', '-', '+'], ['XADD', 'fromreal', '301-0', 'a', 'b'], ['DUMP', 'fromreal']]);
  });

  it('a seeded random sequence of XADD / XDEL / XTRIM / XRANGE matches', () => {
    // STREAM_SEED / STREAM_STEPS let a local run try other sequences (CI uses the defaults).
    const next = seeded(Number(process.env.STREAM_SEED ?? 20240519));
    const rng = { int: (n: number): number => Math.floor(next() * n) };
    const steps: Step[] = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '7']];
    let ms = 1;
    for (let i = 0; i < Number(process.env.STREAM_STEPS ?? 400); i++) {
      const r = rng.int(100);
      const key = `r${rng.int(2)}`;
      if (r < 45) {
        ms += rng.int(3);
        const fv = rng.int(3) === 0 ? ['a', String(rng.int(1000)), 'b', 'x'.repeat(rng.int(80))] : ['a', String(rng.int(1000))];
        const trim = rng.int(6) === 0 ? ['MAXLEN', ['~', '=', ''][rng.int(3)], String(rng.int(30))].filter((x) => x !== '') : [];
        steps.push(['XADD', key, ...trim, rng.int(4) === 0 ? `${ms}-*` : `${ms}-${rng.int(3)}`, ...fv]);
      } else if (r < 60) {
        steps.push(['XDEL', key, ...Array.from({ length: 1 + rng.int(3) }, () => `${1 + rng.int(ms)}-${rng.int(3)}`)]);
      } else if (r < 68) {
        steps.push(rng.int(2) ? ['XTRIM', key, 'MAXLEN', ['~', '='][rng.int(2)], String(rng.int(40))] : ['XTRIM', key, 'MINID', ['~', '='][rng.int(2)], `${rng.int(ms)}-0`]);
      } else if (r < 85) {
        const a = rng.int(ms + 2), b = rng.int(ms + 2);
        steps.push([rng.int(2) ? 'XRANGE' : 'XREVRANGE', key, ...(rng.int(2) ? [`${Math.max(a, b)}`, `(${Math.min(a, b)}`] : ['+', '-']), 'COUNT', String(rng.int(8))]);
      } else if (r < 90) {
        steps.push(['XLEN', key]);
      } else if (r < 93) {
        steps.push(['MEMORY', 'USAGE', key, ...(rng.int(2) ? ['SAMPLES', String(rng.int(4))] : [])]);
      } else if (r < 96) {
        steps.push(['XINFO', 'STREAM', key]);
      } else {
        steps.push(['DUMP', key]);
      }
    }
    steps.push(['DUMP', 'r0'], ['DUMP', 'r1'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
    return expectSame(pair(), steps);
  });

  it('a seeded random sequence of group operations matches (times masked)', async () => {
    const p = pair();
    const next = seeded(Number(process.env.STREAM_SEED ?? 777));
    const rng = { int: (n: number): number => Math.floor(next() * n) };
    const steps: string[][] = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '4'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATE', 's', 'h', '0']];
    let ms = 1;
    const id = (): string => `${1 + rng.int(ms + 1)}-${rng.int(2)}`;
    const consumer = (): string => ['a', 'b', 'c'][rng.int(3)];
    const group = (): string => ['g', 'h', 'nog'][rng.int(5) === 0 ? 2 : rng.int(2)];
    for (let i = 0; i < Number(process.env.STREAM_STEPS ?? 300); i++) {
      const r = rng.int(100);
      if (r < 25) { ms += rng.int(2); steps.push(['XADD', 's', `${ms}-*`, 'f', String(i)]); }
      else if (r < 40) steps.push(['XREADGROUP', 'GROUP', group(), consumer(), ...(rng.int(3) === 0 ? ['NOACK'] : []), 'COUNT', String(1 + rng.int(4)), 'STREAMS', 's', rng.int(4) === 0 ? '0' : '>']);
      else if (r < 50) steps.push(['XACK', 's', group(), id(), id()]);
      else if (r < 58) steps.push(['XCLAIM', 's', group(), consumer(), '0', id(), id(), ...(rng.int(3) === 0 ? ['JUSTID'] : []), ...(rng.int(4) === 0 ? ['FORCE'] : []), ...(rng.int(4) === 0 ? ['LASTID', id()] : [])]);
      else if (r < 65) steps.push(['XAUTOCLAIM', 's', group(), consumer(), '0', rng.int(2) ? '0' : id(), 'COUNT', String(1 + rng.int(3)), ...(rng.int(3) === 0 ? ['JUSTID'] : [])]);
      else if (r < 71) steps.push(['XDEL', 's', id()]);
      else if (r < 74) steps.push(['XTRIM', 's', 'MAXLEN', ['~', '='][rng.int(2)], String(rng.int(12))]);
      else if (r < 77) steps.push(['XGROUP', 'SETID', 's', group(), rng.int(2) ? '$' : id()]);
      else if (r < 80) steps.push(['XGROUP', rng.int(2) ? 'CREATECONSUMER' : 'DELCONSUMER', 's', group(), consumer()]);
      else if (r < 88) steps.push(['XPENDING', 's', group(), ...(rng.int(2) ? ['-', '+', String(rng.int(6)), ...(rng.int(2) ? [consumer()] : [])] : [])]);
      else if (r < 94) steps.push(['XINFO', rng.int(2) ? 'GROUPS' : 'STREAM', 's']);
      else if (r < 97) steps.push(['MEMORY', 'USAGE', 's']);
      else steps.push(['XINFO', 'CONSUMERS', 's', group()]);
    }
    steps.push(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
    await expectSameMasked(p, steps);
  });

  it('keyspace events: xadd, xtrim, xdel, xsetid', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']]);
    const events = await recordKeyspaceEvents(p, () => expectSame(p, [
      ['XADD', 'k', '1-0', 'a', 'b'], ['XADD', 'k', '2-0', 'a', 'b'], ['XADD', 'k', 'MAXLEN', '1', '3-0', 'a', 'b'], ['XADD', 'k', 'MAXLEN', '5', '4-0', 'a', 'b'],
      ['XDEL', 'k', '3-0'], ['XDEL', 'k', '99-0'], ['XTRIM', 'k', 'MAXLEN', '0'], ['XTRIM', 'k', 'MAXLEN', '0'], ['XSETID', 'k', '10-0'],
      ['XADD', 'k', 'NOMKSTREAM', '11-0', 'a', 'b'], ['XADD', 'none', 'NOMKSTREAM', '1-0', 'a', 'b'], ['XLEN', 'k'], ['XRANGE', 'none', '-', '+'],
      ['DEL', 'k'],
    ]));
    await expectSame(p, [['CONFIG', 'SET', 'notify-keyspace-events', '']]);
    expect(events.real).toContain('__keyevent@0__:xtrim k');
    expect(events.ours).toEqual(events.real);
  });

  it('propagation: concrete IDs for * and ms-*, ~ rewritten to = with what is left, XTRIM only when it removed', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '5']]);
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSame(p, [
        ...adds('s', 12), ['XADD', 's', '20-*', 'a', 'b'], ['XADD', 's', '20-*', 'a', 'b'], ['XADD', 's', '21', 'a', 'b'],
        ['XADD', 's', 'MAXLEN', '~', '6', '22-0', 'a', 'b'], ['XADD', 's', 'MAXLEN', '~', '6', 'LIMIT', '2', '23-*', 'a', 'b'],
        ['XADD', 's', 'MAXLEN', '100', '24-0', 'a', 'b'], ['XADD', 's', 'MINID', '~', '22', '25-0', 'a', 'b'],
        ['XTRIM', 's', 'MAXLEN', '100'], ['XTRIM', 's', 'MAXLEN', '~', '2'], ['XTRIM', 's', 'MINID', '~', '99'], ['XTRIM', 's', 'MAXLEN', '3'],
        ['XDEL', 's', '1-0'], ['XDEL', 's', '25-0'], ['XSETID', 's', '30-0'], ['XSETID', 's', '31-0', 'ENTRIESADDED', '99'],
        ['XADD', 'n', 'NOMKSTREAM', '1-0', 'a', 'b'], ['XADD', 'n', 'MAXLEN', '0', '1-0', 'a', 'b'],
        ['XADD', 's', '1-0', 'late', 'id'], ['SET', 'marker', '1'],
      ]);
      await settle(realStream, ourStream);
      expect(realStream.commands().at(-1)).toContain('marker');
      expect(ourStream.commands()).toEqual(realStream.commands());
    } finally {
      realStream.close();
      ourStream.close();
      await expectSame(p, [['CONFIG', 'SET', 'stream-node-max-entries', '100']]);
    }
  });

  it('XADD * propagates the ID it replied', async () => {
    const p = pair();
    const ourStream = attachOurReplica(p);
    try {
      const r = await p.ourClient.command(['XADD', 'auto', 'MAXLEN', '~', '10', '*', 'a', 'b']);
      await p.ourClient.command(['SET', 'marker', '2']);
      const id = r.type === 'bulk' ? r.value : '';
      expect(ourStream.commands()).toContain(`"XADD" "auto" "MAXLEN" "=" "1" ${JSON.stringify(id)} "a" "b"`);
    } finally {
      ourStream.close();
    }
  });

  it('WATCH: XADD, XDEL, XTRIM that removed something and XSETID abort the transaction', async () => {
    const p = pair();
    const steps: Step[] = [['FLUSHALL'], ...adds('w', 3)];
    for (const write of [['XADD', 'w', '10-0', 'a', 'b'], ['XDEL', 'w', '1-0'], ['XDEL', 'w', '99-0'], ['XTRIM', 'w', 'MAXLEN', '100'], ['XTRIM', 'w', 'MAXLEN', '1'], ['XSETID', 'w', '50-0'], ['XLEN', 'w']]) {
      steps.push(['WATCH', 'w'], write, ['MULTI'], ['PING'], ['EXEC']);
    }
    await expectSame(p, steps);
  });

  it('XGROUP CREATE / SETID / CREATECONSUMER / DELCONSUMER / DESTROY / HELP and their errors', () => expectSame(pair(), [
    ['FLUSHALL'], ...adds('s', 5),
    ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g2', '$'], ['XGROUP', 'CREATE', 's', 'g3', '3', 'ENTRIESREAD', '3'],
    ['XGROUP', 'CREATE', 's', 'g4', '3-0', 'ENTRIESREAD', '-1'], ['XGROUP', 'CREATE', 's', 'g5', '3', 'ENTRIESREAD', '-2'], ['XGROUP', 'CREATE', 's', 'g5', '3', 'ENTRIESREAD', 'x'],
    ['XGROUP', 'CREATE', 's', 'g5', 'bad'], ['XGROUP', 'CREATE', 's', 'g5', '-'], ['XGROUP', 'CREATE', 's', 'g5', '0', 'BOGUS'], ['XGROUP', 'CREATE', 's', 'g5', '0', 'MKSTREAM', 'extra', 'x'],
    ['XGROUP', 'CREATE', 'nokey', 'g', '$'], ['XGROUP', 'CREATE', 'mk', 'g', '$', 'MKSTREAM'], ['TYPE', 'mk'], ['XLEN', 'mk'], ['XGROUP', 'CREATE', 'mk', 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 'mk2', 'g', '5-5', 'MKSTREAM', 'ENTRIESREAD', '7'], ['XINFO', 'GROUPS', 'mk2'],
    ['SET', 'str', 'x'], ['XGROUP', 'CREATE', 'str', 'g', '$'], ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'alice'], ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'alice'], ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'alice'],
    ['XGROUP', 'CREATECONSUMER', 'nokey', 'g1', 'alice'], ['XGROUP', 'CREATECONSUMER', 's', 'g1'],
    ['XGROUP', 'SETID', 's', 'g1', '2'], ['XGROUP', 'SETID', 's', 'g1', '$'], ['XGROUP', 'SETID', 's', 'g1', '-'], ['XGROUP', 'SETID', 's', 'g1', '+'],
    ['XGROUP', 'SETID', 's', 'g1', '0', 'ENTRIESREAD', '2'], ['XGROUP', 'SETID', 's', 'g1', '0', 'ENTRIESREAD'], ['XGROUP', 'SETID', 's', 'nog', '0'],
    ['XGROUP', 'SETID', 's', 'g1', '0', 'MKSTREAM'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'DELCONSUMER', 's', 'g1', 'alice'], ['XGROUP', 'DELCONSUMER', 's', 'g1', 'alice'], ['XGROUP', 'DELCONSUMER', 's', 'nog', 'alice'],
    ['XGROUP', 'DESTROY', 's', 'g2'], ['XGROUP', 'DESTROY', 's', 'g2'], ['XGROUP', 'DESTROY', 'nokey', 'g2'], ['XGROUP', 'DESTROY', 's', 'g2', 'x'],
    ['XGROUP', 'HELP'], ['XGROUP', 'help', 'x'], ['XGROUP', 'BOGUS', 's', 'g'], ['XGROUP', 'BOGUS'], ['XGROUP'], ['XGROUP', 'CREATE', 's'],
    ['XINFO', 'HELP'], ['XINFO', 'HELP', 'x'], ['XINFO', 'BOGUS', 's'], ['XINFO', 'STREAM', 'nokey'], ['XINFO', 'STREAM', 'str'], ['XINFO', 'GROUPS', 's', 'x'],
    ['XINFO', 'CONSUMERS', 's', 'nog'], ['XINFO', 'STREAM', 's', 'FULL', 'x'], ['XINFO', 'STREAM', 's', 'BOGUS'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
    ['XINFO', 'STREAM', 's'], ['XINFO', 'STREAM', 'mk'],
  ]));

  it('XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO (times masked)', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ...adds('s', 8), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g2', '0']]);
    await expectSameMasked(p, [
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '(1'],
      ['XPENDING', 's', 'g'], ['XPENDING', 's', 'g', '-', '+', '10'], ['XPENDING', 's', 'g', '-', '+', '10', 'bob'], ['XPENDING', 's', 'g', '(1', '(5', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '2'], ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'], ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
      ['XPENDING', 's', 'g', '-', '+'], ['XPENDING', 's', 'g', '-', '+', 'x'], ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '1'], ['XPENDING', 's', 'g', 'IDLE', '5', '-'],
      ['XPENDING', 's', 'nog'], ['XPENDING', 'nokey', 'g'], ['XPENDING', 's', 'g', '-', '+', '0'], ['XPENDING', 's', 'g', '-', '+', '-3'],
      ['XDEL', 's', '2-0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XACK', 's', 'g', '1-0', '1-0', '9-0'], ['XACK', 's', 'g', 'bad'], ['XACK', 's', 'nog', '1-0'], ['XACK', 'nokey', 'g', '1-0'],
      ['XCLAIM', 's', 'g', 'carol', '0', '2-0', '3-0', '4-0', '99-0'], ['XCLAIM', 's', 'g', 'carol', '3600000', '4-0', '5-0'],
      ['XCLAIM', 's', 'g', 'dave', '0', '4-0', 'JUSTID'], ['XCLAIM', 's', 'g', 'dave', '0', '6-0', 'FORCE', 'JUSTID'], ['XCLAIM', 's', 'g', 'dave', '0', '7-0'],
      ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'RETRYCOUNT', '7', 'TIME', '1000'], ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'IDLE', '5000', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'LASTID', '8-0', 'JUSTID'], ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'BOGUS'],
      ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'IDLE', 'x'], ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'TIME', 'x'], ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'RETRYCOUNT', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '5-0', 'LASTID', 'x'], ['XCLAIM', 's', 'g', 'dave', 'x', '5-0'], ['XCLAIM', 's', 'nog', 'dave', '0', '5-0'],
      ['XCLAIM', 'nokey', 'g', 'dave', '0', '5-0'], ['XCLAIM', 's', 'g', 'dave', '0', 'x'],
      ['XPENDING', 's', 'g'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'CONSUMERS', 's', 'g'], ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '2'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'],
      ['XDEL', 's', '6-0'],
      ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0', 'COUNT', '2'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', '(3', 'COUNT', '1', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'erin', '3600000', '0'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0', 'COUNT', '0'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0', 'BOGUS'], ['XAUTOCLAIM', 's', 'g', 'erin', 'x', '0'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', 'x'],
      ['XAUTOCLAIM', 's', 'nog', 'erin', '0', '0'], ['XAUTOCLAIM', 'nokey', 'g', 'erin', '0', '0'],
      ['XREADGROUP', 'GROUP', 'g2', 'zed', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'], ['XPENDING', 's', 'g2'], ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g2', 'zed', 'STREAMS', 's', 's', '>', '>'], ['XREADGROUP', 'GROUP', 'g2', 'zed', 'STREAMS', 's', '>'],
      ['XINFO', 'STREAM', 's', 'FULL'], ['MEMORY', 'USAGE', 's'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'erin'], ['XINFO', 'CONSUMERS', 's', 'g'], ['MEMORY', 'USAGE', 's'],
      // Errors of XREAD / XREADGROUP.
      ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '$'], ['XREADGROUP', 'GROUP', 'nog', 'a', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'nokey', '>'],
      ['XREADGROUP', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's'], ['XREADGROUP', 'GROUP', 'g', 'a', 'BOGUS', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', 'x', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '-1', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', 'bad'],
      ['XREAD', 'STREAMS', 's', '0'], ['XREAD', 'COUNT', '2', 'STREAMS', 's', 's', '0', '3'], ['XREAD', 'STREAMS', 's', '$'], ['XREAD', 'STREAMS', 'nokey', '$'],
      ['XREAD', 'STREAMS', 's', '>'], ['XREAD', 'GROUP', 'g', 'a', 'STREAMS', 's', '0'], ['XREAD', 'NOACK', 'STREAMS', 's', '0'], ['XREAD', 'STREAMS', 's'],
      ['XREAD', 'COUNT', '1'], ['XREAD', 'STREAMS', 's', '+'], ['XREAD', 'STREAMS', 's', '8'], ['XREAD', 'COUNT', '-5', 'STREAMS', 's', '6'],
      ['SET', 'str', 'x'], ['XREAD', 'STREAMS', 'str', '0'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'str', '>'], ['XACK', 'str', 'g', '1-0'],
      ['XPENDING', 'str', 'g'], ['XCLAIM', 'str', 'g', 'c', '0', '1-0'], ['XAUTOCLAIM', 'str', 'g', 'c', '0', '0'], ['XINFO', 'GROUPS', 'str'],
      ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0'], ['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'],
      ['HELLO', '3'], ['XREAD', 'COUNT', '1', 'STREAMS', 's', 's', '0', '0'], ['XREAD', 'STREAMS', 's', '$'], ['XINFO', 'STREAM', 's'], ['XPENDING', 's', 'nog'],
      ['HELLO', '2'],
    ].filter((a) => a[0] !== 'HELLO'));
  });

  it('XINFO STREAM radix tree counts and lag as the stream changes', () => {
    const steps: Step[] = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '2']];
    for (const ms of [1, 2, 3, 255, 256, 257, 65536, 65537, 1 << 24, 2 ** 40, 2 ** 40 + 1]) steps.push(['XADD', 's', `${ms}-0`, 'a', '1'], ['XADD', 's', `${ms}-1`, 'a', '1'], ['XINFO', 'STREAM', 's']);
    steps.push(['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '3', 'STREAMS', 's', '>']);
    steps.push(['XDEL', 's', '2-0', '2-1'], ['XINFO', 'STREAM', 's'], ['XINFO', 'GROUPS', 's'], ['XTRIM', 's', 'MAXLEN', '5'], ['XINFO', 'STREAM', 's'], ['XINFO', 'GROUPS', 's']);
    steps.push(['XDEL', 's', '65536-0', '65536-1'], ['XINFO', 'STREAM', 's'], ['XGROUP', 'SETID', 's', 'g', '$'], ['XINFO', 'GROUPS', 's']);
    steps.push(['XADD', 's', '99999999999999-0', 'a', '1'], ['XINFO', 'GROUPS', 's'], ['XTRIM', 's', 'MAXLEN', '0'], ['XINFO', 'STREAM', 's'], ['XINFO', 'GROUPS', 's']);
    steps.push(['CONFIG', 'SET', 'stream-node-max-entries', '100']);
    return expectSame(pair(), steps);
  });

  it('groups survive DUMP/RESTORE, DEBUG RELOAD and the AOF rewrite', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ...adds('s', 6), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'empty', '$', 'ENTRIESREAD', '3']]);
    // Deliveries at fixed times so the bytes match: XCLAIM with TIME and FORCE.
    await expectSame(p, [
      ['XCLAIM', 's', 'g', 'alice', '0', '1-0', '2-0', 'FORCE', 'TIME', '1700000000000', 'RETRYCOUNT', '2', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'bob', '0', '3-0', 'FORCE', 'TIME', '1700000000500', 'JUSTID'], ['XGROUP', 'SETID', 's', 'g', '3-0', 'ENTRIESREAD', '3'],
      ['XINFO', 'STREAM', 's', 'FULL'],
    ].map((s) => ({ cmd: s, compare: 'type' as const })));
    await expectSameMasked(p, [['XINFO', 'STREAM', 's', 'FULL'], ['DEBUG', 'RELOAD'], ['XINFO', 'STREAM', 's', 'FULL'], ['XPENDING', 's', 'g']]);
    const [rd, od] = await Promise.all([p.realClient.command(['DUMP', 's']), p.ourClient.command(['DUMP', 's'])]);
    // Consumers' seen times differ: restore each side's payload on the other side and compare what it holds.
    await p.ourClient.command(['RESTORE', 'x', '0', rd.type === 'bulk' ? rd.value : '']);
    await p.realClient.command(['RESTORE', 'x', '0', od.type === 'bulk' ? od.value : '']);
    await expectSameMasked(p, [['XINFO', 'STREAM', 'x', 'FULL'], ['XPENDING', 'x', 'g', '-', '+', '10']]);
    await expectSame(p, [['CONFIG', 'SET', 'appendonly', 'yes'], ['CONFIG', 'SET', 'aof-use-rdb-preamble', 'no']]);
    await new Promise((r) => setTimeout(r, 300));
    await expectSame(p, [{ cmd: ['BGREWRITEAOF'], compare: 'type' }]);
    await new Promise((r) => setTimeout(r, 500));
    await expectSame(p, [['DEBUG', 'LOADAOF'], ['XLEN', 's'], ['XINFO', 'GROUPS', 's'], ['CONFIG', 'SET', 'appendonly', 'no'], ['CONFIG', 'SET', 'aof-use-rdb-preamble', 'yes']]);
    await expectSameMasked(p, [['XINFO', 'STREAM', 's', 'FULL']]);
  });

  it('keyspace events of the group commands', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ...adds('s', 3), ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']]);
    const events = await recordKeyspaceEvents(p, async () => {
      await expectSameMasked(p, [
        ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'a'],
        ['XREADGROUP', 'GROUP', 'g', 'b', 'STREAMS', 's', '>'], ['XACK', 's', 'g', '1-0'], ['XCLAIM', 's', 'g', 'c', '0', '2-0'],
        ['XAUTOCLAIM', 's', 'g', 'd', '0', '0'], ['XGROUP', 'SETID', 's', 'g', '0'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'a'], ['XGROUP', 'DESTROY', 's', 'g'],
      ]);
    });
    await expectSame(p, [['CONFIG', 'SET', 'notify-keyspace-events', '']]);
    expect(events.real).toContain('__keyevent@0__:xgroup-createconsumer s');
    expect(events.ours).toEqual(events.real);
  });

  it('propagation of the group commands: XCLAIM and XGROUP forms (delivery times masked)', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ...adds('s', 6)]);
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSameMasked(p, [
        ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'n', '0'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'a'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'a'],
        ['XREADGROUP', 'GROUP', 'g', 'b', 'COUNT', '2', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'n', 'z', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'],
        ['XREADGROUP', 'GROUP', 'g', 'b', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'b', 'STREAMS', 's', '99'],
        ['XACK', 's', 'g', '1-0'], ['XACK', 's', 'g', '1-0'], ['XDEL', 's', '2-0'],
        ['XCLAIM', 's', 'g', 'c', '0', '2-0', '3-0', 'FORCE', 'TIME', '1700000000000'], ['XCLAIM', 's', 'g', 'c', '0', '9-0', 'LASTID', '5-0'],
        ['XCLAIM', 's', 'g', 'c', '0', '4-0', 'LASTID', '6-0', 'FORCE'], ['XAUTOCLAIM', 's', 'g', 'd', '0', '0'],
        ['XGROUP', 'SETID', 's', 'g', '$'], ['XGROUP', 'SETID', 's', 'g', '1', 'ENTRIESREAD', '1'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'd'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'd'],
        ['XGROUP', 'DESTROY', 's', 'n'], ['XGROUP', 'DESTROY', 's', 'n'], ['SET', 'marker', '1'],
      ]);
      await settle(realStream, ourStream);
      expect(realStream.commands().at(-1)).toContain('marker');
      expect(maskTime(ourStream.commands())).toEqual(maskTime(realStream.commands()));
    } finally {
      realStream.close();
      ourStream.close();
    }
  });

  it('XREAD BLOCK: served by XADD, $ waits for new entries, timeouts, several clients', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    await t.call(c, 'seed', 'XADD', 's', '1-0', 'a', '1');
    t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await t.blocked(1);
    t.send(b, 'XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'other', 's', '0', '1-0');
    await t.blocked(2);
    await t.call(c, 'add', 'XADD', 's', '2-0', 'b', '2');
    await t.reply(a, 'a');
    await t.reply(b, 'b');
    await t.call(a, 'timeout', 'XREAD', 'BLOCK', '50', 'STREAMS', 's', '$');
    await t.call(a, 'sync', 'XREAD', 'BLOCK', '50', 'STREAMS', 's', '1');
    t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 'new', '$');
    await t.blocked(1);
    await t.call(c, 'mk', 'XGROUP', 'CREATE', 'new', 'g', '$', 'MKSTREAM');
    await t.call(c, 'del', 'DEL', 'new');
    await t.call(c, 'str', 'SET', 'new', 'x');
    await t.call(c, 'del2', 'DEL', 'new');
    await t.call(c, 'add2', 'XADD', 'new', '5-0', 'k', 'v');
    await t.reply(a, 'a-new');
    t.send(a, 'MULTI');
    await t.reply(a, 'multi');
    t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await t.reply(a, 'queued');
    await t.call(a, 'exec', 'EXEC');
    t.send(a, 'HELLO', '3');
    await a.reply();
    t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await t.blocked(1);
    await t.call(c, 'add3', 'XADD', 's', '3-0', 'c', '3');
    await t.reply(a, 'a-resp3');
    await t.call(a, 'timeout3', 'XREAD', 'BLOCK', '20', 'STREAMS', 's', '$');
  }));

  it('XREADGROUP BLOCK: served with >, errors when the key or group goes away', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    await t.call(c, 'mk', 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await t.blocked(1);
    t.send(b, 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
    await t.blocked(2);
    await t.call(c, 'add', 'XADD', 's', '1-0', 'a', '1');
    await t.reply(a, 'alice');
    await t.call(c, 'add2', 'XADD', 's', '2-0', 'a', '2');
    await t.reply(b, 'bob');
    await t.call(c, 'pending', 'XPENDING', 's', 'g');
    t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'NOACK', 'STREAMS', 's', '>');
    await t.blocked(1);
    await t.call(c, 'destroy', 'XGROUP', 'DESTROY', 's', 'g');
    await t.reply(a, 'nogroup');
    await t.call(c, 'mk2', 'XGROUP', 'CREATE', 's', 'g', '$');
    t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await t.blocked(1);
    await t.call(c, 'del', 'DEL', 's');
    await t.reply(a, 'unblocked-del');
    await t.call(c, 'mk3', 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await t.blocked(1);
    await t.call(c, 'set', 'SET', 's', 'x');
    await t.reply(a, 'unblocked-set');
    await t.call(c, 'mk4', 'XGROUP', 'CREATE', 's2', 'g', '$', 'MKSTREAM');
    t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's2', '>');
    await t.blocked(1);
    await t.call(c, 'flushall', 'FLUSHALL');
    await t.reply(a, 'unblocked-flush');
    await t.call(c, 'mk5', 'XGROUP', 'CREATE', 's3', 'g', '$', 'MKSTREAM');
    await t.call(a, 'timeout', 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '30', 'STREAMS', 's3', '>');
    await t.call(c, 'info', 'XINFO', 'GROUPS', 's3');
    // SWAPDB: a stream swapped away ends the wait with an error; one swapped in serves XREAD.
    t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's3', '>');
    await t.blocked(1);
    await t.call(c, 'swap', 'SWAPDB', '0', '1');
    await t.reply(a, 'unblocked-swap');
    await t.call(c, 'swap-back', 'SWAPDB', '0', '1');
    t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 'w', '0');
    await t.blocked(1);
    await t.call(c, 'sel1', 'SELECT', '1');
    await t.call(c, 'add-db1', 'XADD', 'w', '7-0', 'in', 'db1');
    await t.call(c, 'swap2', 'SWAPDB', '0', '1');
    await t.reply(a, 'served-by-swap');
    await t.call(c, 'sel0', 'SELECT', '0');
  }));

  it('as a replica of real Redis (full sync, then the stream of XADD ~, XCLAIM and XGROUP forms), our streams match', async () => {
    const p = pair();
    const str = (v: RespValue) => ('value' in v ? String(v.value) : v.type);
    await p.realClient.command(['FLUSHALL']);
    await p.ourClient.command(['FLUSHALL']);
    await p.realClient.command(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
    // In the RDB of the full sync: a stream with deletions, a group with a PEL, an empty stream.
    for (const s of [...(adds('s', 30) as string[][]), ['XDEL', 's', '3-0'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '4', 'STREAMS', 's', '>'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'idle'], ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM']]) await p.realClient.command(s);
    await p.ourClient.command(['REPLICAOF', '127.0.0.1', String(p.real.port)]);
    try {
      await waitFor(async () => str(await p.ourClient.command(['INFO', 'replication'])).includes('master_link_status:up'));
      const steps: string[][] = [
        ['XADD', 's', 'MAXLEN', '~', '10', '100-*', 'a', 'b'], ['XREADGROUP', 'GROUP', 'g', 'b', 'COUNT', '3', 'STREAMS', 's', '>'],
        ['XREADGROUP', 'GROUP', 'g', 'n', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'], ['XACK', 's', 'g', '1-0'],
        ['XCLAIM', 's', 'g', 'c', '0', '2-0', '4-0'], ['XAUTOCLAIM', 's', 'g', 'd', '0', '0', 'COUNT', '2'], ['XDEL', 's', '5-0'],
        ['XTRIM', 's', 'MINID', '~', '25'], ['XSETID', 's', '200-0'], ['XGROUP', 'SETID', 's', 'g', '26-0'],
        // Pending entries deleted from the stream: the claims drop them on the replica too.
        ['XDEL', 's', '6-0', '7-0'], ['XAUTOCLAIM', 's', 'g', 'e', '0', '0', 'COUNT', '3'], ['XCLAIM', 's', 'g', 'f', '0', '7-0', '4-0', '99-0'],
        ['XAUTOCLAIM', 's', 'g', 'e', '0', '0'], ['SET', 'marker', 'done'],
      ];
      for (const s of steps) await p.realClient.command(s);
      await waitFor(async () => str(await p.ourClient.command(['GET', 'marker'])) === 'done');
      const probe: string[][] = [['XINFO', 'STREAM', 's', 'FULL'], ['XINFO', 'STREAM', 'e', 'FULL'], ['XPENDING', 's', 'g'], ['XRANGE', 's', '-', '+'], ['XINFO', 'GROUPS', 's']];
      for (const argv of probe) {
        const [r, o] = await Promise.all([p.realClient.command(argv), p.ourClient.command(argv)]);
        expect(JSON.stringify(masked(argv, toJs(o))), argv.join(' ')).toBe(JSON.stringify(masked(argv, toJs(r))));
      }
      // Delivery times travel with XCLAIM ... TIME: the group PELs match to the millisecond
      // (consumers' seen times are each server's own).
      const [r, o] = await Promise.all([p.realClient.command(['XINFO', 'STREAM', 's', 'FULL']), p.ourClient.command(['XINFO', 'STREAM', 's', 'FULL'])]);
      const pending = (v: RespValue) => JSON.stringify(((toJs(v) as unknown[])[17] as unknown[][]).map((g) => g[11]));
      expect(pending(r)).toContain('"e",');
      expect(pending(o)).toBe(pending(r));
    } finally {
      await p.ourClient.command(['REPLICAOF', 'NO', 'ONE']);
    }
  });

  it('TYPE, SCAN TYPE, OBJECT ENCODING, SORT and DEBUG OBJECT on streams', async () => {
    const p = pair();
    await expectSame(p, [
      ['FLUSHALL'], ['XADD', 's', '1-0', 'a', 'b'], ['SET', 'k', 'v'], ['TYPE', 's'], ['SCAN', '0', 'TYPE', 'stream'], ['OBJECT', 'ENCODING', 's'],
      ['SORT', 's'], ['EXISTS', 's'], ['RENAME', 's', 't'], ['TYPE', 't'], ['LPUSH', 't', 'x'], ['GET', 't'],
      ...(adds('big', 500, 1, 3) as string[][]), ['XGROUP', 'CREATE', 'big', 'g', '0'], ['XCLAIM', 'big', 'g', 'c', '0', '1-0', '2-0', 'FORCE', 'TIME', '1', 'JUSTID'],
    ]);
    // The serialized length is the RDB encoding's (the address and LRU fields differ).
    const serialized = (v: RespValue) => /encoding:\S+ serializedlength:\d+/.exec('value' in v ? String(v.value) : '')?.[0];
    for (const key of ['t', 'big']) {
      const [r, o] = await Promise.all([p.realClient.command(['DEBUG', 'OBJECT', key]), p.ourClient.command(['DEBUG', 'OBJECT', key])]);
      expect(serialized(r), key).toMatch(/serializedlength/);
      expect(serialized(o), key).toBe(serialized(r));
    }
  });

  it('RDB files: real Redis\'s dump.rdb with streams loads in ours and ours loads in real Redis', async () => {
    const setup: string[][] = [
      ['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '5'], ...(adds('s', 23, 1, 3) as string[][]), ['XDEL', 's', '7-0', '12-0'], ['XTRIM', 's', 'MAXLEN', '19'],
      ['XADD', 's', '50-0', 'other', '-12', 'n', '123456789012'], ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g0', '$', 'ENTRIESREAD', '5'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'], ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'bob'],
      ['XADD', 'e', 'MAXLEN', '0', '9-9', 'a', 'b'], ['SELECT', '3'], ['XADD', 'db3', '1-1', 'x', 'y'], ['SELECT', '0'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ];
    const probe = async (c: RawClient): Promise<string[]> => {
      const out: string[] = [];
      for (const argv of [['XINFO', 'STREAM', 's', 'FULL'], ['XINFO', 'STREAM', 'e', 'FULL'], ['DUMP', 'e'], ['SELECT', '3'], ['DUMP', 'db3'], ['SELECT', '0']]) out.push(JSON.stringify(toJs(await c.command(argv))));
      return out;
    };
    for (const direction of ['real-to-ours', 'ours-to-real'] as const) {
      const from = tmpDir('streams-from'), to = tmpDir('streams-to');
      const src = direction === 'real-to-ours' ? await startReal(from) : await startOurs(from);
      try {
        const c = await src.client();
        for (const argv of setup) await c.command(argv);
        const before = await probe(c);
        expect(before[0]).toContain('alice');
        await c.command(['SAVE']);
        c.close();
        fs.copyFileSync(path.join(from, 'dump.rdb'), path.join(to, 'dump.rdb'));
        const dst = direction === 'real-to-ours' ? await startOurs(to) : await startReal(to);
        try {
          const d = await dst.client();
          expect(await probe(d), direction).toEqual(before);
          d.close();
        } finally {
          await dst.kill();
        }
      } finally {
        await src.kill();
        fs.rmSync(from, { recursive: true, force: true });
        fs.rmSync(to, { recursive: true, force: true });
      }
    }
  });

  it('AOF rewrite without the RDB preamble writes streams as Redis does (XADD, XSETID, XGROUP CREATE, XCLAIM, CREATECONSUMER)', async () => {
    const files: string[] = [];
    for (const start of [startReal, startOurs]) {
      const dir = tmpDir('streams-aof');
      const srv = await start(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no']);
      try {
        const c = await srv.client();
        for (const argv of [
          ...(adds('s', 4) as string[][]), ['XDEL', 's', '2-0'], ['XGROUP', 'CREATE', 's', 'g', '0', 'ENTRIESREAD', '1'], ['XGROUP', 'CREATE', 's', 'b', '$'],
          ['XCLAIM', 's', 'g', 'alice', '0', '1-0', '3-0', 'FORCE', 'TIME', '1700000000000', 'RETRYCOUNT', '3', 'JUSTID'],
          ['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob'], ['XGROUP', 'CREATECONSUMER', 's', 'b', 'carol'],
        ]) await c.command(argv);
        await c.command(['BGREWRITEAOF']);
        const base = (): string | undefined => {
          const d = path.join(dir, 'appendonlydir');
          return fs.existsSync(d) ? fs.readdirSync(d).find((f) => f.endsWith('.base.aof')) : undefined;
        };
        // Wait for a rewritten base (the first base file is the empty one from start-up).
        for (let end = Date.now() + 10000; ;) {
          const info = await c.command(['INFO', 'persistence']);
          const text = info.type === 'bulk' ? info.value : '';
          if (text.includes('aof_rewrite_in_progress:0') && text.includes('aof_rewrites:1') || text.includes('aof_rewrites:2')) break;
          if (Date.now() > end) throw new Error('no rewrite');
          await new Promise((r) => setTimeout(r, 20));
        }
        files.push(fs.readFileSync(path.join(dir, 'appendonlydir', base()!), 'latin1'));
        c.close();
      } finally {
        await srv.kill();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(files[0]).toContain('XCLAIM');
    expect(files[1]).toBe(files[0]);
  });

  it('a blocked XREADGROUP served by XADD propagates XADD then its XCLAIMs; CLIENT UNBLOCK ends a blocked XREAD', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']]);
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSameScenario(p, async (t) => {
        const a = await t.open(), b = await t.open(), c = await t.open();
        t.send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>');
        await t.blocked(1);
        t.send(b, 'XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>');
        await t.blocked(2);
        await t.call(c, 'add', 'XADD', 's', '1-0', 'a', '1');
        await t.call(c, 'add2', 'XADD', 's', '2-0', 'a', '2');
        await t.reply(a, 'alice');
        await t.reply(b, 'bob');
        const id = await a.call('CLIENT', 'ID');
        t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
        await t.blocked(1);
        await c.call('CLIENT', 'UNBLOCK', id.replace(/\D/g, ''));
        await t.reply(a, 'unblocked');
        t.send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
        await t.blocked(1);
        await c.call('CLIENT', 'UNBLOCK', id.replace(/\D/g, ''), 'ERROR');
        await t.reply(a, 'unblocked-error');
        await t.call(c, 'marker', 'SET', 'marker', '1');
      });
      await settle(realStream, ourStream);
      expect(realStream.commands().at(-1)).toContain('marker');
      expect(realStream.commands().join('\n')).toContain('"XCLAIM" "s" "g" "alice"');
      expect(maskTime(ourStream.commands())).toEqual(maskTime(realStream.commands()));
    } finally {
      realStream.close();
      ourStream.close();
    }
  });

  it('XAUTOCLAIM walks past deleted entries it clears (cursor and claims), a legacy type 15 payload loads with estimated counters', async () => {
    const p = pair();
    await expectSame(p, [
    ['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '2'], ...(adds('x', 6) as string[][]), ['XGROUP', 'CREATE', 'x', 'grp', '0'],
    ['XREADGROUP', 'GROUP', 'grp', 'Alice', 'STREAMS', 'x', '>'], ['XDEL', 'x', '2-0', '4-0'], ['XTRIM', 'x', 'MAXLEN', '3'],
    ['XAUTOCLAIM', 'x', 'grp', 'Bob', '0', '0-0', 'COUNT', '2'], ['XAUTOCLAIM', 'x', 'grp', 'Bob', '0', '0-0'], ['XAUTOCLAIM', 'x', 'grp', 'Bob', '0', '0-0', 'JUSTID'],
    ['XPENDING', 'x', 'grp', '-', '+', '10', 'Alice'], ['XINFO', 'GROUPS', 'x'], ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ['RESTORE', 'legacy', '0', legacyStreamPayload()], ['XINFO', 'STREAM', 'legacy', 'FULL'], ['XINFO', 'GROUPS', 'legacy'], ['DUMP', 'legacy'],
    ]);
    expect(JSON.stringify(toJs(await p.realClient.command(['XINFO', 'GROUPS', 'legacy'])))).toContain('"entries-read",1');
  });

  it('RESP3 replies of the stream commands (maps, nulls)', () => expectSame(pair(), ([
    ['FLUSHALL'], ['HELLO', '3'], ...(adds('s', 4) as string[][]), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'e', '$'],
    ['XREAD', 'COUNT', '2', 'STREAMS', 's', 'nokey', '0', '0'], ['XREAD', 'STREAMS', 's', '$'], ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'],
    ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '2', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '0'],
    ['XDEL', 's', '1-0'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '0'], ['XPENDING', 's', 'g'], ['XPENDING', 's', 'e'],
    ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'JUSTID'], ['XINFO', 'STREAM', 's'], ['XINFO', 'STREAM', 'empty'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'CREATE', 'empty', 'g', '$', 'MKSTREAM'], ['XINFO', 'STREAM', 'empty'], ['XINFO', 'GROUPS', 'empty'],
    ['XRANGE', 's', '-', '+', 'COUNT', '0'], ['XRANGE', 's', '+', '-'], ['XADD', 'n', 'NOMKSTREAM', '1-0', 'a', 'b'], ['XGROUP', 'HELP'], ['HELLO', '2'],
  ] as string[][]).map((s): Step => (s[0] === 'HELLO' ? { cmd: s, compare: 'type' } : s))));

  it('COMMAND INFO and COMMAND DOCS of the stream commands', async () => {
    const p = pair();
    // (Containers list their subcommands in dict order, random in Redis: command.test.ts
    // compares xgroup and xinfo sorted.)
    await expectSame(p, STREAM_COMMANDS.filter((n) => n !== 'xgroup' && n !== 'xinfo').map((n) => ['COMMAND', 'INFO', n]));
    const subs = ['xgroup|create', 'xgroup|createconsumer', 'xgroup|delconsumer', 'xgroup|destroy', 'xgroup|setid', 'xgroup|help',
      'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xinfo|help'];
    for (const n of [...STREAM_COMMANDS.filter((x) => x !== 'xgroup' && x !== 'xinfo'), ...subs]) {
      const [real, ours] = await Promise.all([p.realClient.command(['COMMAND', 'DOCS', n]), p.ourClient.command(['COMMAND', 'DOCS', n])]);
      expect(docsShape(ours), n).toEqual(docsShape(real));
    }
  });
});
