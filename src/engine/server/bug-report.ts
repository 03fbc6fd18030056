/**
 * Redis's crash report (debug.c): a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
 * caught while `crash-log-enabled` is yes), DEBUG SEGFAULT, DEBUG PANIC and a failed assertion
 * all write a bug report to the log, between "REDIS BUG REPORT START" and "END", and then the
 * process dies: of the signal itself (its default action, so a core may be dumped), or by
 * abort() after a panic.
 *
 * The report is the one a Redis built without backtrace support writes (a musl build): this
 * engine has no C stack, registers or machine code to dump, so there is no STACK TRACE,
 * REGISTERS or code dump section. What is there is real: the header lines of the crash, INFO
 * ALL, CLIENT LIST, the client being served and its arguments, the modules (none), the configs
 * Redis marks DEBUG_CONFIG in their rewrite form, and the fast memory test's verdict when
 * `crash-memcheck-enabled` is yes.
 */
import type { RedisServer } from './server';
import { genInfoString } from '../commands/info';
import { clientInfoString } from './client-info';
import { repr } from '../util/repr';
import { RewriteState } from '../config/rewrite';
import { signalNumber } from '../util/signals';

/** The signals sigsegvHandler is installed for (setupSigSegvHandlers). */
export const CRASH_SIGNALS = ['SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGABRT'] as const;

/**
 * The configs flagged DEBUG_CONFIG in 7.0.15's config.c, in an order its configs dict can hand
 * them out (its hash seed is random, so the order changes from process to process); an alias is
 * a dict entry of its own, so slave-read-only is written too.
 */
const DEBUG_CONFIGS: readonly [name: string, writtenAs: string][] = [
  ['list-compress-depth', 'list-compress-depth'], ['client-query-buffer-limit', 'client-query-buffer-limit'],
  ['lazyfree-lazy-user-flush', 'lazyfree-lazy-user-flush'], ['replica-read-only', 'slave-read-only'],
  ['lazyfree-lazy-server-del', 'lazyfree-lazy-server-del'], ['io-threads', 'io-threads'],
  ['replica-read-only', 'replica-read-only'], ['lazyfree-lazy-expire', 'lazyfree-lazy-expire'],
  ['activedefrag', 'activedefrag'], ['io-threads-do-reads', 'io-threads-do-reads'],
  ['proto-max-bulk-len', 'proto-max-bulk-len'], ['repl-diskless-sync', 'repl-diskless-sync'],
  ['lazyfree-lazy-user-del', 'lazyfree-lazy-user-del'], ['sanitize-dump-payload', 'sanitize-dump-payload'],
  ['lazyfree-lazy-eviction', 'lazyfree-lazy-eviction'], ['repl-diskless-load', 'repl-diskless-load'],
];

/** serverLogRaw(LL_WARNING|LL_RAW, text): as is, no prefix, no newline added. */
function raw(server: RedisServer, text: string): void {
  server.log.rawLevel('warning', text);
}

/** bugReportStart(): once per process. */
function bugReportStart(server: RedisServer): void {
  raw(server, '\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n');
}

/** getConfigDebugInfo(): the DEBUG_CONFIG configs as CONFIG REWRITE writes them, forced. */
function configDebugInfo(server: RedisServer): string {
  let out = '';
  for (const [name, writtenAs] of DEBUG_CONFIGS) {
    const def = server.config.lookup(name);
    if (!def) continue;
    const st = new RewriteState();
    st.forceAll = true;
    st.needsSignature = false;
    def.rewrite(st, server.config.get(name), server.config.exactOf(name));
    for (const line of st.lines) if (line !== '') out += writtenAs + line.slice(line.indexOf(' ')) + '\n';
  }
  return out;
}

/** printCrashReport(): INFO, the clients, the current client, modules, debug configs, memtest. */
function printCrashReport(server: RedisServer): void {
  raw(server, '\n------ INFO OUTPUT ------\n');
  raw(server, genInfoString(server, ['all']));
  raw(server, '\n------ CLIENT LIST OUTPUT ------\n');
  let clients = '';
  for (const c of server.clients.values()) clients += clientInfoString(server, c) + '\n';
  raw(server, clients);
  const cc = server.currentClient;
  if (cc) {
    raw(server, '\n------ CURRENT CLIENT INFO ------\n');
    raw(server, clientInfoString(server, cc) + '\n');
    cc.argv.forEach((a, j) => raw(server, `argv[${j}]: '${repr(a.length > 128 ? a.slice(0, 128) : a)}'\n`));
  }
  raw(server, '\n------ MODULES INFO OUTPUT ------\n');
  raw(server, '\n------ CONFIG DEBUG OUTPUT ------\n');
  raw(server, configDebugInfo(server));
  if (server.config.get<boolean>('crash-memcheck-enabled')) {
    raw(server, '\n------ FAST MEMORY TEST ------\n');
    raw(server, 'Fast memory test PASSED, however your memory can still be broken. Please run a memory test for several hours if possible.\n');
  }
}

/** bugReportEnd(): the closing text; then the process dies of `signal`, or aborts. */
function bugReportEnd(server: RedisServer, signal: string | null): void {
  raw(server,
    '\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n' +
    '       Please report the crash by opening an issue on github:\n\n' +
    '           http://github.com/redis/redis/issues\n\n' +
    "  If a Redis module was involved, please open in the module's repo instead.\n\n" +
    '  Suspect RAM error? Use redis-server --test-memory to verify it.\n\n' +
    '  Some other issues could be detected by redis-server --check-system\n');
  const pidfile = server.config.get<string | null>('pidfile');
  if (server.config.get<boolean>('daemonize') && server.config.get<string>('supervised') === 'no' && pidfile) {
    try { server.os.fs.unlink(pidfile); } catch { /* Redis ignores unlink's failure too */ }
  }
  server.die(signal ?? 'SIGABRT');
}

/**
 * A crash: the report, then death. `header` is what the crash says first (the signal line,
 * the panic's Guru Meditation, the assertion); `signal` the signal to die of, null for a
 * panic or an assertion (abort()); `full` whether the INFO, clients and configs are written
 * (a panic and an assertion skip them while crash-log-enabled is no).
 */
export function crashReport(server: RedisServer, header: string[], signal: string | null, full: boolean): void {
  bugReportStart(server);
  for (const line of header) server.log.warning(line);
  if (full) printCrashReport(server);
  bugReportEnd(server, signal);
}

/** sigsegvHandler(): a fatal signal sent to the process (kill -SEGV, kill -ABRT, ...). */
export function crashBySignal(server: RedisServer, signal: string, sentByPid: number | null): void {
  const header = [`Redis 7.0.15 crashed by signal: ${signalNumber(signal) ?? 0}, si_code: 0`];
  // si_code 0 is SI_USER: sent by kill(2); Redis names the sender when it knows it.
  if (sentByPid !== null) header.push(`Killed by PID: ${sentByPid}, UID: 0`);
  crashReport(server, header, signal, true);
}
