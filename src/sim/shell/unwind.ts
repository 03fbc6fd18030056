/**
 * What a shell throws to unwind its stack to the place that handles it: the end of the shell
 * (`exit`, a fatal signal), the end of the line (Ctrl-C at the prompt, an expansion error),
 * the end of a function call (`return`) or of a loop iteration (`break`, `continue`).
 */

/** `exit [n]` (and `exec CMD`, a failure under set -e): the shell ends with `code`. */
export class ExitShell {
  constructor(readonly code: number) {}
}

/**
 * The interactive shell's SIGINT: Ctrl-C at the prompt, `kill -INT $$`, or a foreground job
 * that died of SIGINT: the rest of the line is abandoned (status 130) and a new prompt shown.
 */
export class Interrupted {}

/**
 * A signal that ends the shell (bash's termsig handler). It is thrown into the shell's task
 * where it waits and unwinds to the top (runMain), which runs the EXIT trap and ends the
 * process as killed by the signal. A non-interactive shell's SIGINT is one: Ctrl-C during a
 * script ends it once the foreground job it waits for died of the SIGINT too (a job that
 * handled it and exited normally lets the script go on: bash's "wait and cooperative exit").
 */
export class FatalSignal {
  constructor(readonly signal: string) {}
}

/**
 * An expansion failed (`$((1/0))`; at the prompt also `${x:?unset}` and set -u's unbound
 * variables, which end a script): the error is printed where it happened and, like bash, the
 * rest of the current line is abandoned (a script goes on with its next line).
 */
export class AbortLine {}

/**
 * An assignment to a readonly variable (its error printed): it abandons the line as other
 * expansion errors do, unless the builtin that assigned (read, printf -v, declare…) fails instead.
 */
export class ReadonlyVariable extends AbortLine {}

/** `return [n]` unwinding to the function call. */
export class ReturnFromFunction {
  constructor(readonly code: number) {}
}

/** `break [n]` / `continue [n]` unwinding to the enclosing loop; `status`: the builtin's (1 for a count out of range). */
export class LoopControl {
  constructor(readonly kind: 'break' | 'continue', public levels: number, readonly status = 0) {}
}
