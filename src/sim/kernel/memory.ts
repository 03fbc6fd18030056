/**
 * A host's memory, as /proc/meminfo tells it (and `free`, `ps %MEM`, which read it): a small
 * model made of what the simulation knows, plus a few constants for what it does not run.
 *
 * What it knows:
 * - the machine's RAM (HostSpec.memoryMiB);
 * - each process's resident memory (ps RSS): what redis-server reports of itself
 *   (Os.reportMemory: its used_memory_rss, sampled by its cron every 100 ms as Redis does),
 *   a fixed size drawn at start for the others. A forked child (BGSAVE) shares its parent's
 *   pages copy-on-write, so it adds no resident memory here (the pages either side writes
 *   while it lives are not modelled), but it does add its parent's size to Committed_AS, as
 *   Linux's fork() charges it: that is what vm.overcommit_memory=2 refuses;
 * - the page cache: every file of the disk whose data is cached (written, or read since the
 *   host booted: a power loss empties it), in 4 KiB pages, and which of them are dirty;
 * - the tunable vm.overcommit_ratio, for CommitLimit.
 *
 * What it does not run is constant: the kernel's own reservations at boot, its slabs and
 * stacks, and the daemons of a Debian 12 server that are not simulated (systemd, journald,
 * udevd, sshd, dbus) with the binaries and libraries they have read into the page cache.
 * Memory pressure is not modelled beyond this: when the processes need more than is free,
 * the page cache shrinks to leave the kernel's low watermark free (on paper: files stay
 * cached for the disk's read costs), and there is no swap and no OOM killer.
 *
 * MemAvailable follows si_mem_available() in mm/page_alloc.c: free pages above the reserve,
 * plus the file pages and reclaimable slab that could go, less what reclaim would leave.
 */
import type { Inode } from './disk';
import type { Host } from './host';
import type { ProcRecord } from './process';
import { tunablePath } from './sysctl';
import { bytesToLatin1, latin1Bytes } from './kernel';
import { mountPseudoFile } from './pseudo-files';

const PAGE_KB = 4;

/*
 * Reserved at boot and never in MemTotal: the page descriptors (64 bytes per 4 KiB page,
 * 1/64 of RAM) and the kernel's image and early allocations.
 */
const KERNEL_IMAGE_KB = 24 * 1024;
/* The daemons that are not simulated: their anonymous memory, their share of the page cache
 * (binaries and libraries read at boot), tmpfs contents (/run), kernel stacks of their threads. */
const SYSTEM_ANON_KB = 46 * 1024;
const SYSTEM_FILES_KB = 160 * 1024;
const SYSTEM_SHMEM_KB = 1100;
const SYSTEM_COMMITTED_KB = 260 * 1024;
/* Threads: ~110 kernel threads and ~20 of the daemons, a 16 KiB stack each. */
const BASE_THREADS = 130;
const STACK_KB = 16;
/* Slab: the kernel's caches. Dentries and inodes are reclaimable; a base of each, plus about
 * 1 KiB per file or directory of the disk (a dentry and an ext4 inode). */
const SLAB_RECLAIMABLE_BASE_KB = 38 * 1024;
const SLAB_UNRECLAIMABLE_BASE_KB = 28 * 1024;
const SLAB_PER_INODE_KB = 1;
/* Per-CPU areas, vmalloc'd memory (modules, BPF...). */
const PERCPU_PER_CPU_KB = 404;
const VMALLOC_USED_KB = 18 * 1024;
/** x86-64's vmalloc area (32 TiB), as /proc/meminfo shows it. */
const VMALLOC_TOTAL_KB = 34359738367;

/** The RAM a host has (HostSpec.memoryMiB) in KiB, and what the kernel keeps of it at boot. */
export function memTotalKb(host: Host): number {
  const ramKb = host.memoryMiB * 1024;
  return ramKb - Math.ceil(ramKb / 64) - KERNEL_IMAGE_KB;
}

/** The figures of /proc/meminfo, in KiB (HugePages_* are counts), in the kernel's order. */
export type MemInfo = [name: string, value: number][];

/** Page-rounded KiB of `bytes`. */
const pagesKb = (bytes: number) => Math.ceil(bytes / (PAGE_KB * 1024)) * PAGE_KB;

/** The watermarks of the host's memory (mm/page_alloc.c): min_free_kbytes, low, high. */
export function watermarksKb(totalKb: number): { min: number; low: number; high: number } {
  const min = Math.min(262144, Math.max(128, Math.floor(Math.sqrt(totalKb * 16))));
  // watermark_scale_factor 10: a thousandth of the memory, at least a quarter of min.
  const step = Math.max(Math.floor(min / 4), Math.floor((totalKb * 10) / 10000));
  return { min, low: min + step, high: min + 2 * step };
}

/** Whether a process's pages are its own (a forked child shares its parent's). */
function residentKb(p: ProcRecord): number {
  return p.forked && p.slot !== null ? 0 : p.rssKb;
}

function readInt(host: Host, path: string, fallback: number): number {
  const f = host.disk.lookup(path);
  const n = f ? parseInt(bytesToLatin1(f.bytes()), 10) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** The host's memory now. `processes`: its live processes. */
export function meminfo(host: Host, processes: readonly ProcRecord[]): MemInfo {
  const total = memTotalKb(host);
  const live = processes.filter((p) => p.state === 'running');

  // The page cache of the disk's files, and the metadata blocks (Buffers) of its tree.
  let filesKb = 0, dirtyKb = 0, inodes = 0, dirs = 0;
  const walk = (n: Inode) => {
    for (const c of n.children!.values()) {
      if (c.procfs) continue;
      inodes++;
      if (c.isDir) { dirs++; walk(c); continue; }
      if (c.cached) filesKb += pagesKb(c.len);
      if (c.isDirty()) dirtyKb += pagesKb(c.durableCopy ? c.len : c.len - c.durablePrefix);
    }
  };
  walk(host.disk.root);
  const buffers = dirs * PAGE_KB + Math.ceil(inodes / 16) * PAGE_KB + 2048;

  const anon = SYSTEM_ANON_KB + live.reduce((n, p) => n + residentKb(p), 0);
  const shmem = SYSTEM_SHMEM_KB;
  const sReclaimable = SLAB_RECLAIMABLE_BASE_KB + inodes * SLAB_PER_INODE_KB;
  const sUnreclaim = SLAB_UNRECLAIMABLE_BASE_KB;
  const kernelStack = (BASE_THREADS + live.length) * STACK_KB;
  // A page-table page maps 2 MiB: 4 KiB per 512 pages resident, and a few per process.
  const pageTables = live.reduce((n, p) => n + Math.ceil(residentKb(p) / 512) + 3 * PAGE_KB, 0) + 1024;
  const percpu = PERCPU_PER_CPU_KB * host.cpus;
  const kernelKb = sReclaimable + sUnreclaim + kernelStack + pageTables + percpu + VMALLOC_USED_KB;

  const wm = watermarksKb(total);
  let fileCache = SYSTEM_FILES_KB + filesKb;
  let free = total - anon - shmem - fileCache - buffers - kernelKb;
  // Under pressure the page cache goes first, down to nothing, keeping the low watermark free.
  if (free < wm.low) {
    const reclaimed = Math.min(fileCache, wm.low - free);
    fileCache -= reclaimed;
    free += reclaimed;
  }
  free = Math.max(0, free);
  dirtyKb = Math.min(dirtyKb, fileCache);
  const cached = fileCache + shmem;

  // si_mem_available(): free above the reserve, plus reclaimable file pages and slab.
  const filePages = fileCache + buffers;
  const available = Math.max(0, free - wm.high + filePages - Math.min(Math.floor(filePages / 2), wm.low)
    + sReclaimable - Math.min(Math.floor(sReclaimable / 2), wm.low));

  const ratio = readInt(host, tunablePath('vm.overcommit_ratio'), 50);
  const commitLimit = Math.max(0, Math.floor((total * ratio) / 100));
  const committed = SYSTEM_COMMITTED_KB + live.reduce((n, p) => n + p.vszKb, 0);
  // Pages the system read at boot are the ones used again and again: the active file list.
  const activeFile = Math.min(fileCache, SYSTEM_FILES_KB);
  const inactiveFile = filePages - activeFile;
  const ramKb = host.memoryMiB * 1024;
  const directMap4k = Math.min(ramKb, 128 * 1024);
  return [
    ['MemTotal', total], ['MemFree', free], ['MemAvailable', available], ['Buffers', buffers], ['Cached', cached],
    ['SwapCached', 0], ['Active', activeFile], ['Inactive', anon + shmem + inactiveFile],
    // Since Linux 5.9 new anonymous pages start on the inactive list.
    ['Active(anon)', 0], ['Inactive(anon)', anon + shmem], ['Active(file)', activeFile], ['Inactive(file)', inactiveFile],
    ['Unevictable', 0], ['Mlocked', 0], ['SwapTotal', 0], ['SwapFree', 0], ['Zswap', 0], ['Zswapped', 0],
    ['Dirty', dirtyKb], ['Writeback', 0], ['AnonPages', anon], ['Mapped', Math.min(fileCache, Math.floor(SYSTEM_FILES_KB / 3))],
    ['Shmem', shmem], ['KReclaimable', sReclaimable], ['Slab', sReclaimable + sUnreclaim], ['SReclaimable', sReclaimable],
    ['SUnreclaim', sUnreclaim], ['KernelStack', kernelStack], ['PageTables', pageTables], ['SecPageTables', 0],
    ['NFS_Unstable', 0], ['Bounce', 0], ['WritebackTmp', 0], ['CommitLimit', commitLimit], ['Committed_AS', committed],
    ['VmallocTotal', VMALLOC_TOTAL_KB], ['VmallocUsed', VMALLOC_USED_KB], ['VmallocChunk', 0], ['Percpu', percpu],
    ['HardwareCorrupted', 0], ['AnonHugePages', 0], ['ShmemHugePages', 0], ['ShmemPmdMapped', 0], ['FileHugePages', 0],
    ['FilePmdMapped', 0], ['HugePages_Total', 0], ['HugePages_Free', 0], ['HugePages_Rsvd', 0], ['HugePages_Surp', 0],
    ['Hugepagesize', 2048], ['Hugetlb', 0], ['DirectMap4k', directMap4k], ['DirectMap2M', ramKb - directMap4k],
  ];
}

/** /proc/meminfo's text (fs/proc/meminfo.c: a 16-column label, the value right-aligned in 8). */
export function formatMeminfo(info: MemInfo): string {
  let out = '';
  for (const [name, value] of info) {
    const label = `${name}:`.padEnd(16);
    // The HugePages_ counts are pages, printed "   %5lu" with no unit.
    if (name.startsWith('HugePages_')) out += `${label}   ${String(value).padStart(5)}\n`;
    // Its name is longer than the others': "HardwareCorrupted: %5lu kB".
    else if (name === 'HardwareCorrupted') out += `${name}: ${String(value).padStart(5)} kB\n`;
    else out += `${label}${String(value).padStart(8)} kB\n`;
  }
  return out;
}

/** A process reported a new resident size: ps's RSS, and VSZ growing and shrinking with it. */
export function setResident(p: ProcRecord, rssKb: number): void {
  p.vszKb = Math.max(rssKb, p.vszKb + rssKb - p.rssKb);
  p.rssKb = rssKb;
}

/** At boot: /proc/meminfo, made at each read from the host's processes and disk. */
export function mountMeminfo(host: Host, processes: () => readonly ProcRecord[], now: number): void {
  mountPseudoFile(host, '/proc/meminfo', { read: () => latin1Bytes(formatMeminfo(meminfo(host, processes()))) }, now);
}
