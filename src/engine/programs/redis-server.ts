/**
 * The `redis-server` program: argument and config-file handling, start-up logging, binding,
 * and the process lifecycle, on any Os. The simulation and the native host both start servers
 * through `redisServerMain`.
 */
import type { Os } from '../os';
import { Config } from '../config/config';
import { argvToConfig, loadConfigLines, textToLines } from '../config/conf-file';
import { RedisServer, REDIS_VERSION } from '../server/server';
import { ALL_COMMAND_FAMILIES } from '../commands';
import { bytesToUtf8 } from '../bytes';
import { activeExpireCycle } from '../keyspace/active-expire';
import { attachPersistence } from '../persistence';

export interface ServerProcess {
  server: RedisServer;
}

const USAGE = `Usage: ./redis-server [/path/to/redis.conf] [options] [-]
       ./redis-server - (read config from stdin)
       ./redis-server -v or --version
       ./redis-server -h or --help
       ./redis-server --test-memory <megabytes>
       ./redis-server --check-system

Examples:
       ./redis-server (run the server with default config)
       echo 'maxmemory 128mb' | ./redis-server -
       ./redis-server /etc/redis/6379.conf
       ./redis-server --port 7777
       ./redis-server --port 7777 --replicaof 127.0.0.1 8888
       ./redis-server /etc/myredis.conf --loglevel verbose -
       ./redis-server /etc/myredis.conf --loglevel verbose

Sentinel mode:
       ./redis-server /etc/sentinel.conf --sentinel
`;

/** Build a server with every subsystem wired in (used by main and by tests). */
export function createServer(os: Os, opts: { sentinel?: boolean; config?: Config } = {}): RedisServer {
  const server = new RedisServer(os, ALL_COMMAND_FAMILIES, opts);
  server.hooks.cron.push(() => { if (server.activeExpireEnabled) activeExpireCycle(server, server.config.get<number>('active-expire-effort')); });
  if (!opts.sentinel) attachPersistence(server);
  return server;
}

/**
 * `argv[0]` is the program name (redis-server or redis-sentinel). Resolves once the server
 * is listening (or has exited because of a fatal error).
 */
export async function redisServerMain(os: Os, argv: string[]): Promise<ServerProcess | null> {
  const args = argv.slice(1);
  if (args[0] === '-v' || args[0] === '--version') {
    os.stdout(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=64 build=ha-lab\n`);
    os.exit(0);
    return null;
  }
  if (args[0] === '--help' || args[0] === '-h') {
    os.stderr(USAGE);
    os.exit(1);
    return null;
  }
  const sentinel = argv[0].endsWith('redis-sentinel') || args.some((a) => a === '--sentinel');
  const config = new Config();
  const { configFile, options } = argvToConfig(args);
  let text = '';
  if (configFile !== null) {
    try {
      text = bytesToUtf8(await os.fs.readFile(configFile));
    } catch (e: any) {
      os.stderr(`${os.pid}:C ${''}Fatal error, can't open config file '${configFile}': ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}\n`);
      os.exit(1);
      return null;
    }
    config.configFile = os.fs.resolve(configFile);
  }
  const lines = [...textToLines(text, configFile ?? ''), ...textToLines(options, '')];
  const res = await loadConfigLines(config, lines, {
    sentinel,
    readInclude: async (p) => { try { return bytesToUtf8(await os.fs.readFile(p)); } catch { return null; } },
    isCommand: () => true,
  });
  if (res.fatal) {
    os.stderr(res.fatal);
    os.exit(1);
    return null;
  }
  const server = createServer(os, { sentinel, config });
  server.configFileAbs = config.configFile;
  server.executable = argv[0];
  const log = server.log;
  log.withRole('C', 'warning', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.withRole('C', 'warning', `Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${os.pid}, just started`);
  if (args.length === 0) {
    log.withRole('C', 'warning', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf');
  } else {
    log.withRole('C', 'warning', 'Configuration loaded');
  }
  const dir = config.get<string>('dir');
  if (dir) {
    try { os.fs.chdir(dir); } catch (e: any) {
      log.warning(`Can't chdir to '${dir}': ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`);
      os.exit(1);
      return null;
    }
  }
  config.setRaw('dir', os.fs.cwd());
  log.notice('monotonic clock: POSIX clock_gettime');
  const port = config.get<number>('port');
  if (config.get<boolean>('always-show-logo')) {
    log.raw(asciiLogo(port, os.pid, sentinel ? 'sentinel' : config.get<boolean>('cluster-enabled') ? 'cluster' : 'standalone'));
  } else {
    log.notice(`Running mode=${sentinel ? 'sentinel' : config.get<boolean>('cluster-enabled') ? 'cluster' : 'standalone'}, port=${port}.`);
  }
  const err = await server.listen();
  if (err) {
    log.warning(`Warning: ${err}`);
    log.warning(`Failed listening on port ${port} (TCP), aborting.`);
    os.exit(1);
    return null;
  }
  log.warning('Server initialized');
  server.startCron();
  os.onSignal((sig) => server.event(() => server.handleSignal(sig)));
  await server.loadDataFromDisk();
  if (server.exiting) return null;
  log.notice('Ready to accept connections');
  return { server };
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
  ];
  return l.join('\n');
}
