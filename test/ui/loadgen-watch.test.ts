import { describe, expect, it } from 'vitest';
import { LoadgenWatch, newlyLost } from '../../src/ui/world/loadgen-watch';
import type { LoadgenSnapshot } from '../../src/sim';

const snap = (acked: number, errors: number, lastAcked: [string, number][]): LoadgenSnapshot =>
  ({ target: '127.0.0.1:7000', running: true, connected: true, attempted: acked + errors, acked, errors, lastAcked, master: null, reads: 0, readErrors: 0 });

describe('lost writes and load generator series', () => {
  it('a key missing on the target, or holding an older seq, is a lost write; a newer one is not', () => {
    expect(newlyLost([['k:0', 5], ['k:1', 6], ['k:2', 7]], ['5', null, '9'], new Set())).toEqual(['k:1#6']);
    expect(newlyLost([['k:0', 5], ['k:1', 6]], ['4', '6'], new Set(['k:0#5']))).toEqual([]);
    expect(newlyLost([['k:0', 5]], ['not a number'], new Set())).toEqual(['k:0#5']);
  });

  it('counts each lost write once, keeps it counted, and derives rates per virtual second', () => {
    const w = new LoadgenWatch();
    w.sample(0, 9, 'lg', snap(0, 0, []), null);
    w.sample(1000, 9, 'lg', snap(50, 0, [['k:0', 49], ['k:1', 50]]), ['49', '50']);
    // The master restarted empty: both acknowledged writes are gone.
    w.sample(2000, 9, 'lg', snap(60, 20, [['k:0', 59], ['k:1', 60]]), [null, null]);
    // The keys are written again: what was lost stays lost; newer acknowledged writes are there.
    w.sample(3000, 9, 'lg', snap(110, 20, [['k:0', 109], ['k:1', 110]]), ['109', '110']);
    // Target down (no values): nothing is counted.
    w.sample(4000, 9, 'lg', snap(110, 70, [['k:0', 109], ['k:1', 110]]), null);
    const pts = w.series.get(9)!.points;
    expect(pts.map((p) => p.lost)).toEqual([0, 0, 2, 2, 2]);
    expect(pts.map((p) => p.ackedPerSec)).toEqual([0, 50, 10, 50, 0]);
    expect(pts.map((p) => p.errorsPerSec)).toEqual([0, 0, 20, 0, 50]);
    expect(w.totals()).toEqual({ acked: 110, errors: 70, lost: 2, attempted: 180 });
    w.clear();
    expect(w.totals()).toEqual({ acked: 0, errors: 0, lost: 0, attempted: 0 });
  });

  it('labels a series with the master its load generator writes to now (it changes with a failover)', () => {
    const w = new LoadgenWatch();
    w.sample(0, 9, 'redis02 → 10.0.1.51:6379 (mymaster@10.0.1.51:26379)', snap(10, 0, []), null);
    w.sample(1000, 9, 'redis02 → mymaster@10.0.1.51:26379', snap(10, 5, []), null);
    w.sample(2000, 9, 'redis02 → 10.0.1.53:6379 (mymaster@10.0.1.51:26379)', snap(60, 5, []), null);
    expect(w.series.get(9)!.label).toBe('redis02 → 10.0.1.53:6379 (mymaster@10.0.1.51:26379)');
  });
});
