/**
 * redis-benchmark's latency report walks the HDR histogram the way hdr_histogram.c's
 * percentile and linear iterators do. The expected texts were printed by a small C program
 * built against Redis 7.0's own hdr_histogram.c, formatting exactly as showLatencyReport does
 * (the percentile lines, the cumulative distribution, the avg/min/p50/p95/p99/max row).
 */
import { describe, it, expect } from 'vitest';
import { latencyReport } from '../../src/engine/tools/redis-benchmark/report';
import { defaultConfig } from '../../src/engine/tools/redis-benchmark/config';
import { newLatencyHistogram } from '../../src/engine/tools/redis-benchmark/clients';

/** The distribution lines and the summary row of the full report. */
function distributionOf(valuesUs: number[], precision: number): string {
  const h = newLatencyHistogram(precision);
  for (const v of valuesUs) h.record(v);
  const lines = latencyReport(defaultConfig(), { title: 'T', requestsFinished: valuesUs.length, totalMs: 100, histogram: h, serverConfig: null, lastPrintedBytes: 0 }).split('\n');
  const out = lines.filter((l) => / milliseconds \(cumulative count /.test(l));
  out.push(lines[lines.length - 2]);
  return out.join('\n') + '\n';
}

describe('redis-benchmark latency report = hdr_histogram.c', () => {
  it('a few spread values, 3 significant figures', () => {
    expect(distributionOf([100, 200, 5000, 20, 3, 1234567], 3)).toBe("0.000% <= 0.007 milliseconds (cumulative count 1)\n50.000% <= 0.103 milliseconds (cumulative count 3)\n75.000% <= 5.007 milliseconds (cumulative count 5)\n87.500% <= 1234.943 milliseconds (cumulative count 6)\n100.000% <= 1234.943 milliseconds (cumulative count 6)\n50.000% <= 0.103 milliseconds (cumulative count 3)\n66.667% <= 0.207 milliseconds (cumulative count 4)\n83.333% <= 5.103 milliseconds (cumulative count 5)\n100.000% <= 1234.943 milliseconds (cumulative count 6)\n      206.627     0.000     0.103  1234.943  1234.943  1234.943\n");
  });

  it('300 log-normal latencies, 2 significant figures', () => {
    const values = "1373 41 362 525 910 980 570 155 551 1711 262 111 220 1955 161 705 178 16 216 535 81 13116 477 227 293 1622 331 37 1098 1964 67 153 3795 360 373 301 402 94 76 4089 2335 122 134 3810 1010 57 239 2629 134 14214 34 8554 445 3473 2338 825 2255 841 1657 1421 261 40 573 367 227 349 813 46 153 288 557 481 59405 1654 3833 272 710 620 39 569 8639 229 149 2864 562 4709 293 4684 141 30 328 1055 198 684 1033 820 1051 459 132 349 1883 81 102 3629 260 1731 237 248 1245 18 975 32 356 399 46 8 3758 695 1245 758 39 309 560 79 855 1242 312 668 2448 35 477 585 103 31 424 136 847 1980 554 2609 43 180 1052 663 145 632 287 4535 1608 2630 705 1121 2779 201 690 365 140 238 1279 168 118 108 1773 106 20 77 816 190 242 359 3359 128 780 316 434 3031 304 139 238 75 236 84 44 5995 1298 372 172 164 1190 95 1334 196 261 200 693 136 281 299 1741 7682 1942 179 2874 16 284 61 223 1868 91 586 302 1415 769 443 1067 95 2925 297 6409 531 1624 272 283 196 517 945 242 4262 299 2151 1459 1249 12562 1972 434 106 248 184 327 1815 645 169 1060 220 77 953 894 1849 734 2909 7988 1955 85 1540 286 20360 6192 290 1197 977 1428 203 8604 39 976 30 1103 268 1795 96 605 147 802 2454 45 17 40 2154 112 39 11049 6149 98 222 2457 67 482 35 145 295 4439 222 371 263 399 2327 182 2598 54 53".split(' ').map(Number);
    expect(distributionOf(values, 2)).toBe("0.000% <= 0.015 milliseconds (cumulative count 1)\n50.000% <= 0.399 milliseconds (cumulative count 150)\n75.000% <= 1.279 milliseconds (cumulative count 225)\n87.500% <= 2.607 milliseconds (cumulative count 263)\n93.750% <= 4.447 milliseconds (cumulative count 282)\n96.875% <= 7.999 milliseconds (cumulative count 291)\n98.438% <= 12.607 milliseconds (cumulative count 296)\n99.219% <= 14.271 milliseconds (cumulative count 298)\n99.609% <= 20.479 milliseconds (cumulative count 299)\n99.805% <= 59.647 milliseconds (cumulative count 300)\n100.000% <= 59.647 milliseconds (cumulative count 300)\n16.333% <= 0.103 milliseconds (cumulative count 49)\n29.667% <= 0.207 milliseconds (cumulative count 89)\n43.333% <= 0.303 milliseconds (cumulative count 130)\n50.333% <= 0.407 milliseconds (cumulative count 151)\n53.667% <= 0.503 milliseconds (cumulative count 161)\n58.667% <= 0.607 milliseconds (cumulative count 176)\n61.667% <= 0.703 milliseconds (cumulative count 185)\n64.333% <= 0.807 milliseconds (cumulative count 193)\n67.000% <= 0.903 milliseconds (cumulative count 201)\n69.333% <= 1.007 milliseconds (cumulative count 208)\n72.333% <= 1.103 milliseconds (cumulative count 217)\n73.333% <= 1.207 milliseconds (cumulative count 220)\n75.333% <= 1.303 milliseconds (cumulative count 226)\n76.000% <= 1.407 milliseconds (cumulative count 228)\n77.333% <= 1.503 milliseconds (cumulative count 232)\n77.667% <= 1.607 milliseconds (cumulative count 233)\n79.333% <= 1.703 milliseconds (cumulative count 238)\n81.000% <= 1.807 milliseconds (cumulative count 243)\n82.333% <= 1.903 milliseconds (cumulative count 247)\n84.333% <= 2.007 milliseconds (cumulative count 253)\n90.667% <= 3.103 milliseconds (cumulative count 272)\n93.333% <= 4.127 milliseconds (cumulative count 280)\n95.000% <= 5.119 milliseconds (cumulative count 285)\n95.333% <= 6.111 milliseconds (cumulative count 286)\n96.333% <= 7.103 milliseconds (cumulative count 289)\n97.000% <= 8.127 milliseconds (cumulative count 291)\n98.000% <= 9.151 milliseconds (cumulative count 294)\n98.333% <= 11.135 milliseconds (cumulative count 295)\n99.000% <= 13.119 milliseconds (cumulative count 297)\n99.333% <= 15.103 milliseconds (cumulative count 298)\n99.667% <= 21.119 milliseconds (cumulative count 299)\n100.000% <= 60.159 milliseconds (cumulative count 300)\n        1.434     0.008     0.399     4.735    13.119    59.647\n");
  });
});
