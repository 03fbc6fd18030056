/**
 * Persistence inside the simulated machine room: the engine's AOF and RDB on the simulated
 * disk (page cache vs durable bytes), forked BGSAVE children, kill -9 and power-off, and the
 * check tools run from the shell.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import type { ProgramMain } from '../../src/engine/programs/program';
import { ReplyParser, encodeCommand, toJs } from '../../src/engine/resp/reply-parser';
import { strToBytes } from '../../src/engine/bytes';
import { programs } from '../sim/programs';

/** `cmd HOST PORT ARG...`: one command, prints the reply as JSON. */
const oneCommand: ProgramMain = ({ os, argv }) => {
  const s = os.connect(argv[1], Number(argv[2]), { timeoutMs: 5000 });
  const parser = new ReplyParser();
  s.onConnect = () => s.write(strToBytes(encodeCommand(argv.slice(3))));
  s.onData = (b) => {
    parser.feed(b);
    const r = parser.next();
    if (r) { os.stdout(`${JSON.stringify(toJs(r.value))}\n`); s.destroy(); os.exit(0); }
  };
  s.onClose = (e) => { if (e) { os.stdout(`error ${e.code}\n`); os.exit(1); } };
};

const HOSTS = [{ name: 'redis-1', ip: '10.0.0.11' }, { name: 'client', ip: '10.0.0.20' }];

function newWorld(): World {
  return new World({ seed: 7, hosts: HOSTS, programs: { ...programs, cmd: oneCommand } });
}

async function startServer(w: World, args: string): Promise<void> {
  await w.exec('redis-1', 'mkdir -p /data');
  await w.exec('redis-1', `redis-server --port 6379 --protected-mode no --dir /data --logfile /data/redis.log ${args} &`);
  await w.advance(500);
}

async function dbsize(w: World): Promise<string> {
  return (await w.exec('client', 'cmd 10.0.0.11 6379 DBSIZE')).output.trim();
}

function serverPid(w: World): number {
  return w.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!.pid;
}

describe('persistence in the simulation', () => {
  for (const [policy, afterPowerOff] of [['always', '100'], ['everysec', '100'], ['no', '0']] as const) {
    it(`appendfsync ${policy}: kill -9 keeps every acknowledged write, a power-off 2 s later keeps ${afterPowerOff} of 100`, async () => {
      const w = newWorld();
      await startServer(w, `--appendonly yes --appendfsync ${policy} --save ""`);
      expect((await w.exec('client', 'load-client 10.0.0.11 6379 200 k')).output).toContain('done 200 ok 0 errors');
      expect(await dbsize(w)).toBe('100');
      // Two seconds: everysec's background fsync has run; far less than the kernel's writeback.
      await w.advance(2000);
      w.kill('redis-1', serverPid(w), 'SIGKILL');
      await w.advance(100);
      await startServer(w, `--appendonly yes --appendfsync ${policy} --save ""`);
      expect(await dbsize(w)).toBe('100');
      expect(w.readText('redis-1', '/data/redis.log')).toContain('DB loaded from append only file');
      w.powerOff('redis-1');
      await w.advance(100);
      w.powerOn('redis-1');
      await w.advance(100);
      await startServer(w, `--appendonly yes --appendfsync ${policy} --save ""`);
      expect(await dbsize(w)).toBe(afterPowerOff);
    });
  }

  it('BGSAVE forks a child that writes dump.rdb; redis-check-rdb and redis-check-aof run in the shell', async () => {
    const w = newWorld();
    await startServer(w, '--appendonly yes --save ""');
    await w.exec('client', 'load-client 10.0.0.11 6379 20 k');
    expect((await w.exec('client', 'cmd 10.0.0.11 6379 BGSAVE')).output).toContain('Background saving started');
    await w.advance(1000);
    const log = w.readText('redis-1', '/data/redis.log')!;
    expect(log).toMatch(/Background saving started by pid \d+/);
    expect(log).toMatch(/\d+:C .* DB saved on disk/);
    expect(log).toContain('Background saving terminated with success');
    expect(w.fileInfo('redis-1', '/data/dump.rdb')?.durableSize).toBeGreaterThan(0);
    const rdb = await w.exec('redis-1', 'redis-check-rdb /data/dump.rdb');
    expect(rdb.output).toContain('\\o/ RDB looks OK! \\o/');
    expect(rdb.output).toContain('[info] 10 keys read');
    expect(rdb.code).toBe(0);
    const aof = await w.exec('redis-1', 'redis-check-aof /data/appendonlydir/appendonly.aof.manifest');
    expect(aof.output).toContain('All AOF files and manifest are valid');
    expect(aof.code).toBe(0);
  });

  it('key-load-delay costs virtual time: a restarted server answers LOADING for keys x delay, then loads', async () => {
    const w = newWorld();
    await startServer(w, '--save "" --enable-debug-command yes');
    await w.exec('client', 'cmd 10.0.0.11 6379 DEBUG POPULATE 1000');
    await w.exec('client', 'cmd 10.0.0.11 6379 SAVE');
    expect(await dbsize(w)).toBe('1000');
    await w.exec('redis-1', 'pkill -9 redis-server');
    await w.advance(100);
    const t0 = w.now;
    await startServer(w, '--save "" --key-load-delay 2000 --loading-process-events-interval-bytes 1024');
    expect((await w.exec('client', 'cmd 10.0.0.11 6379 INFO persistence')).output).toContain('loading:1');
    await w.advance(2000);
    expect(await dbsize(w)).toBe('1000');
    // 1000 keys x 2 ms of debugDelay: the load ends 2 s (virtual) after the start, not at once.
    const log = w.readText('redis-1', '/data/redis.log')!;
    const took = Number(/DB loaded from disk: ([\d.]+) seconds/.exec(log.slice(log.lastIndexOf('Server initialized')))?.[1]);
    expect(took).toBeGreaterThanOrEqual(2);
    expect(took).toBeLessThan(2.5);
    expect(w.now - t0).toBeGreaterThan(2000);
  });

  it('a torn AOF tail: redis-check-aof --fix in the shell asks on stdin and truncates it', async () => {
    const w = newWorld();
    await startServer(w, '--appendonly yes --save ""');
    await w.exec('client', 'load-client 10.0.0.11 6379 10 k');
    await w.advance(1500);
    w.kill('redis-1', serverPid(w), 'SIGKILL');
    await w.advance(100);
    const incr = '/data/appendonlydir/appendonly.aof.1.incr.aof';
    const size = w.fileInfo('redis-1', incr)!.size;
    await w.exec('redis-1', `echo '*3' >> ${incr}`);
    const check = await w.exec('redis-1', 'redis-check-aof /data/appendonlydir/appendonly.aof.manifest');
    expect(check.code).toBe(1);
    expect(check.output).toContain('is not valid. Use the --fix option to try fixing it.');
    const fix = await w.exec('redis-1', 'echo y | redis-check-aof --fix /data/appendonlydir/appendonly.aof.manifest');
    expect(fix.output).toContain('Continue? [y/N]: ');
    expect(fix.output).toContain('Successfully truncated AOF appendonly.aof.1.incr.aof');
    expect(fix.code).toBe(0);
    expect(w.fileInfo('redis-1', incr)!.size).toBe(size);
    await startServer(w, '--appendonly yes --save ""');
    expect(await dbsize(w)).toBe('5');
  });

  it('lab A1: with RDB only, kill -9 loses the writes made after the last snapshot', async () => {
    const w = newWorld();
    await startServer(w, '--appendonly no --save "5 1"');
    await w.exec('client', 'load-client 10.0.0.11 6379 20 before');
    await w.advance(7000); // the save point fires: 10 changes, more than 5 seconds
    expect(w.readText('redis-1', '/data/redis.log')).toContain('1 changes in 5 seconds. Saving...'); // the configured count, like Redis
    await w.exec('client', 'load-client 10.0.0.11 6379 6 after');
    expect((await w.exec('client', 'cmd 10.0.0.11 6379 LASTSAVE')).output).toMatch(/^\d+$/m);
    w.kill('redis-1', serverPid(w), 'SIGKILL');
    await w.advance(100);
    await startServer(w, '--appendonly no --save "5 1"');
    expect(await dbsize(w)).toBe('10');
    expect(w.readText('redis-1', '/data/redis.log')).toContain('Done loading RDB, keys loaded: 10, keys expired: 0.');
  });
});
