/**
 * showThroughput, the timer redis-benchmark arms when it starts (first after 1 ms, then every
 * 250 ms). It only runs inside a test's event loop: a firing that falls between tests (or
 * during the CONFIG fetch) happens as soon as the next test's loop starts, like an overdue ae
 * time event, and never before that loop has handled its first socket event: on a local
 * server, the clients' first writes always come before the timer in the real tool. It prints the progress line (or `clients: N` in idle mode, nothing with --csv),
 * and aborts when every client is gone before the test could finish.
 */
import type { Os } from '../../os';
import { fixed } from '../redis-cli/cformat';
import type { BenchConfig } from './config';
import type { Printer, RunState } from './clients';
import { blankLine } from './report';

const FIRST_MS = 1;
const INTERVAL_MS = 250;
const f32 = Math.fround;

export class ProgressTimer {
  private inLoop = false;
  /** The loop has handled a socket event (on localhost the clients' first writes come first). */
  private eventSeen = false;
  private overdue = false;
  private armed = false;

  constructor(private readonly os: Os, private readonly config: BenchConfig, private readonly state: RunState,
    private readonly printer: Printer) {}

  start(): void {
    this.arm(FIRST_MS);
  }

  private arm(ms: number): void {
    this.armed = true;
    this.os.setTimer(ms, () => {
      this.armed = false;
      if (this.inLoop && this.eventSeen) this.fire();
      else this.overdue = true;
    });
  }

  /** A test's event loop starts; an overdue firing waits for its first socket event. */
  loopStarted(): void {
    this.inLoop = true;
    this.eventSeen = false;
    if (!this.overdue && !this.armed) this.arm(FIRST_MS);
  }

  /** A socket event was handled: an overdue firing runs now, as ae runs timers after file events. */
  afterEvent(): void {
    this.eventSeen = true;
    if (!this.inLoop || !this.overdue) return;
    this.overdue = false;
    this.fire();
  }

  loopStopped(): void {
    this.inLoop = false;
  }

  private fire(): void {
    const s = this.state;
    if (s.wedged) return;
    if (s.liveclients === 0 && s.requestsFinished !== this.config.requests) {
      this.printer.err('All clients disconnected... aborting.\n');
      this.printer.exit(1);
      return;
    }
    this.arm(INTERVAL_MS);
    if (this.config.csv) return;
    if (this.config.idlemode) {
      this.printer.out(`clients: ${s.liveclients}\r`);
      return;
    }
    const nowMs = Math.floor(this.os.now());
    const dt = f32(f32(nowMs - s.startMs) / 1000);
    const rps = f32(f32(s.requestsFinished) / dt);
    const instantDt = f32(f32(nowMs - s.previousTickMs) / 1000);
    const instantRps = f32(f32(s.requestsFinished - s.previousRequestsFinished) / instantDt);
    s.previousTickMs = nowMs;
    s.previousRequestsFinished = s.requestsFinished;
    const recentMean = s.recentHistogram ? s.recentHistogram.mean() : NaN;
    const overallMean = s.histogram ? s.histogram.mean() : NaN;
    const line = `${s.title}: rps=${fixed(instantRps, 1)} (overall: ${fixed(rps, 1)}) avg_msec=${fixed(recentMean / 1000, 3)} (overall: ${fixed(overallMean / 1000, 3)})\r`;
    this.printer.out(blankLine(s.lastPrintedBytes) + line);
    s.lastPrintedBytes = line.length;
    s.recentHistogram?.reset();
  }
}
