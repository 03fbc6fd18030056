/**
 * Lab C2 (../c2-scenario.ts) in the browser, the way the playground runs it: eight worlds with
 * every process on the page, then eight with one Web Worker per process (the same workers,
 * reset and reused from the second world on); then the rewind of a 10-minute session, on the
 * page and in Web Workers. Leaves its runs in `window.simBench` for
 * sim-browser.ts to read.
 */
import { WebWorkerRuntime, borrowed, type World } from '../../src/sim';
import { c2Failover, c2Restore, c2Rewind, C2_MEASURED_MS } from '../c2-scenario';

/** The rewound session: 10 virtual minutes of lab C2. */
const REWOUND_SESSION_MS = 600_000;

export interface BrowserRun { wallMs: number; virtualMs: number; rounds: number; batches: number; events: number }
export interface RewindRun { wallMs: number; virtualMs: number; rewoundBy: string }
export interface BrowserBench { inline: BrowserRun[]; workers: BrowserRun[]; rewind: { page?: RewindRun; workers?: RewindRun }; restore: { shadowed?: RewindRun; answering?: RewindRun }; error?: string }

const runs = (window as unknown as { simBench?: BrowserBench }).simBench = { inline: [], workers: [], rewind: {}, restore: {} } as BrowserBench;
const out = document.getElementById('out')!;

async function measure(w: World, body: () => Promise<void>): Promise<BrowserRun> {
  const s0 = w.stats();
  const t0 = performance.now();
  await body();
  const wallMs = performance.now() - t0;
  const s1 = w.stats();
  return { wallMs, virtualMs: C2_MEASURED_MS, rounds: s1.windows - s0.windows, batches: s1.batches - s0.batches, events: s1.handled - s0.handled };
}

try {
  for (let i = 0; i < 8; i++) runs.inline.push(await c2Failover({ warmupMs: 60_000 }, measure));
  const rt = new WebWorkerRuntime();
  try {
    for (let i = 0; i < 8; i++) runs.workers.push(await c2Failover({ runtime: borrowed(rt), warmupMs: 20_000 }, measure));
    runs.rewind.page = await c2Rewind({}, REWOUND_SESSION_MS);
    runs.rewind.workers = await c2Rewind({ runtime: borrowed(rt) }, REWOUND_SESSION_MS);
    runs.restore.shadowed = { ...await c2Restore({ runtime: rt, shadowReplays: true }, REWOUND_SESSION_MS), rewoundBy: 'shadowed' };
    runs.restore.answering = { ...await c2Restore({ runtime: rt, shadowReplays: false }, REWOUND_SESSION_MS), rewoundBy: 'workers answering' };
  } finally {
    rt.dispose();
  }
  out.textContent = 'done';
} catch (e) {
  runs.error = (e as Error).stack ?? String(e);
  out.textContent = runs.error;
}
