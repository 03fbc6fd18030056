/**
 * gnulib's argmatch, how GNU tools read an option's word from a fixed list (`sort --sort=WORD`,
 * `ls --format=WORD`, `cp --backup=WORD`): the word itself or an unambiguous abbreviation of
 * one; and their messages when it is neither (XARGMATCH's argmatch_die, then "Try … --help").
 */
import { quoted } from '../context';

/** The list's words in order, each with what it stands for (several words may stand for one thing). */
export type ArgList<T> = readonly (readonly [word: string, value: T])[];

/**
 * What `arg` stands for: an exact word, else the value of the words it abbreviates when they
 * all stand for the same thing; `invalid` when it abbreviates none, `ambiguous` otherwise.
 */
export function argmatch<T>(arg: string, list: ArgList<T>): { value: T } | 'invalid' | 'ambiguous' {
  const exact = list.find(([w]) => w === arg);
  if (exact) return { value: exact[1] };
  const matches = list.filter(([w]) => w.startsWith(arg));
  if (matches.length === 0) return 'invalid';
  return matches.every(([, v]) => v === matches[0][1]) ? { value: matches[0][1] } : 'ambiguous';
}

/**
 * XARGMATCH's complaint, whole (after `name: `): the word refused for `context` (the option as
 * given, `--sort`), then the valid words, those standing for the same thing on one line.
 */
export function argmatchError<T>(name: string, context: string, arg: string, kind: 'invalid' | 'ambiguous', list: ArgList<T>): string {
  let text = `${name}: ${kind} argument ${quoted(arg)} for ${quoted(context)}\nValid arguments are:`;
  list.forEach(([w, v], i) => {
    text += i > 0 && v === list[i - 1][1] ? `, ${quoted(w)}` : `\n  - ${quoted(w)}`;
  });
  return `${text}\nTry '${name} --help' for more information.\n`;
}
