/**
 * The process title (redisSetProcTitle in server.c): what `ps` shows for the server, from
 * `proc-title-template` ("{title} {listen-addr} {server-mode}" by default, trailing spaces
 * trimmed). {title} is argv[0] as the server was started (or a forked child's name). Set at
 * start-up when `set-proc-title` is yes, and on CONFIG SET proc-title-template.
 */
import type { RedisServer } from './server';

/** redisProcTitleGetVariable(): a template variable's value, or null for an unknown name. */
function variable(server: RedisServer, name: string, title: string): string | null {
  const cfg = server.config;
  switch (name) {
    case 'title': return title;
    case 'listen-addr': {
      const port = cfg.get<number>('port');
      const tlsPort = cfg.get<number>('tls-port');
      if (port || tlsPort) {
        const bind = cfg.get<string[]>('bind');
        return `${bind.length > 0 ? bind[0] : '*'}:${port || tlsPort}`;
      }
      return `unixsocket:${cfg.get<string | null>('unixsocket') ?? ''}`;
    }
    case 'server-mode': return server.clusterEnabled() ? '[cluster]' : server.sentinelMode ? '[sentinel]' : '';
    case 'config-file': return server.configFileAbs || '-';
    case 'port': return String(cfg.get<number>('port'));
    case 'tls-port': return String(cfg.get<number>('tls-port'));
    case 'unixsocket': return cfg.get<string | null>('unixsocket') ?? '';
    default: return null;
  }
}

/** expandProcTitleTemplate(): sdstemplate ("{{" is a literal brace), then trimmed of spaces. */
export function expandProcTitle(server: RedisServer, template: string, title: string): string | null {
  let out = '';
  let p = 0;
  while (p < template.length) {
    const sv = template.indexOf('{', p);
    if (sv < 0) { out += template.slice(p); break; }
    out += template.slice(p, sv);
    if (template[sv + 1] === '{') { out += '{'; p = sv + 2; continue; }
    const ev = template.indexOf('}', sv + 1);
    if (ev < 0) return null;
    const value = variable(server, template.slice(sv + 1, ev), title);
    if (value === null) return null;
    out += value;
    p = ev + 1;
  }
  return out.replace(/^ +| +$/g, '');
}

/** redisSetProcTitle(NULL): the server's own title. False when the template does not expand. */
export function setServerProcTitle(server: RedisServer): boolean {
  const title = expandProcTitle(server, server.config.get<string>('proc-title-template'), server.execArgv0);
  if (title === null) return false;
  server.os.setProcessTitle?.(title);
  return true;
}

/** CONFIG SET proc-title-template (updateProcTitleTemplate). */
export function installProcTitle(server: RedisServer): void {
  server.config.onApply('proc-title-template', () => (setServerProcTitle(server) ? null : 'failed to set process title'));
}
