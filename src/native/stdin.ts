/** Node's standard input as a ProgramIo (byte strings, null at end of input). */
import type { ProgramIo } from '../engine/programs/program';

export function nativeStdin(): ProgramIo {
  const chunks: string[] = [];
  let ended = false;
  let waiter: (() => void) | null = null;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    process.stdin.on('data', (b: Buffer) => { chunks.push(b.toString('latin1')); waiter?.(); });
    process.stdin.on('end', () => { ended = true; waiter?.(); });
  };
  return {
    isTty: !!process.stdin.isTTY && !!process.stdout.isTTY,
    readChunk: async () => {
      start();
      while (chunks.length === 0 && !ended) await new Promise<void>((r) => { waiter = r; });
      waiter = null;
      const c = chunks.shift();
      if (c === undefined) return null;
      return c;
    },
  };
}
