import { expect } from 'vitest';
import { World, type WorldOptions } from '../../src/sim/world';
import type { HostSpec } from '../../src/sim/kernel/host';
import { programs } from './programs';

export const THREE_HOSTS: HostSpec[] = [
  { name: 'redis-1', ip: '10.0.0.11' },
  { name: 'redis-2', ip: '10.0.0.12' },
  { name: 'client', ip: '10.0.0.20' },
];

export function world(opts: Partial<WorldOptions> = {}): World {
  return new World({ seed: 42, hosts: THREE_HOSTS, programs, ...opts });
}

/** Type a line and advance; returns the new terminal output. */
export async function typeAndRun(w: World, term: number, line: string, ms = 500): Promise<string> {
  const before = w.terminal(term)!.text().length;
  w.type(term, line);
  await w.advance(ms);
  return w.terminal(term)!.text().slice(before);
}

/**
 * A terminal on `host` once its shell prompts, and a function that types a line and returns
 * its output once the shell prompts again (within 2 s of virtual time).
 */
export async function shellOn(w: World, host: string): Promise<(line: string) => Promise<string>> {
  const term = w.openTerminal(host);
  const atPrompt = () => w.terminalState(term)?.reader === 'shell';
  await w.runUntil(atPrompt, { timeoutMs: 1000 });
  return async (line) => {
    const before = w.terminal(term)!.text().length;
    w.type(term, line);
    expect(await w.runUntil(atPrompt, { timeoutMs: 2000 })).toBe(true);
    return w.terminal(term)!.text().slice(before);
  };
}

/**
 * A world with an echo-server on redis-1:7000 and a stream-client on `client` sending it a tick
 * every 100 ms (their logs: /tmp/echo.log, /tmp/stream.log), after `ms` of streaming.
 */
export async function echoStream(ms: number): Promise<{ w: World; server: number; client: number }> {
  const w = world();
  await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
  await w.advance(10);
  await w.exec('client', 'stream-client 10.0.0.11 7000 100 > /tmp/stream.log &');
  await w.advance(ms);
  const pid = (host: string, program: string) => w.processes(host).find((p) => p.argv[0] === program)!.pid;
  return { w, server: pid('redis-1', 'echo-server'), client: pid('client', 'stream-client') };
}
