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
