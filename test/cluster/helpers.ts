/** Helpers for multi-node cluster tests on the native host (our servers, real redis-cli). */
import { spawn } from 'node:child_process';
import { startOurRedis, type OurRedis } from '../support/our-server';
import { REAL_REDIS_CLI } from '../support/real-redis';
import type { RawClient } from '../support/raw-client';

export interface Node { srv: OurRedis; cli: RawClient; port: number }

export async function startClusterNodes(n: number, nodeTimeoutMs: number, extra: string[] = []): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) {
    const srv = await startOurRedis(['--cluster-enabled', 'yes', '--cluster-node-timeout', String(nodeTimeoutMs), ...extra]);
    nodes.push({ srv, cli: await srv.client(), port: srv.port });
  }
  return nodes;
}

export async function stopNodes(nodes: Node[]): Promise<void> {
  for (const n of nodes) {
    n.cli.close();
    await n.srv.stop();
  }
}

/** The text of a bulk/verbatim reply (CLUSTER INFO, CLUSTER NODES). */
export function bulkText(reply: string): string {
  const nl = reply.indexOf('\r\n');
  return reply.slice(nl + 2, reply.length - 2);
}

export async function clusterInfo(cli: RawClient): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of bulkText(await cli.call('CLUSTER', 'INFO')).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export interface NodeLine { id: string; addr: string; flags: string[]; master: string; epoch: number; link: string; slots: string[] }

export async function clusterNodes(cli: RawClient): Promise<NodeLine[]> {
  return bulkText(await cli.call('CLUSTER', 'NODES')).split('\n').filter(Boolean).map((l) => {
    const f = l.split(' ');
    return { id: f[0], addr: f[1], flags: f[2].split(','), master: f[3], epoch: Number(f[6]), link: f[7], slots: f.slice(8) };
  });
}

export async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function myId(cli: RawClient): Promise<string> {
  return bulkText(await cli.call('CLUSTER', 'MYID'));
}

/** Run the real redis-cli with arguments and optional stdin; resolves with its output. */
export function runRealCli(args: string[], stdin = '', timeoutMs = 60000, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(REAL_REDIS_CLI!, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`redis-cli ${args.join(' ')} timed out:\n${stdout}\n${stderr}`)); }, timeoutMs);
    p.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, stdout, stderr }); });
    p.stdin.on('error', () => undefined);
    p.stdin.end(stdin);
  });
}

/** Strip the ANSI colours redis-cli --cluster prints. */
export function stripColors(s: string): string {
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/** A key hashing to `slot` (by hash tag search over short tags). */
export function keyForSlot(slot: number, keyslot: (k: string) => number, prefix = 'k'): string {
  for (let i = 0; ; i++) {
    const k = `${prefix}${i}`;
    if (keyslot(k) === slot) return k;
  }
}

/** Start our server on a given port and directory (a restart after a kill). */
export async function startOurRedisAt(port: number, dir: string, args: string[]): Promise<{ server: import('../../src/engine/server/server').RedisServer; log: string[]; stop(): void }> {
  const { NativeOs } = await import('../../src/native/os');
  const { redisServerMain } = await import('../../src/engine/programs/redis-server');
  const log: string[] = [];
  let exited = false;
  const nos = new NativeOs({ cwd: dir, syntheticPid: true, onExit: () => { exited = true; }, stdout: (t) => log.push(t), stderr: (t) => log.push(t) });
  const proc = await redisServerMain(nos, ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args]);
  if (!proc) throw new Error(`our server did not start:\n${log.join('')}`);
  return { server: proc.server, log, stop: () => { if (!exited) proc.server.terminate(0); } };
}

/**
 * Our `redis-cli --cluster ...` in-process: redis-cli's own option parser, then the cluster
 * manager entry point, on a NativeOs with captured stdout/stderr and the given stdin.
 */
export async function runOurClusterCli(args: string[], stdin = '', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { NativeOs } = await import('../../src/native/os');
  const { RedisCli, CliExit } = await import('../../src/engine/tools/redis-cli/cli');
  const { defaultConfig } = await import('../../src/engine/tools/redis-cli/config');
  const { parseOptions } = await import('../../src/engine/tools/redis-cli/options');
  const { clusterManagerMain } = await import('../../src/engine/tools/redis-cli-cluster');
  const { validateClusterManagerCommand } = await import('../../src/engine/tools/redis-cli/cluster-manager');
  let stdout = '', stderr = '';
  const os = new NativeOs({ syntheticPid: true, processName: 'redis-cli', onExit: () => undefined, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  let fed = false;
  const ctx = {
    os, argv: ['redis-cli', ...args], env,
    io: { isTty: false, readChunk: async () => { if (fed || stdin === '') return null; fed = true; return stdin; } },
  };
  const cli = new RedisCli(ctx, defaultConfig(false));
  let code: number;
  try {
    await parseOptions(cli, ctx.argv);
    // What redis-cli's main does before handing over: the name and arity check.
    const cm = cli.config.clusterManagerCommand;
    const def = validateClusterManagerCommand({ stdout: (t) => cli.out(t), stderr: (t) => cli.err(t) }, cm.name!, cm.argv.length);
    code = def ? ((await clusterManagerMain(cli)) ? 0 : 1) : 1;
  } catch (e) {
    if (e instanceof CliExit) code = e.code;
    else throw e;
  }
  return { code, stdout, stderr };
}

/** Normalize a --cluster transcript: IDs → N1.., ports → P1.., dots, node blocks sorted. */
export function normalizeTranscript(text: string, ports: number[], ids: string[]): string {
  let s = stripColors(text);
  ids.forEach((id, i) => { s = s.split(id).join(`<ID${i}>`).split(`(${id.slice(0, 8)}...)`).join(`(<ID${i}>...)`); });
  ports.forEach((p, i) => { s = s.split(`:${p}`).join(`:<P${i}>`); });
  s = s.replace(/Waiting for the cluster to join\n\.*\n/g, 'Waiting for the cluster to join\n<dots>\n');
  // The anti-affinity pass shuffles replicas with rand(): which master each replica gets varies.
  s = s.replace(/replicates <ID\d+>/g, 'replicates <a master>');
  // Sort the node blocks ("M: ..." / "S: ..." and their indented lines) inside each section.
  const lines = s.split('\n');
  const out: string[] = [];
  let block: string[][] = [];
  const flush = () => { out.push(...block.map((b) => b.join('\n')).sort()); block = []; };
  for (const l of lines) {
    if (/^[MS]: /.test(l) || / -> \d+ keys \| \d+ slots \| \d+ slaves\.$/.test(l)) block.push([l]);
    else if (/^ {3}/.test(l) && block.length) block[block.length - 1].push(l);
    else { flush(); out.push(l); }
  }
  flush();
  return out.join('\n');
}

