/**
 * bash's `umask [-p] [-S] [mode]`: shows or sets the shell process's file mode mask
 * (ProcRecord.umask), which the files and directories it and its commands create go without,
 * and which every process it starts inherits — a subshell's change stays in the subshell.
 */
import { builtinOptions } from './builtin-options';
import type { ProcRecord } from '../kernel/process';

/** What umask needs of its shell. */
export interface UmaskShell {
  readonly proc: ProcRecord;
  /** Write on the standard output of the moment. */
  out(text: string): void;
}

const USAGE = 'umask: usage: umask [-p] [-S] [mode]\n';

/** `err`: writes a message written as at the prompt (`bash: umask: …`). */
export function umaskBuiltin(sh: UmaskShell, argv: string[], err: (text: string) => void): number {
  const parsed = builtinOptions(argv, 'Sp');
  if ('invalid' in parsed) { err(`bash: umask: ${parsed.invalid}: invalid option\n${USAGE}`); return 2; }
  const symbolic = parsed.options.some((o) => o.letter === 'S');
  const reusable = parsed.options.some((o) => o.letter === 'p');
  const i = parsed.operands;
  const operand = argv[i];
  if (operand === undefined) {
    const mask = sh.proc.umask;
    if (reusable) sh.out(symbolic ? 'umask -S ' : 'umask ');
    sh.out(symbolic ? symbolicMask(mask) : `${mask.toString(8).padStart(4, '0')}\n`);
    return 0;
  }
  // A mode that starts with a digit is octal; anything else is symbolic (what the mask lets through).
  let mask: number;
  if (/^[0-9]/.test(operand)) {
    const value = octal(operand);
    if (value === null) { err(`bash: umask: ${operand}: octal number out of range\n`); return 1; }
    mask = value & 0o777;
  } else {
    const allowed = symbolicMode(operand, ~sh.proc.umask & 0o777, err);
    if (allowed === null) return 1;
    mask = ~allowed & 0o777;
  }
  sh.proc.umask = mask;
  // -S shows the new mask; -p means nothing with a mode.
  if (symbolic) sh.out(symbolicMask(mask));
  return 0;
}

/** The whole word as an octal number of at most 07777, or null (bash's read_octal). */
function octal(word: string): number | null {
  if (!/^[0-7]+$/.test(word)) return null;
  let value = 0;
  for (const c of word) {
    value = value * 8 + Number(c);
    if (value > 0o7777) return null;
  }
  return value;
}

/** `u=rwx,g=rx,o=rx`: what the mask lets through, as `umask -S` prints it. */
function symbolicMask(mask: number): string {
  const allowed = ~mask;
  const part = (shift: number) => (allowed & (4 << shift) ? 'r' : '') + (allowed & (2 << shift) ? 'w' : '') + (allowed & (1 << shift) ? 'x' : '');
  return `u=${part(6)},g=${part(3)},o=${part(0)}\n`;
}

/**
 * A symbolic mode (`u=rwx,g=rx,o=`, `go-w`, `+x`) applied to the permissions `allowed`, as
 * bash parses it: clauses of who letters (ugoa; none is all), one operator (+ - =) and
 * permission letters (rwx only), separated by commas. Null after an error, written as bash
 * words it (the character it stopped at; the end of the word is a NUL byte).
 */
function symbolicMode(mode: string, allowed: number, err: (text: string) => void): number | null {
  const WHO: Record<string, number> = { u: 0o700, g: 0o070, o: 0o007, a: 0o777 };
  const PERM: Record<string, number> = { r: 0o444, w: 0o222, x: 0o111 };
  let bits = allowed;
  let i = 0;
  const at = () => mode[i] ?? '\0';
  for (;;) {
    let who = 0;
    while ('ugoa'.includes(at()) && at() !== '\0') who |= WHO[mode[i++]];
    const op = at();
    i++;
    if (op !== '+' && op !== '-' && op !== '=') { err(`bash: umask: \`${op}': invalid symbolic mode operator\n`); return null; }
    let perm = 0;
    while ('rwx'.includes(at()) && at() !== '\0') perm |= PERM[mode[i++]];
    if (at() !== '\0' && at() !== ',') { err(`bash: umask: \`${at()}': invalid symbolic mode character\n`); return null; }
    if (who !== 0) perm &= who;
    if (op === '+') bits |= perm;
    else if (op === '-') bits &= ~perm;
    else bits = (bits & ~(who || 0o777)) | perm;
    if (at() === '\0') return bits;
    i++;
  }
}
