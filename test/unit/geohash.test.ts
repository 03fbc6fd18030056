/**
 * The geohash arithmetic and the distance formatting of the GEO commands, on values from
 * Redis's own documentation (GEOADD/GEOPOS/GEODIST/GEOHASH examples) and on the edge cases a
 * differential test cannot reach easily (exact rounding ties, the C casts of odd scores).
 */
import { describe, it, expect } from 'vitest';
import { decodeScore, encodeScore, geoDistance, scoreToBits, standardGeohash } from '../../src/engine/commands/geohash';
import { fmtDistance } from '../../src/engine/commands/geo';
import { formatHumanDouble } from '../../src/engine/util/numbers';

describe('geohash', () => {
  it('encodes the documented Sicily points to the documented scores', () => {
    expect(encodeScore(13.361389, 38.115556)).toBe(3479099956230698n);
    expect(encodeScore(15.087269, 37.502669)).toBe(3479447370796909n);
  });

  it('decodes a score to the centre of its cell, as GEOPOS prints it', () => {
    const [lon, lat] = decodeScore(3479099956230698);
    expect([formatHumanDouble(lon), formatHumanDouble(lat)]).toEqual(['13.36138933897018433', '38.11555639549629859']);
  });

  it('re-encodes over the standard latitude range for GEOHASH', () => {
    expect(standardGeohash(3479099956230698)).toBe('sqc8b49rny0');
    expect(standardGeohash(3479447370796909)).toBe('sqdtr74hyu0');
  });

  it('measures the haversine distance on a sphere of 6372797.560856 m', () => {
    const [a, b] = [decodeScore(3479099956230698), decodeScore(3479447370796909)];
    expect(fmtDistance(geoDistance(a[0], a[1], b[0], b[1]))).toBe('166274.1516');
    expect(fmtDistance(geoDistance(a[0], a[1], b[0], b[1]) / 1000)).toBe('166.2742');
  });

  it('decodes 52-bit integer scores (the fast path) like any other score (the 64-bit path)', () => {
    let x = 99;
    const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32; };
    for (let i = 0; i < 2000; i++) {
      const score = Math.floor(rnd() * 2 ** 26) * 2 ** 26 + Math.floor(rnd() * 2 ** 26);
      // score + 0.5 is exact below 2^52 and truncates to the same bits on the BigInt path.
      expect(decodeScore(score)).toEqual(decodeScore(score + 0.5));
    }
    expect(decodeScore(2 ** 52 - 1)).toEqual(decodeScore(2 ** 52 - 0.5));
    expect(decodeScore(0)).toEqual(decodeScore(0.5));
  });

  it('casts odd scores to uint64 the way x86-64 C code does', () => {
    expect(scoreToBits(-1)).toBe((1n << 64n) - 1n);
    expect(scoreToBits(0.9)).toBe(0n);
    expect(scoreToBits(Infinity)).toBe(0n);
    expect(scoreToBits(-Infinity)).toBe(1n << 63n);
    expect(scoreToBits(2 ** 63)).toBe(1n << 63n);
    expect(scoreToBits(2 ** 64)).toBe(0n);
  });
});

describe('fmtDistance (fixedpoint_d2string with 4 digits)', () => {
  it('rounds exact halves to even, like llrint', () => {
    expect(fmtDistance(0.03125)).toBe('0.0312');
    expect(fmtDistance(0.09375)).toBe('0.0938');
  });
  it('pads small values and keeps 4 decimals', () => {
    expect(fmtDistance(0)).toBe('0.0000');
    expect(fmtDistance(1e-9)).toBe('0.0000');
    expect(fmtDistance(0.0005)).toBe('0.0005');
    expect(fmtDistance(12)).toBe('12.0000');
    expect(fmtDistance(19926.99995)).toBe('19927.0000');
  });
});
