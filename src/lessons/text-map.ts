/**
 * Pieces of a lesson (a check block, a `when:` expression inside YAML, one solution line) are
 * parsed on their own; a TextMap turns an offset in such a piece back into a position in the
 * lesson file, so every diagnostic points at the real line and column.
 */
import type { SourcePos } from './diagnostics';

export type TextMap = (offset: number) => SourcePos;

/**
 * A map for text whose line i starts in the file at line `firstLine + i`, column
 * `startColumn(i)` (1-based). Offsets past the end map to the end.
 */
export function textMap(text: string, firstLine: number, startColumn: (lineIndex: number) => number): TextMap {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset) => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: firstLine + lo, column: startColumn(lo) + (o - lineStarts[lo]) };
  };
}

/** A map for a single piece of text starting at a known file position. */
export function textMapAt(text: string, start: SourcePos): TextMap {
  return textMap(text, start.line, (i) => (i === 0 ? start.column : 1));
}
