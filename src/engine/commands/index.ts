/** Every command family of the server, in one list for the command table. */
import type { CommandSpec } from './table';
import { connectionCommands } from './connection';
import { stringCommands } from './strings';
import { keyspaceCommands } from './keyspace';
import { expireCommands } from './expire';
import { serverAdminCommands } from './server-admin';
import { transactionCommands } from './transactions';
import { pubsubCommands } from './pubsub';
import { clientCommands } from './client';
import { setCommands } from './sets';
import { zsetCommands } from './zsets';
import { configCommands } from './config-cmd';
import { infoCommands } from './info';
import { commandCommands } from './command';
import { debugCommands } from './debug';
import { slowlogCommands } from './slowlog';
import { latencyCommands } from './latency';
import { memoryCommands } from './memory';
import { listCommands } from './lists';
import { hashCommands } from './hashes';
import { persistenceCommands } from './persistence';
import { dumpCommands } from './dump';
import { replicationCommands } from './replication';
import { clusterCommands } from '../cluster/commands';
import { migrateCommands } from '../cluster/migrate';
import { functionCommands } from './functions';
import { scriptingCommands } from './scripting';
import { sortCommands } from './sort';
import { bitmapCommands } from './bitmaps';
import { geoCommands } from './geo';
import { hyperloglogCommands } from './hyperloglog';
import { streamCommands } from './streams';
import { aclCommands } from './acl';
import { moduleCommands } from './modules';

export const ALL_COMMAND_FAMILIES: CommandSpec[][] = [
  connectionCommands,
  stringCommands,
  keyspaceCommands,
  expireCommands,
  serverAdminCommands,
  transactionCommands,
  pubsubCommands,
  clientCommands,
  setCommands,
  zsetCommands,
  configCommands,
  infoCommands,
  commandCommands,
  debugCommands,
  slowlogCommands,
  latencyCommands,
  memoryCommands,
  listCommands,
  hashCommands,
  persistenceCommands,
  dumpCommands,
  replicationCommands,
  clusterCommands,
  migrateCommands,
  functionCommands,
  scriptingCommands,
  sortCommands,
  bitmapCommands,
  geoCommands,
  hyperloglogCommands,
  streamCommands,
  aclCommands,
  moduleCommands,
];
