/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP, following config.c.
 *
 * CONFIG SET is atomic over all its name/value pairs: names are validated first (unknown,
 * immutable, protected, -LOADING, duplicates: the first problem wins), then every value is
 * parsed and stored, and only then the apply hooks of the parameters that really changed run
 * (rebinding, hz, ...), each distinct hook once. Any failure puts every parameter back to its
 * previous value (re-parsing the previous CONFIG GET text, as Redis does) and re-runs the
 * hooks, so the server is left as it was.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { cmd, type CommandSpec } from './table';
import { stringMatch } from '../util/glob';
import { addReplyHelp } from './help';
import type { ApplyHook, ConfigEntry } from '../config/config';
import { rewriteConfigFile, type RewriteContext } from '../config/rewrite';
import { replyAfter } from '../server/async-reply';
import { resetAllStats } from '../server/stats-reset';
import { aclRewriteLines } from './acl';

const G = { group: 'server', acl: [] as string[] };

function configGet(c: Client, argv: string[]): void {
  const cfg = c.server.config;
  // Keys are compared case-insensitively, like the dict Redis collects matches in.
  const matches = new Map<string, { key: string; entry: ConfigEntry }>();
  for (let i = 2; i < argv.length; i++) {
    const name = argv[i];
    if (!/[[*?]/.test(name)) {
      if (matches.has(name.toLowerCase())) continue;
      const entry = cfg.lookupEntry(name);
      if (entry) matches.set(name.toLowerCase(), { key: name, entry });
      continue;
    }
    for (const entry of cfg.entries()) {
      if (entry.def.flags.includes('hidden')) continue;
      if (matches.has(entry.name)) continue;
      if (stringMatch(name, entry.name, true)) matches.set(entry.name, { key: entry.name, entry });
    }
  }
  c.replyMapLen(matches.size);
  for (const { key, entry } of matches.values()) {
    c.replyBulk(key);
    c.replyBulk(cfg.format(entry.def.name));
  }
}

/** CONFIG SET splits multi-word values on single spaces (sdssplitlen), "" giving no words. */
function splitValue(multi: boolean, v: string): string[] {
  if (!multi) return [v];
  return v === '' ? [] : v.split(' ');
}

function allowProtected(s: RedisServer, c: Client): boolean {
  const v = s.config.get<string>('enable-protected-configs');
  return v === 'yes' || (v === 'local' && c.isLocal);
}

function configSet(c: Client, argv: string[]): void {
  const s = c.server;
  const cfg = s.config;
  if ((argv.length & 1) === 1) { c.replySyntaxError(); return; }
  const n = (argv.length - 2) / 2;
  const entries: ConfigEntry[] = [];
  const values: string[] = [];
  let invalidName: string | null = null;
  let errstr: string | null = null;
  let errArg = '';
  let invalid = false;
  let denyLoading = false;
  const redact: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = argv[2 + i * 2];
    const entry = cfg.lookupEntry(name);
    if (!entry) {
      if (!invalid) { invalidName = name; invalid = true; }
      continue;
    }
    if (entry.def.flags.includes('sensitive')) redact.push(3 + i * 2);
    if (invalid) continue;
    const flags = entry.def.flags;
    if (flags.includes('immutable') || (flags.includes('protected') && !allowProtected(s, c))) {
      errstr = flags.includes('immutable') ? "can't set immutable config" : "can't set protected config";
      errArg = name;
      invalid = true;
      continue;
    }
    if (s.loading && flags.includes('deny-loading')) {
      denyLoading = true;
      invalid = true;
      continue;
    }
    // Canonical names and aliases are distinct dict entries: "slave-priority" and
    // "replica-priority" in one CONFIG SET are not duplicates (the later one wins).
    if (entries.some((e) => e.name === entry.name)) {
      errstr = 'duplicate parameter';
      errArg = name;
      invalid = true;
    }
    entries.push(entry);
    values.push(argv[3 + i * 2]);
  }
  // Sensitive values never reach SLOWLOG (call() logs the argv array after we return).
  for (const idx of redact) argv[idx] = '(redacted)';

  const fail = (err: string | null, arg: string) => {
    if (denyLoading) c.replyError('-LOADING Redis is loading the dataset in memory');
    else if (invalidName !== null) c.replyError(`Unknown option or number of arguments for CONFIG SET - '${invalidName}'`);
    else if (err) c.replyError(`CONFIG SET failed (possibly related to argument '${arg}') - ${err}`);
    else c.replyError(`CONFIG SET failed (possibly related to argument '${arg}')`);
  };
  if (invalid) { fail(errstr, errArg); return; }

  const ctx = { loading: false, sentinel: s.sentinelMode };
  const old = entries.map((e) => cfg.format(e.def.name));
  const oldValues = entries.map((e) => cfg.get(e.def.name));
  const restore = (count: number) => {
    for (let i = 0; i < count; i++) {
      const r = cfg.setValue(entries[i].name, splitValue(entries[i].def.flags.includes('multi-arg'), old[i]), ctx);
      if ('error' in r) {
        s.log.warning(`Failed restoring failed CONFIG SET command. Error setting ${entries[i].name} to '${old[i]}': ${r.error}`);
      }
    }
  };

  const hooks: { hook: ApplyHook; index: number }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const r = cfg.setValue(e.name, splitValue(e.def.flags.includes('multi-arg'), values[i]), ctx);
    if ('error' in r) {
      restore(i + 1);
      fail(r.error, e.name);
      return;
    }
    if (!r.changed) continue;
    for (const hook of cfg.applyHooks(e.def.name)) {
      if (!hooks.some((h) => h.hook === hook)) hooks.push({ hook, index: i });
    }
  }
  if (hooks.length === 0) { c.replyOk(); return; }

  const runHook = (h: { hook: ApplyHook; index: number }) => h.hook(cfg.get(entries[h.index].def.name), oldValues[h.index]);
  const reapplyAfterRestore = async () => {
    restore(entries.length);
    for (const h of hooks) {
      const err = await runHook(h);
      if (err) s.log.warning(`Failed applying restored failed CONFIG SET command: ${err}`);
    }
  };
  const failedAt = (i: number): string => {
    s.log.warning(`Failed applying new configuration. Possibly related to new ${entries[hooks[i].index].name} setting. Restoring previous settings.`);
    return entries[hooks[i].index].name;
  };

  // Run the hooks synchronously while they are synchronous; switch to a deferred reply at the
  // first one that returns a promise.
  for (let i = 0; i < hooks.length; i++) {
    const r = runHook(hooks[i]);
    if (r instanceof Promise) {
      const rest = (async (): Promise<{ err: string; arg: string } | null> => {
        let res = await r;
        for (let j = i; ; ) {
          if (res) {
            const arg = failedAt(j);
            await reapplyAfterRestore();
            return { err: res, arg };
          }
          if (++j >= hooks.length) return null;
          res = await runHook(hooks[j]);
        }
      })();
      replyAfter(c, rest, (cl, out) => (out ? fail(out.err, out.arg) : cl.replyOk()), (cl) => cl.replyOk());
      return;
    }
    if (r) {
      const arg = failedAt(i);
      // Re-applying after a synchronous failure may itself be asynchronous (rebinding the old
      // port); the reply does not wait for it, as in Redis it would already be done.
      const reapplying = reapplyAfterRestore();
      s.os.trackAsync?.(reapplying);
      fail(r, arg);
      return;
    }
  }
  c.replyOk();
}

function configResetStat(c: Client): void {
  resetAllStats(c.server);
  c.replyOk();
}

function configRewrite(c: Client): void {
  const s = c.server;
  if (!s.config.configFile) { c.replyError('The server is running without a config file'); return; }
  const ctx: RewriteContext = {
    sentinel: s.sentinelMode,
    clusterEnabled: s.clusterEnabled(),
    master: s.masterHost ? { host: s.masterHost, port: s.masterPort } : null,
    userLines: aclRewriteLines(s),
    extra: s.config.rewriters,
  };
  const work = rewriteConfigFile(s.os.fs, s.config.configFile, s.config, ctx, () => s.os.random());
  const done = (cl: Client, err: string | null) => {
    if (err) {
      s.log.warning(`CONFIG REWRITE failed: ${err}`);
      cl.replyError(`Rewriting config file: ${err}`);
    } else {
      s.log.warning('CONFIG REWRITE executed with success.');
      cl.replyOk();
    }
  };
  replyAfter(c, work, done, (cl) => cl.replyOk());
}

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

const SUB_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

export const configCommands: CommandSpec[] = [
  cmd('config', -2, [], [0, 0, 0], { ...G, since: '2.0.0', summary: 'A container for server configuration commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('get', -3, [...SUB_FLAGS], [0, 0, 0], {
        ...G, since: '2.0.0', summary: 'Return the effective values of configuration parameters.',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        args: [{ name: 'parameter', type: 'block', multiple: true, args: [{ name: 'parameter', type: 'string' }] }],
      }, configGet, { history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']] }),
      cmd('set', -4, [...SUB_FLAGS], [0, 0, 0], {
        ...G, since: '2.0.0', summary: 'Set configuration parameters to the given values.',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        args: [{ name: 'parameter_value', type: 'block', multiple: true, args: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] }],
      }, configSet, { history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']] }),
      cmd('resetstat', 2, [...SUB_FLAGS], [0, 0, 0], {
        ...G, since: '2.0.0', summary: 'Reset the server statistics reported by INFO.', complexity: 'O(1)',
      }, configResetStat),
      cmd('rewrite', 2, [...SUB_FLAGS], [0, 0, 0], {
        ...G, since: '2.8.0', summary: 'Write the running configuration back into the configuration file.', complexity: 'O(1)',
      }, configRewrite),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, argv) => addReplyHelp(c, argv, CONFIG_HELP)),
    ],
  }),
];
