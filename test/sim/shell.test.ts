import { describe, expect, it } from 'vitest';
import { typeAndRun, world } from './helpers';
import { parse, Incomplete } from '../../src/sim/shell/parser';

/** GNU's ‘quotes’ as the bytes a command writes (UTF-8, read here one byte per char). */
const q = (s: string) => `\xe2\x80\x98${s}\xe2\x80\x99`;

async function sh(cmd: string, w = world()) {
  const r = await w.exec('redis-1', cmd);
  return r.output;
}

describe('shell parser', () => {
  it('parses lists, and-or, pipelines, redirections, heredocs and substitutions', () => {
    const l = parse('a | b && c || d; e & f > x 2>&1\ncat <<EOF\nhi $X\nEOF\n');
    expect(l.items.map((i) => i.background)).toEqual([false, true, false, false]);
    expect(l.items[0].andOr.first.cmds.length).toBe(2);
    expect(l.items[0].andOr.rest.map((r) => r.op)).toEqual(['&&', '||']);
    const heredoc = l.items[3].andOr.first.cmds[0];
    expect(heredoc.type === 'simple' && heredoc.redirs[0].heredoc).toEqual({ body: 'hi $X\n', expand: true });
  });

  it('asks for more input when a construct is open', () => {
    for (const src of ['echo "abc', "echo 'x", 'a |', 'a &&', 'cat <<EOF\nx', 'echo $(date', '(echo a']) {
      expect(() => parse(src), src).toThrow(Incomplete);
    }
  });
});

describe('shell commands', () => {
  it('echo, variables, quoting, $?, command substitution and backticks', async () => {
    expect(await sh('X=world; echo "hello $X" \'$X\' ${X}s')).toBe('hello world $X worlds\n');
    expect(await sh('false; echo $?; true && echo yes || echo no; false || echo fallback')).toBe('1\nyes\nfallback\n');
    expect(await sh('echo "host=$(hostname) ip=`hostname -I`"')).toBe('host=redis-1 ip=10.0.0.11 \n');
    expect(await sh('echo -n a; echo -e "b\\tc"')).toBe('ab\tc\n');
    expect(await sh('Y=$(echo one two); echo $Y; export Z=3; env | grep ^Z=')).toBe('one two\nZ=3\n');
    expect(await sh('echo ${NOPE:-default} ~')).toBe('default /root\n');
  });

  it('pipes and redirections: >, >>, <, 2>&1, heredocs, /dev/null', async () => {
    const w = world();
    expect(await sh('echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f | wc -l', w)).toBe('2\n');
    expect(await sh('ls /nope > /tmp/out 2>&1; cat /tmp/out', w)).toBe("ls: cannot access '/nope': No such file or directory\n");
    expect(await sh('ls /nope 2>/dev/null; echo code=$?', w)).toBe('code=2\n');
    expect(await sh("cat > /etc/redis.conf <<'EOF'\nport $PORT\nEOF\ncat /etc/redis.conf", w)).toBe('port $PORT\n');
    expect(await sh('P=7000; cat <<EOF\nport $P\nEOF', w)).toBe('port 7000\n');
    expect(await sh('cat < /nope', w)).toBe('bash: /nope: No such file or directory\n');
    expect(await sh('echo x > /nodir/f', w)).toBe('bash: /nodir/f: No such file or directory\n');
    expect(await sh('grep -c two < /tmp/f', w)).toBe('1\n');
  });

  it('unknown commands and bad flags answer like bash and coreutils', async () => {
    expect(await sh('foo')).toBe('bash: foo: command not found\n');
    expect((await world().exec('redis-1', 'foo')).code).toBe(127);
    expect(await sh('ls -z')).toBe("ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n");
    expect(await sh('./nosuch')).toBe('bash: ./nosuch: No such file or directory\n');
    expect(await sh('frobnicate --now')).toBe('bash: frobnicate: command not found\n');
    expect(await sh('kill 99999')).toBe('bash: kill: (99999) - No such process\n');
    expect(await sh('kill -FOO 1')).toBe('bash: kill: FOO: invalid signal specification\n');
    expect(await sh('cd /nope')).toBe('bash: cd: /nope: No such file or directory\n');
    expect(await sh('sleep')).toBe("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    expect(await sh('head -n x /etc')).toBe(`head: invalid number of lines: ${q('x')}\n`);
    expect(await sh('pkill')).toBe("pkill: no matching criteria specified\nTry `pkill --help' for more information.\n");
    expect(await sh('echo "unclosed')).toBe('bash: line 1: syntax error: unexpected end of file\n');
    expect(await sh('echo a | | b')).toBe("bash: line 1: syntax error near unexpected token `|'\n");
  });

  it('file commands: ls [-l] [-a], cat, cp, mv, rm [-rf], mkdir [-p], touch, pwd, cd', async () => {
    const w = world();
    expect(await sh('mkdir -p /data/a/b && cd /data && pwd && ls', w)).toBe('/data\na\n');
    expect(await sh('mkdir /data', w)).toBe(`mkdir: cannot create directory ${q('/data')}: File exists\n`);
    expect(await sh('mkdir /x/y', w)).toBe(`mkdir: cannot create directory ${q('/x/y')}: No such file or directory\n`);
    expect(await sh('echo hi > /data/f1; cp /data/f1 /data/f2; mv /data/f2 /data/a/; ls /data /data/a', w)).toBe('/data:\na\nf1\n\n/data/a:\nb\nf2\n');
    expect(await sh('ls -l /data', w)).toBe('total 8\ndrwxr-xr-x 3 root root 4096 May  1 10:00 a\n-rw-r--r-- 1 root root    3 May  1 10:00 f1\n');
    expect(await sh('touch /data/.hidden; ls /data; ls -a /data | wc -l', w)).toBe('a\nf1\n5\n');
    expect(await sh('cat /data/a/f2 /data/nope', w)).toBe('hi\ncat: /data/nope: No such file or directory\n');
    expect(await sh('cat /data', w)).toBe('cat: /data: Is a directory\n');
    expect(await sh('rm /data/a', w)).toBe("rm: cannot remove '/data/a': Is a directory\n");
    expect(await sh('rm /data/zz', w)).toBe("rm: cannot remove '/data/zz': No such file or directory\n");
    expect(await sh('rm -f /data/zz; rm -rf /data/a; ls /data', w)).toBe('f1\n');
    expect(await sh('cp /nope /x', w)).toBe("cp: cannot stat '/nope': No such file or directory\n");
    expect(await sh('mv /nope /x', w)).toBe("mv: cannot stat '/nope': No such file or directory\n");
    expect(await sh('touch /nope/x', w)).toBe("touch: cannot touch '/nope/x': No such file or directory\n");
    expect(await sh('cd /data; echo *; echo /data/f*; echo nomatch*', w)).toBe('f1\n/data/f1\nnomatch*\n');
  });

  it('text commands: sed (and -i), grep (-v -c -i -E -n), head, tail, wc, sort, uniq', async () => {
    const w = world();
    await sh('printf "port 6379\\nbind 127.0.0.1\\nappendonly no\\n" > /etc/r.conf', w);
    expect(await sh("sed 's/no/yes/g' /etc/r.conf > /etc/r2.conf; cat /etc/r2.conf | tail -n 1", w)).toBe('appendonly yes\n');
    expect(await sh("sed -i 's/^port .*/port 7000/' /etc/r.conf; head -n 1 /etc/r.conf", w)).toBe('port 7000\n');
    expect(await sh("sed -E 's/([a-z]+) (.*)/\\2=\\1/' /etc/r.conf", w)).toBe('7000=port\n127.0.0.1=bind\nno=appendonly\n');
    expect(await sh("sed '/bind/d' /etc/r.conf | wc -l", w)).toBe('2\n');
    expect(await sh('grep -v port /etc/r.conf', w)).toBe('bind 127.0.0.1\nappendonly no\n');
    expect(await sh('grep -c -i PORT /etc/r.conf; grep -E "^(bind|port)" /etc/r.conf | wc -l; grep -n append /etc/r.conf', w)).toBe('1\n2\n3:appendonly no\n');
    expect(await sh('grep nothing /etc/r.conf; echo $?; grep x /nope; echo $?', w)).toBe('1\ngrep: /nope: No such file or directory\n2\n');
    expect(await sh('tail -n 2 /etc/r.conf; head -c 4 /etc/r.conf; echo', w)).toBe('bind 127.0.0.1\nappendonly no\nport\n');
    expect(await sh('wc -l /etc/r.conf; wc -c < /etc/r.conf; wc /etc/r.conf', w)).toBe('3 /etc/r.conf\n39\n 3  6 39 /etc/r.conf\n');
    expect(await sh('printf "b\\na\\nb\\n" | sort | uniq -c', w)).toBe('      1 a\n      2 b\n');
    expect(await sh("sed -n '2p' /etc/r.conf", w)).toBe('bind 127.0.0.1\n');
  });

  it('date with formats and relative dates, on virtual time', async () => {
    const w = world();
    expect(await sh('date', w)).toBe('Wed May  1 10:00:00 UTC 2024\n');
    expect(await sh('date +%Y-%m-%dT%H:%M:%S; date +%s', w)).toBe('2024-05-01T10:00:00\n1714557600\n');
    expect(await sh("date -d '-48hour' +%F; date -d '2 days ago' +%F; date -d yesterday +%a; date -d @0 -u", w)).toBe('2024-04-29\n2024-04-29\nTue\nThu Jan  1 00:00:00 UTC 1970\n');
    expect(await sh("date -d 'bogus'", w)).toBe(`date: invalid date ${q('bogus')}\n`);
    const t0 = w.now;
    expect(await sh('sleep 2.5; date +%S', w)).toBe('02\n');
    expect(w.now - t0).toBeGreaterThanOrEqual(2500);
  });

  it('date: %k and %l pad the hour with a space, flags and widths as GNU date (outputs taken from it)', async () => {
    const w = world();
    const at = "-d '2024-05-02 09:05:07'";
    expect(await sh(`date ${at} +%Y%m%d%k; date ${at} +%Y%m%d%H`, w)).toBe('20240502 9\n2024050209\n');
    expect(await sh(`date ${at} '+[%-H] [%_H] [%0k] [%-k] [%l] [%_5d] [%-d] [%5Y] [%-j]'`, w)).toBe('[9] [ 9] [09] [9] [ 9] [    2] [2] [02024] [123]\n');
    expect(await sh("date -d '2024-05-02 21:00' +%l", w)).toBe(' 9\n');
    expect(await sh('sleep 0.25; date +%T.%3N', w)).toMatch(/^10:00:0\d\.250\n$/);
    // The document's backup script: unquoted, a space-padded hour splits into two words.
    expect(await sh(`d=\`date ${at} +%Y%m%d%k\`; mkdir -p /tmp/snap; cd /tmp/snap; mkdir /tmp/snap/$d; ls /tmp/snap`, w)).toBe('20240502\n9\n');
    expect(await sh('date -d -1month +%F; date -d -48hour +%Y%m%d%H', w)).toMatch(/^2024-04-01\n20240429\d\d\n$/);
  });

  it('ps, kill, pkill, pgrep on the host', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'echo-server 7000 > /dev/null &', 50);
    const ps = await typeAndRun(w, t, 'ps', 10);
    expect(ps).toMatch(/ {2}PID TTY {10}TIME CMD\n\s*\d+ pts\/0 {4}00:00:00 bash\n\s*\d+ pts\/0 {4}00:00:00 echo-server\n\s*\d+ pts\/0 {4}00:00:00 ps\n/);
    expect(await typeAndRun(w, t, 'pgrep -l echo', 10)).toMatch(/\d+ echo-server\n/);
    expect(await typeAndRun(w, t, 'pkill -9 -f "echo-server 7000"; pgrep echo; echo $?', 50)).toContain('1\n');
    expect(await typeAndRun(w, t, 'pkill nothing-like-this; echo $?', 10)).toContain('1\n');
  });

  it('ps -o/-p/-C/-eo print procps columns (header, width, alignment as procps-ng 4 does)', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 > /dev/null &');
    await w.advance(10);
    const pid = w.processes('redis-1').find((p) => p.argv[0] === 'echo-server')!.pid;
    expect(await sh('ps -o pid,ppid,stat,user,%cpu,%mem,vsz,rss,tty,time,etime,comm -p 1', w)).toBe(
      '  PID  PPID STAT USER     %CPU %MEM    VSZ   RSS TT           TIME     ELAPSED COMMAND\n'
      // %MEM: 11876 KiB of the 4 GiB host's MemTotal (4104192 KiB) is 0.289 %, truncated as procps does.
      + '    1     0 Ss   root      0.0  0.2 167744 11876 ?        00:00:00       00:00 init\n');
    // Empty headers: no header line; `=X` renames (and widens) a column.
    expect(await sh(`ps -o pid=,stat= -p ${pid}`, w)).toBe(`${String(pid).padStart(5)} S\n`);
    expect(await sh(`ps -o pid=PROCESS-ID,comm -p ${pid}`, w)).toBe(`PROCESS-ID COMMAND\n${String(pid).padStart(10)} echo-server\n`);
    expect(await sh(`ps -o comm,pid,args,user -p ${pid}`, w)).toBe(
      `COMMAND           PID COMMAND                     USER\necho-server     ${String(pid).padStart(5)} echo-server 7000            root\n`);
    expect(await sh(`ps -p ${pid}`, w)).toBe(`  PID TTY          TIME CMD\n${String(pid).padStart(5)} ?        00:00:00 echo-server\n`);
    expect(await sh('ps -C echo-server -o pid=', w)).toBe(`${String(pid).padStart(5)}\n`);
    expect(await sh('ps -eo pid,comm | grep -c echo-server', w)).toBe('1\n');
    expect(await sh('ps -o pid -p 99999; echo rc=$?', w)).toBe('  PID\nrc=1\n');
    expect(await sh('ps -o foo -p 1; echo rc=$?', w)).toMatch(/^error: unknown user-defined format specifier "foo"\n\nUsage:\n ps \[options\]\n[\s\S]*rc=1\n$/);
  });

  it('sh script.sh with arguments, variables and backticks; source', async () => {
    const w = world();
    await sh("cat > /root/s.sh <<'EOF'\n#!/bin/sh\nNAME=$1\nCOUNT=`echo $# args`\necho \"hello $NAME ($COUNT)\"\nexit 3\nEOF", w);
    const r = await w.exec('redis-1', 'sh /root/s.sh bob x; echo status=$?');
    expect(r.output).toBe('hello bob (2 args)\nstatus=3\n');
    expect(await sh('sh /root/nope.sh', w)).toBe('sh: /root/nope.sh: No such file or directory\n');
    expect(await sh("echo 'V=42' > /root/env.sh; . /root/env.sh; echo $V", w)).toBe('42\n');
    expect(await sh("bash -c 'echo from-c $0' arg0", w)).toBe('from-c arg0\n');
  });

  it('for, while, until, if, { }, break, seq and test', async () => {
    const w = world();
    expect(await sh('for i in $(seq 1 3); do echo "n$i"; done', w)).toBe('n1\nn2\nn3\n');
    expect(await sh('i=0; while [ $i -lt 3 ]; do i=$(echo $i | sed s/0/1/;); echo $i; [ "$i" = 1 ] && break; done', w)).toBe('1\n');
    expect(await sh('if [ -f /etc/nope ]; then echo yes; elif test -d /etc; then echo dir; else echo no; fi', w)).toBe('dir\n');
    expect(await sh('{ echo a; echo b; } > /tmp/g; wc -l < /tmp/g', w)).toBe('2\n');
    expect(await sh('for f in a b; do echo $f; done | sort -r', w)).toBe('b\na\n');
    expect(await sh('until true; do echo never; done; echo ok', w)).toBe('ok\n');
    expect(await sh('[ 1 -eq x ]; echo $?', w)).toBe('bash: [: x: integer expression expected\n2\n');
    expect(await sh('seq 3 -1 1 | rot13', w)).toContain('command not found');
    expect(parse('for x in 1 2\ndo\necho $x\ndone').items.length).toBe(1);
    expect(() => parse('for x in 1; do echo')).toThrow(Incomplete);
  });

  it('hostname, ip addr, iptables -L, which, uname', async () => {
    const w = world();
    expect(await sh('hostname', w)).toBe('redis-1\n');
    expect(await sh('ip addr | grep inet', w)).toBe('    inet 127.0.0.1/8 scope host lo\n    inet 10.0.0.11/24 brd 10.0.0.255 scope global eth0\n');
    await sh('iptables -A INPUT -s 10.0.0.12 -j DROP; iptables -A INPUT -p tcp --dport 6379 -j REJECT', w);
    expect(await sh('iptables -L INPUT -n', w)).toBe(
      'Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n' +
      'DROP       all  --  10.0.0.12            0.0.0.0/0           \n' +
      'REJECT     tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:6379 reject-with icmp-port-unreachable\n');
    expect(await sh('iptables -D INPUT -s 10.0.0.99 -j DROP', w)).toBe('iptables: Bad rule (does a matching rule exist in that chain?).\n');
    expect(await sh('which redis-server ls nope; echo $?', w)).toBe('/usr/local/bin/redis-server\n/usr/bin/ls\n1\n');
  });

  it('vi asks the UI for an editor; headless it explains the heredoc way', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    const out = await typeAndRun(w, t, 'vi /etc/redis.conf', 10);
    expect(out).toContain("cat > /etc/redis.conf <<'EOF'");
    w.attachEditor();
    const edits: { terminal: number; path: string; content: string }[] = [];
    w.on('edit', (e) => edits.push(e));
    await typeAndRun(w, t, 'echo "port 1" > /etc/redis.conf; vi /etc/redis.conf', 10);
    expect(edits).toEqual([{ terminal: t, path: '/etc/redis.conf', content: 'port 1\n' }]);
    w.editDone(t, 'port 2\n');
    await w.advance(10);
    expect(w.readText('redis-1', '/etc/redis.conf')).toBe('port 2\n');
  });

  it('exit ends the login shell and the terminal; reboot brings the host back with a fresh login', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'echo unsynced > /root/u; sync; echo later > /root/l', 10);
    await typeAndRun(w, t, 'reboot', 15_000);
    const text = w.terminal(t)!.text();
    expect(text).toContain('The system is going down for reboot NOW!');
    expect(text).toContain('Connection to redis-1 closed by remote host.');
    expect(text).toContain('Connected to redis-1.');
    // A clean reboot syncs the disks: nothing written before it is lost.
    expect(w.readText('redis-1', '/root/l')).toBe('later\n');
    const out = await typeAndRun(w, t, 'exit', 10);
    expect(out).toContain('logout');
    expect(w.terminal(t)!.closed).toBe(true);
  });
});
