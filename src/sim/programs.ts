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
import { registerInspector } from './runtime/inspectors';
import { redisInspector } from './inspect/redis-inspector';

export type ProgramRegistry = Readonly<Record<string, ProgramMain>>;

/** `redis-server` as a program: its main takes the Os and argv. Watchers may inspect it. */
export const redisServerProgram: ProgramMain = async ({ os, argv }) => {
  const started = await redisServerMain(os, argv);
  if (started) registerInspector(os, redisInspector(started.server));
};

/**
 * The programs every lab has. Other tools (redis-cli, redis-sentinel, redis-check-aof,
 * redis-check-rdb, redis-benchmark) join this table when they exist.
 */
export const STANDARD_PROGRAMS: ProgramRegistry = {
  'redis-server': redisServerProgram,
};
