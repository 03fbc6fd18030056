/**
 * The simulation's public API for the UI and the lesson runner (browser-safe: the Node worker
 * runtime lives in runtime/node-worker-runtime.ts and is imported only by Node code).
 */
export { World } from './world';
export type { WorldOptions, Input, InputRecord, Checkpoint, WallClock, ProcessInfo, HostInfo, ExecResult, InspectBetweenRounds } from './world';
export type { HostSpec } from './kernel/host';
export type { LinkParams } from './kernel/network';
export type { TraceRecord } from './kernel/trace';
export { DISK_PRESETS, MIN_LATENCY_MS } from './protocol';
export type { DiskProfile } from './protocol';
// Not STANDARD_PROGRAMS: the programs (the whole engine) belong in the workers, or in an inline
// runtime's own import (src/sim/programs.ts); the page needs only their names.
export { STANDARD_PROGRAM_NAMES } from './program-names';
export type { ProgramRegistry } from './programs';
export { InlineRuntime, borrowed } from './runtime/runtime';
export type { Runtime } from './runtime/runtime';
export type { InspectQuery, LoadgenSnapshot, ProcessSnapshot } from './runtime/inspectors';
export type { RedisQuery, ServerSummary, KeyListing, KeyState } from '../engine/inspect';
export type { SentinelSummary, MasterSummary, InstanceSummary, SentinelPeerSummary } from '../engine/sentinel/summary';
export type { WireMessage } from './kernel/network';
export { WebWorkerRuntime } from './runtime/web-worker-runtime';
