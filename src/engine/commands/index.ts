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

export const ALL_COMMAND_FAMILIES: CommandSpec[][] = [
  connectionCommands,
  stringCommands,
  keyspaceCommands,
  expireCommands,
  serverAdminCommands,
  transactionCommands,
  pubsubCommands,
  clientCommands,
];
