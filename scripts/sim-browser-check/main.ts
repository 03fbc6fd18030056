import { World, WebWorkerRuntime } from '../../src/sim';
const hosts = [{ name: 'a', ip: '10.0.0.1' }, { name: 'b', ip: '10.0.0.2' }];
async function run(runtime?: WebWorkerRuntime) {
  const w = new World({ seed: 5, hosts, runtime });
  await w.exec('a', 'redis-server --port 6379 --save "" --logfile /var/log/r.log &');
  await w.exec('b', 'redis-server --port 6380 --protected-mode no --save "" &');
  await w.advance(3000);
  await w.exec('a', 'pkill redis-server');
  await w.advance(1000);
  const r = { hash: w.trace.hash(), count: w.trace.count, log: (w.readText('a', '/var/log/r.log') ?? '').split('\n').length };
  w.dispose();
  return r;
}
const out = document.getElementById('out')!;
try {
  const t0 = performance.now();
  const inline = await run();
  const t1 = performance.now();
  const worker = await run(new WebWorkerRuntime());
  const t2 = performance.now();
  console.log('RESULT', JSON.stringify({ inline, worker, same: inline.hash === worker.hash, inlineMs: Math.round(t1 - t0), workerMs: Math.round(t2 - t1) }));
  out.textContent = JSON.stringify({ inline, worker, same: inline.hash === worker.hash, inlineMs: Math.round(t1 - t0), workerMs: Math.round(t2 - t1) });
} catch (e) {
  console.log('RESULT ERROR ' + (e as Error).stack);
  out.textContent = 'ERROR ' + (e as Error).stack;
}
