/**
 * A terminal whose shell the learner left with `exit`, in real Chromium (Debian's,
 * playwright-core) on the production build: the tabs' row says Enter logs in again, and it
 * does. Before, the terminal took no key again until the world was reset.
 */
import { describe, expect, it } from 'vitest';
import { haveChromium, openPage, typeInTerminal, useServedBrowser, waitForTerminal } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

suite('a terminal after exit in Chromium', () => {
  const served = useServedBrowser();

  it('says Enter logs in again, and Enter does', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    await typeInTerminal(page, 'redis-1', 'exit');
    await waitForTerminal(page, 'redis-1', 'Connection to redis-1 closed.');
    const hint = page.locator('[data-testid="logged-out-hint"]');
    await hint.waitFor();
    const box = await page.evaluate(() => {
      const h = document.querySelector('[data-testid="logged-out-hint"]')!.getBoundingClientRect();
      const bar = document.querySelector('.terminals .bar')!.getBoundingClientRect();
      return { inBar: h.top >= bar.top && h.bottom <= bar.bottom && h.right <= bar.right, width: h.width };
    });
    expect(box.inBar).toBe(true);
    expect(box.width).toBeGreaterThan(0);

    await page.keyboard.press('Enter');
    await waitForTerminal(page, 'redis-1', /Connected to redis-1\.\s+root@redis-1:~#/);
    await hint.waitFor({ state: 'detached' });
    await typeInTerminal(page, 'redis-1', 'echo back again');
    const out = await waitForTerminal(page, 'redis-1', /^back again$/m);
    expect(out).toContain('root@redis-1:~# echo back again');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
