import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import { locOf } from '../yaml/source.js';
import type { Expr } from './expr/ast.js';
import { evalExpr } from './expr/evaluate.js';
import { ParseError, parseExpr } from './expr/parser.js';
import { EvalError, force, truthy } from './expr/values.js';
import { didYouMean } from './did-you-mean.js';

export type { Expr } from './expr/ast.js';

/**
 * Safe expressions for `when`, `changed_when`, `failed_when`, `until` and
 * assert `that`: Jinja-like syntax, our own parser and tree walker, never
 * `eval` or `Function`. See docs/variables.md for the language.
 */

type Vars = Record<string, unknown>;

const cache = new Map<string, Expr>();
const CACHE_LIMIT = 5000;

function caret(expr: string, pos: number): string {
  return `  ${expr}\n  ${' '.repeat(Math.max(0, Math.min(pos, expr.length)))}^`;
}

/** Parse only (no variables needed): the playbook validator rejects bad syntax before any host is contacted. */
export function parseExpression(expr: string, loc: SourceLoc): Expr {
  const hit = cache.get(expr);
  if (hit) return hit;
  try {
    const ast = parseExpr(expr);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(expr, ast);
    return ast;
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const detail = [caret(expr, err.pos), err.hint ? `Hint: ${err.hint}.` : ''].filter(Boolean).join('\n');
    throw new UserError({ severity: 'error', summary: `invalid expression "${expr}": ${err.message}`, detail, source: loc });
  }
}

function toUserError(err: EvalError, expr: string, loc: SourceLoc): UserError {
  const lines = [caret(expr, err.pos)];
  const ref = err.undefinedRef;
  if (ref) {
    const dym = didYouMean(ref.missing, ref.candidates);
    if (dym) lines.push(dym);
    lines.push(`Define it (inventory, vars, -e), or guard it: "${ref.path} is defined" or "${ref.path} | default(...)".`);
  } else if (err.hint) {
    lines.push(`Hint: ${err.hint}.`);
  }
  return new UserError({ severity: 'error', summary: `${err.message} in expression "${expr}"`, detail: lines.join('\n'), source: loc });
}

/** The value of `expr` (a Secret stays a Secret). An undefined variable or a type mistake is a UserError at `loc`. */
export function evaluate(expr: string, vars: Vars, loc: SourceLoc): unknown {
  const ast = parseExpression(expr, loc);
  try {
    return force(evalExpr(ast, vars), ast.pos);
  } catch (err) {
    if (err instanceof EvalError) throw toUserError(err, expr, loc);
    throw err;
  }
}

export type Condition = string | boolean | readonly (string | boolean)[];

/**
 * A `when:`-style condition: a boolean, an expression, or a list of them
 * that must all hold (as in Ansible). Truthiness is Python's: '', 0, [], {}
 * and none are false (use `| bool` to read "yes"/"false" strings).
 */
export function evaluateCondition(cond: Condition, vars: Vars, loc: SourceLoc): boolean {
  if (typeof cond === 'boolean') return cond;
  if (typeof cond === 'string') return truthy(evaluate(cond, vars, loc));
  if (Array.isArray(cond)) return cond.every((c, i) => evaluateCondition(c as string | boolean, vars, locOf(cond, i) ?? loc));
  throw new UserError({ severity: 'error', summary: `a condition must be an expression, a boolean or a list of them, got ${JSON.stringify(cond)}`, source: loc });
}
