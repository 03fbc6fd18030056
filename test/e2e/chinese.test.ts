/**
 * The Chinese UI is complete: the page opened in Chinese is walked through every panel and
 * menu (a sandbox with its inspector, timeline, plots and statecharts; a partition, a power-off
 * and a failover with sentinels; a cluster; a lesson autoplayed to its end; the course map; the
 * lesson editor with a solution run), and at each stop every text it shows or says (text,
 * tooltips, accessible names, placeholders, options) is searched for English words that are
 * not technical terms (./untranslated.ts). A new label without its Chinese fails here.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, typeInTerminal, useServedBrowser, waitForTerminal } from './browser';
import { findUntranslated, worldNames, type Untranslated } from './untranslated';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

const VIEWPORT = { width: 1400, height: 900 };

/** Collects what each stop of a walk leaves in English. */
class Walk {
  readonly found: (Untranslated & { stop: string })[] = [];
  constructor(private readonly page: Page) {}
  async scan(stop: string): Promise<void> {
    const names = await worldNames(this.page);
    for (const u of await findUntranslated(this.page, names)) this.found.push({ stop, ...u });
  }
  /** One line per distinct finding, at the first stop it was seen (a label stays on screen across stops). */
  report(): string[] {
    const first = new Map<string, string>();
    for (const f of this.found) {
      const what = `${f.where.replace(/\.svelte-\w+/g, '')}: ${f.words.join(' | ')} — "${f.text}"`;
      if (!first.has(what)) first.set(what, `[${f.stop}] ${what}`);
    }
    return [...first.values()];
  }
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function paused(page: Page): Promise<void> {
  await page.click('[data-action="pause"]');
  await page.waitForSelector('.time[data-time-state="paused"]');
}

suite('the Chinese UI in Chromium', () => {
  const served = useServedBrowser();

  it('the sandbox: every panel, menu, message and time control speaks Chinese', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?lang=zh&fresh=1`);
    const walk = new Walk(page);
    await page.waitForSelector('.proc[data-port="7002"][data-role="slave"]', { timeout: 30_000 });
    await walk.scan('world');
    const title = await page.title();

    // Keys (one with a TTL), an AOF next to the RDB, a snapshot, and a load generator.
    for (const line of ['redis-cli -p 7000 set a 1', 'redis-cli -p 7000 set b 2 ex 100', 'redis-cli -p 7000 config set appendonly yes']) {
      await typeInTerminal(page, 'redis-1', line);
      await waitForTerminal(page, 'redis-1', new RegExp(`${line}\\s*\\nOK`));
    }
    await typeInTerminal(page, 'redis-1', 'redis-cli -p 7000 bgsave');
    await waitForTerminal(page, 'redis-1', 'Background saving started');
    await typeInTerminal(page, 'redis-1', 'halab-loadgen --target 127.0.0.1:7000 --rate 20 &');

    await page.click('.proc[data-port="7000"]');
    await page.waitForSelector('.menu [data-action="inspect"]');
    await walk.scan('process menu');
    await page.click('.menu [data-action="inspect"]');
    await page.locator('section.inspector tr', { hasText: 'tcp_port' }).first().waitFor();
    await walk.scan('inspector: INFO');
    await page.click('[data-inspector-tab="keys"]');
    await page.waitForSelector('[data-testid="keyspace"] tbody tr');
    await walk.scan('inspector: keyspace');
    await page.click('[data-inspector-tab="files"]');
    await waitFor(async () => (await page.locator('[data-file$=".incr.aof"]').count()) > 0, 'the AOF in the file list');
    await walk.scan('inspector: files');
    for (const [file, kind] of [['/etc/redis/7000.conf', 'text'], ['/var/redis/7000/dump.rdb', 'rdb']]) {
      await page.click(`[data-file="${file}"]`);
      await page.waitForSelector(`.fileview[data-file-kind="${kind}"]`);
      await walk.scan(`inspector: ${file}`);
    }
    await page.click('[data-file$=".incr.aof"]');
    await page.waitForSelector('.fileview[data-file-kind="aof"]');
    await walk.scan('inspector: AOF');
    await page.click('[data-inspector-tab="log"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="log"]')?.textContent?.includes('Ready to accept connections'));
    await walk.scan('inspector: log');
    await screenshot(page, 'zh-inspector-rdb', 'aside.side');

    await page.click('[data-side-tab="timeline"]');
    await page.locator('[data-testid="timeline-events"] li').first().waitFor();
    await walk.scan('timeline: events');
    await page.click('[data-timeline-view="messages"]');
    await page.waitForSelector('svg.lamport');
    await walk.scan('timeline: messages');
    await page.click('[data-side-tab="plots"]');
    await page.waitForSelector('[data-testid="loadgen-totals"]');
    await walk.scan('plots');
    await page.click('[data-side-tab="statecharts"]');
    await page.waitForSelector('[data-machine^="replica-link@"]');
    await walk.scan('statecharts');

    // Importing what is not an experiment.
    await page.click('[data-side-tab="about"]');
    await page.setInputFiles('[data-control="import"]', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
    await page.waitForSelector('.world .msg');
    await walk.scan('import: not JSON');
    await page.setInputFiles('[data-control="import"]', { name: 'y.json', mimeType: 'application/json', buffer: Buffer.from('{"format": 1}') });
    await page.waitForSelector('.world .msg:has-text("halab-experiment")');
    await walk.scan('import: not an experiment');

    // The host's and a link's menus; frozen, killed and stopped processes; the text view.
    await page.click('[data-host-header="redis-1"]');
    await page.waitForSelector('.menu [data-action="power-off"]');
    await walk.scan('host menu');
    await page.keyboard.press('Escape');
    await page.locator('.conn-hit').first().click({ force: true });
    await page.waitForSelector('.menu [data-action^="latency-"]');
    await walk.scan('link menu');
    await page.keyboard.press('Escape');
    await page.click('.proc[data-port="7002"]');
    await page.click('.menu [data-action="sigstop"]');
    await page.waitForSelector('.proc[data-port="7002"][data-frozen="true"]');
    await page.click('.proc[data-port="7001"]');
    await page.click('.menu [data-action="kill9"]');
    await page.click('.proc.ghost[data-ghost="redis-server /etc/redis/7001.conf"]');
    await page.waitForSelector('.menu [data-action="start"]');
    await walk.scan('stopped process menu');
    await page.keyboard.press('Escape');
    await page.click('section.topology .toolbar button[aria-pressed]');
    await walk.scan('topology text view');
    await screenshot(page, 'zh-topology', 'section.topology');

    // The clock: paused, a fast-forward, a rewind (their busy notes when caught showing).
    await paused(page);
    await walk.scan('paused');
    await page.fill('[data-control="forward-seconds"]', '5');
    await page.click('[data-action="forward"]');
    if (await page.locator('[data-testid="busy"]').count()) await walk.scan('fast-forwarding');
    await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 60_000 });
    await page.fill('[data-control="rewind-seconds"]', '3');
    await page.click('[data-action="rewind"]');
    if (await page.locator('[data-testid="busy"]').count()) await walk.scan('rewinding');
    await page.waitForSelector('[data-testid="virtual-time"]:has-text("t = 3.000 s")', { timeout: 60_000 });
    await page.waitForSelector('.time[data-time-state="paused"]');
    await walk.scan('after the rewind');

    // vi opens the page's editor; the recorder records.
    await page.click('[data-action="play"]');
    await typeInTerminal(page, 'redis-1', 'vi /tmp/app.conf');
    await page.waitForSelector('[data-testid="file-editor"]');
    await walk.scan('file editor');
    await page.click('[data-action="editor-quit"]');
    await page.waitForSelector('[data-testid="file-editor"]', { state: 'detached' });
    await page.click('[data-action="record-start"]');
    await page.waitForSelector('.recorder[data-recording="true"]');
    await walk.scan('recording');

    // A reload restores the workspace, and says so.
    await page.goto(`${served.url}?lang=zh`);
    await page.waitForSelector('.app[data-ready="true"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="notice"]');
    await walk.scan('workspace restored');

    expect(walk.report()).toEqual([]);
    expect(title).toBe('HA Lab — 动手学习 Redis 高可用');
    expect(await page.textContent('[data-testid="notice"]')).toMatch(/^已恢复工作区（t = [\d.]+ s，\d+ 个输入）/);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('sentinels: a partition, a power-off and a failover, in Chinese', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?lang=zh&fresh=1&preset=three-hosts-sentinels`);
    const walk = new Walk(page);
    await page.waitForSelector('.host[data-host="redis02"] .proc[data-port="26379"][data-role="sentinel"]', { timeout: 30_000 });
    const from = (await page.locator('[data-host-header="redis01"]').boundingBox())!;
    const to = (await page.locator('[data-host-header="redis02"]').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 40, from.y + 30, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector('[data-cut="redis01|redis02"]');
    await walk.scan('partition');
    await page.click('[data-host-header="redis01"]');
    await page.click('.menu [data-action="link-redis02"]');
    await page.waitForSelector('.menu [data-action="loss-10"]');
    await walk.scan('link menu between hosts');
    await page.keyboard.press('Escape');
    await page.click('[data-cut="redis01|redis02"]');
    await page.click('[data-host-header="redis03"]');
    await page.click('.menu [data-action="power-off"]');
    await page.waitForSelector('.host.down[data-host="redis03"]');
    await walk.scan('powered off');

    await page.click('.host[data-host="redis01"] .proc[data-port="6379"]');
    await page.click('.menu [data-action="kill9"]');
    await paused(page);
    await page.fill('[data-control="forward-seconds"]', '60');
    await page.click('[data-action="forward"]');
    await page.waitForSelector('.host[data-host="redis02"] .proc[data-port="6379"][data-role="master"]', { timeout: 90_000 });
    await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 90_000 });
    await page.click('[data-side-tab="timeline"]');
    await page.locator('[data-testid="timeline-events"] li', { hasText: '+switch-master' }).first().waitFor({ timeout: 30_000 });
    await walk.scan('failover timeline');
    const pid = (await page.getAttribute('.host[data-host="redis02"] .proc[data-port="26379"]', 'data-pid'))!;
    await page.click('[data-side-tab="statecharts"]');
    await page.selectOption('[data-control="statechart-process"]', pid);
    await page.waitForSelector(`[data-machine="sentinel-instance@${pid}"]`);
    await walk.scan('sentinel statecharts');
    await screenshot(page, 'zh-sentinel-statecharts', 'aside.side');
    await page.click('.host[data-host="redis02"] .proc[data-port="26379"]');
    await page.click('.menu [data-action="inspect"]');
    await page.locator('section.inspector tr', { hasText: 'sentinel_masters' }).first().waitFor();
    await walk.scan('sentinel inspector');

    expect(walk.report()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a cluster: the inspector and the failure detectors, in Chinese', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?lang=zh&fresh=1&preset=cluster-6`);
    const walk = new Walk(page);
    await waitFor(async () => (await page.locator('.proc[data-cluster-state="ok"]').count()) === 6, 'six nodes with cluster_state:ok', 90_000);
    await walk.scan('cluster');
    await page.click('.host[data-host="node1"] .proc[data-port="7000"]');
    await page.click('.menu [data-action="inspect"]');
    await page.waitForSelector('section.inspector [data-cluster-state="ok"]');
    await walk.scan('cluster inspector');
    const facts = await page.textContent('section.inspector .facts');
    await page.click('[data-side-tab="statecharts"]');
    await page.waitForSelector('[data-machine^="cluster-failure-detector@"]');
    await walk.scan('cluster statecharts');

    expect(walk.report()).toEqual([]);
    expect(facts).toMatch(/cluster_state:ok，6 个节点，3 个分片/);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('a lesson autoplayed to its end, the course map and the lesson editor, in Chinese', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?lang=zh&fresh=1&lesson=a0-first-steps&autoplay=1`);
    const walk = new Walk(page);
    await page.waitForSelector('.lesson[data-lesson-status="running"]');
    await walk.scan('lesson running');
    await page.waitForSelector('.lesson[data-lesson-status="complete"], .lesson[data-lesson-status="failed"]', { timeout: 180_000 });
    expect(await page.getAttribute('.lesson', 'data-lesson-status')).toBe('complete');
    await walk.scan('lesson complete');

    await page.goto(`${served.url}?lang=zh&view=course`);
    await page.waitForSelector('[data-course-ready="true"]');
    await walk.scan('course map');

    await page.goto(`${served.url}?lang=zh&view=editor`);
    await page.waitForSelector('[data-editor-ready="true"][data-valid="true"]');
    await walk.scan('editor');
    await page.fill('[data-control="editor-import-url"]', 'ftp://example.com/lesson.md');
    await page.click('.toolbar form button[type="submit"]');
    await page.waitForSelector('[data-testid="editor-notice"]');
    await walk.scan('editor: a link it cannot import');
    await page.click('[data-action="editor-run"]');
    await page.waitForSelector('[data-run-status="passed"], [data-run-status="failed"]', { timeout: 120_000 });
    await walk.scan('editor: solution run');
    await screenshot(page, 'zh-editor-run');

    expect(walk.report()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
