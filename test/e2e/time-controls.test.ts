/**
 * The time controls in real Chromium (Debian's, playwright-core) on the production build: a
 * fast-forward until an event that does not come can be stopped (before, it ran to its timeout,
 * ten minutes of virtual time, minutes of wall time here, with every control ignored); a jump
 * from the timeline keeps the focus on the event jumped to (before, it fell to the page's body).
 */
import { describe, expect, it } from 'vitest';
import { haveChromium, openPage, screenshot, useServedBrowser } from './browser';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

suite('the time controls in Chromium', () => {
  const served = useServedBrowser();

  it('keep the amounts typed next to Fast-forward, Until and Rewind through new worlds, for the page\'s life', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    const amounts = () => page.evaluate(() => ['forward-seconds', 'until-kind', 'rewind-seconds'].map((c) => document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-control="${c}"]`)!.value));
    expect(await amounts()).toEqual(['10', 'exit', '0']);
    await page.fill('[data-control="forward-seconds"]', '7');
    await page.selectOption('[data-control="until-kind"]', 'power-off');
    await page.fill('[data-control="rewind-seconds"]', '3');
    // Another World, then a Reset: before, each new world's toolbar started from the defaults.
    await page.selectOption('[data-control="preset"]', 'three-hosts-sentinels');
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
    expect(await amounts()).toEqual(['7', 'power-off', '3']);
    await page.click('[data-side-tab="about"]');
    await page.click('[data-action="reset"]');
    await page.waitForSelector('.app[data-ready="true"] .host[data-host="redis03"] .proc[data-port="26379"]');
    expect(await amounts()).toEqual(['7', 'power-off', '3']);
    // And they are what the buttons use: Fast-forward goes 7 s on.
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    const seconds = () => page.evaluate(() => Number(/t = ([\d.]+) s/.exec(document.querySelector('[data-testid="virtual-time"]')!.textContent!)![1]));
    const before = await seconds();
    await page.click('[data-action="forward"]');
    await page.waitForFunction((t) => Number(/t = ([\d.]+) s/.exec(document.querySelector('[data-testid="virtual-time"]')!.textContent!)![1]) > t + 6.5, before);
    await page.waitForSelector('.time[data-time-state="paused"]');
    // The clock shows milliseconds of a time kept in microseconds: each reading may be 0.5 ms off.
    expect((await seconds()) - before).toBeCloseTo(7, 2);
    // Not kept across a reload (unlike the language and where processes run).
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"] .proc');
    expect(await amounts()).toEqual(['10', 'exit', '0']);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('Pause stops a fast-forward until an event that does not come, and keeps the focus', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    // Nothing powers a host off here.
    await page.selectOption('[data-control="until-kind"]', 'power-off');
    await page.click('[data-action="until"]');
    await page.waitForSelector('.time[data-time-state="busy"]');
    const toggle = page.locator('.time .toggle');
    expect({ action: await toggle.getAttribute('data-action'), disabled: await toggle.getAttribute('aria-disabled') }).toEqual({ action: 'pause', disabled: 'false' });
    await screenshot(page, 'time-controls-until-stoppable', '.app > header');
    await toggle.click();
    await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 30_000 });
    const seconds = Number(/t = ([\d.]+) s/.exec((await page.textContent('[data-testid="virtual-time"]'))!)![1]);
    expect(seconds).toBeLessThan(600);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('toggle'))).toBe(true);
    expect(await toggle.getAttribute('data-action')).toBe('play');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('a jump from the timeline rewinds to just after the event, which keeps the focus', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
    await page.click('[data-side-tab="timeline"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-events"] li').length > 40);
    await page.click('[data-action="pause"]');
    await page.waitForSelector('.time[data-time-state="paused"]');
    // Found by its trace index: rows that were on their way when Pause was pressed may still come
    // in and move the 31st row.
    const index = await page.locator('[data-testid="timeline-events"] li button').nth(30).getAttribute('data-trace-index');
    const row = page.locator(`[data-testid="timeline-events"] li button[data-trace-index="${index}"]`);
    const at = Number(/^[\d.]+/.exec((await row.locator('.t').innerText()).trim())![0]);
    await row.click();
    await page.waitForSelector('.time[data-time-state="busy"]', { state: 'detached' }).catch(() => undefined);
    await page.waitForSelector('.time[data-time-state="paused"]');
    await page.waitForFunction((i) => document.activeElement?.getAttribute('data-trace-index') === i || document.activeElement === document.body, index);
    const seconds = Number(/t = ([\d.]+) s/.exec((await page.textContent('[data-testid="virtual-time"]'))!)![1]);
    // Just after it (the network's least latency), in the readout's milliseconds.
    expect(Math.abs(seconds - at)).toBeLessThan(0.01);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-trace-index'))).toBe(index);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
