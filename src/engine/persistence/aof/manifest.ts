/**
 * The multi-part AOF manifest (aof.c): which files make up the append-only log.
 *
 * One line per file, `file <name> seq <n> type <b|h|i>`: at most one base (b, the snapshot
 * from the last rewrite, RDB or RESP), history files (h, superseded by a rewrite and
 * deleted unless aof-disable-auto-gc), and the incremental files (i, RESP commands since the
 * base, in sequence order). Names that need quoting are written in sds-repr form and read
 * back with sdssplitargs, like Redis.
 */
import { repr } from '../../util/repr';
import { splitArgsStr } from '../../resp/request-parser';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo { name: string; seq: number; type: AofFileType }

export class AofManifest {
  base: AofInfo | null = null;
  incr: AofInfo[] = [];
  history: AofInfo[] = [];
  currBaseSeq = 0;
  currIncrSeq = 0;
  /** Changed since last persisted. */
  dirty = false;

  clone(): AofManifest {
    const m = new AofManifest();
    m.base = this.base ? { ...this.base } : null;
    m.incr = this.incr.map((i) => ({ ...i }));
    m.history = this.history.map((i) => ({ ...i }));
    m.currBaseSeq = this.currBaseSeq;
    m.currIncrSeq = this.currIncrSeq;
    m.dirty = this.dirty;
    return m;
  }

  /** getAofManifestAsString: base, then history, then incr files. */
  format(): string {
    let out = '';
    const line = (ai: AofInfo) => {
      const name = needsRepr(ai.name) ? repr(ai.name) : ai.name;
      out += `file ${name} seq ${ai.seq} type ${ai.type}\n`;
    };
    if (this.base) line(this.base);
    for (const h of this.history) line(h);
    for (const i of this.incr) line(i);
    return out;
  }

  /**
   * getNewBaseFileNameAndMarkPreAsHistory: the next base file name (`.base.rdb` with the RDB
   * preamble, `.base.aof` without); the previous base becomes history.
   */
  newBase(aofFilename: string, rdbPreamble: boolean): string {
    if (this.base) {
      this.base.type = 'h';
      this.history.unshift(this.base);
    }
    this.currBaseSeq++;
    this.base = { name: `${aofFilename}.${this.currBaseSeq}.base.${rdbPreamble ? 'rdb' : 'aof'}`, seq: this.currBaseSeq, type: 'b' };
    this.dirty = true;
    return this.base.name;
  }

  /** getNewIncrAofName: append the next incr file. */
  newIncr(aofFilename: string): string {
    this.currIncrSeq++;
    const ai: AofInfo = { name: `${aofFilename}.${this.currIncrSeq}.incr.aof`, seq: this.currIncrSeq, type: 'i' };
    this.incr.push(ai);
    this.dirty = true;
    return ai.name;
  }

  /** getLastIncrAofName: the incr file to append to, creating one if none. */
  lastIncr(aofFilename: string): string {
    if (this.incr.length === 0) return this.newIncr(aofFilename);
    return this.incr[this.incr.length - 1].name;
  }

  /**
   * markRewrittenIncrAofAsHistory: after a rewrite every incr file but the one being written
   * (when AOF is on) is covered by the new base.
   */
  markRewrittenIncrAsHistory(keepLast: boolean): void {
    if (this.incr.length === 0) return;
    const keep = keepLast ? this.incr.slice(-1) : [];
    const old = keepLast ? this.incr.slice(0, -1) : this.incr;
    // Redis walks from the tail and adds each to the head of the history list.
    for (let i = old.length - 1; i >= 0; i--) this.history.unshift({ ...old[i], type: 'h' });
    this.incr = keep;
    this.dirty = true;
  }

  /** Base + incr files (what gets loaded). */
  fileCount(): number { return (this.base ? 1 : 0) + this.incr.length; }
}

/** sdsneedsrepr: spaces, quotes, backslashes and non-printable bytes need quoting. */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c === 34 || c < 0x21 || c > 0x7e) return true;
  }
  return false;
}

/** The error texts of aofLoadManifestFromFile, with the offending line when there is one. */
export class ManifestError extends Error {
  constructor(message: string, readonly lineNo: number | null, readonly line: string | null) { super(message); }
}

const MANIFEST_MAX_LINE = 1024;

/** aofLoadManifestFromFile over the file's bytes (as a byte string). */
export function parseManifest(text: string): AofManifest {
  const am = new AofManifest();
  let maxSeq = 0;
  let lineNo = 0;
  let pos = 0;
  if (text.length === 0) throw new ManifestError('Found an empty AOF manifest', null, null);
  while (pos < text.length) {
    // fgets with a 1025-byte buffer: up to 1024 chars or through the newline.
    const end = text.indexOf('\n', pos);
    let chunkEnd = end === -1 ? text.length : end + 1;
    if (chunkEnd - pos > MANIFEST_MAX_LINE) chunkEnd = pos + MANIFEST_MAX_LINE;
    const buf = text.slice(pos, chunkEnd);
    pos = chunkEnd;
    lineNo++;
    if (buf[0] === '#') continue;
    if (!buf.includes('\n')) {
      throw new ManifestError('The AOF manifest file contains too long line', lineNo, trimLine(buf));
    }
    const line = trimLine(buf);
    if (line.length === 0) throw new ManifestError('Invalid AOF manifest file format', lineNo, line);
    const argv = splitArgsStr(line);
    if (!argv || argv.length < 6 || argv.length % 2) throw new ManifestError('Invalid AOF manifest file format', lineNo, line);
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const k = argv[i].toLowerCase();
      if (k === 'file') {
        name = argv[i + 1];
        if (name.includes('/')) throw new ManifestError("File can't be a path, just a filename", lineNo, line);
      } else if (k === 'seq') {
        seq = atoll(argv[i + 1]);
      } else if (k === 'type') {
        type = argv[i + 1][0] ?? '';
      }
    }
    if (!name || !seq || !type) throw new ManifestError('Invalid AOF manifest file format', lineNo, line);
    if (type === 'b') {
      if (am.base) throw new ManifestError('Found duplicate base file information', lineNo, line);
      am.base = { name, seq, type: 'b' };
      am.currBaseSeq = seq;
    } else if (type === 'h') {
      am.history.push({ name, seq, type: 'h' });
    } else if (type === 'i') {
      if (seq <= maxSeq) throw new ManifestError('Found a non-monotonic sequence number', lineNo, line);
      am.incr.push({ name, seq, type: 'i' });
      am.currIncrSeq = seq;
      maxSeq = seq;
    } else {
      throw new ManifestError('Unknown AOF file type', lineNo, line);
    }
  }
  return am;
}

/** The log lines aofLoadManifestFromFile prints before exiting on a bad manifest. */
export function manifestErrorLines(e: ManifestError): string[] {
  const out = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n'];
  if (e.line !== null) {
    out.push(`Reading the manifest file, at line ${e.lineNo}\n`);
    out.push(`>>> '${e.line}'\n`);
  }
  out.push(`${e.message}\n`);
  return out;
}

function trimLine(s: string): string {
  return s.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, '');
}

/** atoll: leading spaces, sign, digits; 0 when there are none. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
