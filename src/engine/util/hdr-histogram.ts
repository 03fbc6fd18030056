/**
 * An HDR (high dynamic range) histogram, the structure Redis 7.0 keeps per command for
 * `latency-tracking` (INFO latencystats, LATENCY HISTOGRAM).
 *
 * The value range is split into buckets that double in width. Each bucket holds
 * `subBucketCount` linear sub-buckets (the lower half of every bucket after the first overlaps
 * the previous bucket, so only the upper half gets its own counters). With 2 significant
 * figures there are 256 sub-buckets per bucket, so any recorded value is known to within 1%:
 * a value is stored in the counter of its "equivalent range" and reported back as the lowest
 * or highest value of that range. Percentiles walk the counters in order until the requested
 * share of the total count is reached.
 *
 * The logarithmic iterator reproduces hdr_iter_log exactly (including which bucket's
 * highest value it reports at each power-of-two step), because LATENCY HISTOGRAM prints it.
 */

export class HdrHistogram {
  readonly unitMagnitude: number;
  readonly subBucketHalfCountMagnitude: number;
  readonly subBucketCount: number;
  readonly subBucketHalfCount: number;
  readonly subBucketMask: bigint;
  /** subBucketMask as a number when it fits in 31 bits (-1 otherwise): record() is hot. */
  private readonly subBucketMaskSmall: number;
  readonly bucketCount: number;
  readonly countsLen: number;
  readonly counts: Float64Array;
  totalCount = 0;
  minValue = Number.MAX_SAFE_INTEGER;
  maxValue = 0;

  constructor(readonly lowest: number, readonly highest: number, readonly significantFigures: number) {
    const largestSingleUnit = 2 * 10 ** significantFigures;
    const subBucketCountMagnitude = Math.ceil(Math.log(largestSingleUnit) / Math.log(2));
    this.subBucketHalfCountMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
    this.unitMagnitude = Math.floor(Math.log(lowest) / Math.log(2));
    this.subBucketCount = 2 ** (this.subBucketHalfCountMagnitude + 1);
    this.subBucketHalfCount = this.subBucketCount / 2;
    this.subBucketMask = BigInt(this.subBucketCount - 1) << BigInt(this.unitMagnitude);
    this.subBucketMaskSmall = this.subBucketMask < 0x80000000n ? Number(this.subBucketMask) : -1;
    let smallestUntrackable = this.subBucketCount * 2 ** this.unitMagnitude;
    let buckets = 1;
    while (smallestUntrackable <= highest) { smallestUntrackable *= 2; buckets++; }
    this.bucketCount = buckets;
    this.countsLen = (buckets + 1) * this.subBucketHalfCount;
    this.counts = new Float64Array(this.countsLen);
  }

  private bucketIndex(value: number): number {
    // 64 - clz64(value | subBucketMask): the bit length of the value.
    const pow2ceiling = value < 0x80000000 && this.subBucketMaskSmall >= 0
      ? 32 - Math.clz32(value | this.subBucketMaskSmall)
      : (BigInt(value) | this.subBucketMask).toString(2).length;
    return pow2ceiling - this.unitMagnitude - (this.subBucketHalfCountMagnitude + 1);
  }

  private subBucketIndex(value: number, bucketIndex: number): number {
    const shift = bucketIndex + this.unitMagnitude;
    // A shift when it is exact (record() runs for every command); division otherwise.
    return value < 0x80000000 && shift < 31 ? value >>> shift : Math.floor(value / 2 ** shift);
  }

  private countsIndex(bucketIndex: number, subBucketIndex: number): number {
    // subBucketHalfCount is 2 ** subBucketHalfCountMagnitude.
    const base = (bucketIndex + 1) * this.subBucketHalfCount;
    return base + (subBucketIndex - this.subBucketHalfCount);
  }

  valueAtIndex(index: number): number {
    let bucketIndex = Math.floor(index / 2 ** this.subBucketHalfCountMagnitude) - 1;
    let subBucketIndex = (index & (this.subBucketHalfCount - 1)) + this.subBucketHalfCount;
    if (bucketIndex < 0) { subBucketIndex -= this.subBucketHalfCount; bucketIndex = 0; }
    return subBucketIndex * 2 ** (bucketIndex + this.unitMagnitude);
  }

  private rangeSize(bucketIndex: number, subBucketIndex: number): number {
    const adjusted = subBucketIndex >= this.subBucketCount ? bucketIndex + 1 : bucketIndex;
    return 2 ** (this.unitMagnitude + adjusted);
  }

  lowestEquivalent(value: number): number {
    const b = this.bucketIndex(value);
    return this.subBucketIndex(value, b) * 2 ** (b + this.unitMagnitude);
  }

  highestEquivalent(value: number): number {
    const b = this.bucketIndex(value);
    const s = this.subBucketIndex(value, b);
    return this.lowestEquivalent(value) + this.rangeSize(b, s) - 1;
  }

  record(value: number): boolean {
    if (value < 0) return false;
    const b = this.bucketIndex(value);
    const idx = this.countsIndex(b, this.subBucketIndex(value, b));
    if (idx < 0 || idx >= this.countsLen) return false;
    this.counts[idx]++;
    this.totalCount++;
    if (value < this.minValue && value !== 0) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
    return true;
  }

  valueAtPercentile(percentile: number): number {
    const p = percentile < 100 ? percentile : 100;
    let countAt = Math.floor((p / 100) * this.totalCount + 0.5);
    if (countAt < 1) countAt = 1;
    let sum = 0;
    let v = 0;
    for (let i = 0; i < this.countsLen; i++) {
      sum += this.counts[i];
      if (sum >= countAt) { v = this.valueAtIndex(i); break; }
    }
    return percentile === 0 ? this.lowestEquivalent(v) : this.highestEquivalent(v);
  }

  /**
   * hdr_iter_log: steps of `firstBucket`, `firstBucket*base`, ... yielding, at each step, the
   * highest equivalent value of the counter the walk stopped on and the cumulative count.
   */
  *logIterate(firstBucket: number, base: number): Generator<{ highestEquivalent: number; cumulative: number }> {
    let countsIndex = -1;
    let cumulative = 0;
    let value = 0;
    let highestEq = 0;
    let level = firstBucket;
    let levelLowest = this.lowestEquivalent(level);
    const moveNext = (): boolean => {
      countsIndex++;
      if (countsIndex >= this.countsLen) return false;
      cumulative += this.counts[countsIndex];
      value = this.valueAtIndex(countsIndex);
      const b = this.bucketIndex(value);
      const s = this.subBucketIndex(value, b);
      const leq = s * 2 ** (b + this.unitMagnitude);
      highestEq = leq + this.rangeSize(b, s) - 1;
      return true;
    };
    for (;;) {
      const hasNext = cumulative < this.totalCount;
      const peekGreater = countsIndex < this.countsLen && this.valueAtIndex(countsIndex + 1) > levelLowest;
      if (!hasNext && !peekGreater) return;
      for (;;) {
        if (value >= levelLowest) {
          level *= base;
          levelLowest = this.lowestEquivalent(level);
          yield { highestEquivalent: highestEq, cumulative };
          break;
        }
        if (!moveNext()) {
          yield { highestEquivalent: highestEq, cumulative };
          break;
        }
      }
      if (countsIndex >= this.countsLen) return;
    }
  }
}

/** Redis's per-command latency histogram: 1 ns .. 1 s with 2 significant figures. */
export function newLatencyHistogram(): HdrHistogram {
  return new HdrHistogram(1, 1_000_000_000, 2);
}
