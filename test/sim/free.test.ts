/**
 * `free` (procps-ng 4.0.2) and /proc/meminfo in the simulated hosts. The real free is run on the
 * very /proc/meminfo the simulation made (bind-mounted over the machine's own in a private mount
 * namespace, which needs root), so every option's output is compared byte for byte with the same
 * numbers; usage errors need no numbers and are compared directly.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { World, type WorldOptions } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { freeCommandLine, freeReport } from '../../src/sim/shell/commands/free';

const haveRealFree = (() => { try { return execFileSync('free', ['-V'], { encoding: 'latin1' }).includes('procps-ng 4.0.2'); } catch { return false; } })();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-free-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
/** Whether a private mount namespace can lay a file over /proc/meminfo here. */
const canFakeMeminfo = haveRealFree && (() => {
  const f = path.join(scratch, 'probe');
  fs.writeFileSync(f, 'MemTotal:        1 kB\n');
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind ${f} /proc/meminfo && head -1 /proc/meminfo`], { encoding: 'latin1' });
  return r.status === 0 && r.stdout === 'MemTotal:        1 kB\n';
})();

/** The real free's stdout, stderr and status, reading `meminfo` (or the machine's own). */
function realFree(args: string[], meminfo?: string): { out: string; err: string; code: number | null } {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  if (meminfo === undefined) {
    const r = spawnSync('free', args, { encoding: 'latin1', env });
    return { out: r.stdout, err: r.stderr, code: r.status };
  }
  const f = path.join(scratch, 'meminfo');
  fs.writeFileSync(f, meminfo, 'latin1');
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind ${f} /proc/meminfo && exec free "$@"`, 'sh', ...args], { encoding: 'latin1', env });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

function newWorld(host: Partial<WorldOptions['hosts'][number]> = {}): World {
  return new World({ seed: 5, hosts: [{ name: 'h', ip: '10.0.0.1', dirs: ['/d'], ...host }], programs: STANDARD_PROGRAMS });
}

/** Ours: stdout and stderr apart, and the status. */
async function ours(w: World, args: string): Promise<{ out: string; err: string; code: number | null }> {
  const r = await w.exec('h', `free ${args} 2>/tmp/free.err; echo "rc=$?"`);
  const m = /rc=(\d+)\n$/.exec(r.output)!;
  return { out: r.output.slice(0, m.index), err: w.readText('h', '/tmp/free.err') ?? '', code: Number(m[1]) };
}

const OPTION_SETS = ['', '-b', '-k', '-m', '-g', '--tebi', '--pebi', '--kilo', '--mega', '--giga', '--tera', '--peta', '-h', '-h --si', '--si',
  '-w', '-t', '-l', '-v', '-hwtlv', '-bt', '--human --si -w', '-c 2 -s 0.001', '-c1', '--count=2 --seconds=0,001 -h'];

describe('free and /proc/meminfo', () => {
  it('free reads /proc/meminfo: used is total - available, buff/cache is Buffers + Cached + SReclaimable', async () => {
    const w = newWorld();
    // free and cat are processes too: each sees itself (a few MB), not the other.
    const r = await w.exec('h', 'free; cat /proc/meminfo');
    const [freeText, meminfo] = [r.output.split('\n').slice(0, 3).join('\n') + '\n', r.output.split('\n').slice(3).join('\n')];
    const mem = new Map(meminfo.trim().split('\n').map((l) => { const [k, v] = l.split(':'); return [k, parseInt(v, 10)] as const; }));
    const cells = freeText.split('\n')[1].split(/\s+/).slice(1).map(Number);
    const total = mem.get('MemTotal')!, available = mem.get('MemAvailable')!;
    expect(cells[0]).toBe(total);
    expect(Math.abs(cells[1] - (total - available))).toBeLessThan(8192);
    expect(Math.abs(cells[2] - mem.get('MemFree')!)).toBeLessThan(8192);
    expect(cells[3]).toBe(mem.get('Shmem'));
    expect(cells[4]).toBe(mem.get('Buffers')! + mem.get('Cached')! + mem.get('SReclaimable')!);
    // 4 GiB of RAM less the page descriptors (1/64) and the kernel image (24 MiB).
    expect(total).toBe(4 * 1024 * 1024 - 65536 - 24 * 1024);
    expect(freeText.split('\n')[2]).toBe('Swap:              0           0           0');
    w.dispose();
  });

  (canFakeMeminfo ? it : it.skip)('every option prints what the real free prints for the same /proc/meminfo', async () => {
    for (const host of [{}, { memoryMiB: 512 }, { memoryMiB: 256 * 1024 }, { memoryMiB: 3 * 1024 * 1024 }]) {
      const w = newWorld(host);
      // Some page cache and a dirty file, so that every column has something in it.
      await w.exec('h', 'seq 1 200000 > /d/numbers; cat /d/numbers > /dev/null');
      const meminfo = (await w.exec('h', 'cat /proc/meminfo')).output;
      for (const args of OPTION_SETS) {
        const argv = ['free', ...args.split(' ').filter(Boolean)];
        const run = freeCommandLine(argv);
        let out: { out: string; err: string; code: number };
        if (run.kind === 'exit') out = { out: run.out, err: run.err, code: run.code };
        else {
          // What the command prints when /proc/meminfo does not change between its reports.
          const reports = run.repeat ? run.count ?? 1 : 1;
          out = { out: Array(reports).fill(freeReport(run.flags, meminfo)).join('\n'), err: '', code: 0 };
        }
        expect(out, `${JSON.stringify(host)} free ${args}`).toEqual(realFree(argv.slice(1), meminfo));
      }
      w.dispose();
    }
  });

  it('-s and -c repeat the report on the virtual clock, a blank line between reports', async () => {
    const w = newWorld();
    const t0 = w.now;
    const r = await w.exec('h', 'free -c 3 -s 2 -m');
    expect(r.output.split('\n\n')).toHaveLength(3);
    expect(r.output.endsWith('\n\n')).toBe(false);
    expect(w.now - t0).toBeGreaterThanOrEqual(4000);
    w.dispose();
  });

  it('memory follows the host: RAM configured, redis-server\'s resident size, the page cache, a power cut', async () => {
    const w = newWorld({ memoryMiB: 2048 });
    const used = async () => Number((await w.exec('h', 'free -k')).output.split('\n')[1].split(/\s+/)[2]);
    const field = async (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec((await w.exec('h', 'cat /proc/meminfo')).output)![1]);
    expect(await field('MemTotal')).toBe(2048 * 1024 - 32768 - 24 * 1024);
    const before = await used();
    await w.exec('h', "redis-server --daemonize yes --dir /d --save '' --enable-debug-command yes");
    await w.advance(500);
    await w.exec('h', 'redis-cli DEBUG POPULATE 500000 key 100');
    await w.advance(500);
    // ps RSS is what the server reports as used_memory_rss (sampled by its cron).
    const rssKb = Number((await w.exec('h', 'ps -o rss= -C redis-server')).output.trim());
    const infoRss = Number(/used_memory_rss:(\d+)/.exec((await w.exec('h', 'redis-cli INFO memory')).output)![1]);
    expect(Math.abs(rssKb - infoRss / 1024)).toBeLessThan(64);
    expect(rssKb).toBeGreaterThan(50_000);
    expect(await used()).toBeGreaterThan(before + rssKb - 8192);
    // %MEM is RSS over MemTotal, in tenths, truncated.
    const pmem = (await w.exec('h', 'ps -o %mem= -C redis-server')).output.trim();
    expect(pmem).toBe(`${Math.floor((rssKb * 1000) / (await field('MemTotal')) / 10)}.${Math.floor((rssKb * 1000) / (await field('MemTotal'))) % 10}`);
    // A BGSAVE child shares its parent's pages, but commits as much again (its comm is still
    // redis-server, as on Linux: only its title says what it is).
    const committed = await field('Committed_AS');
    await w.exec('h', 'redis-cli CONFIG SET rdb-key-save-delay 100; redis-cli BGSAVE');
    await w.advance(50);
    expect((await w.exec('h', 'ps -o rss= -p $(pgrep -f ^redis-rdb-bgsave)')).output.trim()).toBe(String(rssKb));
    expect(await field('Committed_AS')).toBeGreaterThan(committed + rssKb);
    expect(Math.abs((await used()) - (before + rssKb))).toBeLessThan(16384);
    await w.exec('h', 'redis-cli CONFIG SET rdb-key-save-delay 0');
    await w.exec('h', 'redis-cli SHUTDOWN NOSAVE');
    await w.advance(500);
    expect(Math.abs((await used()) - before)).toBeLessThan(8192);
    // Written files are in the page cache (and dirty until written back); a power cut empties it.
    const cached = await field('Cached');
    await w.exec('h', 'seq 1 1000000 > /d/a; cat /d/a /d/a /d/a > /d/big');
    const withBig = await field('Cached');
    expect(withBig).toBeGreaterThan(cached + 20000);
    expect(await field('Dirty')).toBeGreaterThan(20000);
    w.powerOff('h');
    w.powerOn('h');
    await w.advance(1000);
    expect(await field('Cached')).toBeLessThanOrEqual(cached);
    expect(await field('Dirty')).toBe(0);
    w.dispose();
  });

  it('CommitLimit follows vm.overcommit_ratio; /proc/meminfo takes no writes (EIO)', async () => {
    const w = newWorld();
    const total = 4 * 1024 * 1024 - 65536 - 24 * 1024;
    let r = await w.exec('h', 'sysctl -q vm.overcommit_ratio=80; grep CommitLimit /proc/meminfo');
    expect(r.output).toBe(`CommitLimit:     ${Math.floor((total * 80) / 100)} kB\n`);
    r = await w.exec('h', 'echo 1 > /proc/meminfo; echo $?');
    expect(r.output).toBe('bash: echo: write error: Input/output error\n1\n');
    w.dispose();
  });

  (fs.existsSync('/proc/meminfo') ? it : it.skip)('/proc/meminfo lines have the real file\'s layout, field for field', async () => {
    const w = newWorld();
    const real = new Map(fs.readFileSync('/proc/meminfo', 'latin1').trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l] as const));
    const ourLines = (await w.exec('h', 'cat /proc/meminfo')).output.trim().split('\n');
    let compared = 0;
    for (const line of ourLines) {
      const name = line.slice(0, line.indexOf(':'));
      const theirs = real.get(name);
      if (!theirs) continue;
      // Our value in their line: the same columns when both numbers fit the field.
      const value = /(\d+)( kB)?$/.exec(line)![1];
      const realValue = /(\d+)( kB)?$/.exec(theirs)![1];
      if (value.length > 8 || realValue.length > 8) continue;
      expect(line, name).toBe(theirs.replace(new RegExp(`\\s{0,${value.length - 1}}${realValue}( kB)?$`), (m) => m.replace(/^\s*\d+/, (d) => value.padStart(d.length))));
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
    w.dispose();
  });

  (haveRealFree ? it : it.skip)('bad options, units and numbers: the real texts and statuses', async () => {
    const w = newWorld();
    for (const args of ['-x', '--foo', '--t', '--h', '-b -k', '--kilo --mebi', '-b -x', '-s', '--seconds', '-s abc', '-s 0', '-s -1', "-s ''", '-s 1abc', '-s 1.5x',
      '-s .', '-s 1e3', '-s 0.0000001', '-c 0', '-c x', '-c 1x', "-c ''", '-c -1', '-c 99999999999999999999', '--human=1', 'foo', '--help', '-V', '--version', '--he', '--ver', '-k --help', '--help -x', '--foo=1', '--k=1', '--se']) {
      const argv = [...args.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
      expect(await ours(w, args), `free ${args}`).toEqual(realFree(argv));
    }
    w.dispose();
  });
});
