/**
 * A builtin's options as bash's internal_getopt reads them: each word after the builtin's name
 * that starts with `-` (or `+`, for the builtins that take `+x`) and is more than that sign is
 * a group of option letters, up to `--` (skipped) or the first operand. Builtins whose options
 * take arguments (`read`, `set -o`) read their own.
 */
export type BuiltinOptions =
  /** The letters given, in order, each with its sign; `operands`: the index of the first operand. */
  | { options: { sign: '-' | '+'; letter: string }[]; operands: number }
  /**
   * The first letter the builtin does not know, with its sign, as bash names it (`-x`);
   * `before`: the letters read before it (a builtin may have failed on one of them first).
   */
  | { invalid: string; before: { sign: '-' | '+'; letter: string }[] };

export function builtinOptions(argv: readonly string[], letters: string, opts: { plus?: boolean; isOperand?: (word: string) => boolean } = {}): BuiltinOptions {
  const options: { sign: '-' | '+'; letter: string }[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') { i++; break; }
    const sign = word[0];
    if (word.length < 2 || !(sign === '-' || (opts.plus && sign === '+')) || opts.isOperand?.(word)) break;
    for (const letter of word.slice(1)) {
      if (!letters.includes(letter)) return { invalid: `${sign}${letter}`, before: options };
      options.push({ sign: sign as '-' | '+', letter });
    }
  }
  return { options, operands: i };
}
