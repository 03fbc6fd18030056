/**
 * The GEO family (geo.c): GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE and the
 * deprecated GEORADIUS, GEORADIUSBYMEMBER and their _RO variants, over sorted sets whose
 * scores are 52-bit geohashes (geohash.ts).
 *
 * GEOADD is ZADD with the coordinates turned into scores: like Redis it rewrites itself into
 * a ZADD and runs that, so replicas and the AOF receive `zadd key [NX|XX] [CH] score member`.
 *
 * An area search scans the 3x3 block of geohash cells around the centre (each one a score
 * range of the zset), keeps the members inside the shape and sorts them by distance: a full
 * sort is stable (glibc's qsort is a merge sort), a COUNT smaller than the matches uses
 * Redis's own partial quicksort (pqsort), which decides the order of equally distant members.
 *
 * Coordinates print with addReplyHumanLongDouble ("%.17Lf" trimmed), distances with exactly
 * 4 decimals (llrint of d*10^4), and WITHHASH gives the raw 52-bit score.
 */
import type { Client } from '../server/client';
import { cmd, type ArgDoc, type CommandSpec } from './table';
import { keySpecKeyword, keySpecRange } from './command';
import { RZSet } from '../keyspace/values';
import type { SkipNode } from '../keyspace/skiplist';
import { formatHumanDouble } from '../util/numbers';
import { cFixed } from '../util/printf';
import { getDoubleOrReply, getLongLongOrReply, optEq, wrongType } from './util';
import { deleteStoreDestination, setKey } from './collection-util';
import { zsetLimits } from './zset-core';
import { zaddGeneric } from './zsets';
import {
  GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, type GeoShape, cellIsZero, cellScoreRange, decodeScore,
  distanceIfWithin, encodeScore, geoDistance, searchCells, standardGeohash,
} from './geohash';

const G = { group: 'geo', acl: ['@geo'] };

// ---- argument helpers --------------------------------------------------------------------

/** extractLongLatOrReply(): two doubles that must lie within the Mercator limits. */
function lonLatOrReply(c: Client, lonArg: string, latArg: string): [number, number] | null {
  const lon = getDoubleOrReply(c, lonArg);
  if (lon === null) return null;
  const lat = getDoubleOrReply(c, latArg);
  if (lat === null) return null;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    c.replyError(`-ERR invalid longitude,latitude pair ${cFixed(lon, 6)},${cFixed(lat, 6)}`);
    return null;
  }
  return [lon, lat];
}

/** extractUnitOrReply(): metres per unit, or null after the error. */
function unitOrReply(c: Client, u: string): number | null {
  if (optEq(u, 'm')) return 1;
  if (optEq(u, 'km')) return 1000;
  if (optEq(u, 'ft')) return 0.3048;
  if (optEq(u, 'mi')) return 1609.34;
  c.replyError('unsupported unit provided. please use M, KM, FT, MI');
  return null;
}

/** extractDistanceOrReply(): `radius unit`. */
function radiusOrReply(c: Client, radiusArg: string, unitArg: string): { radius: number; conversion: number } | null {
  const radius = getDoubleOrReply(c, radiusArg, 'need numeric radius');
  if (radius === null) return null;
  if (radius < 0) { c.replyError('radius cannot be negative'); return null; }
  const conversion = unitOrReply(c, unitArg);
  if (conversion === null) return null;
  return { radius, conversion };
}

/** extractBoxOrReply(): `width height unit`. */
function boxOrReply(c: Client, wArg: string, hArg: string, unitArg: string): { width: number; height: number; conversion: number } | null {
  const width = getDoubleOrReply(c, wArg, 'need numeric width');
  if (width === null) return null;
  const height = getDoubleOrReply(c, hArg, 'need numeric height');
  if (height === null) return null;
  if (height < 0 || width < 0) { c.replyError('height or width cannot be negative'); return null; }
  const conversion = unitOrReply(c, unitArg);
  if (conversion === null) return null;
  return { width, height, conversion };
}

/**
 * addReplyDoubleDistance() / fixedpoint_d2string(d, 4): the value times 10^4 rounded to the
 * nearest integer (halves to even, llrint), printed with the point put back.
 */
export function fmtDistance(d: number): string {
  if (d === 0) return '0.0000';
  const scaled = d * 10000;
  let n = Math.floor(scaled);
  const frac = scaled - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 !== 0)) n++;
  const neg = n < 0;
  const digits = String(Math.abs(n)).padStart(5, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

function replyCoord(c: Client, d: number): void {
  c.replyDoubleString(formatHumanDouble(d));
}

// ---- GEOADD / GEOPOS / GEODIST / GEOHASH -------------------------------------------------

/** GEOADD key [NX|XX] [CH] lon lat member ...: validated, then run as ZADD. */
function geoadd(c: Client, argv: string[]): void {
  let nx = false, xx = false, longIdx = 2;
  for (; longIdx < argv.length; longIdx++) {
    const opt = argv[longIdx];
    if (optEq(opt, 'nx')) nx = true;
    else if (optEq(opt, 'xx')) xx = true;
    else if (!optEq(opt, 'ch')) break; // CH is left for ZADD
  }
  if ((argv.length - longIdx) % 3 || (xx && nx)) { c.replySyntaxError(); return; }
  const zaddArgv = ['zadd', ...argv.slice(1, longIdx)];
  for (let i = longIdx; i < argv.length; i += 3) {
    const xy = lonLatOrReply(c, argv[i], argv[i + 1]);
    if (!xy) return;
    zaddArgv.push(encodeScore(xy[0], xy[1]).toString(), argv[i + 2]);
  }
  // Redis replaces the command vector, so what propagates is the ZADD.
  c.propagateArgv = zaddArgv;
  zaddGeneric(c, zaddArgv, 0);
}

function zsetOrWrongType(c: Client, key: string): RZSet | undefined | null {
  const o = c.db.lookupRead(key);
  if (wrongType(c, o, 'zset')) return null;
  return o as RZSet | undefined;
}

function geopos(c: Client, argv: string[]): void {
  const z = zsetOrWrongType(c, argv[1]);
  if (z === null) return;
  c.replyArrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j]);
    if (score === undefined) { c.replyNullArray(); continue; }
    const [lon, lat] = decodeScore(score);
    c.replyArrayLen(2);
    replyCoord(c, lon);
    replyCoord(c, lat);
  }
}

function geodist(c: Client, argv: string[]): void {
  let toMeters = 1;
  if (argv.length === 5) {
    const u = unitOrReply(c, argv[4]);
    if (u === null) return;
    toMeters = u;
  } else if (argv.length > 5) {
    c.replySyntaxError();
    return;
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  const s1 = z.score(argv[2]), s2 = z.score(argv[3]);
  if (s1 === undefined || s2 === undefined) { c.replyNull(); return; }
  const [lon1, lat1] = decodeScore(s1), [lon2, lat2] = decodeScore(s2);
  c.replyBulk(fmtDistance(geoDistance(lon1, lat1, lon2, lat2) / toMeters));
}

function geohash(c: Client, argv: string[]): void {
  const z = zsetOrWrongType(c, argv[1]);
  if (z === null) return;
  c.replyArrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j]);
    if (score === undefined) c.replyNull();
    else c.replyBulk(standardGeohash(score));
  }
}

// ---- area searches -----------------------------------------------------------------------

interface GeoPoint { lon: number; lat: number; dist: number; score: number; member: string }

/**
 * membersOfAllNeighbors(): the members inside the shape, cell by cell in Redis's order; with
 * `limit` (ANY) the scan stops as soon as that many were found.
 */
function pointsInShape(z: RZSet, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = searchCells(shape);
  const out: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cellIsZero(cell)) continue;
    // With huge radii adjacent cells can be the same cell: scan it once. (Redis compares with
    // the last scanned cell only once one other than the centre was scanned.)
    const last = cells[lastProcessed];
    if (lastProcessed && cell.bits === last.bits && cell.step === last.step) continue;
    if (out.length && limit && out.length >= limit) break;
    const [min, max] = cellScoreRange(cell);
    let n: SkipNode | null = z.zsl.firstInRange({ min, max, minex: false, maxex: true });
    for (; n && n.score < max; n = n.forward[0]) {
      const [lon, lat] = decodeScore(n.score);
      const dist = distanceIfWithin(shape, lon, lat);
      if (dist !== null) out.push({ lon, lat, dist, score: n.score, member: n.member });
      if (out.length && limit && out.length >= limit) break;
    }
    lastProcessed = i;
  }
  return out;
}

type Cmp = (a: GeoPoint, b: GeoPoint) => number;

const byDistAsc: Cmp = (a, b) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const byDistDesc: Cmp = (a, b) => -byDistAsc(a, b);

/**
 * Redis's pqsort (a BSD quicksort that only recurses into partitions overlapping the wanted
 * index range [lo, hi]), step for step, so that equally distant members end up in the same
 * order as in Redis.
 */
function pqsort(a: GeoPoint[], cmp: Cmp, lo: number, hi: number): void {
  const swap = (i: number, j: number) => { const t = a[i]; a[i] = a[j]; a[j] = t; };
  const vecswap = (i: number, j: number, n: number) => { for (let k = 0; k < n; k++) swap(i + k, j + k); };
  const med3 = (i: number, j: number, k: number) => (cmp(a[i], a[j]) < 0
    ? (cmp(a[j], a[k]) < 0 ? j : cmp(a[i], a[k]) < 0 ? k : i)
    : (cmp(a[j], a[k]) > 0 ? j : cmp(a[i], a[k]) < 0 ? i : k));
  // Does the partition [start, start+n) hold any index of [lo, hi]?
  const wanted = (start: number, n: number) => !(hi < start || lo >= start + n);
  const sort = (base: number, n: number): void => {
    for (;;) {
      if (n < 7) {
        for (let m = base + 1; m < base + n; m++) {
          for (let l = m; l > base && cmp(a[l - 1], a[l]) > 0; l--) swap(l, l - 1);
        }
        return;
      }
      let pm = base + Math.floor(n / 2);
      if (n > 7) {
        let pl = base, pn = base + n - 1;
        if (n > 40) {
          const d = Math.floor(n / 8);
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(base, pm);
      let pa = base + 1, pb = pa;
      let pc = base + n - 1, pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(a[pb], a[base])) <= 0) {
          if (r === 0) { swap(pa, pb); pa++; }
          pb++;
        }
        while (pb <= pc && (r = cmp(a[pc], a[base])) >= 0) {
          if (r === 0) { swap(pc, pd); pd--; }
          pc--;
        }
        if (pb > pc) break;
        swap(pb, pc);
        pb++;
        pc--;
      }
      const pn = base + n;
      let r = Math.min(pa - base, pb - pa);
      vecswap(base, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      if ((r = pb - pa) > 1 && wanted(base, r)) sort(base, r);
      if ((r = pd - pc) > 1) {
        base = pn - r;
        n = r;
        if (wanted(base, n)) continue;
      }
      return;
    }
  };
  sort(0, a.length);
}

const RADIUS_COORDS = 1, RADIUS_MEMBER = 2, RADIUS_NOSTORE = 4, GEOSEARCH = 8, GEOSEARCHSTORE = 16;

/**
 * georadiusGeneric(): GEORADIUS[_RO], GEORADIUSBYMEMBER[_RO], GEOSEARCH and GEOSEARCHSTORE,
 * with Redis's order of checks (the key's type first, then the fixed arguments, then the
 * options left to right, then the combinations).
 */
function georadiusGeneric(c: Client, argv: string[], srcKeyIdx: number, flags: number): void {
  const z = zsetOrWrongType(c, argv[srcKeyIdx]);
  if (z === null) return;
  let storeKey: string | null = null;
  let storeDist = false;
  const shape: GeoShape = { lon: 0, lat: 0, conversion: 0, circle: true, radius: 0, width: 0, height: 0 };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const xy = lonLatOrReply(c, argv[2], argv[3]);
    if (!xy) return;
    [shape.lon, shape.lat] = xy;
    const r = radiusOrReply(c, argv[4], argv[5]);
    if (!r) return;
    shape.radius = r.radius;
    shape.conversion = r.conversion;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    // Without the key the options are still parsed (to pick the reply), the centre is not.
    if (z) {
      const score = z.score(argv[2]);
      if (score === undefined) { c.replyError('could not decode requested zset member'); return; }
      [shape.lon, shape.lat] = decodeScore(score);
      const r = radiusOrReply(c, argv[3], argv[4]);
      if (!r) return;
      shape.radius = r.radius;
      shape.conversion = r.conversion;
    }
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storeKey = argv[1];
    }
  }

  let withDist = false, withHash = false, withCoords = false;
  let fromMember = false, fromLoc = false, byRadius = false, byBox = false;
  let sort: 'none' | 'asc' | 'desc' = 'none';
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i];
    const next = (k: number) => argv[baseArgs + i + k];
    const canStore = !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH);
    if (optEq(arg, 'withdist')) {
      withDist = true;
    } else if (optEq(arg, 'withhash')) {
      withHash = true;
    } else if (optEq(arg, 'withcoord')) {
      withCoords = true;
    } else if (optEq(arg, 'any')) {
      any = true;
    } else if (optEq(arg, 'asc')) {
      sort = 'asc';
    } else if (optEq(arg, 'desc')) {
      sort = 'desc';
    } else if (optEq(arg, 'count') && i + 1 < remaining) {
      const n = getLongLongOrReply(c, next(1));
      if (n === null) return;
      if (n <= 0) { c.replyError('COUNT must be > 0'); return; }
      count = n;
      i++;
    } else if (optEq(arg, 'store') && i + 1 < remaining && canStore) {
      storeKey = next(1);
      storeDist = false;
      i++;
    } else if (optEq(arg, 'storedist') && i + 1 < remaining && canStore) {
      storeKey = next(1);
      storeDist = true;
      i++;
    } else if (optEq(arg, 'storedist') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storeDist = true;
    } else if (optEq(arg, 'frommember') && i + 1 < remaining && flags & GEOSEARCH && !fromLoc) {
      // Without the key, parsing goes on and the reply is decided at the end.
      if (z) {
        const score = z.score(next(1));
        if (score === undefined) { c.replyError('could not decode requested zset member'); return; }
        [shape.lon, shape.lat] = decodeScore(score);
      }
      fromMember = true;
      i++;
    } else if (optEq(arg, 'fromlonlat') && i + 2 < remaining && flags & GEOSEARCH && !fromMember) {
      const xy = lonLatOrReply(c, next(1), next(2));
      if (!xy) return;
      [shape.lon, shape.lat] = xy;
      fromLoc = true;
      i += 2;
    } else if (optEq(arg, 'byradius') && i + 2 < remaining && flags & GEOSEARCH && !byBox) {
      const r = radiusOrReply(c, next(1), next(2));
      if (!r) return;
      shape.radius = r.radius;
      shape.conversion = r.conversion;
      shape.circle = true;
      byRadius = true;
      i += 2;
    } else if (optEq(arg, 'bybox') && i + 3 < remaining && flags & GEOSEARCH && !byRadius) {
      const b = boxOrReply(c, next(1), next(2), next(3));
      if (!b) return;
      shape.width = b.width;
      shape.height = b.height;
      shape.conversion = b.conversion;
      shape.circle = false;
      byBox = true;
      i += 3;
    } else {
      c.replySyntaxError();
      return;
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    c.replyError(`${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  if (flags & GEOSEARCH && !(fromMember || fromLoc)) {
    c.replyError(`exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
    return;
  }
  if (flags & GEOSEARCH && !(byRadius || byBox)) {
    c.replyError(`exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
    return;
  }
  if (any && !count) { c.replyError('the ANY argument requires COUNT argument'); return; }

  if (!z) {
    if (storeKey !== null) {
      deleteStoreDestination(c, storeKey);
      c.replyInt(0);
    } else {
      c.replyArrayLen(0);
    }
    return;
  }

  // COUNT means "the N nearest": sorted, unless ANY asked for whichever N come first.
  if (count !== 0 && sort === 'none' && !any) sort = 'asc';

  const points = pointsInShape(z, shape, any ? count : 0);
  if (points.length === 0 && storeKey === null) { c.replyArrayLen(0); return; }
  const returned = count === 0 || points.length < count ? points.length : count;
  if (sort !== 'none') {
    const cmp = sort === 'asc' ? byDistAsc : byDistDesc;
    if (returned === points.length) points.sort(cmp);
    else pqsort(points, cmp, 0, returned - 1);
  }

  if (storeKey === null) {
    const options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
    c.replyArrayLen(returned);
    for (let i = 0; i < returned; i++) {
      const p = points[i];
      if (options) c.replyArrayLen(options + 1);
      c.replyBulk(p.member);
      if (withDist) c.replyBulk(fmtDistance(p.dist / shape.conversion));
      if (withHash) c.replyInt(Math.trunc(p.score));
      if (withCoords) {
        c.replyArrayLen(2);
        replyCoord(c, p.lon);
        replyCoord(c, p.lat);
      }
    }
    return;
  }

  const s = c.server;
  if (returned) {
    // Built as a skiplist, then made a listpack if small enough (zsetConvertToListpackIfNeeded).
    const dst = new RZSet();
    dst.encoding = 'skiplist';
    let maxLen = 0, totalLen = 0;
    for (let i = 0; i < returned; i++) {
      const p = points[i];
      dst.set(p.member, storeDist ? p.dist / shape.conversion : p.score);
      maxLen = Math.max(maxLen, p.member.length);
      totalLen += p.member.length;
    }
    const lim = zsetLimits(c);
    if (dst.length <= lim.maxEntries && maxLen <= lim.maxValue && totalLen <= 2 ** 30) dst.convert('listpack');
    setKey(c, storeKey, dst, true);
    s.notifyKeyspaceEvent('z', flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storeKey, c.db.id);
    s.dirty += returned;
  } else {
    deleteStoreDestination(c, storeKey);
  }
  c.replyInt(returned);
}

/**
 * The keys of GEORADIUS[BYMEMBER] as Redis 7.0 finds them from the key specs: the source, then
 * the key after the first STORE and the key after the first STOREDIST, searched from the
 * first option on (`startFrom`), the last argument excluded.
 */
function georadiusKeys(startFrom: number): (argv: string[]) => number[] {
  const after = (argv: string[], keyword: string) => {
    for (let i = startFrom; i < argv.length - 1; i++) if (optEq(argv[i], keyword)) return i + 1;
    return -1;
  };
  return (argv) => [1, after(argv, 'store'), after(argv, 'storedist')].filter((i) => i > 0);
}

// ---- command table -----------------------------------------------------------------------

const W = ['write', 'denyoom'] as const;
const ro = [keySpecRange(1, 0, 1, ['RO', 'access'])];
const key = (name = 'key', keySpecIndex = 0): ArgDoc => ({ name, type: 'key', keySpecIndex });
const unitArg: ArgDoc = {
  name: 'unit', type: 'oneof', args: ['m', 'km', 'ft', 'mi'].map((u) => ({ name: u, type: 'pure-token' as const, token: u.toUpperCase() })),
};
const withArgs: ArgDoc[] = ['withcoord', 'withdist', 'withhash'].map((w) => ({ name: w, type: 'pure-token', token: w.toUpperCase(), optional: true }));
const countArg = (anySince?: string): ArgDoc => ({
  name: 'count', type: 'block', optional: true,
  args: [{ name: 'count', type: 'integer', token: 'COUNT' }, { name: 'any', type: 'pure-token', token: 'ANY', optional: true, ...(anySince ? { since: anySince } : {}) }],
});
const orderArg: ArgDoc = { name: 'order', type: 'oneof', optional: true, args: [{ name: 'asc', type: 'pure-token', token: 'ASC' }, { name: 'desc', type: 'pure-token', token: 'DESC' }] };
const storeArgs: ArgDoc[] = [
  { name: 'key', type: 'key', keySpecIndex: 1, token: 'STORE', optional: true },
  { name: 'key', type: 'key', keySpecIndex: 2, token: 'STOREDIST', optional: true },
];
const fromArg: ArgDoc = {
  name: 'from', type: 'oneof', args: [
    { name: 'member', type: 'string', token: 'FROMMEMBER' },
    { name: 'longitude_latitude', type: 'block', token: 'FROMLONLAT', args: [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }] },
  ],
};
const byArg: ArgDoc = {
  name: 'by', type: 'oneof', args: [
    { name: 'circle', type: 'block', args: [{ name: 'radius', type: 'double', token: 'BYRADIUS' }, unitArg] },
    { name: 'box', type: 'block', args: [{ name: 'width', type: 'double', token: 'BYBOX' }, { name: 'height', type: 'double' }, unitArg] },
  ],
};
const radiusComplexity = 'O(N+log(M)) with N the members in the cells around the circle and M the size of the index.';
const searchComplexity = 'O(N+log(M)) with N the members in the cells around the shape and M the size of the index.';
const unitsHistory: [string, string] = ['7.0.0', 'Added support for uppercase unit names.'];
const anyHistory: [string, string] = ['6.2.0', 'Added the `ANY` option for `COUNT`.'];
const byCoords: ArgDoc[] = [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }, { name: 'radius', type: 'double' }, unitArg];
const byMember: ArgDoc[] = [{ name: 'member', type: 'string' }, { name: 'radius', type: 'double' }, unitArg];
const storeSpecs = (startFrom: number) => [
  keySpecRange(1, 0, 1, ['RO', 'access']),
  keySpecKeyword('STORE', startFrom, 0, 1, ['OW', 'update']),
  keySpecKeyword('STOREDIST', startFrom, 0, 1, ['OW', 'update']),
];
const deprecated = (replacedBy: string): Partial<CommandSpec> => ({ docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy });

export const geoCommands: CommandSpec[] = [
  cmd('geoadd', -5, [...W], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Add members at positions (longitude, latitude) to a geospatial index (a sorted set).', complexity: 'O(log(N)) for each member added, N the size of the index.',
    args: [key(),
      { name: 'condition', type: 'oneof', optional: true, since: '6.2.0', args: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '6.2.0' },
      { name: 'longitude_latitude_member', type: 'block', multiple: true, args: [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }, { name: 'member', type: 'string' }] }],
  }, geoadd, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'update'])], history: [['6.2.0', 'Added the `CH`, `NX` and `XX` options.']] }),
  cmd('geopos', -2, ['readonly'], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Return the positions of members of a geospatial index.', complexity: 'O(N) for N members asked.',
    args: [key(), { name: 'member', type: 'string', multiple: true }],
  }, geopos, { keySpecs: ro }),
  cmd('geodist', -4, ['readonly'], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Return the distance between two members of a geospatial index.', complexity: 'O(log(N))',
    args: [key(), { name: 'member1', type: 'string' }, { name: 'member2', type: 'string' }, { ...unitArg, optional: true }],
  }, geodist, { keySpecs: ro }),
  cmd('geohash', -2, ['readonly'], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Return the standard 11-character geohash strings of members of a geospatial index.', complexity: 'O(log(N)) for each member asked.',
    args: [key(), { name: 'member', type: 'string', multiple: true }],
  }, geohash, { keySpecs: ro }),
  cmd('geosearch', -7, ['readonly'], [1, 1, 1], {
    ...G, since: '6.2.0', summary: 'Return the members of a geospatial index inside a circle or a box.', complexity: searchComplexity,
    args: [key(), fromArg, byArg, orderArg, countArg(), ...withArgs],
  }, (c, a) => georadiusGeneric(c, a, 1, GEOSEARCH), { keySpecs: ro, history: [unitsHistory] }),
  cmd('geosearchstore', -8, [...W], [1, 2, 1], {
    ...G, since: '6.2.0', summary: 'Store the members of a geospatial index inside a circle or a box in another sorted set.', complexity: searchComplexity,
    args: [key('destination', 0), key('source', 1), fromArg, byArg, orderArg, countArg(), { name: 'storedist', type: 'pure-token', token: 'STOREDIST', optional: true }],
  }, (c, a) => georadiusGeneric(c, a, 2, GEOSEARCH | GEOSEARCHSTORE), {
    keySpecs: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecRange(2, 0, 1, ['RO', 'access'])], history: [unitsHistory],
  }),
  cmd('georadius', -6, [...W], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Return (or store) the members of a geospatial index within a distance of a position.', complexity: radiusComplexity,
    args: [key(), ...byCoords, ...withArgs, countArg('6.2.0'), orderArg, ...storeArgs],
  }, (c, a) => georadiusGeneric(c, a, 1, RADIUS_COORDS), {
    getKeys: georadiusKeys(6), keySpecs: storeSpecs(6), history: [anyHistory, unitsHistory],
    ...deprecated('`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument'),
  }),
  cmd('georadiusbymember', -5, [...W], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Return (or store) the members of a geospatial index within a distance of a member.', complexity: radiusComplexity,
    args: [key(), ...byMember, ...withArgs, countArg(), orderArg, ...storeArgs],
  }, (c, a) => georadiusGeneric(c, a, 1, RADIUS_MEMBER), {
    getKeys: georadiusKeys(5), keySpecs: storeSpecs(5), history: [unitsHistory],
    ...deprecated('`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments'),
  }),
  cmd('georadius_ro', -6, ['readonly'], [1, 1, 1], {
    ...G, since: '3.2.10', summary: 'GEORADIUS without the STORE options, for read-only use.', complexity: radiusComplexity,
    args: [key(), ...byCoords, ...withArgs, countArg('6.2.0'), orderArg],
  }, (c, a) => georadiusGeneric(c, a, 1, RADIUS_COORDS | RADIUS_NOSTORE), {
    keySpecs: ro, history: [anyHistory], ...deprecated('`GEOSEARCH` with the `BYRADIUS` argument'),
  }),
  cmd('georadiusbymember_ro', -5, ['readonly'], [1, 1, 1], {
    ...G, since: '3.2.10', summary: 'GEORADIUSBYMEMBER without the STORE options, for read-only use.', complexity: radiusComplexity,
    args: [key(), ...byMember, ...withArgs, countArg(), orderArg],
  }, (c, a) => georadiusGeneric(c, a, 1, RADIUS_MEMBER | RADIUS_NOSTORE), {
    ...deprecated('`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments'), keySpecs: ro,
  }),
];
