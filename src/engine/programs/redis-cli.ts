/** redis-cli as a program: `redisCliMain(ctx)` (the implementation is in tools/redis-cli). */
export { redisCliMain } from '../tools/redis-cli/main';
