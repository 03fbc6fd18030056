/**
 * Real-browser support for the e2e tests: Debian's Chromium driven by playwright-core (no
 * browser download), against the production build served by `vite preview` on a free port:
 * one build and one server per `vitest run`, made by the e2e project's globalSetup
 * (global-setup.ts, see vitest.config.ts) only when e2e files are selected.
 *
 * Chromium missing: the tests skip locally and fail under CI=true (CI installs it).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type InlineConfig, type PreviewServer } from 'vite';
import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null);

export const LAUNCH_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Throws under CI when Chromium is missing; false (skip) locally. */
export function haveChromium(): boolean {
  if (CHROMIUM) return true;
  if (process.env.CI === 'true') throw new Error('chromium is not installed but CI=true: the browser tests must run in CI');
  return false;
}

export interface Served {
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/** The build the e2e project's globalSetup made and serves, for every e2e file of the run. */
export interface SharedBuild {
  url: string;
  outDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** null: Chromium is missing, nothing was built (the e2e suites skip, or fail under CI). */
    e2eBuild: SharedBuild | null;
  }
}

/**
 * A production build, as `npm run build` makes it, into a new temporary directory; `config`
 * adds to (or, with `configFile: false`, replaces) vite.config.ts. Returns the directory.
 */
export async function buildProduction(config: InlineConfig = {}, prefix = 'halab-build-'): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  // vitest sets NODE_ENV=test, which Vite would otherwise take as a development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'error', mode: 'production', ...config, build: { ...config.build, outDir, emptyOutDir: true, sourcemap: false } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

/** Serve a build with `vite preview` on a free port of 127.0.0.1. */
export async function servePreview(outDir: string, config: InlineConfig = {}): Promise<Served> {
  const server: PreviewServer = await preview({ logLevel: 'error', ...config, build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { url, outDir, close: () => server.close() };
}

/** Build the app into a temporary directory and serve it with `vite preview`. */
export async function buildAndServe(): Promise<Served> {
  return servePreview(await buildProduction({}, 'halab-e2e-'));
}

/**
 * For an e2e suite: the shared build's address and directory, and a Chromium launched before
 * the suite's tests and closed after them (one browser per file: files run in parallel, each in
 * its own process). Call inside the suite's `describe`; read the getters inside tests or hooks.
 */
export function useServedBrowser(): { readonly url: string; readonly outDir: string; readonly browser: Browser } {
  let browser: Browser | null = null;
  const shared = (): SharedBuild => {
    const built = inject('e2eBuild');
    // undefined: the file ran outside the e2e project (whose globalSetup builds).
    if (!built) throw new Error(`no shared build (${built === null ? 'chromium is missing' : 'run the e2e files through the e2e project of vitest.config.ts'})`);
    return built;
  };
  beforeAll(async () => {
    shared();
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get url() {
      return shared().url;
    },
    get outDir() {
      return shared().outDir;
    },
    get browser() {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM!, headless: true, args: LAUNCH_FLAGS });
}

/** A page that records console errors and uncaught exceptions (tests assert there are none). */
export async function openPage(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('.app[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (selector) await page.locator(selector).first().screenshot({ path });
  else await page.screenshot({ path });
}

/** Type a line into the visible terminal of `host` through the keyboard, then Enter. */
export async function typeInTerminal(page: Page, host: string, line: string): Promise<void> {
  await page.click(`[data-terminal-tab="${host}"]`);
  const pane = page.locator(`.term[data-host="${host}"]`);
  await pane.click();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** The text the terminal of `host` shows (xterm's DOM rows). */
export async function terminalText(page: Page, host: string): Promise<string> {
  return page.locator(`.term[data-host="${host}"] .xterm-rows`).innerText();
}

/** Wait until the terminal of `host` shows `text` (a substring or a pattern). */
export async function waitForTerminal(page: Page, host: string, text: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await terminalText(page, host);
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal ${host} never showed ${String(text)}; it shows:\n${last}`);
}
