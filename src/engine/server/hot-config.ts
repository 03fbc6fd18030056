/**
 * Settings read for every command (or every key lookup), kept in plain fields.
 *
 * Redis reads `server.xxx` struct fields on its hot paths; we have a Config object keyed by
 * name, and even a memoised name lookup costs more than a field read when it happens several
 * times per command. The fields are kept current by Config.observe, which runs on every store
 * (config file, CONFIG SET, setRaw), so there is no second source of truth to forget.
 */
import type { Config } from '../config/config';
import { notifyFlagsFromString } from './notify';

export class HotConfig {
  /** proto-max-bulk-len. */
  protoMaxBulkLen = 0;
  /** client-query-buffer-limit. */
  clientQueryBufferLimit = 0;
  /** maxmemory in bytes (0: no limit). */
  maxmemory = 0;
  /** maxmemory-clients: bytes, or minus a percentage of maxmemory (0: no client eviction). */
  maxmemoryClients = 0;
  /** slowlog-log-slower-than (µs, negative: off) and slowlog-max-len. */
  slowlogLogSlowerThanUs = 0;
  slowlogMaxLen = 0;
  /** latency-tracking. */
  latencyTracking = true;
  /** latency-monitor-threshold in ms (0: off). */
  latencyMonitorThresholdMs = 0;
  /** maxmemory-policy is an LFU policy: object lru fields hold LFU data. */
  lfu = false;
  /** notify-keyspace-events as NOTIFY flag bits. */
  notifyFlags = 0;

  constructor(config: Config) {
    config.observe<number>('proto-max-bulk-len', (v) => { this.protoMaxBulkLen = v; });
    config.observe<number>('client-query-buffer-limit', (v) => { this.clientQueryBufferLimit = v; });
    config.observe<number>('maxmemory', (v) => { this.maxmemory = v; });
    config.observe<number>('maxmemory-clients', (v) => { this.maxmemoryClients = v; });
    config.observe<number>('slowlog-log-slower-than', (v) => { this.slowlogLogSlowerThanUs = v; });
    config.observe<number>('slowlog-max-len', (v) => { this.slowlogMaxLen = v; });
    config.observe<boolean>('latency-tracking', (v) => { this.latencyTracking = v; });
    config.observe<number>('latency-monitor-threshold', (v) => { this.latencyMonitorThresholdMs = v; });
    config.observe<string>('maxmemory-policy', (v) => { this.lfu = v.endsWith('-lfu'); });
    config.observe<string>('notify-keyspace-events', (v) => { this.notifyFlags = notifyFlagsFromString(v); });
  }
}
