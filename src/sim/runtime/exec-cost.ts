/**
 * What starting a program costs before its main runs: execve(2), the dynamic loader (Debian's
 * Redis binaries link OpenSSL, whose initialisation is most of the user time), the allocator's
 * set-up. The runner charges it to the new process as CPU time, so its first action comes that
 * much later and `time` shows it: a shell loop of `redis-cli SET` runs at the pace a real one
 * does (a few hundred a second), not at the network's.
 *
 * Measured on Debian's 7.0.15 packages (2 vCPUs, bash's `time` over 300 runs of each, less a
 * loop of /bin/true, other work on the machine): `redis-cli --version` 1.7 ms user and
 * 1.7 ms sys; `redis-benchmark --version` 2.0 and 2.1; `redis-server --version` and
 * `redis-check-aof` (the same binary) 3.7 and 3.3. Our own lesson tool (halab-loadgen) is not a
 * Debian binary and costs nothing.
 */
interface ExecCost { userMs: number; sysMs: number }

const REDIS_SERVER_BINARY: ExecCost = { userMs: 3.7, sysMs: 3.3 };

const EXEC_COST: Readonly<Record<string, ExecCost>> = {
  'redis-server': REDIS_SERVER_BINARY,
  'redis-sentinel': REDIS_SERVER_BINARY,
  'redis-check-aof': REDIS_SERVER_BINARY,
  'redis-check-rdb': REDIS_SERVER_BINARY,
  'redis-cli': { userMs: 1.7, sysMs: 1.7 },
  'redis-benchmark': { userMs: 2.0, sysMs: 2.1 },
};

export function execCost(program: string): ExecCost | null {
  return EXEC_COST[program] ?? null;
}
