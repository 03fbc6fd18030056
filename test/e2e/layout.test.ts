/**
 * The playground's layout in real Chromium (Debian's, playwright-core) on the production build,
 * checked by geometry (bounding boxes, not pixels): what must stay readable is not covered.
 * Screenshots go to test-results/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, openPage, screenshot, typeInTerminal, useServedBrowser, waitForTerminal } from './browser';

const enabled = haveChromium();

interface Box { left: number; right: number; top: number; bottom: number }

/**
 * The time toolbar's controls (buttons, selects, inputs, the time readout): on how many lines
 * (by their vertical centres), which overlap one another or the header's other controls
 * (Record, the language button), and which reach out of the window.
 */
async function toolbarGeometry(page: Page): Promise<{ lines: number; overlapping: string[]; outside: string[]; headerRows: number; width: number }> {
  return page.evaluate(() => {
    const name = (e: Element) => e.getAttribute('data-action') ?? e.getAttribute('data-control') ?? e.getAttribute('data-testid') ?? e.tagName;
    const bar = document.querySelector('.time')!;
    const own = [...bar.querySelectorAll('button, select, input, [data-testid="virtual-time"]')].map((e) => ({ name: name(e), box: e.getBoundingClientRect() as Box }));
    const others = [...document.querySelectorAll('.app > header .recorder button, .app > header [data-action="lang"]')].map((e) => ({ name: name(e), box: e.getBoundingClientRect() as Box }));
    const hit = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const overlapping: string[] = [];
    for (let i = 0; i < own.length; i++) {
      for (let j = i + 1; j < own.length; j++) if (hit(own[i].box, own[j].box)) overlapping.push(`${own[i].name}/${own[j].name}`);
      for (const o of others) if (hit(own[i].box, o.box)) overlapping.push(`${own[i].name}/${o.name}`);
    }
    const centres = [...new Set(own.map((c) => Math.round((c.box.top + c.box.bottom) / 2)))].sort((a, b) => a - b);
    const lines = centres.filter((c, i) => i === 0 || c - centres[i - 1] > 3).length;
    const outside = [...own, ...others].filter((c) => c.box.left < 0 || c.box.right > innerWidth).map((c) => c.name);
    // Rows of the header: the title, the time toolbar, Record and the language button.
    const rowsOf = [...document.querySelectorAll('.app > header h1, .app > header .time, .app > header .recorder, .app > header [data-action="lang"]')].map((e) => e.getBoundingClientRect());
    const tops = [...new Set(rowsOf.map((r) => Math.round(r.top)))].sort((a, b) => a - b);
    const headerRows = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;
    return { lines, overlapping, outside, headerRows, width: Math.round(bar.getBoundingClientRect().width) };
  });
}
const suite = enabled ? describe : describe.skip;

/**
 * The terminal's rows that are full lines of digits (a long line of output wrapped at the
 * terminal's width), each with the right edge of its last character's glyph, and the edges it
 * must stay inside: the row's box (which clips), the pane, and the vertical scrollbar.
 */
async function terminalEdges(page: Page, host: string): Promise<{ cols: number; lastRight: number; visibleRight: number; rowRight: number; scrollbarLeft: number | null; cellWidth: number }> {
  return page.evaluate((h) => {
    const pane = document.querySelector(`.term[data-host="${h}"]`)!;
    const rows = [...pane.querySelectorAll<HTMLElement>('.xterm-rows > div')].filter((r) => /^(0123456789)+\d*$/.test(r.textContent ?? ''));
    const row = rows.sort((a, b) => b.textContent!.length - a.textContent!.length)[0];
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    let last: Text | null = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).length > 0) last = n as Text;
    const range = document.createRange();
    range.setStart(last!, last!.length - 1);
    range.setEnd(last!, last!.length);
    const paneBox = pane.getBoundingClientRect();
    const padRight = parseFloat(getComputedStyle(pane).paddingRight);
    const bar = pane.querySelector('.scrollbar.vertical');
    const barBox = bar?.getBoundingClientRect();
    const screen = pane.querySelector('.xterm-screen')!.getBoundingClientRect();
    const cols = row.textContent!.length;
    return {
      cols,
      lastRight: range.getBoundingClientRect().right,
      visibleRight: paneBox.right - padRight,
      rowRight: row.getBoundingClientRect().right,
      scrollbarLeft: barBox && barBox.width > 0 ? barBox.left : null,
      cellWidth: screen.width / cols,
    };
  }, host);
}

suite('layout in Chromium', () => {
  const served = useServedBrowser();

  it('messages in flight at 10x never cover a host or process label in the topology', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
    await page.selectOption('[data-control="speed"]', '10');
    // Every frame for 4 s: each pulse drawn against every label of every host (the sentinels
    // talk to every other host, so messages between redis01 and redis03 pass redis02).
    const seen = await page.evaluate(async () => {
      const labels = [...document.querySelectorAll('section.topology .host text')].map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
      const hit = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      let pulses = 0;
      const covering: string[] = [];
      const end = performance.now() + 4000;
      while (performance.now() < end) {
        await new Promise((r) => requestAnimationFrame(r));
        for (const c of document.querySelectorAll<SVGCircleElement>('.pulse-layer circle')) {
          const box = c.getBoundingClientRect();
          pulses++;
          for (const l of labels) if (hit(box, l.box)) covering.push(`${c.dataset.kind} over "${l.text}"`);
        }
      }
      return { pulses, labels: labels.length, covering: [...new Set(covering)] };
    });
    expect(seen.labels).toBeGreaterThanOrEqual(3 * 2 + 3 * 2 * 2);
    expect(seen.pulses).toBeGreaterThan(100);
    expect(seen.covering).toEqual([]);
    await screenshot(page, 'topology-pulses-10x', 'section.topology');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('the three-host topologies are drawn with labels >= 11 px at 1280x800, every label inside its row, none overlapping; 1920x1080 keeps three wide boxes in a row', async () => {
    const cases = [
      { q: 'preset=three-hosts-sentinels', hosts: ['redis01', 'redis02', 'redis03'], port: 26379 },
      { q: 'preset=cluster-6', hosts: ['node1', 'node2', 'node3'], port: 7001 },
    ];
    for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
      for (const c of cases) {
        const context = await served.browser.newContext({ viewport });
        const { page, errors } = await openPage(context, `${served.url}?${c.q}&fresh=1`);
        for (const h of c.hosts) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="${c.port}"]`);
        await page.waitForTimeout(300);
        const g = await page.evaluate(() => {
          const svg = document.querySelector<SVGSVGElement>('section.topology svg')!;
          const texts = [...svg.querySelectorAll<SVGTextElement>('.host text')];
          // The size a label is drawn at: its font size times the drawing's scale on screen.
          const px = texts.map((t) => ({ text: t.textContent!, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a }));
          const box = (e: Element) => e.getBoundingClientRect();
          const overlaps: string[] = [];
          const outside: string[] = [];
          // Each process row's and each host header's own texts: inside its background, apart.
          for (const row of svg.querySelectorAll('.proc, .header')) {
            const bg = box(row.querySelector('.row-bg, .header-bg')!);
            const own = [...row.querySelectorAll(':scope > text')].map((t) => ({ text: t.textContent!, b: box(t) }));
            for (const t of own) if (t.b.left < bg.left - 0.5 || t.b.right > bg.right + 0.5 || t.b.top < bg.top - 0.5 || t.b.bottom > bg.bottom + 0.5) outside.push(t.text);
            for (let i = 0; i < own.length; i++) for (let j = i + 1; j < own.length; j++) {
              const a = own[i].b, b = own[j].b;
              if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`${own[i].text} / ${own[j].text}`);
            }
          }
          const tops = [...new Set([...svg.querySelectorAll('.host .box')].map((b) => Math.round(box(b).top)))];
          const terms = document.querySelector('section.terminals, .terms')!.getBoundingClientRect();
          return { minPx: Math.min(...px.map((p) => p.px)), smallest: px.sort((a, b) => a.px - b.px)[0], overlaps, outside, rows: tops.length, svgBottom: box(svg).bottom, termsTop: terms.top, layout: document.querySelector('section.topology')!.getAttribute('data-layout') };
        });
        const where = `${viewport.width}x${viewport.height} ${c.q}: ${JSON.stringify(g)}`;
        // The old layout drew three 318-unit boxes side by side in the 844 px panel: 0.65 scale, 7-9 px labels.
        if (viewport.width === 1280) expect(g.minPx, where).toBeGreaterThanOrEqual(11);
        else expect(g, where).toMatchObject({ layout: '3 wide', rows: 1 });
        expect(g.minPx, where).toBeGreaterThanOrEqual(10);
        expect(g.overlaps, where).toEqual([]);
        expect(g.outside, where).toEqual([]);
        expect(g.svgBottom, where).toBeLessThanOrEqual(g.termsTop);
        await screenshot(page, `topology-${c.q.replace(/\W+/g, '-')}-${viewport.width}`, 'section.topology');
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  }, 120_000);

  it("lesson c4's topology fits its panel with the message kinds' legend at 1280x800 and 1024x768: nothing scrolls, no process is hidden", async () => {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 768 }]) {
      const context = await served.browser.newContext({ viewport });
      const { page, errors } = await openPage(context, `${served.url}?lesson=c4-quorum-vs-majority&fresh=1&autoplay=1`);
      // Eight processes in one box, and the sentinels' traffic: a legend of two lines or more.
      await page.waitForSelector('.proc[data-port="26383"]', { timeout: 90_000 });
      await page.waitForFunction(() => document.querySelectorAll('.topology .kinds label').length >= 8, null, { timeout: 60_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const g = await page.evaluate(() => {
        const topo = document.querySelector('section.topology')!;
        const panel = topo.getBoundingClientRect();
        const inside = (e: Element) => {
          const b = e.getBoundingClientRect();
          return b.top >= panel.top - 0.5 && b.bottom <= panel.bottom + 0.5 && b.left >= panel.left - 0.5 && b.right <= panel.right + 0.5;
        };
        const legend = document.querySelector('.topology .kinds')!;
        const items = [...legend.querySelectorAll('label')];
        const svg = document.querySelector<SVGSVGElement>('section.topology svg')!;
        return {
          scrolls: topo.scrollHeight > topo.clientHeight + 1,
          legendInside: inside(legend),
          // An item of the legend on two lines (a checkbox apart from its name).
          split: items.filter((l) => l.getBoundingClientRect().height > 20).map((l) => l.textContent),
          lines: new Set(items.map((l) => Math.round(l.getBoundingClientRect().top))).size,
          hiddenProcs: [...svg.querySelectorAll('.proc')].filter((p) => !inside(p)).map((p) => p.getAttribute('data-port')),
          procs: svg.querySelectorAll('.proc').length,
          scale: svg.getScreenCTM()!.a,
        };
      });
      const where = `${viewport.width}x${viewport.height}: ${JSON.stringify(g)}`;
      await screenshot(page, `topology-c4-legend-${viewport.width}`, 'section.topology');
      // Before, the drawing kept the height its width gave it and pushed the legend out of the panel.
      expect(g.legendInside, where).toBe(true);
      expect(g.scrolls, where).toBe(false);
      expect(g.split, where).toEqual([]);
      expect(g.procs, where).toBe(8);
      expect(g.hiddenProcs, where).toEqual([]);
      expect(g.scale, where).toBeGreaterThanOrEqual(0.75);
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 240_000);

  for (const lang of ['en', 'zh']) {
    it(`the time controls stay on one line at 1280 px in ${lang}, also while busy and recording, and squeeze without overlapping when narrower`, async () => {
      const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?fresh=1&lang=${lang}`);
      await page.waitForSelector('.proc[data-port="7000"]');
      const at1280 = await toolbarGeometry(page);
      expect(at1280).toMatchObject({ lines: 1, overlapping: [], outside: [] });
      // The title and World picker on one row (with the language), the time controls on the next.
      expect(at1280.headerRows).toBeLessThanOrEqual(2);
      await screenshot(page, `header-1280-${lang}`, '.app > header');

      // Fast-forwarding: the busy note takes the clock's place, the toolbar keeps its width.
      await page.click('[data-action="pause"]');
      await page.fill('[data-control="forward-seconds"]', '120');
      await page.click('[data-action="forward"]');
      await page.waitForSelector('[data-testid="busy"]');
      expect(await toolbarGeometry(page)).toMatchObject({ lines: 1, overlapping: [], outside: [], width: at1280.width });
      await page.waitForSelector('.time[data-time-state="paused"]', { timeout: 60_000 });

      // Narrower windows: one line down to 800 px (the buttons keep their names as tooltips),
      // then wrapped, never overlapping or out of the window.
      for (const width of [1024, 800, 640, 480]) {
        await page.setViewportSize({ width, height: 800 });
        await page.waitForTimeout(100);
        const g = await toolbarGeometry(page);
        expect({ width, overlapping: g.overlapping, outside: g.outside }).toEqual({ width, overlapping: [], outside: [] });
        // Nothing on the page is wider than the window (the side panel's tabs wrap).
        expect({ width, pageWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ width, pageWidth: width });
        if (width >= 800) expect({ width, lines: g.lines }).toEqual({ width, lines: 1 });
      }
      await screenshot(page, `header-480-${lang}`, '.app > header');

      // Recording at 1280 px: the recorder's three controls take room from the toolbar, which
      // squeezes to stay on one line.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.click('[data-action="record-start"]');
      await page.waitForSelector('[data-action="record-stop"]');
      await page.waitForTimeout(100);
      expect(await toolbarGeometry(page)).toMatchObject({ lines: 1, overlapping: [], outside: [] });
      await screenshot(page, `header-1280-recording-${lang}`, '.app > header');
      for (const b of await page.locator('.time button').all()) {
        expect(await b.getAttribute('title')).toBeTruthy();
        expect(await b.getAttribute('aria-label')).toBeTruthy();
      }
      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);
  }

  for (const lang of ['en', 'zh']) {
    it(`the topology's hint stays on one line at 800, 1024 and 1280 px in ${lang}, whole from 1024 px, the whole text in its title`, async () => {
      const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?fresh=1&lang=${lang}`);
      await page.waitForSelector('.proc[data-port="7000"]');
      const hintAt = async (width: number) => {
        await page.setViewportSize({ width, height: 800 });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        return page.evaluate(() => {
          const hint = document.querySelector<HTMLElement>('section.topology .toolbar .hint')!;
          const toolbar = document.querySelector('section.topology .toolbar')!.getBoundingClientRect();
          const style = getComputedStyle(hint);
          const text = hint.textContent!;
          // The width the whole text needs, with every CJK character 1 em wide as in the fonts
          // the page names for Chinese (this machine may have none, and draw narrower boxes).
          const wide = [...text].filter((c) => /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c));
          const probe = document.createElement('span');
          probe.style.font = style.font;
          probe.style.whiteSpace = 'pre';
          probe.style.position = 'absolute';
          probe.textContent = [...text].filter((c) => !wide.includes(c)).join('');
          document.body.append(probe);
          const needed = probe.getBoundingClientRect().width + wide.length * parseFloat(style.fontSize);
          probe.remove();
          const box = hint.getBoundingClientRect();
          return {
            toolbarHeight: toolbar.height,
            // Its box no taller than one line of its text.
            oneLine: box.height <= parseFloat(style.lineHeight === 'normal' ? String(1.4 * parseFloat(style.fontSize)) : style.lineHeight),
            whole: needed <= hint.clientWidth,
            titleIsText: hint.title === text,
          };
        });
      };
      const at1280 = await hintAt(1280);
      expect(at1280).toEqual({ toolbarHeight: at1280.toolbarHeight, oneLine: true, whole: true, titleIsText: true });
      // Before, the English hint took two lines at 1024 px, three at 800 px: the toolbar grew and
      // the drawing lost the room.
      expect(await hintAt(1024)).toEqual(at1280);
      await screenshot(page, `topology-hint-1024-${lang}`, 'section.topology .toolbar');
      const at800 = await hintAt(800);
      await screenshot(page, `topology-hint-800-${lang}`, 'section.topology .toolbar');
      // At 800 px the English ends in an ellipsis, the whole in the title. (The Chinese fits here,
      // but with its buttons' labels in boxes narrower than a CJK font's: not asserted.)
      expect({ ...at800, whole: null }).toEqual({ ...at1280, whole: null });
      if (lang === 'en') expect(at800.whole).toBe(false);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it("the terminal's last column is fully visible at 1280x800 and 1920x1080, and after the panel is resized", async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?fresh=1`);
    await page.waitForSelector('.proc[data-port="7000"]');
    // 400 digits on one line: its first row on screen holds exactly as many as there are columns.
    await typeInTerminal(page, 'redis-1', 'for i in 1 2 3 4 5 6 7 8; do for j in 1 2 3 4 5; do echo -n 0123456789; done; done; echo');
    await waitForTerminal(page, 'redis-1', /0123456789\s*\n?.*root@redis-1:~#/);
    // Scroll a little so the overlay scrollbar shows (it covers the right edge while it does).
    await page.mouse.move(400, 700);
    await page.mouse.wheel(0, -40);
    for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }, { width: 1100, height: 700 }, { width: 1600, height: 900 }]) {
      await page.setViewportSize(viewport);
      // The pane is refitted on the next frame, the rows drawn on the one after.
      await page.waitForTimeout(300);
      const e = await terminalEdges(page, 'redis-1');
      const where = `${viewport.width}x${viewport.height}: ${JSON.stringify(e)}`;
      // (Within a tenth of a pixel: layout rounds to 1/64 px.)
      expect(e.lastRight, where).toBeLessThanOrEqual(e.rowRight + 0.1);
      expect(e.lastRight, where).toBeLessThanOrEqual(e.visibleRight + 0.1);
      if (e.scrollbarLeft !== null) expect(e.lastRight, where).toBeLessThanOrEqual(e.scrollbarLeft + 0.1);
      // And the columns use the width: less than a column and the scrollbar's room are left.
      expect(e.visibleRight - e.lastRight, where).toBeLessThan(e.cellWidth + 14 + 1);
      if (viewport.width === 1920) await screenshot(page, 'terminal-full-width-1920', 'section.terminals');
    }
    // The shell knows the size the page shows: the size, once it held, is an input to the world.
    await page.waitForTimeout(400);
    const { cols } = await terminalEdges(page, 'redis-1');
    await typeInTerminal(page, 'redis-1', 'echo "cols=$COLUMNS"');
    await waitForTerminal(page, 'redis-1', new RegExp(`\\ncols=${cols}\\s`));
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('timeline lines wrap between words (no address split) and statechart text stays >= 10 px at 1280x800', async () => {
    const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openPage(context, `${served.url}?preset=three-hosts-sentinels&fresh=1`);
    for (const h of ['redis01', 'redis02', 'redis03']) await page.waitForSelector(`.host[data-host="${h}"] .proc[data-port="26379"]`);
    await page.click('[data-side-tab="timeline"]');
    await page.waitForTimeout(500);
    // Each address (ip:port), pid and sentinel event in an event's line: on how many line boxes.
    const split = await page.evaluate(() => {
      const out: { words: number; wrapped: number; split: string[] } = { words: 0, wrapped: 0, split: [] };
      const lineTops = (range: Range) => new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      for (const span of document.querySelectorAll('[data-testid="timeline-events"] .line, [data-testid="timeline-events"] .host')) {
        const text = span.firstChild as Text | null;
        if (!text) continue;
        const whole = document.createRange();
        whole.selectNodeContents(span);
        if (lineTops(whole) > 1) out.wrapped++;
        for (const m of text.data.matchAll(/\d+\.\d+\.\d+\.\d+(:\d+)?|[+-][a-z][a-z-]+|\/\d+/g)) {
          const r = document.createRange();
          r.setStart(text, m.index);
          r.setEnd(text, m.index + m[0].length);
          out.words++;
          if (lineTops(r) > 1) out.split.push(m[0]);
        }
      }
      return out;
    });
    expect(split.words).toBeGreaterThan(20);
    expect(split.wrapped).toBeGreaterThan(0);
    expect(split.split).toEqual([]);
    await screenshot(page, 'timeline-wrap-1280', 'aside.side');
    // The replica's link chart is 532 wide in a ~410 px panel: drawn at 0.96 scale at least
    // (10.5 px labels stay >= 10 px), the panel scrolls sideways.
    await page.click('[data-side-tab="statecharts"]');
    const replica = await page.evaluate(() => [...document.querySelectorAll('[data-control="statechart-process"] option')].find((o) => o.textContent!.includes('slave'))!.getAttribute('value')!);
    await page.selectOption('[data-control="statechart-process"]', replica);
    await page.waitForSelector('.scroll[data-kind="replica-link"] svg');
    const scales = await page.evaluate(() => [...document.querySelectorAll<SVGSVGElement>('.scroll[data-kind] svg')].map((svg) => ({ kind: svg.closest('.scroll')!.getAttribute('data-kind'), scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width })));
    expect(scales.map((s) => s.kind)).toContain('replica-link');
    for (const s of scales) expect(10.5 * s.scale, s.kind!).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'statechart-min-scale-1280', 'aside.side');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  for (const lang of ['en', 'zh']) {
    it(`a lesson opens with its title in view, its status said in ${lang}`, async () => {
      const context = await served.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const { page, errors } = await openPage(context, `${served.url}?lesson=a0-first-steps&fresh=1&lang=${lang}`);
      await page.waitForSelector('.lesson[data-lesson-status="running"] #step-0');
      // The first step is taller than the panel: scrolled to, it pushed the title out of sight.
      await page.waitForTimeout(1000);
      const { title, panel } = await page.evaluate(() => ({
        title: document.querySelector('section.lesson h2')!.getBoundingClientRect().toJSON() as DOMRect,
        panel: document.querySelector('.side-body')!.getBoundingClientRect().toJSON() as DOMRect,
      }));
      expect(title.top).toBeGreaterThanOrEqual(panel.top);
      expect(title.bottom).toBeLessThanOrEqual(panel.bottom);
      expect(await page.textContent('section.lesson .status')).toBe(lang === 'zh' ? '进行中' : 'running');
      await screenshot(page, `lesson-start-${lang}`);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
