/**
 * Running one of our programs in this process, on a NativeOs whose output is captured: what
 * the differential tests use for our redis-cli and redis-benchmark (fast, no child process).
 */
import { NativeOs } from '../../src/native/os';
import type { ProgramIo, ProgramMain } from '../../src/engine/programs/program';

export interface InProcessResult { stdout: string; stderr: string; code: number }

export interface InProcessOptions {
  /** Standard input (byte string), given once; default empty. */
  stdin?: string;
  env?: Record<string, string>;
  /** End the program (exit -1) if it is still running after this long. */
  timeoutMs?: number;
  /** What the io has besides stdin (a terminal's readLine), and whether it is a tty. */
  io?: Partial<ProgramIo>;
  /** Called once the program runs. */
  during?: () => Promise<void>;
}

export async function runInProcess(main: ProgramMain, argv: string[], opts: InProcessOptions = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  let exitCode: number | null = null;
  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => { resolveExit = r; });
  const nos = new NativeOs({
    syntheticPid: true, processName: argv[0],
    onExit: (code) => { exitCode = code; resolveExit(); },
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
  });
  let stdinSent = false;
  const io: ProgramIo = {
    isTty: false,
    readChunk: async () => {
      if (stdinSent || !opts.stdin) return null;
      stdinSent = true;
      return opts.stdin;
    },
    ...opts.io,
  };
  const run = Promise.resolve(main({ os: nos, argv, env: opts.env ?? {}, io }));
  if (opts.during) void opts.during();
  const timer = opts.timeoutMs ? setTimeout(() => { if (exitCode === null) nos.exit(-1); }, opts.timeoutMs) : null;
  // A program ends by exiting; a rejected main fails the run.
  await Promise.race([exited, run.then(() => exited)]);
  if (timer) clearTimeout(timer);
  return { stdout, stderr, code: exitCode ?? -1 };
}
