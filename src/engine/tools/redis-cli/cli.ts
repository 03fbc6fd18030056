/**
 * The redis-cli process: its settings, its one connection ("context" in the C code), and the
 * send/read/print cycle every mode builds on.
 *
 * The C program is a blocking, single-threaded loop that calls exit() wherever it gives up.
 * Here the loop is async (every read awaits the Os's socket events) and exit() throws
 * `CliExit`, which `redisCliMain` catches to end the process through `os.exit`. A signal
 * handler cannot throw into the loop, so it ends the process directly (`hardExit`).
 */
import type { Os } from '../../os';
import type { ProgramContext } from '../../programs/program';
import type { CliConfig } from './config';
import { atoi, eqNoCase } from './cformat';
import { CliConnection } from './connection';
import { formatInvalidateTTY, formatReply, isInvalidateReply, Output, UnknownReplyType, type RawFormatContext } from './format';
import type { HelpEntry } from './help';
import { REPLY_TYPE_NUMBER, type CliReply } from './reply';
import { StdinReader } from './stdin';

export class CliExit {
  constructor(readonly code: number) {}
}

/** cliConnect() flags. */
export const CC_FORCE = 1;
export const CC_QUIET = 2;

/** Commands whose replies redis-cli prints raw even in TTY mode (INFO, CLIENT LIST, ...). */
function wantsRawOutput(argv: string[]): boolean {
  const [cmd, sub] = argv;
  const argc = argv.length;
  const is = (a: string | undefined, b: string) => a !== undefined && eqNoCase(a, b);
  return is(cmd, 'info') || is(cmd, 'lolwut')
    || (argc >= 2 && is(cmd, 'debug') && (is(sub, 'htstats') || is(sub, 'htstats-key') || is(sub, 'client-eviction')))
    || (argc >= 2 && is(cmd, 'memory') && (is(sub, 'malloc-stats') || is(sub, 'doctor')))
    || (argc === 2 && is(cmd, 'cluster') && (is(sub, 'nodes') || is(sub, 'info')))
    || (argc >= 2 && is(cmd, 'client') && (is(sub, 'list') || is(sub, 'info')))
    || (argc === 3 && is(cmd, 'latency') && is(sub, 'graph'))
    || (argc === 2 && is(cmd, 'latency') && is(sub, 'doctor'))
    || (argc >= 2 && is(cmd, 'proxy') && is(sub, 'info'));
}

export class RedisCli {
  context: CliConnection | null = null;
  helpEntries: HelpEntry[] | null = null;
  readonly pref = { hints: true };
  /** Set by SIGINT in the long scanning modes (--bigkeys, --scan, ...). */
  forceCancelLoop = false;
  private exited = false;
  private signalsInstalled = false;
  /** What SIGINT does right now (mirrors the C program's signal() calls). */
  sigintAction: 'default' | 'interactive' | 'stop-loop' = 'default';
  readonly stdin: StdinReader;
  /** Hook for the REPL: replica mode and others need to know. */
  slaveModeRunner: (() => Promise<void>) | null = null;

  constructor(readonly ctx: ProgramContext, readonly config: CliConfig) {
    this.stdin = new StdinReader(ctx.io);
  }

  get os(): Os { return this.ctx.os; }

  /** printf to stdout (byte string). */
  out(text: string): void {
    if (!this.exited && text.length > 0) this.os.stdout(text);
  }

  /** fprintf(stderr, ...). */
  err(text: string): void {
    if (!this.exited && text.length > 0) this.os.stderr(text);
  }

  exit(code: number): never {
    throw new CliExit(code);
  }

  /** End the process from outside the main flow (signal handlers). */
  hardExit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.context?.close();
    this.os.exit(code);
  }

  markExited(): void { this.exited = true; }
  get hasExited(): boolean { return this.exited; }

  sleepMs(ms: number): Promise<void> {
    return new Promise((resolve) => this.os.setTimer(Math.max(0, ms), resolve));
  }

  /** usleep(config.interval). */
  sleepUs(us: number): Promise<void> {
    return this.sleepMs(us / 1000);
  }

  nowMs(): number { return Math.floor(this.os.now()); }
  nowUs(): number { return Math.floor(this.os.nowUs()); }

  get colorTerm(): boolean {
    const t = this.ctx.env.TERM;
    return t !== undefined && t.includes('xterm');
  }

  /** Install the SIGINT handler once; what it does depends on `sigintAction`. */
  installSigint(action: 'interactive' | 'stop-loop'): void {
    this.sigintAction = action;
    if (this.signalsInstalled) return;
    this.signalsInstalled = true;
    this.os.onSignal(() => {
      if (this.sigintAction === 'stop-loop') {
        this.forceCancelLoop = true;
      } else if (this.config.monitorMode || this.config.pubsubMode) {
        // Close the link: the blocked read fails and the REPL reconnects (sigIntHandler).
        this.config.blockingStateAborted = true;
        this.context?.close();
      } else {
        this.hardExit(1);
      }
    }, ['SIGINT']);
  }

  /* ---------- prompt ---------- */

  /** anetFormatAddr. */
  formatAddr(ip: string, port: number): string {
    return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  }

  refreshPrompt(): void {
    if (this.config.evalLdb) return;
    let p = this.config.hostsocket !== null ? `redis ${this.config.hostsocket}` : this.formatAddr(this.config.hostip, this.config.hostport);
    if (this.config.dbnum !== 0) p += `[${this.config.dbnum}]`;
    if (this.config.inMulti) p += '(TX)';
    p += '> ';
    // The C prompt buffer holds 127 chars.
    this.config.prompt = p.slice(0, 127);
  }

  /* ---------- connection ---------- */

  private rawContext(): RawFormatContext {
    return {
      mbDelim: this.config.mbDelim,
      evalLdb: this.config.evalLdb,
      colorTerm: this.colorTerm,
      onLdbEndSession: () => {
        this.config.enableLdbOnEval = false;
        this.config.evalLdb = false;
        this.config.evalLdbEnd = true;
        this.config.output = Output.Standard;
        this.refreshPrompt();
      },
    };
  }

  /** Format a reply, or exit 1 like redis-cli on a type it cannot print. */
  format(r: CliReply, mode: Output, verbatim: boolean): string {
    try {
      return formatReply(r, mode, verbatim, this.rawContext(), this.config.cmdDelim);
    } catch (e) {
      if (e instanceof UnknownReplyType) {
        this.err(`Unknown reply type: ${e.typeNumber}\n`);
        this.exit(1);
      }
      throw e;
    }
  }

  /** cliPushHandler: print a RESP3 push that arrived out of band. */
  private readonly pushPrinter = (r: CliReply): void => {
    const out = this.config.output === Output.Standard && isInvalidateReply(r)
      ? formatInvalidateTTY(r)
      : this.format(r, this.config.output, false);
    this.out(out);
  };

  private async openContext(): Promise<CliConnection> {
    const useTcp = this.config.hostsocket === null || (this.config.clusterMode && this.config.clusterReissueCommand);
    if (useTcp) return CliConnection.connect(this.os, this.config.hostip, this.config.hostport);
    return CliConnection.connectUnix(this.os, this.config.hostsocket!);
  }

  /** cliConnect. */
  async connect(flags: number): Promise<boolean> {
    if (this.context === null || flags & CC_FORCE) {
      if (this.context !== null) {
        this.context.close();
        this.context = null;
        this.config.dbnum = 0;
        this.config.inMulti = false;
        this.refreshPrompt();
      }
      const c = await this.openContext();
      if (!c.err && this.config.tls) {
        this.err('Could not negotiate a TLS connection: TLS is not supported by this redis-cli\n');
        c.close();
        return false;
      }
      if (c.err) {
        if (!(flags & CC_QUIET)) {
          const useTcp = this.config.hostsocket === null || (this.config.clusterMode && this.config.clusterReissueCommand);
          const where = useTcp ? `${this.config.hostip}:${this.config.hostport}` : this.config.hostsocket;
          this.err(`Could not connect to Redis at ${where}: ${c.err.errstr}\n`);
        }
        c.close();
        return false;
      }
      this.context = c;
      if (!(await this.auth(c, this.config.user, this.config.auth))) return false;
      if (!(await this.select())) return false;
      if (!(await this.switchProto())) return false;
    }
    if (this.config.pushOutput && this.context) this.context.pushHandler = this.pushPrinter;
    return true;
  }

  /** Send one command on `c` and wait for its reply (redisCommand). */
  async command(c: CliConnection, argv: string[]): Promise<CliReply | null> {
    c.appendCommand(argv);
    return c.getReply();
  }

  /** cliAuth. */
  async auth(c: CliConnection, user: string | null, auth: string | null): Promise<boolean> {
    if (auth === null) return true;
    const reply = await this.command(c, user === null ? ['AUTH', auth] : ['AUTH', user, auth]);
    if (!reply) { this.err('\nI/O error\n'); return false; }
    if (reply.type === 'error') {
      this.err(`AUTH failed: ${reply.str}\n`);
      return false;
    }
    return true;
  }

  /** cliSelect. */
  async select(): Promise<boolean> {
    if (this.config.inputDbnum === this.config.dbnum) return true;
    const reply = await this.command(this.context!, ['SELECT', String(this.config.inputDbnum)]);
    if (!reply) { this.err('\nI/O error\n'); return false; }
    if (reply.type === 'error') {
      this.err(`SELECT ${this.config.inputDbnum} failed: ${reply.str}\n`);
      return false;
    }
    this.config.dbnum = this.config.inputDbnum;
    this.refreshPrompt();
    return true;
  }

  /** cliSwitchProto: HELLO 3 when -3 (or --json) asked for RESP3. */
  async switchProto(): Promise<boolean> {
    if (!this.config.resp3 || this.config.resp2) return true;
    const reply = await this.command(this.context!, ['HELLO', '3']);
    if (!reply) { this.err('\nI/O error\n'); return false; }
    if (reply.type === 'error') {
      this.err(`HELLO 3 failed: ${reply.str}\n`);
      if (this.config.resp3 === 1) return false;
    }
    return true;
  }

  /** cliSendAsking (cluster ASK redirections). */
  async sendAsking(): Promise<boolean> {
    this.config.clusterSendAsking = false;
    if (this.context === null) return false;
    const reply = await this.command(this.context, ['ASKING']);
    if (!reply) { this.err('\nI/O error\n'); return false; }
    if (reply.type === 'error') {
      this.err(`ASKING failed: ${reply.str}\n`);
      return false;
    }
    return true;
  }

  printContextError(): void {
    if (this.context === null) return;
    this.err(`Error: ${this.context.err?.errstr ?? ''}\n`);
  }

  freeContext(): void {
    this.context?.close();
    this.context = null;
  }

  /* ---------- replies ---------- */

  /** cliReadReply: read one reply and print it. False on a recoverable link error. */
  async readReply(outputRawStrings: boolean): Promise<boolean> {
    const c = this.context!;
    const reply = await c.getReply();
    if (!reply) {
      if (this.config.blockingStateAborted) {
        this.config.blockingStateAborted = false;
        this.config.monitorMode = false;
        this.config.pubsubMode = false;
        return this.connect(CC_FORCE);
      }
      if (this.config.shutdown) {
        this.freeContext();
        return true;
      }
      if (this.config.interactive) {
        const e = c.err!;
        if (e.kind === 'io' && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return false;
        if (e.kind === 'eof') return false;
      }
      this.printContextError();
      this.exit(1);
    }

    this.config.lastCmdType = reply.type;
    let output = true;
    if (this.config.clusterMode && reply.type === 'error' && (reply.str.startsWith('MOVED ') || reply.str.startsWith('ASK '))) {
      output = false;
      this.followRedirect(reply.str);
    } else if (!this.config.interactive && this.config.setErrcode && reply.type === 'error') {
      this.err(`${reply.str}\n`);
      this.exit(1);
    }
    if (output) this.out(this.format(reply, this.config.output, outputRawStrings));
    return true;
  }

  /** "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381": reconnect there and reissue. */
  private followRedirect(text: string): void {
    const firstSpace = text.indexOf(' ');
    const secondSpace = text.indexOf(' ', firstSpace + 1);
    const slot = atoi(text.slice(firstSpace + 1, secondSpace < 0 ? undefined : secondSpace));
    const target = secondSpace < 0 ? '' : text.slice(secondSpace + 1);
    const colon = target.lastIndexOf(':');
    this.config.hostip = colon < 0 ? target : target.slice(0, colon);
    this.config.hostport = colon < 0 ? 0 : atoi(target.slice(colon + 1));
    if (this.config.interactive) {
      this.out(`-> Redirected to slot [${slot}] located at ${this.config.hostip}:${this.config.hostport}\n`);
    }
    this.config.clusterReissueCommand = true;
    if (text.startsWith('ASK ')) this.config.clusterSendAsking = true;
    this.refreshPrompt();
  }

  /** cliSendCommand: send argv `repeat` times (negative: forever) and print the replies. */
  async sendCommand(argv: string[], repeatIn: bigint): Promise<boolean> {
    if (this.context === null) return false;
    const command = argv[0];
    const argc = argv.length;
    const is = (name: string) => eqNoCase(command, name);
    const outputRaw = wantsRawOutput(argv);

    if (is('shutdown')) this.config.shutdown = true;
    if (is('monitor')) this.config.monitorMode = true;
    if (is('subscribe') || is('psubscribe') || is('ssubscribe')) this.config.pubsubMode = true;
    if (is('sync') || is('psync')) this.config.slaveMode = true;

    if (argc === 3 && is('script') && eqNoCase(argv[1], 'debug')) {
      this.config.enableLdbOnEval = eqNoCase(argv[2], 'yes') || eqNoCase(argv[2], 'sync');
    }
    if (is('eval') && this.config.enableLdbOnEval) {
      this.config.evalLdb = true;
      this.config.output = Output.Raw;
    }

    let repeat = repeatIn;
    while (repeat < 0n || repeat-- > 0n) {
      this.context!.appendCommand(argv);
      if (this.config.monitorMode) {
        do {
          if (!(await this.readReply(outputRaw))) {
            this.printContextError();
            this.exit(1);
          }
          if (this.config.lastCmdType === 'error') this.config.monitorMode = false;
        } while (this.config.monitorMode);
        return true;
      }

      if (this.config.pubsubMode) {
        if (this.config.output !== Output.Raw) this.out('Reading messages... (press Ctrl-C to quit)\n');
        // Pushes are the messages now: read them as replies in RESP2 and RESP3 alike.
        this.context!.pushHandler = null;
        while (this.config.pubsubMode) {
          if (!(await this.readReply(outputRaw))) {
            this.printContextError();
            this.exit(1);
          }
          if (!this.config.pubsubMode || this.config.lastCmdType === 'error') {
            if (this.config.pushOutput && this.context) this.context.pushHandler = this.pushPrinter;
            this.config.pubsubMode = false;
          }
        }
        continue;
      }

      if (this.config.slaveMode) {
        this.out('Entering replica output mode...  (press Ctrl-C to quit)\n');
        await this.slaveModeRunner?.();
        this.config.slaveMode = false;
        return false;
      }

      if (!(await this.readReply(outputRaw))) return false;
      const last = this.config.lastCmdType;
      if (is('select') && argc === 2 && last !== 'error') {
        this.config.inputDbnum = this.config.dbnum = atoi(argv[1]);
        this.refreshPrompt();
      } else if (is('auth') && (argc === 2 || argc === 3)) {
        await this.select();
      } else if (is('multi') && argc === 1 && last !== 'error') {
        this.config.inMulti = true;
        this.config.preMultiDbnum = this.config.dbnum;
        this.refreshPrompt();
      } else if (is('exec') && argc === 1 && this.config.inMulti) {
        this.config.inMulti = false;
        if (last === 'error' || last === 'nil') {
          this.config.inputDbnum = this.config.dbnum = this.config.preMultiDbnum;
        }
        this.refreshPrompt();
      } else if (is('discard') && argc === 1 && last !== 'error') {
        this.config.inMulti = false;
        this.config.inputDbnum = this.config.dbnum = this.config.preMultiDbnum;
        this.refreshPrompt();
      } else if (is('reset') && argc === 1 && last !== 'error') {
        this.config.inMulti = false;
        this.config.dbnum = 0;
        this.config.inputDbnum = 0;
        this.config.resp3 = 0;
        this.refreshPrompt();
      }
      // After a redirection the command is reissued elsewhere: no more repeats here.
      if (this.config.clusterReissueCommand) break;
      if (this.config.intervalUs) await this.sleepUs(this.config.intervalUs);
    }
    return true;
  }

  /** issueCommandRepeat: help, (re)connection, cluster redirections, then the command. */
  async issueCommandRepeat(argv: string[], repeat: bigint): Promise<boolean> {
    if (!this.config.evalLdb && (eqNoCase(argv[0], 'help') || eqNoCase(argv[0], '?'))) {
      await this.outputHelp(argv.slice(1));
      return true;
    }
    for (;;) {
      const c = this.context;
      if (this.config.clusterReissueCommand || c === null || (c.err && (c.err.kind === 'io' || c.err.kind === 'eof'))) {
        if (!(await this.connect(CC_FORCE))) {
          this.printContextError();
          this.config.clusterReissueCommand = false;
          return false;
        }
      }
      this.config.clusterReissueCommand = false;
      if (this.config.clusterSendAsking) {
        if (!(await this.sendAsking())) {
          this.printContextError();
          return false;
        }
      }
      if (!(await this.sendCommand(argv, repeat))) {
        this.printContextError();
        this.freeContext();
        return false;
      }
      if (this.config.clusterMode && this.config.clusterReissueCommand) continue;
      return true;
    }
  }

  issueCommand(argv: string[]): Promise<boolean> {
    return this.issueCommandRepeat(argv, this.config.repeat);
  }

  /** Implemented by the help module wiring in main (needs the command table). */
  outputHelp: (args: string[]) => Promise<void> = async () => undefined;

  /** readArgFromStdin: all of standard input as one argument. */
  async readArgFromStdin(): Promise<string> {
    return this.stdin.readAll();
  }

  /** The hiredis reply type number (for messages like "Invalid reply type (%d)"). */
  typeNumber(r: CliReply): number {
    return REPLY_TYPE_NUMBER[r.type];
  }
}
