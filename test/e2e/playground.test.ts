/**
 * The playground in real Chromium (Debian's, driven by playwright-core) against the production
 * build: the page loads, every simulated process runs in its own Web Worker, a terminal runs
 * commands, a click in the topology kills a server, time fast-forwards and rewinds, a lesson
 * autoplays to the end, and a reload works. Screenshots go to test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, typeInTerminal, useServedBrowser, waitForTerminal } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

const VIEWPORT = { width: 1400, height: 900 };

/** Programs (not kernel-side shells) the world runs: each should have its own worker. */
async function programCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const s = (window as unknown as { halab: { session: { world: { processes(): { kind: string }[] } } } }).halab.session;
    return s.world.processes().filter((p) => p.kind === 'program').length;
  });
}

async function virtualSeconds(page: Page): Promise<number> {
  const text = (await page.textContent('[data-testid="virtual-time"]')) ?? '';
  const m = /t = ([\d.]+) s/.exec(text);
  if (!m) throw new Error(`no virtual time in "${text}"`);
  return Number(m[1]);
}

/** Exact virtual seconds once the clock has stopped moving (a pause lets the current slice finish). */
async function settledSeconds(page: Page): Promise<number> {
  const read = () => page.evaluate(() => {
    const s = (window as unknown as { halab: { session: { world: { now: number }; startT: number } } }).halab.session;
    return (s.world.now - s.startT) / 1000;
  });
  let last = await read();
  for (;;) {
    await page.waitForTimeout(150);
    const now = await read();
    if (now === last) return now;
    last = now;
  }
}

async function waitForServers(page: Page, ports: number[]): Promise<void> {
  for (const p of ports) await page.waitForSelector(`.proc[data-port="${p}"]`, { timeout: 20_000 });
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

suite('playground in Chromium', () => {
  const served = useServedBrowser();

  it('loads the sandbox with one Web Worker per simulated process, and a terminal runs ps aux', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    // Roles come from each server's own INFO (through the read-only inspector).
    await page.waitForSelector('.proc[data-port="7000"][data-role="master"]');
    await page.waitForSelector('.proc[data-port="7001"][data-role="slave"]');

    const programs = await programCount(page);
    expect(programs).toBe(3);
    await waitFor(async () => page.workers().length === programs, `${programs} workers (have ${page.workers().length})`);
    expect(page.workers().every((w) => /browser-worker/.test(w.url()))).toBe(true);

    await typeInTerminal(page, 'redis-1', 'ps aux');
    const out = await waitForTerminal(page, 'redis-1', /redis-server 127\.0\.0\.1:7002[\s\S]*ps aux\s*\n.*root@redis-1:~#/);
    for (const port of [7000, 7001, 7002]) expect(out).toContain(`redis-server 127.0.0.1:${port}`);

    await screenshot(page, 'sandbox-full');
    await screenshot(page, 'panel-topology', 'section.topology');
    await screenshot(page, 'panel-terminal', 'section.terminals');
    await screenshot(page, 'panel-time-controls', '.time');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('kills a server by clicking it in the topology; fast-forward and rewind move the clock; rewind and reset reuse the workers', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    await waitFor(async () => page.workers().length === 3, 'three workers');

    // Pause and fast-forward 2 s: exactly 2 s of virtual time pass, and the kill below happens
    // after t = 2 s.
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    const start = await settledSeconds(page);
    await page.fill('[data-control="forward-seconds"]', '2');
    await page.click('[data-action="forward"]');
    await waitFor(async () => (await virtualSeconds(page)) >= start + 1.999, 'the clock to move 2 s');
    expect(await settledSeconds(page)).toBeCloseTo(start + 2, 6);

    // Freeze 7002 (kill -STOP): it is drawn frozen at once, even with the clock paused.
    await page.click('.proc[data-port="7002"]');
    await page.click('.menu [data-action="sigstop"]');
    await page.waitForSelector('.proc[data-port="7002"][data-frozen="true"]');

    await page.click('.proc[data-port="7001"]');
    await page.waitForSelector('.menu [data-action="kill9"]');
    await screenshot(page, 'panel-process-menu', 'section.topology');
    await page.click('.menu [data-action="kill9"]');
    await page.waitForSelector('.proc[data-port="7001"]', { state: 'detached' });
    await page.waitForSelector('.proc.ghost[data-ghost="redis-server /etc/redis/7001.conf"]');

    // Commands need time to run: play, then ps.
    await page.click('[data-action="play"]');
    await typeInTerminal(page, 'redis-1', 'ps aux');
    const out = await waitForTerminal(page, 'redis-1', /ps aux\s*\n.*root@redis-1:~#/);
    expect(out).toContain('redis-server 127.0.0.1:7000');
    expect(out).toContain('redis-server 127.0.0.1:7002');
    expect(out).not.toContain('redis-server 127.0.0.1:7001');
    expect(out).toMatch(/ Tsl .* redis-server 127\.0\.0\.1:7002/);
    // Resume it (kill -CONT).
    await page.click('.proc[data-port="7002"]');
    await page.click('.menu [data-action="sigcont"]');
    await page.waitForSelector('.proc[data-port="7002"][data-frozen="false"]');

    // Pause, fast-forward 30 s more.
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    const before = await settledSeconds(page);
    await page.fill('[data-control="forward-seconds"]', '30');
    await page.click('[data-action="forward"]');
    await waitFor(async () => (await virtualSeconds(page)) >= before + 29.999, 'the clock to move 30 s');
    await page.waitForSelector('.time[data-time-state="paused"]');
    expect(await settledSeconds(page)).toBeCloseTo(before + 30, 6);
    // The killed server's worker was kept (reset) for the next process, not terminated.
    const workers = page.workers();
    expect(workers.length).toBe(3);
    const sameWorkers = () => page.workers().length === 3 && page.workers().every((w) => workers.includes(w));

    // Rewind to 1 s, before the kill: the server is back, re-executed from the recorded inputs.
    await page.fill('[data-control="rewind-seconds"]', '1');
    await page.click('[data-action="rewind"]');
    await waitFor(async () => Math.abs((await virtualSeconds(page)) - 1) < 1e-6, 'the clock to read 1 s');
    expect(await settledSeconds(page)).toBe(1);
    await waitForServers(page, [7000, 7001, 7002]);
    // Re-executed on the same three workers (all reset and reused): none was started.
    expect(sameWorkers()).toBe(true);
    await screenshot(page, 'after-rewind');
    // A new world (Reset) takes its workers from the page's pool too.
    await page.click('[data-side-tab="about"]');
    await page.click('[data-action="reset"]');
    await page.waitForSelector('.app[data-ready="true"]');
    await waitForServers(page, [7000, 7001, 7002]);
    expect(sameWorkers()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('autoplays a lesson to data-lesson-status="complete"', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?lesson=a0-first-steps&autoplay=1`);
    await page.waitForSelector('.lesson[data-lesson-status="running"]');
    await page.waitForSelector('.lesson[data-lesson-status="complete"], .lesson[data-lesson-status="failed"]', { timeout: 120_000 });
    expect(await page.getAttribute('.lesson', 'data-lesson-status')).toBe('complete');
    expect(await page.locator('.step[data-step-state="done"]').count()).toBe(4);
    // The prediction was answered by the world: started again after kill -9 with nothing saved,
    // the server holds no keys.
    expect(await page.locator('.predict label.right').innerText()).toContain('None, it starts empty');
    // The autoplay typed into the terminal on screen (the lesson driver's typist).
    const out = await waitForTerminal(page, 'eshop-cache01', /kill \$\(cat \/var\/run\/redis_6379\.pid\)/);
    expect(out).toContain('redis-server /etc/redis/6379.conf &');
    await screenshot(page, 'panel-lesson', 'section.lesson');
    await screenshot(page, 'lesson-full');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('inspects a server (INFO, keyspace, files, log) and shows the timeline, plots and statecharts', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    await typeInTerminal(page, 'redis-1', 'ls /etc/redis');
    await waitForTerminal(page, 'redis-1', '7002.conf');
    // Tab at the shell prompt completes a path on the host.
    await page.keyboard.type('wc -l /etc/redis/7001.c', { delay: 5 });
    await page.keyboard.press('Tab');
    await waitForTerminal(page, 'redis-1', 'wc -l /etc/redis/7001.conf');
    await page.keyboard.press('Enter');
    await waitForTerminal(page, 'redis-1', /\d+ \/etc\/redis\/7001\.conf/);

    // Keyboard: a process is focusable, Enter opens its menu, arrows move, Escape goes back.
    await page.locator('.proc[data-port="7001"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'kill9');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('sigterm');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.menu', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-port'))).toBe('7001');

    await page.click('.proc[data-port="7000"]');
    await page.click('.menu [data-action="inspect"]');
    await page.waitForSelector('section.inspector[data-inspected-pid]');
    const infoRow = page.locator('section.inspector tr', { hasText: 'tcp_port' });
    await infoRow.first().waitFor();
    expect(await infoRow.first().innerText()).toContain('7000');
    await screenshot(page, 'panel-inspector-info', 'aside.side');

    await page.click('[data-inspector-tab="keys"]');
    await page.waitForSelector('[data-testid="keyspace"]');
    await page.click('[data-inspector-tab="files"]');
    await page.click('[data-file="/etc/redis/7000.conf"]');
    await page.waitForSelector('.fileview pre');
    expect(await page.locator('.fileview pre').innerText()).toContain('port 7000');
    await page.click('[data-inspector-tab="log"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="log"]')?.textContent?.includes('Ready to accept connections'));
    await screenshot(page, 'panel-inspector-log', 'aside.side');

    await page.click('[data-side-tab="timeline"]');
    const typed = page.locator('[data-testid="timeline-events"] li', { hasText: 'typed: ls /etc/redis' });
    await typed.first().waitFor();
    // A boot line's server: its shell exec'd it, as systemd's service it is.
    expect(await page.locator('[data-testid="timeline-events"] li', { hasText: 'exec redis-server /etc/redis/7001.conf' }).count()).toBe(1);
    await screenshot(page, 'panel-timeline', 'aside.side');
    await page.click('[data-timeline-view="messages"]');
    await screenshot(page, 'panel-messages', 'aside.side');

    await page.click('[data-side-tab="plots"]');
    await page.waitForSelector('svg[data-plot="keys"] path');
    await screenshot(page, 'panel-plots', 'aside.side');

    await page.click('[data-side-tab="statecharts"]');
    await page.waitForSelector('[data-machine="ui-time"] [data-state="playing"][data-live="true"]');
    await page.click('[data-action="pause"]');
    await page.waitForSelector('[data-machine="ui-time"] [data-state="paused"][data-live="true"]');
    await screenshot(page, 'panel-statecharts', 'aside.side');

    // The UI in Chinese (the course material's language), and back.
    await page.click('[data-action="lang"]');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.textContent('[data-side-tab="timeline"]')).toBe('时间线');
    await page.click('[data-side-tab="timeline"]');
    expect((await page.textContent('label:has([data-category="sentinel"])'))?.trim()).toBe('哨兵');
    await screenshot(page, 'ui-chinese');
    await page.click('[data-action="lang"]');
    expect(await page.textContent('[data-side-tab="timeline"]')).toBe('Timeline');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('cuts the network by dragging between hosts, heals by clicking the cut, powers a host off and on', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="6379"]`);
    const cuts = () => page.evaluate(() => (window as unknown as { halab: { session: { world: { cuts(): string[][] } } } }).halab.session.world.cuts().map((c) => c.join('>')).sort());

    const from = (await page.locator('[data-host-header="redis01"]').boundingBox())!;
    const to = (await page.locator('[data-host-header="redis02"]').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 40, from.y + 30, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector('[data-cut="redis01|redis02"]');
    expect(await cuts()).toEqual(['redis01>redis02', 'redis02>redis01']);
    await screenshot(page, 'partition', 'section.topology');
    await page.click('[data-cut="redis01|redis02"]');
    await page.waitForSelector('[data-cut]', { state: 'detached' });
    expect(await cuts()).toEqual([]);

    // Link faults from a host's menu: 200 ms of latency between redis01 and redis02.
    await page.click('[data-host-header="redis01"]');
    await page.click('.menu [data-action="link-redis02"]');
    await page.click('.menu [data-action="latency-200"]');
    // An input made while a round runs takes effect when the round ends.
    const latency = () => page.evaluate(() => (window as unknown as { halab: { session: { world: { linkParams(a: string, b: string): { latencyMs: number } } } } }).halab.session.world.linkParams('redis02', 'redis01').latencyMs);
    await waitFor(async () => (await latency()) === 200, 'the link to take 200 ms of latency');

    await page.click('[data-host-header="redis03"]');
    await page.click('.menu [data-action="power-off"]');
    await page.waitForSelector('.host.down[data-host="redis03"]');
    expect(await page.locator('.host[data-host="redis03"] .proc').count()).toBe(0);
    await page.click('[data-host-header="redis03"]');
    await page.click('.menu [data-action="power-on"]');
    // Power on runs the boot lines again: the server comes back.
    await page.waitForSelector('.host[data-host="redis03"]:not(.down) .proc[data-port="6379"]');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('the inspector stays on a server that is killed and started again, or restarted', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await waitForServers(page, [7000, 7001, 7002]);
    const pidOf7000 = async () => Number(await page.getAttribute('.proc[data-port="7000"]', 'data-pid'));
    const first = await pidOf7000();
    await page.click('.proc[data-port="7000"]');
    await page.click('.menu [data-action="inspect"]');
    await page.waitForSelector(`section.inspector[data-inspected-pid="${first}"]`);
    await page.click('.proc[data-port="7000"]');
    await page.click('.menu [data-action="kill9"]');
    // Gone: the inspector says so.
    await page.waitForSelector('section.inspector[data-inspected-pid=""]');
    expect(await page.textContent('[data-testid="inspector-empty"]')).toContain(`Process ${first} has exited`);
    // Started again from its ghost: a new pid, and the inspector is on it.
    await page.click('.proc.ghost[data-ghost="redis-server /etc/redis/7000.conf"]');
    await page.click('.menu [data-action="start"]');
    await waitForServers(page, [7000]);
    const second = await pidOf7000();
    expect(second).not.toBe(first);
    await page.waitForSelector(`section.inspector[data-inspected-pid="${second}"]`);
    const infoRow = page.locator('section.inspector tr', { hasText: 'process_id' });
    await waitFor(async () => (await infoRow.first().innerText()).includes(String(second)), 'INFO of the new process');
    // Restart from the menu (SIGTERM, then the same command line): the same.
    await page.click('.proc[data-port="7000"]');
    await page.click('.menu [data-action="restart"]');
    await waitFor(async () => (await page.locator('.proc[data-port="7000"]').count()) === 1 && (await pidOf7000()) !== second, 'a third 7000');
    await page.waitForSelector(`section.inspector[data-inspected-pid="${await pidOf7000()}"]`);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a lesson's commands fit its panel at 1280x800, long paths included", async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?lesson=a5-torn-aof`);
    // The first step says `tail -6 /var/redis/6379/appendonlydir/appendonly.aof.1.incr.aof`.
    await page.waitForSelector('.try-line[data-try-line*="appendonly.aof.1.incr.aof"]');
    const overflowing = await page.evaluate(() => {
      const panel = document.querySelector('section.lesson')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll<HTMLElement>('section.lesson .try-line'))
        .filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > panel.right)
        .map((b) => b.textContent);
    });
    expect(overflowing).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("the timeline lists the sentinels' events (+sdown, +switch-master) of a failover, and jumps to one", async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="6379"]`);
    await page.click('.host[data-host="redis01"] .proc[data-port="6379"]');
    await page.click('.menu [data-action="kill9"]');
    // down-after-milliseconds 30000, then the failover.
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    await page.fill('[data-control="forward-seconds"]', '60');
    await page.click('[data-action="forward"]');
    await page.waitForSelector('.host[data-host="redis02"] .proc[data-port="6379"][data-role="master"], .host[data-host="redis03"] .proc[data-port="6379"][data-role="master"]', { timeout: 60_000 });
    await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 60_000 });
    await page.click('[data-side-tab="timeline"]');
    await page.fill('[data-control="timeline-filter"]', 'mymaster');
    const rows = page.locator('[data-testid="timeline-events"] li');
    const switched = rows.filter({ hasText: '+switch-master mymaster 10.0.1.51 6379' });
    // Every sentinel switches (the summary poll collects their events a moment later).
    await waitFor(async () => (await switched.count()) === 3, 'three +switch-master rows');
    expect(await rows.filter({ hasText: '+sdown master mymaster 10.0.1.51 6379' }).count()).toBe(3);
    expect(await rows.filter({ hasText: '+odown master mymaster 10.0.1.51 6379' }).count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'timeline-sentinel-events', 'aside.side');
    // Newest first: +switch-master after +sdown.
    const texts = await rows.allInnerTexts();
    expect(texts.findIndex((x) => x.includes('+switch-master'))).toBeLessThan(texts.findIndex((x) => x.includes('+sdown master')));
    // The category filter hides them.
    await page.click('[data-category="sentinel"]');
    await waitFor(async () => (await switched.count()) === 0, 'sentinel rows hidden');
    await page.click('[data-category="sentinel"]');
    // A click jumps just after the event.
    const oldest = switched.last();
    await oldest.waitFor();
    const at = Number(/^([\d.]+)/.exec(await oldest.innerText())![1]);
    await oldest.click();
    const session = () => page.evaluate(() => { const s = (window as unknown as { halab: { session: { busy: string | null; world: { now: number }; startT: number } } }).halab.session; return { busy: s.busy, t: (s.world.now - s.startT) / 1000 }; });
    await waitFor(async () => (await session()).busy === null && Math.abs((await session()).t - at) < 0.01, `the clock at ${at} s`, 60_000);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('plots sample the servers at the time they answered: a fast-forward does not draw its end values at its start', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await waitForServers(page, [7000, 7001, 7002]);
    await page.waitForSelector('.proc[data-port="7001"][data-role="slave"]');
    // Pause and fast-forward at once, as a learner does (a summary poll is then in flight).
    await page.click('[data-action="pause"]');
    await page.fill('[data-control="forward-seconds"]', '20');
    await page.click('[data-action="forward"]');
    await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 60_000 });
    const end = await settledSeconds(page);
    const pid = Number(await page.getAttribute('.proc[data-port="7000"]', 'data-pid'));
    type Point = { t: number; totalCommands: number };
    const points = async () => page.evaluate((pid) => {
      const s = (window as unknown as { halab: { session: { metrics: { series: Map<number, { points: Point[] }> } } } }).halab.session;
      return (s.metrics.series.get(pid)?.points ?? []).map((p) => ({ t: p.t / 1000, totalCommands: p.totalCommands }));
    }, pid);
    await waitFor(async () => (await points()).some((p) => Math.abs(p.t - end) < 1e-6), 'a sample at the end of the forward');
    const all = await points();
    const last = all.find((p) => Math.abs(p.t - end) < 1e-6)!;
    // The replicas' REPLCONF ACK every second are commands: 20 s later the master has processed
    // more than at any time before.
    const before = all.filter((p) => p.t < end - 1);
    expect(before.length).toBeGreaterThan(0);
    for (const p of before) expect(p.totalCommands, `sample at ${p.t} s`).toBeLessThan(last.totalCommands);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a prediction's question shows its `code` as code, not backticks", async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?lesson=b2-bind-and-auth`);
    const legend = page.locator('.predict legend').first();
    await legend.waitFor();
    expect(await legend.innerText()).not.toContain('`');
    expect(await legend.locator('code').first().innerText()).toBe('redis-cli -h 192.168.31.187 PING');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a host's terminal behind a tab not yet opened prints its first prompt on one line", async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="6379"]`);
    // redis02's terminal was made (and its prompt printed) while its tab was hidden.
    await page.click('[data-terminal-tab="redis02"]');
    const firstRows = () => page.evaluate(() => Array.from(document.querySelectorAll('.term[data-host="redis02"] .xterm-rows > div')).slice(0, 2).map((r) => r.textContent?.trimEnd()));
    expect(await firstRows()).toEqual(['root@redis02:~#', '']);
    await typeInTerminal(page, 'redis02', 'echo one-line');
    await waitForTerminal(page, 'redis02', /^root@redis02:~# echo one-line\s*\none-line\s*\nroot@redis02:~#/);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('restores the workspace on reload, shares it as a link, and works offline', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    await typeInTerminal(page, 'redis-1', 'echo before-reload');
    await waitForTerminal(page, 'redis-1', /before-reload\s*\n.*root@redis-1:~#/);
    await page.click('.proc[data-port="7002"]');
    await page.click('.menu [data-action="kill9"]');
    await page.waitForSelector('.proc.ghost');
    await page.waitForTimeout(2500); // the workspace is saved every 2 s

    // Reload: the world is rebuilt by replaying the recorded inputs on the same seed.
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"]');
    await page.waitForSelector('[data-testid="notice"]');
    expect(await page.textContent('[data-testid="notice"]')).toContain('Workspace restored');
    await waitForTerminal(page, 'redis-1', 'before-reload');
    await waitForServers(page, [7000, 7001]);
    expect(await page.locator('.proc[data-port="7002"]').count()).toBe(0);

    // The same experiment as a link, opened in a fresh browser profile.
    await page.click('[data-side-tab="about"]');
    await page.click('[data-action="copy-link"]');
    const link = await page.inputValue('[data-testid="experiment-link"]');
    expect(link).toMatch(/\?preset=master-replicas#x=/);
    const other = await served.browser.newContext({ viewport: VIEWPORT });
    const { page: page2, errors: errors2 } = await openPage(other, link);
    await waitForTerminal(page2, 'redis-1', 'before-reload');
    await waitForServers(page2, [7000, 7001]);
    expect(await page2.locator('.proc[data-port="7002"]').count()).toBe(0);
    expect(errors2).toEqual([]);
    await other.close();

    // Offline: once the service worker has cached the build, a reload works with no network.
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    // It caches the process workers, and the programs and inspection code that processes
    // placed on the page load.
    const precached = await page.evaluate(() => fetch('./sw.js').then((r) => r.text()));
    expect(precached).toMatch(/assets\/browser-worker-[\w-]+\.js/);
    expect(precached).toMatch(/assets\/programs-[\w-]+\.js/);
    expect(precached).toMatch(/assets\/control-[\w-]+\.js/);
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"]', { timeout: 30_000 });
    await waitForServers(page, [7000, 7001]);
    await typeInTerminal(page, 'redis-1', 'echo offline-ok');
    await waitForTerminal(page, 'redis-1', 'offline-ok');
    await screenshot(page, 'offline-reload');
    expect(errors).toEqual([]);

    // Still offline, move the processes onto the page: the world is replayed up to now with the
    // same seed and inputs, so the same servers and the same terminal come back, and no
    // process worker is left. Neither the paused hint nor a notice takes a row from the
    // terminal: its size is a recorded input of the world (a resize in the trace, and replayed).
    const box = (selector: string) => page.locator(selector).evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, width: r.width, height: r.height };
    });
    const termPlaying = await box('.term[data-host="redis-1"]');
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    await page.waitForSelector('[data-testid="paused-hint"]');
    expect(await box('.term[data-host="redis-1"]')).toEqual(termPlaying);
    const world = () => page.evaluate(() => {
      const w = (window as any).halab.session.world;
      return { now: w.now, hash: w.trace.hash(), count: w.trace.count, records: w.trace.recent().map((r: any) => `${r.t} ${r.host} ${r.pid} ${r.kind} ${r.detail}`) };
    });
    const paused = await world();
    await page.click('[data-side-tab="about"]');
    await page.selectOption('[data-control="process-placement"]', 'page');
    await page.waitForSelector('[data-testid="notice"]:has-text("replayed")', { timeout: 30_000 });
    await page.waitForSelector('.app[data-ready="true"]');
    await waitForServers(page, [7000, 7001]);
    await waitForTerminal(page, 'redis-1', 'offline-ok');
    await waitFor(async () => page.workers().length === 0, `no process worker (have ${page.workers().length})`);
    await screenshot(page, 'processes-on-the-page');
    // The notice hangs over the panels, clear of the terminals: showing it and dismissing it
    // leave the terminal its size.
    const termWithNotice = await box('.term[data-host="redis-1"]');
    expect(termWithNotice).toEqual(termPlaying);
    expect((await box('[data-testid="notice"]')).bottom).toBeLessThanOrEqual((await box('section.terminals')).top);
    await page.click('[data-testid="notice"] button[aria-label="dismiss"]');
    await page.waitForSelector('[data-testid="notice"]', { state: 'detached' });
    expect(await box('.term[data-host="redis-1"]')).toEqual(termWithNotice);
    // The same world: the same records, hence the same hash, and nothing after them. A new size
    // is told once it held 250 ms (the terminal controller): give one time to come.
    await page.waitForTimeout(1000);
    expect(await world()).toEqual(paused);
    await page.click('[data-action="play"]');
    await typeInTerminal(page, 'redis-1', 'echo on-the-page');
    await waitForTerminal(page, 'redis-1', 'on-the-page');
    expect(errors).toEqual([]);
    // The network really is off: anything not in the cache fails.
    expect(await page.evaluate(() => fetch(`./not-cached-${Date.now()}`).then(() => 'reached', () => 'failed'))).toBe('failed');
    await context.close();
  }, 180_000);
  it("a replica's link statechart lights its live state, and moves when its master is killed", async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    const replicaPid = Number(await page.getAttribute('.proc[data-port="7001"]', 'data-pid'));
    const chart = `[data-machine="replica-link@${replicaPid}"]`;
    await page.click('[data-side-tab="statecharts"]');
    await page.selectOption('[data-control="statechart-process"]', String(replicaPid));
    // The first full sync waits repl-diskless-sync-delay (5 s): fast-forward past it.
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    await page.fill('[data-control="forward-seconds"]', '8');
    await page.click('[data-action="forward"]');
    await page.waitForSelector(`${chart} .state[data-state="connected"][data-live="true"]`, { timeout: 30_000 });
    expect(await page.locator(`${chart} .state[data-live="true"]`).count()).toBe(1);
    await screenshot(page, 'statechart-link-connected', 'aside.side');

    await page.click('[data-action="play"]');
    await page.click('.proc[data-port="7000"]');
    await page.click('.menu [data-action="kill9"]');
    await page.waitForSelector(`${chart} .state[data-state="connected"][data-live="false"]`, { timeout: 20_000 });
    // The link retries (connecting → connection refused → connect → connecting...), and the
    // transition it took last is the one animated: it ends in the live state.
    const live = await page.getAttribute(chart, 'data-live');
    expect(['connect', 'connecting']).toContain(live);
    const animated = await page.getAttribute(`${chart} path.edge.last`, 'data-edge');
    expect(animated).toMatch(/^(connected|connect|connecting)>(connect|connecting)$/);
    expect(await page.textContent(`[data-machine-state="replica-link@${replicaPid}"]`)).toMatch(/last transition: (connected|connect|connecting) → connect/);
    await screenshot(page, 'statechart-link-after-kill', 'aside.side');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('the cluster preset boots six nodes that report cluster_state:ok, with their failure detectors', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=cluster-6&fresh=1`);
    for (const h of ['node1', 'node2', 'node3']) for (const port of [7000, 7001]) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="${port}"]`);
    await waitFor(async () => (await page.locator('.proc[data-cluster-state="ok"]').count()) === 6, 'six nodes with cluster_state:ok', 40_000);
    // One replica per master (CLUSTER REPLICATE from redis-cli --cluster create).
    await waitFor(async () => (await page.locator('.proc[data-role="master"]').count()) === 3 && (await page.locator('.proc[data-role="slave"]').count()) === 3, 'three masters and three replicas', 40_000);
    await typeInTerminal(page, 'node1', 'redis-cli -p 7000 cluster info | head -3');
    const out = await waitForTerminal(page, 'node1', /cluster_slots_assigned:16384/);
    expect(out).toContain('cluster_state:ok');
    await screenshot(page, 'cluster-topology', 'section.topology');
    const pid = Number(await page.getAttribute('.host[data-host="node1"] .proc[data-port="7000"]', 'data-pid'));
    await page.click('[data-side-tab="statecharts"]');
    await page.selectOption('[data-control="statechart-process"]', String(pid));
    // Node 1 watches the five other nodes, all reachable.
    await page.waitForSelector(`[data-machine="cluster-failure-detector@${pid}"] .state[data-state="reachable"][data-live="true"]`);
    expect(await page.getAttribute(`[data-machine="cluster-failure-detector@${pid}"] .state[data-state="reachable"] .count-text`, 'data-count')).toBe('5');
    expect(await page.locator(`[data-tags="cluster-failure-detector@${pid}"] [data-tag-state="reachable"]`).innerText()).toMatch(/^reachable: (10\.0\.0\.\d:700\d, ){4}10\.0\.0\.\d:700\d$/);
    await screenshot(page, 'statechart-cluster-failure-detector', 'aside.side');
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);

  it('plots acknowledged vs lost writes of a load generator when the master restarts empty', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    await typeInTerminal(page, 'redis-1', 'halab-loadgen --target 127.0.0.1:7000 --rate 50 &');
    await page.click('[data-side-tab="plots"]');
    const totals = '[data-testid="loadgen-totals"]';
    await page.waitForSelector(totals);
    await waitFor(async () => Number(await page.getAttribute(totals, 'data-acked')) >= 100, '100 acknowledged writes', 30_000);
    expect(Number(await page.getAttribute(totals, 'data-lost'))).toBe(0);
    // kill -9 and start again: nothing was saved (no save point was reached), the writes are gone.
    await page.click('.proc[data-port="7000"]');
    await page.click('.menu [data-action="kill9"]');
    await page.click('.proc.ghost[data-ghost="redis-server /etc/redis/7000.conf"]');
    await page.click('.menu [data-action="start"]');
    await waitFor(async () => Number(await page.getAttribute(totals, 'data-lost')) > 0, 'lost writes counted', 30_000);
    const acked = Number(await page.getAttribute(totals, 'data-acked'));
    const lost = Number(await page.getAttribute(totals, 'data-lost'));
    expect(acked).toBeGreaterThanOrEqual(100);
    // At most one lost write per key, never more than were acknowledged.
    expect(lost).toBeLessThanOrEqual(acked);
    await page.waitForSelector('svg[data-plot="ackedLost"] path[data-line^="lost"]');
    expect(await page.locator(totals).innerText()).toMatch(/\d+ acknowledged · \d+ lost · \d+ errors/);
    await screenshot(page, 'panel-plots-acked-lost', 'aside.side');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('says how fast the world really runs when it cannot keep up with the chosen speed', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, served.url);
    await waitForServers(page, [7000, 7001, 7002]);
    const achieved = '[data-testid="achieved-speed"]';
    // An idle world keeps up with real time (measured over the last 2 s of wall time, so the
    // start-up is behind us after 5 s).
    await page.waitForTimeout(5000);
    const achievedSpeed = () => page.evaluate(() => (window as unknown as { halab: { session: { achievedSpeed: number | null } } }).halab.session.achievedSpeed);
    expect(await achievedSpeed()).toBeGreaterThan(0.9);
    expect(await page.locator(achieved).count()).toBe(0);
    // 10 clients sending back to back: every request and reply is a round, far more than 100x
    // of real time allows.
    await typeInTerminal(page, 'redis-1', 'redis-benchmark -p 7000 -q -t set -n 100000000 -c 10 &');
    await page.selectOption('[data-control="speed"]', '100');
    await page.waitForSelector(achieved, { timeout: 20_000 });
    const text = await page.locator(achieved).innerText();
    const x = Number(/running at ([\d.]+)x/.exec(text)?.[1]);
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(80);
    await screenshot(page, 'time-controls-lagging', '.time');
    // (Even 0.1x is too fast for clients at full tilt: each request is a round.) Without them,
    // at 1x, it keeps up again and says nothing. The kill takes a few rounds, which a machine
    // busy with other work may make slow.
    await typeInTerminal(page, 'redis-1', 'pkill redis-benchmark');
    await waitForTerminal(page, 'redis-1', /pkill redis-benchmark\s*\n(.*\n)*.*root@redis-1:~#/, 60_000);
    await page.selectOption('[data-control="speed"]', '1');
    // The clock goes on at 1x at once: the 100x slice in flight stops short of its target instead
    // of jumping the clock ahead for the wall clock to catch up with.
    const worldNow = () => page.evaluate(() => (window as unknown as { halab: { session: { world: { now: number } } } }).halab.session.world.now);
    const v0 = await worldNow();
    await page.waitForTimeout(1500);
    expect(await worldNow()).toBeGreaterThan(v0 + 500);
    await waitFor(async () => ((await achievedSpeed()) ?? 0) > 0.9, 'the world to keep up at 1x', 30_000);
    expect(await page.locator(achieved).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a progress bar on the processes while a big full sync runs', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=empty&fresh=1`);
    await typeInTerminal(page, 'host-1', 'redis-server --port 7005 --save "" --enable-debug-command yes --repl-diskless-sync no &');
    await page.waitForSelector('.proc[data-port="7005"]');
    await typeInTerminal(page, 'host-1', 'redis-cli -p 7005 debug populate 200000 key 100');
    await waitForTerminal(page, 'host-1', /debug populate 200000 key 100\s*\nOK/, 60_000);
    // A 10 MB/s loopback, so the ~24 MB RDB takes a few seconds of virtual time.
    await page.evaluate(() => (window as unknown as { halab: { session: { setLink(a: string, b: string, p: object): void } } }).halab.session.setLink('host-1', 'host-1', { bandwidthBps: 80e6 }));
    await typeInTerminal(page, 'host-1', 'redis-server --port 7006 --save "" --replicaof 127.0.0.1 7005 &');
    const bar = '.proc .progress[data-progress="sync-receive"], .proc .progress[data-progress="sync-send"]';
    await page.waitForSelector(bar, { timeout: 60_000 });
    await waitFor(async () => {
      const f = await page.locator('.proc .progress[data-progress="sync-receive"]').first().getAttribute('data-fraction', { timeout: 500 }).catch(() => null);
      return f !== null && f !== '' && Number(f) > 0 && Number(f) < 1;
    }, 'a partly received RDB', 60_000);
    await screenshot(page, 'progress-full-sync', 'section.topology');
    // The inspector shows the same work with its numbers.
    await page.click('.proc[data-port="7006"]');
    await page.click('.menu [data-action="inspect"]');
    await page.waitForSelector('[data-work="sync-receive"], .proc[data-port="7006"][data-role="slave"]');
    // Then the sync ends and the bars go away.
    await page.waitForSelector(bar, { state: 'detached', timeout: 60_000 });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
  it('a long rewind with the processes on the page shows its progress while the page stays alive', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1&processes=page`);
    await page.waitForSelector('.host[data-host="redis01"] .proc[data-port="6379"]');
    await page.click('[data-action="pause"]');
    await page.evaluate(() => (window as unknown as { halab: { session: { world: { advance(ms: number): Promise<void> } } } }).halab.session.world.advance(900_000));
    // A rewind re-runs the 15 minutes from the start: the page repaints meanwhile, and the
    // status counts up.
    await page.fill('[data-control="rewind-seconds"]', '890');
    await page.click('[data-action="rewind"]');
    const seen = new Set<number>();
    while ((await page.locator('[data-testid="busy"]').count()) > 0) {
      const text = await page.locator('[data-testid="busy"]').innerText({ timeout: 1000 }).catch(() => '');
      const m = /rewinding…\s*(\d+)\s*%/.exec(text);
      if (m) seen.add(Number(m[1]));
      await page.waitForTimeout(20);
    }
    expect([...seen].filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(2);
    await page.waitForSelector('[data-testid="virtual-time"]:has-text("t = 890.000 s")');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("vi and crontab -e open the page's editor: Save writes the file, Quit leaves it as it was", async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await waitForServers(page, [7000]);
    const editor = '[data-testid="file-editor"]';
    const text = '[data-control="file-editor-text"]';
    await typeInTerminal(page, 'redis-1', 'echo "port 7000" > /tmp/app.conf');
    await typeInTerminal(page, 'redis-1', 'vi /tmp/app.conf');
    await page.waitForSelector(`${editor}[data-path="/tmp/app.conf"]`);
    expect(await page.inputValue(text)).toBe('port 7000\n');
    await page.fill(text, 'port 7000\nmaxmemory 100mb\n');
    await screenshot(page, 'file-editor');
    await page.click('[data-action="editor-save"]');
    await page.waitForSelector(editor, { state: 'detached' });
    await typeInTerminal(page, 'redis-1', 'cat /tmp/app.conf');
    await waitForTerminal(page, 'redis-1', /cat \/tmp\/app.conf\s*\nport 7000\s*\nmaxmemory 100mb\s*\n/);
    await typeInTerminal(page, 'redis-1', 'vi /tmp/app.conf');
    await page.waitForSelector(editor);
    await page.fill(text, 'nothing\n');
    await page.click('[data-action="editor-quit"]');
    await page.waitForSelector(editor, { state: 'detached' });
    await typeInTerminal(page, 'redis-1', 'wc -l < /tmp/app.conf');
    await waitForTerminal(page, 'redis-1', /wc -l < \/tmp\/app.conf\s*\n2\s*\n/);
    // crontab -e, saved with Ctrl+S.
    await typeInTerminal(page, 'redis-1', 'crontab -e');
    await page.waitForSelector(`${editor}[data-path="/tmp/crontab.root"]`);
    await page.fill(text, '0 * * * * redis-cli -p 7000 BGSAVE\n');
    await page.press(text, 'Control+s');
    await waitForTerminal(page, 'redis-1', 'crontab: installing new crontab');
    await typeInTerminal(page, 'redis-1', 'crontab -l');
    await waitForTerminal(page, 'redis-1', /crontab -l\s*\n0 \* \* \* \* redis-cli -p 7000 BGSAVE/);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("draws a sentinel's view of every instance and its failover machine", async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    await page.waitForSelector('.host[data-host="redis02"] .proc[data-port="26379"][data-role="sentinel"]', { timeout: 30_000 });
    const pid = Number(await page.getAttribute('.host[data-host="redis02"] .proc[data-port="26379"]', 'data-pid'));
    await page.click('[data-side-tab="statecharts"]');
    await page.selectOption('[data-control="statechart-process"]', String(pid));
    await page.waitForSelector(`[data-machine="sentinel-failover@${pid}"] .state[data-state="none"][data-live="true"]`);
    // Discovery (hello messages every 2 s) finds the two replicas and the two other sentinels.
    await waitFor(async () => (await page.getAttribute(`[data-machine="sentinel-instance@${pid}"] .state[data-state="up"] .count-text`, 'data-count', { timeout: 500 }).catch(() => null)) === '5', 'five instances up', 40_000);
    await screenshot(page, 'statechart-sentinel', 'aside.side');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('exports the experiment to a file and imports it in a fresh page (Chinese UI: the import button speaks it)', async () => {
    const first = await served.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    const { page, errors } = await openPage(first, `${served.url}?lang=zh&fresh=1`);
    await waitForServers(page, [7000]);
    await typeInTerminal(page, 'redis-1', 'redis-cli -p 7000 set exported yes');
    await waitForTerminal(page, 'redis-1', 'OK');
    await page.click('[data-side-tab="about"]');
    // The button is our label (the browser's own file button would say "Choose File" in the
    // browser's language); the input is there for the keyboard, out of sight.
    expect((await page.textContent('label:has([data-control="import"])'))?.trim()).toBe('导入实验');
    const input = (await page.locator('[data-control="import"]').boundingBox())!;
    expect(input.width).toBeLessThanOrEqual(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export-file"]')]);
    const exported = { name: download.suggestedFilename(), mimeType: 'application/json', buffer: readFileSync(await download.path()) };
    expect(errors).toEqual([]);
    await first.close();

    const second = await served.browser.newContext({ viewport: VIEWPORT });
    const opened = await openPage(second, `${served.url}?lang=zh&fresh=1`);
    await waitForServers(opened.page, [7000]);
    await opened.page.click('[data-side-tab="about"]');
    await opened.page.setInputFiles('[data-control="import"]', exported);
    // The import opens the experiment as its link would: the page reloads and replays it.
    await opened.page.waitForURL(/#/, { timeout: 30_000 });
    await opened.page.waitForSelector('.app[data-ready="true"]', { timeout: 30_000 });
    await waitForServers(opened.page, [7000]);
    await typeInTerminal(opened.page, 'redis-1', 'redis-cli -p 7000 get exported');
    await waitForTerminal(opened.page, 'redis-1', '"yes"');
    expect(opened.errors).toEqual([]);
    await second.close();
  }, 120_000);
});
