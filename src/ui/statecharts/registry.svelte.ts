/**
 * The UI's own live machines (today the time controls), by kind: their drawings come from the
 * build-time layouts (`layouts.generated.ts`), their states from whoever runs them. The
 * engine's machines are not published here: the statecharts panel reads them from the
 * servers' summaries (the inspection channel).
 */
export interface UiMachineState {
  kind: string;
  value: string;
  last: { from: string; to: string } | null;
}

export const uiMachines = $state<{ list: UiMachineState[] }>({ list: [] });

export function publishMachine(kind: string, value: string): void {
  const cur = uiMachines.list.find((m) => m.kind === kind);
  if (!cur) {
    uiMachines.list.push({ kind, value, last: null });
    return;
  }
  if (cur.value !== value) {
    cur.last = { from: cur.value, to: value };
    cur.value = value;
  }
}

export function retractMachine(kind: string): void {
  uiMachines.list = uiMachines.list.filter((m) => m.kind !== kind);
}
