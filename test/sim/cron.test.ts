import { describe, expect, it } from 'vitest';
import { world } from './helpers';
import { cronMatches, parseCrontab } from '../../src/sim/shell/cron';

describe('cron on virtual time', () => {
  it('parses fields, steps, lists, names and shortcuts, and reports bad lines like cron', () => {
    const e = parseCrontab('*/15 9-17 * * mon-fri /bin/backup.sh\n@hourly echo h\n# comment\nMAILTO=""\n');
    expect(Array.isArray(e) && e.length).toBe(2);
    const [a] = e as Exclude<ReturnType<typeof parseCrontab>, string>;
    expect(cronMatches(a, Date.UTC(2024, 4, 1, 9, 30))).toBe(true); // Wednesday
    expect(cronMatches(a, Date.UTC(2024, 4, 4, 9, 30))).toBe(false); // Saturday
    expect(cronMatches(a, Date.UTC(2024, 4, 1, 9, 31))).toBe(false);
    expect(parseCrontab('61 * * * * x')).toBe('1: bad minute');
    expect(parseCrontab('* * * *')).toBe('1: bad day-of-week');
  });

  it('runs installed jobs at each matching minute of the host clock', async () => {
    const w = world();
    await w.exec('redis-1', "cat > /root/jobs <<'EOF'\n* * * * * date +%H:%M >> /tmp/every-minute.log\n*/2 * * * * echo even >> /tmp/even.log\nEOF\ncrontab /root/jobs");
    expect((await w.exec('redis-1', 'crontab -l')).output).toBe('* * * * * date +%H:%M >> /tmp/every-minute.log\n*/2 * * * * echo even >> /tmp/even.log\n');
    await w.advance(4 * 60_000 + 1000);
    expect(w.readText('redis-1', '/tmp/every-minute.log')).toBe('10:01\n10:02\n10:03\n10:04\n');
    expect(w.readText('redis-1', '/tmp/even.log')).toBe('even\neven\n');
    expect(w.trace.recent().filter((r) => r.kind === 'cron').length).toBe(6);
    await w.exec('redis-1', 'crontab -r');
    await w.advance(3 * 60_000);
    expect(w.readText('redis-1', '/tmp/every-minute.log')!.split('\n').filter(Boolean).length).toBe(4);
    expect((await w.exec('redis-1', 'crontab -l')).output).toBe('no crontab for root\n');
  });

  it('refuses a bad crontab and keeps the old one; crontab -e without an editor explains', async () => {
    const w = world();
    const r = await w.exec('redis-1', "echo '99 * * * * x' > /root/bad; crontab /root/bad");
    expect(r.output).toBe('"/root/bad":1: bad minute\nerrors in crontab file, can\'t install.\n');
    expect((await w.exec('redis-1', 'crontab -e')).output).toContain('crontab mycron');
  });
});
