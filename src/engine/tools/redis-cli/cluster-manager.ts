/**
 * The `--cluster <command>` side of redis-cli: the command table (names, arities, argument
 * help and options, exactly as `--cluster help` prints them) and the dispatch that
 * redis-cli's main does before anything else.
 *
 * The commands themselves (create, check, reshard, ...) are implemented by the cluster
 * manager module (`src/engine/tools/redis-cli-cluster`), which main.ts loads when needed.
 */

export interface ClusterManagerHost {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs a cluster manager command; resolves true on success (exit 0). */
export type ClusterManagerProc = (host: ClusterManagerHost, argv: string[]) => Promise<boolean> | boolean;

export interface ClusterManagerCommandDef {
  name: string;
  /** Like Redis's command arity: positive exact count, negative minimum. */
  arity: number;
  args: string | null;
  /** Comma-separated option names (printed as --cluster-<name>). */
  options: string | null;
  proc?: ClusterManagerProc;
}

const HOST_PORT_ARGS = '<host:port> or <host> <port> - separated by either colon or space';

export const CLUSTER_MANAGER_COMMANDS: ClusterManagerCommandDef[] = [
  { name: 'create', arity: -2, args: 'host1:port1 ... hostN:portN', options: 'replicas <arg>' },
  { name: 'check', arity: -1, args: HOST_PORT_ARGS, options: 'search-multiple-owners' },
  { name: 'info', arity: -1, args: HOST_PORT_ARGS, options: null },
  { name: 'fix', arity: -1, args: HOST_PORT_ARGS, options: 'search-multiple-owners,fix-with-unreachable-masters' },
  { name: 'reshard', arity: -1, args: HOST_PORT_ARGS, options: 'from <arg>,to <arg>,slots <arg>,yes,timeout <arg>,pipeline <arg>,replace' },
  { name: 'rebalance', arity: -1, args: HOST_PORT_ARGS,
    options: 'weight <node1=w1...nodeN=wN>,use-empty-masters,timeout <arg>,simulate,pipeline <arg>,threshold <arg>,replace' },
  { name: 'add-node', arity: 2, args: 'new_host:new_port existing_host:existing_port', options: 'slave,master-id <arg>' },
  { name: 'del-node', arity: 2, args: 'host:port node_id', options: null },
  { name: 'call', arity: -2, args: 'host:port command arg arg .. arg', options: 'only-masters,only-replicas' },
  { name: 'set-timeout', arity: 2, args: 'host:port milliseconds', options: null },
  { name: 'import', arity: 1, args: 'host:port', options: 'from <arg>,from-user <arg>,from-pass <arg>,from-askpass,copy,replace' },
  { name: 'backup', arity: 2, args: 'host:port backup_directory', options: null },
  { name: 'help', arity: 0, args: null, options: null, proc: (host) => { host.stdout(clusterManagerHelpText()); return false; } },
];

const CLUSTER_MANAGER_OPTIONS: [string, string][] = [
  ['--cluster-yes', 'Automatic yes to cluster commands prompts'],
];

/** clusterManagerCommandHelp's text (it then fails, so `--cluster help` exits 1). */
export function clusterManagerHelpText(): string {
  const padding = 15;
  let out = 'Cluster Manager Commands:\n';
  for (const def of CLUSTER_MANAGER_COMMANDS) {
    out += `  ${def.name}${' '.repeat(Math.max(0, padding - def.name.length))}${def.args ?? ''}\n`;
    if (def.options !== null) {
      for (const opt of def.options.split(',')) {
        if (opt === '') continue;
        out += `${' '.repeat(padding)}  --cluster-${opt}\n`;
      }
    }
  }
  out += '\nFor check, fix, reshard, del-node, set-timeout, info, rebalance, call, import, backup you '
    + 'can specify the host and port of any working node in the cluster.\n';
  out += '\nCluster Manager Options:\n';
  for (const [name, desc] of CLUSTER_MANAGER_OPTIONS) {
    out += `  ${name}${' '.repeat(Math.max(0, padding - name.length))}${desc}\n`;
  }
  return out + '\n';
}

/** validateClusterManagerCommand: the definition to run, or null after printing why not. */
export function validateClusterManagerCommand(host: ClusterManagerHost, name: string, argc: number): ClusterManagerCommandDef | null {
  let found: ClusterManagerCommandDef | null = null;
  for (const def of CLUSTER_MANAGER_COMMANDS) {
    if (def.name !== name) continue;
    if ((def.arity > 0 && argc !== def.arity) || (def.arity < 0 && argc < -def.arity)) {
      host.stderr('[ERR] Wrong number of arguments for specified --cluster sub command\n');
      return null;
    }
    found = def;
  }
  if (!found) host.stderr('Unknown --cluster subcommand\n');
  return found;
}
