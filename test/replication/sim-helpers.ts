/**
 * Replication labs in the simulated machine room: hosts, redis-server started from the shell
 * with a config file, redis-cli typed in the shell, logs read from the simulated disk.
 */
import { World } from '../../src/sim/world';
import type { LinkParams } from '../../src/sim/kernel/network';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

export interface LabHost { name: string; ip: string }

export class Lab {
  readonly w: World;

  constructor(hosts: LabHost[], opts: { seed?: number; link?: Partial<LinkParams> } = {}) {
    const links = [];
    if (opts.link) {
      for (let i = 0; i < hosts.length; i++) {
        for (let j = i + 1; j < hosts.length; j++) links.push({ a: hosts[i].name, b: hosts[j].name, params: opts.link });
      }
    }
    this.w = new World({ seed: opts.seed ?? 11, hosts, programs: STANDARD_PROGRAMS, links: links as never });
  }

  /** Write /etc/redis/<port>.conf with the lines given (plus dir/logfile for that port) and start it. */
  async start(host: string, port: number, lines: string[] = []): Promise<void> {
    const conf = [`port ${port}`, `dir /var/redis/${port}`, `logfile /var/log/redis_${port}.log`, ...lines].join('\n') + '\n';
    await this.w.exec(host, `mkdir -p /var/redis/${port} /etc/redis`);
    await this.w.exec(host, `cat > /etc/redis/${port}.conf << 'EOF'\n${conf}EOF`);
    await this.w.exec(host, `redis-server /etc/redis/${port}.conf &`);
    await this.w.advance(200);
  }

  /** Run redis-cli on `host` with the arguments (a shell command line); returns its output. */
  async cli(host: string, args: string): Promise<string> {
    return (await this.w.exec(host, `redis-cli ${args}`)).output;
  }

  async info(host: string, port: number, section = 'replication', target = ''): Promise<Record<string, string>> {
    const out = await this.cli(host, `${target ? `-h ${target} ` : ''}-p ${port} info ${section}`);
    const f: Record<string, string> = {};
    for (const line of out.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0 && !line.startsWith('#')) f[line.slice(0, i)] = line.slice(i + 1);
    }
    return f;
  }

  log(host: string, port: number): string {
    return this.w.readText(host, `/var/log/redis_${port}.log`) ?? '';
  }

  pid(host: string, port: number): number {
    const p = this.w.processes(host).find((x) => x.argv[0] === 'redis-server' && x.argv.join(' ').includes(`${port}`));
    if (!p) throw new Error(`no redis-server for port ${port} on ${host}`);
    return p.pid;
  }

  async advance(ms: number): Promise<void> {
    await this.w.advance(ms);
  }

  /** Advance in steps until `check` holds (virtual time). */
  async until(what: string, check: () => Promise<boolean> | boolean, maxMs = 120_000, stepMs = 250): Promise<number> {
    const start = this.w.now;
    while (this.w.now - start <= maxMs) {
      if (await check()) return this.w.now - start;
      await this.w.advance(stepMs);
    }
    throw new Error(`timed out (virtual ${maxMs} ms) waiting for ${what}`);
  }
}

/**
 * Virtual times (ms since the world started) of the lines of a Redis log matching `re`
 * ("pid:role 22 Nov 2026 09:13:10.123 # ..." carries the virtual wall clock).
 */
export function logTimes(w: World, log: string, re: RegExp): number[] {
  const out: number[] = [];
  for (const l of log.split('\n')) {
    if (!re.test(l)) continue;
    const m = /^\d+:[XCSM] (\d\d \w{3} \d{4} [\d:.]+)/.exec(l);
    if (m) out.push(Date.parse(`${m[1].replace(/(\d\d) (\w{3}) (\d{4}) /, '$2 $1 $3 ')} UTC`) - w.startTime);
  }
  return out;
}

/** Lines of `log` matching `re`. */
export function lines(log: string, re: RegExp): string[] {
  return log.split('\n').filter((l) => re.test(l));
}
