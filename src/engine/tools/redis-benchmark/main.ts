/**
 * redis-benchmark as a program on the engine's Os (redis-benchmark.c's main): parse the
 * options, fetch the server's persistence settings for the report, then run either the
 * command given on the command line or the default suite (optionally forever with -l), each
 * test a fresh set of clients (clients.ts), reporting as it goes (report.ts, progress.ts).
 *
 * Times come from the Os clock, so in the simulation the figures are those of the simulated
 * machines: a server with `appendfsync always` on a slow disk shows it in the numbers.
 */
import type { ProgramContext } from '../../programs/program';
import { encodeCommand } from '../../resp/reply-parser';
import { defaultConfig, type BenchConfig } from './config';
import { parseOptions } from './options';
import { fetchServerSettings, type ServerSettings } from './server-config';
import { ClientPool, newLatencyHistogram, newRunState, type Printer, type RunState } from './clients';
import { ProgressTimer } from './progress';
import { CSV_HEADER, latencyReport } from './report';
import { defaultSuite, PayloadGenerator } from './suite';

/** A process killed by SIGSEGV: what the real tool does with `--precision 0` (hdr_init fails). */
const SEGFAULT_EXIT = 139;

class Benchmarker {
  private readonly state: RunState = newRunState();
  private readonly progress: ProgressTimer;
  private exited = false;
  readonly printer: Printer;

  constructor(private readonly ctx: ProgramContext, private readonly config: BenchConfig) {
    const os = ctx.os;
    this.printer = {
      out: (t) => { if (!this.exited && t) os.stdout(t); },
      err: (t) => { if (!this.exited && t) os.stderr(t); },
      exit: (code) => { if (!this.exited) { this.exited = true; os.exit(code); } },
    };
    this.progress = new ProgressTimer(os, config, this.state, this.printer);
  }

  get hasExited(): boolean { return this.exited; }

  async run(commandArgs: string[]): Promise<void> {
    const { os } = this.ctx;
    const config = this.config;
    const p = this.printer;
    this.progress.start();
    if (config.cluster) {
      p.err('redis-benchmark: --cluster is not supported by this redis-benchmark\n');
      p.exit(1);
      return;
    }
    const fetched = await fetchServerSettings(os, config, p.err);
    if (fetched.exitCode !== null) { p.exit(fetched.exitCode); return; }
    if (fetched.settings === null) p.err('WARNING: Could not fetch server CONFIG\n');
    this.state.unresolvedHost = fetched.unresolvedHost ?? null;
    const settings = fetched.settings;
    if (config.keepalive === 0) {
      p.err("WARNING: Keepalive disabled. You probably need 'echo 1 > /proc/sys/net/ipv4/tcp_tw_reuse' for Linux and 'sudo sysctl -w net.inet.tcp.msl=1000' for Mac OS X in order to use a lot of clients/requests\n");
    }
    if (commandArgs.length > 0 && config.tests !== null) p.err('WARNING: Option -t is ignored.\n');

    if (config.idlemode) {
      p.out(`Creating ${config.numclients} idle connections and waiting forever (Ctrl+C when done)\n`);
      const pool = new ClientPool(os, config, this.state, p);
      pool.afterEvent = () => this.progress.afterEvent();
      const first = pool.createClient('', null);
      if (first) pool.createMissingClients(first);
      this.progress.loopStarted();
      return; // until Ctrl-C
    }
    if (config.csv) p.out(CSV_HEADER);

    if (commandArgs.length > 0) {
      const title = commandArgs.join(' ');
      const args = [...commandArgs];
      if (config.stdinarg) args.push(await this.readStdin());
      const request = encodeCommand(args);
      do {
        config.datasize = request.length;
        if (!(await this.benchmark(title, request, settings))) return;
      } while (config.loop);
      p.exit(0);
      return;
    }

    const payload = new PayloadGenerator();
    do {
      const data = payload.next(config.datasize);
      for (const test of defaultSuite(config.tests, data, config.randomkeys)) {
        if (!(await this.benchmark(test.title, test.request, settings))) return;
      }
      if (!config.csv) p.out('\n');
    } while (config.loop);
    p.exit(0);
  }

  /** readArgFromStdin: all of standard input, as one argument. */
  private async readStdin(): Promise<string> {
    let all = '';
    for (let chunk = await this.ctx.io.readChunk(); chunk !== null; chunk = await this.ctx.io.readChunk()) all += chunk;
    return all;
  }

  /** One test; false when the program ended during it. */
  private async benchmark(title: string, request: string, settings: ServerSettings | null): Promise<boolean> {
    const { os } = this.ctx;
    const config = this.config;
    const s = this.state;
    s.title = title;
    s.requestsIssued = 0;
    s.requestsFinished = 0;
    s.previousRequestsFinished = 0;
    s.lastPrintedBytes = 0;
    if (config.precision < 1) {
      // hdr_init rejects 0 significant figures and the real tool then dereferences the
      // missing histogram in its first progress line.
      this.printer.exit(SEGFAULT_EXIT);
      return false;
    }
    s.histogram = newLatencyHistogram(config.precision);
    s.recentHistogram = newLatencyHistogram(config.precision);
    const pool = new ClientPool(os, config, s, this.printer);
    pool.afterEvent = () => this.progress.afterEvent();
    const first = pool.createClient(request, null);
    if (!first) return false;
    pool.createMissingClients(first);
    if (pool.hasFailed) return false;
    s.startMs = Math.floor(os.now());
    const stopped = pool.stoppedPromise();
    this.progress.loopStarted();
    await stopped;
    this.progress.loopStopped();
    if (this.exited) return false;
    const totalMs = Math.floor(os.now()) - s.startMs;
    this.printer.out(latencyReport(config, {
      title, requestsFinished: s.requestsFinished, totalMs, histogram: s.histogram,
      serverConfig: settings, lastPrintedBytes: s.lastPrintedBytes,
    }));
    pool.freeAll();
    return true;
  }
}

export async function redisBenchmarkMain(ctx: ProgramContext): Promise<void> {
  const config = defaultConfig();
  const parsed = parseOptions(ctx.argv, config);
  if (parsed.kind === 'exit') {
    if (parsed.stderr) ctx.os.stderr(parsed.stderr);
    if (parsed.stdout) ctx.os.stdout(parsed.stdout);
    ctx.os.exit(parsed.code);
    return;
  }
  const b = new Benchmarker(ctx, config);
  for (const w of parsed.warnings) b.printer.err(w);
  await b.run(parsed.commandArgs);
}
