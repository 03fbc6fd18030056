/**
 * Multi-connection differential scenarios (blocking commands, cross-client effects) and
 * cursor iteration helpers. A scenario is an async function written once and run against
 * real Redis and our engine at the same time; it records reply bytes in a transcript and
 * the two transcripts must be equal.
 */
import { expect } from 'vitest';
import { encodeCommand } from '../../src/engine/resp/reply-parser';
import type { RawClient } from './raw-client';
import type { Pair } from './differential';

export interface ScenarioCtx {
  /** Open one more connection to the server under test. */
  open(): Promise<RawClient>;
  /** Send a command without waiting for its reply. */
  send(c: RawClient, ...argv: string[]): void;
  /** Send a command and record its reply bytes under `label`. */
  call(c: RawClient, label: string, ...argv: string[]): Promise<string>;
  /** Wait for the next reply on `c` and record it. */
  reply(c: RawClient, label: string, timeoutMs?: number): Promise<string>;
  /** Record any value (e.g. a computed summary) in the transcript. */
  note(label: string, value: string): void;
  sleep(ms: number): Promise<void>;
  /** Wait until exactly `n` clients are blocked on keys (so the next step cannot race them). */
  blocked(n: number): Promise<void>;
  /** True for the real Redis side (only for choosing timeouts, never for expectations). */
  real: boolean;
}

export type Scenario = (t: ScenarioCtx) => Promise<void>;

async function runOne(open: () => Promise<RawClient>, real: boolean, countBlocked: () => Promise<number>, scenario: Scenario): Promise<string[]> {
  const transcript: string[] = [];
  const opened: RawClient[] = [];
  const t: ScenarioCtx = {
    real,
    open: async () => { const c = await open(); opened.push(c); return c; },
    send: (c, ...argv) => c.write(encodeCommand(argv)),
    call: async (c, label, ...argv) => {
      c.write(encodeCommand(argv));
      const r = (await c.reply()).bytes;
      transcript.push(`${label}: ${JSON.stringify(r)}`);
      return r;
    },
    reply: async (c, label, timeoutMs = 5000) => {
      const r = (await c.reply(timeoutMs)).bytes;
      transcript.push(`${label}: ${JSON.stringify(r)}`);
      return r;
    },
    note: (label, value) => { transcript.push(`${label}: ${value}`); },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    blocked: async (n) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const have = await countBlocked();
        if (have === n) return;
        if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients, have ${have}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
  try {
    await scenario(t);
  } finally {
    for (const c of opened) c.close();
  }
  return transcript;
}

/** Run `scenario` against both servers concurrently and compare the transcripts. */
export async function expectSameScenario(p: Pair, scenario: Scenario): Promise<void> {
  const probe = await p.real.client();
  try {
    const [real, ours] = await Promise.all([
      runOne(() => p.real.client(), true, async () => {
        const info = await probe.call('INFO', 'clients');
        return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1);
      }, scenario),
      runOne(() => p.ours.client(), false, async () => {
        let n = 0;
        for (const c of p.ours.server.clients.values()) if (c.blocked && c.blocked.kind === 'keys') n++;
        return n;
      }, scenario),
    ]);
    expect(ours).toEqual(real);
  } finally {
    probe.close();
  }
}

/** Parse a `[cursor, [items...]]` SCAN-family reply from raw bytes via the client parser. */
export async function scanAll(c: RawClient, argvFor: (cursor: string) => string[], maxCalls = 10000): Promise<{ items: string[]; calls: number }> {
  let cursor = '0';
  const items: string[] = [];
  let calls = 0;
  do {
    c.write(encodeCommand(argvFor(cursor)));
    const { value } = await c.reply();
    if (value.type !== 'array') throw new Error(`unexpected scan reply ${JSON.stringify(value)}`);
    const [cur, arr] = value.value;
    if (cur.type !== 'bulk' || arr.type !== 'array') throw new Error('bad scan reply shape');
    cursor = cur.value;
    for (const x of arr.value) if (x.type === 'bulk') items.push(x.value);
    calls++;
  } while (cursor !== '0' && calls < maxCalls);
  return { items, calls };
}
