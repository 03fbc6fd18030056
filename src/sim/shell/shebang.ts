/**
 * A script's `#!` line as Linux's binfmt_script reads it (from the file's first 256 bytes):
 * the interpreter and the one optional argument after it. The interpreters these hosts have
 * are their shells, sh and bash, named by path or through /usr/bin/env.
 */
import { bytesToLatin1 } from '../kernel/kernel';

export interface Shebang {
  interpreter: string;
  /** Everything after the interpreter, blanks trimmed ('' when none): one argument. */
  arg: string;
  /** Whether the line names one of the hosts' shells. */
  shell: boolean;
  /** The shell option it passes (`#!/bin/bash -e`, `-x`, `-eu`…), or null. */
  option: string | null;
}

export function readShebang(bytes: Uint8Array): Shebang | null {
  const m = /^#![ \t]*(\S+)[ \t]*(.*?)[ \t]*(?:\n|$)/.exec(bytesToLatin1(bytes.subarray(0, 256)));
  if (!m) return null;
  const [, interpreter, arg] = m;
  const viaEnv = interpreter === '/usr/bin/env';
  const shell = viaEnv ? /^(ba)?sh$/.test(arg) : /^\/(usr\/)?bin\/(ba)?sh$/.test(interpreter);
  // Through env, `bash` is the program's name, not an option.
  const option = shell && !viaEnv && /^[-+][A-Za-z]+$/.test(arg) ? arg : null;
  return { interpreter, arg, shell, option };
}
