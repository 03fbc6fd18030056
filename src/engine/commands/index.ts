/** Every command family of the server, in one list for the command table. */
import type { CommandSpec } from './table';
import { connectionCommands } from './connection';
import { stringCommands } from './strings';
import { keyspaceCommands } from './keyspace';
import { expireCommands } from './expire';
import { serverAdminCommands } from './server-admin';
import { persistenceCommands } from './persistence';
import { dumpCommands } from './dump';

export const ALL_COMMAND_FAMILIES: CommandSpec[][] = [
  connectionCommands,
  stringCommands,
  keyspaceCommands,
  expireCommands,
  serverAdminCommands,
  persistenceCommands,
  dumpCommands,
];
