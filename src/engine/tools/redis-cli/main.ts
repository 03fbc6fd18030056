/**
 * redis-cli's main(): parse the options, then run exactly one of its modes in redis-cli's
 * order of precedence: --cluster, --latency, --latency-dist, --replica, --rdb, --pipe,
 * --bigkeys, --memkeys, --hotkeys, --stat, --scan, --lru-test, --intrinsic-latency; then the
 * interactive REPL when no command is given, --eval, or the single command from argv.
 */
import type { ProgramContext } from '../../programs/program';
import { CC_QUIET, CliExit, RedisCli } from './cli';
import { bytesToStr } from '../../bytes';
import { errorText } from './connection';
import { validateClusterManagerCommand } from './cluster-manager';
import { clusterManagerMain } from '../redis-cli-cluster';
import { defaultConfig } from './config';
import { outputHelp } from './help-init';
import { parseEnv, parseOptions } from './options';
import { runRepl } from './repl';
import { unquoteCString } from './split-args';
import { intrinsicLatencyMode } from './modes/intrinsic-latency';
import { findBigKeys, findHotKeys } from './modes/keys';
import { latencyDistMode, latencyMode } from './modes/latency';
import { lruTestMode } from './modes/lru-test';
import { pipeMode } from './modes/pipe';
import { getRdb, sendReplconf, slaveMode } from './modes/replica';
import { scanMode } from './modes/scan';
import { statMode } from './modes/stat';

/** askPassword: a masked prompt on a terminal, else a plain line from stdin. */
async function askPassword(cli: RedisCli, msg: string): Promise<string | null> {
  const io = cli.ctx.io;
  if (io.isTty && io.readLine) return io.readLine(msg, { mask: true });
  return cli.stdin.readLine();
}

async function connectOrExit(cli: RedisCli): Promise<void> {
  if (!(await cli.connect(0))) cli.exit(1);
}

/** noninteractive(): run the command given on the command line. */
async function noninteractive(cli: RedisCli, argv: string[]): Promise<number> {
  let args: string[];
  if (cli.config.quotedInput) {
    const unquoted = argv.map(unquoteCString);
    if (unquoted.some((a) => a === null)) {
      cli.out('Invalid quoted string\n');
      return 1;
    }
    args = unquoted as string[];
  } else {
    args = argv.slice();
  }
  if (cli.config.stdinLastarg) {
    args.push(await cli.readArgFromStdin());
  } else if (cli.config.stdinTagArg) {
    const i = args.indexOf(cli.config.stdinTagName!);
    if (i < 0) {
      cli.err('Using -X option but stdin tag not match.\n');
      return 1;
    }
    args[i] = await cli.readArgFromStdin();
  }
  return (await cli.issueCommand(args)) ? 0 : 1;
}

/** evalMode: --eval <file> [keys...] [, args...]: EVAL the file, or debug it with --ldb. */
async function evalMode(cli: RedisCli, argv: string[]): Promise<number> {
  const config = cli.config;
  let ok = true;
  for (;;) {
    if (config.evalLdb) {
      cli.out('Lua debugging session started, please use:\n'
        + 'quit    -- End the session.\n'
        + 'restart -- Restart the script in debug mode again.\n'
        + 'help    -- Show Lua script debugging commands.\n\n');
    }
    let script: string;
    try {
      script = bytesToStr(await cli.os.fs.readFile(config.eval!));
    } catch (e: any) {
      cli.err(`Can't open file '${config.eval}': ${errorText(e)}\n`);
      cli.exit(1);
    }
    if (config.evalLdb) {
      await cli.command(cli.context!, ['SCRIPT', 'DEBUG', config.evalLdbSync ? 'sync' : 'yes']);
    }
    // Arguments before a lone "," are keys, the rest are ARGV.
    const keys: string[] = [];
    const args: string[] = [];
    let gotComma = false;
    for (const a of argv) {
      if (!gotComma && a === ',') { gotComma = true; continue; }
      (gotComma ? args : keys).push(a);
    }
    const evalLdb = config.evalLdb;
    ok = await cli.issueCommand(['EVAL', script, String(keys.length), ...keys, ...args]);
    if (!evalLdb) break;
    if (!config.evalLdb) {
      // The session ended at once: the script did not compile. Show why.
      cli.out('Eval debugging session can\'t start:\n');
      await cli.readReply(false);
      break;
    }
    config.prompt = 'lua debugger> ';
    await runRepl(cli);
    await cli.connect(1 /* CC_FORCE */);
    cli.out('\n');
  }
  return ok ? 0 : 1;
}

async function main(cli: RedisCli): Promise<number> {
  const config = cli.config;
  const argvAll = cli.ctx.argv;
  const firstarg = await parseOptions(cli, argvAll);
  const argv = argvAll.slice(firstarg);
  parseEnv(cli);

  if (config.askpass) config.auth = await askPassword(cli, 'Please input password: ');
  const cm = config.clusterManagerCommand;
  if (cm.fromAskpass) cm.fromPass = await askPassword(cli, 'Please input import source node password: ');

  if (cm.name !== null) {
    const def = validateClusterManagerCommand({ stdout: (t) => cli.out(t), stderr: (t) => cli.err(t) }, cm.name, cm.argv.length);
    if (!def) cli.exit(1);
    // `help` is answered by the table itself; the rest is the cluster manager module. (A static
    // import: a dynamic one would resolve in wall-clock time, outside the simulation's control.)
    const success = def!.proc
      ? await def!.proc({ stdout: (t) => cli.out(t), stderr: (t) => cli.err(t) }, cm.argv)
      : await clusterManagerMain(cli);
    cli.exit(success ? 0 : 1);
  }

  if (config.latencyMode) { await connectOrExit(cli); await latencyMode(cli); }
  if (config.latencyDistMode) { await connectOrExit(cli); await latencyDistMode(cli); }
  if (config.slaveMode) {
    await connectOrExit(cli);
    await sendReplconf(cli, 'capa', 'eof');
    await sendReplconf(cli, 'rdb-filter-only', '');
    await slaveMode(cli);
  }
  if (config.getrdbMode || config.getFunctionsRdbMode) {
    await connectOrExit(cli);
    await sendReplconf(cli, 'capa', 'eof');
    await sendReplconf(cli, 'rdb-only', '1');
    if (config.getFunctionsRdbMode && !(await sendReplconf(cli, 'rdb-filter-only', 'functions'))) {
      cli.err('Failed requesting functions only RDB from server, aborting\n');
      cli.exit(1);
    }
    await getRdb(cli);
  }
  if (config.pipeMode) { await connectOrExit(cli); await pipeMode(cli); }
  if (config.bigkeys) { await connectOrExit(cli); await findBigKeys(cli, false, 0); }
  if (config.memkeys) { await connectOrExit(cli); await findBigKeys(cli, true, config.memkeysSamples); }
  if (config.hotkeys) { await connectOrExit(cli); await findHotKeys(cli); }
  if (config.statMode) {
    await connectOrExit(cli);
    if (config.intervalUs === 0) config.intervalUs = 1000000;
    await statMode(cli);
  }
  if (config.scanMode) { await connectOrExit(cli); await scanMode(cli); }
  if (config.lruTestMode) { await connectOrExit(cli); await lruTestMode(cli); }
  if (config.intrinsicLatencyMode) await intrinsicLatencyMode(cli);

  if (argv.length === 0 && config.eval === null) {
    cli.installSigint('interactive');
    // In the REPL a failed connection is not fatal: every command tries again.
    await cli.connect(0);
    await runRepl(cli);
    return 0;
  }
  if (config.eval !== null) {
    await connectOrExit(cli);
    return evalMode(cli, argv);
  }
  await cli.connect(CC_QUIET);
  return noninteractive(cli, argv);
}

/** The redis-cli program. Ends the process with os.exit(code). */
export async function redisCliMain(ctx: ProgramContext): Promise<void> {
  const stdoutIsTty = ctx.io.isTty || ctx.env.FAKETTY !== undefined;
  const cli = new RedisCli(ctx, defaultConfig(stdoutIsTty));
  cli.outputHelp = (args) => outputHelp(cli, args);
  cli.slaveModeRunner = () => slaveMode(cli);
  let code: number;
  try {
    code = await main(cli);
  } catch (e) {
    if (e instanceof CliExit) {
      code = e.code;
    } else {
      if (!cli.hasExited) ctx.os.stderr(`redis-cli: internal error: ${(e as Error)?.stack ?? e}\n`);
      code = 1;
    }
  }
  if (cli.hasExited) return;
  cli.freeContext();
  cli.markExited();
  ctx.os.exit(code);
}
