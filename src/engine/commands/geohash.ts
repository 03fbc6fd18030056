/**
 * The geohash arithmetic behind the GEO commands (geohash.c and geohash_helper.c in Redis).
 *
 * A position is stored as the score of a sorted-set member: longitude and latitude are each
 * scaled to a 26-bit cell index over [-180, 180] and [-85.05112878, 85.05112878] (the Web
 * Mercator limits, so the poles cannot be stored), and the two indexes are interleaved bit by
 * bit, latitude on the even bits and longitude on the odd ones, into a 52-bit integer. A
 * double holds 52 bits exactly, and members close on the map get close scores, so an area
 * search is a handful of score-range scans.
 *
 * The hash words are 64-bit in C (cell indexes are uint32, a cell just past the edge spills
 * into bits 52-53), so they are BigInts here. Everything else is double arithmetic done in the
 * same order as Redis, which makes the decoded coordinates and distances bit-identical.
 */

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

/** Earth's quadratic mean radius (WGS-84), the radius of every distance Redis computes. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

const MASK64 = (1n << 64n) - 1n;
const EVEN_BITS = 0x5555555555555555n;
const ODD_BITS = 0xaaaaaaaaaaaaaaaan;

export interface GeoRange { min: number; max: number }
/** A cell: `step` bits of precision per coordinate; {0n, 0} is "no cell" (GZERO). */
export interface GeoHashBits { bits: bigint; step: number }
export interface GeoArea { hash: GeoHashBits; lon: GeoRange; lat: GeoRange }

export const WGS84_LON: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const WGS84_LAT: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

const isZero = (h: GeoHashBits) => h.bits === 0n && h.step === 0;

/** Spread the 32 bits of `v` over the even bits of a 64-bit word. */
function spread(v: number): bigint {
  let x = BigInt(v >>> 0);
  x = (x | (x << 16n)) & 0x0000ffff0000ffffn;
  x = (x | (x << 8n)) & 0x00ff00ff00ff00ffn;
  x = (x | (x << 4n)) & 0x0f0f0f0f0f0f0f0fn;
  x = (x | (x << 2n)) & 0x3333333333333333n;
  x = (x | (x << 1n)) & EVEN_BITS;
  return x;
}

/** The inverse of spread(): the even bits of `v`, packed into a uint32. */
function squeeze(v: bigint): number {
  let x = v & EVEN_BITS;
  x = (x | (x >> 1n)) & 0x3333333333333333n;
  x = (x | (x >> 2n)) & 0x0f0f0f0f0f0f0f0fn;
  x = (x | (x >> 4n)) & 0x00ff00ff00ff00ffn;
  x = (x | (x >> 8n)) & 0x0000ffff0000ffffn;
  x = (x | (x >> 16n)) & 0x00000000ffffffffn;
  return Number(x);
}

/** C's (uint32_t) conversion of a non-negative double below 2^32: truncation. */
const toUint32 = (d: number) => Math.trunc(d) >>> 0;

/**
 * geohashEncode(): the cell of (lon, lat) at `step` bits per coordinate over the given ranges,
 * or null outside them (or outside the WGS84 limits, which Redis checks first whatever the
 * ranges).
 */
export function geohashEncode(lonRange: GeoRange, latRange: GeoRange, lon: number, lat: number, step: number): GeoHashBits | null {
  if (step > 32 || step === 0) return null;
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latRange.min || lat > latRange.max || lon < lonRange.min || lon > lonRange.max) return null;
  let latOffset = (lat - latRange.min) / (latRange.max - latRange.min);
  let lonOffset = (lon - lonRange.min) / (lonRange.max - lonRange.min);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  return { bits: spread(toUint32(latOffset)) | (spread(toUint32(lonOffset)) << 1n), step };
}

/** geohashDecode(): the cell's bounds; null for the zero cell. */
export function geohashDecode(lonRange: GeoRange, latRange: GeoRange, hash: GeoHashBits): GeoArea | null {
  if (isZero(hash)) return null;
  return cellArea(lonRange, latRange, hash, squeeze(hash.bits), squeeze(hash.bits >> 1n));
}

/** The bounds of the cell with latitude index `ilat` and longitude index `ilon`. */
function cellArea(lonRange: GeoRange, latRange: GeoRange, hash: GeoHashBits, ilat: number, ilon: number): GeoArea {
  const latScale = latRange.max - latRange.min;
  const lonScale = lonRange.max - lonRange.min;
  const cells = 2 ** hash.step;
  return {
    hash,
    lat: { min: latRange.min + (ilat * 1.0 / cells) * latScale, max: latRange.min + ((ilat + 1) * 1.0 / cells) * latScale },
    lon: { min: lonRange.min + (ilon * 1.0 / cells) * lonScale, max: lonRange.min + ((ilon + 1) * 1.0 / cells) * lonScale },
  };
}

/** The even bits of a 26-bit number, packed into 13 bits. */
function squeeze26(v: number): number {
  let x = v & 0x5555555;
  x = (x | (x >>> 1)) & 0x3333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** geohashDecodeAreaToLongLat(): the cell's centre, clamped to the WGS84 limits. */
function areaCenter(a: GeoArea): [number, number] {
  let lon = (a.lon.min + a.lon.max) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (a.lat.min + a.lat.max) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

const TWO63 = 2 ** 63;

/**
 * C's (uint64_t) cast of a score, as x86-64 code does it (cvttsd2si, with 2^63 subtracted
 * first for values at or above 2^63): scores that were not written by GEOADD (negative,
 * fractional, huge, infinite) still decode to *some* position, the same one as in Redis.
 */
export function scoreToBits(score: number): bigint {
  const cvt = (d: number): bigint => (Number.isFinite(d) && d >= -TWO63 && d < TWO63 ? BigInt(Math.trunc(d)) & MASK64 : 1n << 63n);
  if (!(score >= TWO63)) return cvt(score);
  return cvt(score - TWO63) ^ (1n << 63n);
}

const TWO26 = 2 ** 26;
const STEP_MAX_HASH: GeoHashBits = { bits: 0n, step: GEO_STEP_MAX };

/**
 * decodeGeohash(): the position stored in a member's score. Scores GEOADD wrote are 52-bit
 * integers and are split into two 26-bit halves (no BigInt, this runs for every member a
 * search looks at); any other score goes through the exact 64-bit path.
 */
export function decodeScore(score: number): [number, number] {
  if (score >= 0 && score < 2 ** 52 && Number.isInteger(score)) {
    const lo = score % TWO26, hi = (score - lo) / TWO26;
    const ilat = squeeze26(lo) | (squeeze26(hi) << 13);
    const ilon = squeeze26(lo >>> 1) | (squeeze26(hi >>> 1) << 13);
    return areaCenter(cellArea(WGS84_LON, WGS84_LAT, STEP_MAX_HASH, ilat, ilon));
  }
  return areaCenter(geohashDecode(WGS84_LON, WGS84_LAT, { bits: scoreToBits(score), step: GEO_STEP_MAX })!);
}

/** geohashAlign52Bits(): the cell's bits shifted to the top of the 52-bit score. */
export function align52(h: GeoHashBits): bigint {
  return (h.bits << BigInt(52 - h.step * 2)) & MASK64;
}

/** The score GEOADD stores for a valid position (the caller has range-checked it). */
export function encodeScore(lon: number, lat: number): bigint {
  return align52(geohashEncode(WGS84_LON, WGS84_LAT, lon, lat, GEO_STEP_MAX)!);
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's string: the stored position re-encoded over the standard latitude range
 * [-90, 90] (Redis's own cells use the Mercator limits), 5 bits per character; the 11th
 * character would need bits 53-55, which do not exist, so it is always '0'.
 */
export function standardGeohash(score: number): string {
  const [lon, lat] = decodeScore(score);
  const h = geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, lon, lat, 26);
  const bits = h ? h.bits : 0n;
  let out = '';
  for (let i = 0; i < 10; i++) out += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return out + GEOALPHABET[0];
}

// ---- neighbours --------------------------------------------------------------------------

/** geohash_move_x(): the cell `d` (±1) columns east, wrapping around the globe. */
function moveX(h: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return h;
  let x = h.bits & ODD_BITS;
  const y = h.bits & EVEN_BITS;
  const zz = EVEN_BITS >> BigInt(64 - h.step * 2);
  if (d > 0) x = (x + (zz + 1n)) & MASK64;
  else x = ((x | zz) - (zz + 1n)) & MASK64;
  x &= ODD_BITS >> BigInt(64 - h.step * 2);
  return { bits: x | y, step: h.step };
}

/** geohash_move_y(): the cell `d` (±1) rows north. */
function moveY(h: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return h;
  const x = h.bits & ODD_BITS;
  let y = h.bits & EVEN_BITS;
  const zz = ODD_BITS >> BigInt(64 - h.step * 2);
  if (d > 0) y = (y + (zz + 1n)) & MASK64;
  else y = ((y | zz) - (zz + 1n)) & MASK64;
  y &= EVEN_BITS >> BigInt(64 - h.step * 2);
  return { bits: x | y, step: h.step };
}

const move = (h: GeoHashBits, dx: number, dy: number) => moveY(moveX(h, dx), dy);

// ---- search areas ------------------------------------------------------------------------

/** A search shape: a circle (radius) or an axis-aligned box, in `conversion`-metre units. */
export interface GeoShape {
  lon: number;
  lat: number;
  conversion: number;
  circle: boolean;
  radius: number;
  width: number;
  height: number;
}

const degRad = (ang: number) => ang * D_R;
const radDeg = (ang: number) => ang / D_R;

/** geohashEstimateStepsByRadius(): cell precision whose cells are about as big as the area. */
function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  // Cells are narrower towards the poles: one or two steps coarser there.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox(): [minLon, minLat, maxLon, maxLat] around the shape. */
function boundingBox(s: GeoShape): [number, number, number, number] {
  const height = s.conversion * (s.circle ? s.radius : s.height / 2);
  const width = s.conversion * (s.circle ? s.radius : s.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(s.lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(s.lat - latDelta)));
  // The box's wider edge is the one nearer the equator.
  const southern = s.lat < 0;
  return [
    southern ? s.lon - lonDeltaBottom : s.lon - lonDeltaTop,
    s.lat - latDelta,
    southern ? s.lon + lonDeltaBottom : s.lon + lonDeltaTop,
    s.lat + latDelta,
  ];
}

const ZERO: GeoHashBits = { bits: 0n, step: 0 };

/**
 * geohashCalculateAreasByShapeWGS84(): the centre cell and its 8 neighbours that together
 * cover the shape, in the order Redis scans them (centre, N, S, E, W, NE, NW, SE, SW);
 * neighbours that cannot hold a match are the zero cell.
 */
export function searchCells(s: GeoShape): GeoHashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  const radiusMeters = (s.circle ? s.radius : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))) * s.conversion;
  let steps = estimateStepsByRadius(radiusMeters, s.lat);
  let hash = geohashEncode(WGS84_LON, WGS84_LAT, s.lon, s.lat, steps) ?? { bits: 0n, step: steps };
  const around = (h: GeoHashBits) => ({
    n: move(h, 0, 1), s: move(h, 0, -1), e: move(h, 1, 0), w: move(h, -1, 0),
    ne: move(h, 1, 1), nw: move(h, -1, 1), se: move(h, 1, -1), sw: move(h, -1, -1),
  });
  let nb = around(hash);
  // The estimate may leave the shape poking out of the 3x3 block: then one step coarser.
  const north = geohashDecode(WGS84_LON, WGS84_LAT, nb.n), south = geohashDecode(WGS84_LON, WGS84_LAT, nb.s);
  const east = geohashDecode(WGS84_LON, WGS84_LAT, nb.e), west = geohashDecode(WGS84_LON, WGS84_LAT, nb.w);
  const decrease = (north !== null && north.lat.max < maxLat) || (south !== null && south.lat.min > minLat)
    || (east !== null && east.lon.max < maxLon) || (west !== null && west.lon.min > minLon);
  if (steps > 1 && decrease) {
    steps--;
    hash = geohashEncode(WGS84_LON, WGS84_LAT, s.lon, s.lat, steps) ?? { bits: 0n, step: steps };
    nb = around(hash);
  }
  const area = geohashDecode(WGS84_LON, WGS84_LAT, hash);
  const cells = { ...nb };
  // Neighbours on a side the shape does not reach are skipped.
  if (steps >= 2 && area) {
    if (area.lat.min < minLat) { cells.s = ZERO; cells.sw = ZERO; cells.se = ZERO; }
    if (area.lat.max > maxLat) { cells.n = ZERO; cells.ne = ZERO; cells.nw = ZERO; }
    if (area.lon.min < minLon) { cells.w = ZERO; cells.sw = ZERO; cells.nw = ZERO; }
    if (area.lon.max > maxLon) { cells.e = ZERO; cells.se = ZERO; cells.ne = ZERO; }
  }
  return [hash, cells.n, cells.s, cells.e, cells.w, cells.ne, cells.nw, cells.se, cells.sw];
}

/** The score range [min, max) of the members inside a cell. */
export function cellScoreRange(h: GeoHashBits): [number, number] {
  return [Number(align52(h)), Number(align52({ bits: h.bits + 1n, step: h.step }))];
}

export function cellIsZero(h: GeoHashBits): boolean {
  return isZero(h);
}

// ---- distances ---------------------------------------------------------------------------

/** Distance along a meridian (the haversine reduces to this when the longitudes are equal). */
function latDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
}

/** geohashGetDistance(): the haversine great-circle distance in metres. */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lon1r = degRad(lon1), lon2r = degRad(lon2);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1, lat2);
  const lat1r = degRad(lat1), lat2r = degRad(lat2);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * geoWithinShape(): the distance from the shape's centre to (lon, lat) when the point is
 * inside the shape, else null. A box is tested with its half height along the meridian and
 * its half width along the point's parallel, as Redis does.
 */
export function distanceIfWithin(s: GeoShape, lon: number, lat: number): number | null {
  if (s.circle) {
    const d = geoDistance(s.lon, s.lat, lon, lat);
    return d > s.radius * s.conversion ? null : d;
  }
  const widthM = s.width * s.conversion, heightM = s.height * s.conversion;
  if (latDistance(lat, s.lat) > heightM / 2) return null;
  if (geoDistance(lon, lat, s.lon, lat) > widthM / 2) return null;
  return geoDistance(s.lon, s.lat, lon, lat);
}
