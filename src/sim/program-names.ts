/**
 * The names of the standard programs (src/sim/programs.ts), without the programs. The world
 * resolves commands by name; with a worker runtime the code lives in the workers, so the page
 * that runs the world needs only these names, not the engine they would pull into its bundle.
 * A test checks that this list and the registry agree.
 */
export const STANDARD_PROGRAM_NAMES: readonly string[] = ['redis-server', 'redis-sentinel', 'redis-cli', 'redis-benchmark', 'redis-check-aof', 'redis-check-rdb', 'halab-loadgen'];
