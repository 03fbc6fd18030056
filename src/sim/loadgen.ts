/**
 * `halab-loadgen`: the steady writer of the lessons (`loadgen:` in a lesson's front matter), a
 * program like any other in the simulated world: it runs on a host, sees the network from
 * there, and its writes take the same paths as a real client's.
 *
 *   halab-loadgen --target IP:PORT [--rate WRITES_PER_S] [--keys N] [--paused]
 *
 * Every 1/rate s of virtual time it sends `SET loadgen:<i> <seq>` with seq = 1, 2, 3... and
 * i = (seq - 1) mod N (round robin over N keys), pipelined on one connection. It counts:
 * - acked: writes answered +OK; for each key it remembers the latest acknowledged seq;
 * - errors: writes answered with an error (READONLY, NOREPLICAS...), writes lost with their
 *   connection, writes it could not send (no connection), and writes skipped because a whole
 *   second's worth were still unanswered (the server or the path is stalled).
 * A lost connection is retried every 100 ms. SIGUSR2 pauses the writer, SIGUSR1 resumes it,
 * SIGTERM/SIGINT end it.
 *
 * The counters are read by inspection (`loadgenStateOf`), never printed: an observer learns
 * them without the program doing anything. Sentinel-discovered targets come with Sentinel.
 */
import type { Os, Socket } from '../engine/os';
import type { ProgramMain } from '../engine/programs/program';
import { ReplyParser, encodeCommand } from '../engine/resp/reply-parser';
import { strToBytes } from '../engine/bytes';

export interface LoadgenState {
  target: string;
  ratePerSec: number;
  keys: number;
  running: boolean;
  connected: boolean;
  /** Writes sent or attempted. */
  attempted: number;
  acked: number;
  errors: number;
  /** Key → the seq of its latest acknowledged write. */
  readonly lastAcked: Map<string, number>;
}

const states = new WeakMap<Os, LoadgenState>();

/** The counters of the load generator running in this process, or null. */
export function loadgenStateOf(os: Os): LoadgenState | null {
  return states.get(os) ?? null;
}

const RECONNECT_MS = 100;

function usage(os: Os, why: string): void {
  os.stderr(`halab-loadgen: ${why}\nUsage: halab-loadgen --target IP:PORT [--rate WRITES_PER_S] [--keys N] [--paused]\n`);
  os.exit(2);
}

export const loadgenMain: ProgramMain = ({ os, argv }) => {
  let target = '';
  let rate = 50;
  let keys = 1000;
  let paused = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--target') target = argv[++i] ?? '';
    else if (a === '--rate') rate = Number(argv[++i]);
    else if (a === '--keys') keys = Number(argv[++i]);
    else if (a === '--paused') paused = true;
    else { usage(os, `unknown option ${a}`); return; }
  }
  const colon = target.lastIndexOf(':');
  const host = target.slice(0, colon);
  const port = Number(target.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) { usage(os, `bad --target "${target}"`); return; }
  if (!(rate > 0)) { usage(os, `bad --rate`); return; }
  if (!Number.isInteger(keys) || keys < 1) { usage(os, `bad --keys`); return; }

  const state: LoadgenState = { target, ratePerSec: rate, keys, running: !paused, connected: false, attempted: 0, acked: 0, errors: 0, lastAcked: new Map() };
  states.set(os, state);
  const intervalMs = 1000 / rate;
  const maxOutstanding = Math.max(1, Math.ceil(rate));
  let socket: Socket | null = null;
  let parser = new ReplyParser();
  /** Writes sent and not answered yet, oldest first. */
  let outstanding: { key: string; seq: number }[] = [];
  let seq = 0;

  const connect = () => {
    const s = os.connect(host, port, { timeoutMs: 1000 });
    socket = s;
    parser = new ReplyParser();
    s.onConnect = () => { state.connected = true; };
    s.onData = (b) => {
      parser.feed(b);
      for (let r = parser.next(); r; r = parser.next()) {
        const w = outstanding.shift();
        if (!w) continue;
        if (r.value.type === 'error') { state.errors++; continue; }
        state.acked++;
        state.lastAcked.set(w.key, w.seq);
      }
    };
    s.onClose = () => {
      if (socket !== s) return;
      socket = null;
      state.connected = false;
      state.errors += outstanding.length;
      outstanding = [];
      os.setTimer(RECONNECT_MS, connect);
    };
  };

  const tick = () => {
    os.setTimer(intervalMs, tick);
    if (!state.running) return;
    seq++;
    state.attempted++;
    const key = `loadgen:${(seq - 1) % keys}`;
    if (!socket || !state.connected || outstanding.length >= maxOutstanding) { state.errors++; return; }
    outstanding.push({ key, seq });
    socket.write(strToBytes(encodeCommand(['SET', key, String(seq)])));
  };

  os.onSignal((sig) => {
    if (sig === 'SIGUSR2') state.running = false;
    else if (sig === 'SIGUSR1') state.running = true;
    else if (sig === 'SIGTERM' || sig === 'SIGINT' || sig === 'SIGHUP') os.exit(0);
  });
  os.setProcessTitle?.(`halab-loadgen ${target} ${rate}/s`);
  connect();
  os.setTimer(intervalMs, tick);
};
