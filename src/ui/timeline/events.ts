/**
 * The timeline's reading of the world's trace: every record gets a category a learner can
 * filter by, and a one-line description. Typed commands (the `input` records of kind `type`)
 * read as the line typed; syscall deliveries are there but hidden by default (they are most of
 * the records kept; the trace does not keep timer firings in memory).
 */
import type { TraceRecord } from '../../sim';
import type { Lang } from '../i18n.svelte';

export type Category = 'faults' | 'processes' | 'network' | 'commands' | 'files' | 'sentinel' | 'internals';

export const CATEGORIES: Category[] = ['faults', 'processes', 'network', 'commands', 'files', 'sentinel', 'internals'];
export const DEFAULT_HIDDEN: Category[] = ['internals'];

const BY_KIND: Record<string, Category> = {
  'power-off': 'faults', 'power-on': 'faults', partition: 'faults', heal: 'faults', reboot: 'faults', poweroff: 'faults', signal: 'faults',
  spawn: 'processes', exec: 'processes', exit: 'processes', cron: 'processes',
  connect: 'network', accept: 'network', close: 'network', refused: 'network', stall: 'network', retransmit: 'network', reset: 'network',
  timeout: 'network', 'syn-lost': 'network', 'window-full': 'network', 'window-open': 'network', 'connect-fail': 'network', listen: 'network', 'listen-fail': 'network',
  'icmp-echo': 'network', 'icmp-reply': 'network', 'icmp-recv': 'network', 'icmp-drop': 'network', 'icmp-unreach': 'network',
  fsync: 'files', writeback: 'files', fwrite: 'files', rename: 'files', unlink: 'files', truncate: 'files',
};

export function categoryOf(r: TraceRecord): Category {
  if (r.kind === 'input') return r.detail.startsWith('type ') || r.detail.startsWith('exec ') ? 'commands' : 'faults';
  if (r.kind.startsWith('+') || r.kind.startsWith('-')) return 'sentinel';
  return BY_KIND[r.kind] ?? 'internals';
}

/**
 * A record as the timeline shows it: what the learner did in the UI's words (`label`, '' for
 * none), then the world's own text (`text`: the line typed, a kernel record as the kernel
 * wrote it), which is never translated.
 */
export interface RecordLine {
  label: string;
  text: string;
}

/** A record's line in `lang` (the learner's inputs are told in it; the rest is the kernel's). */
export function describeParts(r: TraceRecord, lang: Lang = 'en'): RecordLine {
  const zh = lang === 'zh';
  if (r.kind === 'input') {
    const space = r.detail.indexOf(' ');
    try {
      const i = JSON.parse(r.detail.slice(space + 1)) as Record<string, unknown>;
      switch (i.kind) {
        case 'type': return { label: zh ? '输入：' : 'typed:', text: String(i.line) };
        case 'exec': return { label: zh ? '运行：' : 'ran:', text: String(i.command) };
        case 'kill': return { label: '', text: `kill -${String(i.signal).replace(/^SIG/, '')} ${String(i.pid)}` };
        case 'interrupt': return { label: '', text: 'Ctrl-C' };
        case 'eof': return { label: '', text: 'Ctrl-D' };
        case 'open-terminal': return { label: zh ? '打开终端' : 'terminal opened', text: '' };
        case 'login': return { label: zh ? '重新登录' : 'logged in again', text: '' };
        case 'resize': return { label: zh ? '终端尺寸改为' : 'terminal resized to', text: `${String(i.columns)}x${String(i.lines)}` };
        // The page's editor took over (or gave back) vi and crontab -e.
        case 'editor': if (zh) return { label: i.attached ? '接入页面编辑器' : '断开页面编辑器', text: '' }; break;
      }
      // Other inputs (faults, links, the editor's answers) as the world recorded them.
      return { label: '', text: `${String(i.kind)} ${r.detail.slice(space + 1)}` };
    } catch {
      return { label: '', text: r.detail };
    }
  }
  return { label: '', text: r.detail ? `${r.kind} ${r.detail}` : r.kind };
}
