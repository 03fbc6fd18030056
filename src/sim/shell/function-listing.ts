/**
 * A function's definition as bash prints it back (`type f`): the header
 * `f () `, the body's commands one per line, indented by four spaces, each but the last of a
 * list ending in `;`, and `if`/`for`/`while` laid out over several lines. Commands are shown
 * as they were typed (bash re-spaces words; we keep the source text of each command).
 */
import type { AndOr, Command, FuncDef, List } from './parser';

const INDENT = '    ';

export function formatFunction(def: FuncDef): string {
  if (def.body.type === 'subshell') {
    // `f() ( … )`: the subshell on the body's lines, its commands one per line.
    return `${def.name} () \n{ \n${INDENT}( ${formatList(def.body.list, INDENT).slice(INDENT.length)} )\n}`;
  }
  const body = def.body.type === 'group' ? def.body.list : { items: [{ andOr: wrap(def.body), background: false, line: 0, endLine: 0 }] };
  return `${def.name} () \n{ \n${formatList(body, INDENT)}\n}`;
}

/** An and-or list holding one compound command (a function whose body is not a group). */
function wrap(cmd: Command): AndOr {
  return { first: { negate: false, cmds: [cmd], texts: [''] }, rest: [], text: '' };
}

function formatList(list: List, indent: string): string {
  return list.items
    .map((item, i) => {
      const text = formatAndOr(item.andOr, indent);
      const end = item.background ? ' &' : i < list.items.length - 1 ? ';' : '';
      return text + end;
    })
    .join('\n');
}

function formatAndOr(a: AndOr, indent: string): string {
  const only = a.rest.length === 0 && a.first.cmds.length === 1 && !a.first.negate && !a.first.time ? a.first.cmds[0] : null;
  if (!only) return indent + a.text;
  const inner = indent + INDENT;
  switch (only.type) {
    case 'if': {
      const lines: string[] = [];
      only.clauses.forEach((c, i) => {
        lines.push(`${indent}${i === 0 ? 'if' : 'elif'} ${inline(c.cond)}; then`);
        lines.push(formatList(c.body, inner) + ';');
      });
      if (only.elseBody) { lines.push(`${indent}else`); lines.push(formatList(only.elseBody, inner) + ';'); }
      lines.push(`${indent}fi`);
      return lines.join('\n');
    }
    case 'for':
      return `${indent}for ${only.name}${only.words ? ` in ${a.text.match(/^for\s+\w+\s+in\s+([^;\n]*)/)?.[1]?.trim() ?? ''}` : ''};\n${indent}do\n${formatList(only.body, inner)};\n${indent}done`;
    case 'while':
      return `${indent}${only.until ? 'until' : 'while'} ${inline(only.cond)}; do\n${formatList(only.body, inner)};\n${indent}done`;
    default:
      return indent + a.text;
  }
}

/** A condition list on one line: `a && b; c`. */
function inline(list: List): string {
  return list.items.map((i) => i.andOr.text + (i.background ? ' &' : '')).join('; ');
}
