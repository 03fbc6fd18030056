/**
 * `umask` against this machine's bash 5.2 and coreutils: showing the mask (octal, -S, -p), setting
 * it (octal, symbolic), bash's answers to bad input, and the modes of what the shell and its
 * commands then create (`>`, `>>`, touch, mkdir [-p], tee, cp, chmod without a who), per process:
 * a subshell's, a `$(…)`'s, a pipeline's or a new bash's change stays there. Lines that change
 * the mask run in a subshell, as the real side runs the lines of a half in one shell.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { world } from './helpers';

const { expectSame } = useShellDifferential('shell-umask');

/** The mask the real bash starts with: the simulation's is Debian's for root, 0022. */
const realUmask = spawnSync('bash', ['-c', 'umask'], { encoding: 'latin1' }).stdout;

describe('umask (differential)', () => {
  it.skipIf(realUmask !== '0022\n')('shows the mask as bash does', async () => {
    await expectSame(['umask', 'umask -S', 'umask -p', 'umask -pS', 'umask -Sp', 'umask -S --', 'type umask', 'umask -S 2>&1 >/dev/null | cat']);
  });

  it('sets it from an octal or a symbolic mode', async () => {
    await expectSame([
      '(umask 077; umask)', '(umask 0777; umask -S)', '(umask 7777; umask)', '(umask 1777; umask -p)', '(umask 0; umask)',
      '(umask -- 027; umask)', '(umask 027 033; umask)', '(umask -S 077)', '(umask -p 077; umask)',
      '(umask u=rwx,g=rx,o=; umask)', '(umask -S u=rwx,g=rx,o=)', '(umask -p u=rwx; umask)', '(umask a+w; umask)',
      '(umask g-r; umask)', '(umask u=; umask)', '(umask o+x,g-w; umask)', '(umask ugo=rwx; umask)', '(umask =rx; umask)',
      '(umask +w; umask)', '(umask -; umask)', '(umask u=rwx,u-w; umask; umask a=r,u+w,g+x; umask -S)',
    ]);
  });

  it('answers bad input as bash does', async () => {
    await expectSame([
      '(umask 10000; echo $?; umask)', 'umask 8', 'umask 08', "umask '022 '", 'umask 0x12', 'umask abc',
      'umask -x', 'umask -S -p -x', 'umask -022', 'umask -- -S', "umask ' 022'", 'umask +022',
      'umask u=rwxX', 'umask u=s', 'umask u+rw-x', 'umask u=g', 'umask u=r=w', 'umask ,',
      // The end of the word is where bash stops: a NUL byte in the message.
      'umask u', "umask ''", 'umask u=r,',
    ]);
  });

  it('governs the modes of the files and directories the shell and its commands create', async () => {
    await expectSame([
      '(umask 077; touch a1; echo x > a2; echo y >> a3; mkdir a4; mkdir -p a5/a6; ls -ld a1 a2 a3 a4 a5 a5/a6 | cut -c1-10)',
      '(umask 077; printf x | tee b1 >/dev/null; cp b1 b2; mkdir b3; cp -r b3 b4; stat -c "%a %n" b1 b2 b4)',
      '(umask 000; touch c1; mkdir c2; exec 3>c3; stat -c "%a %n" c1 c2 c3)',
      '(umask 777; mkdir -p d1/d2; touch d3; stat -c "%a %n" d1 d1/d2 d3)',
      '(umask 027; mkdir -m =rw e1; mkdir -m g+w e2; touch e3; chmod +x e3; stat -c "%a %n" e1 e2 e3)',
      '(umask 002; touch f1; echo x > f1; stat -c %a f1; umask 077; echo y >> f1; stat -c %a f1)',
    ]);
  });

  it('belongs to the process: a subshell\'s, a $(…)\'s, a pipeline\'s, a new bash\'s change stays there', async () => {
    await expectSame([
      '( (umask 077; umask); umask )', '( x=$(umask 027; umask); echo $x; umask )', '( umask 077 | cat; umask )',
      "( bash -c 'umask 007; umask'; umask )", '( umask 002; bash -c umask; (umask -S) )', '( umask 027; (touch g1); stat -c %a g1 )',
      '( umask 027; echo $(umask -S) )', '( f() { umask 077; }; f; umask )', '( umask 077 & wait; umask )',
    ]);
  });
});

describe('umask and programs', () => {
  it('a program the shell starts inherits the mask: its new files go without those bits', async () => {
    const w = world();
    await w.exec('redis-1', 'umask 077; disk-writer /root/p.aof nosync 1 >/dev/null & disk-writer /root/q.aof writefile-fsync 0 >/dev/null &');
    await w.advance(100);
    expect((await w.exec('redis-1', 'stat -c "%a %n" /root/p.aof /root/q.aof')).output).toBe('600 /root/p.aof\n600 /root/q.aof\n');
    await w.exec('redis-1', 'disk-writer /root/r.aof nosync 1 >/dev/null &');
    await w.advance(100);
    expect((await w.exec('redis-1', 'stat -c %a /root/r.aof')).output).toBe('644\n');
  });
});
