/**
 * Long work a server is doing, as progress bars: from the fields INFO reports (through the
 * inspector's summary, src/engine/inspect.ts `WorkProgress`).
 *
 * - a replica receiving the RDB of a full sync: master_sync_read_bytes / master_sync_total_bytes
 *   (a diskless transfer announces no length: its bar has no end, bytes only);
 * - a master sending an RDB to a replica: the bytes of the payload sent to it so far;
 * - loading the RDB/AOF: loading_loaded_bytes / loading_total_bytes (loading_loaded_perc);
 * - BGSAVE and AOF rewrite: INFO gives no fraction for a child's work (current_fork_perc and
 *   current_save_keys_processed stay 0 in the engine, as they do in Redis until the child
 *   reports), so these bars have no end and show rdb_current_bgsave_time_sec /
 *   aof_current_rewrite_time_sec.
 */
import type { ServerSummary } from '../../sim';
import type { Lang } from '../i18n.svelte';

export interface WorkItem {
  kind: 'sync-receive' | 'sync-send' | 'loading' | 'bgsave' | 'aof-rewrite';
  /** 0..1, or null when the end is unknown (an indeterminate bar). */
  fraction: number | null;
  /** What the bar says ("full sync: RDB from master 3.1 MB / 12.0 MB"), in the asked language. */
  text: string;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export function workInProgress(s: ServerSummary | null | undefined, lang: Lang = 'en'): WorkItem[] {
  const p = s?.progress;
  if (!s || !p) return [];
  const zh = lang === 'zh';
  const out: WorkItem[] = [];
  if (p.syncReadBytes >= 0) {
    const known = p.syncTotalBytes > 0;
    out.push({
      kind: 'sync-receive',
      fraction: known ? clamp01(p.syncReadBytes / p.syncTotalBytes) : null,
      text: zh
        ? `全量同步：从 master 接收 RDB ${formatBytes(p.syncReadBytes)}${known ? ` / ${formatBytes(p.syncTotalBytes)}` : '（无盘传输，长度未知）'}`
        : `full sync: RDB from master ${formatBytes(p.syncReadBytes)}${known ? ` / ${formatBytes(p.syncTotalBytes)}` : ' (diskless, length unknown)'}`,
    });
  }
  for (const r of p.sending) {
    const known = r.totalBytes > 0;
    out.push({
      kind: 'sync-send',
      fraction: known ? clamp01(r.sentBytes / r.totalBytes) : null,
      text: zh
        ? (known ? `全量同步：向 ${r.replica} 发送 RDB ${formatBytes(r.sentBytes)} / ${formatBytes(r.totalBytes)}` : `全量同步：${r.replica} 等待 RDB`)
        : (known ? `full sync: RDB to ${r.replica} ${formatBytes(r.sentBytes)} / ${formatBytes(r.totalBytes)}` : `full sync: ${r.replica} waits for the RDB`),
    });
  }
  if (p.loadingPerc >= 0) {
    out.push({
      kind: 'loading',
      fraction: clamp01(p.loadingPerc / 100),
      text: zh
        ? `加载中 ${p.loadingPerc.toFixed(1)}%${p.loadingTotalBytes > 0 ? `（${formatBytes(p.loadingLoadedBytes)} / ${formatBytes(p.loadingTotalBytes)}）` : ''}`
        : `loading ${p.loadingPerc.toFixed(1)}%${p.loadingTotalBytes > 0 ? ` (${formatBytes(p.loadingLoadedBytes)} / ${formatBytes(p.loadingTotalBytes)})` : ''}`,
    });
  }
  // The forked child reports the keys it wrote about once a second (current_save_keys_*).
  const keys = p.saveKeysTotal > 0 && p.saveKeysProcessed > 0;
  const fraction = keys ? clamp01(p.saveKeysProcessed / p.saveKeysTotal) : null;
  const keysText = p.saveKeysTotal > 0 ? ` · ${keys ? `${p.saveKeysProcessed} / ` : ''}${p.saveKeysTotal}${zh ? ' 个键' : ' keys'}` : '';
  if (s.bgsave) out.push({ kind: 'bgsave', fraction, text: `BGSAVE ${Math.max(0, p.bgsaveSeconds)} s${keysText}` });
  if (s.aofRewrite) out.push({ kind: 'aof-rewrite', fraction, text: `${zh ? 'AOF 重写' : 'AOF rewrite'} ${Math.max(0, p.aofRewriteSeconds)} s${keysText}` });
  return out;
}
