/**
 * The page's lesson driver: the lessons' own adapter over the simulation
 * (src/lessons/sim-adapter.ts, the same code `npm run lessons:check` runs) on the session's
 * world (one Web Worker per process). The page only chooses how lines are typed: into the
 * host's terminal on screen, key by key, so the learner sees the autoplay type.
 *
 * The session owns the world (the driver does not dispose it) and runs the clock; the lesson
 * player calls the driver's `catchUp` before each evaluation so scheduled faults happen.
 */
import { createSimLessonWorld, type SimWorldDriver } from '../../lessons/sim-adapter';
import type { WorldSpec } from '../../lessons/world-view';
import type { Session } from '../world/session.svelte';
import { terminalControllers, focusTerminal } from '../terminal/registry';
import { textToByteString } from '../terminal/bytes';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `resumed`: the session replayed a saved workspace (see SimLessonOptions.resumed). */
export function createLessonDriver(session: Session, spec: WorldSpec, resumed: boolean): Promise<SimWorldDriver> {
  const world = session.world;
  return createSimLessonWorld(world, spec, {
    ownsWorld: false,
    resumed,
    terminalFor: (host) => world.terminalIds().find((id) => {
      const t = world.terminal(id);
      return t !== undefined && t.host.name === host && !t.closed;
    }),
    typeLine: async (terminal, line) => {
      focusTerminal(terminal);
      const c = terminalControllers.get(terminal);
      if (!c) {
        world.type(terminal, textToByteString(line));
        return;
      }
      // A rewind while it types (the learner's) leaves the line unsent: the world it was for is gone.
      let rewound = false;
      const off = world.on('reset', () => (rewound = true));
      try {
        c.editor.reset();
        for (const ch of Array.from(line)) {
          if (rewound) break;
          c.keys(ch);
          await sleep(line.length > 40 ? 12 : 28);
        }
        if (!rewound) await sleep(150);
        if (rewound) c.editor.reset();
        else c.keys('\r');
      } finally {
        off();
      }
    },
  });
}
