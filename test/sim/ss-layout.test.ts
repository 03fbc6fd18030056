/**
 * ss's table layout against the real ss (iproute2 6.1.0): this test process opens real sockets
 * on the loopback (listeners on 127.0.0.1 and ::1, connections, one in TIME-WAIT, one with
 * bytes piled up unread in both queues), the real ss lists them (a filter on their ports keeps
 * the machine's other sockets out), and the fields of each real line, laid out again by
 * renderSsTable, must give the same bytes: to a pipe (columns as wide as their contents) and to
 * a terminal of several widths (run under script(1), the spare room shared out), with and
 * without the header, Netid and State columns and -p's users. Skipped without that ss.
 */
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COL, renderSsTable } from '../../src/sim/shell/commands/ss-columns';
import { freePort } from '../support/ports';

const version = spawnSync('ss', ['-V'], { encoding: 'utf8' });
const haveSs = version.status === 0 && version.stdout.includes('iproute2-6.1.0');
const haveScript = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).stdout.trim() !== '';

const sockets: net.Socket[] = [];
const servers: net.Server[] = [];
let filter = '';

async function listen(host: string, port: number): Promise<net.Server> {
  const srv = net.createServer((s) => { sockets.push(s); s.pause(); });
  await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen({ port, host, ipv6Only: host.includes(':') }, resolve); });
  servers.push(srv);
  return srv;
}

async function connect(host: string, port: number): Promise<net.Socket> {
  const s = net.connect({ host, port });
  await new Promise<void>((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); });
  sockets.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!haveSs)('ss layout (differential against iproute2 6.1.0)', () => {
  beforeAll(async () => {
    const a = await freePort();
    const b = await freePort();
    await listen('127.0.0.1', a);
    await listen('::1', a);
    await listen('127.0.0.1', b);
    await connect('127.0.0.1', a);
    await connect('::1', a);
    // One closed by the client first: its side waits in TIME-WAIT.
    const gone = await connect('127.0.0.1', b);
    await sleep(20);
    gone.end();
    for (const s of sockets) if (s.remotePort === undefined || s.localPort === b) s.resume();
    await sleep(50);
    for (const s of sockets) if (s.localPort === b && s !== gone) s.end();
    // Nobody reads this one: its receiver's Recv-Q and its sender's Send-Q fill up.
    const full = await connect('127.0.0.1', a);
    full.write(Buffer.alloc(3_000_000, 120));
    await sleep(200);
    filter = `sport = :${a} or dport = :${a} or sport = :${b} or dport = :${b}`;
  });

  afterAll(() => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  });

  /** The real ss's lines, to a pipe or (with `columns`) to a terminal that wide. */
  function realSs(args: string[], columns?: number): string {
    if (columns === undefined) return spawnSync('ss', [...args, filter], { encoding: 'latin1' }).stdout;
    const quoted = [...args, filter].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qc', `stty cols ${columns} rows 40; ss ${quoted}`, '/dev/null'], { encoding: 'latin1' });
    return r.stdout.replace(/\r\n/g, '\n');
  }

  /** The fields of ss's lines (blank-separated; a -p text follows the peer), in COL order. */
  function fieldsOf(text: string, shown: { netid: boolean; state: boolean }, header: boolean): string[][] {
    const lines = text.split('\n').filter((l) => l !== '');
    return lines.slice(header ? 1 : 0).map((line) => {
      const w = line.trim().split(/ +/);
      const netid = shown.netid ? w.shift()! : '';
      const state = shown.state ? w.shift()! : '';
      const [recvQ, sendQ, local, peer, ...proc] = w;
      const split = (a: string) => { const i = a.lastIndexOf(':'); return [a.slice(0, i + 1), a.slice(i + 1)]; };
      return [netid, state, recvQ.padEnd(6), sendQ.padEnd(6), ...split(local), ...split(peer), proc.length ? ` ${proc.join(' ')}` : '', ''];
    });
  }

  const shapes: { args: string[]; netid: boolean; state: boolean; header: boolean }[] = [
    { args: ['-tan'], netid: false, state: true, header: true },
    { args: ['-tanp'], netid: false, state: true, header: true },
    { args: ['-tn'], netid: false, state: true, header: true },
    { args: ['-tlnp'], netid: false, state: true, header: true },
    { args: ['-tn', 'state', 'established'], netid: false, state: false, header: true },
    { args: ['-Htanp'], netid: false, state: true, header: false },
    { args: ['-Htn'], netid: false, state: true, header: false },
    { args: ['-an', '-A', 'tcp,udp'], netid: true, state: true, header: true },
    { args: ['-anp', '-A', 'tcp,udp'], netid: true, state: true, header: true },
    { args: ['-tn', 'state', 'time-wait'], netid: false, state: false, header: true },
  ];

  it('to a pipe: each column as wide as its widest field', () => {
    let rows = 0;
    for (const s of shapes) {
      const real = realSs(s.args);
      const fields = fieldsOf(real, s, s.header);
      rows += fields.length;
      const disabled = new Set<number>([...(s.netid ? [] : [COL.netid]), ...(s.state ? [] : [COL.state])]);
      expect(renderSsTable({ disabled, header: s.header, rows: fields, screenWidth: null }), s.args.join(' ')).toBe(real);
    }
    expect(rows).toBeGreaterThan(30);
  });

  it.skipIf(!haveScript)('to a terminal: the spare width shared out, the columns that do not fit on a screen line of their own', () => {
    for (const columns of [60, 80, 100, 132, 200]) {
      for (const s of shapes.filter((x) => x.header)) {
        const real = realSs(s.args, columns);
        const fields = fieldsOf(real, s, true);
        const disabled = new Set<number>([...(s.netid ? [] : [COL.netid]), ...(s.state ? [] : [COL.state])]);
        expect(renderSsTable({ disabled, header: true, rows: fields, screenWidth: columns }), `${s.args.join(' ')} at ${columns} columns`).toBe(real);
      }
    }
  });

  it('the queues it measured are real: a reader that reads nothing holds about its receive buffer, its sender the rest', () => {
    const rows = fieldsOf(realSs(['-tn']), { netid: false, state: true }, true);
    const recv = Math.max(...rows.map((r) => Number(r[COL.recvQ])));
    const send = Math.max(...rows.map((r) => Number(r[COL.sendQ])));
    expect(recv).toBeGreaterThan(60_000);
    expect(send).toBeGreaterThan(100_000);
  });
});

/** Lines the real ss printed (iproute2 6.1.0, Redis 7.0.15 on the loopback), as fixtures of the rules. */
describe('ss layout: fixtures from real runs', () => {
  const users = (pid: number, fd: number) => ` users:(("redis-server",pid=${pid},fd=${fd}))`;
  const est = (local: string, peer: string, proc: string) => ['', 'ESTAB', '0     ', '0     ', '127.0.0.1:', local, '127.0.0.1:', peer, proc, ''];

  it('the last line\'s process text is not measured: a longer one earlier sets the width, the last is padded to it', () => {
    const rows = [
      est('46379', '46678', users(160804, 11)),
      est('46379', '46680', users(160804, 12)),
      est('46379', '59720', users(160804, 8)),
    ];
    expect(renderSsTable({ disabled: new Set([COL.netid]), header: false, rows, screenWidth: null })).toBe(
      'ESTAB 0      0      127.0.0.1:46379 127.0.0.1:46678 users:(("redis-server",pid=160804,fd=11))\n'
      + 'ESTAB 0      0      127.0.0.1:46379 127.0.0.1:46680 users:(("redis-server",pid=160804,fd=12))\n'
      + 'ESTAB 0      0      127.0.0.1:46379 127.0.0.1:59720 users:(("redis-server",pid=160804,fd=8)) \n');
    // Longer last: the column keeps the header's width, the text runs past it.
    const header = renderSsTable({ disabled: new Set([COL.netid]), header: true, rows: [est('46379', '59720', users(160804, 8))], screenWidth: null });
    expect(header).toBe(
      'State Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n'
      + 'ESTAB 0      0          127.0.0.1:46379    127.0.0.1:59720 users:(("redis-server",pid=160804,fd=8))\n');
  });

  it('nothing to list: the header alone, its last two columns run together; with -H nothing at all', () => {
    expect(renderSsTable({ disabled: new Set([COL.netid, COL.state]), header: true, rows: [], screenWidth: null }))
      .toBe('Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n');
    expect(renderSsTable({ disabled: new Set([COL.netid]), header: false, rows: [], screenWidth: null })).toBe('');
  });
});
