/**
 * glibc's getopt_long, for the tools that use it as it is (ss, netstat): options in the order
 * given, operands permuted to the end (`--` ends the options), long options by any unambiguous
 * prefix, and glibc's messages for what it refuses. The caller acts on the options one by one
 * and stops at the first error, as a program's `while ((ch = getopt_long(...)) != EOF)` does.
 */

export interface LongOption {
  name: string;
  arg: 'none' | 'required' | 'optional';
  /** What getopt_long returns for it (the short letter, or the program's own code). */
  key: string;
}

export type ParsedOption = { key: string; value: string | null } | { error: string };

export interface GetoptResult {
  options: ParsedOption[];
  operands: string[];
}

/** `short` as getopt's optstring: a letter, followed by `:` when it takes an argument. */
export function getoptLong(prog: string, argv: readonly string[], short: string, long: readonly LongOption[]): GetoptResult {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  const takesArg = (c: string) => { const i = short.indexOf(c); return i >= 0 && short[i + 1] === ':'; };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') { operands.push(a); continue; }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      let found = long.find((o) => o.name === name);
      if (!found) {
        const matches = long.filter((o) => o.name.startsWith(name));
        if (matches.length > 0) {
          const first = matches[0];
          // Options that do the same (same argument rule and key) are not ambiguous with each other.
          const differ = matches.filter((o, k) => k === 0 || o.arg !== first.arg || o.key !== first.key);
          if (differ.length > 1) {
            options.push({ error: `${prog}: option '${a}' is ambiguous; possibilities:${differ.map((o) => ` '--${o.name}'`).join('')}\n` });
            continue;
          }
          found = first;
        }
      }
      if (!found) { options.push({ error: `${prog}: unrecognized option '${a}'\n` }); continue; }
      if (eq >= 0) {
        if (found.arg === 'none') { options.push({ error: `${prog}: option '--${found.name}' doesn't allow an argument\n` }); continue; }
        options.push({ key: found.key, value: body.slice(eq + 1) });
      } else if (found.arg === 'required') {
        if (i + 1 >= argv.length) { options.push({ error: `${prog}: option '--${found.name}' requires an argument\n` }); continue; }
        options.push({ key: found.key, value: argv[++i] });
      } else options.push({ key: found.key, value: null });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === ':' || !short.includes(c)) { options.push({ error: `${prog}: invalid option -- '${c}'\n` }); continue; }
      if (takesArg(c)) {
        if (j + 1 < a.length) options.push({ key: c, value: a.slice(j + 1) });
        else if (i + 1 < argv.length) options.push({ key: c, value: argv[++i] });
        else options.push({ error: `${prog}: option requires an argument -- '${c}'\n` });
        break;
      }
      options.push({ key: c, value: null });
    }
  }
  for (; i < argv.length; i++) operands.push(argv[i]);
  return { options, operands };
}
