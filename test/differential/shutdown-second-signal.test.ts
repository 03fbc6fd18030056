/**
 * A second signal during the final save of a signal's shutdown (the save made long by
 * rdb-key-save-delay), our native host as its own process vs the real redis-server: Redis's
 * signal handler runs in the middle of rdbSave, so a second SIGINT exits at once ("You
 * insist... exiting now.", status 1, the temp file removed, no dump.rdb), and a second SIGTERM
 * is logged during the save, which then completes. The same during a SAVE or SHUTDOWN command
 * slowed that way (the first SIGINT logged at once, the second exiting).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haveRealRedis, startServerProcess, REAL_REDIS, OUR_SERVER_COMMAND, type RealRedis } from '../support/real-redis';
import { closedAfterAll, waitFor } from '../replication/helpers';

const suite = haveRealRedis() ? describe : describe.skip;
const { stops } = closedAfterAll();

const KEYS = 4;
/** Per key: the save lasts KEYS × 100 ms. */
const KEY_SAVE_DELAY_US = 100_000;

/** The log's messages about the shutdown, in order, without pids and times. */
const MESSAGES = /(Received SIG\w+ scheduling shutdown\.\.\.|You insist\.\.\. exiting now\.|User requested shutdown\.\.\.|Saving the final RDB snapshot before exiting\.|DB saved on disk|Redis is now ready to exit, bye bye\.\.\.)/g;

async function secondSignal(kind: 'real' | 'ours', sig: 'SIGINT' | 'SIGTERM'): Promise<{ saveLasted: boolean; code: number | null; messages: string[]; files: string[] }> {
  const s: RealRedis = await startServerProcess(kind === 'real' ? [REAL_REDIS!] : OUR_SERVER_COMMAND, ['--rdb-key-save-delay', String(KEY_SAVE_DELAY_US)]);
  stops.push(() => s.stop());
  const c = await s.client();
  for (let i = 0; i < KEYS; i++) await c.call('SET', `k${i}`, 'v');
  // A foreground SAVE is held up by rdb-key-save-delay too (rdbSaveKeyValuePair's debugDelay).
  const startMs = Date.now();
  expect(await c.call('SAVE')).toBe('+OK\r\n');
  const saveLasted = Date.now() - startMs >= KEYS * KEY_SAVE_DELAY_US / 1000 * 0.9;
  fs.unlinkSync(path.join(s.dir, 'dump.rdb'));
  // Save points make the signal's shutdown save a final snapshot.
  expect(await c.call('CONFIG', 'SET', 'save', '3600 1')).toBe('+OK\r\n');
  c.close();
  const exited = new Promise<number | null>((resolve) => s.proc.once('exit', (code) => resolve(code)));
  const temp = path.join(s.dir, `temp-${s.proc.pid}.rdb`);
  s.proc.kill(sig);
  await waitFor('the final save to start', () => fs.existsSync(temp), 5000);
  // Well apart from the first one (the native host takes one delivery within 50 ms as the same).
  await new Promise((r) => setTimeout(r, 150));
  s.proc.kill(sig);
  const code = await exited;
  return { saveLasted, code, messages: s.output().match(MESSAGES) ?? [], files: fs.readdirSync(s.dir).sort() };
}

/** SIGINT twice during a SAVE or SHUTDOWN command slowed by rdb-key-save-delay: the second ends the process. */
async function sigintTwiceDuringSave(kind: 'real' | 'ours', command: 'SAVE' | 'SHUTDOWN'): Promise<{ code: number | null; messages: string[]; files: string[]; reply: string }> {
  const s: RealRedis = await startServerProcess(kind === 'real' ? [REAL_REDIS!] : OUR_SERVER_COMMAND, ['--rdb-key-save-delay', String(KEY_SAVE_DELAY_US)]);
  stops.push(() => s.stop());
  const c = await s.client();
  for (let i = 0; i < KEYS; i++) await c.call('SET', `k${i}`, 'v');
  if (command === 'SHUTDOWN') expect(await c.call('CONFIG', 'SET', 'save', '3600 1')).toBe('+OK\r\n');
  const exited = new Promise<number | null>((resolve) => s.proc.once('exit', (code) => resolve(code)));
  const reply = c.call(command).catch(() => 'closed');
  const temp = path.join(s.dir, `temp-${s.proc.pid}.rdb`);
  await waitFor('the save to start', () => fs.existsSync(temp), 5000);
  s.proc.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 150));
  s.proc.kill('SIGINT');
  const code = await exited;
  // The connection closes without a reply (the partial reply parser may still wait: give up).
  const r = await Promise.race([reply, new Promise<string>((res) => setTimeout(() => res('none'), 300))]);
  c.close();
  return { code, messages: s.output().match(MESSAGES) ?? [], files: fs.readdirSync(s.dir).sort(), reply: r === 'closed' ? 'none' : r };
}

type Outcome = Awaited<ReturnType<typeof secondSignal>>;
type SaveOutcome = Awaited<ReturnType<typeof sigintTwiceDuringSave>>;

suite('a second signal during the final save of a signal\'s shutdown, or during SAVE (vs real redis-server)', () => {
  // The three scenarios run at once, each on its own pair of servers: the file takes the time
  // of one (starting a node process is most of it).
  let results: { sigint: [Outcome, Outcome]; sigterm: [Outcome, Outcome]; save: [SaveOutcome, SaveOutcome]; shutdown: [SaveOutcome, SaveOutcome] };
  beforeAll(async () => {
    const [sigint, sigterm, save, shutdown] = await Promise.all([
      Promise.all([secondSignal('real', 'SIGINT'), secondSignal('ours', 'SIGINT')]),
      Promise.all([secondSignal('real', 'SIGTERM'), secondSignal('ours', 'SIGTERM')]),
      Promise.all([sigintTwiceDuringSave('real', 'SAVE'), sigintTwiceDuringSave('ours', 'SAVE')]),
      Promise.all([sigintTwiceDuringSave('real', 'SHUTDOWN'), sigintTwiceDuringSave('ours', 'SHUTDOWN')]),
    ]);
    results = { sigint, sigterm, save, shutdown };
  }, 30_000);

  it('a second SIGINT exits at once, status 1, without the snapshot or its temp file', () => {
    const [real, ours] = results.sigint;
    expect(real).toEqual({
      saveLasted: true,
      code: 1,
      messages: ['DB saved on disk', 'Received SIGINT scheduling shutdown...', 'User requested shutdown...', 'Saving the final RDB snapshot before exiting.', 'You insist... exiting now.'],
      files: [],
    });
    expect(ours).toEqual(real);
  });

  it('a second SIGTERM is logged during the save, which completes', () => {
    const [real, ours] = results.sigterm;
    expect(real).toEqual({
      saveLasted: true,
      code: 0,
      messages: ['DB saved on disk', 'Received SIGTERM scheduling shutdown...', 'User requested shutdown...', 'Saving the final RDB snapshot before exiting.',
        'Received SIGTERM scheduling shutdown...', 'DB saved on disk', 'Redis is now ready to exit, bye bye...'],
      files: ['dump.rdb'],
    });
    expect(ours).toEqual(real);
  });

  it('SIGINT twice during a SAVE command: the first is logged at once, the second exits', () => {
    const [real, ours] = results.save;
    expect(real).toEqual({ code: 1, messages: ['Received SIGINT scheduling shutdown...', 'You insist... exiting now.'], files: [], reply: 'none' });
    expect(ours).toEqual(real);
  });

  it('SIGINT twice during a SHUTDOWN command\'s final save: the second exits', () => {
    const [real, ours] = results.shutdown;
    expect(real).toEqual({
      code: 1,
      messages: ['User requested shutdown...', 'Saving the final RDB snapshot before exiting.', 'Received SIGINT scheduling shutdown...', 'You insist... exiting now.'],
      files: [],
      reply: 'none',
    });
    expect(ours).toEqual(real);
  });
});
