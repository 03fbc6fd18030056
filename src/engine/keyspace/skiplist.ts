/**
 * A skiplist ordered by (score, member) with spans, like Redis's zskiplist (t_zset.c).
 *
 * Each node has a tower of forward pointers; level i skips over roughly 4^i nodes. Every
 * forward pointer also records its span (how many level-0 nodes it jumps), so the rank of a
 * node is the sum of spans walked to reach it, and the node at a given rank is found by walking
 * down while the accumulated span stays below it. Both are O(log n), which is what ZRANK,
 * ZRANGE by index and ZREMRANGEBYRANK need.
 *
 * Members compare as byte strings: JS string comparison on byte strings is memcmp order.
 * Levels are drawn from a private xorshift generator: they only affect speed, never results.
 */

const MAX_LEVEL = 32;
const P = 0.25;

export class SkipNode {
  readonly forward: (SkipNode | null)[];
  readonly span: number[];
  backward: SkipNode | null = null;
  constructor(public score: number, public member: string, level: number) {
    this.forward = new Array(level).fill(null);
    this.span = new Array(level).fill(0);
  }
}

export interface ScoreRange { min: number; max: number; minex: boolean; maxex: boolean }
/** Lex range bounds: '-' / '+' are the infinities; otherwise inclusive or exclusive strings. */
export interface LexRange { min: string; max: string; minex: boolean; maxex: boolean; minInf?: -1 | 1; maxInf?: -1 | 1 }

function lt(aScore: number, aMember: string, bScore: number, bMember: string): boolean {
  return aScore < bScore || (aScore === bScore && aMember < bMember);
}

export function valueGteMin(v: number, r: ScoreRange): boolean { return r.minex ? v > r.min : v >= r.min; }
export function valueLteMax(v: number, r: ScoreRange): boolean { return r.maxex ? v < r.max : v <= r.max; }

export function lexGteMin(s: string, r: LexRange): boolean {
  if (r.minInf === -1) return true;
  if (r.minInf === 1) return false;
  return r.minex ? s > r.min : s >= r.min;
}
export function lexLteMax(s: string, r: LexRange): boolean {
  if (r.maxInf === 1) return true;
  if (r.maxInf === -1) return false;
  return r.maxex ? s < r.max : s <= r.max;
}

export class SkipList {
  readonly header = new SkipNode(0, '', MAX_LEVEL);
  tail: SkipNode | null = null;
  length = 0;
  level = 1;
  private seed = 0x9e3779b9;

  private randomLevel(): number {
    let level = 1;
    for (;;) {
      // xorshift32
      let x = this.seed;
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      this.seed = x;
      if ((x & 0xffff) < P * 0xffff && level < MAX_LEVEL) level++;
      else return level;
    }
  }

  insert(score: number, member: string): SkipNode {
    const update: SkipNode[] = new Array(MAX_LEVEL);
    const rank: number[] = new Array(MAX_LEVEL).fill(0);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f = x.forward[i];
      while (f && lt(f.score, f.member, score, member)) {
        rank[i] += x.span[i];
        x = f;
        f = x.forward[i];
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        update[i].span[i] = this.length;
      }
      this.level = level;
    }
    const node = new SkipNode(score, member, level);
    for (let i = 0; i < level; i++) {
      node.forward[i] = update[i].forward[i];
      update[i].forward[i] = node;
      node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.backward = update[0] === this.header ? null : update[0];
    if (node.forward[0]) node.forward[0].backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  private unlink(x: SkipNode, update: SkipNode[]): void {
    for (let i = 0; i < this.level; i++) {
      if (update[i].forward[i] === x) {
        update[i].span[i] += x.span[i] - 1;
        update[i].forward[i] = x.forward[i];
      } else {
        update[i].span[i] -= 1;
      }
    }
    if (x.forward[0]) x.forward[0].backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
  }

  delete(score: number, member: string): boolean {
    const update: SkipNode[] = new Array(MAX_LEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && lt(f.score, f.member, score, member)) { x = f; f = x.forward[i]; }
      update[i] = x;
    }
    const target = x.forward[0];
    if (target && target.score === score && target.member === member) {
      this.unlink(target, update);
      return true;
    }
    return false;
  }

  /** 1-based rank of (score, member), 0 if absent. */
  getRank(score: number, member: string): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && (f.score < score || (f.score === score && f.member <= member))) {
        rank += x.span[i];
        x = f;
        f = x.forward[i];
      }
      if (x !== this.header && x.member === member) return rank;
    }
    return 0;
  }

  /** Node at 1-based rank, or null. */
  getByRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = x.forward[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  first(): SkipNode | null { return this.header.forward[0]; }

  firstInRange(r: ScoreRange): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] && !valueGteMin(x.forward[i]!.score, r)) x = x.forward[i]!;
    }
    const n = x.forward[0];
    return n && valueLteMax(n.score, r) ? n : null;
  }

  lastInRange(r: ScoreRange): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] && valueLteMax(x.forward[i]!.score, r)) x = x.forward[i]!;
    }
    return x !== this.header && valueGteMin(x.score, r) ? x : null;
  }

  firstInLexRange(r: LexRange): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] && !lexGteMin(x.forward[i]!.member, r)) x = x.forward[i]!;
    }
    const n = x.forward[0];
    return n && lexLteMax(n.member, r) ? n : null;
  }

  lastInLexRange(r: LexRange): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] && lexLteMax(x.forward[i]!.member, r)) x = x.forward[i]!;
    }
    return x !== this.header && lexGteMin(x.member, r) ? x : null;
  }

  *[Symbol.iterator](): Generator<SkipNode> {
    for (let n = this.header.forward[0]; n; n = n.forward[0]) yield n;
  }
}
