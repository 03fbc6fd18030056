/**
 * Keeps xterm.js 6.0's DOM renderer's text on its grid, so the last column is not cut off.
 *
 * The renderer lays a row's text out as spans and pulls each character onto the grid of cells
 * with CSS letter-spacing: cell width minus the character's width. It measures a character's
 * width as the `offsetWidth` of 32 copies of it, divided by 32, and `offsetWidth` is a whole
 * number of pixels: with DejaVu Sans Mono at 13 px a character is 7.8267 px wide but measures
 * 250 / 32 = 7.8125, so every character is drawn 0.014 px wider than its cell and a row of 160
 * ends 2.3 px past the grid, where the row's box (as wide as the grid, overflow hidden) cuts
 * the last character. The renderer also computes that spacing once (when it starts or the
 * font changes), not when a resize changes the cell width (the grid's width is rounded to
 * whole pixels, so the cell width moves a little with the number of columns).
 *
 * So: measure with the fractional `getBoundingClientRect`, and compute the spacing again after
 * every resize. (xterm.js 6.1 measures with canvas text metrics, which are fractional too.)
 * These are the renderer's private members; where they are not found (another renderer, another
 * version) nothing is changed.
 */
import type { Terminal } from '@xterm/xterm';

interface WidthCacheInternals {
  _measureElements: HTMLElement[];
  _measure(c: string, variant: number): number;
  clear(): void;
}

interface DomRendererInternals {
  _widthCache?: WidthCacheInternals;
  _setDefaultSpacing?: () => void;
  handleResize(cols: number, rows: number): void;
}

/** Copies of a character measured at once (as the renderer does). */
const REPEAT = 32;

export function keepTextOnGrid(term: Terminal): boolean {
  const core = (term as unknown as { _core?: { _renderService?: { _renderer?: { value?: DomRendererInternals } } } })._core;
  const renderer = core?._renderService?._renderer?.value;
  const cache = renderer?._widthCache;
  if (!renderer || !cache || typeof cache._measure !== 'function' || !Array.isArray(cache._measureElements) || typeof renderer._setDefaultSpacing !== 'function') return false;
  const setDefaultSpacing = renderer._setDefaultSpacing.bind(renderer);
  cache._measure = (c: string, variant: number): number => {
    const el = cache._measureElements[variant];
    el.textContent = c.repeat(REPEAT);
    return el.getBoundingClientRect().width / REPEAT;
  };
  const handleResize = renderer.handleResize.bind(renderer);
  renderer.handleResize = (cols: number, rows: number): void => {
    handleResize(cols, rows);
    cache.clear();
    setDefaultSpacing();
  };
  cache.clear();
  setDefaultSpacing();
  term.refresh(0, term.rows - 1);
  return true;
}
