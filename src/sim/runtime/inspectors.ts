/**
 * A read-only inspection channel into a running process, for watchers (the UI's inspector and
 * topology, the lesson panel's checks). A program may register one inspector for its process;
 * `World.inspect(pid, query)` routes a query to it, in whatever runtime the process lives, and
 * returns its structured-clone-friendly answer.
 *
 * Inspecting is observing: an inspector must not change the process's state, send anything,
 * or cost virtual time. Queries and answers are not recorded as inputs nor in the trace.
 */
export type Inspector = (query: unknown) => unknown;

const inspectors = new WeakMap<object, Inspector>();

/** Register the inspector of the process whose Os is `os` (the object handed to its main). */
export function registerInspector(os: object, inspector: Inspector): void {
  inspectors.set(os, inspector);
}

export function inspectorOf(os: object): Inspector | undefined {
  return inspectors.get(os);
}
