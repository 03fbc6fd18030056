/**
 * Before benchmarking, redis-benchmark asks the server for its `save` and `appendonly`
 * settings (getRedisConfig) on a blocking connection of its own, authenticating first when
 * -a was given; the report prints them as "host configuration". Any failure only costs the
 * lines ("WARNING: Could not fetch server CONFIG"), except a rejected AUTH or a NOAUTH answer,
 * which end the program.
 */
import type { Os } from '../../os';
import { CliConnection } from '../redis-cli/connection';
import type { CliReply } from '../redis-cli/reply';
import type { BenchConfig } from './config';

export interface ServerSettings { save: string; appendonly: string }

/** What getRedisConfig decided: the settings, or null, after printing what it printed. */
export type ConfigFetch = { settings: ServerSettings | null; exitCode: number | null; unresolvedHost?: string };

/** getaddrinfo failures: hiredis reports them before any connection exists. */
export function isNameResolutionError(code: string | undefined): boolean {
  return code === 'ENOTFOUND' || (code?.startsWith('EAI_') ?? false);
}

export function describeEndpoint(config: BenchConfig): string {
  return config.hostsocket === null ? `${config.hostip}:${config.hostport}` : config.hostsocket;
}

/** hiredis's connect for this config: TCP, or a unix socket path. */
export async function openContext(os: Os, config: BenchConfig): Promise<CliConnection> {
  if (config.hostsocket === null) return CliConnection.connect(os, config.hostip, config.hostport);
  return CliConnection.connectUnix(os, config.hostsocket);
}

export const TLS_UNSUPPORTED = 'Could not negotiate a TLS connection: TLS is not supported by this redis-benchmark\n';

/** getRedisContext: connected and authenticated, or null after printing why. */
async function getContext(os: Os, config: BenchConfig, err: (s: string) => void): Promise<CliConnection | 'exit' | { failed: string | undefined }> {
  const c = await openContext(os, config);
  if (c.err) {
    err(`Could not connect to Redis at ${describeEndpoint(config)}: ${c.err.errstr}\n`);
    c.close();
    return { failed: isNameResolutionError(c.err.code) ? c.err.errstr : undefined };
  }
  if (config.tls) {
    err(TLS_UNSUPPORTED);
    c.close();
    return { failed: undefined };
  }
  if (config.auth === null) return c;
  c.appendCommand(config.user === null ? ['AUTH', config.auth] : ['AUTH', config.user, config.auth]);
  const reply = await c.getReply();
  if (reply !== null) {
    if (reply.type === 'error') {
      err(`Node ${describeEndpoint(config)} replied with error:\n${reply.str}\n`);
      c.close();
      return 'exit';
    }
    return c;
  }
  err(`ERROR: failed to fetch reply from ${describeEndpoint(config)}\n`);
  c.close();
  return { failed: undefined };
}

function secondElementText(reply: CliReply): string | null {
  if (reply.type !== 'array' && reply.type !== 'map' && reply.type !== 'set' && reply.type !== 'push') return null;
  if (reply.element.length < 2) return null;
  const v = reply.element[1];
  return 'str' in v ? v.str : '';
}

export async function fetchServerSettings(os: Os, config: BenchConfig, err: (s: string) => void): Promise<ConfigFetch> {
  const c = await getContext(os, config, err);
  if (c === 'exit') return { settings: null, exitCode: 1 };
  if ('failed' in c) return { settings: null, exitCode: null, unresolvedHost: c.failed };
  c.appendCommand(['CONFIG', 'GET', 'save']);
  c.appendCommand(['CONFIG', 'GET', 'appendonly']);
  const values: string[] = [];
  for (let i = 0; i < 2; i++) {
    const reply = await c.getReply();
    const value = reply === null || reply.type === 'error' ? null : secondElementText(reply);
    if (value === null) {
      c.close();
      if (reply?.type === 'error' && reply.str.startsWith('NOAUTH')) {
        err(`Node ${describeEndpoint(config)} replied with error:\n${reply.str}\n`);
        return { settings: null, exitCode: 1 };
      }
      return { settings: null, exitCode: null };
    }
    values.push(value);
  }
  c.close();
  return { settings: { save: values[0], appendonly: values[1] }, exitCode: null };
}
