import { describe, expect, it } from 'vitest';
import { markRecalled, messageKind, wireKind, PulseBuffer, PULSE_MS, MAX_PULSES_PER_DIRECTION, type WireEvent } from '../../src/ui/world/messages';

function ev(head: string, bytes = head.length, from = '127.0.0.1:5000', to = '127.0.0.1:7000'): WireEvent {
  return { fromHost: 'h', fromPid: 1, from, toHost: 'h', toPid: 2, to, bytes, head, fin: false, sentT: 0, arrivalT: 0.05 };
}

describe('messages on the wire', () => {
  it('classifies requests, replies and bulk payloads', () => {
    expect(messageKind('*1\r\n$4\r\nPING\r\n', 14, false)).toBe('PING');
    expect(messageKind('*3\r\n$8\r\nreplconf\r\n', 40, false)).toBe('REPLCONF');
    expect(messageKind('+PONG\r\n', 7, false)).toBe('reply');
    // An array reply is not a command named after its first element.
    expect(messageKind('*3\r\n$10\r\norder:1001\r\n$10\r\norder:1002\r\n', 60, false)).toBe('reply');
    expect(messageKind('*2\r\n$1\r\n0\r\n*0\r\n', 15, false)).toBe('reply');
    expect(messageKind('-ERR unknown\r\n', 14, false)).toBe('error');
    expect(messageKind('$100000\r\nREDIS0010', 100_010, false)).toBe('rdb');
    expect(messageKind('PING\r\n', 6, false)).toBe('PING');
    expect(messageKind('', 0, true)).toBe('fin');
    // ping's datagrams are one kind of their own, whatever their (empty) head says.
    expect(wireKind({ ...ev(''), bytes: 84, proto: 'icmp' })).toBe('ICMP');
    expect(wireKind(ev('PING\r\n'))).toBe('PING');
    expect(messageKind('$EOF:0123456789abcdef0123456789abcdef01234567\r\nREDIS', 90_000, false)).toBe('rdb');
    expect(messageKind('-ERR unknown command \'foo\', with args beginning wi', 80, false)).toBe('error');
    expect(messageKind('SET k v\r\n', 9, false)).toBe('SET');
    // The middle of an RDB or of a long reply starts anywhere: no name from its bytes.
    expect(messageKind('LGGNVA\x00\x05\xfbxxxx', 16_384, false)).toBe('data');
    expect(messageKind('$\x02\x00\x91key:000000012345\x00', 16_384, false)).toBe('data');
    expect(messageKind(':\x81\x00\x03abc\r\n', 16_384, false)).toBe('data');
    expect(messageKind('+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 16_384, false)).toBe('data');
    expect(messageKind('%2\r\n$6\r\nserver\r\n', 9000, false)).toBe('reply');
    expect(messageKind('*\x03\x00xyz', 16_384, false)).toBe('data');
  });

  it('merges bursts per direction and lets pulses expire', () => {
    const b = new PulseBuffer();
    b.add(ev('+OK\r\n'), 0);
    b.add(ev('+OK\r\n'), 10); // within the merge window
    expect(b.pulses).toHaveLength(1);
    expect(b.pulses[0].count).toBe(2);
    for (let i = 1; i <= 10; i++) b.add(ev('*1\r\n$4\r\nPING\r\n'), i * 200);
    expect(b.pulses.length).toBeLessThanOrEqual(MAX_PULSES_PER_DIRECTION + 1);
    expect(b.pulses.some((p) => p.kind === 'mixed' || p.kind === 'PING')).toBe(true);
    b.add(ev('+OK\r\n', 5, '127.0.0.1:7000', '127.0.0.1:5000'), 2000);
    expect(b.live(2000 + PULSE_MS / 2).some((l) => l.pulse.key === '127.0.0.1:7000>127.0.0.1:5000' && l.progress > 0.4 && l.progress < 0.6)).toBe(true);
    expect(b.live(10_000)).toEqual([]);
    expect(b.total).toBe(13);
  });

  it('a recall stops the pulses still travelling across the break and marks what never arrived', () => {
    const at = (arrivalT: number, bytes: number, from = '127.0.0.1:5000'): WireEvent => ({ ...ev('$20000\r\n', bytes, from), sentT: 1, arrivalT });
    const b = new PulseBuffer();
    b.add(at(2, 100), 0);
    b.add(at(50, 16384, '127.0.0.1:5001'), 0);
    b.add(at(30, 16384), 500);
    const recall: WireEvent = { ...ev('', 20000), sentT: 10, arrivalT: 10, recalled: 'held' };
    b.recall(recall);
    // This direction's pulse due after the break goes; the other connection's stays.
    expect(b.pulses.map((p) => p.key)).toEqual(['127.0.0.1:5000>127.0.0.1:7000', '127.0.0.1:5001>127.0.0.1:7000']);
    expect(b.pulses[0].arrivalT).toBe(2);
    // 20000 bytes taken back: the newest due after the break, never one the receiver had.
    const wire = [at(5, 4000), at(12, 4000), at(14, 16000), at(15, 4000, '127.0.0.1:5001'), at(16, 4000), { ...at(16, 0), fin: true }];
    markRecalled(wire, recall);
    expect(wire.map((m) => m.fate ?? '-')).toEqual(['-', '-', 'held', '-', 'held', 'held']);
  });
});
