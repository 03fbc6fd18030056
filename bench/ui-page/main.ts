/**
 * The real playground UI on a benchmark topology: 5 hosts, each with two redis-servers and a
 * write-load client (15 processes, one Web Worker each, or all on the page with
 * `?processes=page`), the clients writing to a server on
 * their own host and one on the next host, so messages fly both on loopback and across hosts.
 */
import { mount } from 'svelte';
import '@xterm/xterm/css/xterm.css';
import App from '../../src/ui/App.svelte';
import { InlineRuntime, WebWorkerRuntime, STANDARD_PROGRAM_NAMES } from '../../src/sim';
import { BENCH_PROGRAMS } from './programs';
import type { HostSpec } from '../../src/sim';

const HOSTS = 5;
const hosts: HostSpec[] = Array.from({ length: HOSTS }, (_, i) => {
  const next = (i + 1) % HOSTS;
  const conf = (port: number) => `port ${port}\nbind 0.0.0.0\nprotected-mode no\nsave ""\ndir /var/redis/${port}\n`;
  return {
    name: `node-${i + 1}`,
    ip: `10.0.0.${11 + i}`,
    files: { '/etc/redis/7000.conf': conf(7000), '/etc/redis/7001.conf': conf(7001) },
    dirs: ['/var/redis/7000', '/var/redis/7001'],
    boot: ['redis-server /etc/redis/7000.conf', 'redis-server /etc/redis/7001.conf', `sleep 1; write-load 20 127.0.0.1:7000 10.0.0.${11 + next}:7001`],
  };
});

mount(App, {
  target: document.getElementById('app')!,
  props: {
    setupOverride: { seed: 15, hosts },
    sessionOptions: {
      // The programs run in ./worker.ts; the page only needs their names.
      programNames: [...STANDARD_PROGRAM_NAMES, 'write-load'],
      // `?processes=page`: the processes on the page's thread (the playground's other placement).
      runtime: new URLSearchParams(location.search).get('processes') === 'page'
        ? () => new InlineRuntime(BENCH_PROGRAMS)
        : () => new WebWorkerRuntime(0, () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'sim-process' })),
    },
  },
});
