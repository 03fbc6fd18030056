/**
 * The state machines the statecharts panel draws: one entry per machine kind. Adding a machine
 * is one entry here (its kind as the inspection channel reports it, `src/engine/machine-watch.ts`)
 * and `npm run statecharts` (which `npm run build` runs first) to regenerate the layouts.
 *
 * Only the build script and the tests import this file: the page draws the generated layouts
 * (`layouts.generated.ts`) and never bundles the engine's machine definitions.
 */
import type { AnyStateMachine } from 'xstate';
import { replicaLinkMachine } from '../../engine/replication/link-machine';
import { failureDetectorMachine } from '../../engine/cluster/failure-detector';
import { replicaFailoverMachine } from '../../engine/cluster/failover-machine';
import { failoverMachine, instanceViewMachine } from '../../engine/sentinel/machines';
import { createTimeMachine } from '../time/machine';
import { layoutChart, machineGraph, type GeneratedChart, type LayoutOptions } from './graph';

export interface ChartDefinition {
  kind: string;
  title: { en: string; zh: string };
  source: string;
  machine: AnyStateMachine;
  direction: NonNullable<LayoutOptions['direction']>;
}

const idle = async () => {};
const timeMachine = createTimeMachine({
  play() {}, pause() {}, setSpeed() {}, isPlaying: () => false, step: idle, forward: idle, forwardUntil: idle, rewind: idle, stopUntil() {},
});

export const CHART_DEFINITIONS: readonly ChartDefinition[] = [
  {
    kind: 'replica-link',
    title: { en: 'Replica link to its master (PSYNC)', zh: '副本到主节点的复制链路（PSYNC）' },
    source: 'src/engine/replication/link-machine.ts',
    machine: replicaLinkMachine as unknown as AnyStateMachine,
    direction: 'TB',
  },
  {
    kind: 'cluster-failure-detector',
    title: { en: 'Cluster failure detection (per known node)', zh: '集群故障检测（每个已知节点）' },
    source: 'src/engine/cluster/failure-detector.ts',
    machine: failureDetectorMachine as unknown as AnyStateMachine,
    direction: 'LR',
  },
  {
    kind: 'cluster-replica-failover',
    title: { en: 'Cluster: a replica\'s failover election', zh: '集群：副本的故障转移选举' },
    source: 'src/engine/cluster/failover-machine.ts',
    machine: replicaFailoverMachine as unknown as AnyStateMachine,
    direction: 'TB',
  },
  {
    kind: 'sentinel-failover',
    title: { en: 'Sentinel: failover of a master', zh: '哨兵：主节点故障转移' },
    source: 'src/engine/sentinel/failover-machine.ts',
    machine: failoverMachine as unknown as AnyStateMachine,
    direction: 'TB',
  },
  {
    kind: 'sentinel-instance',
    title: { en: "Sentinel: its view of each instance (up, SDOWN, ODOWN)", zh: '哨兵：对每个实例的判断（正常、主观下线、客观下线）' },
    source: 'src/engine/sentinel/instance-machine.ts',
    machine: instanceViewMachine as unknown as AnyStateMachine,
    direction: 'LR',
  },
  {
    kind: 'ui-time',
    title: { en: 'UI: time controls', zh: '界面：时间控制' },
    source: 'src/ui/time/machine.ts',
    machine: timeMachine as unknown as AnyStateMachine,
    direction: 'LR',
  },
];

/** Every chart's layout, as the build writes it. */
export function computeCharts(): Record<string, GeneratedChart> {
  const out: Record<string, GeneratedChart> = {};
  for (const d of CHART_DEFINITIONS) {
    out[d.kind] = { kind: d.kind, title: d.title, source: d.source, layout: layoutChart(machineGraph(d.machine), { direction: d.direction }) };
  }
  return out;
}
