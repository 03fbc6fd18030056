/**
 * Experiments (workspace, file, link) and the export to real Redis. The exported archive is
 * read back with the system's tar, its compose file with a YAML parser, and each exported
 * config is started by Debian's real redis-server 7.0.15 to prove it is a valid config.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { World } from '../../src/sim/world';
import { PRESETS } from '../../src/ui/world/presets';
import { validateExperiment, encodeExperiment, decodeExperiment, experimentLink, type Experiment } from '../../src/ui/workspace/experiment';
import { realRedisBundle, tarArchive, containerConf, type ExportedProcess } from '../../src/ui/workspace/real-redis';
import { REAL_REDIS } from '../support/real-redis';
import { freePort } from '../support/ports';

async function session(): Promise<{ world: World; exp: Experiment }> {
  const p = PRESETS[0];
  const world = new World({ seed: p.seed, hosts: p.hosts });
  const t = world.openTerminal('redis-1');
  await world.advance(500);
  world.type(t, 'ls /etc/redis');
  await world.advance(500);
  const pid = world.listening('redis-1').find((l) => l.port === 7001)!.pid;
  world.kill('redis-1', pid, 'SIGKILL');
  await world.advance(1000);
  const exp: Experiment = { format: 'halab-experiment', version: 1, source: { kind: 'preset', id: p.id }, seed: p.seed, inputs: world.recordedInputs(), untilMs: world.now - world.checkpoints[0].t };
  return { world, exp };
}

describe('experiments', () => {
  it('replaying an experiment lands on the same state', async () => {
    const { world, exp } = await session();
    const p = PRESETS[0];
    const again = await World.replay({ seed: exp.seed, hosts: p.hosts }, exp.inputs, world.checkpoints[0].t + exp.untilMs);
    expect(again.fingerprint()).toEqual(world.fingerprint());
    world.dispose();
    again.dispose();
  });

  it('round-trips through a link and rejects damaged or hostile ones', async () => {
    const { world, exp } = await session();
    world.dispose();
    const link = await experimentLink(exp, 'http://127.0.0.1:5173/?lesson=x#old');
    const url = new URL(link);
    expect(url.searchParams.get('preset')).toBe('master-replicas');
    expect(url.searchParams.get('lesson')).toBeNull();
    const back = await decodeExperiment(url.hash.slice(3));
    expect(back).toEqual({ experiment: exp });
    expect(await decodeExperiment('AAAA')).toHaveProperty('problems');
    const bad = await decodeExperiment(await encodeExperiment({ ...exp, inputs: [{ t: 1, input: { kind: 'eval', code: 'x' } }] } as unknown as Experiment));
    expect(bad).toEqual({ problems: ['inputs[0]: unknown input kind "eval"'] });
    expect(validateExperiment({ ...exp, source: { kind: 'preset', id: '../x' } })).toHaveProperty('problems');
    expect(validateExperiment({ ...exp, inputs: [{ t: 2, input: { kind: 'heal' } }, { t: 1, input: { kind: 'heal' } }] })).toEqual({ problems: ['inputs[1] is out of time order'] });
  });
});

function processesOf(world: World): ExportedProcess[] {
  return world.processes().filter((p) => p.kind === 'program').map((p) => {
    const host = world.hosts().find((h) => h.name === p.host)!;
    const confPath = p.argv.find((a) => a.endsWith('.conf')) ?? null;
    return { host: p.host, ip: host.ip, argv: p.argv, confPath, confText: confPath ? world.readText(p.host, confPath) : null };
  });
}

describe('export to real Redis', () => {
  it('writes a config per process and a compose file, as a tar archive', async () => {
    for (const preset of PRESETS.slice(0, 2)) {
      const world = new World({ seed: preset.seed, hosts: preset.hosts });
      await world.advance(500);
      const files = realRedisBundle(processesOf(world));
      world.dispose();
      const dir = mkdtempSync(join(tmpdir(), 'halab-export-'));
      writeFileSync(join(dir, 'x.tar'), tarArchive(files));
      const list = spawnSync('tar', ['-tf', join(dir, 'x.tar')], { encoding: 'utf8' });
      expect(list.status).toBe(0);
      expect(list.stdout.trim().split('\n')).toEqual(files.map((f) => f.path));
      spawnSync('tar', ['-xf', join(dir, 'x.tar'), '-C', dir]);
      const compose = YAML.parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'));
      const services = Object.keys(compose.services);
      if (preset.id === 'master-replicas') {
        expect(services).toEqual(['redis-1-7000', 'redis-1-7001', 'redis-1-7002']);
        expect(compose.services['redis-1-7000'].networks.lab.ipv4_address).toBe('10.0.0.11');
        expect(compose.services['redis-1-7001'].network_mode).toBe('service:redis-1-7000');
        expect(compose.services['redis-1-7001'].volumes).toEqual(['./redis-1/7001.conf:/usr/local/etc/redis/7001.conf', '/var/log/redis', '/var/redis/7001', '/var/run']);
        expect(compose.networks.lab.ipam.config[0].subnet).toBe('10.0.0.0/24');
        expect(readFileSync(join(dir, 'redis-1/7001.conf'), 'utf8')).toContain('replicaof 127.0.0.1 7000');
      } else {
        // Each host's redis-server and redis-sentinel.
        expect(services).toEqual(['redis01-6379', 'redis01-26379', 'redis02-6379', 'redis02-26379', 'redis03-6379', 'redis03-26379']);
        expect(compose.services['redis02-6379'].networks.lab.ipv4_address).toBe('10.0.1.52');
        expect(compose.services['redis02-26379'].command[0]).toBe('redis-sentinel');
        expect(readFileSync(join(dir, 'redis02/sentinel.conf'), 'utf8')).toContain('sentinel monitor mymaster 10.0.1.51 6379 2');
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns daemonize off and keeps command-line options', () => {
    const conf = containerConf({ host: 'h', ip: '10.0.0.1', argv: ['redis-server', '/etc/r.conf', '--appendonly', 'yes', '--save', '60', '1'], confPath: '/etc/r.conf', confText: 'port 7000\ndaemonize yes\n' });
    expect(conf).toContain('\ndaemonize no\n');
    expect(conf).not.toMatch(/^daemonize yes/m);
    expect(conf).toContain('appendonly yes\nsave 60 1\n');
  });

  it.runIf(REAL_REDIS)('produces configs that real redis-server 7.0.15 starts with', async () => {
    const preset = PRESETS[0];
    const world = new World({ seed: preset.seed, hosts: preset.hosts });
    await world.advance(500);
    const files = realRedisBundle(processesOf(world)).filter((f) => f.path.endsWith('.conf'));
    world.dispose();
    expect(files).toHaveLength(3);
    for (const f of files) {
      const dir = mkdtempSync(join(tmpdir(), 'halab-conf-'));
      // The config's absolute paths, moved under a scratch directory.
      const text = f.content.split(' /var/').join(` ${dir}/var/`);
      for (const d of ['var/redis/7000', 'var/redis/7001', 'var/redis/7002', 'var/log/redis', 'var/run']) spawnSync('mkdir', ['-p', join(dir, d)]);
      writeFileSync(join(dir, 'r.conf'), text);
      const port = await freePort();
      const r = spawnSync(REAL_REDIS!, [join(dir, 'r.conf'), '--logfile', '', '--port', String(port)], { encoding: 'utf8', timeout: 1500, killSignal: 'SIGKILL' });
      const out = `${r.stdout}${r.stderr}`;
      expect(out, out).not.toContain('FATAL CONFIG FILE ERROR');
      expect(out, out).toContain('Ready to accept connections');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
