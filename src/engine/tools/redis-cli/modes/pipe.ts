/**
 * --pipe: stream raw protocol from stdin to the server while counting the replies, then send
 * an ECHO of 20 random bytes and wait for it: when it comes back, every reply has arrived.
 * Errors are printed to stderr and counted; the exit code says whether any happened.
 */
import type { RedisCli } from '../cli';

const STDIN_CHUNK_BYTES = 16 * 1024;
/** Stop reading stdin while this much is still queued for the socket. */
const MAX_PENDING_WRITE_BYTES = 1024 * 1024;

export async function pipeMode(cli: RedisCli): Promise<never> {
  const c = cli.context!;
  let errors = 0n;
  let replies = 0n;
  let eof = false;
  let done = false;
  let magic = '';
  let lastReadSec = Math.floor(cli.nowMs() / 1000);

  const writer = (async () => {
    for (;;) {
      const chunk = await cli.stdin.read(STDIN_CHUNK_BYTES);
      if (chunk === '') {
        for (let j = 0; j < 20; j++) magic += String.fromCharCode(Math.floor(cli.os.random() * 256));
        // The leading CRLF keeps the ECHO well-formed even after garbage on stdin.
        c.writeRaw(`\r\n*2\r\n$4\r\nECHO\r\n$20\r\n${magic}\r\n`);
        eof = true;
        cli.out('All data transferred. Waiting for the last reply...\n');
        return;
      }
      c.writeRaw(chunk);
      while (c.pendingWriteBytes() > MAX_PENDING_WRITE_BYTES && !c.isClosed) await cli.sleepMs(1);
    }
  })();

  while (!done) {
    for (;;) {
      const reply = c.pollReply();
      if (reply === null) {
        cli.err('Error reading replies from server\n');
        cli.exit(1);
      }
      if (reply === undefined) break;
      lastReadSec = Math.floor(cli.nowMs() / 1000);
      if (reply.type === 'error') {
        cli.err(`${reply.str}\n`);
        errors++;
      } else if (eof && reply.type === 'string' && reply.str.length === 20 && reply.str === magic) {
        cli.out('Last reply received from server.\n');
        done = true;
        replies--;
      }
      replies++;
    }
    if (done) break;
    // The server closed the link: everything it sent has been consumed above.
    if (c.isClosed) cli.exit(1);
    if (eof && cli.config.pipeTimeoutSec > 0 && Math.floor(cli.nowMs() / 1000) - lastReadSec > cli.config.pipeTimeoutSec) {
      cli.err(`No replies for ${cli.config.pipeTimeoutSec} seconds: exiting.\n`);
      errors++;
      break;
    }
    await c.waitReadable(cli.os, 1000);
  }
  void writer;
  cli.out(`errors: ${errors}, replies: ${replies}\n`);
  cli.exit(errors ? 1 : 0);
}
