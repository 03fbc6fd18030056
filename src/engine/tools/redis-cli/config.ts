/**
 * redis-cli's settings (the C `config` struct): what the options asked for plus the session
 * state that commands change (selected db, MULTI, subscribed/monitor modes, cluster redirects).
 */
import { Output } from './format';

export interface ClusterManagerCommand {
  name: string | null;
  argv: string[];
  stdinArg: string | null;
  flags: number;
  replicas: number;
  from: string | null;
  to: string | null;
  weight: string[] | null;
  masterId: string | null;
  slots: number;
  timeout: number;
  pipeline: number;
  threshold: number;
  backupDir: string | null;
  fromUser: string | null;
  fromPass: string | null;
  fromAskpass: boolean;
}

/** CLUSTER_MANAGER_CMD_FLAG_* (the cluster manager reads these). */
export const CLUSTER_MANAGER_CMD_FLAG = {
  FIX: 1 << 0, SLAVE: 1 << 1, YES: 1 << 2, AUTOWEIGHTS: 1 << 3, EMPTYMASTER: 1 << 4,
  SIMULATE: 1 << 5, REPLACE: 1 << 6, COPY: 1 << 7, COLOR: 1 << 8, CHECK_OWNERS: 1 << 9,
  FIX_WITH_UNREACHABLE_MASTERS: 1 << 10, MASTERS_ONLY: 1 << 11, SLAVES_ONLY: 1 << 12,
} as const;

export interface TlsConfig {
  sni: string | null;
  cacert: string | null;
  cacertdir: string | null;
  cert: string | null;
  key: string | null;
  ciphers: string | null;
  ciphersuites: string | null;
  skipCertVerify: boolean;
}

export interface CliConfig {
  hostip: string;
  hostport: number;
  hostsocket: string | null;
  user: string | null;
  auth: string | null;
  inputDbnum: number;
  tls: boolean;
  sslconfig: TlsConfig;
  /** Negative repeats forever. */
  repeat: bigint;
  intervalUs: number;
  dbnum: number;
  interactive: boolean;
  shutdown: boolean;
  monitorMode: boolean;
  pubsubMode: boolean;
  blockingStateAborted: boolean;
  latencyMode: boolean;
  latencyDistMode: boolean;
  latencyHistory: boolean;
  monoPalette: boolean;
  lruTestMode: boolean;
  lruTestSampleSize: bigint;
  clusterMode: boolean;
  clusterReissueCommand: boolean;
  clusterSendAsking: boolean;
  slaveMode: boolean;
  pipeMode: boolean;
  pipeTimeoutSec: number;
  getrdbMode: boolean;
  getFunctionsRdbMode: boolean;
  statMode: boolean;
  scanMode: boolean;
  intrinsicLatencyMode: boolean;
  intrinsicLatencyDurationSec: number;
  pattern: string | null;
  rdbFilename: string | null;
  bigkeys: boolean;
  memkeys: boolean;
  memkeysSamples: number;
  hotkeys: boolean;
  stdinLastarg: boolean;
  stdinTagArg: boolean;
  stdinTagName: string | null;
  askpass: boolean;
  quotedInput: boolean;
  output: Output;
  pushOutput: boolean;
  mbDelim: string;
  cmdDelim: string;
  prompt: string;
  eval: string | null;
  evalLdb: boolean;
  evalLdbSync: boolean;
  evalLdbEnd: boolean;
  enableLdbOnEval: boolean;
  /** Type of the last reply read (hiredis type name), or null before any. */
  lastCmdType: string | null;
  verbose: boolean;
  setErrcode: boolean;
  clusterManagerCommand: ClusterManagerCommand;
  noAuthWarning: boolean;
  resp2: boolean;
  /** 1: -3 given; 2: implied by --json. */
  resp3: 0 | 1 | 2;
  inMulti: boolean;
  preMultiDbnum: number;
}

export const DEFAULT_PIPE_TIMEOUT_SEC = 30;
export const CLUSTER_MANAGER_MIGRATE_TIMEOUT = 60000;
export const CLUSTER_MANAGER_MIGRATE_PIPELINE = 10;
export const CLUSTER_MANAGER_REBALANCE_THRESHOLD = 2;

export function defaultConfig(stdoutIsTty: boolean): CliConfig {
  return {
    hostip: '127.0.0.1', hostport: 6379, hostsocket: null, user: null, auth: null, inputDbnum: 0,
    tls: false,
    sslconfig: { sni: null, cacert: null, cacertdir: null, cert: null, key: null, ciphers: null, ciphersuites: null, skipCertVerify: false },
    repeat: 1n, intervalUs: 0, dbnum: 0, interactive: false, shutdown: false,
    monitorMode: false, pubsubMode: false, blockingStateAborted: false,
    latencyMode: false, latencyDistMode: false, latencyHistory: false, monoPalette: false,
    lruTestMode: false, lruTestSampleSize: 0n,
    clusterMode: false, clusterReissueCommand: false, clusterSendAsking: false,
    slaveMode: false, pipeMode: false, pipeTimeoutSec: DEFAULT_PIPE_TIMEOUT_SEC,
    getrdbMode: false, getFunctionsRdbMode: false, statMode: false, scanMode: false,
    intrinsicLatencyMode: false, intrinsicLatencyDurationSec: 0,
    pattern: null, rdbFilename: null, bigkeys: false, memkeys: false, memkeysSamples: 0, hotkeys: false,
    stdinLastarg: false, stdinTagArg: false, stdinTagName: null, askpass: false, quotedInput: false,
    output: stdoutIsTty ? Output.Standard : Output.Raw,
    pushOutput: stdoutIsTty,
    mbDelim: '\n', cmdDelim: '\n', prompt: '',
    eval: null, evalLdb: false, evalLdbSync: false, evalLdbEnd: false, enableLdbOnEval: false,
    lastCmdType: null, verbose: false, setErrcode: false,
    clusterManagerCommand: {
      name: null, argv: [], stdinArg: null, flags: 0, replicas: 0, from: null, to: null, weight: null,
      masterId: null, slots: 0, timeout: CLUSTER_MANAGER_MIGRATE_TIMEOUT, pipeline: CLUSTER_MANAGER_MIGRATE_PIPELINE,
      threshold: CLUSTER_MANAGER_REBALANCE_THRESHOLD, backupDir: null, fromUser: null, fromPass: null, fromAskpass: false,
    },
    noAuthWarning: false, resp2: false, resp3: 0, inMulti: false, preMultiDbnum: 0,
  };
}
