/**
 * redis.conf loading, like loadServerConfig / loadServerConfigFromString in config.c:
 *
 * - The text is the config file, then stdin (`redis-server -`), then the command-line options,
 *   each `--name value` becoming a line (built by `argvToConfig` like main() does).
 * - Lines are trimmed; blank lines and lines starting with '#' are skipped; the words are split
 *   with sdssplitargs (quotes and escapes); the directive is case-insensitive. A multi-word
 *   parameter given as one word is split again (`--save "900 1"`).
 * - `include <file>` loads another file right there, as its own text with its own line
 *   numbers (a glob pattern that matches nothing is skipped). `rename-command`, `user`,
 *   `loadmodule` and `sentinel` lines are collected for the caller.
 * - save points: the first `save` line replaces the default ones and later lines add to them;
 *   `save ""` clears them. (Like 7.0, a `save` line after an `include` replaces instead of
 *   adding: the included file's loading ends the "reading the config file" state.)
 * - Any error stops the start with Redis's FATAL CONFIG FILE ERROR block naming the line.
 */
import { splitArgsStr } from '../resp/request-parser';
import { repr } from '../util/repr';
import { stringMatch } from '../util/glob';
import type { Config } from './config';
import { DEFAULT_SAVE_POINTS, type SavePoint } from './params';
import { REDIS_VERSION } from '../server/server';
import { Acl, aclOpErrorText, mergeSelectorArgs } from '../server/acl';
import type { CommandSpec } from '../commands/table';

/**
 * ACLAppendUserForLoading's checks of a `user` line: a name declared twice, unbalanced
 * selector parentheses, and rules that cannot apply (tried on a scratch user; unknown commands
 * are let through, as modules could still add them). Redis names the offending word by indexing
 * the whole line with the index of the rule among the rules, so the message quotes the word
 * that many places earlier; so do we.
 */
function checkUserDeclaration(argv: string[], declared: string[][], commands: () => CommandSpec[] = () => [], warn?: (msg: string) => void): string | null {
  const fatal = (idx: number, err: Parameters<typeof aclOpErrorText>[0]) => `Error in user declaration '${argv[idx]}': ${aclOpErrorText(err)}`;
  if (declared.some((u) => u[0] === argv[1])) return fatal(1, 'EALREADY');
  const merged = mergeSelectorArgs(argv.slice(2));
  // Redis reports whatever errno was left over here; in 7.0.15 that is ENOENT.
  if ('invalid' in merged) return fatal(merged.invalid, 'ENOENT');
  const acl = new Acl({ all: commands }, warn);
  const u = acl.newUser(argv[1]);
  for (let j = 0; j < merged.args.length; j++) {
    const err = acl.setUser(u, merged.args[j]);
    if (err && err !== 'ENOENT') return fatal(j, err);
  }
  return null;
}

export interface LoadResult {
  /** What to print on stderr before exiting 1 (the FATAL block), or null. */
  fatal: string | null;
  /** A log-format warning to print (via the logger) before exiting 1, e.g. an unreadable include. */
  fatalLog: string | null;
  /** `sentinel ...` directives (argv after "sentinel"), in order, with their source line. */
  sentinelLines: { args: string[]; line: string; lineNo: number }[];
  /** rename-command pairs in order (already validated against the command names). */
  renames: [string, string][];
  /** `user ...` directives (ACL users), argv after "user". */
  users: string[][];
  /** `loadmodule` directives: path and arguments. */
  modules: string[][];
}

const DEPRECATED = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands']);

/**
 * Turn `redis-server [configfile] [--opt val ...] [-]` into (config file, options text,
 * whether to read stdin), following main() in server.c including its `--save` and
 * `--sentinel` special cases.
 */
export function argvToConfig(args: string[]): { configFile: string | null; options: string; fromStdin: boolean } {
  let options = '';
  let configFile: string | null = null;
  let j = 0;
  let fromStdin = false;
  if (args.length > 0 && !args[0].startsWith('-')) { configFile = args[0]; j = 1; }
  let handledLast = true;
  // j counts from argv[1] in C; "first or last argument" refers to argv positions.
  const lastIdx = args.length - 1;
  for (; j < args.length; j++) {
    const a = args[j];
    if (a === '-' && (j === 0 || j === lastIdx)) { fromStdin = true; continue; }
    if (handledLast && a.startsWith('--')) {
      if (options.length) options += '\n';
      options += a.slice(2) + ' ';
      const parts = splitArgsStr(a) ?? [];
      if (parts.length === 1) {
        handledLast = false;
        const next = args[j + 1];
        const lower = a.toLowerCase();
        if (lower === '--save' && next !== undefined && next.startsWith('--')) { options += '""'; handledLast = true; }
        else if (lower === '--save' && j === lastIdx) { options += '""'; }
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

function trim(s: string): string {
  return s.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, '');
}

function fatalBlock(line: { text: string; lineNo: number } | null, err: string): string {
  let out = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`;
  if (line) out += `Reading the configuration file, at line ${line.lineNo}\n>>> '${line.text}'\n`;
  return out + err + '\n';
}

export interface LoadOptions {
  sentinel: boolean;
  /** Read a file for `include`: its text, or an error text (strerror) when it can't be opened. */
  readFile: (path: string) => Promise<string | { error: string }>;
  /** Paths matching a glob pattern (for `include /etc/redis/conf.d/*.conf`), sorted. */
  glob: (pattern: string) => Promise<string[]>;
  /** Known command names (lowercase), for rename-command. */
  commands: Set<string>;
  /** Check that the log file can be opened for appending; strerror text on failure. */
  checkLogfile: (path: string) => string | null;
  /** The command table `user` lines are checked against (empty when not given). */
  aclCommands?: () => CommandSpec[];
  /** Log a warning while reading (the ACL's first-arg deprecation warning). */
  warn?: (msg: string) => void;
}

/**
 * Load a whole configuration text (file + stdin + options). Mutates `config`; on error the
 * result carries the FATAL text and loading stops there.
 */
export async function loadConfigText(config: Config, text: string, opts: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { fatal: null, fatalLog: null, sentinelLines: [], renames: [], users: [], modules: [] };
  const commands = new Set(opts.commands);
  const state = { reading: true, saveLoaded: false, save: config.get<SavePoint[]>('save') };
  const ctx = { loading: true, sentinel: opts.sentinel };

  const loadString = async (body: string, depth: number): Promise<boolean> => {
    state.reading = true;
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const text = trim(lines[i]);
      const lineNo = i + 1;
      const fail = (err: string) => { result.fatal = fatalBlock({ text, lineNo }, err); return false; };
      if (text === '' || text.startsWith('#')) continue;
      const argv = splitArgsStr(text);
      if (argv === null) return fail('Unbalanced quotes in configuration line');
      if (argv.length === 0) continue;
      const name = argv[0].toLowerCase();
      const def = config.lookup(name);
      if (def) {
        const multi = def.flags.includes('multi-arg');
        if (!multi && argv.length !== 2) return fail('wrong number of arguments');
        let words = argv.slice(1);
        if (multi && argv.length === 2 && argv[1].length) words = splitArgsStr(argv[1]) ?? [argv[1]];
        if (def.name === 'save') {
          const parsed = def.parse(words, ctx);
          if ('error' in parsed) return fail(parsed.error);
          const points = parsed.value as SavePoint[];
          const clear = words.length === 1 && words[0] === '';
          if (clear || !state.reading || !state.saveLoaded) state.save = [];
          state.saveLoaded = true;
          state.save = [...state.save, ...points];
          config.setRaw('save', state.save);
          continue;
        }
        const err = config.set(name, words, ctx);
        if (err) return fail(err);
        continue;
      }
      if (DEPRECATED.has(name) && argv.length === 2) continue;
      if (name === 'include' && argv.length === 2) {
        const pattern = argv[1];
        const files = /[*?[]/.test(pattern) ? await opts.glob(pattern) : [pattern];
        let sub = '';
        for (const f of files) {
          const r = await opts.readFile(f);
          if (typeof r !== 'string') {
            result.fatalLog = `Fatal error, can't open config file '${f}': ${r.error}`;
            return false;
          }
          sub += r;
        }
        if (files.length === 0) continue;
        if (depth > 64) return fail('include nesting too deep');
        if (!(await loadString(sub, depth + 1))) return false;
        // Like 7.0: the nested load ended the "reading a config file" state.
        state.reading = false;
      } else if (name === 'rename-command' && argv.length === 3) {
        const from = argv[1].toLowerCase();
        if (!commands.has(from)) return fail('No such command in rename-command');
        commands.delete(from);
        if (argv[2].length !== 0) {
          const to = argv[2].toLowerCase();
          if (commands.has(to)) return fail('Target command name already exists');
          commands.add(to);
        }
        result.renames.push([argv[1], argv[2]]);
      } else if (name === 'user' && argv.length >= 2) {
        const bad = checkUserDeclaration(argv, result.users, opts.aclCommands, opts.warn);
        if (bad) return fail(bad);
        result.users.push(argv.slice(1));
      } else if (name === 'loadmodule' && argv.length >= 2) {
        result.modules.push(argv.slice(1));
      } else if (name.includes('.')) {
        if (argv.length < 2) return fail('Module config specified without value');
      } else if (name === 'sentinel') {
        // A bare "sentinel" line switched sentinel mode on in main().
        if (argv.length !== 1) {
          if (!opts.sentinel) return fail('sentinel directive while not in sentinel mode');
          result.sentinelLines.push({ args: argv.slice(1), line: text, lineNo });
        }
      } else {
        return fail('Bad directive or wrong number of arguments');
      }
    }
    const logfile = config.get<string>('logfile');
    if (logfile !== '') {
      const err = opts.checkLogfile(logfile);
      if (err) { result.fatal = fatalBlock(null, `Can't open the log file: ${err}`); return false; }
    }
    if (config.get<boolean>('cluster-enabled') && config.get('replicaof')) {
      result.fatal = fatalBlock(null, 'replicaof directive not allowed in cluster mode');
      return false;
    }
    const hz = config.get<number>('hz');
    if (hz < 1) config.setRaw('hz', 1);
    if (hz > 500) config.setRaw('hz', 500);
    state.reading = false;
    return true;
  };

  await loadString(text, 0);
  return result;
}

/** Match directory entries against a glob pattern's last path component. */
export function globMatch(dirEntries: string[], dir: string, namePattern: string): string[] {
  return dirEntries.filter((e) => stringMatch(namePattern, e)).sort().map((e) => (dir.endsWith('/') ? dir + e : `${dir}/${e}`));
}

export { DEFAULT_SAVE_POINTS };
