/**
 * Sentinel labs in the simulated machine room: the replication labs' helpers plus sentinels
 * started from a sentinel.conf with `redis-sentinel`, their logs and their config files.
 */
import { Lab, logTimes, type LabHost } from '../replication/sim-helpers';

export { lines } from '../replication/sim-helpers';

export class SentinelLab extends Lab {
  constructor(hosts: LabHost[], opts: ConstructorParameters<typeof Lab>[1] = {}) {
    super(hosts, opts);
  }

  confPath(port: number): string {
    return `/etc/redis/sentinel_${port}.conf`;
  }

  /** Write /etc/redis/sentinel_<port>.conf (port, logfile, dir + `lines`) and start redis-sentinel on it. */
  async startSentinel(host: string, port: number, lines: string[], opts: { program?: string } = {}): Promise<void> {
    const conf = [`port ${port}`, `logfile /var/log/sentinel_${port}.log`, `dir /tmp`, ...lines].join('\n') + '\n';
    await this.w.exec(host, 'mkdir -p /etc/redis /tmp');
    await this.w.exec(host, `cat > ${this.confPath(port)} << 'EOF'\n${conf}EOF`);
    const cmd = opts.program === 'redis-server' ? `redis-server ${this.confPath(port)} --sentinel &` : `redis-sentinel ${this.confPath(port)} &`;
    await this.w.exec(host, cmd);
    await this.w.advance(100);
  }

  sentinelLog(host: string, port: number): string {
    return this.w.readText(host, `/var/log/sentinel_${port}.log`) ?? '';
  }

  sentinelConf(host: string, port: number): string {
    return this.w.readText(host, this.confPath(port)) ?? '';
  }

  /** The event lines of a sentinel's log ("+sdown master mymaster ..."), without the prefix. */
  events(host: string, port: number): string[] {
    return this.sentinelLog(host, port).split('\n')
      .map((l) => l.replace(/^\d+:X \d\d \w{3} \d{4} [\d:.]+ [#*.-] /, ''))
      .filter((l) => /^[+-][a-z]/.test(l));
  }

  /** Virtual time (ms since the world started) of the first log line matching `re`, or null. */
  timeOf(host: string, port: number, re: RegExp): number | null {
    return this.timesOf(host, port, re)[0] ?? null;
  }

  /** Virtual times (ms since the world started) of every log line matching `re`. */
  timesOf(host: string, port: number, re: RegExp): number[] {
    return logTimes(this.w, this.sentinelLog(host, port), re);
  }

  pidOf(host: string, pattern: string): number {
    const p = this.w.processes(host).find((x) => x.argv.join(' ').includes(pattern));
    if (!p) throw new Error(`no process matching ${pattern} on ${host}`);
    return p.pid;
  }
}
