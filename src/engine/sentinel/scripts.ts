/**
 * Notification and client-reconfiguration scripts (sentinel.c's script queue).
 *
 * Jobs are queued (at most 256; the oldest waiting job is dropped beyond that), run at most 16
 * at a time, retried with a doubling delay (30 s, 60 s, ...) when the script exits with 1 or is
 * killed, up to 10 attempts, and killed after 60 s. SENTINEL PENDING-SCRIPTS lists the queue.
 *
 * A script runs as a forked child (visible in ps). The engine cannot execute a file, so the
 * child behaves like Redis's child when execve() fails: it exits with status 2, which Redis
 * does not retry and reports as `-script-error <path> 0 2`. The queue, the events and
 * PENDING-SCRIPTS therefore behave as in Redis; the script's own effect does not happen.
 */
import type { ScriptJob, SentinelState } from './state';
import { sentinelEvent } from './events';

const MAX_QUEUE = 256;
const MAX_RUNNING = 16;
const MAX_RETRY = 10;

/** sentinelScheduleScriptExecution(). */
export function scheduleScript(st: SentinelState, path: string, args: string[]): void {
  const job: ScriptJob = { running: false, retryNum: 0, argv: [path, ...args.slice(0, 15)], startTime: 0, pid: 0, kill: null };
  st.scriptsQueue.push(job);
  if (st.scriptsQueue.length > MAX_QUEUE) {
    const i = st.scriptsQueue.findIndex((j) => !j.running);
    if (i >= 0) st.scriptsQueue.splice(i, 1);
  }
}

/** sentinelScriptRetryDelay(). */
function retryDelay(st: SentinelState, retryNum: number): number {
  let delay = st.timers.scriptRetryDelay;
  while (retryNum-- > 1) delay *= 2;
  return delay;
}

/** sentinelRunPendingScripts(). */
export function runPendingScripts(st: SentinelState): void {
  const now = st.now();
  for (const job of st.scriptsQueue) {
    if (st.runningScripts >= MAX_RUNNING) break;
    if (job.running) continue;
    if (job.startTime && job.startTime > now) continue;
    job.running = true;
    job.startTime = st.now();
    job.retryNum++;
    const server = st.server;
    let child;
    try {
      child = server.os.fork(job.argv[0], () => 2);
    } catch {
      sentinelEvent(st, 'warning', '-script-error', null, `${job.argv[0]} 99 0`);
      job.running = false;
      job.pid = 0;
      continue;
    }
    st.runningScripts++;
    job.pid = child.pid;
    const running = child;
    job.kill = () => running.kill('SIGKILL');
    sentinelEvent(st, 'debug', '+script-child', null, `${child.pid}`);
    child.onExit = (code, signal) => server.event(() => collectTerminated(st, job, code, signal));
  }
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGUSR1: 10 };

/** sentinelCollectTerminatedScripts() for one child. */
function collectTerminated(st: SentinelState, job: ScriptJob, code: number, signal: string | null): void {
  const bySignal = signal ? SIGNALS[signal] ?? 9 : 0;
  const exitCode = signal ? 0 : code;
  sentinelEvent(st, 'debug', '-script-child', null, `${job.pid} ${exitCode} ${bySignal}`);
  const i = st.scriptsQueue.indexOf(job);
  if (i < 0 || !job.running) {
    st.server.log.warning(`waitpid() returned a pid (${job.pid}) we can't find in our scripts execution queue!`);
    return;
  }
  if ((bySignal || exitCode === 1) && job.retryNum !== MAX_RETRY) {
    job.running = false;
    job.pid = 0;
    job.startTime = st.now() + retryDelay(st, job.retryNum);
  } else {
    if (bySignal || exitCode !== 0) sentinelEvent(st, 'warning', '-script-error', null, `${job.argv[0]} ${bySignal} ${exitCode}`);
    st.scriptsQueue.splice(i, 1);
  }
  job.kill = null;
  st.runningScripts--;
}

/** sentinelKillTimedoutScripts(). */
export function killTimedoutScripts(st: SentinelState): void {
  const now = st.now();
  for (const job of st.scriptsQueue) {
    if (job.running && now - job.startTime > st.timers.scriptMaxRuntime) {
      sentinelEvent(st, 'warning', '-script-timeout', null, `${job.argv[0]} ${job.pid}`);
      job.kill?.();
    }
  }
}
