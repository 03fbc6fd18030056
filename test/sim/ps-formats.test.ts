/**
 * ps's options (src/sim/shell/commands/ps.ts) against this machine's procps-ng 4.0.2: the same
 * script runs in bash and in the simulated shell. The processes differ, so what is compared is
 * what does not depend on them: the header of every format, the errors, and the shape of a
 * forest the script builds for itself.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { world } from './helpers';

function realBash(script: string): string {
  try {
    return execFileSync('bash', ['--norc', '-c', script], { encoding: 'utf8' });
  } catch (e) {
    return (e as { stdout: string }).stdout;
  }
}

const FORMATS = [
  '-f', '-ef', '-F', '-l', '-el', '-ely', '-ly', '-j', '-ej', '-jf', '-ejf', '-efj', '-eH', '-efH', '-ejH', '-e --forest', '-ef --forest',
  '-fl', '-lf', '-ejl', '-Fj', '-fly', '-Fl', '-jly', '-lfj', '-Fly', 'x', 'ax', 'aux', 'u', 'j', 'axj', 'axjf', 'auxf', 'l', 'axl', 'v',
  '-e u', '-e j', 'ux', '-e f', '-o pid,comm,args,cmd,ucmd,command', '-e -O stat',
  '-eo pid,ppid,pgid,sid,sess,tpgid,stat,s,f,uid,user,c,cp,pri,opri,ni,psr,wchan,sz,vsz,rss,trs,drs,maj_flt,min_flt,tname,tt,time,bsdtime,etime,etimes,stime,start_time,start,%cpu,%mem,args',
  '-p 999999 -o pid=,comm=NAME', '-p 999999 -o pid=', '--no-headers -p 999999', 'axo pid,comm', 'axk -pid', '-e --sort=-rss,pid', '-ef -o pid',
  // Threads (ps-threads.test.ts compares the rows).
  '-L', '-T', '-eLf', '-eLF', '-Lf', '-LF', '-Tf', '-TF', '-Ll', '-Tl', '-Lj', '-Tj', '-Ljf', '-Ly -l', 'm', '-m', 'H', 'axH', 'axm', '-em', '-mf', '-mL', '-mT',
  'Hu', 'mu', '-L u', '-T u', '-L j', '-T j', '-L l', '-L v', '-eL -o pid,lwp,nlwp,tid,spid,thcount,comm', '-LO stat', 'O stat', '-m -O stat', 'H O stat',
];

const ERRORS = [
  '-Q', 'Q', '--bogus', '-p', '-p abc', '-u nosuchuser', '--sort=bogus', '-o bogus', '-C', '--ppid', '-y', '-fy', '-ef u', 'uj', 'lu', 'aux -o pid', '--sort',
  '-L --forest', '-L f', 'axfm', '-LH', '-TL', 'mH', 'm -m', '-L m -o pid', '-T H -o pid', '-Lm -O stat', '-T m -o pid,comm',
];

describe('ps against procps', () => {
  it('has the same columns in every format, and the same errors', async () => {
    const script = [
      ...FORMATS.map((o) => `echo "== ${o}"; ps ${o} | head -1`),
      ...ERRORS.map((o) => `echo "== ${o}"; ps ${o} 2>&1; echo "status $?"`),
    ].join('\n');
    const w = world();
    const sim = (await w.exec('redis-1', script)).output;
    expect(sim).toBe(realBash(script));
  });

  it('draws the same forest (f, --forest) and indents the same (-H)', async () => {
    // The script's own children: a bash with two sleeps, a sleep, and ps. `true` at the end
    // keeps bash from exec'ing ps in the script's place.
    const script = (ps: string) => `echo $$\nbash -c 'sleep 61 & sleep 62; wait' > /dev/null 2>&1 &\nsleep 63 > /dev/null 2>&1 &\nsleep 1\n${ps}\nkill %1 %2 2>/dev/null; pkill -f '^sleep 6[123]$'; true\n`;
    /** The lines below the script's shell, without their pids and the art before the shell's own level. */
    const subtree = (out: string): string[] => {
      const [top, , ...rows] = out.trimEnd().split('\n');
      const at = rows.findIndex((r) => r.trim().split(/\s+/)[0] === top);
      expect(at).toBeGreaterThanOrEqual(0);
      const command = (r: string) => r.replace(/^\s*\d+ /, '');
      // Where a command's text starts, after its art or indentation.
      const textAt = (c: string) => c.search(/[^ |\\_]/);
      const root = textAt(command(rows[at]));
      const lines: string[] = [];
      for (const r of rows.slice(at + 1)) {
        const c = command(r);
        if (textAt(c) <= root) break;
        lines.push(c.slice(root));
      }
      return lines;
    };
    const w = world();
    for (const ps of ['ps -e --forest -o pid,args', 'ps axf -o pid,args', 'ps -eH -o pid,args']) {
      const real = subtree(realBash(script(ps)));
      expect(real).toHaveLength(5);
      expect(subtree((await w.exec('redis-1', script(ps))).output)).toEqual(real);
    }
  });
});
