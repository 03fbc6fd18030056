/** The commands the shell knows besides programs and its own builtins, by name. */
import type { Command } from '../context';
import { cat, chmod, cp, ls, mkdir, mv, pwd, rm, rmdir, sync, tee, touch } from './files';
import { echo, grep, head, printf, seq, tail, test, uniq, wc } from './text';
import { sort } from './sort';
import { sed } from './sed';
import { date, sleep } from './time';
import { clear, env, falseCmd, hostname, kill, pgrep, pkill, trueCmd, uname, uptime, whoami } from './procs';
import { ps } from './ps';
import { cmp, df, du, stat } from './fileinfo';
import { md5sum, sha1sum, sha256sum } from './checksums';
import { find } from './find';
import { basename, dirname } from './paths';
import { crontab, ip, iptables, poweroff, reboot, shutdown, vi, which } from './sys';
import { ss } from './ss';
import { netstat } from './netstat';
import { cut, paste } from './fields';
import { tr } from './translate';
import { expr } from './expr';
import { xargs } from './xargs';
import { fold, nl, rev, tac, yes } from './lines';
import { awk } from './awk';
import { diff } from './diff';
import { sysctl } from './sysctl';
import { free } from './free';
import { nproc } from './nproc';
import { xxd } from './xxd';
import { od } from './od';
import { hexdump } from './hexdump';
import { base64 } from './base64';
import { nc } from './nc';
import { ping } from './ping';
import { ssh } from './ssh';
import { scp } from './scp';
import { timeout } from './timeout';
import { gunzip, gzip, zcat } from './gzip';
import { tar } from './tar';
import { pidof } from './pidof';

export const COMMANDS: Record<string, Command> = {
  ls, cat, cp, mv, rm, mkdir, rmdir, touch, pwd, tee, sync, chmod,
  echo, printf, grep, sed, head, tail, wc, sort, uniq, seq, test, '[': test,
  date, sleep,
  ps, kill, pkill, pgrep, true: trueCmd, false: falseCmd, hostname, whoami, uname, env, uptime, clear,
  ip, iptables, ss, netstat, reboot, poweroff, shutdown, halt: poweroff, vi, vim: vi, nano: vi, crontab, which,
  cut, paste, tr, expr, xargs, rev, tac, nl, fold, yes, awk,
  md5sum, sha1sum, sha256sum, cmp, du, df, stat, find, basename, dirname,
  diff, sysctl, free, nproc,
  xxd, od, hexdump, base64, timeout,
  nc, netcat: nc, ssh, scp, ping,
  gzip, gunzip, zcat, tar, pidof,
};
