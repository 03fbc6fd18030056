/**
 * md5sum, sha256sum, cmp, du, df, stat, find, basename and dirname, checked against the real
 * GNU tools: the same tree is built on the simulated disk and in a temporary directory, the same
 * command lines run in the simulated shell and in the machine's bash (coreutils, diffutils,
 * findutils), and their stdout, stderr and exit codes must be equal.
 *
 * What a real filesystem decides is kept out of the comparison: directory order (find and du
 * outputs with several entries per directory are compared as sorted lines; the simulation's own
 * sorted order is asserted separately), inode numbers, change and birth times. Block counts
 * (du, stat %b), sizes and link counts of directories are compared only when the temporary
 * directory is on a filesystem that behaves like the simulated one (ext4: 4 KiB blocks, a
 * directory is one block with 2 + subdirectories links); otherwise those cases are skipped, and
 * the simulated values are asserted directly below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { World } from '../../src/sim/world';
import { world } from './helpers';
import { md5Hex } from '../../src/sim/shell/md5';
import { sha256, toHex } from '../../src/engine/util/sha';
import { humanSize } from '../../src/sim/shell/commands/fileinfo';

const sha256Hex = (bytes: Uint8Array) => toHex(sha256(bytes));

const HOST = 'redis-1';
/** Where the tree lives in the simulation; the real one is `<tmp>/t/w`. */
const SIM_ROOT = '/t';
/** Every entry of the fixed tree gets this modification time (2024-05-01 07:53:20 UTC). */
const FIXED_MTIME_S = 1714550000;

const binary = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);

/** The fixed tree under `w/` (file contents); directories are listed in DIRS. */
const FILES: Record<string, string | Uint8Array> = {
  a: 'hello\n',
  b: 'hello\nworld\n',
  c: 'hellO\n',
  empty: '',
  p1: 'ab\n',
  p2: 'ab\ncd',
  p3: 'ab',
  l1: 'ab\ncd\nef',
  l2: 'ab\ncd\neX',
  bin: binary,
  big: 'z'.repeat(5000),
  'we ird': 'x',
  'back\\slash': 'y',
  "it's": 'q',
  'Upper.TXT': 'u',
  'd/big': 'z'.repeat(5000),
  'd/sub.log': 'log\n',
  'd/e/x': 'x',
  'd/e/empty': '',
  'd/e/deep.log': 'deep\n',
  'del/r.tmp': 'r',
  'del/k/keep.txt': 'k',
  'del/k/rm.tmp': 'r',
};
const DIRS = ['d/f', 'del/z'];

/** Files whose age is relative to "now" (hours; a negative age is in the future), under ages/. */
/**
 * No age sits on a boundary a case tests (25 h = -mmin 1500): the real tree ages while the
 * real find runs, seconds after it was built, and the simulated one does not.
 */
const AGES_HOURS: Record<string, number> = { h0: 0.5, h20: 20, h25: 25.1, h47: 47, h49: 49, h73: 73, future: -2 };
const AGES_SECONDS: Record<string, number> = { s30: 30, s90: 90, s150: 150 };

let tmp = '';
/** Whether the real temporary directory allocates like the simulated ext4 (see the header). */
let realFsMatchesModel = false;

function real(script: string): string {
  try {
    return execFileSync('bash', ['--norc', '--noprofile', '-c', script], {
      cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'latin1', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    });
  } catch (e) {
    throw new Error(`real bash failed: ${(e as { stderr?: string }).stderr ?? e}`);
  }
}

function buildRealTree(nowS: number): void {
  const root = join(tmp, 't', 'w');
  for (const d of DIRS) mkdirSync(join(root, d), { recursive: true });
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  }
  // Times last: creating entries changes their directory's time.
  const entries = [...Object.keys(FILES), ...DIRS, 'd/e', 'd', 'del/k', 'del', '.'];
  for (const e of entries) utimesSync(join(root, e), FIXED_MTIME_S, FIXED_MTIME_S);
  mkdirSync(join(root, 'ages'));
  for (const [name, hours] of Object.entries(AGES_HOURS)) writeAged(join(root, 'ages', name), nowS - hours * 3600);
  for (const [name, seconds] of Object.entries(AGES_SECONDS)) writeAged(join(root, 'ages', name), nowS - seconds);
}

function writeAged(path: string, mtimeS: number): void {
  writeFileSync(path, '');
  utimesSync(path, mtimeS, mtimeS);
}

function buildSimTree(w: World): void {
  const disk = w.host(HOST).disk;
  const root = `${SIM_ROOT}/w`;
  for (const d of DIRS) disk.mkdir(`${root}/${d}`, true, w.now);
  for (const [path, content] of Object.entries(FILES)) w.writeFile(HOST, `${root}/${path}`, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  const entries = [...Object.keys(FILES), ...DIRS, 'd/e', 'd', 'del/k', 'del'];
  for (const e of entries) disk.lookup(`${root}/${e}`)!.mtimeMs = FIXED_MTIME_S * 1000;
  disk.lookup(root)!.mtimeMs = FIXED_MTIME_S * 1000;
  const aged = (name: string, ageMs: number) => {
    w.writeFile(HOST, `${root}/ages/${name}`, '');
    disk.lookup(`${root}/ages/${name}`)!.mtimeMs = w.now - ageMs;
  };
  for (const [name, hours] of Object.entries(AGES_HOURS)) aged(name, hours * 3_600_000);
  for (const [name, seconds] of Object.entries(AGES_SECONDS)) aged(name, seconds * 1000);
}

interface Case {
  cmd: string;
  /** Compare stdout as sorted lines (the real order is the filesystem's). */
  unordered?: boolean;
  /** Depends on block allocation, directory sizes or link counts: compared only on an ext4-like filesystem. */
  ext4?: boolean;
  /** Rewrite what the filesystem decides (inode, device, ctime...) before comparing. */
  mask?: (text: string) => string;
}

interface Outcome { rc: number; out: string; err: string }

/**
 * One script for both shells: each command with stdout and stderr captured apart (real tools
 * buffer stdout in a pipe, so interleaving would differ), then its exit status.
 */
function script(cases: Case[], dir: string): string {
  const lines = [`cd ${dir}`];
  cases.forEach((c, i) => {
    lines.push(`printf '\\n<<case ${i}>>\\n'; { ${c.cmd}; } >../out 2>../err; printf '\\n<<rc %s>>\\n' $?; cat ../out; printf '\\n<<err>>\\n'; cat ../err`);
  });
  return lines.join('\n') + '\n';
}

function outcomes(cases: Case[], text: string): Record<string, Outcome> {
  const parts = text.split(/\n<<case \d+>>\n/).slice(1);
  expect(parts.length).toBe(cases.length);
  const result: Record<string, Outcome> = {};
  parts.forEach((part, i) => {
    const m = /^([\s\S]*)\n<<rc (\d+)>>\n([\s\S]*)\n<<err>>\n([\s\S]*)$/.exec(part);
    if (!m) throw new Error(`unparsable output for ${cases[i].cmd}: ${JSON.stringify(part)}`);
    const c = cases[i];
    let out = m[1] + m[3];
    let err = m[4];
    if (c.mask) { out = c.mask(out); err = c.mask(err); }
    if (c.unordered) out = out.split('\n').sort().join('\n');
    result[`${i}: ${c.cmd}`] = { rc: Number(m[2]), out, err };
  });
  return result;
}

/** Run the cases in both shells and compare. */
async function differential(w: World, cases: Case[]): Promise<void> {
  const kept = cases.filter((c) => !c.ext4 || realFsMatchesModel);
  const sim = await w.exec(HOST, script(kept, `${SIM_ROOT}/w`));
  const realText = real(script(kept, join(tmp, 't', 'w')));
  expect(outcomes(kept, sim.output)).toEqual(outcomes(kept, realText));
}

/** stat's default layout, without what the filesystem decides: device, inode, ctime, birth. */
const maskStat = (text: string) => text
  .replace(/^Device: .*\tInode: \d+ +Links/gm, 'Device: X\tInode: X Links')
  .replace(/^(Change| Birth): .*$/gm, '$1: X');

let w: World;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'halab-fileinfo-'));
  mkdirSync(join(tmp, 'probe'));
  writeFileSync(join(tmp, 'probe', 'f'), 'x');
  realFsMatchesModel = real('stat -c %s:%b:%h probe probe/f') === '4096:8:2\n1:8:1\n';
  if (!realFsMatchesModel) console.warn(`${tmp} is not ext4-like: block and directory-size cases are not compared`);
  w = world();
  buildSimTree(w);
  buildRealTree(Date.now() / 1000);
});

afterAll(() => {
  w?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('file inspection commands against the real GNU tools', () => {
  // First: stat shows access times, which reading the files (md5sum, cmp...) changes on a real disk.
  it('stat -c, --printf and the default layout', async () => {
    await differential(w, [
      { cmd: "stat -c '%s|%n|%F|%Y|%y|%a|%A|%U|%G|%u|%g|%h|%X|%x|%N|%%|%5s|%-5s|%05s|%.3A|%q' a empty big" },
      { cmd: "stat -c '%n %F %a %A %Y' d d/e d/f" },
      { cmd: "stat -c '%n %h' d d/e d/f", ext4: true },
      { cmd: "stat -c '%s %b %B %o' a big d", ext4: true },
      { cmd: 'stat -c %N "it\'s" \'we ird\'' },
      { cmd: "stat --printf='%n\\t%s\\n' a b" },
      { cmd: 'stat -c %n nope a' },
      { cmd: 'stat' },
      { cmd: 'stat -c' },
      { cmd: "stat -c '%5' a" },
      { cmd: 'stat -z a' },
      { cmd: 'stat a empty', mask: maskStat, ext4: true },
      { cmd: 'stat d', mask: maskStat, ext4: true },
    ]);
  });

  it('md5sum and sha256sum: digests, stdin, escaped names, options and errors', async () => {
    await differential(w, [
      { cmd: 'md5sum a b empty bin big' },
      { cmd: 'md5sum nope a d' },
      { cmd: 'md5sum < b' },
      { cmd: 'md5sum - a < bin' },
      { cmd: 'md5sum -b a; md5sum --tag a; md5sum -z a' },
      { cmd: "md5sum 'we ird' 'back\\slash'" },
      { cmd: 'md5sum -q a' },
      { cmd: 'md5sum /dev/null; cmp a /dev/null' },
      { cmd: 'sha256sum a empty bin big nope' },
      { cmd: 'sha256sum --tag a < a; sha256sum < big' },
    ]);
  });

  it('cmp: first difference, EOF on a prefix, -s -b -l -n -i, skips and errors', async () => {
    await differential(w, [
      { cmd: 'cmp a b' }, { cmd: 'cmp b a' }, { cmd: 'cmp a c' }, { cmd: 'cmp -s a c' }, { cmd: 'cmp a a' },
      { cmd: 'cmp empty a' }, { cmd: 'cmp a empty' }, { cmd: 'cmp p1 p2' }, { cmd: 'cmp p3 p2' }, { cmd: 'cmp p2 p1' },
      { cmd: 'cmp l1 l2' }, { cmd: 'cmp -b l1 l2' }, { cmd: 'cmp -l l1 l2' }, { cmd: 'cmp -lb bin big' },
      { cmd: 'cmp -l bin big' }, { cmd: 'cmp -b bin big' }, { cmd: 'cmp -n 3 a c' }, { cmd: 'cmp --bytes=5 a c' },
      { cmd: 'cmp -i 2 a c' }, { cmd: 'cmp a c 1 1' }, { cmd: 'cmp a b c' }, { cmd: 'cmp -n x a c' },
      { cmd: 'cmp a nope' }, { cmd: 'cmp nope a' }, { cmd: 'cmp -s nope a' }, { cmd: 'cmp a d' },
      { cmd: 'cmp' }, { cmd: 'cmp -z a b' }, { cmd: 'cmp a < b' }, { cmd: 'cmp - a < a' }, { cmd: 'cmp -ls a b' },
    ]);
  });

  it('du: 4 KiB blocks, -s -a -c -h -d -b -m --apparent-size, one count per inode', async () => {
    await differential(w, [
      { cmd: 'du d', unordered: true, ext4: true },
      { cmd: 'du -a d', unordered: true, ext4: true },
      { cmd: 'du -s d; du -sh d; du -sk d; du -sm d', ext4: true },
      { cmd: 'du -ah d', unordered: true, ext4: true },
      { cmd: 'du -c a b big d', unordered: true, ext4: true },
      { cmd: 'du -sc d a', ext4: true },
      { cmd: 'du -h a empty big bin', ext4: true },
      { cmd: 'du -d 1 d; du --max-depth=0 d', unordered: true, ext4: true },
      { cmd: 'du -b d; du --apparent-size -a d', unordered: true, ext4: true },
      { cmd: 'du d d/e; du d/e d', unordered: true, ext4: true },
      { cmd: 'du d/ d//', unordered: true, ext4: true },
      { cmd: 'du -s . ages', ext4: true },
      { cmd: 'du -b a big bin empty; du --apparent-size -h bin big' },
      { cmd: 'du nope; du -cs nope' },
      { cmd: 'du -sa d' },
      { cmd: 'du -d x d' },
      { cmd: 'du -q' },
    ]);
  });

  it('du -h rounds like GNU: up, one decimal below 10, then the next unit', () => {
    const sizesKiB = [0, 1, 4, 8, 1020, 1023, 1024, 1025, 1028, 1536, 10236, 10240, 10244, 102400, 1048572, 1048576, 5000000, 1073741823];
    const cmds = sizesKiB.map((k) => `truncate -s ${k * 1024} f${k} && du -h --apparent-size f${k} && rm f${k}`).join('\n');
    const realSizes = real(`mkdir -p human && cd human\n${cmds}`).split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
    expect(sizesKiB.map((k) => humanSize(k * 1024))).toEqual(realSizes);
    expect([0, 1, 1023].map(humanSize)).toEqual(['0', '1', '1023']);
  });

  it('find: tests, operators, depth options, errors (compared as sets of lines)', async () => {
    await differential(w, [
      { cmd: 'find d', unordered: true },
      { cmd: 'find d -type f', unordered: true },
      { cmd: "find . -maxdepth 1 -name 'p*'", unordered: true },
      { cmd: 'find -maxdepth 1 -name a' },
      { cmd: 'find a -name a; find d/ -maxdepth 0; find d// -maxdepth 1 -type d', unordered: true },
      { cmd: "find . -name '*.log'", unordered: true },
      { cmd: "find . -iname 'upper*' -o -iname '*.LOG'", unordered: true },
      { cmd: "find . -path './d/*' -name '*.log'", unordered: true },
      { cmd: "find . -path '*e/x'" },
      { cmd: 'find d ! -type d; find d -not -name big -type f', unordered: true },
      { cmd: 'find d -type f -o -type d -name e', unordered: true },
      { cmd: 'find d \\( -name e -o -name f \\) -print', unordered: true },
      { cmd: 'find d -type f,d -name "[ef]"', unordered: true },
      { cmd: 'find d -empty', unordered: true },
      { cmd: 'find . -type f -size -1M', unordered: true },
      { cmd: 'find . -type f -size 1', unordered: true },
      { cmd: 'find . -type f -size +4k; find . -size 5000c; find . -type f -size 5k; find . -type f -size -2c', unordered: true },
      { cmd: 'find d -size 1M', unordered: true, ext4: true },
      { cmd: 'find d -mindepth 2', unordered: true },
      { cmd: 'find d -maxdepth 1 -mindepth 1', unordered: true },
      { cmd: 'find d -print -print', unordered: true },
      { cmd: 'find d -name x -print0' },
      { cmd: 'find d -type d -o -print', unordered: true },
      { cmd: 'find d -name e -prune -o -print', unordered: true },
      { cmd: 'find d -false; find d -true -maxdepth 0' },
      { cmd: 'find ages -newer ages/h25', unordered: true },
      { cmd: 'find nope; find nope d -maxdepth 0' },
      { cmd: 'find a/' },
      { cmd: 'find d -foo' }, { cmd: 'find d -type x' }, { cmd: 'find d -type fd' }, { cmd: 'find d -maxdepth' },
      { cmd: 'find d -maxdepth x' }, { cmd: 'find d -maxdepth -1' }, { cmd: 'find d -mindepth x' }, { cmd: 'find d -name' },
      { cmd: 'find d -mtime 1x' }, { cmd: 'find d -newer nope' }, { cmd: 'find d -size 3q' }, { cmd: 'find d -size 1.5k' },
      { cmd: 'find d -size' }, { cmd: 'find d -o' }, { cmd: 'find d -name x -o' }, { cmd: 'find d \\( -name x' },
      { cmd: 'find d !' }, { cmd: 'find d -not' }, { cmd: 'find d -name x \\)' }, { cmd: 'find d \\( \\)' },
      { cmd: 'find d -a -name x' }, { cmd: 'find d -name x extra' },
    ]);
  });

  it('find -mtime and -mmin: days rounded down, minutes not (virtual clock against the real one)', async () => {
    const cases = ['-mtime 0', '-mtime 1', '-mtime +1', '-mtime -2', '-mtime +0', '-mtime 1.5', '-mtime -1.5', '-mtime 3',
      '-mmin -60', '-mmin +1500', '-mmin 1', '-mmin 2', '-mmin -2', '-mmin +2', '-atime -1', '-amin +1'];
    await differential(w, cases.map((c) => ({ cmd: `find ages -type f ${c}`, unordered: true })));
  });

  it('find -delete: files, empty directories, and a directory that is not empty', async () => {
    await differential(w, [
      { cmd: "find del -name '*.tmp' -delete; find del", unordered: true },
      { cmd: 'find del -name k -delete' },
      { cmd: 'find del -type d -empty -delete; find del', unordered: true },
    ]);
  });

  it('basename and dirname', async () => {
    await differential(w, [
      { cmd: 'basename /usr/bin/sort; basename include/stdio.h .h; basename stdio.h .h; basename .h .h' },
      { cmd: "basename /; basename //; basename ///a//; basename a/; basename ''; basename -- -s" },
      { cmd: 'basename -s .h a.h b.h; basename -a a/b c/d; basename -as .c x.c y.c; basename --suffix=.c z.c' },
      { cmd: 'basename -z a/b; basename a -z; basename -a x/y -s .c; basename -a' },
      { cmd: 'basename' }, { cmd: 'basename -sx' }, { cmd: 'basename a b c' }, { cmd: 'basename -q' }, { cmd: 'basename -s' },
      { cmd: "dirname /usr/bin/ stdio.h / // /// a//b// //a . ''; dirname -z a/b c; dirname a/b -z" },
      { cmd: 'dirname' }, { cmd: 'dirname -x' }, { cmd: 'dirname -- -x' },
    ]);
  });
});

describe('what only the simulation decides', () => {
  it('find and du walk directories in sorted order; du lists a directory after its entries', async () => {
    const r = await w.exec(HOST, `cd ${SIM_ROOT}/w; find d; du -a d; find d -depth -type d`);
    expect(r.output).toBe([
      'd', 'd/big', 'd/e', 'd/e/deep.log', 'd/e/empty', 'd/e/x', 'd/f', 'd/sub.log',
      '8\td/big', '4\td/e/deep.log', '0\td/e/empty', '4\td/e/x', '12\td/e', '4\td/f', '4\td/sub.log', '32\td',
      'd/e', 'd/f', 'd', '',
    ].join('\n'));
  });

  it('df: one 40G /dev/vda1 on /, Used is what du -s / counts, in GNU columns', async () => {
    const w2 = world();
    const usedKiB = async () => Number((await w2.exec(HOST, 'du -s /')).output.split('\t')[0]);
    const before = await usedKiB();
    expect(before).toBe(7 * 4); // seven empty directories: / /etc /root /tmp /var /var/log /var/run
    expect((await w2.exec(HOST, 'df')).output).toBe(
      'Filesystem     1K-blocks  Used Available Use% Mounted on\n'
      + `/dev/vda1       41943040    ${before}  ${41943040 - before}   1% /\n`);
    w2.writeFile(HOST, '/var/lib/redis/dump.rdb', new Uint8Array(3 * 1024 * 1024 + 1));
    const after = await usedKiB();
    expect(after).toBe(before + 2 * 4 + 3 * 1024 + 4);
    expect((await w2.exec(HOST, 'df -h /var/lib/redis')).output).toBe(
      'Filesystem      Size  Used Avail Use% Mounted on\n/dev/vda1        40G  3.1M   40G   1% /\n');
    expect((await w2.exec(HOST, 'df -T; df -i')).output).toBe(
      'Filesystem     Type 1K-blocks  Used Available Use% Mounted on\n'
      + `/dev/vda1      ext4  41943040  ${after}  ${41943040 - after}   1% /\n`
      + 'Filesystem      Inodes IUsed   IFree IUse% Mounted on\n/dev/vda1      2621440    10 2621430    1% /\n');
    expect((await w2.exec(HOST, 'df -P')).output).toBe(
      'Filesystem     1024-blocks  Used Available Capacity Mounted on\n'
      + `/dev/vda1         41943040  ${after}  ${41943040 - after}       1% /\n`);
    const r = await w2.exec(HOST, 'df /nope; echo rc=$?; df / /tmp | wc -l');
    expect(r.output).toBe('df: /nope: No such file or directory\nrc=1\n3\n');
    w2.dispose();
  });

  it('df -h prints the header GNU df prints', async () => {
    // With -h every value fits the minimum widths, so the header does not depend on the disk.
    const header = (text: string) => text.split('\n')[0];
    expect(header((await w.exec(HOST, 'df -h /')).output)).toBe(header(real('df -h /')));
  });

  it('stat: the default layout of a simulated file, times on the virtual clock and host time zone', async () => {
    const w2 = world({ hosts: [{ name: 'tokyo', ip: '10.0.0.5', tzOffsetMinutes: 540 }] });
    w2.writeFile('tokyo', '/etc/redis.conf', 'port 6379\n');
    const ino = w2.host('tokyo').disk.lookup('/etc/redis.conf')!.ino;
    expect((await w2.exec('tokyo', 'stat /etc/redis.conf')).output).toBe([
      '  File: /etc/redis.conf',
      '  Size: 10        \tBlocks: 8          IO Block: 4096   regular file',
      `Device: 254,1\tInode: ${String(ino).padEnd(11)} Links: 1`,
      'Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)',
      'Access: 2024-05-01 19:00:00.000000000 +0900',
      'Modify: 2024-05-01 19:00:00.000000000 +0900',
      'Change: 2024-05-01 19:00:00.000000000 +0900',
      ' Birth: -',
      '',
    ].join('\n'));
    await w2.advance(1500);
    // The write lands a few microseconds after the 1.5 s, which %y shows in nanoseconds.
    expect((await w2.exec('tokyo', "echo x >> /etc/redis.conf; stat -c '%s %Y %y' /etc/redis.conf /etc")).output)
      .toMatch(/^12 1714557601 2024-05-01 19:00:01\.500\d{6} \+0900\n4096 1714557600 2024-05-01 19:00:00\.000000000 \+0900\n$/);
    w2.dispose();
  });

  it('find -mtime follows the virtual clock', async () => {
    const w2 = world();
    w2.writeFile(HOST, '/var/log/old.log', 'x');
    w2.host(HOST).disk.lookup('/var/log/old.log')!.mtimeMs = w2.now - 3 * 86_400_000 - 1000;
    w2.writeFile(HOST, '/var/log/new.log', 'y');
    expect((await w2.exec(HOST, 'find /var/log -name "*.log" -mtime +2; find /var/log -type f -mmin -1')).output)
      .toBe('/var/log/old.log\n/var/log/new.log\n');
    expect((await w2.exec(HOST, 'find / -maxdepth 1; find /var/log -mtime +2 -exec echo old: {} \\;; echo rc=$?', { timeoutMs: 1000 })).output).toBe(
      '/\n/etc\n/proc\n/root\n/sys\n/tmp\n/var\nold: /var/log/old.log\nrc=0\n');
    w2.dispose();
  });

  it('md5 and sha256 give the standard test vectors', () => {
    const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    // RFC 1321, appendix A.5
    expect(md5Hex(ascii(''))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex(ascii('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex(ascii('12345678901234567890123456789012345678901234567890123456789012345678901234567890'))).toBe('57edf4a22be3c955ac49da2e2107b67a');
    // FIPS 180-4 examples
    expect(sha256Hex(ascii('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    // Lengths around the 55/56/64-byte padding edges, against the real tools.
    const lengths = [55, 56, 63, 64, 65, 119, 120];
    const realDigests = real(lengths.map((n) => `head -c ${n} /dev/zero | md5sum; head -c ${n} /dev/zero | sha256sum`).join('\n'));
    const simDigests = lengths.map((n) => `${md5Hex(new Uint8Array(n))}  -\n${sha256Hex(new Uint8Array(n))}  -\n`).join('');
    expect(simDigests).toBe(realDigests);
  });
});
