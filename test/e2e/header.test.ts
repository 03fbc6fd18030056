/**
 * The page's header in real Chromium (Debian's, playwright-core) on the production build: its
 * height is a function of the window's width (and the language) alone. Whatever the clock and
 * the recorder do (playing or paused, the "running at" note of a lagging world, the busy note of
 * a fast-forward, recording), the header keeps its rows, so the panels below it never move and
 * the topology never refits. A notice (a row of its own, dismissed by the user) moves the
 * topology but does not change how it is drawn. Screenshots go to test-results/screenshots/.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, typeInTerminal, useServedBrowser } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

const WIDTHS = [480, 800, 1024, 1280, 1440, 1920];

interface HeaderAt {
  /** The header's height, px. */
  height: number;
  /** The topology panel's top, px. */
  topologyTop: number;
  /** The header's visible controls that reach out of the window or have no box. */
  unreachable: string[];
}

async function headerAt(page: Page, width: number): Promise<HeaderAt> {
  await page.setViewportSize({ width, height: 800 });
  // The toolbar measures its squeeze on a resize observer's callback: two frames.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const header = document.querySelector('.app > header')!;
    const controls = [...header.querySelectorAll('button, select, input, a[href], [data-testid]')].filter((e) => getComputedStyle(e).visibility === 'visible' && !e.closest('[inert]'));
    const unreachable = controls.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width === 0 || r.height === 0 || r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > header.getBoundingClientRect().bottom;
    }).map((e) => e.getAttribute('data-action') ?? e.getAttribute('data-control') ?? e.getAttribute('data-testid') ?? e.tagName);
    return { height: header.getBoundingClientRect().height, topologyTop: document.querySelector('.topo')!.getBoundingClientRect().top, unreachable };
  });
}

/** The header at every width of WIDTHS, in the page's current state. */
async function headerAtWidths(page: Page): Promise<Record<number, HeaderAt>> {
  const out: Record<number, HeaderAt> = {};
  for (const w of WIDTHS) out[w] = await headerAt(page, w);
  return out;
}

/** An experiment link's `#x=` value for `value` (JSON, raw deflate, base64url: link-data.ts). */
function linkData(value: unknown): string {
  return deflateRawSync(Buffer.from(JSON.stringify(value))).toString('base64url');
}

suite('the header in Chromium', () => {
  const served = useServedBrowser();

  for (const lang of ['en', 'zh']) {
    it(`keeps its height at ${WIDTHS.join(', ')} px in ${lang} whatever the clock and the recorder do`, async () => {
      const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?fresh=1&lang=${lang}`);
      await page.waitForSelector('.proc[data-port="7000"]');
      // Paused, not recording: the reference.
      await page.click('[data-action="pause"]');
      await page.waitForSelector('.time[data-time-state="paused"]');
      const paused = await headerAtWidths(page);
      for (const w of WIDTHS) expect(paused[w].unreachable, `${w} px`).toEqual([]);

      // Playing, with a world that cannot keep up: 10 clients back to back at 100x. The
      // "running at" note shows (its short form, the speed, where the wall clock is dropped).
      await typeInTerminal(page, 'redis-1', 'redis-benchmark -p 7000 -q -t set -n 100000000 -c 10 &');
      await page.selectOption('[data-control="speed"]', '100');
      await page.click('[data-action="play"]');
      await page.waitForSelector('[data-testid="achieved-speed"]', { timeout: 30_000 });
      const lagging: Record<number, HeaderAt> = {};
      const notes: Record<number, { visible: boolean; text: string; title: string | null }> = {};
      for (const w of WIDTHS) {
        lagging[w] = await headerAt(page, w);
        const note = page.locator('[data-testid="achieved-speed"]');
        notes[w] = { visible: await note.isVisible(), text: await note.innerText(), title: await note.getAttribute('title') };
      }
      await page.setViewportSize({ width: 800, height: 800 });
      await screenshot(page, `header-lagging-800-${lang}`, '.app > header');
      expect(lagging).toEqual(paused);
      // Still lagging at each width (the note is what this step is about), the speed in view
      // and the whole text as the note's title.
      for (const w of WIDTHS) {
        expect(notes[w].visible, `${w} px`).toBe(true);
        expect(notes[w].text, `${w} px`).toMatch(/[\d.]+x$/);
        expect(notes[w].title, `${w} px`).toMatch(lang === 'en' ? /^running at [\d.]+x: / : /^实际速度 [\d.]+x: /);
      }

      // Recording, playing and paused.
      await page.click('[data-action="record-start"]');
      await page.waitForSelector('[data-action="record-stop"]');
      expect(await headerAtWidths(page)).toEqual(paused);
      await page.selectOption('[data-control="speed"]', '1');
      await page.click('[data-action="pause"]');
      await page.waitForSelector('.time[data-time-state="paused"]');
      const recording = await headerAtWidths(page);
      expect(recording).toEqual(paused);
      await page.setViewportSize({ width: 800, height: 800 });
      await screenshot(page, `header-recording-800-${lang}`, '.app > header');

      // Fast-forwarding while recording (the clients make it slow: it lasts the whole step).
      await page.fill('[data-control="forward-seconds"]', '600');
      await page.click('[data-action="forward"]');
      await page.waitForSelector('[data-testid="busy"]');
      const busy = await headerAtWidths(page);
      expect(await page.locator('[data-testid="busy"]').isVisible()).toBe(true);
      expect(await page.locator('.time').getAttribute('data-time-state')).toBe('busy');
      await page.setViewportSize({ width: 1024, height: 800 });
      await screenshot(page, `header-busy-1024-${lang}`, '.app > header');
      expect(busy).toEqual(paused);
      expect(errors).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('keeps its height while no world exists (a World being switched, a lesson loading or missing) and while stepping and rewinding', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Every height the header takes, at the window's width, from the page's first frame on.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { headerHeights: string[] }).headerHeights = seen;
      const watch = () => {
        const header = document.querySelector('.app > header');
        if (!header) return false;
        new ResizeObserver(() => seen.push(`${innerWidth}: ${header.getBoundingClientRect().height}`)).observe(header);
        return true;
      };
      const wait = new MutationObserver(() => watch() && wait.disconnect());
      addEventListener('DOMContentLoaded', () => watch() || wait.observe(document.body, { childList: true, subtree: true }));
    });
    const sizes: [number, number][] = [[1024, 768], [1280, 800], [1440, 900], [1920, 1080]];
    const heights = (page: Page) => page.evaluate(() => [...new Set((window as unknown as { headerHeights: string[] }).headerHeights)].sort());
    /** The header's height at every size of `sizes`, in the page's current state. */
    const atSizes = async (page: Page) => {
      const out: string[] = [];
      for (const [width, height] of sizes) {
        await page.setViewportSize({ width, height });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        out.push(`${width}: ${await page.evaluate(() => document.querySelector('.app > header')!.getBoundingClientRect().height)}`);
      }
      return out;
    };
    const worldGone = (page: Page) => page.waitForFunction(() => !document.querySelector('section.topology'));

    // Not ?fresh=1, which skips the workspace's read (a new context has no workspace to restore).
    const { page, errors } = await openPage(context, served.url);
    await page.waitForSelector('.proc[data-port="7000"]');
    const running = await atSizes(page);
    expect(running.map((r) => r.split(': ')[1])).toEqual(['69', '69', '69', '38']);

    // Another World: the workspace's read (IndexedDB) is held, so the page stays without a world.
    await page.evaluate(() => {
      const w = window as unknown as { releaseStore: () => void };
      const gate = new Promise<void>((r) => (w.releaseStore = r));
      const realOpen = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
        const req = realOpen.apply(this, args);
        const held = { onsuccess: null as null | (() => void), onerror: null as null | (() => void), onupgradeneeded: null as null | (() => void), get result() { return req.result; }, get error() { return req.error; } };
        req.onupgradeneeded = () => held.onupgradeneeded?.();
        req.onsuccess = () => void gate.then(() => held.onsuccess?.());
        req.onerror = () => void gate.then(() => held.onerror?.());
        return held as unknown as IDBOpenDBRequest;
      };
    });
    await page.selectOption('[data-control="preset"]', 'three-hosts-sentinels');
    await worldGone(page);
    expect(await atSizes(page)).toEqual(running);
    await page.evaluate(() => (window as unknown as { releaseStore: () => void }).releaseStore());
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);

    // Stepping, fast-forwarding and rewinding (a replay from the start).
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    await page.click('[data-action="step"]');
    await page.fill('[data-control="forward-seconds"]', '30');
    await page.click('[data-action="forward"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="virtual-time"]')!.textContent!.match(/[\d.]+/)![0]) >= 30);
    await page.fill('[data-control="rewind-seconds"]', '5');
    await page.click('[data-action="rewind"]');
    await page.waitForFunction(() => /t = 5\.000 s/.test(document.querySelector('[data-testid="virtual-time"]')!.textContent!));
    await page.waitForSelector('.time[data-time-state="paused"]');
    expect(await atSizes(page)).toEqual(running);
    expect(await heights(page), 'every height the sandbox header took').toEqual([...new Set(running)].sort());

    // A lesson page: while its lesson loads and boots, and once it runs; a missing lesson.
    for (const lesson of ['c4-quorum-vs-majority', 'no-such-lesson']) {
      const l = await openPage(context, `${served.url}?lesson=${lesson}&fresh=1`);
      if (lesson === 'no-such-lesson') await l.page.waitForSelector('[data-lesson-status="failed"]');
      else await l.page.waitForSelector('.proc[data-port="7002"]');
      expect(await atSizes(l.page), lesson).toEqual(running);
      expect(await heights(l.page), `every height the header of ${lesson} took`).toEqual([...new Set(running)].sort());
      expect(l.errors).toEqual([]);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('a notice about the last world goes with it: another World, a Reset', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bad = `#x=${linkData({ note: 'not an experiment' })}`;
    const { page, errors } = await openPage(context, `${served.url}?fresh=1${bad}`);
    await page.waitForSelector('[data-testid="notice"]');
    await page.selectOption('[data-control="preset"]', 'three-hosts-sentinels');
    await page.waitForSelector('.host[data-host="redis03"] .proc[data-port="26379"]');
    // Before, "The experiment link could not be opened" stayed over the new world.
    expect(await page.locator('[data-testid="notice"]').count()).toBe(0);

    await page.goto(`${served.url}?fresh=1&preset=master-replicas${bad}`);
    await page.waitForSelector('[data-testid="notice"]');
    await page.waitForSelector('.proc[data-port="7000"]');
    await page.click('[data-side-tab="about"]');
    await page.click('[data-action="reset"]');
    await page.waitForSelector('.app[data-ready="true"] .proc[data-port="7000"]');
    expect(await page.locator('[data-testid="notice"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('the control that made a new world keeps the focus: the World picker, Reset, where processes run', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return e?.closest('.term') ? 'terminal' : (e?.getAttribute('data-action') ?? e?.getAttribute('data-control') ?? e?.tagName ?? null);
    });
    type Halab = { halab: { session: unknown }; lastSession?: unknown };
    /** Press `key` on `selector`, then wait for the new world it makes to run `port` on `host`, and two frames more (the terminal took the focus a frame after it was shown). */
    const newWorldBy = async (selector: string, key: string, host: string, port: number) => {
      await page.evaluate(() => ((window as unknown as Halab).lastSession = (window as unknown as Halab).halab.session));
      await page.focus(selector);
      await page.keyboard.press(key);
      await page.waitForFunction(() => (window as unknown as Halab).halab.session !== (window as unknown as Halab).lastSession && document.querySelector('.app')!.getAttribute('data-ready') === 'true');
      await page.waitForSelector(`.host[data-host="${host}"] .proc[data-port="${port}"]`);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    };
    // The page's first world: nothing else had the focus, the terminal takes it.
    await page.waitForFunction(() => document.activeElement?.closest('.term') !== null);

    // The World picker, by the keyboard (a closed select changes with the arrow keys).
    await newWorldBy('[data-control="preset"]', 'ArrowDown', 'redis01', 26379);
    expect(await page.inputValue('[data-control="preset"]')).toBe('three-hosts-sentinels');
    expect(await focused()).toBe('preset');
    await newWorldBy('[data-control="preset"]', 'ArrowUp', 'redis-1', 7000);
    expect(await focused()).toBe('preset');

    // Reset (the World tab), by the keyboard.
    await page.click('[data-side-tab="about"]');
    await newWorldBy('[data-action="reset"]', 'Enter', 'redis-1', 7000);
    expect(await focused()).toBe('reset');

    // Where processes run: onto the page and back. Before, the picker was disabled while the
    // world was rebuilt, which dropped the focus (to the page's body, then the terminal).
    await newWorldBy('[data-control="process-placement"]', 'ArrowDown', 'redis-1', 7000);
    expect(await page.inputValue('[data-control="process-placement"]')).toBe('page');
    expect(await focused()).toBe('process-placement');
    await newWorldBy('[data-control="process-placement"]', 'ArrowUp', 'redis-1', 7000);
    expect(await page.inputValue('[data-control="process-placement"]')).toBe('workers');
    expect(await focused()).toBe('process-placement');

    // The terminal still takes the keyboard when the user picks it.
    await page.click('[data-terminal-tab="redis-1"]');
    await page.waitForFunction(() => document.activeElement?.closest('.term') !== null);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  for (const width of [800, 1280]) {
    it(`a notice moves the topology at ${width} px but does not change how it is drawn`, async () => {
      const context = await served.browser.newContext({ viewport: { width, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1#x=${linkData({ note: 'not an experiment' })}`);
      for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
      await page.waitForSelector('[data-testid="notice"]');
      // Paused, so that no new kind of message lengthens the legend below the drawing meanwhile.
      await page.click('[data-action="pause"]');
      await page.waitForSelector('.time[data-time-state="paused"]');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const drawn = () => page.evaluate(() => {
        const svg = document.querySelector('section.topology svg')!.getBoundingClientRect();
        return { layout: document.querySelector('section.topology')!.getAttribute('data-layout'), width: svg.width, height: svg.height, viewBox: document.querySelector('section.topology svg')!.getAttribute('viewBox') };
      });
      const withNotice = await drawn();
      await page.click('[data-testid="notice"] button[aria-label="dismiss"]');
      await page.waitForSelector('[data-testid="notice"]', { state: 'detached' });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await drawn()).toEqual(withNotice);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
