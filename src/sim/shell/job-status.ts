/**
 * How bash writes the status of a job's processes (jobs.c: printable_job_status, print_pipeline
 * in its long format), for the line a non-interactive shell prints when a signal killed a job:
 * `script.sh: line 3:  1234 Killed                  sleep 100`.
 */
import { signalInfo } from '../../engine/util/signals';

/** One process of a job: its pid, how it ended (processStatus), its command as bash shows it. */
export interface JobProcess { pid: number; status: string; text: string }

/** bash's width of a status (LONGEST_SIGNAL_DESC): the command starts after it. */
const STATUS_WIDTH = 24;

/** How a process ended: Done, Exit 3, or the strsignal text of the signal that killed it. */
export function processStatus(code: number, signal: string | null): string {
  if (signal !== null) return signalInfo(signal)?.description ?? signal;
  return code === 0 ? 'Done' : `Exit ${code}`;
}

/**
 * A job's processes in bash's long format: the first as its pid (`%5d`), its status padded to
 * 24 columns and its command; each next one on a line of its own, indented by five spaces,
 * with its status only when it differs from the first's, and `| ` before its command.
 */
export function longJobListing(procs: readonly JobProcess[]): string {
  const first = procs[0];
  return procs.map((p, i) => {
    const status = i > 0 && p.status === first.status ? '' : p.status;
    // An empty status counts as the two columns of "| " (print_pipeline); a longer one than
    // the width still gets the overflow as spaces, as printf's negative field width does.
    const padding = ' '.repeat(Math.abs(STATUS_WIDTH - (status.length || 2)));
    return `${i > 0 ? '     ' : ''}${String(p.pid).padStart(5)} ${status}${padding}${i > 0 ? '| ' : ''}${p.text}\n`;
  }).join('');
}
