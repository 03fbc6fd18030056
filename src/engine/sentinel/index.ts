/**
 * Redis Sentinel inside the engine: `attachSentinel(server, lines)` turns a server started in
 * Sentinel mode (`redis-sentinel sentinel.conf`, `redis-server sentinel.conf --sentinel`) into
 * a sentinel, and `sentinelOf(server)` is its public face for the UI and tests.
 *
 * Modules (see each file's top comment):
 *   state.ts            the data model (masters, replicas, sentinels, links, flags, timers)
 *   addr.ts             addresses and name resolution
 *   links.ts            connections to instances: reconnect, AUTH, names, sharing
 *   monitor.ts          PING / INFO / hello schedule, PING replies
 *   info-parse.ts       what INFO tells (replicas, roles) and the reactions to it
 *   hello.ts            hello messages: discovery of sentinels, configuration updates
 *   down.ts             SDOWN / ODOWN and is-master-down-by-addr; instance-machine.ts the view
 *   election.ts         votes and leader election
 *   failover.ts         the failover steps; failover-machine.ts its statechart
 *   instances.ts        creating / resetting / releasing instance records
 *   config-file.ts      `sentinel` directives and persisting state into sentinel.conf
 *   timer.ts            the sentinel timer (TILT, per-instance handling, hz randomisation)
 *   scripts.ts          notification / client-reconfig scripts
 *   events.ts           +sdown, +switch-master...: log, pub/sub, scripts
 *   commands.ts         SENTINEL <subcommand>; command-table.ts the Sentinel command table
 *   replies.ts          the field lists of SENTINEL MASTER/REPLICAS/SENTINELS
 *   summary.ts          the state as plain data for observers (world.inspect, the UI)
 *   machines.ts         the statechart definitions alone, for drawing (imports no engine code)
 */
import type { RedisServer } from '../server/server';
import { SentinelState } from './state';
import { registerSentinel, sentinelStateOf } from './registry';
import { loadSentinelConfig, rewriteSentinelLines, flushConfig, primeConfigCache, type QueuedLine } from './config-file';
import { sentinelEvent, eventListeners, type EventListener } from './events';
import { sentinelQuietUntil } from './quiet';
import { sentinelTimer, nextHz, shutdownLinks } from './timer';
import { failoverMachine } from './failover-machine';
import { instanceViewMachine } from './instance-machine';
import { masterSummary, type MasterSummary } from './summary';
import { randomHex } from '../util/random';

export { sentinelCommandFamilies } from './command-table';

export type { InstanceSummary, MasterSummary, SentinelPeerSummary, SentinelSummary } from './summary';

/** The public face of a sentinel. */
export interface Sentinel {
  readonly state: SentinelState;
  /** Definitions, for drawing. */
  readonly failoverMachine: typeof failoverMachine;
  readonly instanceMachine: typeof instanceViewMachine;
  myid(): string;
  currentEpoch(): number;
  tilt(): boolean;
  /** The live state of every master, its replicas and sentinels. */
  masters(): MasterSummary[];
  /** Every event as it is emitted (+sdown, +switch-master...). Returns an unsubscribe. */
  onEvent(cb: EventListener): () => void;
}

const apis = new WeakMap<RedisServer, Sentinel>();

export function sentinelOf(server: RedisServer): Sentinel | null {
  return apis.get(server) ?? null;
}

/**
 * initSentinel() + loadSentinelConfigFromQueue(): the state, the `sentinel` directives and
 * the hooks. Returns the FATAL block for stderr when a directive is wrong.
 */
export function attachSentinel(server: RedisServer, lines: QueuedLine[]): { fatal: string } | Sentinel {
  const st = new SentinelState(server);
  registerSentinel(server, st);
  const fatal = loadSentinelConfig(st, lines);
  if (fatal) return { fatal };
  server.config.rewriters.push((sink) => rewriteSentinelLines(st, sink));
  server.hooks.cron.push({
    run: () => {
      sentinelTimer(st);
      server.hzOverride = nextHz(st);
    },
    quietUntil: (tick) => sentinelQuietUntil(st, tick),
  });
  server.hooks.shutdown.push(() => { shutdownLinks(st); return null; });
  const api: Sentinel = {
    state: st,
    failoverMachine,
    instanceMachine: instanceViewMachine,
    myid: () => st.myid,
    currentEpoch: () => st.currentEpoch,
    tilt: () => st.tilt,
    masters: () => [...st.masters.values()].map((m) => masterSummary(st, m)),
    onEvent: (cb) => {
      const set = eventListeners(st);
      set.add(cb);
      return () => set.delete(cb);
    },
  };
  apis.set(server, api);
  return api;
}

/**
 * sentinelIsRunning(): pick and persist an ID on the first start, log it, and announce every
 * configured master (+monitor). Called once the server listens.
 */
export async function sentinelIsRunning(server: RedisServer): Promise<void> {
  const st = sentinelStateOf(server)!;
  await primeConfigCache(st);
  if (st.myid === '') {
    st.myid = randomHex(server.os, 40);
    flushConfig(st);
  }
  server.log.warning(`Sentinel ID is ${st.myid}`);
  for (const ri of st.masters.values()) sentinelEvent(st, 'warning', '+monitor', ri, ` quorum ${ri.quorum}`);
}
