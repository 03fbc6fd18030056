/**
 * Programs a simulated host can run, by the name typed in the shell (`redis-server`,
 * `redis-cli`...). A registry is a plain object of `ProgramMain`s. The world resolves commands
 * against it, and a worker runtime imports the same registry module inside each worker
 * (functions cannot be sent to a worker), so a registry lives in a module of its own.
 *
 * Names not in the registry answer `bash: <name>: command not found`, honestly.
 */
import type { ProgramMain } from '../engine/programs/program';
import { redisServerMain } from '../engine/programs/redis-server';
import { redisCliMain } from '../engine/programs/redis-cli';
import { redisBenchmarkMain } from '../engine/programs/redis-benchmark';
import { redisCheckAofMain } from '../engine/tools/redis-check-aof';
import { redisCheckRdbMain } from '../engine/tools/redis-check-rdb';
import { loadgenMain } from './loadgen';

export type ProgramRegistry = Readonly<Record<string, ProgramMain>>;

/** `redis-server` as a program: its main takes the Os and argv. */
export const redisServerProgram: ProgramMain = async ({ os, argv }) => {
  await redisServerMain(os, argv);
};

/**
 * The programs every lab has. `redis-sentinel` is the same program as `redis-server` (it
 * enters Sentinel mode from its name). `halab-loadgen` is the lessons' steady writer
 * (src/sim/loadgen.ts).
 */
export const STANDARD_PROGRAMS: ProgramRegistry = {
  'redis-server': redisServerProgram,
  'redis-sentinel': redisServerProgram,
  'redis-cli': redisCliMain,
  'redis-benchmark': redisBenchmarkMain,
  'redis-check-aof': redisCheckAofMain,
  'redis-check-rdb': redisCheckRdbMain,
  'halab-loadgen': loadgenMain,
};
