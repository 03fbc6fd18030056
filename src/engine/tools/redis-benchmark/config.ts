/**
 * redis-benchmark's settings (the C program's `config` struct), with the defaults main()
 * sets before parsing the command line.
 */
export interface BenchConfig {
  hostip: string;
  hostport: number;
  /** -s: a unix socket path (the Os has TCP only; see connect.ts). */
  hostsocket: string | null;
  auth: string | null;
  user: string | null;
  /** -c (atoi: may be zero or negative; one client is always created). */
  numclients: number;
  /** -n */
  requests: number;
  /** -k: printed as given in "keep alive: %d"; non-zero means keep alive. */
  keepalive: number;
  /** -d, clamped to 1..1 GiB; replaced by the request's size for a custom command. */
  datasize: number;
  /** -P, at least 1. */
  pipeline: number;
  /** -r given: __rand_int__ is replaced. */
  randomkeys: boolean;
  /** -r's value, at least 0. */
  keyspacelen: number;
  quiet: boolean;
  csv: boolean;
  /** -l */
  loop: boolean;
  /** -I */
  idlemode: boolean;
  /** --dbnum (or -u's /db): a SELECT is prefixed when non-zero. */
  dbnum: number;
  /** The decimal text of dbnum as SELECT sends it. */
  dbnumStr: string;
  /** -t as ",a,b,", lowercased; null = every test. */
  tests: string | null;
  /** -x */
  stdinarg: boolean;
  /** --precision: significant figures of the latency histograms (0..4). */
  precision: number;
  /** --threads */
  threads: number;
  /** --cluster */
  cluster: boolean;
  /** --enable-tracking */
  tracking: boolean;
  /** -3 */
  resp3: boolean;
  /** --tls or rediss:// */
  tls: boolean;
}

export const DEFAULT_LATENCY_PRECISION = 3;
export const MAX_LATENCY_PRECISION = 4;
export const MAX_THREADS = 500;

export function defaultConfig(): BenchConfig {
  return {
    hostip: '127.0.0.1', hostport: 6379, hostsocket: null, auth: null, user: null,
    numclients: 50, requests: 100000, keepalive: 1, datasize: 3, pipeline: 1,
    randomkeys: false, keyspacelen: 0, quiet: false, csv: false, loop: false, idlemode: false,
    dbnum: 0, dbnumStr: '0', tests: null, stdinarg: false, precision: DEFAULT_LATENCY_PRECISION,
    threads: 0, cluster: false, tracking: false, resp3: false, tls: false,
  };
}
