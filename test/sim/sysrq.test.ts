/**
 * /proc/sysrq-trigger: the shell's way to pull the plug. `o` powers the host off at once and
 * `b` resets it, neither syncing the disks; `s` syncs them. Writing it in the same line as a
 * command makes a power cut land right after that command, which a learner cannot do by hand.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

function newWorld(): World {
  return new World({ seed: 2, hosts: [{ name: 'h', ip: '10.0.0.1', dirs: ['/d'], tornWriteProbability: 0 }], programs: STANDARD_PROGRAMS });
}

describe('/proc/sysrq-trigger', () => {
  it('o: the power goes at once and unsynced data is lost; the trace says why', async () => {
    const w = newWorld();
    const term = w.openTerminal('h');
    await w.advance(100);
    w.type(term, 'echo durable > /d/a; sync; echo cached > /d/b; echo o > /proc/sysrq-trigger; echo never > /d/c');
    await w.advance(100);
    expect(w.host('h').up).toBe(false);
    expect(w.trace.recent().some((r) => r.kind === 'sysrq' && r.detail === 'o')).toBe(true);
    expect(w.trace.recent().some((r) => r.kind === 'power-off')).toBe(true);
    w.powerOn('h');
    await w.advance(100);
    expect(w.readText('h', '/d/a')).toBe('durable\n');
    // Created (namespace operations are durable) but its contents were still in the page cache.
    expect(w.readText('h', '/d/b')).toBe('');
    expect(w.readText('h', '/d/c')).toBeNull();
    w.dispose();
  });

  it('s syncs, b reboots without syncing, other keys do nothing', async () => {
    const w = newWorld();
    expect((await w.exec('h', 'echo one > /d/a; echo s > /proc/sysrq-trigger; echo h > /proc/sysrq-trigger; echo two > /d/b; echo $?')).output).toBe('0\n');
    expect(w.host('h').up).toBe(true);
    w.type(w.openTerminal('h'), 'echo b > /proc/sysrq-trigger');
    await w.advance(100);
    expect(w.host('h').up).toBe(false);
    await w.advance(10_000);
    expect(w.host('h').up).toBe(true);
    expect(w.readText('h', '/d/a')).toBe('one\n');
    expect(w.readText('h', '/d/b')).toBe('');
    w.dispose();
  });

  it('redis-server with appendfsync everysec loses the write acknowledged just before', async () => {
    const w = newWorld();
    await w.exec('h', "redis-server --daemonize yes --dir /d --save '' --appendonly yes --appendfsync everysec");
    await w.advance(200);
    await w.exec('h', 'redis-cli SET a 1');
    await w.advance(2000);
    w.type(w.openTerminal('h'), 'redis-cli SET b 2; echo o > /proc/sysrq-trigger');
    await w.advance(100);
    expect(w.host('h').up).toBe(false);
    w.powerOn('h');
    await w.advance(100);
    await w.exec('h', "redis-server --daemonize yes --dir /d --save '' --appendonly yes");
    await w.advance(200);
    expect((await w.exec('h', 'redis-cli GET a; redis-cli EXISTS b')).output).toBe('1\n0\n');
    w.dispose();
  });
});
