/**
 * oom-score-adj in the simulation: each simulated process has an oom_score_adj (a forked child
 * starts with its parent's), so CONFIG SET oom-score-adj succeeds as on Linux instead of
 * failing with "Failed to set current oom_score_adj".
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { shellOn } from './helpers';

describe('oom-score-adj (simulation)', () => {
  it('CONFIG SET oom-score-adj works on a simulated server', async () => {
    const w = new World({
      seed: 3,
      hosts: [{ name: 'h1', ip: '10.0.0.1', files: { '/etc/redis.conf': 'port 6379\ndaemonize yes\nsave ""\n' }, dirs: [] }],
      programs: STANDARD_PROGRAMS,
    });
    const typeLine = await shellOn(w, 'h1');
    await typeLine('redis-server /etc/redis.conf');
    await w.advance(500);
    expect(await typeLine('redis-cli CONFIG SET oom-score-adj-values "10 20 30" oom-score-adj yes')).toMatch(/^OK$/m);
    expect(await typeLine('redis-cli CONFIG SET oom-score-adj absolute')).toMatch(/^OK$/m);
    expect(await typeLine('redis-cli CONFIG SET oom-score-adj no')).toMatch(/^OK$/m);
    w.dispose();
  });
});
