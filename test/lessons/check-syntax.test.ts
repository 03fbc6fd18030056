/** The check language's tokenizer and parser: tokens, precedence, line rules, every syntax error. */
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/lessons/check/ast';
import { parseCheckBlock, parseSingleCheck } from '../../src/lessons/check/parser';
import { tokenize } from '../../src/lessons/check/tokenizer';

/** A compact rendering of a tree: calls, operators and literals. */
function show(e: Expr): string {
  switch (e.type) {
    case 'number':
      return `${e.value}${e.unit ? `:${e.unit}` : ''}`;
    case 'string':
      return JSON.stringify(e.value);
    case 'bool':
      return String(e.value);
    case 'call':
      return `${e.name}(${e.args.map((a) => (a.name ? `${a.name}=` : '') + show(a.value)).join(', ')})`;
    case 'member':
      return `${show(e.target)}.${e.name}`;
    case 'method':
      return `${show(e.target)}.${e.name}(${e.args.map((a) => show(a.value)).join(', ')})`;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
  }
}

function tree(text: string): string[] {
  const r = parseCheckBlock(text);
  expect(r.errors).toEqual([]);
  return r.checks.map((c) => (c.still ? 'still ' : '') + show(c.expr));
}

function errors(text: string): { col: number; message: string }[] {
  return parseCheckBlock(text).errors.map((e) => ({ col: e.start + 1, message: e.message }));
}

describe('check tokenizer', () => {
  it('reads numbers with units in base units (ms, bytes)', () => {
    const { tokens, errors: errs } = tokenize('30s 500ms 5m 2h 1d 1.5s 64kb 1mb 2gb 10b 42 0.25');
    expect(errs).toEqual([]);
    expect(tokens.filter((t) => t.kind === 'number').map((t) => [t.value, t.unit])).toEqual([
      [30_000, 'duration'],
      [500, 'duration'],
      [300_000, 'duration'],
      [7_200_000, 'duration'],
      [86_400_000, 'duration'],
      [1500, 'duration'],
      [65_536, 'size'],
      [1_048_576, 'size'],
      [2_147_483_648, 'size'],
      [10, 'size'],
      [42, null],
      [0.25, null],
    ]);
  });

  it('reads strings in both quotes with escapes', () => {
    const { tokens, errors: errs } = tokenize(`"a\\"b" 'c\\'d' "tab\\there\\nnl\\\\"`);
    expect(errs).toEqual([]);
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.value)).toEqual(['a"b', "c'd", 'tab\there\nnl\\']);
  });

  it('skips comments and keeps operators', () => {
    const { tokens } = tokenize('a(1) >= 2 # a comment == 3');
    expect(tokens.map((t) => t.text)).toEqual(['a', '(', '1', ')', '>=', '2', '']);
  });

  it('reports an unknown unit at the unit', () => {
    expect(tokenize('x > 30sec').errors).toEqual([
      { start: 6, message: expect.stringContaining('unknown unit "sec"') },
    ]);
    // Redis's 1000-based size suffix "k" is not accepted: "5m" stays five minutes.
    expect(tokenize('64k').errors[0].message).toContain('unknown unit "k"');
  });

  it('reports unterminated strings, bad escapes and stray characters', () => {
    expect(tokenize('"abc').errors).toEqual([{ start: 0, message: expect.stringContaining('unterminated string') }]);
    expect(tokenize('"a\nb"').errors[0]).toEqual({ start: 0, message: expect.stringContaining('unterminated') });
    expect(tokenize('"\\q"').errors).toEqual([{ start: 1, message: expect.stringContaining('unknown escape "\\q"') }]);
    expect(tokenize('a ; b').errors).toEqual([{ start: 2, message: 'unexpected character ";"' }]);
  });

  it('explains operators from other languages', () => {
    expect(tokenize('a && b').errors[0]).toEqual({ start: 2, message: 'use `and` instead of `&&`' });
    expect(tokenize('a || b').errors[0].message).toBe('use `or` instead of `||`');
    expect(tokenize('!a').errors[0].message).toBe('use `not` instead of `!`');
    expect(tokenize('a === b').errors[0].message).toBe('use `==` to compare');
    expect(tokenize('a[0]').errors[0].message).toContain('lists and indexing');
    expect(tokenize('a != b').errors).toEqual([]);
  });

  it('keeps a newline only where a check can end', () => {
    const kinds = (t: string) => tokenize(t).tokens.map((x) => (x.kind === 'newline' ? 'NL' : x.text)).filter(Boolean);
    expect(kinds('a\nb')).toEqual(['a', 'NL', 'b']);
    expect(kinds('a and\nb')).toEqual(['a', 'and', 'b']);
    expect(kinds('a\n  or b')).toEqual(['a', 'or', 'b']);
    expect(kinds('f(1,\n2)\nc')).toEqual(['f', '(', '1', ',', '2', ')', 'NL', 'c']);
    expect(kinds('a ==\n b')).toEqual(['a', '==', 'b']);
    expect(kinds('\n\na\n\n\nb\n\n')).toEqual(['a', 'NL', 'b']);
  });
});

describe('check parser', () => {
  it('parses calls, members, methods and named arguments', () => {
    expect(tree('info("h:1", "replication").connected_slaves == 2')).toEqual([
      '(info("h:1", "replication").connected_slaves == 2)',
    ]);
    expect(tree('file("h:/p").contains("appendonly yes")')).toEqual(['file("h:/p").contains("appendonly yes")']);
    expect(tree('event("+odown", on="s1", after=step_start())')).toEqual(['event("+odown", on="s1", after=step_start())']);
    expect(tree('count(event("+sdown")) >= 2')).toEqual(['(count(event("+sdown")) >= 2)']);
  });

  it('binds not, and, or, comparisons and arithmetic in the usual order', () => {
    expect(tree('not a() or b() and c() == 1 + 2 * 3')).toEqual([
      '((not a()) or (b() and (c() == (1 + (2 * 3)))))',
    ]);
    expect(tree('(a() or b()) and not not c()')).toEqual(['((a() or b()) and (not (not c())))']);
    expect(tree('-x() - -1 / 2')).toEqual(['((- x()) - ((- 1) / 2))']);
    expect(tree('1 - 2 - 3')).toEqual(['((1 - 2) - 3)']);
  });

  it('reads one check per line, with still and continuation lines', () => {
    expect(tree('a() == 1\nstill b()\n\n# comment\nc() and\n  d()\n')).toEqual([
      '(a() == 1)',
      'still b()',
      '(c() and d())',
    ]);
  });

  it('keeps exact offsets on nodes', () => {
    const { checks } = parseCheckBlock('x()\n  role("a:1") == "master"');
    const c = checks[1];
    expect(c.start).toBe(6);
    expect(c.text.slice(c.expr.start, c.expr.end)).toBe('role("a:1") == "master"');
  });

  it('reports syntax errors at their column and recovers on the next line', () => {
    expect(errors('a() == 1 == 2')).toEqual([{ col: 10, message: expect.stringContaining('cannot be chained') }]);
    expect(errors('a() = 1')).toEqual([{ col: 5, message: expect.stringContaining('use "==" to compare') }]);
    expect(errors('role')).toEqual([{ col: 1, message: expect.stringContaining('"role" is not a function call or a value') }]);
    expect(errors('f(1')).toEqual([{ col: 4, message: 'expected ")" to close the arguments of f(, found the end of the check' }]);
    expect(errors('(1 + 2')).toEqual([{ col: 7, message: expect.stringContaining('expected ")" to close "("') }]);
    expect(errors('a() ==')).toEqual([{ col: 7, message: 'expected an expression, found the end of the check' }]);
    expect(errors('a() b()')).toEqual([{ col: 5, message: 'unexpected "b" after the end of the check' }]);
    expect(errors('x().')).toEqual([{ col: 5, message: expect.stringContaining('expected a field name after "."') }]);
    expect(errors('f(a=1, 2)')).toEqual([{ col: 8, message: 'positional arguments must come before named ones' }]);
    expect(errors('and')).toEqual([{ col: 1, message: 'expected an expression, found the keyword "and"' }]);
    // One error per bad line; the good line between them still parses.
    const r = parseCheckBlock('a() b()\nc()\nd() e()');
    expect(r.errors.map((e) => e.start)).toEqual([4, 16]);
    expect(r.checks).toHaveLength(1);
  });

  it('parses single conditions and refuses still and several lines there', () => {
    expect(parseSingleCheck('up("a:1")').check).not.toBeNull();
    expect(parseSingleCheck('still up("a:1")').errors[0].message).toContain('"still" is only allowed in check blocks');
    expect(parseSingleCheck('a()\nb()').errors[0]).toEqual({ start: 4, message: 'expected a single condition' });
    expect(parseSingleCheck('   ').errors[0].message).toBe('expected a condition');
  });
});
