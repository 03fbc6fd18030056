/**
 * COMMAND against real Redis 7.0.15.
 *
 * For every command (and subcommand) COMMAND INFO must be the same as real Redis's: name, arity,
 * flags, first/last/step key positions, ACL categories, tips, key specs. COMMAND DOCS must be the
 * same too (group, since, doc flags, deprecation, history, every argument's name, type,
 * key_spec_index, token, since, flags, in the same map order), except for the summary and
 * complexity texts, which are our own words: their keys are compared, their values are not.
 * Redis lists subcommands, and the whole table, in dict order (random): those are compared by name.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Pair } from '../support/differential';
import type { RespValue } from '../../src/engine/resp/reply-parser';
import { docsByName, docsCanonical, firstDifference, infoByName } from '../support/command-docs';

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

  const compareTables = (real: Map<string, string>, ours: Map<string, string>): string[] => {
    const problems: string[] = [];
    for (const name of real.keys()) if (!ours.has(name)) problems.push(`${name}: missing in ours`);
    for (const name of ours.keys()) if (!real.has(name)) problems.push(`${name}: unknown to real Redis`);
    for (const [name, r] of real) {
      const o = ours.get(name);
      if (o !== undefined && o !== r) problems.push(`${name}: ${firstDifference(r, o)}`);
    }
    return problems;
  };

  it('COMMAND DOCS matches real Redis for every command and subcommand, in RESP2 and RESP3 (summary and complexity texts aside)', async () => {
    const p = pair();
    for (const proto of ['2', '3']) {
      const [rc, oc] = await Promise.all([p.real.client(), p.ours.client()]);
      try {
        if (proto === '3') await Promise.all([rc.command(['HELLO', '3']), oc.command(['HELLO', '3'])]);
        const [real, ours] = await Promise.all([rc.command(['COMMAND', 'DOCS']), oc.command(['COMMAND', 'DOCS'])]);
        const r = docsByName(real), o = docsByName(ours);
        expect(r.size, `RESP${proto}`).toBeGreaterThan(200);
        const problems = compareTables(r, o);
        expect(problems, `RESP${proto}\n${problems.join('\n')}`).toEqual([]);
        // Named lookups answer in the order asked and skip unknown names.
        const named = ['COMMAND', 'DOCS', 'lmove', 'nosuch', 'CLIENT|kill', 'config|get', 'GET', 'sort', 'a|b|c', 'migrate'];
        const [rn, on] = await Promise.all([rc.command(named), oc.command(named)]);
        expect(docsCanonical(on), `RESP${proto} named`).toBe(docsCanonical(rn));
      } finally {
        rc.close(); oc.close();
      }
    }
  });

  it('COMMAND (INFO of every command) matches real Redis exactly, in RESP2 and RESP3; COMMAND COUNT and LIST too', async () => {
    const p = pair();
    for (const proto of ['2', '3']) {
      const [rc, oc] = await Promise.all([p.real.client(), p.ours.client()]);
      try {
        if (proto === '3') await Promise.all([rc.command(['HELLO', '3']), oc.command(['HELLO', '3'])]);
        const [real, ours] = await Promise.all([rc.command(['COMMAND']), oc.command(['COMMAND'])]);
        const problems = compareTables(infoByName(real), infoByName(ours));
        expect(problems, `RESP${proto}\n${problems.join('\n')}`).toEqual([]);
      } finally {
        rc.close(); oc.close();
      }
    }
    await expectSame(p, [['COMMAND', 'COUNT'], { cmd: ['COMMAND', 'LIST'], compare: 'sorted' }, { cmd: ['COMMAND', 'INFO'], compare: 'length' }]);
  });

  it('MODULE: no modules loaded, LOAD/LOADEX/UNLOAD refused while enable-module-command is no', () => expectSame(pair(), [
    ['MODULE', 'LIST'], ['MODULE', 'HELP'], ['MODULE', 'LOAD', '/nonexistent/m.so'], ['MODULE', 'LOADEX', '/nonexistent/m.so', 'CONFIG', 'a', 'b'],
    ['MODULE', 'UNLOAD', 'nosuch'], ['MODULE', 'LIST', 'x'], ['MODULE', 'UNLOAD'], ['MODULE', 'NOPE'], ['MODULE'],
    ['COMMAND', 'GETKEYS', 'module', 'list'], ['ACL', 'DRYRUN', 'default', 'module', 'list'],
  ]));
});

describeDifferential('MODULE with enable-module-command yes (differential)', (pair) => {
  it('LOAD and LOADEX fail as for a library that cannot be opened, UNLOAD finds no such module', () => expectSame(pair(), [
    ['MODULE', 'LOAD', '/nonexistent/m.so'], ['MODULE', 'LOAD', '/nonexistent/m.so', 'a', 'b'],
    ['MODULE', 'LOADEX', '/nonexistent/m.so', 'CONFIG', 'a', 'b', 'ARGS', 'x'], ['MODULE', 'LOADEX', '/nonexistent/m.so', 'CONFIG', 'a'],
    ['MODULE', 'UNLOAD', 'nosuch'], ['MODULE', 'LIST'],
  ]));
}, ['--enable-module-command', 'yes']);
