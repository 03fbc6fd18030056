/**
 * Programs for the simulation tests, in a module of their own so worker threads can import
 * them (`NodeWorkerRuntime` loads this file by URL). `redis-server` is the real engine.
 */
import { isMainThread } from 'node:worker_threads';
import type { ProgramMain } from '../../src/engine/programs/program';
import { ReplyParser, encodeCommand, toJs } from '../../src/engine/resp/reply-parser';
import { bytesToStr, strToBytes } from '../../src/engine/bytes';
import { STANDARD_PROGRAMS, type ProgramRegistry } from '../../src/sim/programs';

/**
 * `load-client HOST PORT COUNT PREFIX [INTERVAL_MS]`: connects, then sends COUNT commands one
 * after the other (SET PREFIX:i i, then GET, alternating), waiting for each reply; prints a
 * summary and exits 0, or exits 1 on a connection error.
 */
const loadClient: ProgramMain = ({ os, argv }) => {
  const [, host, portText, countText, prefix = 'k', intervalText = '0'] = argv;
  const count = Number(countText);
  const interval = Number(intervalText);
  const s = os.connect(host, Number(portText), { timeoutMs: 5000 });
  const parser = new ReplyParser();
  let sent = 0;
  let ok = 0;
  let errors = 0;
  const sendNext = () => {
    if (sent >= count) { os.stdout(`done ${ok} ok ${errors} errors\n`); s.end(); os.exit(0); return; }
    const i = sent++;
    const argvCmd = i % 2 === 0 ? ['SET', `${prefix}:${i}`, String(os.random()).slice(0, 8)] : ['GET', `${prefix}:${i - 1}`];
    s.write(strToBytes(encodeCommand(argvCmd)));
  };
  s.onConnect = () => sendNext();
  s.onData = (b) => {
    parser.feed(b);
    for (let r = parser.next(); r; r = parser.next()) {
      if (r.value.type === 'error') errors++; else ok++;
      if (interval > 0) os.setTimer(interval, sendNext); else sendNext();
    }
  };
  s.onClose = (e) => {
    if (sent < count || e) { os.stderr(`connection closed: ${e?.code ?? 'eof'}\n`); os.exit(1); }
  };
};

/** `ping-once HOST PORT`: one PING, prints the reply or the connection error. */
const pingOnce: ProgramMain = ({ os, argv }) => {
  const s = os.connect(argv[1], Number(argv[2]), argv[3] ? { timeoutMs: Number(argv[3]) } : undefined);
  const parser = new ReplyParser();
  s.onConnect = () => s.write(strToBytes(encodeCommand(['PING'])));
  s.onData = (b) => {
    parser.feed(b);
    const r = parser.next();
    if (r) { os.stdout(`${JSON.stringify(toJs(r.value))}\n`); s.destroy(); os.exit(0); }
  };
  s.onClose = (e) => { if (e) { os.stdout(`error ${e.code}\n`); os.exit(1); } };
};

/**
 * `quiet-liar HOST PORT`: connects, then arms a timer that promises to keep quiet forever (Os.setTimer's
 * quietUntil) and writes "hi" when it fires anyway; prints what comes back and exits.
 */
const quietLiar: ProgramMain = ({ os, argv }) => {
  const s = os.connect(argv[1], Number(argv[2]));
  s.onConnect = () => os.setTimer(100, () => s.write(strToBytes('hi')), () => Infinity);
  s.onData = (b) => { os.stdout(`got ${bytesToStr(b)}\n`); s.destroy(); os.exit(0); };
};

/**
 * `turn-liar [tracked]`: at 10 ms one timer starts async work that prints "continued" after an
 * await, and a second timer prints "next event"; exits at 20 ms. With `tracked` the work goes
 * through Os.trackAsync, as it should.
 */
const turnLiar: ProgramMain = ({ os, argv }) => {
  const work = async () => { await null; os.stdout('continued\n'); };
  os.setTimer(10, () => {
    const p = work();
    if (argv[1] === 'tracked') os.trackAsync?.(p);
  });
  os.setTimer(10, () => os.stdout('next event\n'));
  os.setTimer(20, () => os.exit(0));
};

/** `echo-server PORT [BIND]`: echoes bytes back; logs connections. */
const echoServer: ProgramMain = async ({ os, argv }) => {
  try {
    await os.listen(Number(argv[1]), argv[2] ? [argv[2]] : ['*'], (s) => {
      os.stdout(`accept ${s.remoteAddress}\n`);
      s.onData = (b) => s.write(b);
      s.onClose = (e) => os.stdout(`closed ${e?.code ?? 'eof'}\n`);
    });
    os.stdout('listening\n');
  } catch (e: any) {
    os.stderr(`listen failed: ${e.code}\n`);
    os.exit(1);
  }
};

/** `stream-client HOST PORT INTERVAL_MS`: writes "tick N\n" every INTERVAL_MS, prints echoes and errors. */
const streamClient: ProgramMain = ({ os, argv }) => {
  const s = os.connect(argv[1], Number(argv[2]));
  let n = 0;
  const tick = () => { s.write(strToBytes(`tick ${n++}\n`)); os.setTimer(Number(argv[3]), tick); };
  s.onConnect = () => tick();
  // One read can return several ticks (a socket buffer that filled while we could not read).
  s.onData = (b) => {
    for (const line of String.fromCharCode(...b).split('\n').filter(Boolean)) os.stdout(`echo@${Math.round(os.now() % 100000)} ${line}\n`);
  };
  s.onClose = (e) => { os.stdout(`closed ${e?.code ?? 'eof'}\n`); os.exit(1); };
};

/** `disk-writer PATH MODE COUNT` with MODE one of: nosync, fsync, bgfsync, writefile-fsync. */
const diskWriter: ProgramMain = ({ os, argv }) => {
  const [, path, mode, countText] = argv;
  const count = Number(countText);
  if (mode === 'writefile-fsync') {
    os.fs.writeFile(path, strToBytes('whole-file\n'), { fsync: true });
    os.stdout('written\n');
    return;
  }
  const f = os.fs.open(path, 'append');
  for (let i = 0; i < count; i++) {
    f.write(strToBytes(`record-${i};`));
    if (mode === 'fsync') f.fsync();
  }
  if (mode === 'bgfsync') f.fsyncInBackground(() => os.stdout('bg fsync done\n'));
  os.stdout(`wrote ${count} at ${os.now()}\n`);
};

/** `forker`: forks a child that sleeps 500 ms then exits 7; reports the child's exit; stays alive. */
const forker: ProgramMain = ({ os }) => {
  os.onSignal((sig) => { os.stdout(`got ${sig}, exiting\n`); os.exit(0); }, ['SIGTERM', 'SIGINT']);
  const child = os.fork('forker-child', (cos) => new Promise<number>((resolve) => { cos.setTimer(500, () => resolve(7)); }), { memoryBytes: 2 * 1024 * 1024 * 1024 });
  os.stdout(`forked ${child.pid} at ${os.now() % 100000}\n`);
  child.onExit = (code, sig) => os.stdout(`child exited ${code} ${sig}\n`);
  os.setTimer(1_000_000, () => undefined);
};

/** `reader FILE`: reads a file asynchronously and prints its size and the time it arrived. */
const reader: ProgramMain = async ({ os, argv }) => {
  try {
    const b = await os.fs.readFile(argv[1]);
    os.stdout(`read ${b.length} bytes\n`);
    os.exit(0);
  } catch (e: any) {
    os.stdout(`error ${e.code}\n`);
    os.exit(1);
  }
};

/** `cat-stdin`: copies standard input to standard output, uppercased. */
const catStdin: ProgramMain = async ({ os, io }) => {
  for (let c = await io.readChunk(); c !== null; c = await io.readChunk()) os.stdout(c.toUpperCase());
  os.exit(0);
};

/** `ask`: interactive line reader (tty), echoes what is typed until "quit". */
const ask: ProgramMain = async ({ os, io }) => {
  for (;;) {
    const line = io.readLine ? await io.readLine('ask> ', { hint: (l) => (l === 'qu' ? 'it' : null) }) : await io.readChunk();
    if (line === null || line.trim() === 'quit') { os.exit(0); return; }
    os.stdout(`you said ${line.trim()}\n`);
  }
};

/**
 * `sink-server PORT EXPECTED_BYTES [progress]`: prints the virtual time (ms since start of
 * transfer) when all bytes arrived; with `progress`, also the running total at every arrival.
 */
const sinkServer: ProgramMain = async ({ os, argv }) => {
  const expected = Number(argv[2]);
  const progress = argv[3] === 'progress';
  await os.listen(Number(argv[1]), ['*'], (s) => {
    let got = 0;
    const start = os.now();
    s.onData = (b) => {
      got += b.length;
      if (progress) os.stdout(`got ${got}\n`);
      if (got >= expected) os.stdout(`received ${got} in ${(os.now() - start).toFixed(1)} ms\n`);
    };
  });
};

/** `blast HOST PORT BYTES [CHUNK]`: sends BYTES at once, in one write or in writes of CHUNK bytes. */
const blast: ProgramMain = ({ os, argv }) => {
  const s = os.connect(argv[1], Number(argv[2]));
  const total = Number(argv[3]);
  const chunk = Number(argv[4] ?? total);
  s.onConnect = () => {
    for (let sent = 0; sent < total; sent += chunk) s.write(new Uint8Array(Math.min(chunk, total - sent)));
    os.stdout(`pending ${s.pendingBytes()}\n`);
  };
};

/**
 * `sentinel-like PORT IP,IP,...`: shaped like a Sentinel's traffic. Listens on PORT (answers
 * every line with "+PONG"), connects to redis-server at each IP:6379 and to its peers at each
 * other IP:PORT, then every second (plus up to 100 ms of jitter, as Sentinel does) PINGs every
 * server, and every two seconds says hello to every peer. Prints nothing; runs until killed.
 */
const sentinelLike: ProgramMain = async ({ os, argv }) => {
  const port = Number(argv[1]);
  const ips = argv[2].split(',');
  await os.listen(port, ['*'], (s) => {
    s.onData = (b) => { for (const c of b) if (c === 10) s.write(strToBytes('+PONG\r\n')); };
  });
  const servers = ips.map((ip) => os.connect(ip, 6379));
  const peers = ips.filter((ip) => !os.addresses.includes(ip)).map((ip) => os.connect(ip, port));
  for (const s of [...servers, ...peers]) s.onData = () => undefined;
  const ping = strToBytes(encodeCommand(['PING']));
  let tick = 0;
  const every = () => {
    tick++;
    for (const s of servers) s.write(ping);
    if (tick % 2 === 0) for (const p of peers) p.write(strToBytes(`hello ${os.hostname} ${tick}\n`));
    os.setTimer(1000 + os.random() * 100, every);
  };
  os.setTimer(os.random() * 1000, every);
};

/**
 * `redis-cmds HOST PORT INTERVAL_MS CMD [ARG...] [-- CMD [ARG...]]...`: connects, then every
 * INTERVAL_MS sends the next command of the list (cycling; `%N` in an argument is the cycle
 * number, from 1) and prints the first line of each reply. Runs until killed.
 */
const redisCmds: ProgramMain = ({ os, argv }) => {
  const [, host, portText, intervalText, ...rest] = argv;
  const cmds: string[][] = [[]];
  for (const a of rest) { if (a === '--') cmds.push([]); else cmds[cmds.length - 1].push(a); }
  const s = os.connect(host, Number(portText));
  const parser = new ReplyParser();
  let i = 0;
  const send = () => {
    const n = Math.floor(i / cmds.length) + 1;
    const c = cmds[i++ % cmds.length].map((a) => a.replace('%N', String(n)));
    s.write(strToBytes(encodeCommand(c)));
    os.setTimer(Number(intervalText), send);
  };
  s.onConnect = () => send();
  s.onData = (b) => {
    parser.feed(b);
    for (let r = parser.next(); r; r = parser.next()) os.stdout(`${JSON.stringify(toJs(r.value)).split('\\r\\n')[0].slice(0, 80)}\n`);
  };
};

/**
 * `thread-teller`: says whether its code runs on the main thread or in a worker thread, then
 * stays. A process that behaves differently the second time: a shadowed re-execution
 * (World.reexecute) must notice that the worker's answers differ from its inline twin's.
 */
const threadTeller: ProgramMain = ({ os }) => {
  os.stdout(isMainThread ? 'main\n' : 'worker\n');
  os.setTimer(3_600_000, () => os.exit(0));
};

export const programs: ProgramRegistry = {
  'sink-server': sinkServer,
  blast,
  ...STANDARD_PROGRAMS,
  'load-client': loadClient,
  'ping-once': pingOnce,
  'echo-server': echoServer,
  'quiet-liar': quietLiar,
  'turn-liar': turnLiar,
  'stream-client': streamClient,
  'disk-writer': diskWriter,
  forker,
  reader,
  'cat-stdin': catStdin,
  ask,
  'sentinel-like': sentinelLike,
  'redis-cmds': redisCmds,
  'thread-teller': threadTeller,
};
