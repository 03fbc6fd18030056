/**
 * How redis-cli prints a reply: the human "TTY" form (`(integer) 1`, `1) "a"`, nested
 * arrays indented by the width of their index, `1# "k" => "v"` for RESP3 maps, `1~` for
 * sets), the raw form used when stdout is not a terminal (bare values, `-d` between elements,
 * `-D` after each reply), CSV and JSON. Strings go through sdscatrepr in the TTY and CSV forms.
 *
 * An unknown type (RESP3 big numbers, which hiredis 1.0 parses but redis-cli does not print)
 * makes redis-cli print "Unknown reply type: N" and exit 1: `UnknownReplyType` carries that.
 */
import { repr } from '../../util/repr';
import { cstr } from './cformat';
import { REPLY_TYPE_NUMBER, type CliReply } from './reply';

export const enum Output { Standard = 0, Raw = 1, Csv = 2, Json = 3, QuotedJson = 4 }

export class UnknownReplyType extends Error {
  constructor(readonly typeNumber: number) { super(`Unknown reply type: ${typeNumber}`); }
}

function unknown(r: CliReply): never {
  throw new UnknownReplyType(REPLY_TYPE_NUMBER[r.type]);
}

/** Does the TTY form of `r` take several lines (then a map puts it on its own line)? */
function isMultilineTTY(r: CliReply): boolean {
  switch (r.type) {
    case 'array': case 'set': case 'push':
      if (r.element.length === 0) return false;
      if (r.element.length > 1) return true;
      return isMultilineTTY(r.element[0]);
    case 'map':
      if (r.element.length === 0) return false;
      if (r.element.length > 2) return true;
      return isMultilineTTY(r.element[1]);
    default:
      return false;
  }
}

export function formatTTY(r: CliReply, prefix = ''): string {
  switch (r.type) {
    case 'error': return `(error) ${cstr(r.str)}\n`;
    case 'status': return `${cstr(r.str)}\n`;
    case 'integer': return `(integer) ${r.integer}\n`;
    case 'double': return `(double) ${cstr(r.str)}\n`;
    case 'string': return `${repr(r.str)}\n`;
    case 'verb': return `${r.str}\n`;
    case 'nil': return '(nil)\n';
    case 'bool': return r.integer ? '(true)\n' : '(false)\n';
    case 'array': case 'map': case 'set': case 'push': {
      const n = r.element.length;
      if (n === 0) {
        return r.type === 'array' ? '(empty array)\n' : r.type === 'map' ? '(empty hash)\n'
          : r.type === 'set' ? '(empty set)\n' : '(empty push)\n';
      }
      const count = r.type === 'map' ? Math.floor(n / 2) : n;
      const idxlen = String(count).length;
      const childPrefix = prefix + ' '.repeat(idxlen + 2);
      const sep = r.type === 'set' ? '~' : r.type === 'map' ? '#' : ')';
      let out = '';
      for (let i = 0; i < n; i++) {
        const human = (r.type === 'map' ? Math.floor(i / 2) : i) + 1;
        out += `${i === 0 ? '' : prefix}${String(human).padStart(idxlen, ' ')}${sep} `;
        out += formatTTY(r.element[i], childPrefix);
        if (r.type === 'map') {
          i++;
          out = out.slice(0, -1) + ' => ';
          if (isMultilineTTY(r.element[i])) out += '\n' + childPrefix;
          out += formatTTY(r.element[i], childPrefix);
        }
      }
      return out;
    }
    default: return unknown(r);
  }
}

/** RESP3 client-tracking invalidation messages get their own line in TTY mode. */
export function isInvalidateReply(r: CliReply): boolean {
  return r.type === 'push' && r.element.length === 2 && r.element[0].type === 'string'
    && r.element[0].str.startsWith('invalidate') && r.element[1].type === 'array';
}

export function formatInvalidateTTY(r: CliReply): string {
  const keys = (r as { element: CliReply[] }).element[1] as { element: CliReply[] };
  const names = keys.element.map((k) => `'${cstr((k as { str: string }).str)}'`);
  return `-> invalidate: ${names.join(', ')}\n`;
}

export interface RawFormatContext {
  mbDelim: string;
  /** The Lua debugger colorizes its status lines and ends its session on <endsession>. */
  evalLdb: boolean;
  onLdbEndSession(): void;
  colorTerm: boolean;
}

/** sdscatcolor for the Lua debugger output (only on xterm-like terminals). */
function colorize(s: string, color: string, colorTerm: boolean): string {
  if (!colorTerm) return s;
  const bold = color.includes('bold') ? 1 : 0;
  let code = 37;
  if (color.includes('red')) code = 31;
  else if (color.includes('green')) code = 32;
  else if (color.includes('yellow')) code = 33;
  else if (color.includes('blue')) code = 34;
  else if (color.includes('magenta')) code = 35;
  else if (color.includes('cyan')) code = 36;
  else if (color.includes('white')) code = 37;
  return `\x1b[${bold};${code};49m${s}\x1b[0m`;
}

function colorizeLdbReply(s: string, colorTerm: boolean): string {
  let color = 'white';
  if (s.includes('<debug>')) color = 'bold';
  if (s.includes('<redis>')) color = 'green';
  if (s.includes('<reply>')) color = 'cyan';
  if (s.includes('<error>')) color = 'red';
  if (s.includes('<hint>')) color = 'bold';
  if (s.includes('<value>') || s.includes('<retval>')) color = 'magenta';
  if (s.length > 4 && s[3] >= '0' && s[3] <= '9') {
    if (s[1] === '>') color = 'yellow';
    else if (s[2] === '#') color = 'bold';
  }
  return colorize(s, color, colorTerm);
}

export function formatRaw(r: CliReply, ctx: RawFormatContext): string {
  switch (r.type) {
    case 'nil': return '';
    case 'error': return `${r.str}\n`;
    case 'status':
      if (ctx.evalLdb) {
        if (r.str.startsWith('<endsession>')) { ctx.onLdbEndSession(); return ''; }
        return colorizeLdbReply(r.str, ctx.colorTerm);
      }
      return r.str;
    case 'string': case 'verb': return r.str;
    case 'bool': return r.integer ? '(true)' : '(false)';
    case 'integer': return String(r.integer);
    case 'double': return cstr(r.str);
    case 'set': case 'array': case 'push': {
      let out = '';
      for (let i = 0; i < r.element.length; i++) {
        if (i > 0) out += cstr(ctx.mbDelim);
        out += formatRaw(r.element[i], ctx);
      }
      return out;
    }
    case 'map': {
      let out = '';
      for (let i = 0; i < r.element.length; i += 2) {
        if (i > 0) out += cstr(ctx.mbDelim);
        out += formatRaw(r.element[i], ctx) + ' ' + formatRaw(r.element[i + 1], ctx);
      }
      return out;
    }
    default: return unknown(r);
  }
}

export function formatCSV(r: CliReply): string {
  switch (r.type) {
    case 'error': return `ERROR,${repr(cstr(r.str))}`;
    case 'status': return repr(r.str);
    case 'integer': return String(r.integer);
    case 'double': return cstr(r.str);
    case 'string': case 'verb': return repr(r.str);
    case 'nil': return 'NULL';
    case 'bool': return r.integer ? 'true' : 'false';
    case 'array': case 'set': case 'push': case 'map':
      return r.element.map(formatCSV).join(',');
    default: return unknown(r);
  }
}

/** escapeJsonString (cli_common.c): JSON escapes for control bytes; other bytes pass through. */
function escapeJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    switch (ch) {
      case '\\': case '"': out += '\\' + ch; break;
      case '\n': out += '\\n'; break;
      case '\f': out += '\\f'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      default: out += c <= 0x1f ? '\\u' + c.toString(16).padStart(4, '0') : ch;
    }
  }
  return out + '"';
}

function jsonString(s: string, mode: Output): string {
  if (mode === Output.Json) return escapeJson(s);
  // --quoted-json: sdscatrepr, then every backslash doubled.
  return repr(s).replace(/\\/g, '\\\\');
}

export function formatJson(r: CliReply, mode: Output): string {
  switch (r.type) {
    case 'error': return 'error:' + jsonString(cstr(r.str), mode);
    case 'status': return jsonString(r.str, mode);
    case 'integer': return String(r.integer);
    case 'double': return cstr(r.str);
    case 'string': case 'verb': return jsonString(r.str, mode);
    case 'nil': return 'null';
    case 'bool': return r.integer ? 'true' : 'false';
    case 'array': case 'set': case 'push':
      return '[' + r.element.map((e) => formatJson(e, mode)).join(',') + ']';
    case 'map': {
      let out = '{';
      for (let i = 0; i < r.element.length; i += 2) {
        const key = r.element[i];
        if (key.type === 'error' || key.type === 'status' || key.type === 'string' || key.type === 'verb') {
          out += formatJson(key, mode);
        } else {
          const k = formatJson(key, mode);
          out += k.startsWith('"') ? k : `"${k}"`;
        }
        out += ':' + formatJson(r.element[i + 1], mode);
        if (i !== r.element.length - 2) out += ',';
      }
      return out + '}';
    }
    default: return unknown(r);
  }
}

/** cliFormatReply: the whole output for one reply in the chosen mode. */
export function formatReply(r: CliReply, mode: Output, verbatim: boolean, ctx: RawFormatContext, cmdDelim: string): string {
  if (verbatim) return formatRaw(r, ctx);
  switch (mode) {
    case Output.Standard: return formatTTY(r, '');
    case Output.Raw: return formatRaw(r, ctx) + cstr(cmdDelim);
    case Output.Csv: return formatCSV(r) + '\n';
    default: return formatJson(r, mode) + '\n';
  }
}
