import { describe, expect, it } from 'vitest';
import { workInProgress, formatBytes } from '../../src/ui/world/progress';
import type { ServerSummary, WorkProgress } from '../../src/engine/inspect';

const idle: WorkProgress = {
  syncReadBytes: -1, syncTotalBytes: -1, sending: [], loadingLoadedBytes: -1, loadingTotalBytes: -1, loadingPerc: -1,
  bgsaveSeconds: -1, aofRewriteSeconds: -1, saveKeysProcessed: 0, saveKeysTotal: 0,
};
const summary = (progress: Partial<WorkProgress>, flags: Partial<ServerSummary> = {}) =>
  ({ bgsave: false, aofRewrite: false, ...flags, progress: { ...idle, ...progress } }) as ServerSummary;

describe('progress bars from INFO', () => {
  it('nothing in progress, nothing shown', () => {
    expect(workInProgress(summary({}))).toEqual([]);
    expect(workInProgress(null)).toEqual([]);
  });

  it('a disk-based full sync has an end on both sides; a diskless one only counts bytes on the replica', () => {
    expect(workInProgress(summary({ syncReadBytes: 3 * 1048576, syncTotalBytes: 12 * 1048576 }))).toEqual([
      { kind: 'sync-receive', fraction: 0.25, text: 'full sync: RDB from master 3.0 MB / 12.0 MB' },
    ]);
    expect(workInProgress(summary({ syncReadBytes: 2048, syncTotalBytes: -1 }))[0]).toMatchObject({ fraction: null, text: 'full sync: RDB from master 2.0 KB (diskless, length unknown)' });
    const sending = workInProgress(summary({ sending: [{ replica: '10.0.0.2:6379', sentBytes: 512, totalBytes: 1024 }, { replica: '10.0.0.3:6379', sentBytes: 0, totalBytes: -1 }] }));
    expect(sending.map((w) => [w.kind, w.fraction])).toEqual([['sync-send', 0.5], ['sync-send', null]]);
  });

  it('loading by percent; BGSAVE and AOF rewrite by the keys the child reported, with their running time', () => {
    const items = workInProgress(summary({ loadingPerc: 42.5, loadingLoadedBytes: 425, loadingTotalBytes: 1000, bgsaveSeconds: 3, saveKeysTotal: 200000 }, { bgsave: true }));
    expect(items).toEqual([
      { kind: 'loading', fraction: 0.425, text: 'loading 42.5% (425 B / 1000 B)' },
      { kind: 'bgsave', fraction: null, text: 'BGSAVE 3 s · 200000 keys' },
    ]);
    // Before the child's first report (about a second in) the end is not known yet.
    expect(workInProgress(summary({ aofRewriteSeconds: 2, saveKeysProcessed: 51200, saveKeysTotal: 204800 }, { aofRewrite: true }))).toEqual([
      { kind: 'aof-rewrite', fraction: 0.25, text: 'AOF rewrite 2 s · 51200 / 204800 keys' },
    ]);
    expect(formatBytes(5 * 1024 * 1024 * 1024)).toBe('5.00 GB');
  });

  it('says it in Chinese in the Chinese UI', () => {
    expect(workInProgress(summary({ syncReadBytes: 3 * 1048576, syncTotalBytes: 12 * 1048576 }), 'zh')[0].text).toBe('全量同步：从 master 接收 RDB 3.0 MB / 12.0 MB');
    expect(workInProgress(summary({ syncReadBytes: 2048, syncTotalBytes: -1 }), 'zh')[0].text).toBe('全量同步：从 master 接收 RDB 2.0 KB（无盘传输，长度未知）');
    const sending = workInProgress(summary({ sending: [{ replica: '10.0.0.2:6379', sentBytes: 512, totalBytes: 1024 }, { replica: '10.0.0.3:6379', sentBytes: 0, totalBytes: -1 }] }), 'zh');
    expect(sending.map((w) => w.text)).toEqual(['全量同步：向 10.0.0.2:6379 发送 RDB 512 B / 1.0 KB', '全量同步：10.0.0.3:6379 等待 RDB']);
    const items = workInProgress(summary({ loadingPerc: 42.5, loadingLoadedBytes: 425, loadingTotalBytes: 1000, aofRewriteSeconds: 2, saveKeysProcessed: 51200, saveKeysTotal: 204800 }, { aofRewrite: true }), 'zh');
    expect(items.map((w) => w.text)).toEqual(['加载中 42.5%（425 B / 1000 B）', 'AOF 重写 2 s · 51200 / 204800 个键']);
  });
});
