/**
 * redis-benchmark's command line (parseOptions): options first, then an optional command to
 * benchmark instead of the default suite. The first argument that is not an option starts the
 * command; an unknown argument starting with '-' (or an option missing its value) prints
 * `Invalid option "X" or option argument missing` and the usage on stdout, and exits 1.
 */
import { atoi } from '../redis-cli/cformat';
import { parseRedisUri } from '../redis-cli/uri';
import { REDIS_CLI_VERSION } from '../redis-cli/usage';
import { type BenchConfig, DEFAULT_LATENCY_PRECISION, MAX_LATENCY_PRECISION, MAX_THREADS } from './config';
import { USAGE_TEXT } from './usage';

/** Debian's build has TLS, so its TLS options are accepted (connecting then fails here). */
const TLS_BUILD = true;

export type ParseOutcome =
  | { kind: 'run'; commandArgs: string[]; warnings: string[] }
  | { kind: 'exit'; code: number; stdout: string; stderr: string };

const TLS_OPTIONS_WITH_VALUE = new Set(['--sni', '--cacertdir', '--cacert', '--cert', '--key', '--tls-ciphers', '--tls-ciphersuites']);

export function parseOptions(argv: string[], config: BenchConfig): ParseOutcome {
  // Warnings the C code prints while parsing (stderr), in order.
  const warnings: string[] = [];
  let i = 1;
  const invalid = (at: number): ParseOutcome => ({
    kind: 'exit', code: 1, stdout: `Invalid option "${argv[at]}" or option argument missing\n\n${USAGE_TEXT}`, stderr: warnings.join(''),
  });
  for (; i < argv.length; i++) {
    const a = argv[i];
    const lastarg = i === argv.length - 1;
    if (a === '-c') {
      if (lastarg) return invalid(i);
      config.numclients = atoi(argv[++i]);
    } else if (a === '-v' || a === '--version') {
      return { kind: 'exit', code: 0, stdout: `redis-benchmark ${REDIS_CLI_VERSION}\n`, stderr: warnings.join('') };
    } else if (a === '-n') {
      if (lastarg) return invalid(i);
      config.requests = atoi(argv[++i]);
    } else if (a === '-k') {
      if (lastarg) return invalid(i);
      config.keepalive = atoi(argv[++i]);
    } else if (a === '-h') {
      if (lastarg) return invalid(i);
      config.hostip = argv[++i];
    } else if (a === '-p') {
      if (lastarg) return invalid(i);
      config.hostport = atoi(argv[++i]);
    } else if (a === '-s') {
      if (lastarg) return invalid(i);
      config.hostsocket = argv[++i];
    } else if (a === '-x') {
      config.stdinarg = true;
    } else if (a === '-a') {
      if (lastarg) return invalid(i);
      config.auth = argv[++i];
    } else if (a === '--user') {
      if (lastarg) return invalid(i);
      config.user = argv[++i];
    } else if (a === '-u' && !lastarg) {
      const error = parseRedisUri(argv[++i], 'redis-benchmark', {
        get user() { return config.user; }, set user(v) { config.user = v; },
        get auth() { return config.auth; }, set auth(v) { config.auth = v; },
        get hostip() { return config.hostip; }, set hostip(v) { config.hostip = v; },
        get hostport() { return config.hostport; }, set hostport(v) { config.hostport = v; },
        get inputDbnum() { return config.dbnum; }, set inputDbnum(v) { config.dbnum = v; },
        get tls() { return config.tls; }, set tls(v) { config.tls = v; },
      }, TLS_BUILD);
      if (error !== null) return { kind: 'exit', code: 1, stdout: '', stderr: warnings.join('') + error };
      config.dbnumStr = String(config.dbnum);
    } else if (a === '-3') {
      config.resp3 = true;
    } else if (a === '-d') {
      if (lastarg) return invalid(i);
      config.datasize = Math.min(Math.max(atoi(argv[++i]), 1), 1024 * 1024 * 1024);
    } else if (a === '-P') {
      if (lastarg) return invalid(i);
      config.pipeline = atoi(argv[++i]);
      if (config.pipeline <= 0) config.pipeline = 1;
    } else if (a === '-r') {
      if (lastarg) return invalid(i);
      const next = argv[++i];
      // A value starting with '-' must be a negative number, not the next option.
      if (next.startsWith('-') && !/^[0-9]$/.test(next[1] ?? '')) return invalid(i);
      config.randomkeys = true;
      config.keyspacelen = Math.max(atoi(next), 0);
    } else if (a === '-q') {
      config.quiet = true;
    } else if (a === '--csv') {
      config.csv = true;
    } else if (a === '-l') {
      config.loop = true;
    } else if (a === '-I') {
      config.idlemode = true;
    } else if (a === '-e') {
      warnings.push('WARNING: -e option has no effect. We now immediately exit on error to avoid false results.\n');
    } else if (a === '-t') {
      if (lastarg) return invalid(i);
      config.tests = `,${argv[++i]},`.toLowerCase();
    } else if (a === '--dbnum') {
      if (lastarg) return invalid(i);
      config.dbnum = atoi(argv[++i]);
      config.dbnumStr = String(config.dbnum);
    } else if (a === '--precision') {
      if (lastarg) return invalid(i);
      config.precision = atoi(argv[++i]);
      if (config.precision < 0) config.precision = DEFAULT_LATENCY_PRECISION;
      if (config.precision > MAX_LATENCY_PRECISION) config.precision = MAX_LATENCY_PRECISION;
    } else if (a === '--threads') {
      if (lastarg) return invalid(i);
      config.threads = atoi(argv[++i]);
      if (config.threads > MAX_THREADS) {
        warnings.push(`WARNING: Too many threads, limiting threads to ${MAX_THREADS}.\n`);
        config.threads = MAX_THREADS;
      } else if (config.threads < 0) {
        config.threads = 0;
      }
    } else if (a === '--cluster') {
      config.cluster = true;
    } else if (a === '--enable-tracking') {
      config.tracking = true;
    } else if (a === '--help') {
      return { kind: 'exit', code: 0, stdout: USAGE_TEXT, stderr: warnings.join('') };
    } else if (TLS_BUILD && (a === '--tls' || a === '--insecure')) {
      if (a === '--tls') config.tls = true;
    } else if (TLS_BUILD && TLS_OPTIONS_WITH_VALUE.has(a)) {
      if (lastarg) return invalid(i);
      i++;
    } else {
      if (a.startsWith('-')) return invalid(i);
      break;
    }
  }
  return { kind: 'run', commandArgs: argv.slice(i), warnings };
}
