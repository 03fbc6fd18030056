import { buildAndServe, launch, openPage } from './browser';
const served = await buildAndServe();
const browser = await launch();
const shots = '/work/prof/shots';
const lessons = (process.env.LESSONS ?? 'c2-automatic-failover').split(',');
try {
  for (const lesson of lessons) {
    for (const [w, h] of [[1280, 800]] as const) {
      const context = await browser.newContext({ viewport: { width: w, height: h } });
      const { page, errors } = await openPage(context, `${served.url}?lesson=${lesson}&autoplay=1`);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${shots}/${lesson}-${w}-start.png` });
      const t0 = Date.now();
      while (Date.now() - t0 < 240_000) {
        const st = await page.locator('.lesson').getAttribute('data-lesson-status');
        if (st === 'complete' || st === 'failed') break;
        await page.waitForTimeout(1000);
      }
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${shots}/${lesson}-${w}-end.png` });
      console.log(lesson, w, await page.locator('.lesson').getAttribute('data-lesson-status'), errors);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await served.close();
}
