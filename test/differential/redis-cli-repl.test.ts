/**
 * The interactive side of our redis-cli: prompts, hints, completion and history, checked
 * against what the real redis-cli 7.0.15 shows in a terminal.
 *
 * The expected strings were recorded by driving /usr/bin/redis-cli in a pseudo-terminal
 * (python3's `pty` module, TERM=xterm, a 1000-column window): type the line character by
 * character and take the text linenoise draws between "\x1b[0;90;49m" and "\x1b[0m" after the
 * last keystroke; for prompts, press Enter and take what is printed after the reply. `null`
 * means linenoise drew no hint at all.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haveTools, startRealRedis, REAL_REDIS, REAL_REDIS_CLI, type RealRedis } from '../support/real-redis';
import { runOurCli, type FakeTerminal } from '../support/cli-runner';
import type { RawClient } from '../support/raw-client';
import { freePort } from '../support/ports';
import { ReplyReader } from '../../src/engine/tools/redis-cli/reply';
import { completions, helpFromCommandDocs, helpFromSpecs, hint, type HelpEntry } from '../../src/engine/tools/redis-cli/help';
import { ALL_COMMAND_FAMILIES } from '../../src/engine/commands';

const enabled = haveTools(REAL_REDIS, REAL_REDIS_CLI);

/** Recorded from real redis-cli connected to a 7.0.15 server (hints come from COMMAND DOCS). */
const HINTS_CONNECTED: Record<string, string | null> = {
  'set': ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
  'set ': 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
  'set foo': ' value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
  'set foo ': 'value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
  'set foo bar ex 10 ': '[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
  'get': ' key',
  'GET k': ' ',
  'config get ': 'parameter [parameter ...]',
  'config': ' ',
  'client kill ': 'ip:port|[ID client-id]|[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR ip:port]|[LADDR ip:port]|[SKIPME yes/no] [[ID client-id]|[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR ip:port]|[LADDR ip:port]|[SKIPME yes/no] ...]',
  'zadd k ': '[NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]',
  'xadd ': 'key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]',
  'help': null,
  'help set': null,
  'nosuch x': null,
  '"unbalanced': null,
  'hset h f v f2 ': '[field value ...]',
  'config set maxmemory 1 ': '[parameter value ...]',
  'acl setuser u ': '[rule [rule ...]]',
  'migrate ': 'host port key|"" destination-db timeout [COPY] [REPLACE] [[AUTH password]|[AUTH2 username password]] [KEYS key [key ...]]',
  'CLIENT LIST ': '[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]',
  'bitfield k ': '[GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY encoding offset increment [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY encoding offset increment ...]]',
  '  get  ': 'key',
  'georadius ': 'key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]',
  'select': ' index',
  'ping': ' [message]',
};

/**
 * Recorded from real redis-cli with no server (its built-in help table). Ours is generated
 * from our own command table's documentation, so these cover the commands we implement.
 */
const HINTS_NOT_CONNECTED: Record<string, string> = {
  'set ': 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
  'get ': 'key',
  'expire k ': 'seconds [NX|XX|GT|LT]',
  'getex k ': '[EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]',
  'config get ': 'parameter [parameter ...]',
  'copy ': 'source destination [DB destination-db] [REPLACE]',
  'scan ': 'cursor [MATCH pattern] [COUNT count] [TYPE type]',
  'lcs ': 'key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]',
  'object ': '',
  'object encoding ': 'key',
  'hello ': '[protover [AUTH username password] [SETNAME clientname]]',
  'auth ': '[username] password',
};

describe('redis-cli built-in help table (no server)', () => {
  const entries = helpFromSpecs(ALL_COMMAND_FAMILIES.flat());
  for (const [line, expected] of Object.entries(HINTS_NOT_CONNECTED)) {
    it(`hint for ${JSON.stringify(line)}`, () => expect(hint(entries, line)).toBe(expected));
  }
  it('completes command names and help topics', () => {
    expect(completions(entries, 'getr')).toEqual(['GETRANGE']);
    expect(completions(entries, 'help @str')).toEqual(['help @string', 'help @stream']);
    expect(completions(entries, 'help   getd')).toEqual(['help   GETDEL']);
    expect(completions(entries, '@str')).toEqual([]);
    expect(completions(entries, 'config g')).toEqual(['CONFIG GET']);
  });
});

describe.skipIf(!enabled)('redis-cli REPL against a real server', () => {
  let real: RealRedis;
  let client: RawClient;
  let entries: HelpEntry[];
  let home: string;

  beforeAll(async () => {
    real = await startRealRedis();
    client = await real.client();
    client.write('*2\r\n$7\r\nCOMMAND\r\n$4\r\nDOCS\r\n');
    const bytes = (await client.reply()).bytes;
    const reader = new ReplyReader();
    reader.feed(Buffer.from(bytes, 'latin1'));
    entries = helpFromCommandDocs(reader.next()!);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-cli-repl-'));
  });
  afterAll(async () => {
    client?.close();
    await real?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('hints from COMMAND DOCS match redis-cli 7.0.15', () => {
    const ours: Record<string, string | null> = {};
    for (const line of Object.keys(HINTS_CONNECTED)) ours[line] = hint(entries, line);
    expect(ours).toEqual(HINTS_CONNECTED);
  });

  it('completion walks the sorted help table', () => {
    expect(completions(entries, 'config s')).toEqual(['CONFIG SET']);
    expect(completions(entries, 'client n')).toEqual(['CLIENT NO-EVICT']);
    expect(completions(entries, 'zra')).toEqual(['ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZRANK']);
    expect(completions(entries, 'help @sorted')).toEqual(['help @sorted-set']);
  });

  function terminal(lines: string[]): FakeTerminal {
    return { lines, prompts: [], editing: [] };
  }

  it('prompts follow SELECT, MULTI/EXEC/DISCARD and connect, as in a terminal', async () => {
    const p = real.port;
    const dead = await freePort();
    const t = terminal(['select 2', 'multi', 'set a 1', 'exec', 'multi', 'discard', 'select 0', `connect 127.0.0.1 ${dead}`, 'ping', `connect 127.0.0.1 ${p}`]);
    const r = await runOurCli(['-p', String(p)], { terminal: t, env: { HOME: home } });
    // Recorded in a pty: the prompt printed after each of the lines above.
    expect(t.prompts).toEqual([
      `127.0.0.1:${p}> `, `127.0.0.1:${p}[2]> `, `127.0.0.1:${p}[2](TX)> `, `127.0.0.1:${p}[2](TX)> `, `127.0.0.1:${p}[2]> `,
      `127.0.0.1:${p}[2](TX)> `, `127.0.0.1:${p}[2]> `, `127.0.0.1:${p}> `, 'not connected> ', 'not connected> ', `127.0.0.1:${p}> `,
    ]);
    expect(r.stdout).toBe('OK\nOK\nQUEUED\n1) OK\nOK\nOK\nOK\n');
    expect(r.stderr).toBe(`Could not connect to Redis at 127.0.0.1:${dead}: Connection refused\n`.repeat(2));
    expect(r.code).toBe(0);
  });

  it('the terminal gets redis-cli hints and completions for the line being edited', async () => {
    const t = terminal(['ping']);
    await runOurCli(['-p', String(real.port)], { terminal: t, env: { HOME: home } });
    const editing = t.editing[0];
    expect(editing.hint!('set foo ')).toBe(HINTS_CONNECTED['set foo ']);
    expect(editing.complete!('getd')).toEqual(['GETDEL']);
    expect(editing.historyKey).toBe('redis-cli');
  });

  it(':set nohints turns hints off', async () => {
    const t: FakeTerminal = { ...terminal([':set nohints', ':set what', ':set hints', 'ping']), hintProbe: 'get ' };
    const r = await runOurCli(['-p', String(real.port)], { terminal: t, env: { HOME: home } });
    expect(t.hints).toEqual(['key', null, null, 'key', 'key']);
    expect(r.stdout).toBe("unknown redis-cli preference 'what'\nPONG\n");
  });

  it('history file: like linenoise, no duplicates in a row, no passwords', async () => {
    const h = fs.mkdtempSync(path.join(home, 'h-'));
    const lines = ['ping', 'ping', 'auth foo', 'set a 1', 'config set requirepass ""', '3 auth x', '"unbalanced', 'hello 3 auth u p', 'get a', 'ping'];
    const t = terminal(lines.slice());
    await runOurCli(['-p', String(real.port)], { terminal: t, env: { HOME: h } });
    // Recorded: the same lines typed into real redis-cli leave exactly this file.
    expect(fs.readFileSync(path.join(h, '.rediscli_history'), 'latin1')).toBe('ping\nset a 1\n"unbalanced\nget a\nping\n');
    // The next session starts with that history and hands it to the line editor.
    const t2 = terminal(['echo again']);
    await runOurCli(['-p', String(real.port)], { terminal: t2, env: { HOME: h } });
    expect(t2.editing[0].history).toEqual(['ping', 'set a 1', '"unbalanced', 'get a', 'ping']);
    expect(fs.readFileSync(path.join(h, '.rediscli_history'), 'latin1')).toBe('ping\nset a 1\n"unbalanced\nget a\nping\necho again\n');
  });

  it('REDISCLI_HISTFILE overrides the path, /dev/null disables the file', async () => {
    const file = path.join(home, 'custom-history');
    await runOurCli(['-p', String(real.port)], { terminal: terminal(['ping']), env: { HOME: home, REDISCLI_HISTFILE: file } });
    expect(fs.readFileSync(file, 'latin1')).toBe('ping\n');
    const h = fs.mkdtempSync(path.join(home, 'n-'));
    await runOurCli(['-p', String(real.port)], { terminal: terminal(['ping']), env: { HOME: h, REDISCLI_HISTFILE: '/dev/null' } });
    expect(fs.readdirSync(h)).toEqual([]);
  });

  it('keeps at most 100 history lines', async () => {
    const h = fs.mkdtempSync(path.join(home, 'm-'));
    const lines = Array.from({ length: 120 }, (_, i) => `echo ${i}`);
    await runOurCli(['-p', String(real.port)], { terminal: terminal(lines), env: { HOME: h } });
    const saved = fs.readFileSync(path.join(h, '.rediscli_history'), 'latin1').split('\n').filter(Boolean);
    expect(saved.length).toBe(100);
    expect(saved[0]).toBe('echo 20');
  });

  it('~/.redisclirc preferences', async () => {
    const h = fs.mkdtempSync(path.join(home, 'rc-'));
    fs.writeFileSync(path.join(h, '.redisclirc'), ':set nohints\n:set bogus\nfoo\n');
    const t: FakeTerminal = { ...terminal(['ping']), hintProbe: 'get ' };
    const r = await runOurCli(['-p', String(real.port)], { terminal: t, env: { HOME: h } });
    expect(t.hints).toEqual([null, null]);
    expect(r.stdout).toBe(".redisclirc: unknown redis-cli preference 'bogus'\n.redisclirc: unknown redis-cli internal command 'foo'\nPONG\n");
  });

  it('quit ends the session with code 0, Ctrl-D (end of input) too', async () => {
    const r = await runOurCli(['-p', String(real.port)], { terminal: terminal(['quit', 'ping']) });
    expect(r).toEqual({ stdout: '', stderr: '', code: 0 });
    const r2 = await runOurCli(['-p', String(real.port)], { terminal: terminal([]) });
    expect(r2).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('a slow command reports its time in tty mode', async () => {
    const r = await runOurCli(['-p', String(real.port)], { terminal: terminal(['debug sleep 0.6']) });
    expect(r.stdout).toMatch(/^OK\n\(0\.6\ds\)\n$/);
  });
});
