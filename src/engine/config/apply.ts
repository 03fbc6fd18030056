/**
 * What CONFIG SET of a core parameter does to the running server (config.c's apply
 * functions): rebinding the port and bind addresses, clamping hz, warning about maxmemory.
 * `dir` needs no hook (setting it changes the working directory right away) and parameters
 * read on every use (loglevel, requirepass, timeout, ...) take effect by themselves.
 * Subsystems register their own hooks (`server.config.onApply('appendonly', ...)`).
 */
import type { RedisServer } from '../server/server';
import { strerror } from './rewrite';
import { memoryOverhead } from '../server/memory-stats';

export function registerCoreConfigHooks(server: RedisServer): void {
  const cfg = server.config;
  cfg.env = {
    cwd: () => server.os.fs.cwd(),
    chdir: (p) => {
      try { server.os.fs.chdir(p); return null; } catch (e) { return strerror(e); }
    },
  };
  cfg.onApply('port', () => server.rebind('port'));
  cfg.onApply('bind', () => server.rebind('bind'));
  cfg.onApply('hz', () => {
    // hz is a hint: out-of-range values are accepted and clamped (updateHZ).
    const hz = cfg.get<number>('hz');
    if (hz < 1) cfg.setRaw('hz', 1);
    if (hz > 500) cfg.setRaw('hz', 500);
    return null;
  });
  // TLS is not modelled: turning it on fails like a server whose certificates can't load.
  const tlsConfigureFails = (): string => {
    if (cfg.get<string>('tls-cert-file') === '') server.log.warning('No tls-cert-file configured!');
    else server.log.warning('Failed to configure TLS: TLS is not supported by this server.');
    return 'Unable to update TLS configuration. Check server logs.';
  };
  const applyTlsCfg = () => (cfg.get<number>('tls-port') || cfg.get<boolean>('tls-replication') || cfg.get<boolean>('tls-cluster') ? tlsConfigureFails() : null);
  for (const name of ['tls-session-cache-size', 'tls-session-cache-timeout', 'tls-cluster', 'tls-replication', 'tls-prefer-server-ciphers',
    'tls-session-caching', 'tls-cert-file', 'tls-key-file', 'tls-key-file-pass', 'tls-client-cert-file', 'tls-client-key-file',
    'tls-client-key-file-pass', 'tls-dh-params-file', 'tls-ca-cert-file', 'tls-ca-cert-dir', 'tls-protocols', 'tls-ciphers', 'tls-ciphersuites']) {
    cfg.onApply(name, applyTlsCfg);
  }
  cfg.onApply('tls-port', () => tlsConfigureFails());
  cfg.onApply('repl-backlog-size', () => {
    // resizeReplicationBacklog: never below 16 kB.
    if (cfg.get<number>('repl-backlog-size') < 16384) cfg.setRaw('repl-backlog-size', 16384);
    return null;
  });
  cfg.onApply('maxmemory', () => {
    const max = cfg.get<number>('maxmemory');
    if (max) {
      const used = memoryOverhead(server).total;
      if (max < used) {
        server.log.warning(`WARNING: the new maxmemory value set via CONFIG SET (${cfg.format('maxmemory')}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
      }
    }
    return null;
  });
}
