/**
 * A lesson page used as a learner uses it, in real Chromium (Debian's, playwright-core) on the
 * production build: the side panel's tabs, the autoplay and the time controls together. What a
 * walk through the lessons found: a tab opened at the scroll of the tab before it (the Timeline
 * without its filters), the lesson lost its place after a visit to a short tab, a rewind during
 * the autoplay failed the lesson, and pressing Autoplay, Fast-forward or Rewind left the focus
 * on the page's body. Screenshots go to test-results/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, useServedBrowser } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

/** The focused element's data-action (or its tag). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e?.getAttribute('data-action') ?? e?.tagName.toLowerCase() ?? 'none';
  });
}

function virtualMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const s = (window as unknown as { halab: { session: { world: { now: number }; startT: number } } }).halab.session;
    return s.world.now - s.startT;
  });
}

suite('a lesson page in Chromium', () => {
  const served = useServedBrowser();

  it('each side tab opens at its top, and the lesson is shown where the learner left it', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?lesson=a1-rdb-snapshots&fresh=1`);
    await page.waitForSelector('.lesson[data-lesson-status="running"]');
    const scrollTop = () => page.$eval('.side-body', (e) => e.scrollTop);
    // Well down the lesson (its text is taller than the panel).
    const left = await page.$eval('.side-body', (e) => {
      e.scrollTop = Math.min(600, e.scrollHeight - e.clientHeight);
      return e.scrollTop;
    });
    expect(left).toBeGreaterThan(200);

    await page.click('[data-side-tab="timeline"]');
    await page.waitForSelector('[data-testid="timeline-events"] li');
    const filter = await page.evaluate(() => {
      const body = document.querySelector('.side-body')!.getBoundingClientRect();
      const f = document.querySelector('[data-control="timeline-filter"]')!.getBoundingClientRect();
      return { inView: f.top >= body.top && f.bottom <= body.bottom, scrollTop: document.querySelector('.side-body')!.scrollTop };
    });
    await screenshot(page, 'side-tab-timeline-after-lesson', '.side');
    expect(filter).toEqual({ inView: true, scrollTop: 0 });

    // A short tab (World), then back: the lesson where it was, not at the top.
    await page.click('[data-side-tab="about"]');
    await page.click('[data-side-tab="lesson"]');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await scrollTop()).toBe(left);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('a rewind during the autoplay stops it and leaves the lesson running; Autoplay and Rewind keep the focus', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?lesson=a1-rdb-snapshots&fresh=1`);
    await page.waitForSelector('.lesson[data-lesson-status="running"]');
    await page.click('[data-action="autoplay"]');
    // Before, the button went away while the autoplay ran, and the focus with it.
    expect(await focused(page)).toBe('autoplay');
    expect(await page.getAttribute('[data-action="autoplay"]', 'aria-disabled')).toBe('true');

    // The first step done (the server started), the autoplay at work on the second: back to
    // the start (the autoplay's clock runs only as its lines need, so the first step may be done
    // within the first second).
    await page.waitForSelector('.step[data-step-state="done"]', { timeout: 90_000 });
    const before = await virtualMs(page);
    await page.fill('[data-control="rewind-seconds"]', '0');
    await page.click('[data-action="rewind"]');
    // Rewound, and then: the autoplay stopped, or it failed, or it typed on into the rewound
    // world (whose terminal at its start has no redis-cli line yet).
    await page.waitForFunction(() => {
      const status = document.querySelector('.lesson')?.getAttribute('data-lesson-status');
      const button = document.querySelector('[data-action="autoplay"]');
      if (status === 'failed') return true;
      if (document.querySelector('.time')?.getAttribute('data-time-state') === 'busy') return false;
      return (button !== null && button.getAttribute('aria-disabled') !== 'true') || /redis-cli/.test(document.querySelector('.term .xterm-rows')?.textContent ?? '');
    }, null, { timeout: 90_000 });
    await screenshot(page, 'lesson-rewound-during-autoplay');
    const failure = await page.locator('section.lesson .error').allInnerTexts();
    // Before, the autoplay played on into the rewound world: "check false after the solution".
    expect(failure).toEqual([]);
    expect(await page.getAttribute('.lesson', 'data-lesson-status')).toBe('running');
    expect(await page.locator('.step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step-state')))).toEqual(['active', 'pending', 'pending', 'pending', 'pending']);
    // Nothing ran the world on towards where the autoplay had been.
    expect(await virtualMs(page)).toBeLessThan(before);
    // Before, the button was disabled while busy, which sent the focus to the body.
    expect(await focused(page)).toBe('rewind');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
