/**
 * The modelled CPU time of a server's event loop, charged with `os.cpu` (the simulation moves
 * the process's clock; the native host ignores it, real time has passed). Without it a
 * simulated server would answer any number of requests in no time.
 *
 * Redis 7 on one core of a current x86 machine serves about 150k simple requests a second
 * from 50 clients, one request in flight each (a read(2), the command, a write(2) per request),
 * and close to a million with 16 pipelined requests per read (the system calls are shared).
 * Splitting the ~7 µs of a request into its system calls and the command itself gives both.
 */
/** One read(2) of a client's socket, with the parsing of what it returned. */
export const READ_CPU_MS = 0.003;
/** One command's execution (call()). */
export const COMMAND_CPU_MS = 0.001;
/** One write(2) of a client's pending replies. */
export const WRITE_CPU_MS = 0.003;
