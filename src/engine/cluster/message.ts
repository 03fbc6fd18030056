/**
 * The cluster bus wire format of Redis 7.0 (clusterMsg in cluster.h), byte for byte, so that
 * our nodes and real redis-server nodes can share a bus.
 *
 * Every message starts with a fixed 2256-byte header: signature "RCmb", total length, protocol
 * version 1, the sender's ports, the message type, a count, the sender's currentEpoch and
 * configEpoch (its master's, for a replica), its replication offset, its 40-char name, its
 * 16384-bit slot bitmap (its master's, for a replica), its master's name, an announced IP, the
 * number of ping extensions, the cluster bus port, its node flags, its view of the cluster state
 * and three bytes of message flags. Integers are big-endian. The body depends on the type:
 *
 * - PING / PONG / MEET: `count` gossip entries of 104 bytes about other nodes, then the ping
 *   extensions (7.0 knows one, the announced hostname), each padded to 8 bytes;
 * - FAIL: the name of the failing node;
 * - PUBLISH / PUBLISHSHARD: channel and message lengths, then the bytes;
 * - UPDATE: a node's configEpoch, name and slot bitmap;
 * - FAILOVER_AUTH_REQUEST / FAILOVER_AUTH_ACK / MFSTART: no body;
 * - MODULE: module id, type and payload (carried, never produced here).
 */
import { bytesToStr, writeStr } from '../bytes';
import { NODE_NAME_LEN } from './node';

export const MSG_PING = 0;
export const MSG_PONG = 1;
export const MSG_MEET = 2;
export const MSG_FAIL = 3;
export const MSG_PUBLISH = 4;
export const MSG_FAILOVER_AUTH_REQUEST = 5;
export const MSG_FAILOVER_AUTH_ACK = 6;
export const MSG_UPDATE = 7;
export const MSG_MFSTART = 8;
export const MSG_MODULE = 9;
export const MSG_PUBLISHSHARD = 10;
export const MSG_TYPE_COUNT = 11;

/** Names used by CLUSTER INFO's cluster_stats_messages_<name>_sent and the logs. */
export function messageTypeName(type: number): string {
  return ['ping', 'pong', 'meet', 'fail', 'publish', 'auth-req', 'auth-ack', 'update', 'mfstart', 'module', 'publishshard'][type] ?? 'unknown';
}

/** mflags[0] bits. */
export const MFLAG0_PAUSED = 1;
export const MFLAG0_FORCEACK = 2;
export const MFLAG0_EXT_DATA = 4;

export const EXT_TYPE_HOSTNAME = 0;

export const PROTO_VER = 1;
export const HEADER_LEN = 2256;
export const GOSSIP_LEN = 104;
const SLOTS_BYTES = 2048;
const IP_LEN = 46;
const FAIL_BODY_LEN = 40;
const UPDATE_BODY_LEN = 8 + NODE_NAME_LEN + SLOTS_BYTES;
/** sizeof(clusterMsg): the header and the largest body, UPDATE's (Redis reads at most this much at once). */
export const MSG_STRUCT_LEN = HEADER_LEN + UPDATE_BODY_LEN;
const PUBLISH_FIXED_LEN = 8;
const MODULE_FIXED_LEN = 13;

const OFF = {
  sig: 0, totlen: 4, ver: 8, port: 10, type: 12, count: 14, currentEpoch: 16, configEpoch: 24, offset: 32,
  sender: 40, myslots: 80, slaveof: 2128, myip: 2168, extensions: 2214, pport: 2246, cport: 2248, flags: 2250,
  state: 2252, mflags: 2253,
};

/** The header fields, decoded. Names are 40-byte strings (a null name is 40 NUL bytes). */
export interface MsgHeader {
  type: number;
  port: number;
  count: number;
  currentEpoch: number;
  configEpoch: number;
  offset: number;
  sender: string;
  myslots: Uint8Array;
  slaveof: string;
  /** Announced IP, '' when the receiver should use the socket's peer address. */
  myip: string;
  extensions: number;
  pport: number;
  cport: number;
  flags: number;
  /** 0 ok, 1 fail. */
  state: number;
  mflags0: number;
}

export interface GossipEntry {
  nodename: string;
  /** Seconds (Redis sends ms/1000 truncated to 32 bits). */
  pingSent: number;
  pongReceived: number;
  ip: string;
  port: number;
  cport: number;
  flags: number;
  pport: number;
}

export type MsgBody =
  | { kind: 'ping'; gossip: GossipEntry[]; hostname: string | null; unknownExtensions: number[] }
  | { kind: 'fail'; nodename: string }
  | { kind: 'publish'; channel: string; message: string }
  | { kind: 'update'; configEpoch: number; nodename: string; slots: Uint8Array }
  | { kind: 'module'; moduleId: Uint8Array; moduleType: number; payload: Uint8Array }
  | { kind: 'empty' };

export interface ClusterMsg { header: MsgHeader; body: MsgBody; totlen: number }

// ---- decoding ---------------------------------------------------------------------------

function cstring(b: Uint8Array, off: number, max: number): string {
  let end = off;
  while (end < off + max && b[end] !== 0) end++;
  return bytesToStr(b, off, end);
}

function u64(v: DataView, off: number): number {
  return Number(v.getBigUint64(off));
}

/** Total length announced by the first 8 bytes, or an error for a bad signature/length. */
export function peekLength(b: Uint8Array): number | 'bad' {
  if (b[0] !== 0x52 || b[1] !== 0x43 || b[2] !== 0x6d || b[3] !== 0x62) return 'bad';
  const len = new DataView(b.buffer, b.byteOffset, 8).getUint32(4);
  return len < HEADER_LEN ? 'bad' : len;
}

/**
 * Decode a complete message and check its length the way clusterProcessPacket does. Returns a
 * reason string (logged by the caller, some at WARNING like Redis) when the packet is dropped.
 */
export function decodeMessage(b: Uint8Array): ClusterMsg | { drop: string; warn: boolean } {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const totlen = v.getUint32(OFF.totlen);
  if (totlen < 16 || totlen > b.length) return { drop: 'short', warn: false };
  if (v.getUint16(OFF.ver) !== PROTO_VER) return { drop: 'version', warn: false };
  const type = v.getUint16(OFF.type);
  const header: MsgHeader = {
    type,
    port: v.getUint16(OFF.port),
    count: v.getUint16(OFF.count),
    currentEpoch: u64(v, OFF.currentEpoch),
    configEpoch: u64(v, OFF.configEpoch),
    offset: u64(v, OFF.offset),
    sender: bytesToStr(b, OFF.sender, OFF.sender + NODE_NAME_LEN),
    myslots: b.slice(OFF.myslots, OFF.myslots + SLOTS_BYTES),
    slaveof: bytesToStr(b, OFF.slaveof, OFF.slaveof + NODE_NAME_LEN),
    myip: cstring(b, OFF.myip, IP_LEN),
    extensions: v.getUint16(OFF.extensions),
    pport: v.getUint16(OFF.pport),
    cport: v.getUint16(OFF.cport),
    flags: v.getUint16(OFF.flags),
    state: b[OFF.state],
    mflags0: b[OFF.mflags],
  };
  const typeName = messageTypeName(type);
  let explen: number;
  let body: MsgBody = { kind: 'empty' };
  if (type === MSG_PING || type === MSG_PONG || type === MSG_MEET) {
    explen = HEADER_LEN + GOSSIP_LEN * header.count;
    const extOffsets: number[] = [];
    if (header.mflags0 & MFLAG0_EXT_DATA) {
      let n = header.extensions;
      let pos = explen;
      while (n--) {
        if (pos + 8 > b.length) return { drop: `Received invalid ${typeName} packet with extension data that exceeds total packet length (${totlen})`, warn: true };
        const extlen = v.getUint32(pos);
        if (extlen % 8 !== 0) return { drop: `Received a ${typeName} packet without proper padding (${extlen} bytes)`, warn: true };
        if (totlen - explen < extlen) return { drop: `Received invalid ${typeName} packet with extension data that exceeds total packet length (${totlen})`, warn: true };
        extOffsets.push(pos);
        explen += extlen;
        pos += extlen;
        if (extlen === 0) break;
      }
    }
    if (totlen !== explen) return { drop: `Received invalid ${typeName} packet of length ${totlen} but expected length ${explen}`, warn: true };
    const gossip: GossipEntry[] = [];
    for (let i = 0; i < header.count; i++) {
      const g = HEADER_LEN + i * GOSSIP_LEN;
      gossip.push({
        nodename: bytesToStr(b, g, g + NODE_NAME_LEN),
        pingSent: v.getUint32(g + 40),
        pongReceived: v.getUint32(g + 44),
        ip: cstring(b, g + 48, IP_LEN),
        port: v.getUint16(g + 94),
        cport: v.getUint16(g + 96),
        flags: v.getUint16(g + 98),
        pport: v.getUint16(g + 100),
      });
    }
    let hostname: string | null = null;
    const unknownExtensions: number[] = [];
    for (const pos of extOffsets) {
      const extType = v.getUint16(pos + 4);
      if (extType === EXT_TYPE_HOSTNAME) hostname = cstring(b, pos + 8, v.getUint32(pos) - 8);
      else unknownExtensions.push(extType);
    }
    body = { kind: 'ping', gossip, hostname, unknownExtensions };
  } else if (type === MSG_FAIL) {
    explen = HEADER_LEN + FAIL_BODY_LEN;
    if (totlen === explen) body = { kind: 'fail', nodename: bytesToStr(b, HEADER_LEN, HEADER_LEN + NODE_NAME_LEN) };
  } else if (type === MSG_PUBLISH || type === MSG_PUBLISHSHARD) {
    const clen = b.length >= HEADER_LEN + 8 ? v.getUint32(HEADER_LEN) : 0;
    const mlen = b.length >= HEADER_LEN + 8 ? v.getUint32(HEADER_LEN + 4) : 0;
    explen = HEADER_LEN + PUBLISH_FIXED_LEN + clen + mlen;
    if (totlen === explen) {
      const p = HEADER_LEN + PUBLISH_FIXED_LEN;
      body = { kind: 'publish', channel: bytesToStr(b, p, p + clen), message: bytesToStr(b, p + clen, p + clen + mlen) };
    }
  } else if (type === MSG_FAILOVER_AUTH_REQUEST || type === MSG_FAILOVER_AUTH_ACK || type === MSG_MFSTART) {
    explen = HEADER_LEN;
  } else if (type === MSG_UPDATE) {
    explen = HEADER_LEN + UPDATE_BODY_LEN;
    if (totlen === explen) {
      body = {
        kind: 'update', configEpoch: u64(v, HEADER_LEN),
        nodename: bytesToStr(b, HEADER_LEN + 8, HEADER_LEN + 8 + NODE_NAME_LEN),
        slots: b.slice(HEADER_LEN + 8 + NODE_NAME_LEN, HEADER_LEN + UPDATE_BODY_LEN),
      };
    }
  } else if (type === MSG_MODULE) {
    const len = b.length >= HEADER_LEN + 12 ? v.getUint32(HEADER_LEN + 8) : 0;
    explen = HEADER_LEN + MODULE_FIXED_LEN + len;
    if (totlen === explen) {
      body = { kind: 'module', moduleId: b.slice(HEADER_LEN, HEADER_LEN + 8), moduleType: b[HEADER_LEN + 12], payload: b.slice(HEADER_LEN + 13, HEADER_LEN + 13 + len) };
    }
  } else {
    // Unknown types are assumed well formed.
    explen = totlen;
  }
  if (totlen !== explen) return { drop: `Received invalid ${typeName} packet of length ${totlen} but expected length ${explen}`, warn: true };
  return { header, body, totlen };
}

// ---- encoding ---------------------------------------------------------------------------

function putName(b: Uint8Array, off: number, name: string): void {
  for (let i = 0; i < NODE_NAME_LEN; i++) b[off + i] = i < name.length ? name.charCodeAt(i) & 0xff : 0;
}

function putCString(b: Uint8Array, off: number, s: string, max: number): void {
  const n = Math.min(s.length, max - 1);
  writeStr(b, off, s.slice(0, n));
}

/** A zeroed buffer of `totlen` bytes with the header filled in (clusterBuildMessageHdr). */
export function encodeHeader(h: MsgHeader, totlen: number): Uint8Array {
  const b = new Uint8Array(totlen);
  const v = new DataView(b.buffer);
  writeStr(b, OFF.sig, 'RCmb');
  v.setUint32(OFF.totlen, totlen);
  v.setUint16(OFF.ver, PROTO_VER);
  v.setUint16(OFF.port, h.port);
  v.setUint16(OFF.type, h.type);
  v.setUint16(OFF.count, h.count);
  v.setBigUint64(OFF.currentEpoch, BigInt(h.currentEpoch));
  v.setBigUint64(OFF.configEpoch, BigInt(h.configEpoch));
  v.setBigUint64(OFF.offset, BigInt(Math.max(0, h.offset)));
  putName(b, OFF.sender, h.sender);
  b.set(h.myslots, OFF.myslots);
  putName(b, OFF.slaveof, h.slaveof);
  putCString(b, OFF.myip, h.myip, IP_LEN);
  v.setUint16(OFF.extensions, h.extensions);
  v.setUint16(OFF.pport, h.pport);
  v.setUint16(OFF.cport, h.cport);
  v.setUint16(OFF.flags, h.flags);
  b[OFF.state] = h.state;
  b[OFF.mflags] = h.mflags0;
  return b;
}

/** Size of the hostname extension: 8-byte header plus the NUL-terminated name, 8-aligned. */
export function hostnameExtLength(hostname: string): number {
  return hostname.length === 0 ? 0 : 8 + Math.ceil((hostname.length + 1) / 8) * 8;
}

/** PING / PONG / MEET with gossip entries and, when we announce one, the hostname extension. */
export function encodePing(h: MsgHeader, gossip: GossipEntry[], hostname: string): Uint8Array {
  const extLen = hostnameExtLength(hostname);
  const totlen = HEADER_LEN + GOSSIP_LEN * gossip.length + extLen;
  const b = encodeHeader({ ...h, count: gossip.length, extensions: extLen ? 1 : 0, mflags0: h.mflags0 | (extLen ? MFLAG0_EXT_DATA : 0) }, totlen);
  const v = new DataView(b.buffer);
  gossip.forEach((g, i) => {
    const o = HEADER_LEN + i * GOSSIP_LEN;
    putName(b, o, g.nodename);
    v.setUint32(o + 40, g.pingSent >>> 0);
    v.setUint32(o + 44, g.pongReceived >>> 0);
    putCString(b, o + 48, g.ip, IP_LEN);
    v.setUint16(o + 94, g.port);
    v.setUint16(o + 96, g.cport);
    v.setUint16(o + 98, g.flags);
    v.setUint16(o + 100, g.pport);
  });
  if (extLen) {
    const o = HEADER_LEN + GOSSIP_LEN * gossip.length;
    v.setUint32(o, extLen);
    v.setUint16(o + 4, EXT_TYPE_HOSTNAME);
    writeStr(b, o + 8, hostname);
  }
  return b;
}

export function encodeFail(h: MsgHeader, nodename: string): Uint8Array {
  const b = encodeHeader(h, HEADER_LEN + FAIL_BODY_LEN);
  putName(b, HEADER_LEN, nodename);
  return b;
}

export function encodeUpdate(h: MsgHeader, configEpoch: number, nodename: string, slots: Uint8Array): Uint8Array {
  const b = encodeHeader(h, HEADER_LEN + UPDATE_BODY_LEN);
  new DataView(b.buffer).setBigUint64(HEADER_LEN, BigInt(configEpoch));
  putName(b, HEADER_LEN + 8, nodename);
  b.set(slots, HEADER_LEN + 8 + NODE_NAME_LEN);
  return b;
}

export function encodePublish(h: MsgHeader, channel: string, message: string): Uint8Array {
  const b = encodeHeader(h, HEADER_LEN + PUBLISH_FIXED_LEN + channel.length + message.length);
  const v = new DataView(b.buffer);
  v.setUint32(HEADER_LEN, channel.length);
  v.setUint32(HEADER_LEN + 4, message.length);
  writeStr(b, HEADER_LEN + PUBLISH_FIXED_LEN, channel);
  writeStr(b, HEADER_LEN + PUBLISH_FIXED_LEN + channel.length, message);
  return b;
}

/** FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART: the header alone. */
export function encodeBare(h: MsgHeader): Uint8Array {
  return encodeHeader(h, HEADER_LEN);
}
