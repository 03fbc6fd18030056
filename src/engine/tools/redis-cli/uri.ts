/**
 * `-u redis://[[user:]password@]host[:port][/db]` (cli_common.c parseRedisUri): fills the
 * connection settings; a bad scheme or bad percent-encoding exits with redis-cli's message.
 */
import type { CliConfig } from './config';
import { atoi, startsNoCase } from './cformat';

export type UriError = string;

function isHex(c: string): boolean {
  return /^[0-9a-f]$/.test(c);
}

function percentDecode(s: string): string | { error: UriError } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') { out += s[i]; continue; }
    if (s.length - i < 2) return { error: 'Incomplete URI encoding\n' };
    // Like the C code, "%" needs two more chars but only checks that one is left.
    const h = (s[i + 1] ?? '').toLowerCase();
    const l = (s[i + 2] ?? '').toLowerCase();
    if (!isHex(h) || !isHex(l)) return { error: 'Illegal character in URI encoding\n' };
    out += String.fromCharCode(parseInt(h + l, 16));
    i += 2;
  }
  return out;
}

/** Returns an error text to print before exiting 1, or null. */
export function parseRedisUri(uri: string, toolName: string, config: Pick<CliConfig, 'user' | 'auth' | 'hostip' | 'hostport' | 'inputDbnum' | 'tls'>, tlsSupported: boolean): UriError | null {
  let curr = 0;
  if (startsNoCase(uri, 'rediss://')) {
    if (!tlsSupported) return `rediss:// is only supported when ${toolName} is compiled with OpenSSL\n`;
    config.tls = true;
    curr = 'rediss://'.length;
  } else if (startsNoCase(uri, 'redis://')) {
    curr = 'redis://'.length;
  } else {
    return 'Invalid URI scheme\n';
  }
  const end = uri.length;
  if (curr === end) return null;

  const at = uri.indexOf('@', curr);
  if (at >= 0) {
    const colon = uri.indexOf(':', curr);
    if (colon >= 0 && colon < at) {
      const user = percentDecode(uri.slice(curr, colon));
      if (typeof user !== 'string') return user.error;
      config.user = user;
      curr = colon + 1;
    }
    const auth = percentDecode(uri.slice(curr, at));
    if (typeof auth !== 'string') return auth.error;
    config.auth = auth;
    curr = at + 1;
  }
  if (curr === end) return null;

  const slash = uri.indexOf('/', curr);
  if (uri[curr] !== '/') {
    let hostEnd = slash >= 0 ? slash : end;
    const colon = uri.indexOf(':', curr);
    if (colon >= 0) {
      config.hostport = atoi(uri.slice(colon + 1));
      hostEnd = colon;
    }
    config.hostip = uri.slice(curr, hostEnd);
  }
  curr = slash >= 0 ? slash + 1 : end;
  if (curr === end) return null;
  config.inputDbnum = atoi(uri.slice(curr));
  return null;
}
