/**
 * The terminal's size in real Chromium (Debian's, playwright-core) on the production build. A
 * terminal's rows and columns are an input of the simulated world (a recorded `resize`: `ls`
 * and `ps` lay out to the width, replays and placement switches compare the inputs), so its box
 * may depend only on the window and on what the user does to the panels: never on what the
 * page shows while the world runs (a header that wraps, the error box, a notice, the clock's
 * notes). A notice never covers a control. A window dragged to a new size over many frames is
 * told to the world once, at its final size. Screenshots go to test-results/screenshots/.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, useServedBrowser } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

interface Box { left: number; top: number; width: number; height: number }

async function termBox(page: Page, host: string): Promise<Box> {
  return page.locator(`.term[data-host="${host}"]`).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
}

/** The box of the terminal pane shown (the active tab's). */
async function shownBox(page: Page): Promise<Box> {
  return page.locator('section.terminals .term:not([hidden])').evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
}

interface Resize { columns: number; lines: number }

/** The world's recorded resize inputs, oldest first. */
async function resizes(page: Page): Promise<Resize[]> {
  return page.evaluate(() => {
    const w = (window as unknown as { halab: { session: { world: { recordedInputs(): { input: { kind: string; columns?: number; lines?: number } }[] } } } }).halab.session.world;
    return w.recordedInputs().filter((r) => r.input.kind === 'resize').map((r) => ({ columns: r.input.columns!, lines: r.input.lines! }));
  });
}

/**
 * Until the terminal's fitted size has been told to the world: its first resize is recorded,
 * then longer than the terminal controller's 250 ms settling time passes with nothing new.
 */
async function settled(page: Page): Promise<Resize[]> {
  await page.waitForFunction(() => (window as unknown as { halab: { session: { world: { recordedInputs(): { input: { kind: string } }[] } } } }).halab.session.world.recordedInputs().some((r) => r.input.kind === 'resize'), undefined, { timeout: 20_000 });
  let last = await resizes(page);
  for (;;) {
    await page.waitForTimeout(600);
    const now = await resizes(page);
    if (now.length === last.length) return now;
    last = now;
  }
}

/** An experiment link's `#x=` value for `value` (JSON, raw deflate, base64url: link-data.ts). */
function linkData(value: unknown): string {
  return deflateRawSync(Buffer.from(JSON.stringify(value))).toString('base64url');
}

/**
 * The page's controls (buttons, fields, links, tabs, the topology's focusable hosts and
 * processes) whose box meets the notice's, the notice's own dismiss button aside, and which
 * of them something else is drawn over at their centre.
 */
async function coveredByNotice(page: Page): Promise<{ meeting: string[]; hidden: string[] }> {
  return page.evaluate(() => {
    const notice = document.querySelector('[data-testid="notice"]')!;
    const n = notice.getBoundingClientRect();
    const name = (e: Element) => `${e.tagName.toLowerCase()}[${e.getAttribute('data-action') ?? e.getAttribute('data-side-tab') ?? e.getAttribute('data-control') ?? e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 20)}]`;
    const controls = [...document.querySelectorAll('button, select, input, textarea, a[href], [role="tab"], [tabindex]:not([tabindex="-1"])')]
      .filter((e) => !notice.contains(e) && !e.closest('.xterm'))
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight);
    const meeting = controls.filter(({ r }) => r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom).map(({ e }) => name(e));
    const hidden = controls.filter(({ r }) => {
      const at = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      return at !== null && notice.contains(at);
    }).map(({ e }) => name(e));
    return { meeting, hidden };
  });
}

suite('terminal size in Chromium', () => {
  const served = useServedBrowser();

  for (const width of [800, 1280]) {
    it(`a long notice at ${width} px covers no control, and coming and going leaves the terminal its box`, async () => {
      const context = await served.browser.newContext({ viewport: { width, height: 800 } });
      // A link to something that is no experiment: the notice lists every problem, a long line.
      const { page, errors } = await openPage(context, `${served.url}?fresh=1#x=${linkData({ note: 'not an experiment' })}`);
      await page.waitForSelector('.proc[data-port="7000"]');
      await page.waitForSelector('[data-testid="notice"]:has-text("could not be opened")');
      const told = await settled(page);
      const withNotice = await termBox(page, 'redis-1');
      expect(await coveredByNotice(page), `${width} px`).toEqual({ meeting: [], hidden: [] });
      // The topology's text view in particular: the notice used to hang over it at 800 px.
      const textView = page.locator('section.topology .toolbar button[aria-pressed]');
      await textView.click({ trial: true, timeout: 2000 });
      await screenshot(page, `notice-long-${width}`);
      await page.click('[data-testid="notice"] button[data-action="dismiss"]');
      await page.waitForSelector('[data-testid="notice"]', { state: 'detached' });
      expect(await termBox(page, 'redis-1')).toEqual(withNotice);
      // Nothing new told to the world.
      await page.waitForTimeout(600);
      expect(await resizes(page)).toEqual(told);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it("recording (at 800 px) and a fast-forward's busy note (at 1024 px) never change the terminal's box, nor record a resize", async () => {
    // (They used to give the header another row; header.test.ts checks it keeps its height.
    // The terminal's box must not depend on it either way.)
    const context = await served.browser.newContext({ viewport: { width: 800, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    let told = await settled(page);

    const at800 = await termBox(page, 'redis-1');
    await page.click('[data-action="record-start"]');
    await page.waitForSelector('[data-action="record-stop"]');
    expect(await termBox(page, 'redis-1')).toEqual(at800);
    await screenshot(page, 'terminal-size-recording-800');
    await page.waitForTimeout(600);
    expect(await resizes(page)).toEqual(told);

    // 1024 px, still recording: fast-forwarding, the busy note takes the wall clock's place.
    await page.setViewportSize({ width: 1024, height: 800 });
    told = await settled(page);
    const at1024 = await termBox(page, 'redis-1');
    await page.fill('[data-control="forward-seconds"]', '120');
    await page.click('[data-action="forward"]');
    await page.waitForSelector('[data-testid="busy"]');
    const busy = await termBox(page, 'redis-1');
    await screenshot(page, 'terminal-size-busy-1024');
    await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 60_000 });
    expect(busy).toEqual(at1024);
    expect(await termBox(page, 'redis-1')).toEqual(at1024);
    // Nothing told to the world since the window took this size.
    await page.waitForTimeout(600);
    expect(await resizes(page)).toEqual(told);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("a workspace that fails to replay says so (not that it was restored), and its error box goes with the next world, which keeps its terminal's box", async () => {
    const viewport = { width: 1280, height: 800 };
    // The size a terminal of the sentinel preset gets on a page with nothing else shown.
    const plain = await served.browser.newContext({ viewport });
    const clean = await openPage(plain, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    await clean.page.waitForSelector('.term[data-host="redis01"]');
    const expected = await termBox(clean.page, 'redis01');
    await plain.close();

    // A link to a master-replicas experiment whose one input powers off a host the world has
    // not: replaying it throws, and the page shows the error.
    const context = await served.browser.newContext({ viewport });
    const failing = linkData({
      format: 'halab-experiment', version: 1, source: { kind: 'preset', id: 'master-replicas' }, seed: 7000,
      inputs: [{ t: 1000, input: { kind: 'power-off', host: 'no-such-host' } }], untilMs: 2000,
    });
    // (Not openPage: the page never says it is ready, its world did not start.)
    const page = await context.newPage();
    await page.goto(`${served.url}?preset=master-replicas&fresh=1#x=${failing}`);
    await page.waitForSelector('.fatal[role="alert"]:has-text("no such host")');
    await screenshot(page, 'terminal-size-error');
    // The page says the workspace could not be restored, and why; not that it was (the notice
    // used to be set before the replay ran).
    expect(await page.locator('[data-testid="notice"]').count()).toBe(0);
    expect(await page.locator('.fatal').innerText()).toMatch(/^The workspace could not be restored \(t = 2\.0 s, 1 inputs\)\. Reset \(World tab\) starts this world afresh\.\n(.*\n)*.*no such host/);
    // Another world: it starts, its terminal gets the window's size, the old error goes.
    await page.selectOption('[data-control="preset"]', 'three-hosts-sentinels');
    await page.waitForSelector('.term[data-host="redis01"]');
    await page.waitForSelector('.app[data-ready="true"]');
    expect(await page.locator('.fatal').count()).toBe(0);
    expect(await termBox(page, 'redis01')).toEqual(expected);
    await context.close();

    // The same in Chinese.
    const zh = await served.browser.newContext({ viewport });
    const zhPage = await zh.newPage();
    await zhPage.goto(`${served.url}?preset=master-replicas&fresh=1&lang=zh#x=${failing}`);
    await zhPage.waitForSelector('.fatal[role="alert"]:has-text("no such host")');
    expect(await zhPage.locator('[data-testid="notice"]').count()).toBe(0);
    expect(await zhPage.locator('.fatal').innerText()).toMatch(/^无法恢复工作区（t = 2\.0 s，1 个输入）。点“世界”标签页中的“重置”可以从头开始这个世界。\n/);
    await zh.close();
  }, 60_000);

  for (const lang of ['en', 'zh']) {
    it(`more terminal tabs than the row holds (${lang}): the row scrolls, never wider than the panel nor taller, the active tab in view`, async () => {
      // 480 px: the three hosts' tabs in a 160 px panel. Then 1280 px with nine more terminals.
      const context = await served.browser.newContext({ viewport: { width: 480, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1&lang=${lang}`);
      await page.waitForSelector('.term[data-host="redis01"]');
      await page.click('[data-action="pause"]');
      await page.waitForSelector('[data-testid="paused-hint"]');
      const row = () => page.evaluate(() => {
        const section = document.querySelector('section.terminals')!.getBoundingClientRect();
        const tabs = document.querySelector('section.terminals .tabs')!;
        const box = tabs.getBoundingClientRect();
        const active = tabs.querySelector('[aria-selected="true"]')!.getBoundingClientRect();
        const bar = document.querySelector('section.terminals .bar')!.getBoundingClientRect();
        return {
          count: tabs.querySelectorAll('[role="tab"]').length,
          scrolls: tabs.scrollWidth > tabs.clientWidth + 1,
          insidePanel: box.left >= section.left - 0.5 && box.right <= section.right + 0.5,
          activeInView: active.left >= box.left - 0.5 && active.right <= box.right + 0.5,
          barHeight: bar.height,
          pageWidth: document.documentElement.scrollWidth,
          scrollLeft: tabs.scrollLeft,
        };
      });
      const first = await row();
      expect(first).toMatchObject({ count: 3, scrolls: true, insidePanel: true, activeInView: true, pageWidth: 480 });
      const box = await shownBox(page);
      // The last tab by the keyboard (End), then round to the first (ArrowRight): each in view.
      await page.focus('section.terminals [role="tab"][aria-selected="true"]');
      await page.keyboard.press('End');
      await page.waitForSelector('[data-terminal-tab="redis03"][aria-selected="true"]');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await row()).toMatchObject({ insidePanel: true, activeInView: true, barHeight: first.barHeight });
      expect((await row()).scrollLeft).toBeGreaterThan(0);
      await screenshot(page, `terminal-tabs-480-${lang}`, 'section.terminals');
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector('[data-terminal-tab="redis01"][aria-selected="true"]');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await row()).toMatchObject({ activeInView: true, scrollLeft: 0 });
      // The wheel scrolls the row sideways.
      const tabsBox = (await page.locator('section.terminals .tabs').boundingBox())!;
      await page.mouse.move(tabsBox.x + tabsBox.width / 2, tabsBox.y + tabsBox.height / 2);
      await page.mouse.wheel(0, 100);
      await page.waitForFunction(() => document.querySelector('section.terminals .tabs')!.scrollLeft > 0);
      expect(await shownBox(page)).toEqual(box);

      // 1280 px and twelve terminals (nine more through the world's own call, as the session
      // opens each host's first one): the row scrolls, the pane keeps its height.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const wide = await shownBox(page);
      await page.evaluate(() => {
        const world = (window as unknown as { halab: { session: { world: { openTerminal(host: string): number } } } }).halab.session.world;
        for (let i = 0; i < 3; i++) for (const h of ['redis01', 'redis02', 'redis03']) world.openTerminal(h);
      });
      await page.waitForFunction(() => document.querySelectorAll('section.terminals [role="tab"]').length === 12);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await row()).toMatchObject({ count: 12, scrolls: true, insidePanel: true, activeInView: true, barHeight: first.barHeight, pageWidth: 1280 });
      await page.focus('section.terminals [role="tab"][aria-selected="true"]');
      await page.keyboard.press('End');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await row()).toMatchObject({ insidePanel: true, activeInView: true, barHeight: first.barHeight });
      expect(await page.locator('section.terminals [role="tab"]').last().getAttribute('aria-selected')).toBe('true');
      await screenshot(page, `terminal-tabs-1280-${lang}`, 'section.terminals');
      expect(await shownBox(page)).toEqual(wide);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }

  for (const lang of ['en', 'zh']) {
    it(`short windows (${lang}): the terminal keeps about 14 rows, taken from the topology, and is never cut; only a window too short for it and the header shrinks it`, async () => {
      const context = await served.browser.newContext({ viewport: { width: 1280, height: 500 } });
      // With a long notice (a link to something that is no experiment): it too comes out of the topology.
      const { page, errors } = await openPage(context, `${served.url}?fresh=1&lang=${lang}#x=${linkData({ note: 'not an experiment' })}`);
      await page.waitForSelector('.proc[data-port="7000"]');
      await page.waitForSelector('[data-testid="notice"]');
      const geometry = () => page.evaluate(() => {
        const pane = document.querySelector('section.terminals .term:not([hidden])')!;
        const screen = pane.querySelector('.xterm-screen')!.getBoundingClientRect();
        return {
          rows: pane.querySelectorAll('.xterm-rows > div').length,
          screenBottom: screen.bottom,
          paneBottom: pane.getBoundingClientRect().bottom,
          topology: document.querySelector('.topo')!.getBoundingClientRect().height,
          window: innerHeight,
          pageScrolls: document.documentElement.scrollHeight > innerHeight,
        };
      });
      let told = await settled(page);
      const withNotice = await geometry();
      // 11 rows before the minimum.
      expect(withNotice.rows).toBeGreaterThanOrEqual(14);
      expect(withNotice.screenBottom).toBeLessThanOrEqual(withNotice.paneBottom);
      expect(withNotice.paneBottom).toBeLessThanOrEqual(500);
      expect(withNotice.topology).toBeGreaterThan(50);
      expect(told.at(-1)!.lines).toBe(withNotice.rows);
      await screenshot(page, `terminal-short-1280x500-${lang}`);
      const box = await termBox(page, 'redis-1');
      await page.click('[data-testid="notice"] button[data-action="dismiss"]');
      await page.waitForSelector('[data-testid="notice"]', { state: 'detached' });
      expect(await termBox(page, 'redis-1')).toEqual(box);
      expect((await geometry()).topology).toBeGreaterThan(withNotice.topology);

      // 480 px: a taller header, the same terminal.
      await page.setViewportSize({ width: 480, height: 500 });
      told = await settled(page);
      const narrow = await geometry();
      expect(narrow).toMatchObject({ rows: withNotice.rows, pageScrolls: false });
      expect(narrow.screenBottom).toBeLessThanOrEqual(500);

      // 300 px: no room for the topology and 14 rows below the header: the topology goes, the
      // terminal gets the rest, all of it on screen, and the world is told that size.
      await page.setViewportSize({ width: 1280, height: 300 });
      told = await settled(page);
      const tiny = await geometry();
      expect(tiny.topology).toBe(0);
      expect(tiny.rows).toBeGreaterThanOrEqual(12);
      expect(tiny.screenBottom).toBeLessThanOrEqual(300);
      expect(tiny.pageScrolls).toBe(false);
      expect(told.at(-1)!.lines).toBe(tiny.rows);
      await screenshot(page, `terminal-short-1280x300-${lang}`);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  }

  it('a window resized over many frames tells the world one size: the last', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    const told = await settled(page);
    // A drag: a new window size every frame or so, 24 of them, each a different terminal size.
    const rows = () => page.evaluate(() => document.querySelectorAll('.term[data-host="redis-1"] .xterm-rows > div').length);
    const drawn = () => page.evaluate(() => `${document.querySelector('.term[data-host="redis-1"] .xterm-screen')!.getBoundingClientRect().width}x${document.querySelectorAll('.term[data-host="redis-1"] .xterm-rows > div').length}`);
    const seen = new Set<string>();
    // When the page saw each new window size: the terminal controller waits for a size to hold.
    await page.evaluate(() => {
      const stamps: number[] = [];
      (window as unknown as { resizeStamps: number[] }).resizeStamps = stamps;
      addEventListener('resize', () => stamps.push(performance.now()));
    });
    let final = { width: 1280, height: 800 };
    for (let i = 1; i <= 24; i++) {
      final = { width: 1280 - 12 * i, height: 800 - 9 * i };
      await page.setViewportSize(final);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      seen.add(await drawn());
    }
    const stamps = await page.evaluate(() => (window as unknown as { resizeStamps: number[] }).resizeStamps);
    const longestGapMs = Math.max(...stamps.slice(1).map((s, i) => s - stamps[i]));
    // The terminal followed the window (xterm.js refitted through the drag)...
    expect(seen.size).toBeGreaterThanOrEqual(12);
    const after = await settled(page);
    const added = after.slice(told.length);
    // ...but the world was told once (unless the drag itself stalled, on a loaded machine, for
    // longer than the settling time: then a size held, and was told).
    expect(stamps.length).toBeGreaterThanOrEqual(24);
    if (longestGapMs < 250) expect(added, `longest gap ${longestGapMs} ms`).toHaveLength(1);
    else expect(added.length).toBeGreaterThanOrEqual(1);
    // The size told last is the one a page opened at the final window size tells.
    const fresh = await served.browser.newContext({ viewport: final });
    const other = await openPage(fresh, `${served.url}?fresh=1`);
    await other.page.waitForSelector('.proc[data-port="7000"]');
    const freshTold = await settled(other.page);
    await fresh.close();
    expect(added.at(-1)).toEqual(freshTold.at(-1));
    expect(added.at(-1)!.lines).toBe(await rows());
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
