/**
 * The modelled CPU time of a server's event loop, charged with `os.cpu` (the simulation moves
 * the process's clock; the native host ignores it, real time has passed). Without it a
 * simulated server would answer any number of requests in no time.
 *
 * Redis 7 on one core of a current x86 machine serves about 150k simple requests a second
 * from 50 clients, one request in flight each (a read(2), the command, a write(2) per request),
 * and close to a million with 16 pipelined requests per read (the system calls are shared).
 * Splitting the ~7 µs of a request into its system calls and the command itself gives both.
 *
 * Commands that walk many elements cost in proportion, so SLOWLOG, LATENCY, INFO commandstats
 * and the clients waiting behind them see what they would see in Redis: every element of a
 * reply (LRANGE 0 599 answers at ~17k a second where SET does ~150k, as redis-benchmark shows),
 * every key KEYS or SCAN visits (the KEYS documentation: a laptop scans a million keys in
 * 40 ms), every key a synchronous FLUSHALL frees and every key DEBUG POPULATE creates.
 */
/** One read(2) of a client's socket, with the parsing of what it returned. */
export const READ_CPU_MS = 0.003;
/** One command's execution (call()). */
export const COMMAND_CPU_MS = 0.001;
/** One write(2) of a client's pending replies. */
export const WRITE_CPU_MS = 0.003;
/** One element of a reply (a bulk string, an integer, an array header...), built and buffered. */
export const REPLY_ITEM_CPU_MS = 0.00008;
/** One key visited by KEYS or SCAN (the dict walk and the pattern match). */
export const KEY_VISIT_CPU_MS = 0.00004;
/** One key freed by FLUSHDB/FLUSHALL without ASYNC. */
export const KEY_FREE_CPU_MS = 0.00015;
/** One key created by DEBUG POPULATE. */
export const KEY_CREATE_CPU_MS = 0.0004;
