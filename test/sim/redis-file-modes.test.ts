/**
 * The modes of Redis's own files under a umask, against the machine's redis-server and
 * redis-sentinel 7.0.15: the same script, run by the real bash in a temporary directory and by
 * the simulated shell, starts a server under `umask 002` or `077` with an AOF, a log file and a
 * pid file, saves, rewrites its config, syncs a replica and rewrites the AOF, then lists the
 * files' modes. Redis asks for different bits per file (fopen's 0666 for the RDB, the log, the
 * pid file and a rewrite's base; open's 0644 for the AOF's incr file and manifest and a
 * replica's RDB; mkdir's 0755; rewriteConfig's fchmod to 0644 less the umask), so under 002
 * they differ: dump.rdb 664, the manifest 644.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveTools, REAL_REDIS, REAL_REDIS_CLI, findBinary } from '../support/real-redis';
import { freePort } from '../support/ports';
import { world } from './helpers';

const REAL_SENTINEL = findBinary('redis-sentinel');

interface Setup { files: Record<string, string>; script: string }

/** Wait (in either world) until `cmd` succeeds: real servers take their time, virtual ones too. */
const until = (cmd: string) => `until ${cmd}; do sleep 0.05; done`;

/** A server with an AOF, a log and a pid file, a replica of it, and their files' modes at two points. */
function serverScript(umask: string, port: number, replicaPort: number): Setup {
  const conf = [`port ${port}`, 'bind 127.0.0.1', 'dir .', 'appendonly yes', 'logfile r.log', 'pidfile r.pid',
    'repl-diskless-sync no', 'save ""', ''].join('\n');
  const cli = `redis-cli -p ${port}`;
  const replicaCli = `redis-cli -p ${replicaPort}`;
  const script = [
    `umask ${umask}`,
    // rewriteConfig's new file gets 0644 less the umask, whatever the old one had.
    'chmod 666 redis.conf',
    'redis-server ./redis.conf >/dev/null 2>&1 &',
    until(`${cli} ping >/dev/null 2>&1`),
    'stat -c "%a %n" appendonlydir appendonlydir/* r.log r.pid',
    `${cli} set k v >/dev/null`,
    `${cli} save >/dev/null`,
    `${cli} config rewrite >/dev/null`,
    'mkdir r',
    `redis-server --port ${replicaPort} --bind 127.0.0.1 --dir ./r --logfile r.log --save '' --replicaof 127.0.0.1 ${port} >/dev/null 2>&1 &`,
    until(`${replicaCli} info replication 2>/dev/null | grep -q master_link_status:up`),
    `${cli} bgrewriteaof >/dev/null`,
    until(`${cli} info persistence | grep -q aof_rewrite_in_progress:0`),
    'stat -c "%a %n" dump.rdb redis.conf appendonlydir/appendonly.aof.2.base.rdb appendonlydir/appendonly.aof.2.incr.aof appendonlydir/appendonly.aof.manifest r r/dump.rdb r/r.log',
    `${replicaCli} shutdown nosave >/dev/null`,
    `${cli} shutdown nosave >/dev/null`,
    'wait',
  ].join('\n');
  return { files: { 'redis.conf': conf }, script };
}

/** A sentinel rewrites its config as it starts (its new id): the file gets 0644 less the umask. */
function sentinelScript(umask: string, port: number, masterPort: number): Setup {
  const conf = [`port ${port}`, 'bind 127.0.0.1', 'dir .', 'logfile s.log', `sentinel monitor m 127.0.0.1 ${masterPort} 1`, ''].join('\n');
  const script = [
    `umask ${umask}`,
    'chmod 666 sentinel.conf',
    'redis-sentinel ./sentinel.conf >/dev/null 2>&1 &',
    until('grep -q "^sentinel myid" sentinel.conf'),
    'stat -c "%a %n" sentinel.conf s.log',
    `redis-cli -p ${port} shutdown nosave >/dev/null`,
    'wait',
  ].join('\n');
  return { files: { 'sentinel.conf': conf }, script };
}

function runReal(setup: Setup): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-modes-'));
  try {
    for (const [name, text] of Object.entries(setup.files)) writeFileSync(join(dir, name), text);
    const r = spawnSync('bash', ['-c', setup.script], { cwd: dir, encoding: 'latin1', timeout: 30_000 });
    return r.stdout + r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSim(setup: Setup): Promise<string> {
  const w = world();
  for (const [name, text] of Object.entries(setup.files)) w.writeFile('redis-1', `/root/m/${name}`, text);
  const r = await w.exec('redis-1', `cd /root/m\n${setup.script}`);
  return r.output;
}

describe.skipIf(!haveTools(REAL_REDIS, REAL_REDIS_CLI, REAL_SENTINEL))('Redis\'s files under a umask (differential)', () => {
  for (const umask of ['002', '077']) {
    it(`a server's RDB, AOF, log, pid file, rewritten config and a replica's RDB under umask ${umask}`, async () => {
      const setup = serverScript(umask, await freePort(), await freePort());
      const real = runReal(setup);
      expect(real).toMatch(/dump\.rdb/);
      expect(await runSim(setup)).toBe(real);
    });

    it(`a sentinel's rewritten config and its log under umask ${umask}`, async () => {
      const setup = sentinelScript(umask, await freePort(), await freePort());
      const real = runReal(setup);
      expect(real).toMatch(/sentinel\.conf/);
      expect(await runSim(setup)).toBe(real);
    });
  }
});
