/**
 * The statecharts' layouts are computed at build time (scripts/gen-statecharts.ts): the
 * committed module must be what the machines' definitions give today, and the charts must
 * show what the engine's machines can do.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generatedModule } from '../../src/ui/statecharts/generate';
import { CHARTS } from '../../src/ui/statecharts/layouts.generated';
import { CHART_DEFINITIONS } from '../../src/ui/statecharts/definitions';
import { LINK_STATES } from '../../src/engine/replication/link-machine';
import { liveCharts } from '../../src/ui/statecharts/live';
import { FAILOVER_STATES, INSTANCE_VIEW_STATES } from '../../src/engine/sentinel/machines';
import type { ServerSummary } from '../../src/engine/inspect';
import { labelBox, labelLines, type Box } from '../../src/ui/statecharts/graph';
import type { AnyStateMachine } from 'xstate';

describe('build-time statechart layouts', () => {
  it('the generated module matches the definitions (run npm run statecharts if not)', () => {
    const committed = readFileSync(new URL('../../src/ui/statecharts/layouts.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(generatedModule());
    expect(Object.keys(CHARTS)).toEqual(CHART_DEFINITIONS.map((d) => d.kind));
  });

  it('no label covers a state or another label (return paths too: they are labelled when just taken)', () => {
    const overlap = (a: Box, b: Box) => Math.min(a.x + a.w, b.x + b.w) > Math.max(a.x, b.x) && Math.min(a.y + a.h, b.y + b.h) > Math.max(a.y, b.y);
    for (const chart of Object.values(CHARTS)) {
      const { states, edges, width, height } = chart.layout;
      const labels = edges.map((e) => ({ text: `${e.from}>${e.to} ${e.label}`, box: labelBox(e.label, e.lx, e.ly) }));
      for (const l of labels) {
        for (const s of states) expect(overlap(l.box, s), `${chart.kind}: ${l.text} over ${s.id}`).toBe(false);
        expect(l.box.x + l.box.w, `${chart.kind}: ${l.text} inside the drawing`).toBeLessThanOrEqual(width);
        expect(l.box.y + l.box.h, `${chart.kind}: ${l.text} inside the drawing`).toBeLessThanOrEqual(height);
      }
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i].box, labels[j].box), `${chart.kind}: ${labels[i].text} / ${labels[j].text}`).toBe(false);
      }
    }
  });

  it('a label of many events is stacked one event a line, so no label is wider than its longest event', () => {
    expect(labelLines('FAILURE_REPORTED / FAIL_MESSAGE')).toEqual(['FAILURE_REPORTED /', 'FAIL_MESSAGE']);
    expect(labelLines('MASTER_LOST')).toEqual(['MASTER_LOST']);
    for (const chart of Object.values(CHARTS)) {
      for (const e of chart.layout.edges) {
        const longest = Math.max(...e.label.split(' / ').map((p) => p.length)) + 2;
        expect(labelBox(e.label, 0, 0).w, `${chart.kind}: ${e.label}`).toBeLessThanOrEqual(Math.max(longest, 14) * 6.4 + 4);
      }
    }
  });

  it("the engine's machines have no delayed transitions: their timeouts are Os timers (state-timeout.ts)", () => {
    type Node = AnyStateMachine['root'];
    const nodes = (n: Node): Node[] => [n, ...Object.values(n.states).flatMap(nodes)];
    const engine = CHART_DEFINITIONS.filter((d) => d.source.startsWith('src/engine/'));
    expect(engine.length).toBe(5);
    for (const d of engine) {
      for (const n of nodes(d.machine.root)) expect(n.after.map((t) => t.eventType), `${d.kind}: ${n.id}`).toEqual([]);
    }
  });

  it("draws every state of the replica link (Redis's repl_state) and its transitions", () => {
    const link = CHARTS['replica-link'].layout;
    expect(link.states.map((s) => s.id).filter((s) => s !== '*').sort()).toEqual([...LINK_STATES].sort());
    const edge = (from: string, to: string) => link.edges.find((e) => e.from === from && e.to === to);
    expect(edge('receive_psync_reply', 'connected')?.label).toBe('REPLY');
    expect(edge('connected', 'connecting')?.label).toBe('MASTER_LOST');
    expect(edge('send_handshake', 'receive_auth_reply')?.label).toBe('always');
    expect(edge('transfer', 'connecting')?.label).toContain('REPL_TIMEOUT');
    // Root-level transitions start from "any state".
    expect(edge('*', 'connecting')?.label).toBe('SET_MASTER');
    expect(edge('*', 'none')?.label).toBe('UNSET_MASTER');
    // Tall layout: the link goes down the page, one layer per step of the handshake.
    const y = (id: string) => link.states.find((s) => s.id === id)!.y;
    expect(y('none')).toBeLessThan(y('connecting'));
    expect(y('connecting')).toBeLessThan(y('receive_psync_reply'));
    expect(y('receive_psync_reply')).toBeLessThan(y('loading'));
  });

  it('draws the failure detector from boot through reachable, suspected (PFAIL) and failed (FAIL)', () => {
    const fd = CHARTS['cluster-failure-detector'].layout;
    expect(fd.states.map((s) => s.id)).toEqual(['boot', 'reachable', 'suspected', 'failed']);
    expect(fd.edges).toContainEqual(expect.objectContaining({ from: 'suspected', to: 'failed', label: 'FAILURE_REPORTED / FAIL_MESSAGE' }));
    expect(fd.edges).toContainEqual(expect.objectContaining({ from: 'boot', to: 'failed', label: 'always' }));
  });
});

describe('sentinel charts', () => {
  it("draws the sentinel's failover states in Redis's order and the up / sdown / odown view", () => {
    const fo = CHARTS['sentinel-failover'].layout;
    expect(fo.states.map((s) => s.id).filter((s) => s !== '*')).toEqual([...FAILOVER_STATES]);
    const y = (id: string) => fo.states.find((s) => s.id === id)!.y;
    expect(y('wait_start')).toBeLessThan(y('select_slave'));
    expect(y('reconf_slaves')).toBeLessThan(y('update_config'));
    const view = CHARTS['sentinel-instance'].layout;
    expect(view.states.map((s) => s.id).filter((s) => s !== '*')).toEqual([...INSTANCE_VIEW_STATES]);
    expect(view.edges).toContainEqual(expect.objectContaining({ from: 'up', to: 'odown' }));
  });
});

describe('live charts from the servers summaries', () => {
  const summary = (machines: ServerSummary['machines'], role: ServerSummary['role'] = 'master') => ({ role, machines }) as ServerSummary;
  it('one chart per process and kind; the detectors of a process share one, with nodes listed under their states', () => {
    const charts = liveCharts(
      [{ pid: 5, label: 'n1:7000' }, { pid: 6, label: 'n1:7001' }],
      new Map([
        [5, summary([
          { kind: 'replica-link', subject: '', value: 'none', last: null },
          { kind: 'cluster-failure-detector', subject: '10.0.0.2:7000', value: 'reachable', last: { from: 'suspected', to: 'reachable', atMs: 10 } },
          { kind: 'cluster-failure-detector', subject: '10.0.0.3:7000', value: 'failed', last: { from: 'suspected', to: 'failed', atMs: 30 } },
          { kind: 'cluster-failure-detector', subject: '10.0.0.4:7000', value: 'reachable', last: null },
        ])],
        [6, summary([{ kind: 'replica-link', subject: '127.0.0.1:7000', value: 'connecting', last: { from: 'connected', to: 'connecting', atMs: 7 } }], 'slave')],
      ]),
    );
    expect(charts.map((c) => c.key)).toEqual(['replica-link@5', 'cluster-failure-detector@5', 'replica-link@6']);
    const fd = charts[1];
    expect(fd.live).toEqual(['reachable', 'failed']);
    expect(fd.tags).toEqual({ reachable: ['10.0.0.2:7000', '10.0.0.4:7000'], failed: ['10.0.0.3:7000'] });
    expect(fd.last).toEqual({ from: 'suspected', to: 'failed', atMs: 30, subject: '10.0.0.3:7000' });
    expect(charts[2]).toMatchObject({ live: ['connecting'], subject: '127.0.0.1:7000', last: { from: 'connected', to: 'connecting' } });
  });
});
