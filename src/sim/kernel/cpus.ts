/**
 * A host's CPUs (HostSpec.cpus): /proc/cpuinfo and the CPU lists of /sys/devices/system/cpu,
 * made at every boot. What `nproc` answers: the CPUs the process may run on (no affinity is
 * modelled: all of them), and with --all the ones the kernel could bring up (the `possible`
 * list, as glibc's sysconf(_SC_NPROCESSORS_CONF) reads it).
 *
 * The CPU is a KVM guest's default virtual one (QEMU's qemu64 model), one core per CPU on one
 * socket; the figures besides the count (speed, flags) are that model's, for scripts that grep
 * the file, and the simulation's cost model does not depend on them.
 */
import type { Host } from './host';
import { latin1Bytes } from './kernel';
import { mountPseudoFile } from './pseudo-files';

const FLAGS = 'fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pse36 clflush mmx fxsr sse sse2 syscall nx lm rep_good nopl xtopology cpuid tsc_known_freq pni cx16 x2apic hypervisor lahf_lm cpuid_fault pti';
const BUGS = 'cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs itlb_multihit mmio_unknown';

/** The text of /proc/cpuinfo (arch/x86/kernel/cpu/proc.c's layout: `name\t: value`). */
export function cpuinfoText(cpus: number): string {
  let out = '';
  for (let i = 0; i < cpus; i++) {
    out += `processor\t: ${i}\nvendor_id\t: GenuineIntel\ncpu family\t: 15\nmodel\t\t: 107\nmodel name\t: QEMU Virtual CPU version 2.5+\n`
      + `stepping\t: 1\nmicrocode\t: 0x1\ncpu MHz\t\t: 2399.998\ncache size\t: 16384 KB\nphysical id\t: 0\nsiblings\t: ${cpus}\n`
      + `core id\t\t: ${i}\ncpu cores\t: ${cpus}\napicid\t\t: ${i}\ninitial apicid\t: ${i}\nfpu\t\t: yes\nfpu_exception\t: yes\n`
      + `cpuid level\t: 13\nwp\t\t: yes\nflags\t\t: ${FLAGS}\nbugs\t\t: ${BUGS}\nbogomips\t: 4799.99\nclflush size\t: 64\n`
      + 'cache_alignment\t: 64\naddress sizes\t: 40 bits physical, 48 bits virtual\npower management:\n\n';
  }
  return out;
}

/** A CPU list as sysfs prints it: `0`, `0-3`. */
export function cpuList(cpus: number): string {
  return cpus === 1 ? '0\n' : `0-${cpus - 1}\n`;
}

/** At boot: /proc/cpuinfo and /sys/devices/system/cpu/{online,possible,present}. */
export function mountCpuFiles(host: Host, now: number): void {
  const info = latin1Bytes(cpuinfoText(host.cpus));
  mountPseudoFile(host, '/proc/cpuinfo', { read: () => info }, now);
  const list = latin1Bytes(cpuList(host.cpus));
  for (const name of ['online', 'possible', 'present']) mountPseudoFile(host, `/sys/devices/system/cpu/${name}`, { read: () => list }, now);
}

/** How many CPUs a sysfs CPU list names (`0-3,6` is 5), as glibc counts them; 0 when unreadable. */
export function cpuListCount(text: string): number {
  let n = 0;
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return 0;
    n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return n;
}
