/** Helpers for the replication tests on the native host (real redis-server next to ours). */
import { afterAll } from 'vitest';
import type { RawClient } from '../support/raw-client';
import type { RespValue } from '../../src/engine/resp/reply-parser';

/**
 * The servers and connections a test file opens, closed after all its tests: push a server's
 * stop function to `stops`, a connection to `clients`.
 */
export function closedAfterAll(): { stops: (() => Promise<void>)[]; clients: RawClient[] } {
  const opened = { stops: [] as (() => Promise<void>)[], clients: [] as RawClient[] };
  afterAll(async () => {
    for (const c of opened.clients) c.close();
    await Promise.all(opened.stops.map((s) => s()));
  });
  return opened;
}

/** The text of a bulk/verbatim reply. */
export function text(v: RespValue): string {
  if (v.type === 'bulk' || v.type === 'verbatim' || v.type === 'status' || v.type === 'error') return v.value;
  if (v.type === 'int') return v.value.toString();
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

export async function cmd(c: RawClient, ...argv: string[]): Promise<RespValue> {
  c.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`);
  return (await c.reply(10000)).value;
}

/** INFO <section> as ordered [name, value] pairs. */
export async function infoPairs(c: RawClient, section: string): Promise<[string, string][]> {
  const t = text(await cmd(c, 'INFO', section));
  return t.split('\r\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1)] as [string, string];
  });
}

export async function info(c: RawClient, section: string): Promise<Record<string, string>> {
  return Object.fromEntries(await infoPairs(c, section));
}

/** Poll `check` every 20 ms until it returns true (fails after `timeoutMs`). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function linkUp(c: RawClient): Promise<boolean> {
  return (await info(c, 'replication')).master_link_status === 'up';
}

/** Field names of INFO replication with the per-replica lines reduced to their kind. */
export function fieldNames(pairs: [string, string][]): string[] {
  return pairs.map(([k]) => (/^slave\d+$/.test(k) ? 'slaveN' : k));
}

/** The keys of a slaveN line (ip, port, state, offset, lag). */
export function replicaLineKeys(v: string): string[] {
  return v.split(',').map((kv) => kv.slice(0, kv.indexOf('=')));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
