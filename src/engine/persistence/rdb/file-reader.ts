/**
 * Walking a whole RDB file: magic and version, the opcode stream (AUX fields, SELECTDB,
 * RESIZEDB, expires, LRU/LFU hints, module AUX, function libraries, keys) and the trailing
 * CRC64. The server's loader, DEBUG RELOAD, RESTORE-free paths, AOF base files and
 * redis-check-rdb all use this one walker with different event handlers, so they agree on
 * what a valid file is.
 *
 * `state` mirrors redis-check-rdb's rdbstate: what the walker was doing and which key it
 * was reading, so an error can be reported the way the real tool reports it.
 */
import { OP, RDB_VERSION, isObjectType } from './format';
import { Crc64 } from './crc64';
import { RdbEof, RdbReader, RdbReportedError, RDB_C_LINE, readObject, skipModuleValue, moduleTypeName, type DecodeOptions, type DecodedValue } from './decoder';

export type RdbDoing = 'start' | 'read-type' | 'read-expire' | 'read-key' | 'read-object-value' | 'check-sum'
  | 'read-len' | 'read-aux' | 'read-module-aux' | 'read-functions';

export interface RdbWalkState {
  doing: RdbDoing;
  /** The key being read, or null between keys. */
  key: string | null;
  /** Type byte of the key being read; -1 between keys (0 before the first one, like C). */
  keyType: number;
  version: number;
}

/** The file does not start with a usable header (message as Redis words it). */
export class RdbHeaderError extends Error {}

export interface RdbEvents {
  aux?(key: string, value: string): void;
  selectDb?(dbId: number): void;
  resizeDb?(dbSize: number, expiresSize: number): void;
  moduleAux?(name: string): void;
  functionLibrary?(payload: string): void;
  /** A key's name was read (its value comes next). */
  keyName?(key: string, type: number): void;
  /**
   * A complete key. `expireMs` is -1 without a TTL; idle/freq are -1 when absent;
   * `expireExact` is set when the expire time is beyond 2^53 ms (where a number rounds).
   */
  key(key: string, value: DecodedValue, expireMs: number, lruIdleSec: number, lfuFreq: number, expireExact?: bigint): void;
}

export interface WalkOptions extends DecodeOptions {
  /** rdbchecksum: verify the trailing CRC64 (a stored 0 always means "not computed"). */
  verifyChecksum: boolean;
}

export type ChecksumResult = 'ok' | 'disabled' | 'not-checked';

export function newWalkState(): RdbWalkState {
  return { doing: 'start', key: null, keyType: 0, version: 0 };
}

/**
 * Walk the RDB at the reader's position. Throws RdbHeaderError, RdbEof or
 * RdbReportedError (a checksum mismatch is reported as "RDB CRC error").
 */
export function walkRdb(r: RdbReader, ev: RdbEvents, opts: WalkOptions, state: RdbWalkState = newWalkState()): ChecksumResult {
  const start = r.pos;
  const magic = r.bytes(9);
  if (magic[0] !== 82 || magic[1] !== 69 || magic[2] !== 68 || magic[3] !== 73 || magic[4] !== 83) {
    throw new RdbHeaderError('Wrong signature trying to load DB from file');
  }
  const version = atoi(magic.subarray(5));
  state.version = version;
  if (version < 1 || version > RDB_VERSION) throw new RdbHeaderError(`Can't handle RDB format version ${version}`);

  let expireMs = -1;
  let expireExact: bigint | undefined;
  let lruIdle = -1;
  let lfuFreq = -1;
  for (;;) {
    state.doing = 'read-type';
    const type = r.byte();
    if (type === OP.EXPIRETIME) {
      state.doing = 'read-expire';
      expireMs = r.seconds() * 1000;
      continue;
    } else if (type === OP.EXPIRETIME_MS) {
      state.doing = 'read-expire';
      const exact = r.millisExact();
      expireMs = Number(exact);
      expireExact = Number.isSafeInteger(expireMs) ? undefined : exact;
      continue;
    } else if (type === OP.FREQ) {
      lfuFreq = r.byte();
      continue;
    } else if (type === OP.IDLE) {
      lruIdle = r.length();
      continue;
    } else if (type === OP.EOF) {
      break;
    } else if (type === OP.SELECTDB) {
      state.doing = 'read-len';
      const id = r.length();
      ev.selectDb?.(id);
      continue;
    } else if (type === OP.RESIZEDB) {
      state.doing = 'read-len';
      const size = r.length();
      const expires = r.length();
      ev.resizeDb?.(size, expires);
      continue;
    } else if (type === OP.AUX) {
      state.doing = 'read-aux';
      const k = r.string();
      const v = r.string();
      ev.aux?.(k, v);
      continue;
    } else if (type === OP.MODULE_AUX) {
      state.doing = 'read-module-aux';
      const moduleId = BigInt(r.length());
      const whenOpcode = r.length();
      r.length(); // when
      if (whenOpcode !== 2) throw new RdbReportedError(false, RDB_C_LINE.badWhenOpcode, 'bad when_opcode');
      const name = moduleTypeName(moduleId);
      ev.moduleAux?.(name);
      skipModuleValue(r, name);
      continue;
    } else if (type === OP.FUNCTION || type === OP.FUNCTION2) {
      state.doing = 'read-functions';
      let payload: string;
      try {
        payload = readFunction(r, type);
      } catch (e) {
        if (e instanceof RdbEof) throw new RdbFunctionError(type === OP.FUNCTION2 ? 'Failed loading library payload' : 'Failed loading library');
        throw e;
      }
      ev.functionLibrary?.(payload);
      continue;
    }
    if (!isObjectType(type)) throw new RdbInvalidTypeError(type);
    state.keyType = type;
    state.doing = 'read-key';
    const key = r.string();
    state.key = key;
    ev.keyName?.(key, type);
    state.doing = 'read-object-value';
    const value = readObject(r, type, opts);
    ev.key(key, value, expireMs, lruIdle, lfuFreq, expireExact);
    state.key = null;
    state.keyType = -1;
    expireMs = -1;
    expireExact = undefined;
    lruIdle = -1;
    lfuFreq = -1;
  }
  if (version < 5) return 'not-checked';
  state.doing = 'check-sum';
  const crcEnd = r.pos;
  const stored = r.bytes(8);
  if (!opts.verifyChecksum) return 'not-checked';
  if (stored.every((b) => b === 0)) return 'disabled';
  const crc = new Crc64();
  crc.update(r.buf, start, crcEnd);
  if (!crc.equalsLE(r.buf, crcEnd)) throw new RdbChecksumError(crc, stored);
  return 'ok';
}

/** A function library could not be read ("Failed loading library, <reason>"). */
export class RdbFunctionError extends Error {}

/** A type byte that is neither an opcode nor a value type. */
export class RdbInvalidTypeError extends Error {
  constructor(readonly type: number) { super(`Invalid object type: ${type}`); }
}

/** The trailing CRC64 does not match the content. */
export class RdbChecksumError extends RdbReportedError {
  constructor(readonly expected: Crc64, readonly stored: Uint8Array) {
    super(true, RDB_C_LINE.crcError, 'RDB CRC error');
  }

  /** Both values as %llx, for "Wrong RDB checksum expected: (%llx) but got (%llx)". */
  hex(): { expected: string; got: string } {
    let got = 0n;
    for (let i = 7; i >= 0; i--) got = (got << 8n) | BigInt(this.stored[i]);
    return { expected: this.expected.toBigInt().toString(16), got: got.toString(16) };
  }
}

/** rdbFunctionLoad without a library context: the library source. */
function readFunction(r: RdbReader, type: number): string {
  if (type === OP.FUNCTION2) return r.string();
  // 7.0-rc1/rc2 layout: name, engine, optional description, code.
  const name = r.string();
  const engine = r.string();
  if (r.length()) r.string();
  const code = r.string();
  return `#!${engine} name=${name}\n${code}`;
}

/** atoi on the 4 version digits (stops at the first non-digit). */
function atoi(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && (b[i] === 32 || (b[i] >= 9 && b[i] <= 13))) i++;
  let neg = false;
  if (b[i] === 45 || b[i] === 43) { neg = b[i] === 45; i++; }
  let v = 0;
  for (; i < b.length && b[i] >= 48 && b[i] <= 57; i++) v = v * 10 + (b[i] - 48);
  return neg ? -v : v;
}

export { RdbEof, RdbReportedError };
