/**
 * Programs for the UI benchmark page: the standard registry plus `write-load`, a small client
 * that keeps writing to Redis servers so the topology has real messages in flight to animate.
 *
 *   write-load RATE HOST:PORT [HOST:PORT...]   SET bench:<n> <n> to each target, RATE writes/s each
 */
import type { ProgramMain } from '../../src/engine/programs/program';
import { encodeCommand } from '../../src/engine/resp/reply-parser';
import { strToBytes } from '../../src/engine/bytes';
import { STANDARD_PROGRAMS, type ProgramRegistry } from '../../src/sim/programs';

const writeLoad: ProgramMain = ({ os, argv }) => {
  const rate = Number(argv[1]);
  for (const target of argv.slice(2)) {
    const [host, port] = target.split(':');
    const s = os.connect(host, Number(port));
    let n = 0;
    const tick = () => {
      s.write(strToBytes(encodeCommand(['SET', `bench:${n % 100}`, String(n)])));
      n++;
      os.setTimer(1000 / rate, tick);
    };
    s.onConnect = () => tick();
    s.onData = () => undefined;
    s.onClose = () => undefined;
  }
};

export const BENCH_PROGRAMS: ProgramRegistry = { ...STANDARD_PROGRAMS, 'write-load': writeLoad };
