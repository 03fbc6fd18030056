/**
 * Server administration: CONFIG, TIME, SHUTDOWN, and friends.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { stringMatch } from '../util/glob';
import { replyHelp } from './keyspace';

const G = { group: 'server', acl: [] as string[] };

function configGet(c: Client, argv: string[]): void {
  const cfg = c.server.config;
  const matches = new Map<string, string>();
  for (let i = 2; i < argv.length; i++) {
    const name = argv[i];
    if (!/[[*?]/.test(name)) {
      const def = cfg.lookup(name);
      if (def && !matches.has(name.toLowerCase())) matches.set(name.toLowerCase(), cfg.format(def.name));
      continue;
    }
    for (const [n, def] of cfg.entries()) {
      if (def.flags?.includes('hidden')) continue;
      if (matches.has(n)) continue;
      if (stringMatch(name, n, true)) matches.set(n, cfg.format(def.name));
    }
  }
  c.replyMapLen(matches.size);
  for (const [k, v] of matches) { c.replyBulk(k); c.replyBulk(v); }
}

function configSet(c: Client, argv: string[]): void {
  const s = c.server;
  const cfg = s.config;
  if (argv.length % 2 !== 0) { c.replyArityError(); return; }
  const pairs: { name: string; value: string }[] = [];
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i += 2) {
    const def = cfg.lookup(argv[i]);
    if (!def || def.flags?.includes('immutable') || (def.flags?.includes('protected') && s.config.get<string>('enable-protected-configs') === 'no')) {
      const why = !def ? 'Unknown option or number of arguments for CONFIG SET' : def.flags?.includes('immutable') ? "can't set immutable config" : "can't set protected config";
      if (!def) { c.replyError(`Unknown option or number of arguments for CONFIG SET - '${argv[i]}'`); return; }
      c.replyError(`CONFIG SET failed (possibly related to argument '${argv[i]}') - ${why}`);
      return;
    }
    if (seen.has(def.name)) { c.replyError(`CONFIG SET failed (possibly related to argument '${argv[i]}') - duplicate parameter`); return; }
    seen.add(def.name);
    pairs.push({ name: argv[i], value: argv[i + 1] });
  }
  const old = pairs.map((p) => ({ name: p.name, value: cfg.get(p.name) }));
  for (const p of pairs) {
    const def = cfg.lookup(p.name)!;
    const words = def.flags?.includes('multi-arg') ? (p.value === '' ? [''] : p.value.split(' ')) : [p.value];
    const err = cfg.set(p.name, words, { loading: false, sentinel: s.sentinelMode });
    if (err) {
      for (const o of old) cfg.setRaw(o.name, o.value);
      c.replyError(`CONFIG SET failed (possibly related to argument '${p.name}') - ${err}`);
      return;
    }
  }
  c.replyOk();
}

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Print this help.',
];

function time(c: Client): void {
  const us = c.server.os.nowUs();
  const sec = Math.floor(us / 1e6);
  c.replyArrayLen(2);
  c.replyBulk(String(sec));
  c.replyBulk(String(Math.floor(us - sec * 1e6)));
}

export const serverAdminCommands: CommandSpec[] = [
  cmd('config', -2, [], [0, 0, 0], { ...G, since: '2.0.0', summary: 'A container for server configuration commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('get', -3, ['admin', 'noscript', 'loading', 'stale'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Return the effective values of configuration parameters.', complexity: 'O(N) when N is the number of configuration parameters provided', args: [{ name: 'parameter', type: 'string', multiple: true }] }, configGet),
      cmd('set', -4, ['admin', 'noscript', 'loading', 'stale'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Set configuration parameters at runtime.', complexity: 'O(N) when N is the number of configuration parameters provided', tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], args: [{ name: 'data', type: 'block', multiple: true, args: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] }] }, configSet),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' }, (c) => replyHelp(c, CONFIG_HELP)),
    ],
  }),
  cmd('time', 1, ['loading', 'stale', 'fast'], [0, 0, 0], { ...G, since: '2.6.0', summary: 'The server time as seconds and microseconds.', complexity: 'O(1)', tips: ['nondeterministic_output'] }, time),
];
