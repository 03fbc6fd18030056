/**
 * INFO against real Redis 7.0.15: which sections each selection prints, in which order, and
 * the field names of every section in order. Values are compared where both servers must
 * agree after the same commands (counters, config-derived values, keyspace); host- and
 * allocator-dependent values (pids, times, memory bytes, CPU) only need to be well formed.
 */
import { it, expect } from 'vitest';
import { describeDifferential, type Pair } from '../support/differential';

async function info(cl: Pair['realClient'], ...args: string[]): Promise<string> {
  cl.write(`*${args.length + 1}\r\n$4\r\nINFO\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
  const r = (await cl.reply()).value;
  if (r.type !== 'bulk' && r.type !== 'verbatim') throw new Error(`INFO reply ${r.type}`);
  return r.value;
}

/** Section titles and field names in order. */
function shape(text: string): { title: string; fields: string[] }[] {
  const out: { title: string; fields: string[] }[] = [];
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) out.push({ title: line.slice(2), fields: [] });
    else if (line.includes(':')) out[out.length - 1].fields.push(line.slice(0, line.indexOf(':')));
  }
  return out;
}

function values(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** Command-dependent lines (commandstats, latencystats) vary with what each test ran. */
const VARIABLE_SECTIONS = new Set(['Commandstats', 'Latencystats', 'Errorstats', 'Keyspace']);

describeDifferential('INFO (differential)', (pair) => {
  it('every section selection prints the same sections with the same fields in the same order', async () => {
    const p = pair();
    for (const args of [[], ['default'], ['all'], ['everything'], ['server'], ['SERVER'], ['clients', 'memory'], ['memory', 'clients'],
      ['stats', 'stats'], ['persistence'], ['replication'], ['cpu'], ['modules'], ['module_list'], ['cluster'], ['keyspace'],
      ['commandstats'], ['latencystats'], ['errorstats'], ['bogus'], ['bogus', 'cpu'], ['all', 'bogus'], ['default', 'commandstats'], ['everything', 'server']]) {
      const [a, b] = await Promise.all([info(p.realClient, ...args), info(p.ourClient, ...args)]);
      const sa = shape(a).map((s) => (VARIABLE_SECTIONS.has(s.title) ? { title: s.title, fields: [] } : s));
      const sb = shape(b).map((s) => (VARIABLE_SECTIONS.has(s.title) ? { title: s.title, fields: [] } : s));
      expect(sb, `INFO ${args.join(' ')}`).toEqual(sa);
      expect(b.endsWith('\r\n') || b === '', `INFO ${args.join(' ')} ends with CRLF`).toBe(a.endsWith('\r\n') || a === '');
      expect(b.includes('\r\n\r\n# ') || shape(b).length < 2).toBe(true);
    }
  });

  it('values that follow from the same commands are the same', async () => {
    const p = pair();
    for (const cl of [p.realClient, p.ourClient]) {
      for (const argv of [['CONFIG', 'RESETSTAT'], ['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '1000'], ['GET', 'a'], ['GET', 'nope'],
        ['SELECT', '3'], ['SET', 'x', 'y'], ['SELECT', '0'], ['INCR', 'b'], ['BOGUSCMD'], ['GET'], ['CONFIG', 'SET', 'maxmemory', '100mb'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['CONFIG', 'SET', 'hz', '25']]) await cl.call(...argv);
    }
    const [a, b] = await Promise.all([info(p.realClient, 'everything'), info(p.ourClient, 'everything')]);
    const va = values(a), vb = values(b);
    for (const k of ['redis_version', 'redis_git_sha1', 'redis_git_dirty', 'redis_mode', 'arch_bits', 'monotonic_clock', 'multiplexing_api',
      'atomicvar_api', 'process_supervised', 'hz', 'configured_hz', 'config_file', 'io_threads_active',
      'connected_clients', 'cluster_connections', 'maxclients', 'blocked_clients', 'tracking_clients', 'clients_in_timeout_table',
      'maxmemory', 'maxmemory_human', 'maxmemory_policy', 'number_of_cached_scripts', 'mem_clients_slaves',
      'loading', 'async_loading', 'rdb_changes_since_last_save', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status', 'aof_enabled',
      'aof_rewrite_in_progress', 'aof_last_write_status', 'total_connections_received', 'total_commands_processed', 'rejected_connections',
      'expired_keys', 'evicted_keys', 'keyspace_hits', 'keyspace_misses', 'pubsub_channels', 'pubsub_patterns', 'total_forks',
      'unexpected_error_replies', 'total_error_replies', 'role', 'connected_slaves', 'master_failover_state', 'master_replid2',
      'master_repl_offset', 'second_repl_offset', 'repl_backlog_active', 'repl_backlog_size', 'repl_backlog_first_byte_offset',
      'repl_backlog_histlen', 'cluster_enabled', 'db0', 'db3', 'errorstat_ERR',
      'cmdstat_set', 'cmdstat_get', 'cmdstat_incr', 'cmdstat_select']) {
      const real = va.get(k), ours = vb.get(k);
      if (k.startsWith('cmdstat_')) {
        // usec differs; calls and failures must not.
        const strip = (v?: string) => v?.replace(/usec=\d+,usec_per_call=[\d.]+,/, '');
        expect(strip(ours), k).toBe(strip(real));
      } else if (k.startsWith('db')) {
        // avg_ttl is 0 until the first active expire cycle samples the db: whether that cycle ran
        // before this INFO is a race on either server, so only its range is compared.
        const split = (v?: string) => ({ rest: v?.replace(/,avg_ttl=\d+$/, ''), avgTtlMs: Number(v?.match(/avg_ttl=(\d+)$/)?.[1]) });
        const o = split(ours), r = split(real);
        expect(o.rest, k).toBe(r.rest);
        expect(o.avgTtlMs === 0 || (o.avgTtlMs > 990_000 && o.avgTtlMs <= 1_000_000), `${k} avg_ttl ${o.avgTtlMs}`).toBe(true);
      } else {
        expect(ours, k).toBe(real);
      }
    }
    expect(vb.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(vb.get('master_replid')).toMatch(/^[0-9a-f]{40}$/);
    expect(Number(vb.get('used_memory'))).toBeGreaterThan(Number(vb.get('used_memory_startup')));
    expect(vb.get('used_memory_human')).toMatch(/^\d+(\.\d\d[KMGTP])?B?$|^\d+\.\d\d[KMGTP]$/);
    expect(Math.abs(Number(vb.get('uptime_in_seconds')) - Number(va.get('uptime_in_seconds')))).toBeLessThan(3);
    expect(vb.get('latency_percentiles_usec_get')).toMatch(/^p50=[\d.]+,p99=[\d.]+,p99\.9=[\d.]+$/);
    expect(vb.get('tcp_port')).toBe(String(p.ours.port));
  });

  it('instantaneous_ops_per_sec follows the command rate', async () => {
    const p = pair();
    const end = Date.now() + 1200;
    let n = 0;
    while (Date.now() < end) {
      const batch = Array.from({ length: 50 }, () => '*1\r\n$4\r\nPING\r\n').join('');
      p.ourClient.write(batch);
      for (let i = 0; i < 50; i++) await p.ourClient.reply();
      n += 50;
    }
    const ops = Number(values(await info(p.ourClient, 'stats')).get('instantaneous_ops_per_sec'));
    // 16 samples of 100 ms cover 1.6 s; the run lasted 1.2 s, so the mean sits below the true rate.
    expect(ops).toBeGreaterThan((n / 1.2) * 0.3);
    expect(ops).toBeLessThan((n / 1.2) * 1.5);
  });

  it('the eviction-exceeded times and latest_fork_usec follow what the server did', async () => {
    const p = pair();
    const run = async (cl: Pair['realClient']): Promise<string[]> => {
      const call = async (...argv: string[]) => {
        cl.write(`*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
        return (await cl.reply()).bytes;
      };
      const stats = async () => {
        const v = values(await info(cl, 'stats'));
        return { total: Number(v.get('total_eviction_exceeded_time')), current: Number(v.get('current_eviction_exceeded_time')), fork: Number(v.get('latest_fork_usec')) };
      };
      const out: string[] = [];
      await call('CONFIG', 'SET', 'maxmemory', '1');
      out.push(await call('SET', 'k', 'v'));
      await new Promise((r) => setTimeout(r, 600));
      await call('SET', 'k', 'v');
      const over = await stats();
      out.push(`over: current ${over.current >= 500 && over.current < 2000} total=current ${over.total === over.current}`);
      // maxmemory 0 skips performEvictions altogether: the time keeps counting.
      await call('CONFIG', 'SET', 'maxmemory', '0');
      await new Promise((r) => setTimeout(r, 200));
      await call('SET', 'k', 'v');
      const off = await stats();
      out.push(`maxmemory 0: still counting ${off.current > over.current}`);
      // A limit eviction can meet ends it; the total keeps what was counted.
      out.push(await call('CONFIG', 'SET', 'maxmemory', '1gb'));
      await call('SET', 'k', 'v');
      const met = await stats();
      out.push(`met: current ${met.current} total kept ${met.total >= off.current}`);
      out.push(`fork before ${met.fork}`);
      await call('BGSAVE');
      out.push(`fork after BGSAVE ${(await stats()).fork > 0}`);
      await call('CONFIG', 'SET', 'maxmemory', '0');
      await call('CONFIG', 'RESETSTAT');
      const reset = await stats();
      out.push(`reset: ${reset.total} ${reset.current} ${reset.fork}`);
      await new Promise((r) => setTimeout(r, 300)); // the BGSAVE child's end
      return out;
    };
    const [real, ours] = await Promise.all([run(p.realClient), run(p.ourClient)]);
    expect(ours).toEqual(real);
    expect(real).toContain('met: current 0 total kept true');
    expect(real).toContain('fork after BGSAVE true');
  });

  it('tracking and shard-channel counts', async () => {
    const p = pair();
    const run = async (server: Pair['real'] | Pair['ours'], cl: Pair['realClient']): Promise<string[]> => {
      const [sub, tracker, bcast] = [await server.client(), await server.client(), await server.client()];
      try {
        sub.write('*3\r\n$10\r\nSSUBSCRIBE\r\n$2\r\ns1\r\n$2\r\ns2\r\n');
        await sub.reply();
        await sub.reply();
        for (const argv of [['CLIENT', 'TRACKING', 'on'], ['SET', 'tk1', 'v'], ['GET', 'tk1'], ['GET', 'tk2']]) await tracker.call(...argv);
        await bcast.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p:', 'PREFIX', 'q:');
        const v = values(await info(cl, 'everything'));
        return ['tracking_clients', 'pubsubshard_channels', 'tracking_total_keys', 'tracking_total_items', 'tracking_total_prefixes', 'cluster_connections'].map((f) => `${f}:${v.get(f)}`);
      } finally {
        for (const x of [sub, tracker, bcast]) x.close();
      }
    };
    const [real, ours] = await Promise.all([run(p.real, p.realClient), run(p.ours, p.ourClient)]);
    expect(ours).toEqual(real);
    expect(real).toContain('tracking_total_items:2');
  });

  it('total_system_memory is the machine\'s RAM', async () => {
    const p = pair();
    const [real, ours] = [values(await info(p.realClient, 'memory')), values(await info(p.ourClient, 'memory'))];
    expect(Number(real.get('total_system_memory'))).toBeGreaterThan(0);
    expect(ours.get('total_system_memory')).toBe(real.get('total_system_memory'));
    expect(ours.get('total_system_memory_human')).toBe(real.get('total_system_memory_human'));
  });

  it('a provider registered by a subsystem edits its section', async () => {
    const p = pair();
    p.ours.server.hooks.info.set('persistence', {
      fields: (f) => f.map(([k, v]) => [k, k === 'rdb_saves' ? 42 : v]),
    });
    p.ours.server.hooks.info.set('sentinel-like', { title: 'Extra', fields: () => [['extra_field', 'x']] });
    try {
      const text = await info(p.ourClient, 'persistence');
      expect(values(text).get('rdb_saves')).toBe('42');
      expect(await info(p.ourClient, 'sentinel-like')).toBe('# Extra\r\nextra_field:x\r\n');
      expect(shape(await info(p.ourClient)).map((s) => s.title)).not.toContain('Extra');
    } finally {
      p.ours.server.hooks.info.delete('persistence');
      p.ours.server.hooks.info.delete('sentinel-like');
    }
  });
});
