/**
 * What "▶▶ until" can wait for: a kind of kernel trace record (a process exits, a connection
 * opens...) or a sentinel event (`+sdown`, `+switch-master`...). Sentinel events are not trace
 * records: the session asks the sentinels for their new events between rounds
 * (Session.forwardUntil). Their names start with + or -, which no trace kind does.
 */

/** Kernel trace record kinds. */
export const TRACE_UNTIL_KINDS = ['exit', 'spawn', 'exec', 'connect', 'accept', 'close', 'listen', 'signal', 'fsync', 'power-on', 'power-off', 'partition', 'heal', 'reset', 'timeout', 'cron'] as const;

/** Sentinel events, in the order a failover logs them. */
export const SENTINEL_UNTIL_KINDS = [
  '+sdown', '-sdown', '+odown', '-odown', '+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader',
  '+selected-slave', '+promoted-slave', '+switch-master', '+failover-end', '+tilt',
] as const;

export function isSentinelEventKind(kind: string): boolean {
  return kind.startsWith('+') || kind.startsWith('-');
}
