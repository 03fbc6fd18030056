/**
 * What the shell's network tools (nc, telnet, ssh, scp) share: the simulated resolver, a latch a
 * tool's task waits on while its socket's callbacks and its standard input run, cancellable
 * timers on the virtual clock, and a pump of standard input.
 *
 * Names resolve as everywhere in the simulation (Network.resolve): an address as itself,
 * `localhost`, and the name of any host of the world, as if every host's /etc/hosts listed
 * them all; a reverse lookup gives `localhost` for the loopback and a host's name for its
 * address.
 */
import type { CmdCtx } from '../context';
import { readChunk } from '../context';
import type { Kernel } from '../../kernel/kernel';
import type { KernelSocket } from '../../kernel/kernel-sockets';
import type { TaskGen, Wait } from '../../kernel/tasks';
import { parseIPv4 } from '../../kernel/firewall';

/** getaddrinfo: the address a name stands for, or null (`Name or service not known`). */
export function resolveHost(ctx: CmdCtx, name: string, numericOnly = false): string | null {
  if (numericOnly) return parseIPv4(name) !== null || (name.includes(':') && /^[0-9a-fA-F:.]+$/.test(name)) ? name : null;
  if (name === '') return null;
  return ctx.kernel.network.resolve(ctx.host, name);
}

/** getnameinfo without NI_NUMERICHOST: the loopback is localhost, a host's address its name. */
export function reverseName(kernel: Kernel, ip: string): string {
  if (ip.startsWith('127.') || ip === '::1') return 'localhost';
  return kernel.hostByIp(ip)?.name ?? ip;
}

/** Fired once; tasks (or callbacks) wait for its value. */
export class Latch<T> {
  private fired: { v: T } | null = null;
  private waiters: ((v: T) => void)[] = [];

  get done(): boolean { return this.fired !== null; }

  fire(v: T): void {
    if (this.fired) return;
    this.fired = { v };
    for (const w of this.waiters.splice(0)) w(v);
  }

  wait(): Wait {
    return (resume) => {
      if (this.fired) { resume(this.fired.v); return; }
      this.waiters.push(resume);
      return () => { const i = this.waiters.indexOf(resume); if (i >= 0) this.waiters.splice(i, 1); };
    };
  }
}

/** A timer on the virtual clock that can be cancelled (Kernel.at cannot). */
export function timer(kernel: Kernel, ms: number, fn: () => void): () => void {
  let live = true;
  kernel.at(kernel.now + Math.max(0, ms), () => { if (live) { live = false; fn(); } });
  return () => { live = false; };
}

/**
 * Read standard input chunk by chunk in a task of its own, handing each chunk (null at the end)
 * to `each`, which may return a wait (a delay between lines). Returns how to stop it: a pipe's
 * or terminal's pending read is withdrawn, so what comes next is left to other readers.
 */
export function pumpStdin(ctx: CmdCtx, each: (chunk: string | null) => Wait | void): () => void {
  const task = ctx.kernel.runTask(null, (function* (): TaskGen<void> {
    for (;;) {
      const chunk: string | null = yield readChunk(ctx);
      const w = each(chunk);
      if (w) yield w;
      if (chunk === null) return;
    }
  })());
  return () => task.cancel();
}

/** One round trip between the socket's host and its peer's (an RST answering a segment). */
export function roundTripMs(kernel: Kernel, s: KernelSocket): number {
  const here = s.proc.host;
  const there = s.remoteAddress.startsWith('127.') || s.remoteAddress === '::1' ? here : kernel.hostByIp(s.remoteAddress) ?? here;
  return kernel.network.link(here, there).latencyMs + kernel.network.link(there, here).latencyMs;
}

/** OpenBSD's strtonum(3): the value, or why not (`invalid`, `too small`, `too large`). */
export function strtonum(s: string, min: number, max: number): { value: number } | { error: string } {
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  if (!/^[+-]?\d+$/.test(t)) return { error: 'invalid' };
  const v = Number(t);
  if (v < min) return { error: 'too small' };
  if (v > max) return { error: 'too large' };
  return { value: v };
}
