/**
 * COMMAND against real Redis 7.0.15.
 *
 * For every command (and subcommand) our engine implements, COMMAND INFO must report the same
 * name, arity, flags, first/last/step key positions, ACL categories and tips as real Redis.
 * Key specs are compared where the command declares them (derived specs are a simpler form).
 * COMMAND DOCS summaries, complexity texts and argument names are our own words and are NOT
 * compared; DOCS is checked for shape (what redis-cli needs for its hints).
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Pair } from '../support/differential';
import type { RespValue } from '../../src/engine/resp/reply-parser';

const str = (v: RespValue): string => (v.type === 'bulk' || v.type === 'status' ? v.value : v.type === 'int' ? String(v.value) : JSON.stringify(v));
const list = (v: RespValue): RespValue[] => (v.type === 'array' || v.type === 'set' ? v.value : []);

interface Info { name: string; arity: number; flags: string[]; first: number; last: number; step: number; acl: string[]; tips: string[]; subs: Info[] }

function parseInfo(v: RespValue): Info | null {
  if (v.type !== 'array') return null;
  const a = v.value;
  return {
    name: str(a[0]), arity: Number(str(a[1])), flags: list(a[2]).map(str), first: Number(str(a[3])), last: Number(str(a[4])), step: Number(str(a[5])),
    acl: list(a[6]).map(str), tips: list(a[7]).map(str), subs: list(a[9]).map((x) => parseInfo(x)!).filter(Boolean).sort((x, y) => (x.name < y.name ? -1 : 1)),
  };
}

async function ourCommandNames(p: Pair): Promise<string[]> {
  const all = list(await p.ourClient.command(['COMMAND']));
  return all.map((x) => parseInfo(x)!.name).sort();
}

describeDifferential('COMMAND (differential)', (pair) => {
  it('COMMAND INFO matches real Redis for every command we implement (arity, flags, keys, ACL categories, tips, subcommands)', async () => {
    const p = pair();
    const names = await ourCommandNames(p);
    expect(names.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const name of names) {
      const [real, ours] = await Promise.all([p.realClient.command(['COMMAND', 'INFO', name]), p.ourClient.command(['COMMAND', 'INFO', name])]);
      const r = parseInfo(list(real)[0]), o = parseInfo(list(ours)[0]);
      if (!r) { problems.push(`${name}: not a command in real Redis`); continue; }
      // Our engine may implement a subset of a container's subcommands; compare those we have.
      const realSubs = new Map(r.subs.map((s) => [s.name, s]));
      for (const os of o!.subs) {
        const rs = realSubs.get(os.name);
        if (!rs) { problems.push(`${os.name}: subcommand unknown to real Redis`); continue; }
        const { subs: _a, ...rest1 } = rs; const { subs: _b, ...rest2 } = os;
        void _a; void _b;
        if (JSON.stringify(rest2) !== JSON.stringify(rest1)) problems.push(`${os.name}:\n  real ${JSON.stringify(rest1)}\n  ours ${JSON.stringify(rest2)}`);
      }
      const { subs: _c, ...top1 } = r; const { subs: _d, ...top2 } = o!;
      void _c; void _d;
      if (JSON.stringify(top2) !== JSON.stringify(top1)) problems.push(`${name}:\n  real ${JSON.stringify(top1)}\n  ours ${JSON.stringify(top2)}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('COMMAND INFO key specs match real Redis for every command we implement (flags say how each key is touched)', async () => {
    const p = pair();
    const [real, ours] = await Promise.all([p.realClient.command(['COMMAND']), p.ourClient.command(['COMMAND'])]);
    const specs = (all: RespValue, out = new Map<string, string>()): Map<string, string> => {
      for (const c of list(all)) {
        if (c.type !== 'array') continue;
        out.set(str(c.value[0]), JSON.stringify(c.value[8], (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
        specs(c.value[9], out);
      }
      return out;
    };
    const r = specs(real), o = specs(ours);
    const problems = [...o].filter(([name, s]) => r.has(name) && r.get(name) !== s).map(([name]) => name);
    expect(problems).toEqual([]);
  });

  it('COMMAND GETKEYSANDFLAGS gives each key the flags of this call (getkeys procs for SET, BITFIELD, SORT, MIGRATE)', () => expectSame(pair(), [
    ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k1', 'v1'], ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k1', 'v1', 'get'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'mset', 'k1', 'v1', 'k2', 'v2'], ['COMMAND', 'GETKEYSANDFLAGS', 'LMOVE', 'k1', 'k2', 'left', 'right'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'sort', 'k1', 'store', 'k2'], ['COMMAND', 'GETKEYSANDFLAGS', 'sort', 'k1', 'by', 'x', 'get', 'y'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'sort_ro', 'k1'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'bitfield', 'k', 'get', 'u8', '0', 'overflow', 'sat'], ['COMMAND', 'GETKEYSANDFLAGS', 'bitfield', 'k', 'set', 'u8', '0', '1'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'exists', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'incr', 'a'], ['COMMAND', 'GETKEYSANDFLAGS', 'del', 'a', 'b'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'zunionstore', 'd', '2', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'sintercard', '2', 'a', 'b'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'migrate', 'h', '1', '', '0', '0', 'keys', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'migrate', 'h', '1', 'k', '0', '0'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'georadius', 'k', '0', '0', '1', 'm', 'store', 'd'], ['COMMAND', 'GETKEYSANDFLAGS', 'rename', 'a', 'b'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'blmpop', '0', '2', 'a', 'b', 'left'], ['COMMAND', 'GETKEYSANDFLAGS', 'xread', 'streams', 'a', 'b', '0', '0'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'object', 'encoding', 'k'], ['COMMAND', 'GETKEYSANDFLAGS', 'eval', 'return 1', '1', 'k'],
  ]));

  it('ACL key permissions follow the same per-call flags (read for access, write for insert/delete/update)', () => expectSame(pair(), [
    ['ACL', 'SETUSER', 'kf', 'on', 'nopass', '+@all', '%R~r*', '%W~w*', '~rw*'],
    ['ACL', 'DRYRUN', 'kf', 'set', 'w1', 'v'], ['ACL', 'DRYRUN', 'kf', 'set', 'w1', 'v', 'get'], ['ACL', 'DRYRUN', 'kf', 'set', 'rw1', 'v', 'get'],
    ['ACL', 'DRYRUN', 'kf', 'exists', 'r1', 'w1'], ['ACL', 'DRYRUN', 'kf', 'append', 'w1', 'x'], ['ACL', 'DRYRUN', 'kf', 'lmove', 'w1', 'w2', 'left', 'left'],
    ['ACL', 'DRYRUN', 'kf', 'lmove', 'rw1', 'w2', 'left', 'left'], ['ACL', 'DRYRUN', 'kf', 'sort', 'r1', 'store', 'w1'], ['ACL', 'DRYRUN', 'kf', 'incr', 'w1'],
    ['ACL', 'DRYRUN', 'kf', 'bitfield', 'r1', 'get', 'u8', '0'], ['ACL', 'DRYRUN', 'kf', 'bitfield', 'r1', 'incrby', 'u8', '0', '1'],
    ['ACL', 'DRYRUN', 'kf', 'zunionstore', 'w1', '2', 'r1', 'r2'], ['ACL', 'DRYRUN', 'kf', 'del', 'w1', 'r1'], ['ACL', 'DELUSER', 'kf'],
  ]));

  // Byte comparisons use commands whose key specs the table states (or that have no keys):
  // derived key specs carry RO/access or RW/update, a simpler form than Redis's per-command flags.
  it('COMMAND INFO / GETKEYS / LIST / HELP byte for byte', () => expectSame(pair(), [
    ['COMMAND', 'INFO', 'get'], ['COMMAND', 'INFO', 'GET', 'nosuchcmd', 'config|get', 'CONFIG|SET', 'config|nope', 'a|b|c'],
    // (Containers list their subcommands in dict order, random in Redis; the first test compares them sorted.)
    ['COMMAND', 'INFO', 'memory|usage'], ['COMMAND', 'INFO', 'ping', 'echo'], ['COMMAND', 'INFO', 'debug', 'info', 'lastsave', 'wait', 'role', 'time', 'shutdown'],
    ['COMMAND', 'GETKEYS', 'get', 'a'], ['COMMAND', 'GETKEYS', 'mset', 'a', '1', 'b', '2'], ['COMMAND', 'GETKEYS', 'mset', 'a'],
    ['COMMAND', 'GETKEYS', 'ping', 'x'], ['COMMAND', 'GETKEYS', 'nosuch', 'x'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS', 'config', 'get', 'x'],
    ['COMMAND', 'GETKEYS', 'memory', 'usage', 'k'], ['COMMAND', 'GETKEYS', 'del', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'set', 'k', 'v', 'EX', '10'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'a'], ['COMMAND', 'GETKEYSANDFLAGS', 'memory', 'usage', 'k'],
    ['COMMAND', 'LIST', 'FILTERBY', 'bogus', 'x'], ['COMMAND', 'LIST', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'aclcat'],
    ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'nope'], ['COMMAND', 'LIST', 'FILTERBY', 'module', 'nope'],
    { cmd: ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'config*'], compare: 'sorted' },
    ['COMMAND', 'HELP'], ['COMMAND', 'COUNT', 'x'],
  ]));

  it('RESP3 shapes of COMMAND INFO and GETKEYSANDFLAGS', () => expectSame(pair(), [
    { cmd: ['HELLO', '3'], compare: 'type' },
    ['COMMAND', 'INFO', 'get', 'config|get', 'nosuch'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'a'], ['COMMAND', 'INFO', 'memory|usage', 'config|set'], ['COMMAND', 'DOCS', 'nosuchcommand'],
    { cmd: ['HELLO', '2'], compare: 'type' },
  ]));

  it('COMMAND DOCS is well formed for every command (what redis-cli reads at start-up)', async () => {
    const p = pair();
    const docs = await p.ourClient.command(['COMMAND', 'DOCS']);
    const items = list(docs);
    expect(items.length % 2).toBe(0);
    const validTypes = new Set(['string', 'integer', 'double', 'key', 'pattern', 'unix-time', 'pure-token', 'oneof', 'block']);
    const checkArgs = (args: RespValue[], where: string) => {
      for (const a of args) {
        const m = list(a);
        const keys = m.filter((_, i) => i % 2 === 0).map(str);
        expect(keys.slice(0, 2), where).toEqual(['name', 'type']);
        const type = str(m[3]);
        expect(validTypes.has(type), `${where}: type ${type}`).toBe(true);
        const ai = keys.indexOf('arguments');
        if (type === 'oneof' || type === 'block') {
          expect(ai, `${where}: ${type} without arguments`).toBeGreaterThan(0);
          checkArgs(list(m[ai * 2 + 1]), where);
        }
      }
    };
    const checkDoc = (name: string, doc: RespValue) => {
      const m = list(doc);
      const keys = m.filter((_, i) => i % 2 === 0).map(str);
      expect(keys, name).toContain('group');
      const ai = keys.indexOf('arguments');
      if (ai >= 0) checkArgs(list(m[ai * 2 + 1]), name);
      const si = keys.indexOf('subcommands');
      if (si >= 0) { const subs = list(m[si * 2 + 1]); for (let i = 0; i < subs.length; i += 2) checkDoc(str(subs[i]), subs[i + 1]); }
    };
    for (let i = 0; i < items.length; i += 2) checkDoc(str(items[i]), items[i + 1]);
    // The same keys for a documented command as Redis (values are our own words).
    const shape = (v: RespValue) => list(list(v)[1]).filter((_, i) => i % 2 === 0).map(str);
    for (const name of ['get', 'set', 'config', 'info', 'debug', 'slowlog']) {
      const [r, o] = await Promise.all([p.realClient.command(['COMMAND', 'DOCS', name]), p.ourClient.command(['COMMAND', 'DOCS', name])]);
      expect(shape(o).filter((k) => k !== 'history').sort(), name).toEqual(shape(r).filter((k) => k !== 'history').sort());
    }
  });
});
