/**
 * Keyspace notifications from both servers of a differential pair, for comparing them: real
 * Redis's through a PSUBSCRIBEd connection; ours as the engine publishes them (pub/sub delivery
 * belongs to another module), as the same "channel message" pairs.
 */
import type { Pair } from './differential';

export async function recordKeyspaceEvents(p: Pair, run: () => Promise<void>): Promise<{ real: string[]; ours: string[] }> {
  const sub = await p.real.client();
  await sub.call('PSUBSCRIBE', '__key*__:*');
  const ours: string[] = [];
  const origPublish = p.ours.server.publish.bind(p.ours.server);
  p.ours.server.publish = (channel: string, message: string) => { ours.push(`${channel} ${message}`); return origPublish(channel, message); };
  try {
    await run();
    const real: string[] = [];
    // Drained until the real server has been quiet for 300 ms.
    for (;;) {
      let r;
      try { r = await sub.reply(300); } catch { break; }
      if (r.value.type === 'array') {
        const [, , ch, msg] = r.value.value;
        if (ch.type === 'bulk' && msg.type === 'bulk') real.push(`${ch.value} ${msg.value}`);
      }
    }
    return { real, ours };
  } finally {
    p.ours.server.publish = origPublish;
    sub.close();
  }
}
