/**
 * Human text at the simulation's edges: inside a machine names and lines are bytes (UTF-8), as on
 * Linux. Document 003 keeps its configuration under /root/备份/redis-5.0.0, so a topology path, a
 * boot line, a typed line and a headless command with Chinese in them must all name the same file,
 * and `ls`/`pwd` must print the name a terminal decodes back to 备份.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { programs } from './programs';
import { strToUtf8, utf8ToStr } from '../../src/engine/bytes';

const DIR = '/root/备份/redis-5.0.0';

function world(): World {
  return new World({
    seed: 7,
    hosts: [{
      name: 'vm',
      ip: '10.0.0.10',
      files: { [`${DIR}/redis_master.conf`]: 'port 6379\n# 主节点\n' },
      dirs: ['/var/数据'],
      boot: [`echo 开机 > ${DIR}/boot.txt`],
    }],
    programs,
  });
}

describe('text and bytes at the edges of the simulation', () => {
  it('topology paths, boot lines and exec commands are UTF-8 inside the machine', async () => {
    const w = world();
    await w.advance(100);
    // exec output is a byte string: decode it like a terminal would.
    const ls = await w.exec('vm', `ls /root; ls ${DIR}; ls /var | grep 数据; cat ${DIR}/boot.txt`);
    expect(strToUtf8(ls.output)).toBe('备份\nboot.txt\nredis_master.conf\n数据\n开机\n');
    expect(ls.output).toContain(utf8ToStr('备份'));
    expect(w.readText('vm', `${DIR}/redis_master.conf`)).toBe('port 6379\n# 主节点\n');
    expect(w.listDir('vm', '/root')).toEqual(['备份']);
    expect(w.fileInfo('vm', `${DIR}/boot.txt`)?.size).toBe(utf8ToStr('开机\n').length);
    w.writeFile('vm', '/tmp/笔记.txt', '你好\n');
    expect(strToUtf8((await w.exec('vm', 'cat /tmp/笔记.txt')).output)).toBe('你好\n');
    w.dispose();
  });

  it('a terminal sends the UTF-8 bytes of a typed line: cd into 备份 and pwd prints it back', async () => {
    const w = world();
    const term = w.openTerminal('vm');
    await w.advance(100);
    const before = w.terminal(term)!.text().length;
    w.type(term, utf8ToStr(`cd ${DIR} && pwd && ls`));
    await w.advance(100);
    expect(strToUtf8(w.terminal(term)!.text().slice(before))).toContain(`${DIR}\nboot.txt  redis_master.conf\n`);
    w.dispose();
  });
});
