/**
 * Starting Redis Cluster on a server (clusterInit) and wiring it into the server's hooks.
 *
 * Entry points used by the redis-server program:
 * - `startCluster(server)` after the client listeners are open: loads or creates nodes.conf,
 *   checks the ports, listens on the bus port, and plugs the cluster into the cron, the
 *   end-of-event work, command redirection and process exit. Resolves false when the server
 *   must exit (the reason is already logged).
 * - `verifyClusterConfigWithData(server)` after the dataset is loaded.
 *
 * The replication subsystem plugs in by replacing `server.cluster.replication` (see
 * replication-hooks.ts).
 */
import type { RedisServer } from '../server/server';
import { Cluster, CLUSTER_PORT_INCR } from './cluster';
import { NODE_MASTER, NODE_MYSELF } from './node';
import { configFilePath, loadConfig, saveConfig } from './nodes-conf';
import { listenBus, closeBus, propagatePublish } from './bus';
import { clusterBeforeSleep, clusterCron } from './cron';
import { scriptClusterQuery, commandSlot, clusterRedirectGuard, redirectBlockedClientIfNeeded } from './redirect';
import { installSlotIndex } from './slot-index';
import { replicationHooks } from './replication-hooks';
import { CLUSTER_SLOTS } from './crc16';
import { setInfoField, type InfoField } from '../server/info-provider';

/** Edit a core INFO section's fields, keeping any provider another subsystem installed. */
function editInfoSection(server: RedisServer, section: string, edit: (fields: InfoField[]) => void): void {
  const prev = server.hooks.info.get(section);
  server.hooks.info.set(section, {
    title: prev?.title,
    fields: (defaults) => {
      const fields = prev ? prev.fields(defaults) : defaults;
      edit(fields);
      return fields;
    },
  });
}

/** run_with_period(ms) inside serverCron. */
function everyMs(server: RedisServer, ms: number): boolean {
  const hz = Math.max(1, Math.min(500, server.config.get<number>('hz')));
  const period = Math.floor(1000 / hz);
  return ms <= period || server.cronLoops % Math.floor(ms / period) === 0;
}

export async function startCluster(server: RedisServer): Promise<boolean> {
  const cl = new Cluster(server, replicationHooks(server), installSlotIndex(server.dbs[0]));
  cl.saveConfig = (fsync) => saveConfig(cl, fsync);
  const log = server.log;

  const loaded = await loadConfig(cl);
  if (typeof loaded === 'object') {
    log.warning(loaded.panic ? `Guru Meditation: ${loaded.fatal} #cluster.c:313` : loaded.fatal);
    return false;
  }
  if (loaded === 'missing') {
    // A new node: a random name, and the file written at once (with the ports still unset,
    // as Redis does before it derives them).
    cl.myself = cl.createNode(null, NODE_MYSELF | NODE_MASTER);
    log.notice(`No cluster configuration found, I'm ${cl.myself.name}`);
    cl.addNode(cl.myself);
    if (!saveConfig(cl, true)) {
      log.warning("Fatal: can't update cluster config file.");
      return false;
    }
  }

  const port = server.config.get<number>('port');
  const clusterPort = server.config.get<number>('cluster-port');
  if (!clusterPort && port > 65535 - CLUSTER_PORT_INCR) {
    log.warning('Redis port number too high. Cluster communication port is 10,000 port numbers higher than your Redis port. Your Redis port number must be 55535 or less.');
    return false;
  }
  if (server.config.get<string[]>('bind').length === 0) {
    log.warning('No bind address is configured, but it is required for the Cluster bus.');
    return false;
  }
  const cport = clusterPort ? clusterPort : port + CLUSTER_PORT_INCR;
  if (await listenBus(cl, cport) !== null) {
    log.warning(`Failed listening on port ${cport} (cluster), aborting.`);
    return false;
  }

  cl.updateMyselfAnnounced();
  cl.resetManualFailover();
  cl.updateMyselfFlags();
  cl.updateMyselfIp();

  // CONFIG SET of the announce options updates myself at once (config.c's updateClusterHostname,
  // updateClusterAnnouncedPort, updateClusterIp, updateClusterFlags), so CLUSTER SLOTS/NODES
  // show the new value in the very next reply, not only after the next cron.
  const applyAnnounced = () => { cl.updateMyselfAnnounced(); return null; };
  for (const name of ['cluster-announce-hostname', 'cluster-announce-port', 'cluster-announce-bus-port', 'cluster-announce-tls-port']) {
    server.config.onApply(name, applyAnnounced);
  }
  server.config.onApply('cluster-announce-ip', () => { cl.updateMyselfIp(); return null; });
  server.config.onApply('cluster-replica-no-failover', () => { cl.updateMyselfFlags(); return null; });

  server.cluster = cl;
  server.guards.clusterRedirect = (c, cmd, argv) => clusterRedirectGuard(cl, c, cmd, argv);
  server.guards.scriptClusterQuery = (c, cmd, argv) => scriptClusterQuery(cl, c, cmd, argv);
  server.guards.clusterCommandSlot = (cmd, argv) => commandSlot(cl, cmd, argv);
  // Cluster nodes gossip on most ticks: no quietUntil, every tick counts as acting.
  server.hooks.cron.push({ run: () => {
    // Redis reaches its event loop (and serverCron's clusterCron) only once the data is loaded,
    // and a long load serves events but not clusterCron. Running it earlier let a restarted
    // replica start replicating while its AOF was still being read: the full sync filled db 0
    // first and the AOF then had "duplicated keys" (Redis's cluster suite, 03-failover-loop).
    if (!server.servingClients || server.loading) return;
    if (everyMs(server, 100)) clusterCron(cl);
    if (everyMs(server, 1000)) {
      // clientsCronHandleTimeout: blocked clients whose keys moved away get redirected.
      for (const c of [...server.clients.values()]) {
        if (c.blocked && redirectBlockedClientIfNeeded(cl, c)) {
          server.unblockClient(c, false);
          server.afterUnblock(c);
        }
      }
    }
  } });
  server.hooks.beforeSleep.push(() => clusterBeforeSleep(cl));
  server.hooks.terminate.push(() => closeBus(cl));
  server.clusterConnections = () => (cl.nodes.size - 1) * 2;
  server.clusterPublish = (channel, message, sharded) => propagatePublish(cl, channel, message, sharded);
  // getClusterConnectionsCount: two links per other node. (mem_cluster_links is the memory
  // overhead's cluster.links: Cluster.statLinksMemoryBytes, as of the last cron.)
  editInfoSection(server, 'clients', (f) => setInfoField(f, 'cluster_connections', (cl.nodes.size - 1) * 2));
  return true;
}

/**
 * verifyClusterConfigWithData: keys only in db 0 (false otherwise: the server exits), and
 * keys in slots that are not ours make us claim the slot (if unassigned) or mark it as
 * importing (if another node owns it), so redis-cli --cluster fix can see the problem.
 */
export function verifyClusterConfigWithData(server: RedisServer): boolean {
  const cl = server.cluster;
  if (!cl || cl.myself.isSlave()) return true;
  for (let j = 1; j < server.dbs.length; j++) if (server.dbs[j].dict.size) return false;
  let updated = 0;
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (!cl.countKeysInSlot(j)) continue;
    if (cl.slots[j] === cl.myself || cl.importingSlotsFrom.get(j) !== null) continue;
    updated++;
    if (cl.slots[j] === null) {
      server.log.warning(`I have keys for unassigned slot ${j}. Taking responsibility for it.`);
      cl.addSlot(cl.myself, j);
    } else {
      server.log.warning(`I have keys for slot ${j}, but the slot is assigned to another node. Setting it to importing state.`);
      cl.importingSlotsFrom.set(j, cl.slots[j]);
    }
  }
  if (updated) cl.saveConfigOrDie(true);
  return true;
}

export { configFilePath };
