/**
 * `redis-cli --cluster <command>`: the entry point redis-cli's main calls.
 *
 *   import { clusterManagerMain } from '../redis-cli-cluster';
 *   ...
 *   if (cm.name !== null) {
 *     const def = validateClusterManagerCommand(...);   // arity and name, as today
 *     if (!def) cli.exit(1);
 *     cli.exit((await clusterManagerMain(cli)) ? 0 : 1);
 *   }
 *
 * It runs the command described by `cli.config.clusterManagerCommand` (name, arguments and
 * the --cluster-* options parsed by redis-cli's option parser), talking to the nodes over
 * the Os, reading confirmations from redis-cli's stdin and printing like redis-cli.c.
 * Resolves true for exit status 0.
 */
import type { RedisCli } from '../redis-cli/cli';
import { ClusterManager } from './manager';
import { ExitRequest } from './check';
import { commandCreate } from './create';
import { commandReshard, commandRebalance } from './reshard';
import { commandAddNode, commandDelNode } from './membership';
import { commandBackup, commandCall, commandCheck, commandFix, commandHelp, commandImport, commandInfo, commandSetTimeout } from './others';

type Proc = (cm: ClusterManager, argv: string[]) => Promise<boolean> | boolean;

const COMMANDS: Record<string, Proc> = {
  create: commandCreate,
  check: commandCheck,
  info: commandInfo,
  fix: commandFix,
  reshard: commandReshard,
  rebalance: commandRebalance,
  'add-node': commandAddNode,
  'del-node': commandDelNode,
  call: commandCall,
  'set-timeout': commandSetTimeout,
  import: commandImport,
  backup: commandBackup,
  help: (cm) => commandHelp(cm),
};

export async function clusterManagerMain(cli: RedisCli): Promise<boolean> {
  const cmd = cli.config.clusterManagerCommand;
  const proc = cmd.name === null ? undefined : COMMANDS[cmd.name];
  if (!proc) {
    cli.err('Unknown --cluster subcommand\n');
    return false;
  }
  const cm = new ClusterManager(cli);
  try {
    return await proc(cm, cmd.argv);
  } catch (e) {
    if (e instanceof ExitRequest) return e.code === 0;
    throw e;
  } finally {
    for (const n of cm.nodes) n.context?.close();
  }
}
