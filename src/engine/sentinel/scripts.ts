/**
 * Notification and client-reconfiguration scripts (sentinel.c's script queue).
 *
 * Jobs are queued (at most 256; the oldest waiting job is dropped beyond that), run at most 16
 * at a time, retried with a doubling delay (30 s, 60 s, ...) when the script exits with 1 or is
 * killed, up to 10 attempts, and killed after 60 s. SENTINEL PENDING-SCRIPTS lists the queue.
 *
 * A script runs as a forked child that execs the file (the host's Os.exec), with the arguments
 * of its event. When the exec fails (no such file, no x bit, no #! line), the child exits with
 * status 2, which Redis does not retry and reports as `-script-error <path> 0 2`.
 */
import type { Os } from '../os';
import type { ScriptJob, SentinelState } from './state';
import { sentinelEvent } from './events';
import { signalNumber } from '../util/signals';

/** access(path, X_OK), what Redis checks when a script is configured. */
export function scriptExecutable(os: Os, path: string): boolean {
  return os.fs.executableSync ? os.fs.executableSync(path) : os.fs.existsSync(path);
}

/** The forked child: execve() returns only when it fails, and the child then exits 2. */
async function execScript(os: Os, argv: string[]): Promise<number> {
  try {
    await os.exec?.(argv);
  } catch {
    // fall through to the exit status that says "could not execute"
  }
  return 2;
}

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
      const argv = job.argv;
      child = server.os.fork(job.argv[0], (os) => execScript(os, argv));
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

/** sentinelCollectTerminatedScripts() for one child. */
function collectTerminated(st: SentinelState, job: ScriptJob, code: number, signal: string | null): void {
  const bySignal = signal ? signalNumber(signal) ?? 9 : 0;
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
