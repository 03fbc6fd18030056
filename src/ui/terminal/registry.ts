/**
 * The live terminal controllers of the page, by simulated terminal id, so other panels (the
 * lesson's "try" lines, the topology's "open terminal") can type into a terminal and focus it.
 */
import type { TerminalController } from './controller';

export const terminalControllers = new Map<number, TerminalController>();

type FocusRequest = (terminalId: number) => void;
let focusRequest: FocusRequest | null = null;

export function onFocusRequest(fn: FocusRequest | null): void {
  focusRequest = fn;
}

export function focusTerminal(terminalId: number): void {
  focusRequest?.(terminalId);
}
