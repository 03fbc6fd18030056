/**
 * The speed a playing world really runs at: virtual time over wall time across the last
 * SPEED_WINDOW_MS of wall time. A world asked for 100x whose rounds take longer than that
 * allows (a busy world, processes in workers on a slow machine) runs slower than asked, and
 * says so rather than letting the learner believe the clock.
 */

/**
 * How much wall time the measure looks back over; until the world has played that long it
 * tells nothing (starting up, a world waits for its workers and its first rounds, which is
 * not the speed it runs at).
 */
export const SPEED_WINDOW_MS = 2000;

export class SpeedMeter {
  /** (wall, virtual) pairs, oldest first, covering at most the window plus one sample. */
  private readonly wall: number[] = [];
  private readonly virtual: number[] = [];

  sample(wallMs: number, virtualMs: number): void {
    this.wall.push(wallMs);
    this.virtual.push(virtualMs);
    // Keep one sample at or before the window's start so the span covers the whole window.
    while (this.wall.length > 2 && this.wall[1] <= wallMs - SPEED_WINDOW_MS) {
      this.wall.shift();
      this.virtual.shift();
    }
  }

  /** Virtual ms per wall ms over the window, or null while it spans less than the window. */
  speed(): number | null {
    const n = this.wall.length;
    if (n < 2) return null;
    const span = this.wall[n - 1] - this.wall[0];
    if (span < SPEED_WINDOW_MS) return null;
    return (this.virtual[n - 1] - this.virtual[0]) / span;
  }
}
