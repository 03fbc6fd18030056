/**
 * `halab-loadgen`: the steady writer of the lessons (`loadgen:` in a lesson's front matter), a
 * program like any other in the simulated world: it runs on a host, sees the network from
 * there, and its writes take the same paths as a real client's.
 *
 *   halab-loadgen --target IP:PORT [--rate WRITES_PER_S] [--keys N] [--paused]
 *   halab-loadgen --sentinels IP:PORT[,IP:PORT...] --master NAME [--reads] [--rate ...] [--keys N] [--paused]
 *
 * Every 1/rate s of virtual time it sends `SET loadgen:<i> <seq>` with seq = 1, 2, 3... and
 * i = (seq - 1) mod N (round robin over N keys), pipelined on one connection. It counts:
 * - acked: writes answered +OK; for each key it remembers the latest acknowledged seq;
 * - errors: writes answered with an error (READONLY, NOREPLICAS...), writes lost with their
 *   connection, writes it could not send (no connection), and writes skipped because a whole
 *   second's worth were still unanswered (the server or the path is stalled).
 *
 * With a fixed target a lost connection is retried every 100 ms. With `--sentinels` it is a
 * sentinel-aware client (src/engine/client/sentinel-client.ts): it asks the sentinels for the
 * master, verifies it with ROLE, writes there, and finds the new master after a failover (a
 * +switch-master announcement, a broken connection or a READONLY reply) without any change of
 * configuration; a second's worth of unanswered writes (a master whose host went silent) drops
 * the connection too, like a client's socket timeout. With `--reads` it also reads one key per tick from the replicas, round-robin
 * over those the sentinels report usable (counted in `reads` / `readErrors`).
 *
 * SIGUSR2 pauses the writer, SIGUSR1 resumes it, SIGTERM/SIGINT end it. The counters are read
 * by inspection (`loadgenStateOf`), never printed: an observer learns them without the
 * program doing anything.
 */
import type { Os, Socket } from '../engine/os';
import type { ProgramMain } from '../engine/programs/program';
import { ReplyParser, encodeCommand } from '../engine/resp/reply-parser';
import { strToBytes } from '../engine/bytes';
import { SentinelClient, type HostPort } from '../engine/client/sentinel-client';
import { AsyncConnection } from '../engine/client/async-connection';

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
  /** Sentinel mode: the master written to now ("ip:port"), and reads from replicas. */
  master: string | null;
  reads: number;
  readErrors: number;
}

const states = new WeakMap<Os, LoadgenState>();

/** The counters of the load generator running in this process, or null. */
export function loadgenStateOf(os: Os): LoadgenState | null {
  return states.get(os) ?? null;
}

const RECONNECT_MS = 100;
const USAGE = 'Usage: halab-loadgen --target IP:PORT | --sentinels IP:PORT[,IP:PORT...] --master NAME [--reads] [--rate WRITES_PER_S] [--keys N] [--paused]';

function usage(os: Os, why: string): void {
  os.stderr(`halab-loadgen: ${why}\n${USAGE}\n`);
  os.exit(2);
}

function validHostPort(s: string): boolean {
  const colon = s.lastIndexOf(':');
  const port = Number(s.slice(colon + 1));
  return colon > 0 && Number.isInteger(port) && port > 0 && port <= 65535;
}

/** A pipelined writer: `send` a request with a callback per reply; `onLost` when the connection goes. */
interface Writer {
  ready(): boolean;
  send(argv: string[], cb: (error: string | null) => void): void;
  /** A second's worth of writes is unanswered: a client's socket timeout (optional). */
  stalled?(): void;
}

export const loadgenMain: ProgramMain = ({ os, argv }) => {
  let target = '';
  let sentinels = '';
  let masterName = '';
  let reads = false;
  let rate = 50;
  let keys = 1000;
  let paused = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--target') target = argv[++i] ?? '';
    else if (a === '--sentinels') sentinels = argv[++i] ?? '';
    else if (a === '--master') masterName = argv[++i] ?? '';
    else if (a === '--reads') reads = true;
    else if (a === '--rate') rate = Number(argv[++i]);
    else if (a === '--keys') keys = Number(argv[++i]);
    else if (a === '--paused') paused = true;
    else { usage(os, `unknown option ${a}`); return; }
  }
  const viaSentinels = sentinels !== '';
  if (viaSentinels) {
    if (target !== '') { usage(os, 'give either --target or --sentinels, not both'); return; }
    if (!sentinels.split(',').every(validHostPort)) { usage(os, `bad --sentinels "${sentinels}"`); return; }
    if (masterName === '') { usage(os, '--sentinels needs --master NAME'); return; }
  } else if (!validHostPort(target)) { usage(os, `bad --target "${target}"`); return; }
  if (!(rate > 0)) { usage(os, `bad --rate`); return; }
  if (!Number.isInteger(keys) || keys < 1) { usage(os, `bad --keys`); return; }

  const label = viaSentinels ? `${masterName}@${sentinels}` : target;
  const state: LoadgenState = {
    target: label, ratePerSec: rate, keys, running: !paused, connected: false, attempted: 0, acked: 0, errors: 0,
    lastAcked: new Map(), master: null, reads: 0, readErrors: 0,
  };
  states.set(os, state);
  const intervalMs = 1000 / rate;
  const maxOutstanding = Math.max(1, Math.ceil(rate));
  let outstanding = 0;
  const writer = viaSentinels ? sentinelWriter(os, state, sentinels.split(','), masterName) : fixedWriter(os, state, target, () => { outstanding = 0; });
  const readReplica = viaSentinels && reads ? replicaReader(os, state, writer as SentinelWriter) : null;
  let seq = 0;

  const tick = () => {
    os.setTimer(intervalMs, tick);
    if (!state.running) return;
    seq++;
    state.attempted++;
    const key = `loadgen:${(seq - 1) % keys}`;
    const mine = seq;
    if (outstanding >= maxOutstanding) writer.stalled?.();
    if (!writer.ready() || outstanding >= maxOutstanding) { state.errors++; return; }
    outstanding++;
    writer.send(['SET', key, String(mine)], (error) => {
      outstanding--;
      if (error !== null) { state.errors++; return; }
      state.acked++;
      state.lastAcked.set(key, mine);
    });
    readReplica?.(`loadgen:${Math.floor(os.random() * keys)}`);
  };

  os.onSignal((sig) => {
    if (sig === 'SIGUSR2') state.running = false;
    else if (sig === 'SIGUSR1') state.running = true;
    else os.exit(0);
  }, ['SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGINT', 'SIGHUP']);
  os.setProcessTitle?.(`halab-loadgen ${label} ${rate}/s`);
  os.setTimer(intervalMs, tick);
};

/** A fixed address: one connection, retried every 100 ms when lost. */
function fixedWriter(os: Os, state: LoadgenState, target: string, onLost: () => void): Writer {
  const colon = target.lastIndexOf(':');
  const host = target.slice(0, colon);
  const port = Number(target.slice(colon + 1));
  let socket: Socket | null = null;
  let parser = new ReplyParser();
  /** Callbacks of the writes sent and not answered yet, oldest first. */
  let pending: ((error: string | null) => void)[] = [];

  const connect = () => {
    const s = os.connect(host, port, { timeoutMs: 1000 });
    socket = s;
    parser = new ReplyParser();
    s.onConnect = () => { state.connected = true; };
    s.onData = (b) => {
      parser.feed(b);
      for (let r = parser.next(); r; r = parser.next()) {
        const cb = pending.shift();
        cb?.(r.value.type === 'error' ? r.value.value : null);
      }
    };
    s.onClose = () => {
      if (socket !== s) return;
      socket = null;
      state.connected = false;
      const lost = pending;
      pending = [];
      for (const cb of lost) cb('connection lost');
      onLost();
      os.setTimer(RECONNECT_MS, connect);
    };
  };
  connect();
  return {
    ready: () => socket !== null && state.connected,
    send: (argv, cb) => {
      pending.push(cb);
      socket!.write(strToBytes(encodeCommand(argv)));
    },
  };
}

interface SentinelWriter extends Writer {
  readonly client: SentinelClient;
}

/**
 * Through the sentinels: the master connection comes from the sentinel-aware client; when it
 * is lost (or the server says READONLY) the next connection is asked for after 100 ms.
 */
function sentinelWriter(os: Os, state: LoadgenState, sentinels: string[], masterName: string): SentinelWriter {
  let conn: AsyncConnection | null = null;
  let connecting = false;
  const client = new SentinelClient(os, {
    sentinels, masterName, connectTimeoutMs: 1000,
    onSwitch: () => { drop(); },
  });
  const drop = () => {
    const c = conn;
    conn = null;
    state.connected = false;
    state.master = null;
    if (c) client.invalidateMaster();
    schedule();
  };
  const schedule = () => {
    if (connecting) return;
    connecting = true;
    os.setTimer(RECONNECT_MS, () => {
      connecting = false;
      if (conn) return;
      const finding = client.masterFor().then((c) => {
        if (!c || c.closed) { schedule(); return; }
        conn = c;
        state.connected = true;
        const m = client.currentMaster;
        state.master = m ? `${m.host}:${m.port}` : null;
        const prev = c.onDisconnect;
        c.onDisconnect = (e) => { prev?.(e); if (conn === c) drop(); };
      });
      os.trackAsync?.(finding);
    });
  };
  schedule();
  return {
    client,
    ready: () => conn !== null && !conn.closed,
    // The master's host may be gone without a word (powered off, partitioned away): like a
    // client's socket timeout, give up the connection and ask the sentinels again.
    stalled: () => { if (conn) drop(); },
    send: (argv, cb) => {
      const c = conn!;
      c.command(argv, (r) => {
        if (r === null) { cb('connection lost'); return; }
        if (r.type === 'error') {
          // A demoted master: ask the sentinels again.
          if (r.value.startsWith('READONLY') && conn === c) drop();
          cb(r.value);
          return;
        }
        cb(null);
      });
    },
  };
}

/** Reads from the replicas, round-robin; one connection per replica, kept open. */
function replicaReader(os: Os, state: LoadgenState, writer: SentinelWriter): (key: string) => void {
  const conns = new Map<string, AsyncConnection>();
  let picking = false;
  return (key) => {
    if (picking) return;
    picking = true;
    const reading = writer.client.replicaFor().then((addr: HostPort | null) => {
      picking = false;
      if (!addr) { state.readErrors++; return; }
      const k = `${addr.host}:${addr.port}`;
      let c = conns.get(k);
      if (!c || c.closed) {
        c = new AsyncConnection(os, addr.host, addr.port, undefined, { timeoutMs: 1000 });
        conns.set(k, c);
      }
      const ok = c.command(['GET', key], (r) => {
        if (r === null || r.type === 'error') state.readErrors++;
        else state.reads++;
      });
      if (!ok) state.readErrors++;
    });
    os.trackAsync?.(reading);
  };
}

