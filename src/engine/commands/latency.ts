/**
 * LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR / HISTOGRAM / HELP (latency.c).
 *
 * The monitor's samples live in server.latencyEvents (server/latency-monitor.ts); the
 * per-command histograms in server/command-latency.ts. GRAPH draws Redis's sparkline: each
 * sample becomes a column whose height (4 rows of 3 levels, "_o#" fill characters) is its
 * latency relative to the min..max of the series, with the age of the sample written
 * vertically underneath.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp } from './help';
import { latencyResetEvent } from '../server/latency-monitor';
import { commandHistogram } from '../server/command-latency';
import { lookupByFullName } from './command';
import type { HdrHistogram } from '../util/hdr-histogram';
import { cFixed } from '../util/printf';

const G = { group: 'server', acl: [] as string[] };

type Series = { samples: { t: number; ms: number }[]; maxMs: number };

function history(c: Client, argv: string[]): void {
  const ts = c.server.latencyEvents.get(argv[2]);
  const samples = ts?.samples ?? [];
  c.replyArrayLen(samples.length);
  for (const s of samples) { c.replyArrayLen(2); c.replyInt(s.t); c.replyInt(s.ms); }
}

function latest(c: Client): void {
  const ev = c.server.latencyEvents;
  c.replyArrayLen(ev.size);
  for (const [name, ts] of ev) {
    const last = ts.samples[ts.samples.length - 1];
    c.replyArrayLen(4);
    c.replyBulk(name);
    c.replyInt(last?.t ?? 0);
    c.replyInt(last?.ms ?? 0);
    c.replyInt(ts.maxMs);
  }
}

/** sparklineRender with SPARKLINE_FILL over `columns`-wide chunks. */
function sparkline(samples: { value: number; label: string }[], columns: number, rows: number): string {
  if (samples.length === 0) return '';
  let min = samples[0].value, max = samples[0].value;
  for (const s of samples) { if (s.value < min) min = s.value; else if (s.value > max) max = s.value; }
  const charsetFill = '_o#';
  const steps = charsetFill.length * rows;
  let out = '';
  for (let off = 0; off < samples.length; off += columns) {
    if (off !== 0) out += '\n';
    const part = samples.slice(off, off + columns);
    let relmax = max - min;
    if (relmax === 0) relmax = 1;
    for (let row = 0; ; row++) {
      let loop = false;
      const chars = new Array<string>(part.length).fill(' ');
      for (let j = 0; j < part.length; j++) {
        const s = part[j];
        let step = Math.trunc(((s.value - min) * steps) / relmax);
        if (step < 0) step = 0;
        if (step >= steps) step = steps - 1;
        if (row < rows) {
          const idx = step - (rows - row - 1) * charsetFill.length;
          loop = true;
          if (idx >= 0 && idx < charsetFill.length) chars[j] = charsetFill[idx];
          else if (idx >= charsetFill.length) chars[j] = '|';
        } else {
          if (row - rows < 1) { loop = true; break; }
          const labelChar = row - rows - 1;
          if (s.label.length > labelChar) { loop = true; chars[j] = s.label[labelChar]; }
        }
      }
      if (!loop) break;
      out += chars.join('') + '\n';
    }
  }
  return out;
}

function graph(c: Client, argv: string[]): void {
  const ts = c.server.latencyEvents.get(argv[2]);
  if (!ts) { c.replyError(`No samples available for event '${argv[2]}'`); return; }
  const now = Math.floor(c.server.os.now() / 1000);
  let min = 0, max = 0;
  const seq = ts.samples.map((s, i) => {
    if (i === 0) { min = max = s.ms; } else { if (s.ms > max) max = s.ms; if (s.ms < min) min = s.ms; }
    const e = now - s.t;
    const label = e < 60 ? `${e}s` : e < 3600 ? `${Math.floor(e / 60)}m` : e < 86400 ? `${Math.floor(e / 3600)}h` : `${Math.floor(e / 86400)}d`;
    return { value: s.ms, label };
  });
  const text = `${argv[2]} - high ${max} ms, low ${min} ms (all time high ${ts.maxMs} ms)\n${'-'.repeat(80)}\n${sparkline(seq, 80, 4)}`;
  c.replyVerbatim(text, 'txt');
}

function analyze(s: RedisServer, ts: Series): { samples: number; avg: number; mad: number; period: number } {
  const n = ts.samples.length;
  if (n === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
  let sum = 0, oldest = 0;
  for (const x of ts.samples) {
    sum += x.ms;
    if (oldest === 0 || x.t < oldest) oldest = x.t;
  }
  const avg = Math.floor(sum / n);
  let period = Math.floor(s.os.now() / 1000) - oldest;
  if (period === 0) period = 1;
  let dev = 0;
  for (const x of ts.samples) dev += Math.abs(avg - x.ms);
  return { samples: n, avg, mad: Math.floor(dev / n), period };
}

/** createLatencyReport: Dave's report and advice for the events seen. */
export function latencyDoctorReport(s: RedisServer): string {
  const threshold = s.config.get<number>('latency-monitor-threshold');
  if (s.latencyEvents.size === 0 && threshold === 0) {
    return 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
  }
  const a = { slowlogEnabled: 0, slowlogTuning: 0, slowlogInspect: 0, disk: 0, scheduler: 0, writeback: 0, noAppendfsync: 0, local: 0, ssd: 0, writeLoad: 0, hz: 0, large: 0, mass: 0, relax: 0 };
  let advices = 0;
  let report = '';
  let eventnum = 0;
  for (const [event, ts] of s.latencyEvents) {
    eventnum++;
    if (eventnum === 1) report += 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
    const ls = analyze(s, ts);
    report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${cFixed(ls.period / ls.samples, 2)} sec). Worst all time event ${ts.maxMs}ms.`;
    const ev = event.toLowerCase();
    if (ev === 'fork') {
      report += ' Fork rate is 0.00 GB/sec (terrible).';
      advices++;
    }
    if (ev === 'command') {
      const slower = s.config.get<number>('slowlog-log-slower-than');
      if (slower < 0) { a.slowlogEnabled = 1; advices++; } else if (Math.trunc(slower / 1000) > threshold) { a.slowlogTuning = 1; advices++; }
      a.slowlogInspect = 1; a.large = 1; advices += 2;
    }
    if (ev === 'fast-command') { a.scheduler = 1; advices++; }
    if (ev === 'aof-write-pending-fsync') { a.local = a.disk = a.ssd = a.writeback = 1; advices += 4; }
    if (ev === 'aof-write-active-child') { a.noAppendfsync = a.writeback = a.ssd = 1; advices += 3; }
    if (ev === 'aof-write-alone') { a.local = a.writeback = a.ssd = 1; advices += 3; }
    if (ev === 'aof-fsync-always') { a.relax = 1; advices++; }
    if (ev === 'aof-fstat' || ev === 'rdb-unlink-temp-file') { a.disk = a.local = 1; advices += 2; }
    if (ev === 'aof-rewrite-diff-write' || ev === 'aof-rename') { a.writeLoad = a.writeback = a.ssd = a.local = 1; advices += 4; }
    if (ev === 'expire-cycle') { a.hz = a.large = 1; advices += 2; }
    if (ev === 'eviction-del') { a.large = 1; advices++; }
    if (ev === 'eviction-cycle') { a.mass = 1; advices++; }
    report += '\n';
  }
  if (eventnum === 0 && advices === 0) {
    return report + 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  if (eventnum > 0 && advices === 0) {
    return report + '\nWhile there are latency events logged, I\'m not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n';
  }
  report += '\nI have a few advices for you:\n\n';
  if (s.latencyEvents.has('fork')) report += '- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior that provides less latency during fork() calls. Xen is known to have poor fork() performance. Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n';
  if (a.slowlogEnabled) report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  if (a.slowlogTuning) report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`;
  if (a.slowlogInspect) report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  if (a.scheduler) {
    report += '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n'
      + '  1) Lower the system load.\n'
      + '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n'
      + '  3) Check if you have a "noisy neighbour" problem.\n'
      + '  4) Check with \'redis-cli --intrinsic-latency 100\' what is the intrinsic latency in your system.\n'
      + '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  }
  if (a.local) report += '- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n';
  if (a.ssd) report += '- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n';
  if (a.writeback) report += '- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n';
  if (a.disk) report += '- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n';
  if (a.noAppendfsync) report += '- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the \'no-appendfsync-on-rewrite\' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n';
  if (a.relax && s.config.get<string>('appendfsync') === 'always') report += '- Your fsync policy is set to \'always\'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to \'onesec\'.\n';
  if (a.writeLoad) report += '- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n';
  if (a.hz && s.config.get<number>('hz') < 100) report += '- In order to make the Redis keys expiring process more incremental, try to set the \'hz\' configuration parameter to 100 using \'CONFIG SET hz 100\'.\n';
  if (a.large) report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  if (a.mass) report += '- Sudden changes to the \'maxmemory\' setting via \'CONFIG SET\', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n';
  return report;
}

/** fillCommandCDF: calls and the cumulative distribution in power-of-two microsecond buckets. */
function replyCdf(c: Client, h: HdrHistogram): void {
  c.replyMapLen(2);
  c.replyBulk('calls');
  c.replyInt(h.totalCount);
  c.replyBulk('histogram_usec');
  const points: [number, number][] = [];
  let prev = 0;
  for (const { highestEquivalent, cumulative } of h.logIterate(1024, 2)) {
    if (cumulative > prev) points.push([Math.floor(highestEquivalent / 1000), cumulative]);
    prev = cumulative;
  }
  c.replyMapLen(points.length);
  for (const [us, n] of points) { c.replyInt(us); c.replyInt(n); }
}

function histogram(c: Client, argv: string[]): void {
  const s = c.server;
  const out: [string, HdrHistogram][] = [];
  if (argv.length === 2) {
    for (const spec of s.table.walk()) {
      const h = commandHistogram(s, spec);
      if (h) out.push([spec.fullname!, h]);
    }
  } else {
    for (let j = 2; j < argv.length; j++) {
      const spec = lookupByFullName(c, argv[j]);
      if (!spec) continue;
      const h = commandHistogram(s, spec);
      if (h) out.push([spec.fullname!, h]);
      for (const sub of spec.subcommands ?? []) {
        const hs = commandHistogram(s, sub);
        if (hs) out.push([sub.fullname!, hs]);
      }
    }
  }
  c.replyMapLen(out.length);
  for (const [name, h] of out) { c.replyBulk(name); replyCdf(c, h); }
}

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

const F = ['admin', 'noscript', 'loading', 'stale'] as const;
const TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];

export const latencyCommands: CommandSpec[] = [
  cmd('latency', -2, [], [0, 0, 0], { ...G, since: '2.8.13', summary: 'A container for latency diagnostics commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('doctor', 2, [...F], [0, 0, 0], { ...G, since: '2.8.13', summary: 'A human-readable latency analysis report.', complexity: 'O(1)', tips: TIPS },
        (c) => c.replyVerbatim(latencyDoctorReport(c.server), 'txt')),
      cmd('graph', 3, [...F], [0, 0, 0], { ...G, since: '2.8.13', summary: 'An ASCII graph of an event\'s latency samples.', complexity: 'O(1)', tips: TIPS, args: [{ name: 'event', type: 'string' }] }, graph),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '2.8.13', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, LATENCY_HELP)),
      cmd('histogram', -2, [...F], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Cumulative latency distribution of commands.', complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
        tips: TIPS, args: [{ name: 'command', type: 'string', optional: true, multiple: true }],
      }, histogram),
      cmd('history', 3, [...F], [0, 0, 0], { ...G, since: '2.8.13', summary: 'The latency samples of an event.', complexity: 'O(1)', tips: TIPS, args: [{ name: 'event', type: 'string' }] }, history),
      cmd('latest', 2, [...F], [0, 0, 0], { ...G, since: '2.8.13', summary: 'The latest latency sample of every event.', complexity: 'O(1)', tips: TIPS }, latest),
      cmd('reset', -2, [...F], [0, 0, 0], {
        ...G, since: '2.8.13', summary: 'Forget the samples of some or all events.', complexity: 'O(1)',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], args: [{ name: 'event', type: 'string', optional: true, multiple: true }],
      }, (c, argv) => {
        if (argv.length === 2) { c.replyInt(latencyResetEvent(c.server, null)); return; }
        let n = 0;
        for (let j = 2; j < argv.length; j++) n += latencyResetEvent(c.server, argv[j]);
        c.replyInt(n);
      }),
    ],
  }),
];

