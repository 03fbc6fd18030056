/**
 * The HyperLogLog family against real Redis 7.0.15: PFADD/PFCOUNT results, the raw bytes of
 * sparse and dense HLLs (GET), the cached cardinality, PFMERGE, PFDEBUG, the errors for
 * non-HLL and corrupt values, hll-sparse-max-bytes, what is propagated and notified, and
 * COMMAND INFO/DOCS of the new commands.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';
import { recordKeyspaceEvents } from '../support/keyspace-events';
import { attachOurReplica, attachRealReplica, settle } from '../support/repl-stream';
import type { RawClient } from '../support/raw-client';
import { docsShape } from '../support/command-docs';
import { waitFor } from '../support/persistence';
import type { RespValue } from '../../src/engine/resp/reply-parser';

/** `n` distinct deterministic elements: varied lengths (0..19 bytes, every Murmur tail) and bytes. */
function elements(n: number, tag: string): string[] {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    let pad = '';
    for (let k = 0; k < (x >>> 27) % 12; k++) pad += String.fromCharCode((x >>> (k % 24)) & 0xff);
    out.push(`${tag}${i}${pad}`);
  }
  return out;
}

/** PFADD key in batches of `batch` elements. */
function adds(key: string, els: string[], batch = 250): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < els.length; i += batch) steps.push(['PFADD', key, ...els.slice(i, i + batch)]);
  return steps;
}

/** A 16-byte HLL header: magic, encoding, 3 unused bytes, 8 bytes of cached cardinality. */
function header(magic: string, enc: number, card: number[] = [0, 0, 0, 0, 0, 0, 0, 0]): string {
  return magic + String.fromCharCode(enc, 0, 0, 0, ...card);
}

/** A dense HLL with the given register values (6 bits each, packed from the low bits up). */
function denseOf(regs: (i: number) => number, card: number[] = [0, 0, 0, 0, 0, 0, 0, 0x80]): string {
  const b = new Uint8Array(12288 + 1);
  for (let i = 0; i < 16384; i++) {
    const bit = i * 6, at = bit >> 3, shift = bit & 7, v = regs(i) & 63;
    b[at] |= (v << shift) & 0xff;
    b[at + 1] |= v >> (8 - shift);
  }
  return header('HYLL', 0, card) + String.fromCharCode(...b.subarray(0, 12288));
}

describeDifferential('hyperloglog (differential)', (pair) => {
  it('PFADD return values, PFCOUNT and the raw sparse value', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['PFADD', 'h'], ['GET', 'h'], ['PFADD', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'],
    ['PFADD', 'h', 'a', 'b', 'c'], ['GET', 'h'], ['PFADD', 'h', 'a'], ['PFADD', 'h', 'a', 'b'], ['PFADD', 'h', 'c', 'd'],
    ['PFCOUNT', 'h'], ['GET', 'h'], ['PFCOUNT', 'h'], ['STRLEN', 'h'], ['OBJECT', 'ENCODING', 'h'], ['TYPE', 'h'],
    ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'DECODE', 'h'],
    ['PFADD', 'e', ''], ['PFADD', 'e', '\x00'], ['PFADD', 'e', '\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7'], ['PFADD', 'e', '12345678'], ['PFADD', 'e', 'abcdefghijklmnopq'],
    ['GET', 'e'], ['PFCOUNT', 'e'], ['PFDEBUG', 'DECODE', 'e'],
    ['PFCOUNT', 'nokey'], ['PFCOUNT', 'nokey', 'nokey2'], ['EXISTS', 'nokey'],
    ['SET', 't', 'x'], ['DEL', 't'], ['PFADD', 't', 'x'], ['EXPIRE', 't', '100'], ['PFADD', 't', 'y', 'z'], ['TTL', 't'],
    // An HLL copied with SET is a short (embstr) string until an HLL command unshares it.
    ['PFADD', 'small', 'x'], ['GET', 'small'],
    // Keys with equal values stay independent (the engine reuses the buffer of the last write).
    ['PFADD', 'twin1'], ['PFADD', 'twin2'], ['PFADD', 'twin1', 'x'], ['GET', 'twin2'], ['PFADD', 'twin2', 'y'], ['GET', 'twin1'], ['GET', 'twin2'],
    ['PFMERGE', 'twin3', 'twin1'], ['PFADD', 'twin3', 'z'], ['GET', 'twin1'], ['PFCOUNT', 'twin1', 'twin2'], ['PFADD', 'twin1', 'w'], ['GET', 'twin2'], ['GET', 'twin1'],
  ]));

  it('the HLL value survives SET/GET and an embstr copy turns raw on PFCOUNT', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['PFADD', 'src', 'one', 'two']]);
    const v = await p.realClient.command(['GET', 'src']);
    const bytes = v.type === 'bulk' ? v.value : '';
    expect(bytes.length).toBeGreaterThan(16);
    await expectSame(p, [
      ['SET', 'copy', bytes], ['OBJECT', 'ENCODING', 'copy'], ['PFCOUNT', 'copy'], ['OBJECT', 'ENCODING', 'copy'], ['GET', 'copy'],
      ['SET', 'copy2', bytes], ['PFADD', 'copy2'], ['OBJECT', 'ENCODING', 'copy2'],
      ['SET', 'copy3', bytes], ['PFCOUNT', 'copy3', 'src'], ['OBJECT', 'ENCODING', 'copy3'],
    ]);
  });

  it('PFCOUNT of 10, 1000 and 20000 distinct elements, sparse then dense bytes', () => {
    const steps: Step[] = [['FLUSHALL']];
    for (const [key, n] of [['c10', 10], ['c1000', 1000], ['c20000', 20000]] as const) {
      steps.push(...adds(key, elements(n, key)));
      steps.push(['PFDEBUG', 'ENCODING', key], ['STRLEN', key], ['GET', key], ['PFCOUNT', key], ['GET', key], ['PFCOUNT', key]);
      // Adding the same elements again changes nothing.
      steps.push(['PFADD', key, ...elements(n, key).slice(0, 100)]);
    }
    steps.push(['PFCOUNT', 'c10', 'c1000'], ['PFCOUNT', 'c10', 'c1000', 'c20000'], ['PFCOUNT', 'c20000', 'nokey'], ['GET', 'c20000']);
    // Growing one key step by step crosses the sparse/dense boundary at an element we can see.
    steps.push(['PFADD', 'grow']);
    const many = elements(3000, 'g');
    for (let i = 0; i < 3000; i += 100) steps.push(['PFADD', 'grow', ...many.slice(i, i + 100)], ['PFDEBUG', 'ENCODING', 'grow'], ['STRLEN', 'grow'], ['PFCOUNT', 'grow']);
    steps.push(['GET', 'grow']);
    return expectSame(pair(), steps);
  });

  it('RESP3 replies', () => expectSame(pair(), [
    ['FLUSHALL'], ['HELLO', '3'],
    ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'nokey'], ['PFMERGE', 'm', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'DECODE', 'h'],
    ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['PFADD', 'nokey2'], ['HELLO', '2'],
  ].map((s) => (s[0] === 'HELLO' ? { cmd: s, compare: 'type' as const } : s))));

  it('DUMP, RESTORE and DEBUG RELOAD keep the HLL bytes', () => expectSame(pair(), [
    ['FLUSHALL'], ['PFADD', 's', 'a', 'b', 'c'], ...adds('d', elements(3000, 'r')), ['PFCOUNT', 'd'], ['DUMP', 's'], ['DUMP', 'd'],
    ['DEBUG', 'RELOAD'], ['GET', 's'], ['GET', 'd'], ['OBJECT', 'ENCODING', 's'], ['OBJECT', 'ENCODING', 'd'], ['PFCOUNT', 's'], ['PFCOUNT', 'd'], ['PFADD', 'd', 'more'], ['DUMP', 'd'],
  ]));

  it('PFMERGE of sparse, dense and missing keys', () => {
    const steps: Step[] = [['FLUSHALL']];
    steps.push(...adds('s1', elements(50, 'a')), ...adds('s2', elements(80, 'b')), ...adds('d1', elements(5000, 'c')));
    steps.push(
      ['PFMERGE', 'm1', 's1', 's2'], ['GET', 'm1'], ['PFCOUNT', 'm1'], ['PFDEBUG', 'ENCODING', 'm1'], ['PFCOUNT', 's1', 's2'],
      ['PFMERGE', 'm2', 's1', 'nokey', 's2', 'nokey2'], ['GET', 'm2'],
      ['PFMERGE', 'm3', 's1', 'd1'], ['PFDEBUG', 'ENCODING', 'm3'], ['GET', 'm3'], ['PFCOUNT', 'm3'], ['PFCOUNT', 's1', 'd1'],
      ['PFMERGE', 's1', 's2'], ['GET', 's1'], ['PFCOUNT', 's1'],
      ['PFMERGE', 'm4'], ['GET', 'm4'], ['PFMERGE', 'm5', 'nokey'], ['GET', 'm5'], ['PFCOUNT', 'm5'],
      ['PFMERGE', 'm4', 'd1'], ['PFCOUNT', 'm4'], ['PFMERGE', 'd1', 'm1', 's2'], ['GET', 'd1'], ['PFCOUNT', 'd1'],
      ['SET', 'x', 'y'], ['EXPIRE', 'm1', '100'], ['PFMERGE', 'm1', 's2'], ['TTL', 'm1'],
    );
    return expectSame(pair(), steps);
  });

  it('PFDEBUG GETREG, DECODE, ENCODING, TODENSE and their errors', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['PFADD', 'h', 'a', 'b', 'c', 'd', 'e'], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'decode', 'h'], ['PFDEBUG', 'ENCODING', 'h'],
    ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'], ['PFDEBUG', 'DECODE', 'h'],
    ['PFADD', 'h2', 'x'], ['PFCOUNT', 'h2'], ['PFDEBUG', 'TODENSE', 'h2'], ['PFDEBUG', 'TODENSE', 'h2'], ['GET', 'h2'], ['PFCOUNT', 'h2'],
    ['PFDEBUG', 'GETREG', 'h2'],
    ['PFDEBUG', 'GETREG', 'nokey'], ['PFDEBUG', 'BOGUS', 'nokey'], ['PFDEBUG', 'BOGUS', 'h'], ['PFDEBUG', 'GETREG'], ['PFDEBUG', 'GETREG', 'h', 'x'],
    ['PFDEBUG', 'getreg\0x', 'h2'], ['SET', 's', 'plain string'], ['PFDEBUG', 'ENCODING', 's'], ['LPUSH', 'l', 'x'], ['PFDEBUG', 'ENCODING', 'l'],
  ]));

  it('wrong types, non-HLL strings and corrupt HLLs', () => {
    const dense = header('HYLL', 0) + '\0'.repeat(12288);
    const steps: Step[] = [
      ['FLUSHALL'], ['LPUSH', 'l', 'x'], ['PFADD', 'l', 'a'], ['PFCOUNT', 'l'], ['PFCOUNT', 'l', 'nokey'], ['PFMERGE', 'l', 'nokey'], ['PFMERGE', 'd', 'l'],
      ['SET', 'str', 'hello'], ['PFADD', 'str', 'a'], ['PFCOUNT', 'str'], ['PFCOUNT', 'nokey', 'str'], ['PFMERGE', 'd', 'str'], ['EXISTS', 'd'],
      ['SET', 'num', '1234567890123456'], ['PFADD', 'num', 'x'],
      ['SET', 'magic', header('HYLX', 1) + '\x7f\xff'], ['PFADD', 'magic', 'x'],
      ['SET', 'enc', header('HYLL', 2) + '\x7f\xff'], ['PFCOUNT', 'enc'],
      ['SET', 'short', 'HYLL\x01'], ['PFCOUNT', 'short'],
      ['SET', 'dshort', dense.slice(0, -1)], ['PFCOUNT', 'dshort'], ['SET', 'dlong', dense + 'x'], ['PFADD', 'dlong', 'a'],
      // A valid empty dense HLL made by hand (its cached cardinality 0 is taken as valid).
      ['SET', 'dense', dense], ['PFCOUNT', 'dense'], ['PFADD', 'dense', 'a'], ['PFCOUNT', 'dense'], ['PFDEBUG', 'ENCODING', 'dense'],
      // Sparse opcodes that do not cover 16384 registers.
      ['SET', 'bad', header('HYLL', 1, [0, 0, 0, 0, 0, 0, 0, 0x80]) + '\x7f\xfe'], ['PFCOUNT', 'bad'], ['OBJECT', 'ENCODING', 'bad'],
      ['PFCOUNT', 'bad', 'nokey'], ['PFMERGE', 'd2', 'bad'], ['EXISTS', 'd2'], ['PFDEBUG', 'TODENSE', 'bad'], ['PFDEBUG', 'GETREG', 'bad'],
      ['PFDEBUG', 'DECODE', 'bad'], ['PFADD', 'bad', 'x'], ['PFADD', 'bad'], ['GET', 'bad'],
      ['SET', 'over', header('HYLL', 1, [0, 0, 0, 0, 0, 0, 0, 0x80]) + '\x7f\xff\x80'], ['PFCOUNT', 'over'], ['PFCOUNT', 'over', 'over'], ['PFDEBUG', 'TODENSE', 'over'],
      ['PFADD', 'over', 'x'], ['GET', 'over'], ['PFMERGE', 'over', 'nokey'],
      // Opcodes covering 20000 registers: PFADD still finds each register's opcode.
      ['SET', 'wide', header('HYLL', 1) + '\x67\x0f\x67\x0f'], ['PFADD', 'wide', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], ['GET', 'wide'], ['PFCOUNT', 'wide'],
      ['PFDEBUG', 'DECODE', 'wide'], ['PFDEBUG', 'TODENSE', 'wide'],
      ['SET', 'empty', header('HYLL', 1)], ['PFADD', 'empty', 'a'], ['PFCOUNT', 'empty'], ['PFCOUNT', 'empty', 'nokey'], ['PFDEBUG', 'DECODE', 'empty'],
      // A valid cached cardinality is believed as it is.
      ['SET', 'cached', header('HYLL', 1, [0x39, 0x30, 0, 0, 0, 0, 0, 0]) + '\x7f\xff'], ['PFCOUNT', 'cached'], ['PFCOUNT', 'cached', 'nokey'],
      ['SET', 'huge', header('HYLL', 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) + '\x7f\xff'], ['PFCOUNT', 'huge'],
      // Arity.
      ['PFADD'], ['PFCOUNT'], ['PFMERGE'], ['PFDEBUG'], ['PFDEBUG', 'GETREG'], ['PFSELFTEST', 'x'],
    ];
    return expectSame(pair(), steps);
  });

  it('estimates from crafted dense registers (every register value, the 51s that only tau sees)', () => {
    let x = 99;
    const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x >>> 16; };
    const cases: [string, (i: number) => number][] = [
      ['rand63', () => rnd() & 63], ['rand20', () => 1 + (rnd() % 20)], ['half51', (i) => (i % 2 ? 51 : 1 + (rnd() % 12))],
      ['few51', (i) => (i % 97 === 0 ? 51 : rnd() % 8)], ['most51', (i) => (i % 1000 === 0 ? 3 : 51)], ['all51', () => 51],
      ['all1', () => 1], ['all0but1', (i) => (i === 7 ? 1 : 0)], ['high', (i) => 30 + (i % 30)], ['zeros', (i) => (i % 3 ? 0 : 9)],
    ];
    const steps: Step[] = [['FLUSHALL']];
    for (const [key, regs] of cases) {
      steps.push(['SET', key, denseOf(regs)], ['PFCOUNT', key], ['GET', key], ['PFCOUNT', key, 'nokey'], ['PFADD', key, 'x', 'y'], ['PFCOUNT', key]);
      steps.push(['PFMERGE', `${key}:m`, 'nokey', key], ['PFCOUNT', `${key}:m`]);
    }
    steps.push(['PFCOUNT', 'rand63', 'half51', 'high']);
    return expectSame(pair(), steps);
  });

  it('sparse to dense exactly at hll-sparse-max-bytes, one element at a time', () => {
    const steps: Step[] = [['FLUSHALL']];
    const els = elements(40, 'one');
    for (let max = 22; max <= 40; max++) {
      steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', String(max)]);
      for (const e of els) steps.push(['PFADD', `k${max}`, e], ['STRLEN', `k${max}`]);
      steps.push(['GET', `k${max}`]);
    }
    steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']);
    return expectSame(pair(), steps);
  });

  it('hll-sparse-max-bytes: CONFIG GET/SET and the sparse to dense promotion', () => {
    const els = elements(400, 'p');
    const steps: Step[] = [
      ['FLUSHALL'], ['CONFIG', 'GET', 'hll-sparse-max-bytes'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '-1'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', 'abc'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '1k'],
      ['CONFIG', 'GET', 'hll-sparse-max-bytes'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '30'], ['CONFIG', 'GET', 'hll-sparse-max-bytes'],
      ['PFADD', 'a', 'x'], ['PFDEBUG', 'ENCODING', 'a'], ['PFADD', 'a', 'y', 'z', 'w'], ['PFDEBUG', 'ENCODING', 'a'], ['STRLEN', 'a'], ['PFCOUNT', 'a'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '0'], ['PFADD', 'b', 'x'], ['PFDEBUG', 'ENCODING', 'b'], ['PFMERGE', 'b2', 'nokey'], ['PFDEBUG', 'ENCODING', 'b2'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '200'],
    ];
    for (let i = 0; i < els.length; i += 20) steps.push(['PFADD', 'c', ...els.slice(i, i + 20)], ['PFDEBUG', 'ENCODING', 'c'], ['STRLEN', 'c']);
    steps.push(['GET', 'c'], ['PFCOUNT', 'c']);
    steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '20000'], ...adds('big', elements(3000, 'q'), 500), ['PFDEBUG', 'ENCODING', 'big'], ['GET', 'big'], ['PFCOUNT', 'big']);
    steps.push(['PFMERGE', 'bigcopy', 'big'], ['PFDEBUG', 'ENCODING', 'bigcopy'], ['GET', 'bigcopy']);
    steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'], ['PFMERGE', 'smallcopy', 'big'], ['PFDEBUG', 'ENCODING', 'smallcopy'], ['GET', 'smallcopy']);
    steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'], ['CONFIG', 'GET', 'hll-sparse-max-bytes']);
    return expectSame(pair(), steps);
  });

  it('WATCH sees PFCOUNT caching, stats count hits, misses, errors and calls like Redis', async () => {
    const p = pair();
    await expectSame(p, [
      ['FLUSHALL'], ['PFADD', 'h', 'a'], ['WATCH', 'h'], ['PFCOUNT', 'h'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'h'], ['PFCOUNT', 'h'], ['MULTI'], ['PING'], ['EXEC'],
      ['PFADD', 'g', 'b'], ['WATCH', 'g'], ['PFCOUNT', 'g', 'h'], ['PFDEBUG', 'ENCODING', 'g'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'g'], ['PFDEBUG', 'TODENSE', 'g'], ['MULTI'], ['PING'], ['EXEC'],
      ['CONFIG', 'RESETSTAT'],
      ['PFADD', 'h', 'x'], ['PFADD', 'new', 'x'], ['PFCOUNT', 'h'], ['PFCOUNT', 'nokey'], ['PFCOUNT', 'h', 'nokey', 'g'], ['PFMERGE', 'm', 'h', 'nokey'],
      ['PFDEBUG', 'ENCODING', 'nokey'], ['PFDEBUG', 'ENCODING', 'h'], ['SET', 's', 'str'], ['PFADD', 's', 'x'], ['PFCOUNT', 's', 'h'], ['LPUSH', 'l', 'x'], ['PFMERGE', 'm', 'l'],
      ['SET', 'bad', header('HYLL', 1, [0, 0, 0, 0, 0, 0, 0, 0x80]) + '\x7f\xfe'], ['PFCOUNT', 'bad'], ['PFADD', 'bad', 'x'], ['PFDEBUG', 'NOPE', 'h'], ['PFADD'],
    ]);
    const pick = async (cl: RawClient): Promise<string[]> => {
      const lines: string[] = [];
      for (const section of ['stats', 'errorstats', 'commandstats']) {
        const v = await cl.command(['INFO', section]);
        for (const l of (v.type === 'bulk' ? v.value : '').split('\r\n')) {
          if (/^keyspace_(hits|misses)|^total_error_replies|^errorstat_/.test(l)) lines.push(l);
          // Call counts of the pf commands (their usec differ).
          const m = /^(cmdstat_pf\w+):calls=(\d+),.*rejected_calls=(\d+),failed_calls=(\d+)/.exec(l);
          if (m) lines.push(`${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
        }
      }
      return lines.sort(); // (commandstats come in dict order)
    };
    const [real, ours] = await Promise.all([pick(p.realClient), pick(p.ourClient)]);
    expect(real.some((l) => l.startsWith('errorstat_INVALIDOBJ'))).toBe(true);
    expect(ours).toEqual(real);
  });

  it('keyspace events: pfadd for PFADD and PFMERGE, none for PFCOUNT', async () => {
    const p = pair();
    const events = await recordKeyspaceEvents(p, () => expectSame(p, [
      ['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['PFADD', 'h', 'a'], ['PFADD', 'h', 'a'], ['PFADD', 'h2'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'h2', 'nokey'],
      ['PFMERGE', 'm', 'h', 'h2'], ['PFMERGE', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'GETREG', 'h'], ['PFCOUNT', 'nokey'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]));
    expect(events.real).toContain('__keyevent@0__:pfadd m');
    expect(events.ours).toEqual(events.real);
  });

  it('propagation: PFADD and PFMERGE as themselves, PFCOUNT when it caches, PFDEBUG when it converts', async () => {
    const p = pair();
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSame(p, [
        ['FLUSHALL'], ['PFADD', 'h', 'a', 'b'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h'], ['PFADD', 'h', 'c'],
        ['PFCOUNT', 'h', 'nokey'], ['PFMERGE', 'm', 'h'], ['PFDEBUG', 'ENCODING', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'TODENSE', 'm'],
        ['PFADD', 'g', 'x'], ['PFDEBUG', 'GETREG', 'g'], ['PFDEBUG', 'DECODE', 'h'], ['PFCOUNT', 'nokey'], ['PFADD', 'h'],
        ['SET', 'bad', header('HYLL', 1, [0, 0, 0, 0, 0, 0, 0, 0x80]) + '\x7f\xfe'], ['PFCOUNT', 'bad'], ['PFADD', 'bad', 'x'],
        ['MULTI'], ['PFADD', 'h', 'z'], ['PFCOUNT', 'h'], ['EXEC'], ['PFADD', 'k', 'z'], ['MULTI'], ['PFCOUNT', 'k'], ['EXEC'],
        ['MULTI'], ['PFCOUNT', 'k'], ['EXEC'],
        ['SET', 'marker', 'end'],
      ]);
      await settle(realStream, ourStream);
      expect(realStream.commands().at(-1)).toContain('marker');
      expect(ourStream.commands()).toEqual(realStream.commands());
    } finally {
      realStream.close();
      ourStream.close();
    }
  });

  it('COMMAND INFO and DOCS of the HyperLogLog commands', async () => {
    const p = pair();
    const names = ['pfadd', 'pfcount', 'pfmerge', 'pfdebug', 'pfselftest'];
    await expectSame(p, [['COMMAND', 'INFO', ...names], ['COMMAND', 'GETKEYS', 'PFMERGE', 'd', 's1', 's2'], ['COMMAND', 'GETKEYS', 'PFDEBUG', 'GETREG', 'k']]);
    for (const name of names) {
      const [r, o] = await Promise.all([p.realClient.command(['COMMAND', 'DOCS', name]), p.ourClient.command(['COMMAND', 'DOCS', name])]);
      expect(docsShape(o), name).toEqual(docsShape(r));
    }
  });

  it('PFSELFTEST passes', () => expectSame(pair(), [['PFSELFTEST']]));

  it('as a replica of real Redis, the HLL bytes end up the same (PFCOUNT and PFDEBUG replayed)', async () => {
    const p = pair();
    const str = (v: RespValue) => ('value' in v ? String(v.value) : v.type);
    await p.realClient.command(['FLUSHALL']);
    await p.realClient.command(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
    await p.ourClient.command(['REPLICAOF', '127.0.0.1', String(p.real.port)]);
    try {
      await waitFor(async () => str(await p.ourClient.command(['INFO', 'replication'])).includes('master_link_status:up'));
      const steps: string[][] = [
        ['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ...(adds('d', elements(3000, 'x')) as string[][]), ['PFCOUNT', 'd'],
        ['PFADD', 'g', 'z'], ['PFDEBUG', 'TODENSE', 'g'], ['PFADD', 'g2', 'y'], ['PFDEBUG', 'GETREG', 'g2'], ['PFMERGE', 'm', 'h', 'd'], ['PFCOUNT', 'm', 'h'],
        ['SET', 'marker', 'done'],
      ];
      for (const s of steps) await p.realClient.command(s);
      await waitFor(async () => str(await p.ourClient.command(['GET', 'marker'])) === 'done');
      for (const key of ['h', 'd', 'g', 'g2', 'm']) {
        const [r, o] = await Promise.all([p.realClient.command(['GET', key]), p.ourClient.command(['GET', key])]);
        expect(str(o), key).toBe(str(r));
        expect(str(r).startsWith('HYLL'), key).toBe(true);
      }
    } finally {
      await p.ourClient.command(['REPLICAOF', 'NO', 'ONE']);
    }
  });
});
