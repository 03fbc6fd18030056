/**
 * tar against GNU tar 1.34: the same command lines in the simulated shell and the machine's
 * bash (listings, extraction with modes and mtimes, old-style bundles, -C, -z and its
 * autodetection, the errors and statuses), archives handed across (ours to the real `tar -tvf`
 * and `tar -xf`, the real tar's to ours), and the seed document's copy of a Redis install from
 * one simulated host to another with tar, scp and tar -x.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { world } from './helpers';
import { useShellDifferential } from './shell-differential';

const LONG = `${'deep/'.repeat(22)}name.txt`;
const { harness, expectSame, sim } = useShellDifferential('shell-tar', {
  'opt/redis_cluster/conf/redis.conf': 'port 6379\ncluster-enabled yes\n',
  'opt/redis_cluster/data/dump.rdb': 'REDIS0009\xfa\x00',
  'opt/redis_cluster/bin/redis-server': 'x'.repeat(1500),
  'one/f': 'one\n',
  [LONG]: 'long\n',
  plain: 'not an archive\n',
  empty: '',
});

/** The same permission bits on both sides; times below (the harness writes files at different times). */
const MODES = 'chmod 600 opt/redis_cluster/data/dump.rdb; chmod 755 opt/redis_cluster/bin/redis-server';
/** 2017: older than six months both for the real clock and the simulated one (ls shows the year). */
const MTIME_S = 1_500_000_000;

/** Every file and directory of the trees gets MTIME_S on both sides (again after tests changed them). */
function sameTimes(): void {
  const t = harness();
  spawnSync('bash', ['-c', `find opt one deep -exec touch -d @${MTIME_S} {} +`], { cwd: t.dir });
  // The simulated touch takes no -d: the times are set through the disk.
  const walk = (p: string) => {
    const n = t.w.host('redis-1').disk.lookup(p);
    if (!n) return;
    n.mtimeMs = MTIME_S * 1000;
    for (const c of n.children?.keys() ?? []) walk(`${p}/${c}`);
  };
  for (const d of ['opt', 'one', 'deep']) walk(`/root/${d}`);
}

beforeAll(async () => {
  spawnSync('bash', ['-c', MODES], { cwd: harness().dir });
  await sim(MODES);
  sameTimes();
});

describe('tar (differential)', () => {
  it('creates, lists and extracts', async () => {
    await expectSame([
      'tar -cf a1.tar --sort=name opt && tar -tf a1.tar && tar -tvf a1.tar; rm a1.tar',
      'tar --sort=name -cvf a2.tar opt; rm a2.tar', 'tar --sort=name -cvvf a3.tar opt one; rm a3.tar',
      'tar czvf a4.tgz --sort=name opt; tar tzf a4.tgz; tar tf a4.tgz; tar -tvf a4.tgz opt/redis_cluster/conf; rm a4.tgz',
      'tar --sort=name -czf a5.tar.gz opt/redis_cluster/; mkdir x5; tar -xzvf a5.tar.gz -C x5; ls -lR x5/opt | grep -v total; rm -r a5.tar.gz x5',
      'tar --sort=name -cf a6.tar opt; mkdir x6; cd x6; tar xvf ../a6.tar; stat -c "%A %s %Y %n" opt opt/redis_cluster opt/redis_cluster/*/*; cd ..; rm -r x6 a6.tar',
      'tar --sort=name -cf - opt | tar -tvf -', 'tar --sort=name -c one | tar -tv', 'tar cvf - one > /dev/null', 'tar -cf a7.tar one; tar -xOf a7.tar one/f; rm a7.tar',
      'tar --sort=name -cf a8.tar deep; tar -tf a8.tar | tail -1; mkdir x8; tar -xf a8.tar -C x8; cat x8/deep/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/name.txt; rm -r a8.tar x8',
      'cp -r one one9; tar -cf a9.tar one9; echo changed > one9/f; chmod 700 one9/f; tar -xvf a9.tar; stat -c "%A %s" one9/f; cat one9/f; rm -r a9.tar one9',
      'tar --sort=name -cvf v1.tar one nosuch one; rm v1.tar',
      ...['*.rdb', 'conf', 'opt/redis_cluster/bin', 'conf/redis.conf', 'opt', 'redis.conf', 're*', 'opt/*', '*/redis.conf', 'conf/'].map((p) => `tar --sort=name --exclude='${p}' -cvf /dev/null opt`),
      "tar --sort=name -cvf /dev/null one --exclude='*.rdb' opt; echo $?", "tar --sort=name -cvf /dev/null opt --exclude='*.rdb' --exclude=x; echo $?",
      "tar -cf e1.tar opt; tar --exclude='*.conf' -tf e1.tar | sort; rm e1.tar", 'tar -cf k1.tar one; tar -xkf k1.tar; echo $?; tar -xkvf k1.tar; echo $?; rm k1.tar',
      'tar -cPf p1.tar "$PWD/one/f"; tar -tf p1.tar | sed "s|$PWD|PWD|"; rm p1.tar',
      'tar --sort=name --create --gzip --file=l1.tgz opt; tar --list --file l1.tgz; mkdir l1; tar -xvvf l1.tgz -C l1 opt/redis_cluster/conf; find l1 | sort; tar -tvvf l1.tgz opt/redis_cluster/data/; rm -r l1 l1.tgz',
      'tar --sort=name -cf l2.tar opt; tar -xOf l2.tar; tar -xOf l2.tar opt/redis_cluster/conf/redis.conf opt/redis_cluster/data | od -c | head -3; rm l2.tar',
      'tar --sort=name -cf s1.tar opt; mkdir s1; tar -xvf s1.tar -C s1 --strip-components=2; find s1 | sort; tar -tf s1.tar --strip-components=1 | head -2; rm -r s1 s1.tar', 'tar -xf x.tar --strip-components=x; echo $?',
      'tar -cf b1.tar ./one/f; tar tf b1.tar; rm b1.tar', 'tar -cf b2.tar one/../one/f; tar tf b2.tar; rm b2.tar',
      'tar -cf b3.tar -C opt redis_cluster/conf; tar tf b3.tar; rm b3.tar', 'tar -cvf /dev/null one -C opt/redis_cluster conf -C .. redis_cluster/bin',
      'tar -cvf /dev/null one -C nosuch one; echo $?', 'tar -cvf /dev/null one -C one/f one; echo $?',
      'tar -cf b4.tar one; tar -tf b4.tar one/f nosuch; echo $?; tar -xf b4.tar -C /root/one nosuch; echo $?; rm b4.tar',
    ]);
  });

  it('refuses and fails as tar does', async () => {
    await expectSame([
      'tar', 'tar -cf e.tar', 'tar -ct', 'tar -q', 'tar --bogus', 'tar -tf', 'tar -xf nosuch.tar; echo $?', 'tar -tf plain', 'tar -tf empty', 'tar -tzf plain',
      'tar -cf n.tar nosuch one; echo $?; tar -tf n.tar; rm n.tar', 'tar -cf n2.tar nosuch; echo $?; tar -tf n2.tar; wc -c < n2.tar; rm n2.tar',
      'tar -cf nodir/x.tar one; echo $?', 'tar -cf c.tar one; tar -xf c.tar -C nosuch; echo $?; rm c.tar', 'tar -cf c2.tar one; head -c 600 c2.tar | tar -tf -; echo $?; rm c2.tar',
      'tar -cf c3.tar opt/redis_cluster/bin; head -c 1200 c3.tar > c4.tar; tar -tf c4.tar; echo $?; rm c3.tar c4.tar',
      'tar -cf z1.tar one/f; head -c 1536 z1.tar > z2.tar; tar -tf z2.tar; echo $?; head -c 1024 z1.tar | tar -tf -; (head -c 1536 z1.tar; printf x) | tar -tf -; rm z1.tar z2.tar',
      'tar -cf c5.tar one/f one/f; tar tf c5.tar | head -1; rm c5.tar', 'tar --sort=bogus -cf x one', 'tar --version | head -1', 'tar --help', 'tar --usage', 'tar -? | head -3', 'tar --he | tail -2', 'type -t tar',
      'mkdir sf; echo 1 > sf/x; tar -cf sf/f.tar sf; echo $?; tar -tf sf/f.tar; rm -r sf', 'tar -cf b5.tar one/../../x/../one; echo $?; tar -cf b6.tar one/../one/f; tar tf b6.tar; rm b5.tar b6.tar',
    ]);
  });

  it('archives cross between the real tar and ours', async () => {
    const t = harness();
    await sim('tar --sort=name -czf /root/ours.tgz opt one');
    const ours = t.w.readFile('redis-1', '/root/ours.tgz')!;
    const dir = mkdtempSync(join(tmpdir(), 'tar-cross-'));
    try {
      const listed = spawnSync('tar', ['-tvzf', '-'], { input: ours, env: { TZ: 'UTC', PATH: process.env.PATH } });
      expect(listed.status, listed.stderr.toString()).toBe(0);
      const simList = await sim('TZ=UTC tar -tvzf ours.tgz');
      expect(listed.stdout.toString()).toBe(simList.output);
      const raw = spawnSync('gzip', ['-dc'], { input: ours }).stdout;
      expect(raw.length % 10240).toBe(0);
      const x = spawnSync('tar', ['-xzf', '-', '-C', dir], { input: ours });
      expect(x.status).toBe(0);
      expect(spawnSync('cat', [join(dir, 'opt/redis_cluster/conf/redis.conf')]).stdout.toString()).toBe('port 6379\ncluster-enabled yes\n');
      expect(spawnSync('stat', ['-c', '%a', join(dir, 'opt/redis_cluster/data/dump.rdb')]).stdout.toString()).toBe('600\n');
      // The same tree makes the same bytes: headers, checksums, the long name's L member, padding.
      sameTimes();
      const realBytes = spawnSync('tar', ['--sort=name', '-cf', '-', 'opt', 'one', 'deep'], { cwd: t.dir }).stdout;
      await sim('tar --sort=name -cf /root/same.tar opt one deep');
      expect(Buffer.compare(Buffer.from(t.w.readFile('redis-1', '/root/same.tar')!), realBytes)).toBe(0);
      // The real tar's archive, uncompressed and compressed, read by ours.
      for (const z of ['', 'z']) {
        const real = spawnSync('tar', [`--sort=name`, `-c${z}f`, '-', 'opt', 'one', 'deep'], { cwd: t.dir }).stdout;
        t.writeBoth(`real.tar${z ? '.gz' : ''}`, real);
        const ourList = await sim(`tar -tvf real.tar${z ? '.gz' : ''}`);
        const realList = spawnSync('tar', ['-tvf', `real.tar${z ? '.gz' : ''}`], { cwd: t.dir, env: { TZ: 'UTC', PATH: process.env.PATH } });
        expect(ourList.output).toBe(realList.stdout.toString());
      }
      // Links, which the simulated disk cannot hold, are listed as tar lists them.
      const links = mkdtempSync(join(tmpdir(), 'tar-links-'));
      spawnSync('bash', ['-c', 'mkdir d && echo x > d/f && ln -s f d/sym && ln d/f d/hard && touch -h -d @1500000000 d/* d'], { cwd: links });
      const linked = spawnSync('tar', ['--sort=name', '-cf', '-', 'd'], { cwd: links }).stdout;
      rmSync(links, { recursive: true, force: true });
      t.writeBoth('links.tar', linked);
      const realLinks = spawnSync('tar', ['-tvf', 'links.tar'], { cwd: t.dir, env: { TZ: 'UTC', PATH: process.env.PATH } }).stdout.toString();
      expect(realLinks).toMatch(/ -> f\n/);
      expect((await sim('tar -tvf links.tar')).output).toBe(realLinks);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the seed document\'s copy of a Redis install between hosts', () => {
  it('tar -czvf, scp, then tar -xf and mv on the other host', async () => {
    const w = world();
    await w.exec('redis-2', 'mkdir -p /opt');
    await w.exec('redis-1', 'mkdir -p /opt/redis_cluster/redis_6380/conf /opt/redis_cluster/redis_6380/logs; echo "port 6380" > /opt/redis_cluster/redis_6380/conf/redis_6380.conf; chmod 640 /opt/redis_cluster/redis_6380/conf/redis_6380.conf');
    const create = await w.exec('redis-1', 'cd /opt; tar -czvf redis.tar.gz /opt/redis_cluster/');
    expect(create.code).toBe(0);
    expect(create.output).toContain("tar: Removing leading `/' from member names\n");
    expect(create.output).toContain('/opt/redis_cluster/redis_6380/conf/redis_6380.conf\n');
    const copy = await w.exec('redis-1', 'scp /opt/redis.tar.gz 10.0.0.12:/opt');
    expect(copy.code, copy.output).toBe(0);
    const unpack = await w.exec('redis-2', 'cd /opt/ ; tar -xf redis.tar.gz ; mv opt/* ./ ; cat /opt/redis_cluster/redis_6380/conf/redis_6380.conf; stat -c %a /opt/redis_cluster/redis_6380/conf/redis_6380.conf; ls -d /opt/redis_cluster/redis_6380/logs');
    expect(unpack.output).toBe('port 6380\n640\n/opt/redis_cluster/redis_6380/logs\n');
    expect((await w.exec('redis-2', 'cd /opt; ls; rm -rf opt/; ls redis_cluster/')).output).toBe('opt\nredis.tar.gz\nredis_cluster\nredis_6380\n');
  });

  it('tar through an ssh pipe, binary bytes intact', async () => {
    const w = world();
    await w.exec('redis-1', 'mkdir -p /srv/x; printf "\\x00\\xff\\x80\\x1f\\x8b" > /srv/x/b; echo conf > /srv/x/c');
    const r = await w.exec('redis-1', 'tar -czf - /srv/x | ssh redis-2 "tar -xzvf - -C /"; echo $?', { timeoutMs: 60_000 });
    expect(r.output).toBe("tar: Removing leading `/' from member names\nsrv/x/\nsrv/x/b\nsrv/x/c\n0\n");
    expect(w.readFile('redis-2', '/srv/x/b')).toEqual(Uint8Array.of(0, 0xff, 0x80, 0x1f, 0x8b));
    expect((await w.exec('redis-1', 'ssh redis-2 "tar -cf - -C /srv x" | tar -tvf - | cut -c1-11,49-', { timeoutMs: 60_000 })).output).toBe('drwxr-xr-x x/\n-rw-r--r-- x/b\n-rw-r--r-- x/c\n');
  });
});
