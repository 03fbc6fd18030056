/**
 * redis.conf loading, exactly like loadServerConfigFromString in config.c:
 * - lines are trimmed; blank lines and lines starting with '#' are skipped;
 * - words are split with sdssplitargs (quotes and escapes);
 * - the directive is case-insensitive; a multi-word parameter given as one quoted word is split
 *   again ("--save '900 1'");
 * - `include <file>` loads another file in place; `sentinel ...` lines are queued for the
 *   sentinel; `rename-command` edits the command table; `user` and `loadmodule` are accepted;
 * - the first `save` line in the whole configuration replaces the default save points and
 *   later ones append;
 * - any error stops the start with Redis's FATAL CONFIG FILE ERROR block, naming the line.
 *
 * Command-line options (`redis-server file.conf --port 7000 --save ""`) become extra lines
 * appended after the file, built by `argvToConfig` like main() does.
 */
import { splitArgsStr } from '../resp/request-parser';
import { repr } from '../util/repr';
import type { Config } from './config';
import type { SavePoint } from './params';

export interface ConfigLine { text: string; file: string; lineNo: number }

export interface LoadResult {
  /** Redis's FATAL block (to print on stderr before exiting 1), or null. */
  fatal: string | null;
  /** `sentinel ...` directives (argv after "sentinel"), in order, with their source line. */
  sentinelLines: { args: string[]; line: string; lineNo: number }[];
  /** rename-command pairs in order. */
  renames: [string, string][];
}

const DEPRECATED = new Map([['list-max-ziplist-entries', 2], ['list-max-ziplist-value', 2], ['lua-replicate-commands', 2]]);

/**
 * Turn `redis-server [configfile] [--opt val ...]` into (config file path, options text),
 * following main() in server.c, including its `--save` and `--sentinel` special cases.
 */
export function argvToConfig(args: string[]): { configFile: string | null; options: string; fromStdin: boolean } {
  let options = '';
  let configFile: string | null = null;
  let j = 0;
  let fromStdin = false;
  if (args.length > 0 && !args[0].startsWith('-')) { configFile = args[0]; j = 1; }
  let handledLast = true;
  for (; j < args.length; j++) {
    const a = args[j];
    if (a === '-' && (j === 0 || j === args.length - 1)) { fromStdin = true; continue; }
    if (handledLast && a.startsWith('--')) {
      if (options.length) options += '\n';
      options += a.slice(2) + ' ';
      const parts = splitArgsStr(a) ?? [a];
      if (parts.length === 1) {
        handledLast = false;
        const next = args[j + 1];
        const lower = a.toLowerCase();
        if (lower === '--save' && next !== undefined && next.startsWith('--')) { options += '""'; handledLast = true; }
        else if (lower === '--save' && j === args.length - 1) { options += '""'; }
        else if (lower === '--sentinel' && next !== undefined && next.startsWith('--')) { handledLast = true; }
      } else {
        handledLast = true;
      }
    } else {
      options += repr(a) + ' ';
      handledLast = true;
    }
  }
  return { configFile, options, fromStdin };
}

/** Split text into lines the way sdssplitlen on "\n" does. */
export function textToLines(text: string, file: string): ConfigLine[] {
  return text.split('\n').map((t, i) => ({ text: t, file, lineNo: i + 1 }));
}

function trim(s: string): string {
  return s.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, '');
}

function fatal(line: ConfigLine | null, err: string): string {
  let out = '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n';
  if (line) out += `Reading the configuration file, at line ${line.lineNo}\n>>> '${trim(line.text)}'\n`;
  return out + err + '\n';
}

/**
 * Apply configuration lines. `readInclude` returns the text of an included file or null when
 * it cannot be opened (then the start fails like Redis).
 */
export async function loadConfigLines(
  config: Config, lines: ConfigLine[], opts: {
    sentinel: boolean;
    readInclude: (path: string) => Promise<string | null>;
    isCommand: (name: string) => boolean;
  },
): Promise<LoadResult> {
  const result: LoadResult = { fatal: null, sentinelLines: [], renames: [] };
  let saveLoaded = false;
  let savePoints: SavePoint[] | null = null;
  const ctx = { loading: true, sentinel: opts.sentinel };

  const apply = async (list: ConfigLine[], depth: number): Promise<boolean> => {
    for (const line of list) {
      const text = trim(line.text);
      if (text === '' || text.startsWith('#')) continue;
      const argv = splitArgsStr(text);
      if (argv === null) { result.fatal = fatal(line, 'Unbalanced quotes in configuration line'); return false; }
      if (argv.length === 0) continue;
      const name = argv[0].toLowerCase();
      const def = config.lookup(name);
      if (def) {
        const multi = def.flags?.includes('multi-arg');
        if (!multi && argv.length !== 2) { result.fatal = fatal(line, 'wrong number of arguments'); return false; }
        let words = argv.slice(1);
        if (multi && argv.length === 2 && argv[1].length) words = splitArgsStr(argv[1]) ?? [argv[1]];
        if (def.name === 'save') {
          const parsed = def.parse(words, ctx);
          if ('error' in parsed) { result.fatal = fatal(line, parsed.error); return false; }
          if (!saveLoaded) { saveLoaded = true; savePoints = []; }
          savePoints = words.length === 1 && words[0] === '' ? [] : [...savePoints!, ...(parsed.value as SavePoint[])];
          continue;
        }
        const err = config.set(name, words, ctx);
        if (err) { result.fatal = fatal(line, err); return false; }
        continue;
      }
      const dep = DEPRECATED.get(name);
      if (dep !== undefined && argv.length === dep) continue;
      if (name === 'include' && argv.length === 2) {
        if (depth > 16) { result.fatal = fatal(line, 'include nesting too deep'); return false; }
        const sub = await opts.readInclude(argv[1]);
        if (sub === null) {
          result.fatal = `Fatal error, can't open config file '${argv[1]}': No such file or directory\n`;
          return false;
        }
        if (!(await apply(textToLines(sub, argv[1]), depth + 1))) return false;
      } else if (name === 'rename-command' && argv.length === 3) {
        if (!opts.isCommand(argv[1])) { result.fatal = fatal(line, 'No such command in rename-command'); return false; }
        result.renames.push([argv[1], argv[2]]);
      } else if (name === 'user' && argv.length >= 2) {
        // ACL users beyond "default" are not modelled; the directive is accepted.
      } else if (name === 'loadmodule' && argv.length >= 2) {
        // Modules are not supported; accept the directive like a server whose module loads.
      } else if (name.includes('.')) {
        if (argv.length < 2) { result.fatal = fatal(line, 'Module config specified without value'); return false; }
      } else if (name === 'sentinel') {
        if (argv.length !== 1) {
          if (!opts.sentinel) { result.fatal = fatal(line, 'sentinel directive while not in sentinel mode'); return false; }
          result.sentinelLines.push({ args: argv.slice(1), line: text, lineNo: line.lineNo });
        }
      } else {
        result.fatal = fatal(line, 'Bad directive or wrong number of arguments');
        return false;
      }
    }
    return true;
  };

  if (!(await apply(lines, 0))) return result;
  if (savePoints !== null) config.setRaw('save', savePoints);
  if (config.get<boolean>('cluster-enabled') && config.get('replicaof')) {
    result.fatal = fatal(null, 'replicaof directive not allowed in cluster mode');
  }
  return result;
}
