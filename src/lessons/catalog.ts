/**
 * Fixed vocabularies a lesson is validated against: the lab ids of docs/LABS.md (the shared
 * lab catalogue), the source documents in shared/seeds, levels and languages.
 */

const LAB_COUNTS: Record<string, number> = { A: 9, B: 8, C: 10, D: 4 };

/** A1..A9, B1..B8, C1..C10, D1..D4: the 31 labs, in the catalogue's order. */
export const LAB_IDS: readonly string[] = Object.entries(LAB_COUNTS).flatMap(([letter, n]) =>
  Array.from({ length: n }, (_, i) => `${letter}${i + 1}`),
);

/** The source documents (file names in shared/seeds). */
export const SOURCE_DOCUMENTS: readonly string[] = [
  '000_5714fe9f07c9a9a3.txt',
  '001_e35f14b7ee375ca6.txt',
  '002_67fe14c28ad9e25e.txt',
  '003_24b9c43767ce8d4e.txt',
  '004_4af07bba0959095c.txt',
];

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

/** Every piece of learner-facing text exists in each of these languages. */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Text in every language. */
export type Localized = Record<Language, string>;

export const DISK_PRESETS = ['ssd', 'hdd', 'slow'] as const;

/**
 * Sentinel event names Redis 7.0 emits (sentinel.c). `event("+swich-master")` is a typo the
 * validator can catch; names without a leading +/- are the simulation's own trace kinds.
 */
export const SENTINEL_EVENTS: readonly string[] = [
  '+config-update-from', '+convert-to-slave', '+elected-leader', '+failover-end',
  '+failover-end-for-timeout', '+failover-state-reconf-slaves', '+failover-state-select-slave',
  '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+fix-slave-config',
  '+monitor', '+new-epoch', '+odown', '+promoted-slave', '+reboot', '+reset-master',
  '+role-change', '+script-child', '+sdown', '+selected-slave', '+sentinel',
  '+sentinel-address-switch', '+sentinel-address-update', '+sentinel-invalid-addr', '+set',
  '+slave', '+slave-reconf-done', '+slave-reconf-inprog', '+slave-reconf-sent',
  '+slave-reconf-sent-be', '+switch-master', '+tilt', '+try-failover', '+vote-for-leader',
  '-cmd-link-reconnection', '-failover-abort-no-good-slave', '-failover-abort-not-elected',
  '-failover-abort-slave-timeout', '-monitor', '-odown', '-pubsub-link-reconnection',
  '-role-change', '-script-child', '-script-error', '-script-timeout', '-sdown',
  '-slave-reconf-sent-timeout', '-tilt',
];
