/**
 * MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP, answering from the memory
 * estimates in keyspace/memory-usage.ts and server/memory-stats.ts (what a real 7.0 server
 * with jemalloc would report for the same data).
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp } from './help';
import { optEq } from './util';
import { string2ll } from '../util/numbers';
import { keyMemoryUsage } from '../keyspace/memory-usage';
import { encodeOptions } from '../persistence/snapshot';
import { allocatorFigures, memoryOverhead } from '../server/memory-stats';

const G = { group: 'server', acl: [] as string[] };

function usage(c: Client, argv: string[]): void {
  let samples = 5;
  for (let j = 3; j < argv.length; j++) {
    if (optEq(argv[j], 'samples') && j + 1 < argv.length) {
      const v = string2ll(argv[j + 1]);
      if (v === null) { c.replyNotInteger(); return; }
      if (v < 0) { c.replySyntaxError(); return; }
      samples = v === 0 ? Number.MAX_SAFE_INTEGER : v;
      j++;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  const e = c.db.getEntry(argv[2]);
  if (!e) { c.replyNull(); return; }
  c.replyInt(keyMemoryUsage(argv[2], e, samples, encodeOptions(c.server)));
}

function stats(c: Client): void {
  const s = c.server;
  const mh = memoryOverhead(s);
  const al = allocatorFigures(mh.total);
  c.replyMapLen(27 + mh.dbs.length);
  const int = (k: string, v: number) => { c.replyBulk(k); c.replyInt(v); };
  const dbl = (k: string, v: number) => { c.replyBulk(k); c.replyDouble(Math.fround(v)); };
  int('peak.allocated', mh.peak);
  int('total.allocated', mh.total);
  int('startup.allocated', mh.startup);
  int('replication.backlog', mh.replBacklog);
  int('clients.slaves', mh.clientsSlaves);
  int('clients.normal', mh.clientsNormal);
  int('cluster.links', mh.clusterLinks);
  int('aof.buffer', mh.aofBuffer);
  int('lua.caches', mh.luaCaches);
  int('functions.caches', mh.functionsCaches);
  for (const d of mh.dbs) {
    c.replyBulk(`db.${d.id}`);
    c.replyMapLen(3);
    int('overhead.hashtable.main', d.overheadMain);
    int('overhead.hashtable.expires', d.overheadExpires);
    int('overhead.hashtable.slot-to-keys', 0);
  }
  int('overhead.total', mh.overheadTotal);
  int('keys.count', mh.keysCount);
  int('keys.bytes-per-key', mh.bytesPerKey);
  int('dataset.bytes', mh.dataset);
  dbl('dataset.percentage', mh.datasetPerc);
  dbl('peak.percentage', mh.peakPerc);
  int('allocator.allocated', al.allocated);
  int('allocator.active', al.active);
  int('allocator.resident', al.resident);
  dbl('allocator-fragmentation.ratio', al.active / al.allocated);
  int('allocator-fragmentation.bytes', al.active - al.allocated);
  dbl('allocator-rss.ratio', al.resident / al.active);
  int('allocator-rss.bytes', al.resident - al.active);
  dbl('rss-overhead.ratio', al.rss / al.resident);
  int('rss-overhead.bytes', al.rss - al.resident);
  dbl('fragmentation', al.rss / mh.total);
  int('fragmentation.bytes', al.rss - mh.total);
}

function doctor(c: Client): void {
  const s = c.server;
  const mh = memoryOverhead(s);
  const al = allocatorFigures(mh.total);
  const issues: string[] = [];
  if (mh.total >= 5 * 1024 * 1024) {
    if (Math.fround(mh.peak / mh.total) > 1.5) issues.push(' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n');
    let clients = 0;
    for (const cl of s.clients.values()) if (!(cl.isReplica && !cl.isMonitor)) clients++;
    if (clients && mh.clientsNormal / clients > 1024 * 200) issues.push(' * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n');
    if (mh.clientsSlaves > 10 * 1024 * 1024) issues.push(' * Big replica buffers: The replica output buffers in this instance are greater than 10MB for each replica (on average). This likely means that there is some replica instance that is struggling receiving data, either because it is too slow or because of networking issues. As a result, data piles on the master output buffers. Please try to identify what replica is not receiving data correctly and why. You can use the INFO output in order to check the replicas delays and the CLIENT LIST command to check the output buffers of each replica.\n\n');
    void al;
  }
  let text: string;
  if (mh.total < 5 * 1024 * 1024) {
    text = 'Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n';
  } else if (issues.length === 0) {
    text = 'Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.\n';
  } else {
    text = `Sam, I detected a few issues in this Redis instance memory implants:\n\n${issues.join('')}I'm here to keep you safe, Sam. I want to help you.\n`;
  }
  c.replyVerbatim(text, 'txt');
}

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

const NONDET = ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'];

export const memoryCommands: CommandSpec[] = [
  cmd('memory', -2, [], [0, 0, 0], { ...G, since: '4.0.0', summary: 'A container for memory diagnostics commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('doctor', 2, [], [0, 0, 0], { ...G, since: '4.0.0', summary: 'Report memory problems and advice.', complexity: 'O(1)', tips: NONDET }, doctor),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '4.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, MEMORY_HELP)),
      cmd('malloc-stats', 2, [], [0, 0, 0], { ...G, since: '4.0.0', summary: 'Allocator statistics.', complexity: 'Depends on how much memory is allocated, could be slow', tips: NONDET },
        (c) => c.replyBulk('Stats not supported for the current allocator')),
      cmd('purge', 2, [], [0, 0, 0], {
        ...G, since: '4.0.0', summary: 'Ask the allocator to release memory.', complexity: 'Depends on how much memory is allocated, could be slow',
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      }, (c) => c.replyOk()),
      cmd('stats', 2, [], [0, 0, 0], { ...G, since: '4.0.0', summary: 'Memory usage details.', complexity: 'O(1)', tips: NONDET }, stats),
      cmd('usage', -3, ['readonly'], [2, 2, 1], {
        ...G, acl: ['@read'], since: '4.0.0', summary: 'Bytes a key and its value take in memory.', complexity: 'O(N) where N is the number of samples.',
        args: [{ name: 'key', type: 'key' }, { name: 'count', type: 'integer', token: 'SAMPLES', optional: true }],
      }, usage, { keySpecs: [{ flags: ['RO'], beginSearch: { type: 'index', pos: 2 }, findKeys: { type: 'range', lastKey: 0, keyStep: 1, limit: 0 } }] }),
    ],
  }),
];
