/**
 * What a command's process gets from the shell that starts it, against the real bash of this
 * machine: its words expanded once; a new bash (`bash -c`, `bash file`, `./file`) sees only what
 * is exported, where a subshell sees everything; COLUMNS and LINES only where bash sets them.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { typeAndRun, world } from './helpers';

const { expectSame } = useShellDifferential('shell-process', {
  'show.sh': 'echo "v=[$v1] a=[${a1[*]}] f=[$(declare -F f1)] o=[$-]"\n',
});

describe('a simple command', () => {
  it('has its words expanded once, whatever runs it', async () => {
    await expectSame([
      '$(echo x >> n1; echo echo) hi; cat n1',
      '$(echo x >> n2; echo cat) n2',
      '$(echo x >> n3; echo true) $(echo y >> n3); cat n3',
      'f() { echo "f $*"; }; $(echo x >> n4; echo f) a; cat n4',
      '$(echo x >> n5; echo export) V5=1; echo $V5; cat n5',
      '$(echo x >> n6; echo nosuchcommand) a; cat n6',
      '$(echo x >> n7; echo echo) a | cat; cat n7',
      'x=$(false) $(echo true); echo $?',
      '$(exit 3); echo $?',
    ]);
  });
});

describe('a new bash sees only what is exported; a subshell sees everything', () => {
  it('variables', async () => {
    await expectSame([
      "v21=1; bash -c 'echo [$v21]'; (echo [$v21]); echo $(echo [$v21])",
      "v22=1; export v22; bash -c 'echo [$v22]'; export -n v22; bash -c 'echo [$v22]'; echo [$v22]",
      "export v23=2; v23=3; bash -c 'echo [$v23]'",
      "v24=1 bash -c 'echo [$v24]'; echo [$v24]",
      "v1=7; bash show.sh; chmod +x show.sh; ./show.sh; export v1; bash show.sh; (. ./show.sh)",
      "v25=1; bash -c 'bash -c \"echo [\\$v25]\"'; export v25; bash -c 'bash -c \"echo [\\$v25]\"'",
      "f26() { bash -c 'echo [$l26]'; }; l26=x; f26; export l26; f26",
    ]);
  });

  it('arrays are never exported', async () => {
    await expectSame([
      "a1=(x y); bash show.sh; export a1; bash show.sh; (echo ${a1[*]}); bash -c 'echo [$a1]'",
      "declare -A m27=([k]=v); export m27; bash -c 'echo [${m27[k]}]'; (echo ${m27[k]})",
    ]);
  });

  it('functions, with export -f', async () => {
    await expectSame([
      "f1() { echo hi; }; bash show.sh; (f1); echo $(f1); bash -c f1; echo $?",
      "f1() { echo hi; }; export -f f1; bash show.sh; bash -c f1; export -nf f1; bash -c f1; echo $?",
      "f28() { echo f28; }; export -f f28; bash -c 'bash -c f28'; unset -f f28; f28() { echo new; }; bash -c f28; echo $?",
      "export -f nosuchfunction; echo $?",
      "g29() { :; }; export -f g29 nof29; echo $?",
    ]);
  });

  it('shell options are at their defaults in a new bash', async () => {
    await expectSame([
      "set -u; bash show.sh; (echo $-); set +u",
      "set -o pipefail; bash -c 'false | true; echo $?'; (false | true; echo $?); set +o pipefail",
      "set -e; bash -c 'false; echo survived'; set +e",
      "if bash -e -c 'false; echo no'; then echo t; else echo f; fi",
      "false; bash -c 'echo $?'",
    ]);
  });
});

describe('COLUMNS and LINES', () => {
  it('are not set in a non-interactive shell (bash -c, a script) unless exported', async () => {
    await expectSame([
      "echo [$COLUMNS] [$LINES]; bash -c 'echo [$COLUMNS] [$LINES]'; bash show.sh",
      "COLUMNS=33; bash -c 'echo [$COLUMNS]'; export COLUMNS; bash -c 'echo [$COLUMNS]'; unset COLUMNS",
    ]);
  });

  it('an interactive login shell has its terminal size in them, not exported (as bash with checkwinsize: a subshell sees them, a new bash does not)', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    const term = w.terminal(t)!;
    const size = `${term.columns} ${term.lines}`;
    expect(size).toBe('120 24');
    expect(await typeAndRun(w, t, 'echo $COLUMNS $LINES', 10)).toContain(`\n${size}\n`);
    expect(await typeAndRun(w, t, '(echo sub $COLUMNS $LINES)', 10)).toContain(`\nsub ${size}\n`);
    expect(await typeAndRun(w, t, "bash -c 'echo [$COLUMNS] [$LINES]'; env | grep -c -e COLUMNS -e LINES", 10)).toContain('\n[] []\n0\n');
    // Cron's shell is not interactive either.
    expect((await w.exec('redis-1', 'echo [$COLUMNS]')).output).toBe('[]\n');
  });
});
