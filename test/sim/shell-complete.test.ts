import { describe, expect, it } from 'vitest';
import { world, typeAndRun } from './helpers';

describe('Tab completion at the shell prompt', () => {
  it('completes command names first, then paths (directories with a slash, a lone file with a space)', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await typeAndRun(w, term, 'mkdir -p /etc/redis /var/redis/6379 && touch /etc/redis/6379.conf /etc/redis/.hidden /etc/redisx.txt');
    expect(await w.lineHelp(term, 'complete', 'redis-se')).toEqual(['redis-sentinel', 'redis-server']);
    expect(await w.lineHelp(term, 'complete', 'crontab')).toEqual(['crontab ']);
    expect(await w.lineHelp(term, 'complete', 'redis-server /etc/red')).toEqual(['redis-server /etc/redis/', 'redis-server /etc/redisx.txt']);
    expect(await w.lineHelp(term, 'complete', 'cat /etc/redis/')).toEqual(['cat /etc/redis/6379.conf ']);
    expect(await w.lineHelp(term, 'complete', 'cat /etc/redis/.h')).toEqual(['cat /etc/redis/.hidden ']);
    expect(await w.lineHelp(term, 'complete', 'ls /var/redis/6379/ | gre')).toEqual(['ls /var/redis/6379/ | grep ']);
    expect(await w.lineHelp(term, 'complete', 'cd /var/re')).toEqual(['cd /var/redis/']);
    expect(await w.lineHelp(term, 'complete', 'cat /nope/x')).toEqual([]);
    // After timeout's duration (and its options) comes a command.
    expect(await w.lineHelp(term, 'complete', 'timeout 5 redis-se')).toEqual(['timeout 5 redis-sentinel', 'timeout 5 redis-server']);
    expect(await w.lineHelp(term, 'complete', 'timeout -s KILL -v 2m cront')).toEqual(['timeout -s KILL -v 2m crontab ']);
    expect(await w.lineHelp(term, 'complete', 'timeout 5 redis-server /etc/redisx')).toEqual(['timeout 5 redis-server /etc/redisx.txt ']);
    // Functions defined at the prompt complete too; hints are the programs' (none from the shell).
    await typeAndRun(w, term, 'backup_now() { echo ok; }');
    expect(await w.lineHelp(term, 'complete', 'backup_')).toEqual(['backup_now ']);
    expect(await w.lineHelp(term, 'hint', 'redis-cli')).toBeNull();
  });
});
