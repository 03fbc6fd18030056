/**
 * A server's end-of-turn work (beforeSleep) queued before a terminate() in the same turn does not
 * run: on the native host the queue is Node's, which outlives the server, and beforeSleep would
 * write into files that are gone (a cluster node's nodes.conf after its directory was removed).
 */
import { describe, expect, it } from 'vitest';
import { Harness } from '../support/engine-harness';

describe('terminate and the queued beforeSleep', () => {
  it('runs no beforeSleep after terminate, and still runs it for a live server', () => {
    const h = new Harness();
    const queued: (() => void)[] = [];
    h.os.whenIdle = (fn: () => void) => { queued.push(fn); };
    let sleeps = 0;
    h.server.hooks.beforeSleep.push(() => { sleeps++; });

    h.server.event(() => {});
    expect(queued).toHaveLength(1);
    queued.shift()!();
    expect(sleeps).toBe(1);

    h.server.event(() => {});
    h.server.terminate(0);
    for (const fn of queued.splice(0)) fn();
    expect(sleeps).toBe(1);
  });
});
