/**
 * How subsystems contribute to INFO.
 *
 * The engine renders every INFO section of a standalone master with its own fields (see
 * commands/info.ts). A subsystem that owns the truth about a section (persistence owns
 * "persistence", replication owns "replication") registers a provider under the section's
 * name in `server.hooks.info`; the provider receives the engine's default fields, in Redis's
 * order, and returns the fields to print: usually the same list with some values replaced and
 * conditional fields inserted (aof_current_size... when AOF is on, master_host... on a
 * replica). A provider under a name that is not a core section adds a section of its own,
 * printed after the core ones when asked for by name or with INFO everything.
 */

/** One `name:value` line. */
export type InfoField = [name: string, value: string | number];

export interface InfoSectionProvider {
  /** Title for a section the provider adds ("Sentinel" prints "# Sentinel"). */
  title?: string;
  fields(defaults: InfoField[]): InfoField[];
}

/** Replace the value of `name` in place (no-op when absent). */
export function setInfoField(fields: InfoField[], name: string, value: string | number): void {
  const f = fields.find((x) => x[0] === name);
  if (f) f[1] = value;
}

/** Insert fields right after `after` (at the end when absent). */
export function insertInfoFields(fields: InfoField[], after: string, extra: InfoField[]): void {
  const i = fields.findIndex((x) => x[0] === after);
  fields.splice(i < 0 ? fields.length : i + 1, 0, ...extra);
}
