/**
 * Lesson authoring in real Chromium (Debian's, playwright-core) on the production build: the
 * course map (order by `requires:`, progress from the saved workspaces, opening a lesson), the
 * lesson editor (an error shown at its line, fixed, the solution run with per-step results),
 * importing a hostile lesson (nothing in it executes), and recording a sandbox session into a
 * lesson whose solution then runs. Screenshots go to test-results/screenshots/.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, typeInTerminal, useServedBrowser, waitForTerminal } from './browser';
import { parseLesson } from '../../src/lessons/parse-lesson';
import { scaffoldLesson } from '../../src/lessons/scaffold';

const enabled = haveChromium();
const suite = enabled ? describe : describe.skip;

const VIEWPORT = { width: 1400, height: 900 };

/** A lesson that tries everything a hostile author could: raw HTML, scripts, javascript: links. */
function hostileLesson(): string {
  return scaffoldLesson({ id: 'hostile' })
    .replace('"TODO: English title"', '"<img src=x onerror=\\"window.__pwned=1\\">Evil <script>window.__pwned=2</script>"')
    .replace(
      'TODO: what to do, and why.',
      [
        'Hello <script>window.__pwned=3</script> <img src=x onerror="window.__pwned=4">',
        '',
        '[click me](javascript:window.__pwned=5) [spelt](JaVaScRiPt:window.__pwned=6) [entity](java&#x73;cript:window.__pwned=7)',
        '',
        '<iframe src="javascript:window.__pwned=8"></iframe> ![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3B3bmVkPTkiLz4=)',
        '',
        '[ok](https://redis.io/docs)',
      ].join('\n'),
    );
}

const dataLink = (text: string) => deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');

async function editorText(page: Page): Promise<string> {
  return page.inputValue('[data-testid="lesson-source"]');
}

async function setEditorText(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid="lesson-source"]', text);
}

/** Nothing a hostile lesson wrote ran, and the preview holds none of its markup. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  const preview = page.locator('[data-testid="lesson-preview"]');
  await preview.waitFor();
  expect(await preview.locator('script, iframe, img, object, embed, [onerror], [onload], [onclick]').count()).toBe(0);
  const hrefs = await preview.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs).toEqual(['https://redis.io/docs']);
  // The markup is there, as text the learner can read.
  expect(await preview.textContent()).toContain('<script>window.__pwned=3</script>');
  expect(await preview.locator('h2').textContent()).toContain('<img src=x onerror="window.__pwned=1">Evil');
  expect(await page.locator('script:not([src])').count()).toBe(0);
}

suite('lesson authoring in Chromium', () => {
  const served = useServedBrowser();

  beforeAll(() => {
    // A hostile lesson served next to the page, for ?lesson-url= (the build is shared, the
    // file only this suite reads).
    writeFileSync(join(served.outDir, 'hostile.md'), hostileLesson());
  });

  it('the course map lists every lesson after the ones it requires, shows progress, and opens a lesson', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?view=course`);
    await page.waitForSelector('[data-course-ready="true"]');
    const ids = await page.locator('[data-course-lesson]').evaluateAll((as) => as.map((a) => a.getAttribute('data-course-lesson')!));
    const files = readdirSync('lessons').filter((f) => f.endsWith('.md'));
    expect(ids.sort()).toEqual(files.map((f) => f.slice(0, -3)).sort());
    const shown = await page.locator('[data-course-lesson]').evaluateAll((as) => as.map((a) => a.getAttribute('data-course-lesson')!));
    for (const f of files) {
      const lesson = parseLesson(`lessons/${f}`, readFileSync(join('lessons', f), 'utf8')).lesson!;
      for (const r of lesson.meta.requires) expect(shown.indexOf(r), `${lesson.meta.id} after ${r}`).toBeLessThan(shown.indexOf(lesson.meta.id));
    }
    expect(await page.locator('[data-course-status="not-started"]').count()).toBe(files.length);

    // Each lesson's title in the reader's language first, the other below it.
    const a1 = '[data-course-lesson="a1-rdb-snapshots"]';
    expect(await page.getAttribute(`${a1} [data-testid="title-main"]`, 'lang')).toBe('en');
    await page.click('[data-action="lang"]');
    expect(await page.getAttribute(`${a1} [data-testid="title-main"]`, 'lang')).toBe('zh-CN');
    expect(await page.textContent(`${a1} [data-testid="title-main"]`)).toMatch(/RDB 快照/);
    expect(await page.getAttribute(`${a1} [data-testid="title-other"]`, 'lang')).toBe('en');
    await page.click('[data-action="lang"]');

    // A finished lesson in the workspace store shows as complete.
    await page.evaluate(async (steps) => {
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('halab', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('workspaces');
        req.onsuccess = () => {
          const tx = req.result.transaction('workspaces', 'readwrite');
          tx.objectStore('workspaces').put(
            { format: 'halab-experiment', version: 1, source: { kind: 'lesson', id: 'a1-rdb-snapshots' }, seed: 1, inputs: [], untilMs: 0, lesson: { current: steps, done: [...Array(steps).keys()] } },
            'lesson:a1-rdb-snapshots',
          );
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      });
    }, parseLesson('lessons/a1-rdb-snapshots.md', readFileSync('lessons/a1-rdb-snapshots.md', 'utf8')).lesson!.steps.length);
    await page.reload();
    await page.waitForSelector('[data-course-ready="true"]');
    await page.waitForSelector('[data-course-lesson="a1-rdb-snapshots"][data-course-status="complete"]');
    await screenshot(page, 'course-map');

    // Open the first lesson from the map: it plays, and the map then shows it in progress.
    await page.click(`[data-course-lesson="${shown[0]}"]`);
    await page.waitForSelector(`.lesson[data-lesson-id="${shown[0]}"][data-lesson-status="running"]`, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('lesson')).toBe(shown[0]);
    // The page saves its workspace every 2 s once the world runs.
    const saved = (id: string) => page.evaluate((key) => new Promise<boolean>((resolve) => {
      const req = indexedDB.open('halab', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('workspaces');
      req.onsuccess = () => {
        const get = req.result.transaction('workspaces').objectStore('workspaces').get(key);
        get.onsuccess = () => resolve(get.result !== undefined);
        get.onerror = () => resolve(false);
      };
      req.onerror = () => resolve(false);
    }), `lesson:${id}`);
    for (let i = 0; i < 100 && !(await saved(shown[0])); i++) await page.waitForTimeout(200);
    await page.goto(`${served.url}?view=course`);
    await page.waitForSelector(`[data-course-lesson="${shown[0]}"][data-course-status="in-progress"]`);

    // Back to the lesson (its saved world is restored), finish it, and the map says complete.
    await page.click(`[data-course-lesson="${shown[0]}"]`);
    await page.waitForSelector('[data-testid="notice"]:has-text("Workspace restored")');
    await page.waitForSelector(`.lesson[data-lesson-id="${shown[0]}"][data-lesson-status="running"]`, { timeout: 30_000 });
    await page.click('[data-action="autoplay"]');
    await page.waitForSelector('.lesson[data-lesson-status="complete"], .lesson[data-lesson-status="failed"]', { timeout: 120_000 });
    expect(await page.getAttribute('.lesson', 'data-lesson-status')).toBe('complete');
    const steps = await page.locator('.lesson [data-step]').count();
    const progress = () => page.evaluate((key) => new Promise<number>((resolve) => {
      const req = indexedDB.open('halab', 1);
      req.onsuccess = () => {
        const get = req.result.transaction('workspaces').objectStore('workspaces').get(key);
        get.onsuccess = () => resolve(get.result?.lesson?.done?.length ?? -1);
        get.onerror = () => resolve(-1);
      };
      req.onerror = () => resolve(-1);
    }), `lesson:${shown[0]}`);
    for (let i = 0; i < 100 && (await progress()) < steps; i++) await page.waitForTimeout(200);
    await page.reload();
    await page.waitForSelector(`.lesson[data-lesson-id="${shown[0]}"][data-lesson-status="complete"]`, { timeout: 30_000 });
    await page.goto(`${served.url}?view=course`);
    await page.waitForSelector(`[data-course-lesson="${shown[0]}"][data-course-status="complete"]`);
    await screenshot(page, 'course-map-progress');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('the editor shows an error at its line, clears it when fixed, and runs the solution step by step', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    const { page, errors } = await openPage(context, `${served.url}?view=editor`);
    await page.waitForSelector('[data-editor-ready="true"][data-valid="true"]');
    const good = await editorText(page);
    expect(good).toContain('id: my-lesson');

    // A misspelt check function, on a known line.
    const broken = good.replace('key("redis01:6379", "greeting") == "hello"', 'key("redis01:6379", "greeting") == "hello" and rol("redis01:6379") == "master"');
    const line = broken.split('\n').findIndex((l) => l.includes('rol("redis01')) + 1;
    const column = broken.split('\n')[line - 1].indexOf('rol(') + 1;
    await setEditorText(page, broken);
    await page.waitForSelector('[data-valid="false"]');
    const problem = page.locator('[data-problem-line]').first();
    expect(await problem.getAttribute('data-problem-line')).toBe(String(line));
    expect(await problem.getAttribute('data-problem-column')).toBe(String(column));
    expect(await problem.textContent()).toContain(`${line}:${column}`);
    expect(await page.locator(`.gutter [data-line="${line}"]`).getAttribute('class')).toContain('err');
    expect(await page.locator('.hl .err').first().textContent()).toBe('rol');
    expect(await page.locator('[data-action="editor-run"]').isDisabled()).toBe(true);
    await problem.click();
    expect(await page.evaluate(() => { const t = document.querySelector('textarea')!; return t.value.slice(t.selectionStart, t.selectionEnd); })).toBe('rol');
    await screenshot(page, 'editor-error');

    await setEditorText(page, good);
    await page.waitForSelector('[data-valid="true"]');
    expect(await page.locator('[data-problem-line]').count()).toBe(0);

    // Typed on the keyboard: a wrong level, flagged at its line, then taken back.
    const levelLine = good.split('\n').indexOf('level: beginner') + 1;
    await page.evaluate((at) => { const t = document.querySelector('textarea')!; t.focus(); t.setSelectionRange(at, at); }, good.indexOf('level: beginner') + 'level: beginner'.length);
    await page.keyboard.type('x', { delay: 20 });
    await page.waitForSelector(`[data-valid="false"] [data-problem-line="${levelLine}"]`);
    expect(await page.locator(`.gutter [data-line="${levelLine}"]`).getAttribute('class')).toContain('err');
    await page.keyboard.press('Backspace');
    await page.waitForSelector('[data-valid="true"]');
    expect(await editorText(page)).toBe(good);

    // Export downloads the file as it is; the data link opens it again.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="editor-export"]')]);
    expect(download.suggestedFilename()).toBe('my-lesson.md');
    expect(readFileSync(await download.path(), 'utf8')).toBe(good);
    await page.click('[data-action="editor-link"]');
    const link = await page.inputValue('[data-testid="editor-link-out"]');
    expect(new URL(link).searchParams.get('view')).toBe('editor');
    const other = await context.newPage();
    await other.goto(link);
    await other.waitForSelector('[data-editor-ready="true"][data-valid="true"]');
    expect(await editorText(other)).toBe(good);
    await other.close();

    await page.click('[data-action="editor-run"]');
    await page.waitForSelector('[data-run-status="passed"], [data-run-status="failed"]', { timeout: 90_000 });
    expect(await page.getAttribute('[data-testid="run-report"]', 'data-run-status')).toBe('passed');
    const step = page.locator('[data-report-step="write-a-key"]');
    expect(await step.getAttribute('data-report-ok')).toBe('true');
    expect(await step.locator('[data-check-before]').first().getAttribute('data-check-before')).not.toBe('true');
    expect(await step.locator('[data-check-after]').first().getAttribute('data-check-after')).toBe('true');
    await screenshot(page, 'editor-run-solution');

    // The draft plays in the real lesson panel too (a new tab), without touching saved progress.
    const [player] = await Promise.all([context.waitForEvent('page'), page.click('[data-action="editor-play"]')]);
    await player.waitForSelector('.lesson[data-lesson-id="my-lesson"][data-lesson-status="running"]', { timeout: 30_000 });
    await player.click('[data-action="autoplay"]');
    await player.waitForSelector('.lesson[data-lesson-status="complete"], .lesson[data-lesson-status="failed"]', { timeout: 60_000 });
    expect(await player.getAttribute('.lesson', 'data-lesson-status')).toBe('complete');
    await screenshot(player, 'editor-draft-in-lesson-panel');
    await player.close();
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);

  it('imports a hostile lesson from a data link, a link and a file: nothing in it executes', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const dialogs: string[] = [];
    context.on('page', (p) => p.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); }));
    const text = hostileLesson();

    const { page, errors } = await openPage(context, `${served.url}?lesson-data=${dataLink(text)}`);
    await page.waitForSelector('[data-editor-ready="true"][data-valid="true"]');
    expect(await editorText(page)).toBe(text);
    await expectInert(page);
    // Clicking what was a javascript: link does nothing.
    await page.locator('[data-testid="lesson-preview"]').getByText('click me').first().click();
    await screenshot(page, 'editor-hostile-import');

    await page.goto(`${served.url}?lesson-url=hostile.md`);
    await page.waitForSelector('[data-editor-ready="true"][data-valid="true"]');
    expect(await editorText(page)).toBe(text);
    await expectInert(page);

    await page.goto(`${served.url}?view=editor`);
    await page.waitForSelector('[data-editor-ready="true"]');
    await page.click('[data-action="editor-new"]');
    await page.setInputFiles('[data-control="editor-import-file"]', { name: 'hostile.md', mimeType: 'text/markdown', buffer: Buffer.from(text) });
    await page.waitForSelector('[data-testid="editor-notice"]:has-text("hostile.md")');
    expect(await editorText(page)).toBe(text);
    await expectInert(page);

    // The draft an import replaced is one click away.
    await page.click('[data-action="editor-previous"]');
    await page.waitForSelector('[data-valid="true"]');
    expect(await editorText(page)).toContain('id: my-lesson');

    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('records a sandbox session (typed command, kill from the topology) into a lesson whose solution runs', async () => {
    const context = await served.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    for (const p of [7000, 7001, 7002]) await page.waitForSelector(`.proc[data-port="${p}"]`, { timeout: 20_000 });

    await page.click('[data-action="record-start"]');
    await page.waitForSelector('[data-recording="true"]');
    await typeInTerminal(page, 'redis-1', 'redis-cli -p 7000 SET color blue');
    await waitForTerminal(page, 'redis-1', /SET color blue\s*\nOK/);
    await page.click('[data-action="record-step"]');
    await page.click('.proc[data-port="7002"]');
    await page.click('.menu [data-action="kill9"]');
    await page.waitForSelector('.proc[data-port="7002"]', { state: 'detached' });
    await screenshot(page, 'recorder-recording');
    await page.click('[data-action="record-stop"]');

    await page.waitForURL(/view=editor/);
    await page.waitForSelector('[data-editor-ready="true"]');
    const text = await editorText(page);
    expect(text).toContain('redis-1$ redis-cli -p 7000 SET color blue');
    expect(text).toContain('redis-1$ pkill -9 -f "redis-server 127.0.0.1:7002"');
    expect(text).toContain('key("redis-1:7000", "color") == "blue"');
    expect(text).toContain('not up("redis-1:7002")');
    await page.waitForSelector('[data-valid="true"]');
    await page.click('[data-action="editor-run"]');
    await page.waitForSelector('[data-run-status="passed"], [data-run-status="failed"]', { timeout: 90_000 });
    expect(await page.getAttribute('[data-testid="run-report"]', 'data-run-status')).toBe('passed');
    expect(await page.locator('[data-report-ok="true"]').count()).toBe(2);
    await screenshot(page, 'recorder-lesson-in-editor');
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);
});
