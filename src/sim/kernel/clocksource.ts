/**
 * The clock sources of a host (/sys/devices/system/clocksource/clocksource0): the ones it has
 * (HostSpec.clocksources, the best first: what the kernel picks at boot), and the one in use,
 * which root may change by writing a name to current_clocksource. As Linux does it
 * (kernel/time/clocksource.c): a name of 32 bytes or more (its newline included) or none at
 * all is EINVAL; a name the host does not have is accepted and changes nothing (the best stays).
 *
 * What it changes: how a process reads the clock. tsc and kvm-clock are read in user space (the
 * vDSO); with hpet, acpi_pm or xen every clock_gettime() is a system call, which redis-server
 * --check-system measures as a slow clocksource (and Redis warns about xen at start-up).
 */
import type { Host } from './host';
import { bytesToLatin1, latin1Bytes } from './kernel';
import { mountPseudoFile } from './pseudo-files';

export const CLOCKSOURCE_DIR = '/sys/devices/system/clocksource/clocksource0';
/** A bare-metal x86-64 machine's: the TSC, then the HPET and the ACPI PM timer. */
export const DEFAULT_CLOCKSOURCES = ['tsc', 'hpet', 'acpi_pm'];
/** Clock sources the vDSO reads without entering the kernel. */
const VDSO_CLOCKSOURCES = new Set(['tsc', 'kvm-clock', 'hyperv_clocksource_tsc_page', 'arch_sys_counter']);
/** CS_NAME_LEN. */
const NAME_MAX_BYTES = 32;

/** Whether reading the clock is a system call with this clock source. */
export function clockReadIsSyscall(clocksource: string): boolean {
  return !VDSO_CLOCKSOURCES.has(clocksource);
}

/** At boot: the best clock source is current; the two files. */
export function mountClocksource(host: Host, now: number): void {
  const available = host.clocksources;
  host.clocksource = available[0];
  mountPseudoFile(host, `${CLOCKSOURCE_DIR}/available_clocksource`, { read: () => latin1Bytes(available.map((n) => `${n} `).join('') + '\n') }, now);
  mountPseudoFile(host, `${CLOCKSOURCE_DIR}/current_clocksource`, {
    read: () => latin1Bytes(`${host.clocksource}\n`),
    write: (bytes) => {
      if (bytes.length === 0 || bytes.length >= NAME_MAX_BYTES) return 'EINVAL';
      const text = bytesToLatin1(bytes);
      const name = text.endsWith('\n') ? text.slice(0, -1) : text;
      host.clocksource = available.includes(name) ? name : available[0];
      return null;
    },
  }, now, 0o644);
}
