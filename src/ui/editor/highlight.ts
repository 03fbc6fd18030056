/**
 * Syntax highlighting for the lesson editor, as an HTML overlay drawn under a transparent
 * textarea (no editor library): every character of the text appears exactly once, escaped, in
 * a span carrying its class, so the overlay lines up with the textarea character for character.
 *
 * A small line-by-line state machine knows where it is: the YAML front matter, Markdown prose,
 * or inside a fenced block (try/solution lines with their prompts, checks with their keywords,
 * hint/predict YAML). Error marks (./marks.ts) are laid over the classes as `err` ranges.
 */
import type { Mark } from './marks';

type Region = 'start' | 'front' | 'prose' | 'fence-lines' | 'fence-check' | 'fence-yaml' | 'fence-text';

const CHECK_KEYWORDS = new Set(['and', 'or', 'not', 'still', 'true', 'false']);
const ACTION_WORDS = /^(\s*)(wait|partition|heal|poweroff|poweron|latency|loss|loadgen)\b/;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Per-character classes of one line, in the given region. */
function classify(line: string, region: Region): string[] {
  const cls = new Array<string>(line.length).fill('');
  const paint = (from: number, to: number, c: string) => {
    for (let i = from; i < Math.min(to, line.length); i++) cls[i] = c;
  };
  const comment = (from: number) => paint(from, line.length, 'com');
  const strings = (from: number, stopAtHash: boolean) => {
    for (let i = from; i < line.length; i++) {
      const ch = line[i];
      if (ch === '"' || ch === "'") {
        let j = i + 1;
        while (j < line.length && line[j] !== ch) j += line[j] === '\\' ? 2 : 1;
        paint(i, j + 1, 'str');
        i = j;
      } else if (stopAtHash && ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
        comment(i);
        return;
      }
    }
  };
  const yamlLine = () => {
    const m = /^(\s*(?:- )?)([A-Za-z_][\w-]*|\/[^:]*)(:)(?=\s|$)/.exec(line);
    if (/^\s*#/.test(line)) return comment(0);
    if (m) paint(m[1].length, m[1].length + m[2].length, 'key');
    strings(m ? m[0].length : 0, true);
  };
  const checkLine = (from: number) => {
    strings(from, true);
    const re = /[A-Za-z_][\w]*|\d+(?:\.\d+)?[a-z]*/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (m.index < from || cls[m.index]) continue;
      const w = m[0];
      if (/^\d/.test(w)) paint(m.index, m.index + w.length, 'num');
      else if (CHECK_KEYWORDS.has(w)) paint(m.index, m.index + w.length, 'kw');
      else if (line[m.index + w.length] === '(') paint(m.index, m.index + w.length, 'fn');
    }
  };
  switch (region) {
    case 'start':
    case 'fence-text':
      break;
    case 'front':
    case 'fence-yaml':
      yamlLine();
      break;
    case 'prose': {
      if (/^#{1,6}\s/.test(line)) paint(0, line.length, /^##\s/.test(line) ? 'h2' : 'h3');
      else {
        const re = /`[^`]+`/g;
        for (let m = re.exec(line); m; m = re.exec(line)) paint(m.index, m.index + m[0].length, 'code');
      }
      break;
    }
    case 'fence-lines': {
      if (/^\s*#/.test(line)) return (comment(0), cls);
      const p = /^(\s*[A-Za-z0-9][A-Za-z0-9._-]*)([$>])(?=\s|$)/.exec(line);
      if (p) {
        paint(0, p[0].length, 'prompt');
        strings(p[0].length, false);
        break;
      }
      const a = ACTION_WORDS.exec(line);
      if (a) {
        paint(a[1].length, a[0].length, 'act');
        const until = line.indexOf(' until ');
        if (until >= 0) {
          paint(until + 1, until + 6, 'act');
          checkLine(until + 6);
        }
      }
      break;
    }
    case 'fence-check':
      checkLine(0);
      break;
  }
  return cls;
}

/** The overlay's HTML for the whole text, with error marks. */
export function highlightLesson(text: string, marks: readonly Mark[] = []): string {
  const lines = text.split('\n');
  const err = new Uint8Array(text.length + 1);
  for (const m of marks) for (let i = m.from; i < Math.max(m.to, m.from + 1) && i <= text.length; i++) err[i] = 1;
  let region: Region = 'start';
  let fenceRegion: Region = 'fence-text';
  let offset = 0;
  const out: string[] = [];
  lines.forEach((line, n) => {
    let cls: string[];
    let lineRegion: Region = region;
    const fence = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (n === 0 && line.trim() === '---') {
      cls = new Array<string>(line.length).fill('delim');
      region = 'front';
    } else if (region === 'front' && line.trim() === '---') {
      cls = new Array<string>(line.length).fill('delim');
      region = 'prose';
    } else if (region === 'front') {
      cls = classify(line, 'front');
    } else if (fence && region.startsWith('fence')) {
      cls = new Array<string>(line.length).fill('fence');
      region = 'prose';
    } else if (fence && (region === 'prose' || region === 'start')) {
      const info = fence[3];
      fenceRegion = info === 'try' || info === 'solution' ? 'fence-lines' : info === 'check' ? 'fence-check' : info === 'hint' || info === 'predict' ? 'fence-yaml' : 'fence-text';
      cls = new Array<string>(line.length).fill(fenceRegion === 'fence-text' ? 'code' : 'fence');
      region = fenceRegion;
    } else {
      if (region === 'start') region = 'prose';
      lineRegion = region;
      cls = classify(line, lineRegion);
      if (lineRegion === 'fence-text') cls.fill('code');
    }
    let i = 0;
    while (i < line.length) {
      let j = i + 1;
      while (j < line.length && cls[j] === cls[i] && err[offset + j] === err[offset + i]) j++;
      const c = [cls[i], err[offset + i] ? 'err' : ''].filter(Boolean).join(' ');
      const piece = escapeHtml(line.slice(i, j));
      out.push(c ? `<span class="${c}">${piece}</span>` : piece);
      i = j;
    }
    // An error on an empty line (or at the end of the text) still shows, as a marked space.
    if (err[offset + line.length] && line.length === 0) out.push('<span class="err"> </span>');
    if (n < lines.length - 1) out.push('\n');
    offset += line.length + 1;
  });
  // A textarea ending in a newline shows an empty last line; the overlay must too.
  if (text.endsWith('\n')) out.push(' ');
  return out.join('');
}
