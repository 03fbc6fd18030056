/**
 * The modelled CPU time of redis-cli's and redis-benchmark's connections, charged with
 * `os.cpu` like the server's (server/cpu-cost.ts): the simulation moves the client's clock, so
 * a client that sends and reads costs time as a real one does, and `time` shows where it went
 * (the native host ignores it: real time has passed).
 *
 * Measured on Debian's redis-tools 7.0.15 (2 vCPUs, getrusage via bash's `time`, other work on
 * the machine), against a local server: redis-benchmark -n 100000 -t set spent per request
 * 0.91 µs user and 10.7 µs sys with -c 50, 0.29 µs user and 0.57 µs sys with -P 16 (one write
 * and one read carry 16 requests), 1.3 µs user and 12.9 µs sys with -c 1. A write and a read
 * with their epoll round, ~10 µs of system time, and under a µs of user time per round trip
 * account for all three. Connecting (socket, connect, the handshake's softirq work) cost
 * redis-cli about 0.6 ms of system time beyond its start (redis-cli PING against
 * redis-cli --version, 300 runs each).
 */
/** socket(2) and connect(2) to a server, with the handshake. */
export const CLIENT_CONNECT_CPU_MS = 0.6;
/** One write(2) of requests (with the epoll round that led to it). */
export const CLIENT_WRITE_CPU_MS = 0.005;
/** One read(2) of replies. */
export const CLIENT_READ_CPU_MS = 0.005;
/** Handling one read's replies in user space, beyond parsing them. */
export const CLIENT_READ_USER_CPU_MS = 0.0007;
/** Parsing one reply. */
export const CLIENT_REPLY_USER_CPU_MS = 0.0002;
