/**
 * The process title: redis-server rewrites what `ps` and /proc/<pid>/cmdline show from
 * proc-title-template ("{title} {listen-addr} {server-mode}"), at start-up and on CONFIG SET.
 * Our native host sets Node's process.title. Side by side with the real redis-server, each as
 * its own process ({title} is argv[0]: the binary's path for real, our program's for ours).
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import { haveRealRedis, OUR_SERVER_COMMAND, REAL_REDIS, startServerProcess } from '../support/real-redis';
import { closedAfterAll, cmd, text } from '../replication/helpers';

const suite = haveRealRedis() && process.platform === 'linux' ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function titles(command: string[]): Promise<string[]> {
  const s = await startServerProcess(command);
  stops.push(() => s.stop());
  const c = await s.client();
  clients.push(c);
  // The title is one NUL-terminated string (Redis's setproctitle may leave a '.' after the NUL
  // when the title is shorter than argv[0]); the first word (argv[0]) differs: its base name.
  const cmdline = () => fs.readFileSync(`/proc/${s.proc.pid}/cmdline`, 'latin1').split('\0')[0]
    .replace(/^\S*\/(redis-server)/, '$1').replaceAll(String(s.port), 'PORT');
  const seen = [cmdline()];
  seen.push(text(await cmd(c, 'CONFIG', 'SET', 'proc-title-template', 'T {title} {port} {tls-port} [{unixsocket}] {config-file}')), cmdline());
  seen.push(text(await cmd(c, 'CONFIG', 'SET', 'proc-title-template', '{invalid-var}')), cmdline());
  seen.push(text(await cmd(c, 'CONFIG', 'SET', 'proc-title-template', '{{x}} {listen-addr}   ')), cmdline());
  return seen;
}

suite('process title (native, vs real redis-server)', () => {
  it('from proc-title-template at start-up and on CONFIG SET', async () => {
    const [real, ours] = await Promise.all([titles([REAL_REDIS!]), titles(OUR_SERVER_COMMAND)]);
    expect(real[0]).toBe('redis-server 127.0.0.1:PORT');
    expect(ours.map((t) => t.replace(/^T \S*\/redis-server/, 'T redis-server'))).toEqual(real.map((t) => t.replace(/^T \S*\/redis-server/, 'T redis-server')));
  }, 40_000);
});
