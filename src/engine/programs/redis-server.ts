/**
 * The `redis-server` program: argument and config-file handling, start-up logging, binding,
 * and the process lifecycle, on any Os, following main() and initServer() in server.c:
 *
 * 1. `-v`/`--version` and `-h`/`--help` (only as the first argument) print and exit.
 * 2. The config file (first argument not starting with '-'), stdin (`-` as first or last
 *    argument) and the `--name value` options are loaded as one text; an error prints the
 *    FATAL CONFIG FILE ERROR block on stderr and exits 1. Log lines up to here carry role 'C'.
 * 3. "Redis is starting" lines, then the listeners (each failure logged, then "Failed
 *    listening on port N (TCP), aborting." and exit 1), the pid file, the logo or the
 *    "Running mode" line, "Server initialized", loading the dataset, "Ready to accept
 *    connections".
 * 4. SIGTERM/SIGINT schedule a shutdown that the next cron tick performs.
 */
import { CRASH_SIGNALS, crashBySignal } from '../server/bug-report';
import { loadUsersAtStartup } from '../commands/acl';
import type { Os } from '../os';
import type { ProgramContext, ProgramIo } from './program';
import { Config } from '../config/config';
import { argvToConfig, globMatch, loadConfigText, type LoadResult } from '../config/conf-file';
import { RedisServer, REDIS_VERSION } from '../server/server';
import { ALL_COMMAND_FAMILIES } from '../commands';
import { bytesToStr, strToBytes } from '../bytes';
import { activeExpireCycle, activeExpireQuiet } from '../keyspace/active-expire';
import { expireReplicaKeys, replicaExpireQuiet } from '../keyspace/replica-expire';
import { attachPersistence } from '../persistence';
import { attachReplication } from '../replication';
import { trackInstantaneousMetrics } from '../server/instantaneous';
import { registerCoreConfigHooks } from '../config/apply';
import { strerror } from '../config/rewrite';
import { formatLogTime } from '../server/log';
import { MALLOC_NAME, REDIS_BUILD_ID } from './build-info';
import type { ReplicaOf } from '../config/params';
import { registerForInspection } from '../inspect';
import { attachSentinel, sentinelCommandFamilies, sentinelIsRunning } from '../sentinel';
import { SENTINEL_COMMAND_NAMES } from '../sentinel/command-table';
import { CommandTable } from '../commands/table';
import { SENTINEL_PORT } from '../sentinel/state';
import { startCluster, verifyClusterConfigWithData } from '../cluster';
import { readLinuxSettings, startupWarnings, tcpBacklogWarning } from '../server/linux-checks';
import { syscheck } from '../server/syscheck';
import { allocatorFigures, memoryOverhead } from '../server/memory-stats';
import { FOPEN_CREATE_MODE } from '../util/create-modes';
import { startServerThreads } from '../server/threads';
import { setOomScoreAdj } from '../server/oom-score-adj';
import { setServerProcTitle } from '../server/proc-title';

export interface ServerProcess {
  server: RedisServer;
  /** Parsed directives other subsystems consume (sentinel lines, ACL users, modules). */
  config: LoadResult;
}

const USAGE = `Usage: ./redis-server [/path/to/redis.conf] [options] [-]
       ./redis-server - (read config from stdin)
       ./redis-server -v or --version
       ./redis-server -h or --help
       ./redis-server --test-memory <megabytes>
       ./redis-server --check-system

Examples:
       ./redis-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./redis-server -
       ./redis-server /etc/redis/6379.conf
       ./redis-server --port 7777
       ./redis-server --port 7777 --replicaof 127.0.0.1 8888
       ./redis-server /etc/myredis.conf --loglevel verbose -
       ./redis-server /etc/myredis.conf --loglevel verbose

Sentinel mode:
       ./redis-server /etc/sentinel.conf --sentinel
`;

export const VERSION_LINE = `Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=${MALLOC_NAME} bits=64 build=${REDIS_BUILD_ID}\n`;

/** Build a server with every subsystem wired in (used by main and by tests). */
export function createServer(os: Os, opts: { sentinel?: boolean; config?: Config } = {}): RedisServer {
  const server = new RedisServer(os, opts.sentinel ? sentinelCommandFamilies() : ALL_COMMAND_FAMILIES, opts);
  registerForInspection(os, server);
  // databasesCron: a master runs the active expire cycle; a replica expires only the keys its
  // own clients gave a TTL (its master sends DELs for the rest).
  server.hooks.cron.push({
    run: () => {
      if (!server.activeExpireEnabled) return;
      if (!server.iAmMaster()) expireReplicaKeys(server);
      else activeExpireCycle(server, server.config.get<number>('active-expire-effort'));
    },
    quietUntil: (tick) => {
      const quiet = !server.activeExpireEnabled || (server.iAmMaster() ? activeExpireQuiet(server) : replicaExpireQuiet(server));
      return quiet ? Infinity : tick.atMs;
    },
  });
  server.hooks.cron.push({ run: () => trackInstantaneousMetrics(server), quietUntil: () => Infinity });
  // cronUpdateMemoryStats (every 100 ms in Redis, every tick here): the peak, and the process's
  // resident size for a host that cannot see it (the simulation's ps and free).
  if (os.reportMemory) {
    const report = os.reportMemory.bind(os);
    server.hooks.cron.push({ run: () => report(allocatorFigures(memoryOverhead(server).total).rss), quietUntil: () => Infinity });
  }
  registerCoreConfigHooks(server);
  // Like setConfigReplicaOfOption, a `replicaof` line makes this server a replica right away;
  // from then on CONFIG GET replicaof and CONFIG REWRITE show the master it follows now.
  const replicaof = server.config.get<ReplicaOf | null>('replicaof');
  if (replicaof) {
    server.masterHost = replicaof.host;
    server.masterPort = replicaof.port;
    server.replState = 'connect';
  }
  server.config.bindReader('replicaof', () => (server.masterHost !== null ? { host: server.masterHost, port: server.masterPort } : null));
  if (!opts.sentinel) attachPersistence(server);
  if (!opts.sentinel) attachReplication(server);
  return server;
}

/** A log line before the server exists (role 'C' like Redis before initServer; 'X' in Sentinel mode). */
function earlyLog(os: Os, mark: '#' | '*', msg: string, role = 'C'): void {
  os.stdout(`${os.pid}:${role} ${formatLogTime(os, os.now())} ${mark} ${msg}\n`);
}

/** The absolute form of a path (getAbsolutePath). */
function absolute(os: Os, p: string): string {
  return os.fs.resolve(p);
}

/** Whether argv selects Sentinel mode (checkForSentinelMode). */
export function isSentinelInvocation(argv: string[]): boolean {
  const exe = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  return exe.includes('redis-sentinel') || argv.slice(1).some((a) => a === '--sentinel');
}

/**
 * `argv[0]` is the program name (redis-server or redis-sentinel). Resolves once the server
 * is listening, or with null when the process exited (version, help, fatal errors).
 */
export async function redisServerMain(os: Os, argv: string[], io?: ProgramIo): Promise<ServerProcess | null> {
  const args = argv.slice(1);
  if (args[0] === '-v' || args[0] === '--version') {
    os.stdout(VERSION_LINE);
    os.exit(0);
    return null;
  }
  if (args[0] === '--help' || args[0] === '-h') {
    os.stderr(USAGE);
    os.exit(1);
    return null;
  }
  if (args[0] === '--test-memory') {
    if (args.length !== 2) {
      os.stderr('Please specify the amount of memory to test in megabytes.\nExample: ./redis-server --test-memory 4096\n\n');
      os.exit(1);
      return null;
    }
    // There is no physical memory to test under the engine.
    os.exit(0);
    return null;
  }
  if (args[0] === '--check-system') {
    os.exit(await syscheck(os));
    return null;
  }

  const sentinel = isSentinelInvocation(argv);
  // main() makes argv[0] absolute before the config's `dir` changes the working directory.
  const executable = absolute(os, argv[0]);
  const roleChar = sentinel ? 'X' : 'C';
  const config = new Config();
  if (sentinel) {
    // initSentinelConfig(): Sentinel's own defaults, before the file is read.
    config.setRaw('port', SENTINEL_PORT);
    config.setRaw('protected-mode', false);
  }
  config.env = {
    cwd: () => os.fs.cwd(),
    chdir: (p) => { try { os.fs.chdir(p); return null; } catch (e) { return strerror(e); } },
  };
  let result: LoadResult = { fatal: null, fatalLog: null, sentinelLines: [], renames: [], users: [], modules: [] };
  if (args.length > 0) {
    const { configFile, options, fromStdin } = argvToConfig(args);
    let text = '';
    if (configFile !== null) {
      config.configFile = absolute(os, configFile);
      try {
        text = bytesToStr(await os.fs.readFile(configFile));
      } catch (e) {
        earlyLog(os, '#', `Fatal error, can't open config file '${configFile}': ${strerror(e)}`, roleChar);
        os.exit(1);
        return null;
      }
    }
    if (fromStdin) {
      earlyLog(os, '#', 'Reading config from stdin', roleChar);
      if (io) for (let chunk = await io.readChunk(); chunk !== null; chunk = await io.readChunk()) text += chunk;
    }
    text += '\n' + options;
    const commands = new Set(sentinel ? [...SENTINEL_COMMAND_NAMES, 'sentinel'] : ALL_COMMAND_FAMILIES.flat().map((c) => c.name));
    let aclTable: CommandTable | undefined;
    result = await loadConfigText(config, text, {
      sentinel,
      commands,
      readFile: async (p) => { try { return bytesToStr(await os.fs.readFile(p)); } catch (e) { return { error: strerror(e) }; } },
      glob: async (pattern) => {
        const slash = pattern.lastIndexOf('/');
        const dir = slash >= 0 ? pattern.slice(0, slash) || '/' : '.';
        try { return globMatch(os.fs.readdirSync(dir), slash >= 0 ? dir : '', pattern.slice(slash + 1)).map((p) => (slash >= 0 ? p : p.slice(1))); } catch { return []; }
      },
      // ACLAppendUserForLoading checks `user` lines against the full table (built once, lazily).
      aclCommands: () => (aclTable ??= new CommandTable(ALL_COMMAND_FAMILIES)).all(),
      warn: (msg) => earlyLog(os, '#', msg, roleChar),
      checkLogfile: (p) => {
        try { os.fs.open(p, 'append', { createMode: FOPEN_CREATE_MODE }).close(); return null; } catch (e) { return strerror(e); }
      },
    });
    if (result.fatalLog) {
      earlyLog(os, '#', result.fatalLog, roleChar);
      os.exit(1);
      return null;
    }
    if (result.fatal) {
      os.stderr(result.fatal);
      os.exit(1);
      return null;
    }
  }

  // `daemonize yes` detaches before anything is logged, as in main(): the shell gets its prompt
  // back and a logfile-less daemon logs to /dev/null. No supervisor (upstart, systemd) exists
  // on either host, so `supervised` never keeps the process in the foreground.
  const background = config.get<boolean>('daemonize');
  const detached = background && os.daemonize !== undefined;
  if (detached) os.daemonize!();
  const server = createServer(os, { sentinel, config });
  for (const [from, to] of result.renames) server.table.rename(from, to);
  server.executable = executable;
  server.execArgv0 = argv[0];
  server.configFileAbs = config.configFile;
  const log = server.log;
  if (sentinel) {
    // loadSentinelConfigFromQueue() and sentinelCheckConfigFile().
    const attached = attachSentinel(server, result.sentinelLines);
    if ('fatal' in attached) {
      os.stderr(attached.fatal);
      os.exit(1);
      return null;
    }
    if (!config.configFile) {
      log.warning('Sentinel needs config file on disk to save state. Exiting...');
      os.exit(1);
      return null;
    }
  }
  log.withRole(roleChar, 'warning', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.withRole(roleChar, 'warning', `Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${os.pid}, just started`);
  if (args.length === 0) {
    log.withRole(roleChar, 'warning', `Warning: no config file specified, using the default config. In order to specify a config file use ${argv[0]} /path/to/redis.conf`);
  } else {
    log.withRole(roleChar, 'warning', 'Configuration loaded');
  }
  if (background && !detached) log.withRole('C', 'warning', 'WARNING: daemonize yes is not supported on this host: Redis keeps running in the foreground.');
  if (config.get<number>('tls-port') || config.get<boolean>('tls-replication') || config.get<boolean>('tls-cluster')) {
    // TLS is not modelled: like a server whose TLS configuration can't be loaded.
    if (config.get<string>('tls-cert-file') === '') log.warning('No tls-cert-file configured!');
    log.warning('Failed to configure TLS. Check logs for more info.');
    os.exit(1);
    return null;
  }
  log.notice('monotonic clock: POSIX clock_gettime');
  const port = config.get<number>('port');
  // Connections wait in the backlog until the data is loaded (main() runs before aeMain).
  server.holdClientsUntilStarted();
  const err = await server.listen();
  if (err) {
    log.warning(`Failed listening on port ${port} (TCP), aborting.`);
    os.exit(1);
    return null;
  }
  const unixErr = await server.listenUnix();
  if (unixErr) {
    log.warning(unixErr);
    os.exit(1);
    return null;
  }
  if (!server.listening && config.get<string>('unixsocket') === '') {
    log.warning('Configured to not listen anywhere, exiting.');
    os.exit(1);
    return null;
  }
  if (config.get<boolean>('cluster-enabled') && !sentinel && !(await startCluster(server))) {
    os.exit(1);
    return null;
  }
  // createPidFile: a daemon without a pidfile writes the default one.
  let pidfile = config.get<string>('pidfile');
  if (detached && !pidfile) { pidfile = '/var/run/redis.pid'; config.setRaw('pidfile', pidfile); }
  if (pidfile) {
    try {
      os.fs.writeFile(pidfile, strToBytes(`${os.pid}\n`), { createMode: FOPEN_CREATE_MODE });
    } catch (e) {
      log.warning(`Failed to write PID file: ${strerror(e)}`);
    }
  }
  if (config.get<boolean>('set-proc-title')) setServerProcTitle(server);
  const mode = config.get<boolean>('cluster-enabled') ? 'cluster' : sentinel ? 'sentinel' : 'standalone';
  const showLogo = (!config.get<boolean>('syslog-enabled') && config.get<string>('logfile') === '' && !detached && !!io?.isTty)
    || config.get<boolean>('always-show-logo');
  if (showLogo) log.rawLevel('notice', asciiLogo(port || config.get<number>('tls-port'), os.pid, mode));
  else log.notice(`Running mode=${mode}, port=${port || config.get<number>('tls-port')}.`);
  const linux = readLinuxSettings(os);
  server.systemMemoryBytes = await linux.memTotalBytes;
  const backlogWarning = tcpBacklogWarning(await linux.somaxconn, config.get<number>('tcp-backlog'));
  if (backlogWarning) log.warning(backlogWarning);
  if (!sentinel) log.warning('Server initialized');
  if (!sentinel) {
    const settings = { overcommit: await linux.overcommit, thp: await linux.thp, clocksource: await linux.clocksource };
    for (const warning of startupWarnings(settings, config.get<boolean>('disable-thp'))) log.warning(warning);
  }
  // ACLLoadUsersAtStartup: after the memory warnings, before the dataset (or sentinelIsRunning).
  if (!(await loadUsersAtStartup(server, result.users))) {
    server.terminate(1);
    return null;
  }
  // InitServerLast: the bio, I/O and jemalloc threads.
  startServerThreads(server);
  if (sentinel) await sentinelIsRunning(server);
  server.startCron();
  // initServer: SIGHUP and SIGPIPE ignored, SIGTERM and SIGINT ask for a shutdown.
  os.ignoreSignals?.(['SIGHUP', 'SIGPIPE']);
  os.onSignal((sig) => server.signal(sig), ['SIGTERM', 'SIGINT']);
  // setupSigSegvHandlers: a fatal signal writes the crash report first, while crash-log-enabled.
  os.onSignal((sig) => {
    if (server.config.get<boolean>('crash-log-enabled')) crashBySignal(server, sig, null);
    else server.die(sig);
  }, CRASH_SIGNALS);
  if (!sentinel) {
    await server.loadDataFromDisk();
    if (server.exiting) return null;
    if (!verifyClusterConfigWithData(server)) {
      log.warning("You can't have keys in a DB different than DB 0 when in Cluster mode. Exiting.");
      os.exit(1);
      return null;
    }
    if (server.listening) log.notice('Ready to accept connections');
    if (server.listeningUnix) log.notice(`The server is now ready to accept connections at ${config.get<string>('unixsocket')}`);
  }
  server.serveHeldClients();
  const maxmemory = config.get<number>('maxmemory');
  if (maxmemory > 0 && maxmemory < 1024 * 1024) {
    log.warning(`WARNING: You specified a maxmemory value that is less than 1MB (current value is ${maxmemory} bytes). Are you sure this is what you really want?`);
  }
  setOomScoreAdj(server, -1);
  return { server, config: result };
}

/** The program entry used by the simulated shell and the native host. */
export async function redisServerProgram(ctx: ProgramContext): Promise<void> {
  await redisServerMain(ctx.os, ctx.argv, ctx.io);
}

function asciiLogo(port: number, pid: number, mode: string): string {
  const l = [
    '                _._                                                  ',
    "           _.-``__ ''-._                                             ",
    `      _.-\`\`    \`.  \`_.  ''-._           Redis ${REDIS_VERSION} (00000000/0) 64 bit`,
    "  .-`` .-```.  ```\\/    _.,_ ''-._                                  ",
    ` (    '      ,       .-\`  | \`,    )     Running in ${mode} mode`,
    ` |\`-._\`-...-\` __...-.\`\`-._|'\` _.-'|     Port: ${port}`,
    ` |    \`-._   \`._    /     _.-'    |     PID: ${pid}`,
    "  `-._    `-._  `-./  _.-'    _.-'                                   ",
    " |`-._`-._    `-.__.-'    _.-'_.-'|                                  ",
    " |    `-._`-._        _.-'_.-'    |           https://redis.io       ",
    "  `-._    `-._`-.__.-'_.-'    _.-'                                   ",
    " |`-._`-._    `-.__.-'    _.-'_.-'|                                  ",
    " |    `-._`-._        _.-'_.-'    |                                  ",
    "  `-._    `-._`-.__.-'_.-'    _.-'                                   ",
    "      `-._    `-.__.-'    _.-'                                       ",
    "          `-._        _.-'                                           ",
    "              `-.__.-'                                               ",
    '',
    '',
  ];
  return l.join('\n');
}
