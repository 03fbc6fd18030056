/**
 * A program is what a process runs: redis-server, redis-sentinel, redis-cli,
 * redis-check-aof, redis-benchmark... The simulation's shell and the native host start
 * programs the same way: a main function given the process's Os, its argv, its environment
 * and its standard input. Output goes through `os.stdout`/`os.stderr`.
 *
 * A process ends only when it calls `os.exit(code)`: command-line tools exit when done,
 * servers keep running until SHUTDOWN, a signal or a kill.
 *
 * All text crossing this boundary is byte strings (each char one byte, UTF-8 encoded for
 * human text); terminals decode it for display.
 */
import type { Os } from '../os';

export interface ProgramIo {
  /** Standard input and output are a terminal (redis-cli then formats for humans). */
  readonly isTty: boolean;
  /** Terminal width in columns when isTty. */
  readonly columns?: number;
  /** The next chunk of standard input, or null at end of input (pipes, heredocs, files). */
  readChunk(): Promise<string | null>;
  /**
   * Interactive line input with editing and history (only when isTty). The terminal calls
   * `hint` as the user types (redis-cli shows argument hints) and `complete` on Tab.
   * Resolves null on end of input (Ctrl-D).
   */
  readLine?(prompt: string, opts?: LineEditing): Promise<string | null>;
}

export interface LineEditing {
  /** Text shown greyed after the cursor for the current line, or null. */
  hint?(line: string): string | null;
  /** Completions for the current line (whole-line replacements), for Tab. */
  complete?(line: string): string[];
  /** Separate history per program ("redis-cli"). */
  historyKey?: string;
  /**
   * The program's own history, oldest first, for Up/Down (redis-cli keeps it in
   * ~/.rediscli_history). When given, the editor uses it instead of its per-key history.
   */
  history?: readonly string[];
  /** Hide input (passwords). */
  mask?: boolean;
}

export interface ProgramContext {
  os: Os;
  /** argv[0] is the program name as typed (e.g. "redis-server" or "./redis-server"). */
  argv: string[];
  env: Record<string, string>;
  io: ProgramIo;
}

export type ProgramMain = (ctx: ProgramContext) => void | Promise<void>;

/** Standard input that is empty (daemons, background processes). */
export const NO_INPUT: ProgramIo = {
  isTty: false,
  readChunk: async () => null,
};
