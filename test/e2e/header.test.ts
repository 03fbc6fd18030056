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

const WIDTHS = [480, 800, 1024, 1280];

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

  for (const width of [800, 1280]) {
    it(`a notice moves the topology at ${width} px but does not change how it is drawn`, async () => {
      const context = await served.browser.newContext({ viewport: { width, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1#x=${linkData({ note: 'not an experiment' })}`);
      for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
      await page.waitForSelector('[data-testid="notice"]');
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
