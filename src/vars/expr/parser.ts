import type { BinaryOp, Expr } from './ast.js';
import { LexError, tokenize, type Token } from './lexer.js';
import { FILTER_NAMES } from './filters.js';
import { TEST_NAMES } from './tests.js';
import { suggest } from '../did-you-mean.js';

/**
 * A small Pratt-style (precedence climbing) parser for Jinja-like
 * expressions. Why not a library: jsep and filtrex are well kept but speak
 * JavaScript or their own syntax; Ansible users write `x is not defined`,
 * `a not in b`, `x | default(1)`, `and`/`or`/`not`, which would need so many
 * plugins and rewrites that the result would be harder to read than this
 * file. Nothing here ever reaches `eval` or `Function`.
 *
 * Lowest to highest: `if/else` < or < and < not < comparisons, in, is
 * < + - ~ < * / // % < unary - < postfix (. [] | filter).
 */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORD_LITERALS: Record<string, boolean | null> = { true: true, True: true, false: false, False: false, none: null, None: null, null: null };
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);

function describe(t: Token): string {
  if (t.type === 'end') return 'the end of the expression';
  if (t.type === 'str') return `the string ${JSON.stringify(t.value)}`;
  return `"${t.value}"`;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.value === value;
  }
  private isWord(value: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.type === 'id' && t.value === value;
  }
  private expectOp(value: string, what: string): void {
    if (!this.isOp(value)) throw new ParseError(`expected "${value}" ${what}, found ${describe(this.peek())}`, this.peek().pos);
    this.i++;
  }

  parseAll(): Expr {
    if (this.peek().type === 'end') throw new ParseError('empty expression', 0, 'write a condition, e.g. "x is defined"');
    const e = this.parseIfElse();
    const t = this.peek();
    if (t.type !== 'end') {
      const hint = t.type === 'id' || t.type === 'str' || t.type === 'num' ? 'two values in a row: is an operator (==, and, or, in) missing?' : undefined;
      throw new ParseError(`unexpected ${describe(t)}`, t.pos, hint);
    }
    return e;
  }

  private parseIfElse(): Expr {
    const then = this.parseOr();
    if (!this.isWord('if')) return then;
    const pos = this.next().pos;
    const test = this.parseOr();
    if (!this.isWord('else')) throw new ParseError(`expected "else" after "... if ...", found ${describe(this.peek())}`, this.peek().pos);
    this.i++;
    return { kind: 'ifelse', pos, test, then, otherwise: this.parseIfElse() };
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const pos = this.next().pos;
      left = { kind: 'logical', pos, op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isWord('and')) {
      const pos = this.next().pos;
      left = { kind: 'logical', pos, op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isWord('not')) {
      const pos = this.next().pos;
      return { kind: 'unary', pos, op: 'not', operand: this.parseNot() };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && COMPARE.has(t.value)) {
        this.i++;
        left = { kind: 'binary', pos: t.pos, op: t.value as BinaryOp, left, right: this.parseAdditive() };
      } else if (this.isWord('in')) {
        this.i++;
        left = { kind: 'binary', pos: t.pos, op: 'in', left, right: this.parseAdditive() };
      } else if (this.isWord('not') && this.isWord('in', 1)) {
        this.i += 2;
        left = { kind: 'binary', pos: t.pos, op: 'not in', left, right: this.parseAdditive() };
      } else if (this.isWord('is')) {
        this.i++;
        left = this.parseTest(left, t.pos);
      } else {
        return left;
      }
    }
  }

  private parseTest(operand: Expr, pos: number): Expr {
    const negated = this.isWord('not');
    if (negated) this.i++;
    const t = this.next();
    if (t.type !== 'id') throw new ParseError(`expected a test name after "is", found ${describe(t)}`, t.pos, `tests: ${TEST_NAMES.join(', ')}`);
    if (!TEST_NAMES.includes(t.value)) {
      const s = suggest(t.value, TEST_NAMES);
      throw new ParseError(`unknown test "${t.value}"`, t.pos, s ? `did you mean "${s}"?` : `tests: ${TEST_NAMES.join(', ')}`);
    }
    return { kind: 'test', pos, negated, name: t.value, operand };
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-') || this.isOp('~')) {
      const t = this.next();
      left = { kind: 'binary', pos: t.pos, op: t.value as BinaryOp, left, right: this.parseMultiplicative() };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const t = this.next();
      left = { kind: 'binary', pos: t.pos, op: t.value as BinaryOp, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      return { kind: 'unary', pos: t.pos, op: t.value as '-' | '+', operand: this.parseUnary() };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: Expr): Expr {
    let e = start;
    for (;;) {
      const t = this.peek();
      if (this.isOp('.')) {
        this.i++;
        const name = this.next();
        if (name.type === 'id') e = { kind: 'attr', pos: t.pos, object: e, name: name.value };
        else if (name.type === 'num' && Number.isInteger(name.value)) e = { kind: 'index', pos: t.pos, object: e, index: { kind: 'literal', pos: name.pos, value: name.value } };
        else throw new ParseError(`expected a name after ".", found ${describe(name)}`, name.pos);
      } else if (this.isOp('[')) {
        this.i++;
        const index = this.parseIfElse();
        this.expectOp(']', 'to close "["');
        e = { kind: 'index', pos: t.pos, object: e, index };
      } else if (this.isOp('|')) {
        this.i++;
        e = this.parseFilter(e, t.pos);
      } else if (this.isOp('(')) {
        throw new ParseError('function and method calls are not supported', t.pos, 'use a filter instead, e.g. "x | length", "x | default(1)"');
      } else {
        return e;
      }
    }
  }

  private parseFilter(operand: Expr, pos: number): Expr {
    const t = this.next();
    if (t.type !== 'id') throw new ParseError(`expected a filter name after "|", found ${describe(t)}`, t.pos);
    if (!FILTER_NAMES.includes(t.value)) {
      const s = suggest(t.value, FILTER_NAMES);
      throw new ParseError(`unknown filter "${t.value}"`, t.pos, s ? `did you mean "${s}"?` : `filters: ${FILTER_NAMES.join(', ')}`);
    }
    const args: Expr[] = [];
    if (this.isOp('(')) {
      this.i++;
      while (!this.isOp(')')) {
        args.push(this.parseIfElse());
        if (!this.isOp(',')) break;
        this.i++;
      }
      this.expectOp(')', `to close the arguments of "${t.value}"`);
    }
    return { kind: 'filter', pos, name: t.value, operand, args };
  }

  private parseSequence(close: string, item: () => void): void {
    while (!this.isOp(close)) {
      item();
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expectOp(close, `to close the ${close === ']' ? 'list' : 'map'}`);
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'num':
      case 'str':
        return { kind: 'literal', pos: t.pos, value: t.value };
      case 'id':
        if (Object.prototype.hasOwnProperty.call(KEYWORD_LITERALS, t.value)) return { kind: 'literal', pos: t.pos, value: KEYWORD_LITERALS[t.value]! };
        if (RESERVED.has(t.value)) throw new ParseError(`expected a value, found "${t.value}"`, t.pos);
        return { kind: 'name', pos: t.pos, name: t.value };
      case 'op':
        if (t.value === '(') {
          const e = this.parseIfElse();
          this.expectOp(')', 'to close "("');
          return e;
        }
        if (t.value === '[') {
          const items: Expr[] = [];
          this.parseSequence(']', () => items.push(this.parseIfElse()));
          return { kind: 'list', pos: t.pos, items };
        }
        if (t.value === '{') {
          const entries: Array<[Expr, Expr]> = [];
          this.parseSequence('}', () => {
            const k = this.parseIfElse();
            this.expectOp(':', 'between a key and its value');
            entries.push([k, this.parseIfElse()]);
          });
          return { kind: 'map', pos: t.pos, entries };
        }
        throw new ParseError(`expected a value, found ${describe(t)}`, t.pos);
      case 'end':
        throw new ParseError('expected a value, found the end of the expression', t.pos, 'the expression is incomplete');
    }
  }
}

/** Parse expression text; throws ParseError (with an offset) on bad syntax. */
export function parseExpr(src: string): Expr {
  let tokens: Token[];
  try {
    tokens = tokenize(src);
  } catch (err) {
    if (err instanceof LexError) throw new ParseError(err.message, err.pos, err.hint);
    throw err;
  }
  return new Parser(tokens).parseAll();
}
