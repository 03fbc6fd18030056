/**
 * Binary files for the byte viewers' differential tests (xxd, od, hexdump): text with control
 * bytes, runs of zeros and of a repeated line (what `*` squeezes), every byte value, and the
 * files of a Redis server — a dump.rdb and an AOF written by our engine in the simulated world,
 * copied byte for byte beside the real tools.
 */
import type { ShellDifferential } from './shell-differential';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

export const BYTE_FILES: Record<string, Uint8Array> = {
  text: latin1('hello world\nthis is a test of xxd\x00\x01\x02\xff'),
  zeros: new Uint8Array(100),
  holes: latin1('abc' + '\0'.repeat(64) + 'xyz' + '\0'.repeat(40)),
  repeat: latin1('ABCDEFGHIJKLMNOP'.repeat(5) + 'tail'),
  every: Uint8Array.from({ length: 256 }, (_, i) => i),
  empty: new Uint8Array(0),
  utf8: Buffer.from('héllo wörld 日本語\n', 'utf8'),
  words: latin1('\x01\x02\x03\x04\xfe\xff\x80\x00\x7f\xff\xff\xff\x00\x00\x00\x80abcdefgh'),
};

/**
 * A Redis server of our engine in the harness's world saves a dump.rdb (uncompressed, so a
 * 64-byte value shows as repeated lines) and keeps an AOF; both are copied to the real side.
 */
export async function addRedisFiles(t: ShellDifferential): Promise<void> {
  await t.w.exec('redis-1', 'mkdir -p /root/redis; redis-server --port 6379 --dir /root/redis --rdbcompression no --appendonly yes --daemonize yes');
  await t.w.advance(500);
  await t.w.exec('redis-1', "redis-cli set greeting hello; redis-cli set pad $(printf 'x%.0s' {1..64}); redis-cli rpush list a b c; redis-cli incr n; redis-cli save");
  await t.w.advance(500);
  for (const [from, to] of [['/root/redis/dump.rdb', 'dump.rdb'], ['/root/redis/appendonlydir/appendonly.aof.1.incr.aof', 'incr.aof']]) {
    const bytes = t.w.readFile('redis-1', from);
    if (!bytes) throw new Error(`the engine wrote no ${from}`);
    t.writeBoth(to, bytes);
  }
}
