/**
 * Transparent huge pages: /sys/kernel/mm/transparent_hugepage/enabled, the mode redis-server
 * checks (it warns when THP is `always`). Debian 12's kernel boots in `madvise` mode
 * (HostSpec.transparentHugepages picks another); the file shows every mode, the current one in
 * brackets, and takes one of the three names, with or without a newline (sysfs_streq); anything
 * else is EINVAL. Kernel memory: a boot brings the host's mode back.
 */
import type { Host } from './host';
import { bytesToLatin1, latin1Bytes } from './kernel';
import { mountPseudoFile } from './pseudo-files';

export const THP_MODES = ['always', 'madvise', 'never'] as const;
export type ThpMode = typeof THP_MODES[number];
export const THP_ENABLED_PATH = '/sys/kernel/mm/transparent_hugepage/enabled';

/** `always [madvise] never`. */
export function thpText(mode: ThpMode): string {
  return THP_MODES.map((m) => (m === mode ? `[${m}]` : m)).join(' ') + '\n';
}

/** At boot: the file, in the host's mode. */
export function mountThp(host: Host, now: number): void {
  let mode: ThpMode = host.transparentHugepages;
  mountPseudoFile(host, THP_ENABLED_PATH, {
    read: () => latin1Bytes(thpText(mode)),
    write: (bytes) => {
      const text = bytesToLatin1(bytes);
      const name = text.endsWith('\n') ? text.slice(0, -1) : text;
      const next = THP_MODES.find((m) => m === name);
      if (!next) return 'EINVAL';
      mode = next;
      return null;
    },
  }, now, 0o644);
}
