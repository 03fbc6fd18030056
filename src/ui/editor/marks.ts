/**
 * Validation as you type: the lesson parser's diagnostics (`file:line:column: message`, 1-based)
 * become marks on the editor's text: a character range to underline, the line to flag in the
 * gutter, and the message for the list under the editor. A diagnostic may point past the end of
 * its line (a missing word) or past the end of the text; the mark is then clamped onto the last
 * character there is, so nothing is ever lost from the display.
 */
import type { Diagnostic } from '../../lessons/diagnostics';

export interface Mark {
  /** 1-based, as the diagnostic said (clamped to the text). */
  line: number;
  column: number;
  /** Offsets into the text: the underlined range [from, to). */
  from: number;
  to: number;
  message: string;
}

/** Offset of the start of each line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The offset of a 1-based line and column, clamped into the text. */
export function offsetOf(text: string, line: number, column: number, starts = lineStarts(text)): number {
  const l = Math.min(Math.max(line, 1), starts.length) - 1;
  const lineEnd = l + 1 < starts.length ? starts[l + 1] - 1 : text.length;
  return Math.min(starts[l] + Math.max(column, 1) - 1, lineEnd);
}

/** The 1-based line and column of an offset. */
export function positionOf(text: string, offset: number, starts = lineStarts(text)): { line: number; column: number } {
  const o = Math.min(Math.max(offset, 0), text.length);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: o - starts[lo] + 1 };
}

const WORD = /[^\s"'(),[\]{}:]/;

export function diagnosticsToMarks(text: string, diagnostics: readonly Diagnostic[]): Mark[] {
  const starts = lineStarts(text);
  return diagnostics.map((d) => {
    const line = Math.min(Math.max(d.line, 1), starts.length);
    const lineStart = starts[line - 1];
    const lineEnd = line < starts.length ? starts[line] - 1 : text.length;
    let from = offsetOf(text, line, d.column, starts);
    // Past the end of a non-empty line: underline its last character.
    if (from >= lineEnd && lineEnd > lineStart) from = lineEnd - 1;
    // Underline the word that starts there (at least one character, never past the line).
    let to = from;
    if (to < lineEnd && WORD.test(text[to])) while (to < lineEnd && WORD.test(text[to])) to++;
    else to = Math.min(from + 1, lineEnd);
    if (to <= from) to = from; // an empty line: the gutter flag and the list still show it
    return { line, column: from - lineStart + 1, from, to, message: d.message };
  });
}
