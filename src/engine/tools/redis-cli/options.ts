/**
 * redis-cli's command line (parseOptions in redis-cli.c).
 *
 * Options are matched exactly and in order; an option that takes a value only counts as that
 * option when a value follows (so a trailing `-p` is "Unrecognized option or bad number of
 * args"). The first word that does not start with '-' ends the options: it is the command.
 * Numbers are read with C's forgiving atoi/strtoll/atof. `--cluster <command> [args...]`
 * collects the cluster manager command and its arguments (up to the next option).
 */
import { atof, atoi, startsNoCase, strtoll } from './cformat';
import type { RedisCli } from './cli';
import { CLUSTER_MANAGER_CMD_FLAG } from './config';
import { Output } from './format';
import { unquoteCString } from './split-args';
import { parseRedisUri } from './uri';
import { cliVersion, usageText } from './usage';

/** The Debian build links OpenSSL; --tls and rediss:// are recognised (but see cli.connect). */
const TLS_BUILD = true;

function usage(cli: RedisCli, err: boolean): never {
  if (err) cli.err(usageText());
  else cli.out(usageText());
  cli.exit(err ? 1 : 0);
}

/** createClusterManagerCommand: record the command; -x/-X read its last/tagged arg from stdin. */
async function createClusterManagerCommand(cli: RedisCli, name: string, argv: string[]): Promise<number> {
  const cmd = cli.config.clusterManagerCommand;
  cmd.name = name;
  cmd.argv = argv;
  if (cli.colorTerm) cmd.flags |= CLUSTER_MANAGER_CMD_FLAG.COLOR;
  if (cli.config.stdinLastarg) {
    cmd.stdinArg = await cli.readArgFromStdin();
    cmd.argv = [...argv, cmd.stdinArg];
  } else if (cli.config.stdinTagArg) {
    cmd.stdinArg = await cli.readArgFromStdin();
    const i = argv.indexOf(cli.config.stdinTagName!);
    if (i < 0) {
      cli.err('Using -X option but stdin tag not match.\n');
      return 1;
    }
    cmd.argv = argv.slice();
    cmd.argv[i] = cmd.stdinArg;
  }
  return 0;
}

/** Returns the index of the first non-option argument (the command). */
export async function parseOptions(cli: RedisCli, argv: string[]): Promise<number> {
  const config = cli.config;
  const cm = config.clusterManagerCommand;
  const argc = argv.length;
  let i: number;
  for (i = 1; i < argc; i++) {
    const lastarg = i === argc - 1;
    const a = argv[i];
    const hasValue = !lastarg;
    if (a === '-h' && hasValue) {
      config.hostip = argv[++i];
    } else if (a === '-h' && lastarg) {
      usage(cli, false);
    } else if (a === '--help') {
      usage(cli, false);
    } else if (a === '-x') {
      config.stdinLastarg = true;
    } else if (a === '-X' && hasValue) {
      config.stdinTagArg = true;
      config.stdinTagName = argv[++i];
    } else if (a === '-p' && hasValue) {
      config.hostport = atoi(argv[++i]);
    } else if (a === '-s' && hasValue) {
      config.hostsocket = argv[++i];
    } else if (a === '-r' && hasValue) {
      config.repeat = strtoll(argv[++i]);
    } else if (a === '-i' && hasValue) {
      const seconds = atof(argv[++i]);
      config.intervalUs = Math.trunc(seconds * 1000000);
    } else if (a === '-n' && hasValue) {
      config.inputDbnum = atoi(argv[++i]);
    } else if (a === '--no-auth-warning') {
      config.noAuthWarning = true;
    } else if (a === '--askpass') {
      config.askpass = true;
    } else if ((a === '-a' || a === '--pass') && hasValue) {
      config.auth = argv[++i];
    } else if (a === '--user' && hasValue) {
      config.user = argv[++i];
    } else if (a === '-u' && hasValue) {
      const error = parseRedisUri(argv[++i], 'redis-cli', config, TLS_BUILD);
      if (error !== null) {
        cli.err(error);
        cli.exit(1);
      }
    } else if (a === '--raw') {
      config.output = Output.Raw;
    } else if (a === '--no-raw') {
      config.output = Output.Standard;
    } else if (a === '--quoted-input') {
      config.quotedInput = true;
    } else if (a === '--csv') {
      config.output = Output.Csv;
    } else if (a === '--json') {
      if (config.resp3 === 0) config.resp3 = 2;
      config.output = Output.Json;
    } else if (a === '--quoted-json') {
      if (config.resp3 === 0) config.resp3 = 2;
      config.output = Output.QuotedJson;
    } else if (a === '--latency') {
      config.latencyMode = true;
    } else if (a === '--latency-dist') {
      config.latencyDistMode = true;
    } else if (a === '--mono') {
      config.monoPalette = true;
    } else if (a === '--latency-history') {
      config.latencyMode = true;
      config.latencyHistory = true;
    } else if (a === '--lru-test' && hasValue) {
      config.lruTestMode = true;
      config.lruTestSampleSize = strtoll(argv[++i]);
    } else if (a === '--slave' || a === '--replica') {
      config.slaveMode = true;
    } else if (a === '--stat') {
      config.statMode = true;
    } else if (a === '--scan') {
      config.scanMode = true;
    } else if (a === '--pattern' && hasValue) {
      config.pattern = argv[++i];
    } else if (a === '--quoted-pattern' && hasValue) {
      config.pattern = unquoteCString(argv[++i]);
      if (config.pattern === null) {
        cli.err('Invalid quoted string specified for --quoted-pattern.\n');
        cli.exit(1);
      }
    } else if (a === '--intrinsic-latency' && hasValue) {
      config.intrinsicLatencyMode = true;
      config.intrinsicLatencyDurationSec = atoi(argv[++i]);
    } else if (a === '--rdb' && hasValue) {
      config.getrdbMode = true;
      config.rdbFilename = argv[++i];
    } else if (a === '--functions-rdb' && hasValue) {
      config.getFunctionsRdbMode = true;
      config.rdbFilename = argv[++i];
    } else if (a === '--pipe') {
      config.pipeMode = true;
    } else if (a === '--pipe-timeout' && hasValue) {
      config.pipeTimeoutSec = atoi(argv[++i]);
    } else if (a === '--bigkeys') {
      config.bigkeys = true;
    } else if (a === '--memkeys') {
      config.memkeys = true;
      config.memkeysSamples = 0;
    } else if (a === '--memkeys-samples') {
      // Like the C code, the value is taken even when it is missing (as an empty string).
      config.memkeys = true;
      config.memkeysSamples = atoi(argv[++i] ?? '') >>> 0;
    } else if (a === '--hotkeys') {
      config.hotkeys = true;
    } else if (a === '--eval' && hasValue) {
      config.eval = argv[++i];
    } else if (a === '--ldb') {
      config.evalLdb = true;
      config.output = Output.Raw;
    } else if (a === '--ldb-sync-mode') {
      config.evalLdb = true;
      config.evalLdbSync = true;
      config.output = Output.Raw;
    } else if (a === '-c') {
      config.clusterMode = true;
    } else if (a === '-d' && hasValue) {
      config.mbDelim = argv[++i];
    } else if (a === '-D' && hasValue) {
      config.cmdDelim = argv[++i];
    } else if (a === '-e') {
      config.setErrcode = true;
    } else if (a === '--verbose') {
      config.verbose = true;
    } else if (a === '--cluster' && hasValue) {
      if (cm.name !== null) usage(cli, true);
      const name = argv[++i];
      let j = i;
      while (j < argc && !argv[j].startsWith('-')) j++;
      if (j > i) j--;
      const err = await createClusterManagerCommand(cli, name, argv.slice(i + 1, j + 1));
      if (err) cli.exit(err);
      i = j;
    } else if (a === '--cluster' && lastarg) {
      usage(cli, true);
    } else if (a === '--cluster-only-masters') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.MASTERS_ONLY;
    } else if (a === '--cluster-only-replicas') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.SLAVES_ONLY;
    } else if (a === '--cluster-replicas' && hasValue) {
      cm.replicas = atoi(argv[++i]);
    } else if (a === '--cluster-master-id' && hasValue) {
      cm.masterId = argv[++i];
    } else if (a === '--cluster-from' && hasValue) {
      cm.from = argv[++i];
    } else if (a === '--cluster-to' && hasValue) {
      cm.to = argv[++i];
    } else if (a === '--cluster-from-user' && hasValue) {
      cm.fromUser = argv[++i];
    } else if (a === '--cluster-from-pass' && hasValue) {
      cm.fromPass = argv[++i];
    } else if (a === '--cluster-from-askpass') {
      cm.fromAskpass = true;
    } else if (a === '--cluster-weight' && hasValue) {
      if (cm.weight !== null) {
        cli.err('WARNING: you cannot use --cluster-weight more than once.\n'
          + 'You can set more weights by adding them as a space-separated list, ie:\n'
          + '--cluster-weight n1=w n2=w\n');
        cli.exit(1);
      }
      const weights: string[] = [];
      for (let w = i + 1; w < argc; w++) {
        if (argv[w].startsWith('--') || !argv[w].includes('=')) break;
        weights.push(argv[w]);
      }
      if (weights.length > 0) {
        cm.weight = weights;
        i += weights.length;
      }
    } else if (a === '--cluster-slots' && hasValue) {
      cm.slots = atoi(argv[++i]);
    } else if (a === '--cluster-timeout' && hasValue) {
      cm.timeout = atoi(argv[++i]);
    } else if (a === '--cluster-pipeline' && hasValue) {
      cm.pipeline = atoi(argv[++i]);
    } else if (a === '--cluster-threshold' && hasValue) {
      cm.threshold = Math.fround(atof(argv[++i]));
    } else if (a === '--cluster-yes') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.YES;
    } else if (a === '--cluster-simulate') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.SIMULATE;
    } else if (a === '--cluster-replace') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.REPLACE;
    } else if (a === '--cluster-copy') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.COPY;
    } else if (a === '--cluster-slave') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.SLAVE;
    } else if (a === '--cluster-use-empty-masters') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.EMPTYMASTER;
    } else if (a === '--cluster-search-multiple-owners') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.CHECK_OWNERS;
    } else if (a === '--cluster-fix-with-unreachable-masters') {
      cm.flags |= CLUSTER_MANAGER_CMD_FLAG.FIX_WITH_UNREACHABLE_MASTERS;
    } else if (TLS_BUILD && a === '--tls') {
      config.tls = true;
    } else if (TLS_BUILD && a === '--sni' && hasValue) {
      config.sslconfig.sni = argv[++i];
    } else if (TLS_BUILD && a === '--cacertdir' && hasValue) {
      config.sslconfig.cacertdir = argv[++i];
    } else if (TLS_BUILD && a === '--cacert' && hasValue) {
      config.sslconfig.cacert = argv[++i];
    } else if (TLS_BUILD && a === '--cert' && hasValue) {
      config.sslconfig.cert = argv[++i];
    } else if (TLS_BUILD && a === '--key' && hasValue) {
      config.sslconfig.key = argv[++i];
    } else if (TLS_BUILD && a === '--tls-ciphers' && hasValue) {
      config.sslconfig.ciphers = argv[++i];
    } else if (TLS_BUILD && a === '--insecure') {
      config.sslconfig.skipCertVerify = true;
    } else if (TLS_BUILD && a === '--tls-ciphersuites' && hasValue) {
      config.sslconfig.ciphersuites = argv[++i];
    } else if (a === '-v' || a === '--version') {
      cli.out(`redis-cli ${cliVersion()}\n`);
      cli.exit(0);
    } else if (a === '-2') {
      config.resp2 = true;
    } else if (a === '-3') {
      config.resp3 = 1;
    } else if (a === '--show-pushes' && hasValue) {
      const value = argv[++i];
      if (startsNoCase(value, 'n')) config.pushOutput = false;
      else if (startsNoCase(value, 'y')) config.pushOutput = true;
      else cli.err(`Unknown --show-pushes value '${value}' (valid: '[y]es', '[n]o')\n`);
    } else if (cm.name !== null && !a.startsWith('-')) {
      if (cm.argv.length === 0) {
        let j = i + 1;
        while (j < argc && !argv[j].startsWith('-')) j++;
        cm.argv = argv.slice(i, j);
        if (j - i > 1) i = j - 1;
      }
    } else if (a.startsWith('-')) {
      cli.err(`Unrecognized option or bad number of args for: '${a}'\n`);
      cli.exit(1);
    } else {
      break;
    }
  }

  if (config.hostsocket !== null && config.clusterMode) {
    cli.err('Options -c and -s are mutually exclusive.\n');
    cli.exit(1);
  }
  if (config.resp2 && config.resp3 === 1) {
    cli.err('Options -2 and -3 are mutually exclusive.\n');
    cli.exit(1);
  }
  if (config.evalLdb && config.eval === null) {
    cli.err('Options --ldb and --ldb-sync-mode require --eval.\n');
    cli.err(`Try ${argv[0]} --help for more information.\n`);
    cli.exit(1);
  }
  if (!config.noAuthWarning && config.auth !== null) {
    cli.err("Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n");
  }
  if (config.getFunctionsRdbMode && config.getrdbMode) {
    cli.err('Option --functions-rdb and --rdb are mutually exclusive.\n');
    cli.exit(1);
  }
  if (config.stdinLastarg && config.stdinTagArg) {
    cli.err('Options -x and -X are mutually exclusive.\n');
    cli.exit(1);
  }
  return i;
}

/** parseEnv: REDISCLI_AUTH (unless -a was given) and REDISCLI_CLUSTER_YES. */
export function parseEnv(cli: RedisCli): void {
  const env = cli.ctx.env;
  const auth = env.REDISCLI_AUTH;
  if (auth !== undefined && cli.config.auth === null) cli.config.auth = auth;
  if (env.REDISCLI_CLUSTER_YES === '1') cli.config.clusterManagerCommand.flags |= CLUSTER_MANAGER_CMD_FLAG.YES;
}
