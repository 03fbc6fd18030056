/**
 * gzip, gunzip and zcat against gzip 1.12: our gzip's output read by the real gunzip and the
 * real gzip's output (every level) read by ours, on seeded random, repetitive and text inputs;
 * then the messages, statuses and file effects of the same command lines in the simulated
 * shell and the machine's bash, on small files whose compressed size is the same in both
 * (our DEFLATE need not match zlib's bytes, so the ratio lines are compared only there).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gunzip, gzip } from '../../src/sim/shell/commands/deflate';
import { useShellDifferential } from './shell-differential';
import { typeAndRun, world } from './helpers';
import { rng } from '../support/rng';

const rnd = rng(7);
const WORDS = ['redis', 'cluster', 'replica', 'master', 'slot', 'failover', 'sentinel', '\n', ' ', 'appendonly', '6379'];
const INPUTS: Record<string, Uint8Array> = {
  empty: new Uint8Array(0),
  one: Uint8Array.of(0x41),
  random: Uint8Array.from({ length: 30_000 }, () => Math.floor(rnd() * 256)),
  skewed: Uint8Array.from({ length: 40_000 }, () => Math.floor(rnd() ** 4 * 256)),
  words: Buffer.from(Array.from({ length: 20_000 }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join('')),
  zeros: new Uint8Array(100_000),
  source: readFileSync(join(__dirname, '../../src/sim/shell/commands/deflate.ts')),
};

const realGzip = (args: string[], input: Uint8Array) => {
  const r = spawnSync('gzip', args, { input, maxBuffer: 1 << 26 });
  return { out: new Uint8Array(r.stdout), status: r.status, err: r.stderr.toString() };
};

describe('the DEFLATE codec against gzip 1.12', () => {
  it('real gunzip reads ours, every level, with a ratio near zlib\'s', () => {
    for (const [name, data] of Object.entries(INPUTS)) {
      for (const level of [1, 6, 9]) {
        const ours = gzip(data, { level, name, mtimeSeconds: 1_700_000_000 });
        const back = realGzip(['-dc'], ours);
        expect(back.status, `${name} -${level}: ${back.err}`).toBe(0);
        expect(Buffer.compare(Buffer.from(back.out), Buffer.from(data)), `${name} -${level}`).toBe(0);
        // Within 15% (plus a little) of zlib's size: a real compressor, not stored blocks.
        const zlib = realGzip([`-${level}`, '-nc'], data).out.length;
        expect(ours.length - name.length - 1, `${name} -${level}`).toBeLessThanOrEqual(Math.ceil(zlib * 1.15) + 16);
      }
    }
  });

  it('ours reads real gzip\'s output, and notices damage', () => {
    for (const [name, data] of Object.entries(INPUTS)) {
      for (const level of [1, 6, 9]) {
        const real = realGzip([`-${level}`, '-c'], data).out;
        const r = gunzip(real);
        expect(r.ok, `${name} -${level}`).toBe(true);
        if (r.ok) expect(Buffer.compare(Buffer.from(r.bytes), Buffer.from(data)), `${name} -${level}`).toBe(0);
      }
    }
    const real = realGzip(['-c'], INPUTS.words).out;
    const crcBroken = real.slice();
    crcBroken[crcBroken.length - 6] ^= 1;
    expect(gunzip(crcBroken)).toMatchObject({ ok: false, error: 'invalid compressed data--crc error' });
    const sizeBroken = real.slice();
    sizeBroken[sizeBroken.length - 2] ^= 1;
    expect(gunzip(sizeBroken)).toMatchObject({ ok: false, error: 'invalid compressed data--length error' });
    expect(gunzip(real.slice(0, real.length - 100))).toMatchObject({ ok: false, error: 'unexpected end of file' });
    expect(gunzip(Uint8Array.of(1, 2, 3))).toMatchObject({ ok: false, error: 'not in gzip format' });
    // Damage anywhere is reported, never thrown (seeded bit flips and cuts).
    const flip = rng(11);
    const small = realGzip(['-c'], INPUTS.source.subarray(0, 4000)).out;
    for (let k = 0; k < 300; k++) {
      const bad = small.slice();
      for (let f = 0; f < 1 + Math.floor(flip() * 3); f++) bad[Math.floor(flip() * bad.length)] ^= 1 << Math.floor(flip() * 8);
      const input = flip() < 0.3 ? bad.subarray(0, Math.floor(flip() * bad.length)) : bad;
      const r = gunzip(input);
      if (r.ok) expect(Buffer.compare(Buffer.from(r.bytes), Buffer.from(INPUTS.source.subarray(0, 4000)))).toBe(0);
    }
    // Two members are one stream.
    const two = gunzip(Uint8Array.from([...gzip(INPUTS.one), ...real]));
    expect(two.ok && two.bytes.length).toBe(1 + INPUTS.words.length);
  });
});

/** No three bytes repeat: one fixed-Huffman block of literals, the same size in zlib's output and ours. */
const SMALL = 'hello world\n';
const { harness, expectSame, sim } = useShellDifferential('shell-gzip', {
  small: SMALL, 'dir/x': 'x', words: INPUTS.words, random: INPUTS.random, empty: '', plain: 'not compressed\n',
});

describe('gzip, gunzip and zcat (differential)', () => {
  it('compresses and decompresses files in place, keeping or replacing them', async () => {
    await expectSame([
      'cp small s1; gzip s1; ls s1*; gunzip s1.gz; cat s1; rm s1',
      'cp small s2; gzip -v s2; gzip -dv s2.gz; rm s2',
      'cp small s3; gzip -kv s3; ls s3*; gzip -dkv s3.gz; rm s3*',
      'cp small s4; gzip -k s4; gzip s4; echo $?; gzip -f s4; ls s4*; rm s4*',
      'cp small s5; gzip s5; gzip s5.gz; echo $?; zcat s5.gz; rm s5*',
      'cp small s6; chmod 600 s6; stat -c %Y s6 > m6; gzip s6; stat -c %a s6.gz; stat -c %Y s6.gz | cmp - m6 && gunzip s6.gz; stat -c %a s6; stat -c %Y s6 | cmp - m6 && echo kept; rm s6 m6',
      'cp words w1; gzip -9 w1; gunzip -c w1.gz | cmp - words && echo same; rm w1.gz',
      'cp random r1; gzip -1 r1; zcat r1.gz | md5sum; rm r1.gz',
      'gzip -c small | gzip -d', 'gzip < small | zcat', 'gzip -v < small > /dev/null', 'gzip -c empty | gunzip | wc -c', 'gzip -cv small > /dev/null',
      'gzip -c small small | zcat', 'gzip -nc small | od -An -tx1 | head -1', 'gzip -c < /dev/null | od -An -tx1',
      'cp small s7; gzip -S .zz s7; ls s7*; gunzip -S .zz s7.zz; ls s7*; rm s7',
      'cp small s8.tgz; gzip -c s8.tgz | gunzip -c > s8.tgz.x; cp s8.tgz.x s9; gzip s9; mv s9.gz s9.tgz; gunzip s9.tgz; ls s9*; rm s8* s9*',
      'gzip -t small; echo $?', 'gzip -c small | gzip -l', 'gzip -c small | gzip -lv | cut -c1-14,29-', 'gzip -c small > t1.gz; gzip -tv t1.gz; gzip -l t1.gz; rm t1.gz',
    ]);
  });

  it('refuses, warns and fails as gzip does', async () => {
    await expectSame([
      'gzip nosuch', 'gunzip nosuch', 'zcat nosuch', 'gunzip nosuch.gz', 'gzip dir', 'gunzip small', 'zcat plain', 'gzip -d < plain', 'gzip -l plain', 'gzip -l nosuch',
      'gzip -c nosuch small | zcat; echo ${PIPESTATUS[0]}', 'zcat small.gz plain', 'gzip --bogus', 'gzip -x', 'gzip -S', 'gzip -S "" small', 'gzip --help', 'gzip -V', 'gzip -h | head -2',
      'gzip -c small > b1.gz; head -c 20 b1.gz > b2.gz; gunzip b2.gz; echo $?; rm b*.gz',
      'gzip -c small > g1.gz; printf garbage >> g1.gz; gunzip -c g1.gz; echo $?; rm g1.gz',
      'cp small k1; gzip -k k1; gunzip k1.gz; echo $?; rm k1*',
      'gzip -c dir; echo $?', 'cp empty e1; gzip -v e1; gzip -l e1.gz; gunzip -v e1.gz; rm e1', 'gzip -dc nosuch', 'gzip -q nosuch; echo $?', 'gzip -q dir; echo $?', 'gunzip -t plain; echo $?',
      'gzip -tv nosuch.gz', "gzip ''", 'gzip -c small | gzip -t; echo $?', 'gzip -c small | gzip -tv', 'gzip -lq small', 'cp small s.gz; gzip -l s.gz; rm s.gz', 'gzip -d -S "" small; echo $?',
      'gzip -c small > l1.gz; cp l1.gz l2.gz; gzip -l l1.gz l2.gz; gzip -lv l1.gz l2.gz | cut -c1-14,29-; rm l1.gz l2.gz',
      'cp small l3; gzip l3; : > l4; gzip l4; cp l4.gz l5.gz; gzip -l l3.gz nosuch; gzip -l l4.gz l5.gz; gzip -lq l3.gz l3.gz; gzip -l l3.gz - < l3.gz; rm l3.gz l4.gz l5.gz',
      'cp small n1; gzip -c n1 > n2.gz; rm n1; gzip -dNv n2.gz; ls n1 n2*; rm n1', 'cp small n3; gzip -c n3 > n4.gz; gzip -dN n4.gz; echo $?; rm n3 n4.gz',
      'zcat -f plain', 'gzip -dcf plain', 'gunzip -f plain', 'gzip -c plain > m1.gz; cat plain >> m1.gz; zcat -f m1.gz; echo $?; rm m1.gz', 'type -t gzip gunzip zcat', 'mkdir -p rd/sub; cp small rd/a; cp small rd/sub/b; gzip -r rd; ls -R rd; gunzip -r rd; ls -R rd; rm -r rd',
    ]);
  });

  it('hands its archives to the real gzip and reads the real gzip\'s', async () => {
    const t = harness();
    for (const name of ['words', 'random', 'empty']) {
      await sim(`gzip -k ${name}`);
      const ours = t.w.readFile('redis-1', `/root/${name}.gz`)!;
      const back = realGzip(['-dc'], ours);
      expect(back.status).toBe(0);
      expect(Buffer.compare(Buffer.from(back.out), Buffer.from(INPUTS[name]))).toBe(0);
      t.writeBoth(`real-${name}.gz`, realGzip(['-9', '-c'], INPUTS[name]).out);
      expect((await sim(`zcat real-${name}.gz | cmp - ${name} && echo same`)).output).toBe('same\n');
    }
  });
});

describe('gzip at a terminal', () => {
  it('asks before overwriting, refuses to write compressed data to the terminal', async () => {
    const w = world();
    await w.exec('redis-1', 'echo hi > /root/a; gzip -k /root/a');
    const t = w.openTerminal('redis-1');
    await w.advance(100);
    expect(await typeAndRun(w, t, 'gzip /root/a', 100)).toContain('gzip: /root/a.gz already exists; do you wish to overwrite (y or n)? ');
    expect(await typeAndRun(w, t, 'n', 100)).toContain('\tnot overwritten\n');
    expect(await typeAndRun(w, t, 'echo $?; ls /root', 100)).toMatch(/\n2\na\s+a\.gz\n/);
    await typeAndRun(w, t, 'gzip /root/a', 100);
    await typeAndRun(w, t, 'y', 100);
    expect(await typeAndRun(w, t, 'ls /root', 100)).toMatch(/\na\.gz\n/);
    expect(await typeAndRun(w, t, 'echo hi | gzip; echo $?', 100)).toContain('gzip: compressed data not written to a terminal. Use -f to force compression.\nFor help, type: gzip -h\n1\n');
    expect(await typeAndRun(w, t, 'tar -c /root', 100)).toContain('tar: Refusing to write archive contents to terminal (missing -f option?)\ntar: Error is not recoverable: exiting now\n');
  });
});
