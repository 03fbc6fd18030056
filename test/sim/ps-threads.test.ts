/**
 * Threads in ps (src/sim/shell/commands/ps.ts) and the kernel (Os.startThread): the same script
 * runs a redis-server (with I/O threads) and a redis-sentinel in this machine's bash, with the
 * real Redis 7.0.15 and procps-ng 4.0.2, and in the simulated shell. Headers are compared as
 * they are; rows with every number as N (pids, times and sizes differ), so what is compared is
 * how many rows there are, each thread's name, STAT, F and WCHAN, and where '-' stands in m and
 * -m. Then what only the simulation can show exactly: the thread ids follow the pid, kill of a
 * thread id signals the process, a forked child has one thread, jemalloc-bg-thread stops and
 * starts its thread.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { world } from './helpers';

const OPTIONS = [
  '-T', '-L', '-Lf', '-LF', '-Tf', '-TF', '-Tl', '-Ll', '-Lj', '-Tj', '-Ljf', 'm', '-m', 'H', '-mf', '-mL', '-mT', 'Hu', 'mu',
  '-o pid,lwp,nlwp,tid,spid,thcount,comm,stat', '-L -o pid,lwp,nlwp,tid,spid,comm,stat,f,wchan,psr', '-T -o pid,nlwp,args',
  'm -o pid,lwp,nlwp,comm,stat,time,tty,args', '-m -o pid,lwp,nlwp,comm,stat,time,tty,args,ppid', 'H -o pid,lwp,comm',
  '-L --sort=-lwp', 'H --sort=-lwp -o pid,comm', '-L u', '-T u', '-L j', '-LO stat', '-m -O stat', 'H O stat',
];

const script = (dir: string) => [
  `rm -rf ${dir}; mkdir -p ${dir}; cd ${dir}`,
  "printf 'port 26981\\nsentinel monitor m 127.0.0.1 7681 1\\n' > s.conf",
  "redis-server --port 7681 --save '' --appendonly no --io-threads 3 > /dev/null 2>&1 & P=$!",
  'redis-sentinel s.conf > /dev/null 2>&1 & S=$!',
  'sleep 1',
  ...OPTIONS.map((o) => `echo "== ps ${o}"; ps ${o} -p $P; echo "status $?"`),
  'echo "== sentinel"; ps -L -o comm,stat -p $S',
  // Other servers of this machine may have bio threads too: only this one's.
  'echo "== -C"; ps -L -C bio_aof_fsync -o pid=,comm= | awk -v p=$P \'$1 == p { print $2 }\'; ps -C bio_aof_fsync -o comm; echo "status $?"',
  'echo "-- pgrep -w"; pgrep -l -w -P $$ "^redis-server$"; pgrep -w -P $$ bio_aof_fsync | wc -l; pgrep -l -w -P $$ -f "^redis-sentinel"; pgrep -P $$ bio_aof_fsync; echo "status $?"',
  'kill $P $S; wait',
].join('\n');

function realBash(text: string): string {
  return execFileSync('bash', ['--norc', '-c', text], { encoding: 'utf8' });
}

/** Headers as they are; other lines with each number as N and runs of spaces as one. */
const shape = (out: string) => out.split('\n').map((line, i, all) => {
  const header = i > 0 && all[i - 1].startsWith('== ');
  // The real server may be running (R) at the moment ps looks.
  return header ? line : line.replace(/\d+/g, 'N').replace(/ +/g, ' ').trimStart().replace(/(^| )R([sl+]*)(?= |$)/g, '$1S$2');
}).join('\n');

describe('threads in ps, against procps and Redis', () => {
  it('lists the same threads in every thread format', async () => {
    const real = realBash(script('/tmp/ha-lab-ps-threads'));
    // What the real server showed: its threads by name.
    expect(real).toContain('bio_lazy_free');
    expect(real).toContain('io_thd_2');
    const w = world();
    const sim = (await w.exec('redis-1', script('/tmp/ps-threads'))).output;
    expect(shape(sim)).toBe(shape(real));
  }, 20_000);

  it('takes thread ids from the pid space, signals the process for a thread id, forks one thread', async () => {
    const w = world();
    const out = (await w.exec('redis-1', [
      "redis-server --port 7000 --save '' > /dev/null & P=$!",
      'sleep 1',
      'ps -T -o spid= -p $P | tr -d " " | tr "\\n" " "; echo',
      'sleep 1 & echo next $!',
      'redis-cli -p 7000 debug populate 1000 > /dev/null; redis-cli -p 7000 config set rdb-key-save-delay 1000 > /dev/null; redis-cli -p 7000 bgsave',
      'ps -L -o nlwp=,stat=,comm=,args= --ppid $P',
      'redis-cli -p 7000 config set jemalloc-bg-thread no > /dev/null; ps -L -o comm= -p $P | tail -1',
      'redis-cli -p 7000 config set jemalloc-bg-thread yes > /dev/null; ps -L -o tid=,comm= -p $P | tail -1',
      // bio_aof_fsync's id: kill(2) of it ends the whole process.
      'T=$(ps -T -o spid= -p $P | sed -n 3p); kill -TERM $T; sleep 1; ps -p $P > /dev/null; echo "alive $?"',
    ].join('\n'))).output;
    const lines = out.split('\n');
    const tids = lines[0].trim().split(' ').map(Number);
    const pid = tids[0];
    // The pid, then the next ids (the shell's own `sleep 1` may take one first, as on Linux).
    expect(tids).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(tids[i]).toBeGreaterThan(tids[i - 1]);
    expect(tids[4] - pid).toBeLessThanOrEqual(6);
    // A process started later gets a later pid.
    expect(Number(lines[1].split(' ')[1])).toBeGreaterThan(tids[4]);
    expect(lines[2]).toBe('Background saving started');
    // The child has only the thread that forked; its comm is its parent's, its title its own.
    expect(lines[3]).toMatch(/^\s+1 S\s+redis-server\s+redis-rdb-bgsave \*:7000$/);
    expect(lines[4]).toBe('bio_lazy_free');
    // A new jemalloc thread, with an id later than everything before it.
    const [tid, name] = lines[5].trim().split(/\s+/);
    expect(name).toBe('jemalloc_bg_thd');
    expect(Number(tid)).toBeGreaterThan(Number(lines[1].split(' ')[1]));
    expect(lines[6]).toBe('alive 1');
  });
});
