/**
 * Hand-built RDB files for loader and redis-check-rdb tests: a header, whatever the test
 * writes, the EOF opcode and a correct CRC64, so the only damage is the one the test made.
 */
import { RdbWriter } from '../../src/engine/persistence/rdb/encoder';
import { Crc64 } from '../../src/engine/persistence/rdb/crc64';

/** REDIS0010, the body `write` produces, 0xFF and the CRC64 of all that. */
export function craftRdb(write: (w: RdbWriter) => void): Uint8Array {
  const w = new RdbWriter({ compression: false, listFill: -2 });
  w.ascii('REDIS0010');
  write(w);
  w.byte(0xff);
  const crc = new Crc64();
  crc.update(w.buf, 0, w.len);
  const v = crc.toBigInt();
  for (let i = 0n; i < 8n; i++) w.byte(Number((v >> (8n * i)) & 0xffn));
  return w.view().slice();
}
