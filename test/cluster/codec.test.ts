/** Unit tests: CRC16 slots, the bus message codec, the per-slot key index. */
import { describe, it, expect } from 'vitest';
import { crc16, keyHashSlot } from '../../src/engine/cluster/crc16';
import {
  decodeMessage, encodeBare, encodeFail, encodePing, encodePublish, encodeUpdate, GOSSIP_LEN, HEADER_LEN, MFLAG0_EXT_DATA,
  MSG_FAIL, MSG_FAILOVER_AUTH_REQUEST, MSG_PING, MSG_PUBLISH, MSG_UPDATE, type MsgHeader,
} from '../../src/engine/cluster/message';
import { SlotIndex } from '../../src/engine/cluster/slot-index';

function header(type: number): MsgHeader {
  const slots = new Uint8Array(2048);
  slots[0] = 0b101;
  return {
    type, port: 7000, count: 0, currentEpoch: 7, configEpoch: 3, offset: 12345, sender: 'a'.repeat(40), myslots: slots,
    slaveof: '\0'.repeat(40), myip: '10.0.0.1', extensions: 0, pport: 0, cport: 17000, flags: 1, state: 0, mflags0: 0,
  };
}

describe('CRC16 and hash slots', () => {
  it('XMODEM check value and hash tags', () => {
    expect(crc16('123456789')).toBe(0x31c3);
    expect(keyHashSlot('foo')).toBe(12182);
    expect(keyHashSlot('{user1000}.following')).toBe(keyHashSlot('user1000'));
    expect(keyHashSlot('{user1000}.following')).toBe(3443);
    expect(keyHashSlot('{}x')).toBe(crc16('{}x') & 0x3fff);
    expect(keyHashSlot('a{b')).toBe(crc16('a{b') & 0x3fff);
    expect(keyHashSlot('{a}{b}')).toBe(keyHashSlot('a'));
  });
});

describe('cluster bus codec', () => {
  it('PING with gossip and the hostname extension round-trips, 8-byte aligned', () => {
    const gossip = [{ nodename: 'b'.repeat(40), pingSent: 1, pongReceived: 2, ip: '10.0.0.2', port: 7001, cport: 17001, flags: 2, pport: 0 }];
    const bytes = encodePing(header(MSG_PING), gossip, 'host-1');
    expect(bytes.length).toBe(HEADER_LEN + GOSSIP_LEN + 16);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RCmb');
    const m = decodeMessage(bytes);
    if ('drop' in m) throw new Error(m.drop);
    expect(m.header).toMatchObject({ type: MSG_PING, port: 7000, count: 1, currentEpoch: 7, configEpoch: 3, offset: 12345, myip: '10.0.0.1', cport: 17000, flags: 1, extensions: 1 });
    expect(m.header.mflags0 & MFLAG0_EXT_DATA).toBe(MFLAG0_EXT_DATA);
    expect(m.header.myslots[0]).toBe(0b101);
    expect(m.body).toEqual({ kind: 'ping', gossip, hostname: 'host-1', unknownExtensions: [] });
  });

  it('FAIL, UPDATE, PUBLISH and bare messages', () => {
    const f = decodeMessage(encodeFail(header(MSG_FAIL), 'c'.repeat(40)));
    expect('drop' in f ? f : f.body).toEqual({ kind: 'fail', nodename: 'c'.repeat(40) });
    const slots = new Uint8Array(2048).fill(0xff);
    const u = decodeMessage(encodeUpdate(header(MSG_UPDATE), 9, 'd'.repeat(40), slots));
    expect('drop' in u ? u : u.body).toEqual({ kind: 'update', configEpoch: 9, nodename: 'd'.repeat(40), slots });
    const p = decodeMessage(encodePublish(header(MSG_PUBLISH), 'chan', 'hello'));
    expect('drop' in p ? p : p.body).toEqual({ kind: 'publish', channel: 'chan', message: 'hello' });
    const a = decodeMessage(encodeBare(header(MSG_FAILOVER_AUTH_REQUEST)));
    expect('drop' in a ? a : a.totlen).toBe(HEADER_LEN);
  });

  it('drops packets whose length does not match their content', () => {
    const ping = encodePing(header(MSG_PING), [], '');
    const bad = new Uint8Array(ping.length + 10);
    bad.set(ping);
    new DataView(bad.buffer).setUint32(4, bad.length);
    expect(decodeMessage(bad)).toEqual({ drop: `Received invalid ping packet of length ${bad.length} but expected length ${HEADER_LEN}`, warn: true });
    const withExt = encodePing(header(MSG_PING), [], 'h');
    new DataView(withExt.buffer).setUint32(HEADER_LEN, 12);
    expect(decodeMessage(withExt)).toEqual({ drop: 'Received a ping packet without proper padding (12 bytes)', warn: true });
  });
});

describe('slot index', () => {
  it('counts keys per slot and lists them newest first', () => {
    const idx = new SlotIndex();
    const slot = keyHashSlot('{t}');
    for (const k of ['{t}1', '{t}2', '{t}3', 'other']) idx.add(k);
    idx.add('{t}2');
    expect(idx.count(slot)).toBe(3);
    expect(idx.keys(slot, 10)).toEqual(['{t}3', '{t}2', '{t}1']);
    idx.remove('{t}2');
    expect(idx.keys(slot, 10)).toEqual(['{t}3', '{t}1']);
    expect(idx.keys(slot, 1)).toEqual(['{t}3']);
    idx.clear();
    expect(idx.count(slot)).toBe(0);
  });
});
