/**
 * The timeline's reading of the world's trace: every record gets a category a learner can
 * filter by, and a one-line description. Typed commands (the `input` records of kind `type`)
 * read as the line typed; syscall deliveries are there but hidden by default (they are most of
 * the records kept; the trace does not keep timer firings in memory).
 */
import type { TraceRecord } from '../../sim';

export type Category = 'faults' | 'processes' | 'network' | 'commands' | 'files' | 'sentinel' | 'internals';

export const CATEGORIES: Category[] = ['faults', 'processes', 'network', 'commands', 'files', 'sentinel', 'internals'];
export const DEFAULT_HIDDEN: Category[] = ['internals'];

const BY_KIND: Record<string, Category> = {
  'power-off': 'faults', 'power-on': 'faults', partition: 'faults', heal: 'faults', reboot: 'faults', poweroff: 'faults', signal: 'faults',
  spawn: 'processes', exit: 'processes', cron: 'processes',
  connect: 'network', accept: 'network', close: 'network', refused: 'network', stall: 'network', retransmit: 'network', reset: 'network',
  timeout: 'network', 'syn-lost': 'network', 'window-full': 'network', 'window-open': 'network', 'connect-fail': 'network', listen: 'network', 'listen-fail': 'network',
  fsync: 'files', writeback: 'files', fwrite: 'files', rename: 'files', unlink: 'files', truncate: 'files',
};

export function categoryOf(r: TraceRecord): Category {
  if (r.kind === 'input') return r.detail.startsWith('type ') || r.detail.startsWith('exec ') ? 'commands' : 'faults';
  if (r.kind.startsWith('+') || r.kind.startsWith('-')) return 'sentinel';
  return BY_KIND[r.kind] ?? 'internals';
}

/** A readable line for a record. */
export function describe(r: TraceRecord): string {
  if (r.kind === 'input') {
    const space = r.detail.indexOf(' ');
    try {
      const i = JSON.parse(r.detail.slice(space + 1)) as Record<string, unknown>;
      switch (i.kind) {
        case 'type': return `typed: ${String(i.line)}`;
        case 'exec': return `ran: ${String(i.command)}`;
        case 'kill': return `kill -${String(i.signal).replace(/^SIG/, '')} ${String(i.pid)}`;
        case 'interrupt': return 'Ctrl-C';
        case 'eof': return 'Ctrl-D';
        case 'open-terminal': return 'terminal opened';
        case 'resize': return `terminal resized to ${String(i.columns)}x${String(i.lines)}`;
        default: return `${String(i.kind)} ${r.detail.slice(space + 1)}`;
      }
    } catch {
      return r.detail;
    }
  }
  return r.detail ? `${r.kind} ${r.detail}` : r.kind;
}
