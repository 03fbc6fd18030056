/**
 * Sentinel scripts on the native host, ours against a real redis-sentinel 7.0.15: the same
 * notification script (a real #! file) gets the same arguments from both, and a file without a
 * #! line is refused by execve() in both (status 2, `-script-error <path> 0 2`).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haveTools, startRealRedis, REAL_REDIS, type RealRedis } from '../support/real-redis';
import { REAL_SENTINEL, startOurSentinel, startRealSentinel, until, type SentinelProc } from '../support/sentinels';

const enabled = haveTools(REAL_REDIS, REAL_SENTINEL);

(enabled ? describe : describe.skip)('sentinel scripts, ours vs real redis-sentinel', () => {
  let master: RealRedis;
  const sentinels: SentinelProc[] = [];
  const dirs: string[] = [];

  /** A directory with notify.sh (appends its arguments to out.txt there) and plain.sh (no #!). */
  function scripts(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-scripts-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'notify.sh'), `#!/bin/sh\necho "$@" >> ${dir}/out.txt\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'plain.sh'), `echo "$@" >> ${dir}/plain.txt\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'noexec.sh'), '#!/bin/sh\n', { mode: 0o644 });
    return dir;
  }

  const config = (dir: string) => [
    'sentinel deny-scripts-reconfig no',
    `sentinel monitor one 127.0.0.1 ${master.port} 1`, `sentinel notification-script one ${dir}/notify.sh`,
    `sentinel monitor two 127.0.0.1 ${master.port} 1`, `sentinel notification-script two ${dir}/plain.sh`,
  ];

  beforeAll(async () => {
    master = await startRealRedis();
  });

  afterAll(async () => {
    for (const s of sentinels) { await s.stop(); s.cleanup(); }
    await master?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('run the same script with the same arguments, and refuse the same files', async () => {
    const realDir = scripts();
    const ourDir = scripts();
    const real = await startRealSentinel(config(realDir));
    sentinels.push(real);
    const ours = await startOurSentinel(config(ourDir));
    sentinels.push(ours);
    const out = (dir: string) => (fs.existsSync(`${dir}/out.txt`) ? fs.readFileSync(`${dir}/out.txt`, 'utf8') : '');
    await until('both ran notify.sh and refused plain.sh', () => [[real, realDir], [ours, ourDir]].every(([s, d]) =>
      out(d as string) !== '' && (s as SentinelProc).log().includes('-script-error')), 10_000);
    expect(out(ourDir)).toBe(out(realDir).replaceAll(realDir, ourDir));
    expect(out(ourDir)).toBe(`+monitor master one 127.0.0.1 ${master.port} quorum 1\n`);
    for (const [s, d] of [[real, realDir], [ours, ourDir]] as const) {
      expect(s.log()).toMatch(new RegExp(`# -script-error ${d}/plain\\.sh 0 2\\n`));
      expect(fs.existsSync(`${d}/plain.txt`)).toBe(false);
    }
    // access(X_OK) at SENTINEL SET: the same error from both.
    for (const [s, d] of [[real, realDir], [ours, ourDir]] as const) {
      const c = await s.client();
      try {
        c.write(`SENTINEL SET one notification-script ${d}/noexec.sh\r\n`);
        expect((await c.reply(5000)).bytes).toBe('-ERR Notification script seems non existing or non executable\r\n');
      } finally {
        c.close();
      }
    }
  }, 30_000);
});
