/**
 * The topology's menus and actions in real Chromium (Debian's, playwright-core) on the production
 * build. They keep the keyboard's place: after a menu's action the focus is back on what opened
 * the menu (as after Escape), or on the host's header when the process's row goes; healing a cut
 * or every cut leaves it in the topology (before, each dropped the focus to the page's body). A
 * menu opens inside the panel's visible box.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, useServedBrowser } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

/** What has the focus: a process row by its port, a host header, a button by its action. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    if (e.matches('.proc')) return `proc ${e.closest('.host')?.getAttribute('data-host')}:${e.getAttribute('data-port')}`;
    if (e.hasAttribute('data-host-header')) return `header ${e.getAttribute('data-host-header')}`;
    return e.getAttribute('data-action') ?? e.tagName.toLowerCase();
  });
}

async function cut(page: Page, from: string, to: string): Promise<void> {
  const a = (await page.locator(`[data-host-header="${from}"]`).boundingBox())!;
  const b = (await page.locator(`[data-host-header="${to}"]`).boundingBox())!;
  await page.mouse.move(a.x + 30, a.y + 10);
  await page.mouse.down();
  await page.mouse.move(b.x + 30, b.y + 10, { steps: 8 });
  await page.mouse.up();
  await page.waitForSelector(`.cut[data-cut="${from}|${to}"], .cut[data-cut="${to}|${from}"]`);
}

suite("the topology's menus in Chromium", () => {
  const served = useServedBrowser();

  // Polled: a row that goes (kill -9, power-off) goes when the page next reads the world, and
  // the focus moves to its host's header then (once lost the race on a loaded CI machine).
  it('keep the focus after an action, a healed cut and Heal all', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
    const proc = (host: string, port: number) => `.host[data-host="${host}"] .proc[data-port="${port}"]`;

    // A process stopped and continued: its row stays, and has the focus again.
    await page.click(proc('redis02', 6379));
    await page.click('.menu [data-action="sigstop"]');
    await expect.poll(() => focused(page)).toBe('proc redis02:6379');
    await page.waitForSelector(`${proc('redis02', 6379)}[data-frozen="true"]`);
    await page.keyboard.press('Enter');
    await page.click('.menu [data-action="sigcont"]');
    await expect.poll(() => focused(page)).toBe('proc redis02:6379');

    // A host powered off from its header's menu, then its link's latency.
    await page.click('[data-host-header="redis02"]');
    await page.click('.menu [data-action="power-off"]');
    await expect.poll(() => focused(page)).toBe('header redis02');
    // The menu offers power-on once the page has read the host as down.
    await page.waitForSelector('.host.down[data-host="redis02"]');
    await page.keyboard.press('Enter');
    await page.click('.menu [data-action="power-on"]');
    await expect.poll(() => focused(page)).toBe('header redis02');
    await page.keyboard.press('Enter');
    await page.click('.menu [data-action="link-redis03"]');
    await page.click('.menu [data-action="latency-50"]');
    await expect.poll(() => focused(page)).toBe('header redis02');

    // A process killed: its row goes, the focus is on its host's header.
    await page.click(proc('redis03', 26379));
    await page.click('.menu [data-action="kill9"]');
    await expect.poll(() => focused(page)).toBe('header redis03');

    // A cut healed by clicking it, then Heal all.
    await cut(page, 'redis01', 'redis03');
    await page.click('.cut text');
    await expect.poll(() => focused(page)).toMatch(/^header redis0[13]$/);
    await cut(page, 'redis01', 'redis02');
    await page.click('[data-action="heal-all"]');
    await page.waitForSelector('.cut', { state: 'detached' });
    await expect.poll(() => focused(page)).toBe('heal-all');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("open inside the panel's visible box, by the mouse or the keyboard, from a process of the bottom row (d1 at 1280x800)", async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?lesson=d1-cluster-by-hand&fresh=1`);
    await page.waitForSelector('.proc[data-port="6388"]');
    const lowest = await page.$$eval('section.topology .proc', (ps) => {
      const byBottom = ps.map((p) => ({ port: p.getAttribute('data-port'), bottom: p.getBoundingClientRect().bottom })).sort((a, b) => b.bottom - a.bottom);
      return byBottom[0].port!;
    });
    const where = () => page.evaluate(() => {
      const panel = document.querySelector('section.topology')!;
      const p = panel.getBoundingClientRect();
      const m = document.querySelector('.menu')!.getBoundingClientRect();
      return { inside: m.top >= p.top && m.bottom <= p.bottom && m.left >= p.left && m.right <= p.right, scrolls: panel.scrollHeight > panel.clientHeight + 1, items: document.querySelectorAll('.menu button').length };
    });
    // Before, the six-item menu of a bottom-row process reached 74 px below the panel, which scrolled.
    await page.click(`.proc[data-port="${lowest}"]`);
    await page.waitForSelector('.menu');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await where()).toEqual({ inside: true, scrolls: false, items: 6 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.menu');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await where()).toEqual({ inside: true, scrolls: false, items: 6 });
    expect(await focused(page)).toBe('kill9');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
