import { serveRunner } from '../../src/sim/runtime/worker-serve';
import { BENCH_PROGRAMS } from './programs';

serveRunner(self as unknown as Parameters<typeof serveRunner>[0], BENCH_PROGRAMS);
