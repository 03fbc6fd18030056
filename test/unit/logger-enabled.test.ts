/**
 * Logger.enabled(level): the one place that says whether a line at a level gets written, so
 * code building an expensive line (a CLIENT LIST entry, a query buffer dump) asks it first.
 */
import { describe, it, expect } from 'vitest';
import { Logger, type LogLevel } from '../../src/engine/server/log';
import type { Os } from '../../src/engine/os';

describe('Logger.enabled', () => {
  it('lets through the configured level and the ones above it, as emit does', () => {
    const out: string[] = [];
    const os = { pid: 7, now: () => 0, tzOffsetMinutes: () => 0, stdout: (t: string) => out.push(t) } as unknown as Os;
    let level: LogLevel = 'notice';
    const log = new Logger(os, () => 'M', () => level, () => '');
    expect(['debug', 'verbose', 'notice', 'warning'].map((l) => log.enabled(l as LogLevel))).toEqual([false, false, true, true]);
    level = 'verbose';
    expect(log.enabled('debug')).toBe(false);
    expect(log.enabled('verbose')).toBe(true);
    // What enabled says is what gets written.
    log.debug('d');
    log.verbose('v');
    expect(out.map((l) => l.trim().slice(-3))).toEqual(['- v']);
    level = 'warning';
    expect(log.enabled('notice')).toBe(false);
    expect(log.enabled('warning')).toBe(true);
  });
});
