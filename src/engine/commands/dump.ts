/**
 * DUMP and RESTORE (cluster.c): a key's value in the RDB value encoding, followed by the RDB
 * version (2 bytes) and a CRC64 (8 bytes), and back. RESTORE checks the footer first
 * ("DUMP payload version or checksum are wrong"), then decodes with the same code the RDB
 * loader uses ("Bad data format" for anything it cannot turn into a value of this engine,
 * which includes streams and module types).
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { keySpecRange } from './command';
import { optEq, getLongLongOrReply } from './util';
import { createDumpPayload, verifyDumpPayload } from '../persistence/rdb/file-writer';
import { RdbReader, readObject, isSkipped, EMPTY_KEY } from '../persistence/rdb/decoder';
import { isObjectType } from '../persistence/rdb/format';
import { encodeOptions, loadLimits, skipChecksumValidation } from '../persistence/snapshot';
import { Lookup } from '../keyspace/db';
import { strToBytes } from '../bytes';
import { bytesToBinary } from '../persistence/rdb/listpack';

const G = { group: 'generic', acl: ['@keyspace'] };

function dump(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) { c.replyNull(); return; }
  const payload = createDumpPayload(v, encodeOptions(c.server));
  c.replyBulk(bytesToBinary(payload, 0, payload.length));
}

function restore(c: Client, argv: string[]): void {
  const s = c.server;
  let replace = false, absttl = false;
  let lfuFreq = -1, lruIdle = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (optEq(argv[j], 'replace')) {
      replace = true;
    } else if (optEq(argv[j], 'absttl')) {
      absttl = true;
    } else if (optEq(argv[j], 'idletime') && additional >= 1 && lfuFreq === -1) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0) { c.replyError('Invalid IDLETIME value, must be >= 0'); return; }
      lruIdle = v;
      j++;
    } else if (optEq(argv[j], 'freq') && additional >= 1 && lruIdle === -1) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0 || v > 255) { c.replyError('Invalid FREQ value, must be >= 0 and <= 255'); return; }
      lfuFreq = v;
      j++;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  const key = argv[1];
  if (!replace && c.db.lookup(key, Lookup.Write) !== undefined) {
    c.replyError('-BUSYKEY Target key name already exists.');
    return;
  }
  let ttl = getLongLongOrReply(c, argv[2]);
  if (ttl === null) return;
  if (ttl < 0) { c.replyError('Invalid TTL value, must be >= 0'); return; }
  const payload = strToBytes(argv[3]);
  if (!verifyDumpPayload(payload, skipChecksumValidation(s))) { c.replyError('DUMP payload version or checksum are wrong'); return; }
  let value;
  try {
    const r = new RdbReader(payload);
    const type = r.byte();
    if (!isObjectType(type)) throw new Error('bad type');
    value = readObject(r, type, { limits: loadLimits(s), deep: s.config.lookup('sanitize-dump-payload') ? s.config.get<string>('sanitize-dump-payload') === 'yes' : false, checkMode: false });
  } catch {
    value = null;
  }
  if (value === null || value === EMPTY_KEY || isSkipped(value)) { c.replyError('Bad data format'); return; }

  let deleted = false;
  if (replace) deleted = c.db.delete(key);
  if (ttl && !absttl) ttl += s.os.now();
  if (ttl && ttl <= s.os.now() && !s.loading && !s.isReplica()) {
    // Already expired: the key is not created (and a replaced key is deleted).
    if (deleted) {
      c.propagateArgv = ['DEL', key];
      s.signalModifiedKey(c.db, key);
      s.notifyKeyspaceEvent('g', 'del', key, c.db.id);
      s.dirty++;
    }
    c.replyOk();
    return;
  }
  c.db.add(key, value);
  if (ttl) {
    c.db.setExpire(key, ttl);
    if (!absttl) c.propagateArgv = [argv[0], key, String(ttl), ...argv.slice(3), 'ABSTTL'];
  }
  const e = c.db.getEntry(key)!;
  // objectSetLRUOrLFU: FREQ sets the LFU counter (with the current minute), IDLETIME the LRU clock.
  const lfu = s.config.get<string>('maxmemory-policy').endsWith('-lfu');
  if (lfu && lfuFreq >= 0) e.lru = ((Math.floor(s.os.now() / 60000) & 65535) << 8) | lfuFreq;
  else if (!lfu && lruIdle >= 0) e.lru = (s.lruClock() - lruIdle + 0x1000000) % 0x1000000;
  s.signalModifiedKey(c.db, key);
  s.notifyKeyspaceEvent('g', 'restore', key, c.db.id);
  c.replyOk();
  s.dirty++;
}

export const dumpCommands: CommandSpec[] = [
  cmd('dump', 2, ['readonly'], [1, 1, 1], { ...G, since: '2.6.0', summary: "A key's value serialized in Redis's RDB format.", complexity: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size.', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }] }, dump),
  cmd('restore', -4, ['write', 'denyoom'], [1, 1, 1], { ...G, acl: ['@keyspace', '@dangerous'], since: '2.6.0', summary: 'Create a key from a value serialized by DUMP.', complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value.', args: [
    { name: 'key', type: 'key' }, { name: 'ttl', type: 'integer' }, { name: 'serialized-value', type: 'string' },
    { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
    { name: 'absttl', type: 'pure-token', token: 'ABSTTL', optional: true, since: '5.0.0' },
    { name: 'seconds', type: 'integer', token: 'IDLETIME', optional: true, since: '5.0.0' },
    { name: 'frequency', type: 'integer', token: 'FREQ', optional: true, since: '5.0.0' },
  ] }, restore, {
    keySpecs: [keySpecRange(1, 0, 1, ['OW', 'update'])],
    history: [['3.0.0', 'Added the `REPLACE` modifier.'], ['5.0.0', 'Added the `ABSTTL` modifier.'], ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.']],
  }),
];
