import { describe, expect, it } from 'vitest';
import { SpeedMeter, SPEED_WINDOW_MS } from '../../src/sim/speed-meter';

describe('SpeedMeter', () => {
  it('tells nothing until it spans a whole window of wall time', () => {
    const m = new SpeedMeter();
    expect(m.speed()).toBeNull();
    m.sample(0, 0);
    expect(m.speed()).toBeNull();
    m.sample(SPEED_WINDOW_MS - 1, 100);
    expect(m.speed()).toBeNull();
    m.sample(SPEED_WINDOW_MS, 1000);
    expect(m.speed()).toBe(1000 / SPEED_WINDOW_MS);
  });

  it('measures over the last window only: a world that slowed down shows its new speed', () => {
    const m = new SpeedMeter();
    // 3 s at 10x, then 3 s at 0.5x, sampled every 16 ms of wall time.
    let v = 0;
    for (let wall = 0; wall <= 6000; wall += 16) {
      m.sample(wall, v);
      v += wall < 3000 ? 160 : 8;
    }
    // Over all 6 s it would read (3 × 10 + 3 × 0.5) / 6 = 5.25x.
    expect(m.speed()).toBeCloseTo(0.5, 2);
  });
});
