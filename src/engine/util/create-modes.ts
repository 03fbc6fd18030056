/**
 * The permission bits Redis's programs ask for when they create a file or a directory (the
 * mode argument of open(2) and mkdir(2)); the host takes the process's umask off them, as the
 * kernel does. They differ by how the C code creates each file, so under a umask such as 002 a
 * server's dump.rdb (fopen) comes out 0664 while its AOF (open with 0644) stays 0644.
 */

/** What stdio's fopen(path, "w" or "a") asks for: the RDB (rdbSave), the log, the pid file, an AOF rewrite's temp file. */
export const FOPEN_CREATE_MODE = 0o666;

/**
 * Redis's own open(…, 0644): the AOF's incr files and its manifest, nodes.conf, a replica's
 * temp RDB (readSyncBulkPayload) and redis-cli --rdb's file; also what rewriteConfig
 * fchmod()s its new config to (0644 less the umask).
 */
export const REDIS_OPEN_CREATE_MODE = 0o644;

/** dirCreateIfMissing's mkdir(…, 0755): the appendonlydir. */
export const REDIS_MKDIR_MODE = 0o755;

/** linenoise's history file: written under umask 077 and fchmod()ed to 0600. */
export const HISTORY_FILE_MODE = 0o600;
