/**
 * The crash report (debug.c): a fatal signal from outside (kill -ABRT), DEBUG SEGFAULT and
 * DEBUG ASSERT write the bug report to the log and the process dies of the signal (abort() for
 * an assertion). Before, ours wrote three lines and exited 1, and a SIGABRT killed it without a
 * word. Side by side with the real redis-server, both as processes of their own. Real Redis is
 * built with backtrace support, so its STACK TRACE, REGISTERS and code dump sections, and the
 * sender's "Killed by PID" (which Node cannot see), are left out of the comparison.
 */
import { describe, it, expect } from 'vitest';
import { haveRealRedis, startRealRedis, startServerProcess, OUR_SERVER_COMMAND, type RealRedis } from '../support/real-redis';

const suite = haveRealRedis() ? describe : describe.skip;

const MACHINE_ONLY = new Set(['STACK TRACE', 'REGISTERS', 'DUMPING CODE AROUND EIP']);

/** The log from the report's start: its header lines (prefix cut) and its sections by title. */
function parseReport(out: string): { header: string[]; sections: Map<string, string[]>; order: string[]; end: boolean } {
  const start = out.indexOf('=== REDIS BUG REPORT START');
  expect(start).toBeGreaterThan(0);
  const lines = out.slice(start).split('\n').slice(1);
  const header: string[] = [];
  const sections = new Map<string, string[]>();
  const order: string[] = [];
  let current: string[] | null = null;
  let end = false;
  for (const line of lines) {
    const title = /^------ (.+) ------$/.exec(line)?.[1];
    if (title) {
      current = [];
      sections.set(title, current);
      if (!MACHINE_ONLY.has(title)) order.push(title);
      continue;
    }
    if (line.startsWith('=== REDIS BUG REPORT END')) { end = true; break; }
    const text = line.replace(/^\d+:[MCSX] \d+ \w+ \d+ [\d:.]+ [#*.-] /, '');
    if (current) current.push(text);
    else if (text !== '' && !/^(Killed by PID|Crashed running the instruction|Accessing address)/.test(text)) header.push(text);
  }
  return { header, sections, order, end };
}

async function exited(p: RealRedis): Promise<string | null> {
  if (p.proc.exitCode === null && p.proc.signalCode === null) await new Promise((r) => p.proc.once('exit', r));
  return p.proc.signalCode;
}

async function crash(kind: 'real' | 'ours', how: 'sigabrt' | 'segfault' | 'assert') {
  const args = ['--crash-memcheck-enabled', 'no'];
  const p = kind === 'real' ? await startRealRedis(args) : await startServerProcess(OUR_SERVER_COMMAND, args);
  try {
    if (how === 'sigabrt') {
      p.proc.kill('SIGABRT');
    } else {
      const c = await p.client();
      c.write(`*2\r\n$5\r\nDEBUG\r\n$${how.length}\r\n${how}\r\n`);
    }
    const signal = await exited(p);
    return { signal, report: parseReport(p.output()) };
  } finally {
    await p.stop();
  }
}

suite('the crash report (vs real redis-server)', () => {
  it('kill -ABRT: the report with INFO, the clients, the debug configs; death by SIGABRT', async () => {
    const [real, ours] = await Promise.all([crash('real', 'sigabrt'), crash('ours', 'sigabrt')]);
    expect(real.signal).toBe('SIGABRT');
    expect(ours.signal).toBe('SIGABRT');
    expect(ours.report.header).toEqual(['Redis 7.0.15 crashed by signal: 6, si_code: 0']);
    expect(ours.report.header).toEqual(real.report.header);
    expect(ours.report.order).toEqual(real.report.order);
    // In the order of Redis's configs dict, which its random hash seed shuffles per process.
    const configs = (r: typeof real) => [...r.report.sections.get('CONFIG DEBUG OUTPUT')!].sort();
    expect(configs(ours)).toEqual(configs(real));
    const infoKeys = (r: typeof real) => r.report.sections.get('INFO OUTPUT')!.map((l) => l.split(':')[0]);
    expect(infoKeys(ours)).toEqual(infoKeys(real));
    expect(ours.report.end).toBe(true);
  }, 30_000);

  it('DEBUG SEGFAULT and DEBUG ASSERT: the crash lines, the current client and its argv; SIGSEGV and SIGABRT', async () => {
    const runs = await Promise.all([crash('real', 'segfault'), crash('ours', 'segfault'), crash('real', 'assert'), crash('ours', 'assert')]);
    const [realSegv, oursSegv, realAssert, oursAssert] = runs;
    expect([realSegv.signal, oursSegv.signal, realAssert.signal, oursAssert.signal]).toEqual(['SIGSEGV', 'SIGSEGV', 'SIGABRT', 'SIGABRT']);
    expect(oursSegv.report.header).toEqual(realSegv.report.header);
    const fd = (lines: string[]) => lines.map((l) => l.replace(/fd=\d+/, 'fd=N'));
    expect(fd(oursAssert.report.header)).toEqual(fd(realAssert.report.header));
    for (const [real, ours] of [[realSegv, oursSegv], [realAssert, oursAssert]]) {
      expect(ours.report.order).toEqual(real.report.order);
      const client = (r: typeof real) => r.report.sections.get('CURRENT CLIENT INFO')!;
      expect(client(ours).filter((l) => l.startsWith('argv['))).toEqual(client(real).filter((l) => l.startsWith('argv[')));
      expect(client(ours)[0]).toMatch(/ cmd=debug user=default /);
    }
  }, 30_000);
});
