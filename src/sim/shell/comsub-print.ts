/**
 * What bash runs for a `$(…)`: not the text as written, but the command it parsed printed back
 * (parse_comsub's print_comsub; bash 5.2.15's print_cmd.c layout), which the subshell parses
 * again. So the lines its commands are on ($LINENO, errors) are those of the printed text:
 * blank and comment lines are gone, `;` and newlines between commands stay as written, and
 * compound commands are laid out over lines of their own (`for x in a;` / `do` / body / `done`,
 * an `elif` as an `if` in an `else`, a function as `function f () ` / `{ ` / body / `}`,
 * here-documents' bodies after their command). `layOutAsPrinted` gives a parsed $(…) those
 * lines; the commands themselves run as parsed.
 *
 * Only line breaks matter here: the printer keeps a count of them rather than the text.
 */
import { Incomplete, SyntaxError_, parse, type AndOr, type Command, type List, type Pipeline, type Redir, type Simple, type Word } from './parser';

/** bash's indentation step (print_cmd.c's indentation_amount). */
const INDENT = 4;

type Item = List['items'][number];

/** A node of bash's command tree: its connections (`;`, newline, `&`, `&&`, `||`, `|`), or a command. */
type Node =
  | { k: 'conn'; first: Node; op: ';' | '\n' | '&' | '&&' | '||' | '|'; second: Node | null }
  /** A list's item: its lines are recorded as it is printed. */
  | { k: 'item'; item: Item; inner: Node }
  /** A pipeline's flags (`time`, `!`) are printed before its commands. */
  | { k: 'pipeline'; p: Pipeline; inner: Node }
  | { k: 'cmd'; cmd: Command };

/** Give the items and simple commands of a $(…)'s parsed text the lines of bash's printed form. */
export function layOutAsPrinted(list: List): void {
  new Printer().list(list);
}

/** How many line breaks the printed form of a $(…)'s text has (for one nested in a word). */
function printedBreaks(src: string): number {
  let list: List;
  try {
    list = parse(src + '\n');
  } catch (e) {
    if (e instanceof Incomplete || e instanceof SyntaxError_) return count(src);
    throw e;
  }
  const p = new Printer();
  p.list(list);
  return p.line - 1;
}

function count(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The line breaks of a word as bash prints it: its own, a nested $(…)'s printed ones. */
function wordBreaks(w: Word): number {
  let n = 0;
  for (const part of w) {
    if (part.t === 'lit') n += count(part.v);
    else if (part.t === 'sub') n += part.bq ? count(part.src) : printedBreaks(part.src);
    else if (part.t === 'arith') n += count(part.src);
  }
  return n;
}

class Printer {
  /** The line being printed, from 1. */
  line = 1;
  /** Whether the text printed so far ends with `&` or a newline (semicolon() adds no `;` then). */
  private endsClosed = false;
  private empty = true;
  private indentation = 0;
  private skipIndent = 0;
  private insideFunctionDef = 0;
  private printingConnection = 0;
  /** Here-documents whose bodies wait for the connector after their command. */
  private deferred: Redir[] = [];
  private wasHeredoc = false;

  list(list: List): void {
    const tree = listTree(list);
    if (tree) this.make(tree);
  }

  private out(text: string): void {
    if (text === '') return;
    this.line += count(text);
    this.empty = false;
    const last = text[text.length - 1];
    this.endsClosed = last === '&' || last === '\n';
  }

  private newline(text: string): void {
    this.out('\n');
    this.out(text);
  }

  private semicolon(): void {
    if (!this.empty && this.endsClosed) return;
    this.out(';');
  }

  /** Text without line breaks (a command's words, a redirection). */
  private text(): void {
    this.empty = false;
    this.endsClosed = false;
  }

  private indent(): void {
    if (this.indentation > 0) this.out(' '.repeat(this.indentation));
  }

  private make(node: Node | null): void {
    if (node === null) return;
    if (node.k === 'item') {
      node.item.line = this.line;
      this.make(node.inner);
      node.item.endLine = this.line;
      return;
    }
    if (this.skipIndent > 0) this.skipIndent--;
    else this.indent();
    if (node.k === 'pipeline') {
      if (node.p.time) this.out(node.p.time === 'posix' ? 'time -p ' : 'time ');
      if (node.p.negate) this.out('! ');
      // The flags are the pipeline's: its commands follow without indentation.
      this.skipIndent++;
      this.make(node.inner);
      return;
    }
    if (node.k === 'conn') { this.connection(node); return; }
    this.command(node.cmd);
  }

  private connection(node: Extract<Node, { k: 'conn' }>): void {
    this.skipIndent++;
    this.printingConnection++;
    this.make(node.first);
    switch (node.op) {
      case '&':
      case '|':
        this.printDeferred(` ${node.op}`);
        if (node.op !== '&' || node.second) { this.out(' '); this.skipIndent++; }
        break;
      case '&&':
      case '||':
        this.printDeferred(` ${node.op} `);
        if (node.second) this.skipIndent++;
        break;
      default: {
        const wasNewline = this.deferred.length === 0 && !this.wasHeredoc && node.op === '\n';
        if (this.deferred.length === 0) {
          if (!this.wasHeredoc) this.out(node.op);
          else this.wasHeredoc = false;
        } else this.printDeferred(this.insideFunctionDef ? '' : ';');
        if (this.insideFunctionDef) this.out('\n');
        // After here-documents, a newline is kept (bash 5.2 patch 3), and the next command indented.
        else if (node.op === '\n' && !wasNewline) this.out('\n');
        else {
          if (node.op === ';') this.out(' ');
          if (node.second) this.skipIndent++;
        }
      }
    }
    this.make(node.second);
    if (this.deferred.length > 0) this.printDeferred('');
    this.printingConnection--;
  }

  /** print_deferred_heredocs: the connector (not a lone `;`), then the waiting bodies. */
  private printDeferred(connector: string): void {
    const shown = connector !== '' && connector !== ';';
    if (shown) this.out(connector);
    if (this.deferred.length > 0) {
      this.heredocBodies(this.deferred);
      if (shown) this.out(' ');
      this.wasHeredoc = true;
    }
    this.deferred = [];
  }

  private heredocBodies(docs: Redir[]): void {
    this.out('\n');
    // Each body, its delimiter, a newline.
    for (const d of docs) this.line += count(d.heredoc?.body ?? '') + 1;
    this.endsClosed = true;
    this.wasHeredoc = true;
  }

  /** print_redirection_list: one line; here-documents' bodies now, or after the connector. */
  private redirections(redirs: Redir[]): void {
    this.wasHeredoc = false;
    for (const r of redirs) if (r.target) this.line += wordBreaks(r.target);
    this.text();
    const docs = redirs.filter((r) => r.heredoc);
    if (docs.length === 0) return;
    if (this.printingConnection > 0) this.deferred = docs;
    else this.heredocBodies(docs);
  }

  private command(cmd: Command): void {
    switch (cmd.type) {
      case 'simple': this.simple(cmd); break;
      case 'for':
        this.out(`for ${cmd.name} in `);
        this.line += count(cmd.wordsText ?? '');
        this.out(';');
        this.body('do\n', cmd.body, 'done');
        break;
      case 'arith-for':
        this.out('for ((');
        this.line += count(cmd.init) + count(cmd.cond) + count(cmd.step);
        this.out('))');
        this.body('do\n', cmd.body, 'done');
        break;
      case 'while':
        this.out(cmd.until ? 'until ' : 'while ');
        this.skipIndent++;
        this.list(cmd.cond);
        if (this.deferred.length > 0) this.printDeferred('');
        this.semicolon();
        this.out(' do\n');
        this.indented(cmd.body);
        this.semicolon();
        this.newline('done');
        break;
      case 'if': this.ifCommand(cmd.clauses, cmd.elseBody); break;
      case 'case':
        this.out('case ');
        this.line += wordBreaks(cmd.word);
        this.out(' in ');
        this.indentation += INDENT;
        for (const c of cmd.clauses) {
          this.newline('');
          for (const w of c.patterns) this.line += wordBreaks(w);
          this.out(')\n');
          this.indented(c.body);
          this.newline(';;');
        }
        this.indentation -= INDENT;
        this.newline('esac');
        break;
      case 'arith':
        this.out('((');
        this.line += count(cmd.src);
        this.out('))');
        break;
      case 'cond':
        this.out('[[ ');
        for (const t of cmd.tokens) if ('w' in t) this.line += wordBreaks(t.w);
        this.out(' ]]');
        break;
      case 'subshell':
        this.out('( ');
        this.skipIndent++;
        this.list(cmd.list);
        if (this.deferred.length > 0) this.printDeferred('');
        this.out(' )');
        break;
      case 'group':
        this.out('{ ');
        if (this.insideFunctionDef === 0) {
          this.skipIndent++;
          this.list(cmd.list);
          if (this.deferred.length > 0) this.printDeferred('');
          this.semicolon();
          this.out(' }');
        } else {
          // A group inside a function is laid out over lines, indented.
          this.out('\n');
          this.indented(cmd.list);
          if (this.deferred.length > 0) this.printDeferred('');
          this.out('\n');
          this.indent();
          this.out('}');
        }
        break;
      case 'func':
        this.functionDef(cmd.body);
        return;
    }
    if (cmd.type !== 'simple' && cmd.redirs.length > 0) { this.out(' '); this.redirections(cmd.redirs); }
  }

  /** `for`'s and `select`'s `do` / body / `done`. */
  private body(head: string, body: List, tail: string): void {
    this.newline(head);
    this.indented(body);
    this.semicolon();
    this.newline(tail);
  }

  private indented(list: List): void {
    this.indentation += INDENT;
    this.list(list);
    if (this.deferred.length > 0) this.printDeferred('');
    this.indentation -= INDENT;
  }

  /** An `if` with its `elif`s: each `elif` is an `if` in the `else` of the one before. */
  private ifCommand(clauses: { cond: List; body: List }[], elseBody: List | null): void {
    const [first, ...rest] = clauses;
    this.out('if ');
    this.skipIndent++;
    this.list(first.cond);
    this.semicolon();
    this.out(' then\n');
    this.indented(first.body);
    if (rest.length > 0 || elseBody) {
      this.semicolon();
      this.newline('else\n');
      this.indentation += INDENT;
      if (rest.length > 0) {
        this.indent();
        this.ifCommand(rest, elseBody);
      } else {
        this.list(elseBody!);
        if (this.deferred.length > 0) this.printDeferred('');
      }
      this.indentation -= INDENT;
    }
    this.semicolon();
    this.newline('fi');
  }

  /** print_function_def: `function f () `, `{ `, the body indented, `}`. */
  private functionDef(body: Command): void {
    this.out('function f () \n');
    this.indent();
    this.out('{ \n');
    this.insideFunctionDef++;
    this.indentation += INDENT;
    if (body.type === 'group') this.list(body.list);
    else this.make({ k: 'cmd', cmd: body });
    if (this.deferred.length > 0) this.printDeferred('');
    this.indentation -= INDENT;
    this.insideFunctionDef--;
    this.newline('}');
    this.wasHeredoc = false;
    if (body.type === 'group' && body.redirs.length > 0) { this.out(' '); this.redirections(body.redirs); }
  }

  /**
   * A simple command: its words (assignments first), then its redirections. Its line is the
   * one its parser had read to when it made it: the end of its first word, or of the token
   * after it when that word is no assignment (see parser.ts Simple.line).
   */
  private simple(cmd: Simple): void {
    const words: Word[] = [...cmd.assigns.map((a) => a.value), ...cmd.words];
    let determining = 0;
    if (words.length > 0) {
      determining = wordBreaks(words[0]);
      if (cmd.assigns.length === 0 && words.length > 1) determining += wordBreaks(words[1]);
    } else if (cmd.redirs[0]?.target) determining = wordBreaks(cmd.redirs[0].target);
    cmd.line = this.line + determining;
    for (const w of words) this.line += wordBreaks(w);
    for (const a of cmd.assigns) if (a.arrayText) this.line += count(a.arrayText.join(' '));
    this.text();
    if (cmd.redirs.length > 0) { this.out(' '); this.redirections(cmd.redirs); }
  }
}

/** A list as bash's parser connects it: left to right, a trailing `&` kept, other trailing separators dropped. */
function listTree(list: List): Node | null {
  let tree: Node | null = null;
  list.items.forEach((item, k) => {
    const node: Node = { k: 'item', item, inner: andOrTree(item.andOr) };
    if (tree === null) tree = node;
    else {
      const before = list.items[k - 1];
      tree = { k: 'conn', first: tree, op: before.background ? '&' : before.newline ? '\n' : ';', second: node };
    }
  });
  const last = list.items[list.items.length - 1];
  if (tree !== null && last?.background) tree = { k: 'conn', first: tree, op: '&', second: null };
  return tree;
}

function andOrTree(a: AndOr): Node {
  let tree = pipelineTree(a.first);
  for (const r of a.rest) tree = { k: 'conn', first: tree, op: r.op, second: pipelineTree(r.p) };
  return tree;
}

/** A pipeline: its commands joined by `|` (to the right, as bash's grammar does). */
function pipelineTree(p: Pipeline): Node {
  let tree: Node | null = null;
  for (const cmd of [...p.cmds].reverse()) {
    const node: Node = { k: 'cmd', cmd };
    tree = tree === null ? node : { k: 'conn', first: node, op: '|', second: tree };
  }
  // `time` alone times nothing: an empty command.
  const inner: Node = tree ?? { k: 'cmd', cmd: { type: 'simple', assigns: [], words: [], redirs: [] } };
  return p.negate || p.time ? { k: 'pipeline', p, inner } : inner;
}
