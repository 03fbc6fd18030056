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
  return new RdbWalker(ev, opts, state).walk(r, true) as ChecksumResult;
}

/**
 * A walk that can stop where the bytes end and go on when more have come: rdbLoadRio reading
 * from a replica's socket parses each record as soon as it has arrived. walk(r, false) parses
 * every complete record from r.pos and returns 'more' with r.pos at the first record it could
 * not finish (nothing of that record was reported); walk(r, true) on the whole image finishes
 * the walk as walkRdb does. `r.buf` must hold the image from its first byte each time (the
 * checksum covers it all).
 */
export class RdbWalker {
  private start = -1;
  private version = 0;
  private expireMs = -1;
  private expireExact: bigint | undefined = undefined;
  private lruIdle = -1;
  private lfuFreq = -1;
  constructor(private readonly ev: RdbEvents, private readonly opts: WalkOptions,
    readonly state: RdbWalkState = newWalkState()) {}

  /** `stopAt`: return 'more' after the record that reaches this offset (a loader that yields). */
  walk(r: RdbReader, final: boolean, stopAt = Infinity): ChecksumResult | 'more' {
    const state = this.state;
    if (this.start < 0) {
      if (!final && r.remaining < 9) return 'more';
      this.start = r.pos;
      const magic = r.bytes(9);
      if (magic[0] !== 82 || magic[1] !== 69 || magic[2] !== 68 || magic[3] !== 73 || magic[4] !== 83) {
        throw new RdbHeaderError('Wrong signature trying to load DB from file');
      }
      const version = atoi(magic.subarray(5));
      state.version = version;
      this.version = version;
      if (version < 1 || version > RDB_VERSION) throw new RdbHeaderError(`Can't handle RDB format version ${version}`);
    }
    for (;;) {
      const mark = r.pos;
      try {
        if (this.record(r, final)) break;
        if (r.pos >= stopAt) return 'more';
      } catch (e) {
        // A record cut short (or looking broken because it is): wait for the rest. The walk
        // over the whole image reports whatever is really wrong.
        if (!final && isDecodeError(e)) {
          r.pos = mark;
          state.key = null;
          state.keyType = -1;
          return 'more';
        }
        throw e;
      }
    }
    if (this.version < 5) return 'not-checked';
    state.doing = 'check-sum';
    const crcEnd = r.pos;
    if (!final && r.remaining < 8) return 'more';
    const stored = r.bytes(8);
    if (!this.opts.verifyChecksum) return 'not-checked';
    if (stored.every((b) => b === 0)) return 'disabled';
    const crc = new Crc64();
    crc.update(r.buf, this.start, crcEnd);
    if (!crc.equalsLE(r.buf, crcEnd)) throw new RdbChecksumError(crc, stored);
    return 'ok';
  }

  /** One opcode and what follows it; true at the EOF opcode. */
  private record(r: RdbReader, final: boolean): boolean {
    const ev = this.ev;
    const state = this.state;
    state.doing = 'read-type';
    const type = r.byte();
    if (type === OP.EXPIRETIME) {
      state.doing = 'read-expire';
      this.expireMs = r.seconds() * 1000;
      return false;
    } else if (type === OP.EXPIRETIME_MS) {
      state.doing = 'read-expire';
      const exact = r.millisExact();
      this.expireMs = Number(exact);
      this.expireExact = Number.isSafeInteger(this.expireMs) ? undefined : exact;
      return false;
    } else if (type === OP.FREQ) {
      this.lfuFreq = r.byte();
      return false;
    } else if (type === OP.IDLE) {
      this.lruIdle = r.length();
      return false;
    } else if (type === OP.EOF) {
      return true;
    } else if (type === OP.SELECTDB) {
      state.doing = 'read-len';
      const id = r.length();
      ev.selectDb?.(id);
      return false;
    } else if (type === OP.RESIZEDB) {
      state.doing = 'read-len';
      const size = r.length();
      const expires = r.length();
      ev.resizeDb?.(size, expires);
      return false;
    } else if (type === OP.AUX) {
      state.doing = 'read-aux';
      const k = r.string();
      const v = r.string();
      ev.aux?.(k, v);
      return false;
    } else if (type === OP.MODULE_AUX) {
      state.doing = 'read-module-aux';
      const moduleId = BigInt(r.length());
      const whenOpcode = r.length();
      r.length(); // when
      if (whenOpcode !== 2) throw new RdbReportedError(false, RDB_C_LINE.badWhenOpcode, 'bad when_opcode');
      const name = moduleTypeName(moduleId);
      ev.moduleAux?.(name);
      skipModuleValue(r, name);
      return false;
    } else if (type === OP.FUNCTION || type === OP.FUNCTION2) {
      state.doing = 'read-functions';
      let payload: string;
      try {
        payload = readFunction(r, type);
      } catch (e) {
        if (e instanceof RdbEof && final) throw new RdbFunctionError(type === OP.FUNCTION2 ? 'Failed loading library payload' : 'Failed loading library');
        throw e;
      }
      ev.functionLibrary?.(payload);
      return false;
    }
    if (!isObjectType(type)) {
      if (!final) throw new RdbEof(); // checked again when the whole image is there
      throw new RdbInvalidTypeError(type);
    }
    state.keyType = type;
    state.doing = 'read-key';
    const key = r.string();
    state.key = key;
    ev.keyName?.(key, type);
    state.doing = 'read-object-value';
    const value = readObject(r, type, this.opts);
    ev.key(key, value, this.expireMs, this.lruIdle, this.lfuFreq, this.expireExact);
    state.key = null;
    state.keyType = -1;
    this.expireMs = -1;
    this.expireExact = undefined;
    this.lruIdle = -1;
    this.lfuFreq = -1;
    return false;
  }
}

/** Errors of the decoder itself (the bytes), as opposed to the event handlers' own. */
function isDecodeError(e: unknown): boolean {
  return e instanceof RdbEof || e instanceof RdbReportedError || e instanceof RdbFunctionError || e instanceof RdbInvalidTypeError;
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
