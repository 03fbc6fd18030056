/**
 * The GEO family against real Redis 7.0.15: GEOADD (NX/XX/CH, coordinate errors), GEOPOS,
 * GEODIST in every unit, GEOHASH, GEOSEARCH/GEOSEARCHSTORE with every option, the deprecated
 * GEORADIUS* commands incl. STORE/STOREDIST, the exact error texts and their order, RESP3
 * shapes, and what GEOADD and the STORE variants propagate.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, runScript, type Step } from '../support/differential';
import { attachOurReplica, attachRealReplica, settle } from '../support/repl-stream';
import { encodeCommand, type RespValue } from '../../src/engine/resp/reply-parser';
import type { RawClient } from '../support/raw-client';

/** A reply as plain JSON data, without the map entries whose values are prose. */
function plain(v: RespValue): unknown {
  if (v.type !== 'array' && v.type !== 'map' && v.type !== 'set') return 'value' in v ? String(v.value) : null;
  const items = v.value as RespValue[];
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const k = items[i];
    if (i % 2 === 0 && (k.type === 'bulk' || k.type === 'status') && ['summary', 'complexity', 'replaced_by'].includes(String(k.value))) { i++; continue; }
    out.push(plain(k));
  }
  return out;
}

const SICILY = ['13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];

/** Deterministic points scattered around (lon, lat) within `spread` degrees (a small LCG). */
function scatter(n: number, seed: number, lon: number, lat: number, spread: number): string[] {
  let x = seed;
  const next = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32; };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.max(-180, Math.min(180, lon + (next() * 2 - 1) * spread));
    const la = Math.max(-85, Math.min(85, lat + (next() * 2 - 1) * spread));
    out.push(lo.toFixed(6), la.toFixed(6), `p${i}`);
  }
  return out;
}

describeDifferential('geo (differential)', (pair) => {
  it('GEOADD, GEOPOS, GEODIST and GEOHASH of well-known points', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['GEOADD', 'Sicily', ...SICILY], ['GEOADD', 'Sicily', ...SICILY], ['ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'Sicily'],
    ['GEOPOS', 'Sicily', 'Palermo', 'Catania', 'NonExisting'], ['GEOPOS', 'nokey', 'a', 'b'], ['GEOPOS', 'Sicily'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'MI'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'ft'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'M'], ['GEODIST', 'Sicily', 'Palermo', 'Palermo'],
    ['GEODIST', 'Sicily', 'Palermo', 'Nope'], ['GEODIST', 'nokey', 'a', 'b'], ['GEODIST', 'nokey', 'a', 'b', 'parsec'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'x'],
    ['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'Nope'], ['GEOHASH', 'nokey', 'x'], ['GEOHASH', 'Sicily'],
    // The edges: the antimeridian, the Mercator limits, the prime meridian and the equator.
    ['GEOADD', 'edges', '180', '85.05112878', 'ne', '-180', '-85.05112878', 'sw', '179.999999', '0', 'east', '-179.999999', '0', 'west',
      '0', '0', 'origin', '-0', '-0', 'negzero', '0.000001', '-0.000001', 'tiny', '12.5', '85', 'north', '-33.865143', '-84.9', 'south'],
    ['ZRANGE', 'edges', '0', '-1', 'WITHSCORES'],
    ['GEOPOS', 'edges', 'ne', 'sw', 'east', 'west', 'origin', 'negzero', 'tiny', 'north', 'south'],
    ['GEOHASH', 'edges', 'ne', 'sw', 'east', 'west', 'origin', 'negzero', 'tiny', 'north', 'south'],
    ['GEODIST', 'edges', 'east', 'west'], ['GEODIST', 'edges', 'east', 'west', 'km'], ['GEODIST', 'edges', 'ne', 'sw', 'mi'], ['GEODIST', 'edges', 'north', 'south', 'km'],
    ['GEODIST', 'edges', 'origin', 'tiny'], ['GEODIST', 'edges', 'origin', 'negzero'],
    // Scores GEOADD did not write still decode (negative, fractional, huge, infinite).
    ['ZADD', 'odd', '-1', 'neg', '0.5', 'half', '1e20', 'huge', 'inf', 'pinf', '-inf', 'ninf', '4503599627370495', 'max52', '4503599627370496', 'over'],
    ['GEOPOS', 'odd', 'neg', 'half', 'huge', 'pinf', 'ninf', 'max52', 'over'], ['GEOHASH', 'odd', 'neg', 'half', 'huge', 'pinf', 'ninf', 'max52', 'over'],
    ['GEODIST', 'odd', 'neg', 'half'], ['GEODIST', 'odd', 'pinf', 'ninf', 'km'],
  ]));

  it('GEOADD options, updates and errors', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['GEOADD', 'g', '1', '2', 'a'], ['GEOADD', 'g', 'NX', '3', '4', 'a', '5', '6', 'b'], ['GEOPOS', 'g', 'a', 'b'],
    ['GEOADD', 'g', 'XX', '7', '8', 'a', '9', '10', 'c'], ['GEOPOS', 'g', 'a', 'c'], ['GEOADD', 'g', 'CH', '7', '8', 'a', '11', '12', 'b', '1', '1', 'd'],
    ['GEOADD', 'g', 'ch', 'xx', '0', '0', 'a'], ['GEOADD', 'g', 'CH', 'NX', '0', '0', 'a', '0', '0', 'e'], ['GEOADD', 'g', 'XX', 'NX', '1', '1', 'a'],
    ['GEOADD', 'nokey', 'XX', '1', '1', 'a'], ['EXISTS', 'nokey'],
    ['GEOADD', 'g', '1', '2'], ['GEOADD', 'g', '1', '2', 'a', '3'], ['GEOADD', 'g', 'CH', 'NX'], ['GEOADD', 'g', 'NX', '1', '2'], ['GEOADD', 'g', 'GT', '1', '2', 'a'],
    ['GEOADD', 'g', '200', '100', 'a'], ['GEOADD', 'g', '-180.000001', '0', 'a'], ['GEOADD', 'g', '0', '85.05112879', 'a'], ['GEOADD', 'g', '0', '-85.05112879', 'a'],
    ['GEOADD', 'g', '1e300', '0', 'a'], ['GEOADD', 'g', 'inf', '0', 'a'], ['GEOADD', 'g', '-0', '-90', 'a'], ['GEOADD', 'g', '12.3456789', '-89.9999999', 'a'],
    ['GEOADD', 'g', 'x', '0', 'a'], ['GEOADD', 'g', '0', 'nan', 'a'], ['GEOADD', 'g', '1', '1', 'ok', '1', '91', 'bad'], ['EXISTS', 'ok'], ['ZSCORE', 'g', 'ok'],
    ['SET', 's', 'x'], ['GEOADD', 's', '1', '1', 'a'], ['GEOADD', 's', '1', '100', 'a'], ['GEOPOS', 's', 'a'], ['GEODIST', 's', 'a', 'b'], ['GEOHASH', 's', 'a'],
    ['GEODIST', 's', 'a', 'b', 'yards'],
    ['GEOSEARCH', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'], ['GEORADIUS', 's', '0', '0', '1', 'km'], ['GEORADIUSBYMEMBER', 's', 'a', '1', 'km'],
    ['GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'], ['GEOSEARCHSTORE', 's', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1000', 'km'], ['TYPE', 's'],
    ['GEOADD', 'big', ...Array.from({ length: 130 }, (_, i) => [String(i / 10), String(i / 20), `m${i}`]).flat()], ['OBJECT', 'ENCODING', 'big'], ['ZCARD', 'big'],
    ['SET', 't', 'x'], ['DEL', 't'], ['GEOADD', 't', '1', '1', 'a'], ['EXPIRE', 't', '100'], ['GEOADD', 't', '2', '2', 'b'], ['TTL', 't'],
  ]));

  it('GEOSEARCH by radius and by box, with every option', () => {
    const steps: Step[] = [
      ['FLUSHALL'],
      ['GEOADD', 'Sicily', ...SICILY, '12.758489', '38.788135', 'edge1', '17.241510', '38.788135', 'edge2', '15', '37', 'same1', '15', '37', 'same2', '15', '37', 'same0'],
      ['GEOADD', 'many', ...scatter(300, 11, 13, 38, 3)],
      ['GEOADD', 'few', ...scatter(40, 5, 13, 38, 2)],
    ];
    const from = [['FROMLONLAT', '15', '37'], ['FROMMEMBER', 'Palermo'], ['FROMLONLAT', '13.5', '38.2']];
    const by = [['BYRADIUS', '200', 'km'], ['BYRADIUS', '100', 'KM'], ['BYRADIUS', '62', 'mi'], ['BYRADIUS', '0', 'm'], ['BYRADIUS', '400000', 'ft'],
      ['BYBOX', '400', '400', 'km'], ['BYBOX', '100', '300', 'km'], ['BYBOX', '300', '20', 'mi'], ['BYBOX', '0', '0', 'km']];
    const opts = [[], ['ASC'], ['DESC'], ['WITHCOORD', 'WITHDIST', 'WITHHASH'], ['WITHDIST', 'DESC'], ['COUNT', '1'], ['COUNT', '2', 'DESC'], ['COUNT', '3', 'ANY'],
      ['COUNT', '3', 'ANY', 'ASC', 'WITHDIST'], ['COUNT', '100'], ['WITHHASH', 'COUNT', '4', 'ANY', 'DESC']];
    for (const key of ['Sicily', 'few']) {
      for (const f of from) {
        if (key === 'few' && f[0] === 'FROMMEMBER') continue;
        for (const b of by) for (const o of opts) steps.push(['GEOSEARCH', key, ...f, ...b, ...o]);
      }
    }
    for (const o of opts) steps.push(['GEOSEARCH', 'many', 'FROMLONLAT', '13', '38', 'BYRADIUS', '150', 'km', ...o], ['GEOSEARCH', 'many', 'FROMMEMBER', 'p7', 'BYBOX', '250', '180', 'km', ...o]);
    for (const n of ['1', '5', '17', '41', '42', '60', '299', '1000']) {
      steps.push(['GEOSEARCH', 'many', 'FROMLONLAT', '13', '38', 'BYRADIUS', '5000', 'km', 'COUNT', n, 'WITHDIST']);
      steps.push(['GEOSEARCH', 'many', 'FROMLONLAT', '12', '37', 'BYBOX', '900', '900', 'km', 'COUNT', n, 'DESC']);
      steps.push(['GEOSEARCH', 'many', 'FROMLONLAT', '13', '38', 'BYRADIUS', '100', 'km', 'COUNT', n, 'ANY', 'WITHDIST']);
    }
    // Members at the same point: the order of equal distances (a stable sort vs pqsort).
    steps.push(['GEOADD', 'dups', ...Array.from({ length: 50 }, (_, i) => ['15', '37', `d${(i * 37) % 50}`]).flat(), '15.001', '37', 'near', '15.01', '37', 'far']);
    for (const n of ['1', '3', '7', '8', '20', '49', '51', '52', '100']) {
      steps.push(['GEOSEARCH', 'dups', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'COUNT', n]);
      steps.push(['GEOSEARCH', 'dups', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'COUNT', n, 'DESC']);
    }
    steps.push(['GEOSEARCH', 'dups', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'ASC'], ['GEOSEARCH', 'dups', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'DESC']);
    return expectSame(pair(), steps);
  });

  it('searches near the poles and across the antimeridian, and huge radii', () => {
    const steps: Step[] = [
      ['FLUSHALL'],
      ['GEOADD', 'world', ...scatter(200, 3, 0, 0, 180)],
      ['GEOADD', 'am', ...scatter(120, 9, 179.5, 0, 1.5)],
      ['GEOADD', 'polar', ...scatter(120, 21, 30, 82, 5)],
      ['GEOADD', 'south', ...scatter(120, 33, -60, -78, 8)],
    ];
    for (const r of ['10', '500', '2000', '5000', '10000', '20000', '40000']) {
      steps.push(['GEOSEARCH', 'world', 'FROMLONLAT', '0', '0', 'BYRADIUS', r, 'km', 'ASC', 'WITHDIST']);
      steps.push(['GEOSEARCH', 'world', 'FROMLONLAT', '100', '60', 'BYRADIUS', r, 'km', 'DESC', 'COUNT', '5']);
      steps.push(['GEOSEARCH', 'world', 'FROMLONLAT', '-120', '-45', 'BYBOX', r, r, 'km', 'ASC']);
    }
    for (const [lon, lat] of [['179.9', '0'], ['-179.9', '0.5'], ['180', '-0.7'], ['-180', '1']]) {
      for (const r of ['5', '50', '150', '400']) {
        steps.push(['GEOSEARCH', 'am', 'FROMLONLAT', lon, lat, 'BYRADIUS', r, 'km', 'ASC', 'WITHCOORD']);
        steps.push(['GEOSEARCH', 'am', 'FROMLONLAT', lon, lat, 'BYBOX', r, String(Number(r) * 2), 'km', 'ASC', 'WITHDIST']);
      }
    }
    for (const [key, lon, lat] of [['polar', '30', '82'], ['polar', '35', '85'], ['polar', '0', '70'], ['south', '-60', '-78'], ['south', '-170', '-85'], ['south', '10', '-67']]) {
      for (const r of ['20', '150', '600', '3000']) {
        steps.push(['GEOSEARCH', key, 'FROMLONLAT', lon, lat, 'BYRADIUS', r, 'km', 'ASC', 'WITHDIST']);
        steps.push(['GEOSEARCH', key, 'FROMLONLAT', lon, lat, 'BYBOX', r, r, 'km', 'DESC', 'WITHHASH']);
      }
    }
    return expectSame(pair(), steps);
  });

  it('GEOSEARCH and GEOSEARCHSTORE errors, in Redis order', () => expectSame(pair(), [
    ['FLUSHALL'], ['GEOADD', 'Sicily', ...SICILY],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200'],
    ['GEOSEARCH', 'Sicily', 'BYRADIUS', '200', 'km', 'ASC'], ['geosearch', 'Sicily', 'FROMMEMBER', 'Palermo', 'ASC', 'COUNT', '1'],
    ['GeoSearch', 'nokey', 'BYBOX', '1', '1', 'km', 'WITHDIST'], ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'WITHDIST', 'ASC'],
    ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMMEMBER', 'Catania', 'BYRADIUS', '200', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'BYBOX', '1', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYBOX', '1', '1', 'km', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'BYRADIUS', '1', 'm'],
    ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Nope', 'BYRADIUS', '1', 'km'], ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'Nope', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '200', '100', 'BYRADIUS', '1', 'km'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 'x', '1', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', 'x', 'km'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '-1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'parsec'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYBOX', 'x', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYBOX', '1', 'x', 'km'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYBOX', '-1', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYBOX', '1', '-1', 'km'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYBOX', '1', '1', 'yd'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'COUNT', '0'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'COUNT', '-3'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'COUNT', 'x'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'COUNT'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'ANY'], ['GEOSEARCH', 'nokey', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'ANY'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'STORE', 'x'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'STOREDIST'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'BOGUS'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'WITHDIST', 'COUNT', '0', 'BOGUS'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'WITHDIST'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'WITHCOORD', 'WITHHASH'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STORE', 'x'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST', 'x'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'BYRADIUS', '200', 'km'], ['geosearchSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'ASC'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ANY'], ['EXISTS', 'dst'],
    // Odd numbers: infinite and huge radii and boxes, -0, NaN, COUNT at the int64 limits.
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', 'inf', 'km', 'WITHDIST'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', 'inf', 'inf', 'm'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1e308', 'mi', 'WITHDIST'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1e308', '1', 'ft'],
    ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '-0', 'km', 'WITHDIST'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', 'nan', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', 'nan', 'km'], ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '180', '85.05112878', 'BYRADIUS', '20000', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '9223372036854775807'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '9223372036854775808'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1', 'COUNT', '2', 'ASC', 'DESC', 'WITHDIST', 'WITHDIST'],
  ]));

  it('GEOSEARCHSTORE and GEORADIUS STORE/STOREDIST write sorted sets', () => expectSame(pair(), [
    ['FLUSHALL'], ['GEOADD', 'Sicily', ...SICILY, '15', '37', 'p1', '14', '38', 'p2'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'dst'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'mi', 'STOREDIST', 'COUNT', '2', 'DESC'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1', 'ANY'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['SET', 'str', 'x'], ['EXPIRE', 'str', '100'], ['GEOSEARCHSTORE', 'str', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'm'], ['TYPE', 'str'], ['TTL', 'str'],
    ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'], ['EXISTS', 'dst'],
    ['SET', 'dst', 'x'], ['GEOSEARCHSTORE', 'dst', 'nokey', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'], ['EXISTS', 'dst'],
    ['GEOSEARCHSTORE', 'dst', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCHSTORE', 'Sicily', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '100', 'km', 'STOREDIST'], ['ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'],
    ['GEOADD', 'Sicily', ...SICILY],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'r1'], ['ZRANGE', 'r1', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'r2', 'ASC'], ['ZRANGE', 'r2', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'r3', 'STOREDIST', 'r4'], ['EXISTS', 'r3', 'r4'], ['ZRANGE', 'r4', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'r5', 'STORE', 'r6'], ['EXISTS', 'r5', 'r6'], ['ZRANGE', 'r6', '0', '-1', 'WITHSCORES'],
    ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '300', 'km', 'STORE', 'r7', 'COUNT', '1'], ['ZRANGE', 'r7', '0', '-1', 'WITHSCORES'],
    ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '1', 'm', 'STOREDIST', 'r7'], ['EXISTS', 'r7'], ['GEORADIUSBYMEMBER', 'nokey', 'x', 'x', 'x', 'STORE', 'r1'], ['EXISTS', 'r1'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x', 'WITHDIST'], ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHCOORD', 'STOREDIST', 'x'],
    ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x'], ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Palermo', '200', 'km', 'STOREDIST', 'x'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE'],
    ['GEOADD', 'big', ...scatter(200, 77, 15, 37, 1)], ['GEOSEARCHSTORE', 'bigdst', 'big', 'FROMLONLAT', '15', '37', 'BYRADIUS', '500', 'km'], ['OBJECT', 'ENCODING', 'bigdst'],
    ['GEOSEARCHSTORE', 'bigdst', 'big', 'FROMLONLAT', '15', '37', 'BYRADIUS', '500', 'km', 'COUNT', '128'], ['OBJECT', 'ENCODING', 'bigdst'],
    ['ZRANGE', 'bigdst', '0', '-1', 'WITHSCORES'],
  ]));

  it('the deprecated GEORADIUS family', () => {
    const steps: Step[] = [['FLUSHALL'], ['GEOADD', 'Sicily', ...SICILY, '15', '37', 'p1', '14', '38', 'p2'], ['GEOADD', 'many', ...scatter(150, 17, 14, 37, 2)]];
    const opts = [[], ['WITHDIST'], ['WITHCOORD', 'WITHHASH', 'WITHDIST', 'ASC'], ['DESC', 'COUNT', '2'], ['COUNT', '1', 'ANY'], ['COUNT', '2', 'ANY', 'desc', 'withdist']];
    for (const cmd of ['GEORADIUS', 'GEORADIUS_RO']) {
      for (const o of opts) {
        steps.push([cmd, 'Sicily', '15', '37', '200', 'km', ...o], [cmd, 'Sicily', '15', '37', '100', 'MI', ...o], [cmd, 'many', '14', '37', '80', 'km', ...o]);
      }
    }
    for (const cmd of ['GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO']) {
      for (const o of opts) {
        steps.push([cmd, 'Sicily', 'Palermo', '200', 'km', ...o], [cmd, 'Sicily', 'p1', '100000', 'ft', ...o], [cmd, 'many', 'p3', '120', 'km', ...o]);
      }
    }
    steps.push(
      ['GEORADIUS', 'Sicily', '200', '37', '200', 'km'], ['GEORADIUS', 'Sicily', '15', 'x', '200', 'km'], ['GEORADIUS', 'Sicily', '15', '37', 'x', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '-1', 'km'], ['GEORADIUS', 'Sicily', '15', '37', '1', 'au'], ['GEORADIUS', 'Sicily', '15', '37', '1', 'km', 'COUNT', '0'],
      ['GEORADIUS', 'Sicily', '15', '37', '1', 'km', 'ANY'], ['GEORADIUS', 'Sicily', '15', '37', '1', 'km', 'FROMMEMBER', 'x'], ['GEORADIUS', 'Sicily', '15', '37', '1', 'km', 'BYRADIUS', '1', 'km'],
      ['GEORADIUS', 'nokey', '15', '37', 'x', 'km'], ['GEORADIUS', 'nokey', '15', '37', '1', 'km'], ['GEORADIUS', 'nokey', '15', '37', '1', 'km', 'BOGUS'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Nope', '1', 'km'], ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', 'x', 'km'], ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '1', 'x'],
      ['GEORADIUSBYMEMBER', 'nokey', 'Nope', 'x', 'x'], ['GEORADIUSBYMEMBER', 'nokey', 'Nope', 'x', 'x', 'ANY'], ['GEORADIUSBYMEMBER', 'nokey', 'Nope', 'x', 'x', 'BOGUS'],
      ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Palermo', '200', 'km', 'STORE'], ['GEORADIUS', 'Sicily', '15', '37', '200'], ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200'],
    );
    return expectSame(pair(), steps);
  });

  it('RESP3 shapes', () => expectSame(pair(), [
    ['FLUSHALL'], { cmd: ['HELLO', '3'], compare: 'type' },
    ['GEOADD', 'Sicily', ...SICILY], ['GEOPOS', 'Sicily', 'Palermo', 'Nope'], ['GEODIST', 'Sicily', 'Palermo', 'Catania'], ['GEODIST', 'nokey', 'a', 'b'],
    ['GEODIST', 'Sicily', 'a', 'b'], ['GEOHASH', 'Sicily', 'Palermo', 'Nope'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHCOORD'], ['GEOSEARCH', 'nokey', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
    { cmd: ['HELLO', '2'], compare: 'type' },
  ]));

  it('seeded random searches, distances, positions and hashes (worldwide and in a dense cluster)', () => {
    let x = 4242;
    const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32; };
    const world: string[] = [], dense: string[] = [];
    for (let i = 0; i < 800; i++) {
      world.push((rnd() * 360 - 180).toFixed(7), (rnd() * 170 - 85).toFixed(7), `w${i}`);
      dense.push((14 + rnd()).toFixed(7), (37 + rnd()).toFixed(7), `d${i}`);
    }
    const steps: Step[] = [['FLUSHALL'], ['GEOADD', 'world', ...world], ['GEOADD', 'dense', ...dense]];
    const units = ['m', 'km', 'ft', 'mi'];
    for (let i = 0; i < 150; i++) {
      const wlon = (rnd() * 360 - 180).toFixed(5), wlat = (rnd() * 170 - 85).toFixed(5);
      const dlon = (14 + rnd()).toFixed(5), dlat = (37 + rnd()).toFixed(5);
      const count = String(1 + Math.floor(rnd() * 30));
      steps.push(
        ['GEOSEARCH', 'world', 'FROMLONLAT', wlon, wlat, 'BYRADIUS', (rnd() ** 3 * 3000).toFixed(3), 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC'],
        ['GEOSEARCH', 'world', 'FROMLONLAT', wlon, wlat, 'BYBOX', (rnd() * 4000).toFixed(2), (rnd() * 4000).toFixed(2), 'km', 'WITHDIST', 'DESC', 'COUNT', count],
        ['GEOSEARCH', 'dense', 'FROMLONLAT', dlon, dlat, 'BYRADIUS', (rnd() ** 2 * 30).toFixed(4), units[i % 4], 'WITHDIST', 'COUNT', count],
        ['GEOSEARCH', 'dense', 'FROMMEMBER', `d${i}`, 'BYBOX', (rnd() * 20).toFixed(2), (rnd() * 20).toFixed(2), 'mi', 'WITHCOORD', 'COUNT', count, 'ANY'],
        ['GEODIST', 'world', `w${Math.floor(rnd() * 800)}`, `w${Math.floor(rnd() * 800)}`, units[i % 4]],
        ['GEODIST', 'dense', `d${Math.floor(rnd() * 800)}`, `d${Math.floor(rnd() * 800)}`, units[(i + 1) % 4]],
      );
    }
    const all = (p: string) => Array.from({ length: 800 }, (_, i) => `${p}${i}`);
    steps.push(['GEOPOS', 'world', ...all('w')], ['GEOHASH', 'world', ...all('w')], ['GEOPOS', 'dense', ...all('d')], ['GEOHASH', 'dense', ...all('d')]);
    return expectSame(pair(), steps);
  });

  it('keyspace notifications', async () => {
    const p = pair();
    const events = async (cl: RawClient, srv: { client(): Promise<RawClient> }) => {
      const sub = await srv.client();
      sub.write(encodeCommand(['PSUBSCRIBE', '__keyevent@0__:*']));
      await sub.reply();
      const steps = [
        ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'], ['FLUSHALL'],
        ['GEOADD', 'g', ...SICILY], ['GEOADD', 'g', 'NX', '1', '1', 'Palermo'], ['GEOADD', 'g', '1', '100', 'x'],
        ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'r'],
        ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'], ['GEORADIUS', 'nokey', '15', '37', '200', 'km', 'STOREDIST', 'r'],
        ['SET', '__end__', '1'], ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ];
      for (const s of steps) { cl.write(encodeCommand(s)); await cl.reply(); }
      const seen: string[] = [];
      for (;;) {
        const v = plain((await sub.reply()).value) as string[];
        seen.push(`${v[2]} ${v[3]}`);
        if (v[3] === '__end__') break;
      }
      sub.close();
      return seen;
    };
    const real = await events(p.realClient, p.real);
    const ours = await events(p.ourClient, p.ours);
    expect(real).toContain('__keyevent@0__:georadiusstore r');
    expect(ours).toEqual(real);
  });

  it('COMMAND INFO, GETKEYS and DOCS of the GEO commands', async () => {
    const names = ['geoadd', 'geopos', 'geodist', 'geohash', 'geosearch', 'geosearchstore', 'georadius', 'georadiusbymember', 'georadius_ro', 'georadiusbymember_ro'];
    await expectSame(pair(), [
      ...names.map((n) => ['COMMAND', 'INFO', n]),
      ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '1', '2', '3', 'km', 'STORE', 'a', 'STOREDIST', 'b'], ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '1', '2', '3', 'km'],
      ['COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'k', 'm', '3', 'km', 'store', 'a'], ['COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'k', 'm', '3', 'STORE', 'x'],
      ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '1', '2', '3', 'km', 'STOREDIST', 'a', 'STORE', 'b', 'STORE', 'c'], ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '1', '2', '3', 'km', 'COUNT', '1', 'STORE'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'GEORADIUS', 'k', '1', '2', '3', 'km', 'STORE', 'a'], ['COMMAND', 'GETKEYSANDFLAGS', 'GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'GEOADD', 'k', '1', '1', 'm'],
      ['COMMAND', 'GETKEYS', 'GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'], ['COMMAND', 'GETKEYS', 'GEOADD', 'k', '1', '1', 'm'],
      { cmd: ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'geo'], compare: 'sorted' },
    ]);
    // DOCS: same keys and argument tree (names, types, tokens, flags); the prose is ours.
    const p = pair();
    const docs = async (cl: RawClient, name: string) => {
      cl.write(encodeCommand(['COMMAND', 'DOCS', name]));
      return plain((await cl.reply()).value);
    };
    for (const n of names) {
      const [r, o] = await Promise.all([docs(p.realClient, n), docs(p.ourClient, n)]);
      expect(JSON.stringify(o), n).toBe(JSON.stringify(r));
    }
  });

  it('GEOADD propagates as ZADD; the STORE variants as themselves, only when they write', async () => {
    const p = pair();
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      expect(await runScript(p, [
        ['FLUSHALL'],
        ['GEOADD', 'Sicily', ...SICILY], ['GEOADD', 'Sicily', ...SICILY], ['geoadd', 'Sicily', 'xx', 'CH', '15', '37', 'Catania', '1', '1', 'nope'],
        ['GEOADD', 'Sicily', 'NX', '1', '1', 'Palermo', '2', '2', 'new'], ['GEOADD', 'Sicily', '1', '100', 'bad'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'r'], ['GEORADIUS', 'Sicily', '15', '37', '200', 'km'],
        ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '1', 'm', 'STOREDIST', 'r'], ['GEORADIUSBYMEMBER', 'nokey', 'x', '1', 'm', 'STORE', 'r'],
        ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km'],
        ['MULTI'], ['GEOADD', 'm', '1', '1', 'a'], ['GEOADD', 'm', 'CH', '2', '2', 'a'], ['GEOSEARCHSTORE', 'md', 'm', 'FROMMEMBER', 'a', 'BYRADIUS', '1', 'km'], ['EXEC'],
        ['SET', '__end__', '1'],
      ])).toEqual([]);
      await settle(realStream, ourStream);
      const real = realStream.commands();
      expect(real.at(-1)).toContain('__end__');
      // Real Redis sends the rewritten ZADD (lowercase, scores as integers), not the GEOADD.
      expect(real.filter((l) => l.startsWith('"zadd" "Sicily" ')).length).toBe(3);
      expect(ourStream.commands()).toEqual(real);
    } finally {
      realStream.close();
      ourStream.close();
    }
  });
});
