/**
 * redis-benchmark as a program: `redisBenchmarkMain(ctx)` (the implementation is in
 * tools/redis-benchmark).
 */
export { redisBenchmarkMain } from '../tools/redis-benchmark/main';
