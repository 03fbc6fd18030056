/**
 * Which lines of two files `diff` reports as deleted and inserted, computed the way GNU
 * diffutils 3.8 does, so that the simulated `diff` prints the very hunks the real one prints.
 *
 * Many edit scripts are minimal for the same two files (delete `a` then insert `b`, or the other
 * way round; which of two equal lines to keep), and GNU's choice among them follows from the
 * order of its steps, each reproduced here:
 *
 * 1. Identical ends. Lines equal byte for byte at the start and at the end of both files are
 *    set aside, except `horizonLines` of them next to the differing middle (the context width
 *    of `-u`/`-c`, 0 for the normal format): only the middle region is analysed, so the
 *    statistics of step 2 count only its lines, and step 4 cannot move a change past it.
 *
 * 2. Confusing lines. In the region, a line with no equal line in the other file can never be
 *    kept, so it is marked deleted (inserted) at once and left out of the search. A line with
 *    very many equals in the other file (more than about the square root of the file's length,
 *    at least 6) is left out too when it sits inside a run of such one-sided lines: it would
 *    mostly create long detours for the search. That may, rarely, cost a few extra changes;
 *    `--minimal` turns the whole step off.
 *
 * 3. Myers' O(ND) search on what remains: the fewest deletions plus insertions (D) that turn
 *    one sequence into the other. A forward search from the top-left corner and a backward one
 *    from the bottom-right corner each extend, one edit at a time, the furthest point reached
 *    on every diagonal (x - y = k), following runs of equal lines ("snakes") for free. When the
 *    two searches overlap on a diagonal, the overlap point lies on a minimal path: the halves
 *    before and after it are solved the same way, recursively. Each half first strips its own
 *    equal head and tail, and diagonals are visited from the highest k down, which is what
 *    decides GNU's ties (a deletion is preferred over an insertion on the same step).
 *
 * 4. Sliding. A run of changed lines can often move up or down when the lines around it repeat
 *    (deleting the first `x` of `x x` or the second is the same). Each run is first merged with
 *    any run it can reach, then pushed as far down as it goes, unless it can line up with a
 *    changed run of the other file, which makes a single `c` hunk instead of a `d` and an `a`.
 *
 * GNU switches to a cheaper, inexact search once D exceeds a few thousand; files in the
 * simulation are small, so that is not reproduced (huge, very different files may differ).
 */

/** One changed flag per line of each file: deleted from the first, inserted into the second. */
export interface LineChanges { deleted: Uint8Array; inserted: Uint8Array }

/**
 * Compare two files given as lines: `raw` is each line's exact bytes (including whether it ends
 * in a newline), `classes` an equivalence class per line, equal when the lines must be
 * considered equal (after `-i`, `-b`, `-w`).
 */
export function changedLines(
  raw: [string[], string[]], classes: [number[], number[]], horizonLines: number, minimal = false,
): LineChanges {
  const [rawA, rawB] = raw;
  const lenA = rawA.length;
  const lenB = rawB.length;
  const deleted = new Uint8Array(lenA);
  const inserted = new Uint8Array(lenB);

  // 1. The analysed region: identical ends set aside, minus the horizon kept next to the middle.
  let headLines = 0;
  while (headLines < lenA && headLines < lenB && rawA[headLines] === rawB[headLines]) headLines++;
  const regionStart = Math.max(0, headLines - horizonLines);
  const tailLimit = Math.min(lenA, lenB) - regionStart;
  let tailLines = 0;
  while (tailLines < tailLimit && rawA[lenA - 1 - tailLines] === rawB[lenB - 1 - tailLines]) tailLines++;
  const regionTail = Math.max(0, tailLines - horizonLines);
  const eqA = classes[0].slice(regionStart, lenA - regionTail);
  const eqB = classes[1].slice(regionStart, lenB - regionTail);

  // Flags over the region, with a zero guard before and after (index -1 and length).
  const flagsA = new Uint8Array(eqA.length + 2);
  const flagsB = new Uint8Array(eqB.length + 2);

  // 2. Leave confusing lines out of the search.
  const keepA = minimal ? eqA.map(() => true) : keptLines(eqA, eqB);
  const keepB = minimal ? eqB.map(() => true) : keptLines(eqB, eqA);
  const searchA: number[] = [];
  const indexA: number[] = [];
  const searchB: number[] = [];
  const indexB: number[] = [];
  eqA.forEach((c, i) => { if (keepA[i]) { searchA.push(c); indexA.push(i); } else flagsA[i + 1] = 1; });
  eqB.forEach((c, i) => { if (keepB[i]) { searchB.push(c); indexB.push(i); } else flagsB[i + 1] = 1; });

  // 3. The minimal edit script between the kept lines.
  new MyersSearch(searchA, searchB,
    (x) => { flagsA[indexA[x] + 1] = 1; },
    (y) => { flagsB[indexB[y] + 1] = 1; }).solve(0, searchA.length, 0, searchB.length);

  // 4. Slide the runs of changes: the first file's against the second's, then the reverse.
  slideRuns(flagsA, flagsB, eqA);
  slideRuns(flagsB, flagsA, eqB);

  for (let i = 0; i < eqA.length; i++) deleted[regionStart + i] = flagsA[i + 1];
  for (let i = 0; i < eqB.length; i++) inserted[regionStart + i] = flagsB[i + 1];
  return { deleted, inserted };
}

/** Step-2 marks: a line that has no equal in the other file, or (provisionally) a great many. */
const NO_MATCH = 1;
const MANY_MATCHES = 2;

/**
 * Which lines of `mine` take part in the search (step 2). Lines without any equal in `other` are
 * left out. Lines with more than `many` equals are left out only inside a stretch of left-out
 * lines that begins and ends with a line without equals, where they are a minority (at most a
 * quarter), not in a long streak of their own, and not among the first or last few lines of the
 * stretch (up to three unmatched lines in a row, or eight lines in, anchor each end).
 */
function keptLines(mine: number[], other: number[]): boolean[] {
  const countInOther = new Map<number, number>();
  for (const c of other) countInOther.set(c, (countInOther.get(c) ?? 0) + 1);
  // About the square root of the length: 5 for up to 255 lines, doubling every factor of 4.
  let many = 5;
  for (let quarterRoot = Math.floor(mine.length / 64) >> 2; quarterRoot > 0; quarterRoot >>= 2) many *= 2;
  const mark = mine.map((c) => {
    const n = countInOther.get(c) ?? 0;
    return n === 0 ? NO_MATCH : n > many ? MANY_MATCHES : 0;
  });

  for (let i = 0; i < mark.length; i++) {
    if (mark[i] === MANY_MATCHES) { mark[i] = 0; continue; }
    if (mark[i] !== NO_MATCH) continue;
    // A stretch of marked lines starting at i; drop provisional lines from its end.
    let end = i;
    let provisional = 0;
    while (end < mark.length && mark[end] !== 0) { if (mark[end] === MANY_MATCHES) provisional++; end++; }
    while (end > i && mark[end - 1] === MANY_MATCHES) { mark[--end] = 0; provisional--; }
    const length = end - i;
    if (provisional * 4 > length) {
      for (let j = i; j < end; j++) if (mark[j] === MANY_MATCHES) mark[j] = 0;
    } else {
      clearLongStreaks(mark, i, length);
      clearNearEnd(mark, i, length, 1);
      clearNearEnd(mark, i + length - 1, length, -1);
    }
    i = end - 1;
  }
  return mark.map((m) => m === 0);
}

/**
 * In a stretch, a streak of provisional lines at least about log2(length / 4) + 1 long is too
 * much of a pattern to skip: keep all of it.
 */
function clearLongStreaks(mark: number[], start: number, length: number): void {
  let minimum = 1;
  for (let t = length >> 2; (t >>= 1) > 0;) minimum <<= 1;
  minimum++;
  let streak = 0;
  for (let j = 0; j < length; j++) {
    if (mark[start + j] !== MANY_MATCHES) { streak = 0; continue; }
    streak++;
    if (streak === minimum) j -= streak; // go back and clear the whole streak, this one included
    else if (streak > minimum) mark[start + j] = 0;
  }
}

/**
 * Keep the provisional lines near one end of a stretch (walking from `from` in `step`), until
 * three unmatched lines in a row or an unmatched line at least eight lines in.
 */
function clearNearEnd(mark: number[], from: number, length: number, step: 1 | -1): void {
  let unmatchedRun = 0;
  for (let j = 0; j < length; j++) {
    const k = from + j * step;
    if (j >= 8 && mark[k] === NO_MATCH) break;
    if (mark[k] === MANY_MATCHES) { mark[k] = 0; unmatchedRun = 0; } else if (mark[k] === 0) unmatchedRun = 0;
    else unmatchedRun++;
    if (unmatchedRun === 3) break;
  }
}

/**
 * Step 3: the forward and backward searches. `forward[k]` is the furthest x reached on diagonal
 * k = x - y from the top-left corner of the current box, `backward[k]` the smallest x reached
 * from its bottom-right corner. Both arrays are indexed with an offset so that k may be negative.
 */
class MyersSearch {
  private readonly forward: Int32Array;
  private readonly backward: Int32Array;
  private readonly offset: number;

  constructor(
    private readonly a: number[], private readonly b: number[],
    private readonly onDelete: (x: number) => void, private readonly onInsert: (y: number) => void,
  ) {
    const diagonals = a.length + b.length + 3;
    this.forward = new Int32Array(diagonals);
    this.backward = new Int32Array(diagonals);
    this.offset = b.length + 1;
  }

  /** Mark a minimal set of changes that turns a[xLow, xHigh) into b[yLow, yHigh). */
  solve(xLow: number, xHigh: number, yLow: number, yHigh: number): void {
    const { a, b } = this;
    while (xLow < xHigh && yLow < yHigh && a[xLow] === b[yLow]) { xLow++; yLow++; }
    while (xLow < xHigh && yLow < yHigh && a[xHigh - 1] === b[yHigh - 1]) { xHigh--; yHigh--; }
    if (xLow === xHigh) { for (let y = yLow; y < yHigh; y++) this.onInsert(y); return; }
    if (yLow === yHigh) { for (let x = xLow; x < xHigh; x++) this.onDelete(x); return; }
    const [xMid, yMid] = this.middle(xLow, xHigh, yLow, yHigh);
    this.solve(xLow, xMid, yLow, yMid);
    this.solve(xMid, xHigh, yMid, yHigh);
  }

  /**
   * A point on a minimal path through the box: where the forward search (after an odd total of
   * edits) or the backward one (even) first meets the other on a diagonal.
   */
  private middle(xLow: number, xHigh: number, yLow: number, yHigh: number): [number, number] {
    const { a, b, forward: fwd, backward: bwd, offset: o } = this;
    const kMin = xLow - yHigh;
    const kMax = xHigh - yLow;
    const kForward = xLow - yLow;
    const kBackward = xHigh - yHigh;
    const odd = ((kForward - kBackward) & 1) !== 0;
    let fLow = kForward;
    let fHigh = kForward;
    let bLow = kBackward;
    let bHigh = kBackward;
    fwd[kForward + o] = xLow;
    bwd[kBackward + o] = xHigh;
    for (;;) {
      // One more edit forward: widen the band of diagonals (guards of -1 outside), or narrow it
      // where it already touches the box's edge.
      if (fLow > kMin) fwd[--fLow - 1 + o] = -1; else fLow++;
      if (fHigh < kMax) fwd[++fHigh + 1 + o] = -1; else fHigh--;
      for (let k = fHigh; k >= fLow; k -= 2) {
        const fromBelow = fwd[k - 1 + o];
        const fromAbove = fwd[k + 1 + o];
        // Come down from diagonal k+1 (an insertion) if it got further, else right from k-1.
        let x = fromBelow < fromAbove ? fromAbove : fromBelow + 1;
        let y = x - k;
        while (x < xHigh && y < yHigh && a[x] === b[y]) { x++; y++; }
        fwd[k + o] = x;
        if (odd && bLow <= k && k <= bHigh && bwd[k + o] <= x) return [x, y];
      }
      // One more edit backward, the mirror image (guards of +infinity).
      if (bLow > kMin) bwd[--bLow - 1 + o] = 0x7fffffff; else bLow++;
      if (bHigh < kMax) bwd[++bHigh + 1 + o] = 0x7fffffff; else bHigh--;
      for (let k = bHigh; k >= bLow; k -= 2) {
        const fromBelow = bwd[k - 1 + o];
        const fromAbove = bwd[k + 1 + o];
        let x = fromBelow < fromAbove ? fromBelow : fromAbove - 1;
        let y = x - k;
        while (x > xLow && y > yLow && a[x - 1] === b[y - 1]) { x--; y--; }
        bwd[k + o] = x;
        if (!odd && fLow <= k && k <= fHigh && x <= fwd[k + o]) return [x, y];
      }
    }
  }
}

/**
 * Step 4 for one file. `mine` and `other` are the changed flags of the region with a zero guard
 * at each end (flag of line i at i + 1); `classes` are this file's line classes. `j` follows the
 * point of the other file that lines up with line `i` (unchanged lines pair off in order).
 */
function slideRuns(mine: Uint8Array, other: Uint8Array, classes: number[]): void {
  const at = (flags: Uint8Array, i: number) => flags[i + 1];
  const set = (flags: Uint8Array, i: number, v: number) => { flags[i + 1] = v; };
  const end = classes.length;
  let i = 0;
  let j = 0;
  for (;;) {
    // Find the next run of changes, keeping j in step over the other file's changes.
    while (i < end && !at(mine, i)) {
      while (at(other, j++));
      i++;
    }
    if (i === end) return;
    let start = i;
    while (at(mine, ++i));
    while (at(other, j)) j++;

    // Where the run's end last lined up with a changed run of the other file (end: nowhere).
    let alignedEnd = end;
    let lengthBefore: number;
    do {
      lengthBefore = i - start;
      // Up while the line above equals the run's last line, absorbing runs met on the way.
      while (start > 0 && classes[start - 1] === classes[i - 1]) {
        set(mine, --start, 1);
        set(mine, --i, 0);
        while (at(mine, start - 1)) start--;
        while (at(other, --j));
      }
      alignedEnd = at(other, j - 1) ? i : end;
      // Then down while the line below equals the run's first line, absorbing runs likewise.
      while (i !== end && classes[start] === classes[i]) {
        set(mine, start++, 0);
        set(mine, i++, 1);
        while (at(mine, i)) i++;
        while (at(other, ++j)) alignedEnd = i;
      }
    } while (lengthBefore !== i - start);

    // Back up to line up with the other file's changes, if the run passed such a place.
    while (alignedEnd < i) {
      set(mine, --start, 1);
      set(mine, --i, 0);
      while (at(other, --j));
    }
  }
}
