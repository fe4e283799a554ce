import type { BinaryOp, Expr } from './ast.js';
import { pathOf } from './ast.js';
import { runFilter, UNDEFINED_FILTERS } from './filters.js';
import { runTest, UNDEFINED_TESTS } from './tests.js';
import { EvalError, equal, force, isMap, plain, toText, truthy, typeName, Undefined } from './values.js';

type Vars = Record<string, unknown>;

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function lookupName(e: Extract<Expr, { kind: 'name' }>, vars: Vars): unknown {
  if (own(vars, e.name)) return vars[e.name];
  return new Undefined(e.name, e.name, Object.keys(vars));
}

function member(e: Expr, object: unknown, key: unknown): unknown {
  const path = pathOf(e) ?? String(key);
  if (object instanceof Undefined) return new Undefined(path, object.missing, object.candidates);
  const o = plain(object);
  if (Array.isArray(o) && typeof key === 'number') {
    const i = key < 0 ? o.length + key : key;
    return Number.isInteger(i) && i >= 0 && i < o.length ? o[i] : new Undefined(path, String(key), []);
  }
  if (typeof o === 'string' && typeof key === 'number') return o[key < 0 ? o.length + key : key] ?? new Undefined(path, String(key), []);
  if (isMap(o) && (typeof key === 'string' || typeof key === 'number')) {
    const k = String(key);
    return own(o, k) ? o[k] : new Undefined(path, k, Object.keys(o));
  }
  return new Undefined(path, String(key), []);
}

function compareOrder(op: BinaryOp, a: unknown, b: unknown, pos: number): boolean {
  const x = plain(a);
  const y = plain(b);
  const ok = (typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string');
  if (!ok) throw new EvalError(`cannot compare a ${typeName(x)} with a ${typeName(y)} using "${op}"`, pos, 'convert one side, e.g. "x | int > 2"');
  const xs = x as number | string;
  const ys = y as number | string;
  if (op === '<') return xs < ys;
  if (op === '<=') return xs <= ys;
  if (op === '>') return xs > ys;
  return xs >= ys;
}

function contains(container: unknown, item: unknown, pos: number): boolean {
  const c = plain(container);
  const it = plain(item);
  if (typeof c === 'string') {
    if (typeof it !== 'string') throw new EvalError(`"in" a string needs a string on the left, got a ${typeName(it)}`, pos);
    return c.includes(it);
  }
  if (Array.isArray(c)) return c.some((v) => equal(v, it));
  if (isMap(c)) return (typeof it === 'string' || typeof it === 'number') && own(c, String(it));
  throw new EvalError(`"in" needs a string, list or map on the right, got a ${typeName(c)}`, pos);
}

function arithmetic(op: BinaryOp, a: unknown, b: unknown, pos: number): unknown {
  const x = plain(a);
  const y = plain(b);
  if (op === '~') return toText(x) + toText(y);
  if (op === '+') {
    if (typeof x === 'string' && typeof y === 'string') return x + y;
    if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
  }
  if (typeof x !== 'number' || typeof y !== 'number') {
    throw new EvalError(`cannot use "${op}" on a ${typeName(x)} and a ${typeName(y)}`, pos, op === '+' ? 'to join text use "~"' : undefined);
  }
  if ((op === '/' || op === '//' || op === '%') && y === 0) throw new EvalError('division by zero', pos);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '//':
      return Math.floor(x / y);
    default:
      return ((x % y) + y) % y;
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, vars: Vars): unknown {
  const a = force(evalExpr(e.left, vars), e.left.pos);
  const b = force(evalExpr(e.right, vars), e.right.pos);
  switch (e.op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compareOrder(e.op, a, b, e.pos);
    case 'in':
      return contains(b, a, e.pos);
    case 'not in':
      return !contains(b, a, e.pos);
    default:
      return arithmetic(e.op, a, b, e.pos);
  }
}

/**
 * Evaluate a parsed expression. Returns Undefined (not throws) for a missing
 * variable so the caller's `is defined` / `default` can see it; `force` it
 * to get a value.
 */
export function evalExpr(e: Expr, vars: Vars): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'name':
      return lookupName(e, vars);
    case 'list':
      return e.items.map((i) => force(evalExpr(i, vars), i.pos));
    case 'map':
      return Object.fromEntries(e.entries.map(([k, v]) => [toText(force(evalExpr(k, vars), k.pos)), force(evalExpr(v, vars), v.pos)]));
    case 'attr':
      return member(e, evalExpr(e.object, vars), e.name);
    case 'index':
      return member(e, evalExpr(e.object, vars), plain(force(evalExpr(e.index, vars), e.index.pos)));
    case 'unary': {
      const v = force(evalExpr(e.operand, vars), e.operand.pos);
      if (e.op === 'not') return !truthy(v);
      if (typeof v !== 'number') throw new EvalError(`cannot use "${e.op}" on a ${typeName(v)}`, e.pos);
      return e.op === '-' ? -v : v;
    }
    case 'logical': {
      const left = force(evalExpr(e.left, vars), e.left.pos);
      if (e.op === 'and' ? !truthy(left) : truthy(left)) return left;
      return force(evalExpr(e.right, vars), e.right.pos);
    }
    case 'binary':
      return binary(e, vars);
    case 'test': {
      const raw = evalExpr(e.operand, vars);
      const v = UNDEFINED_TESTS.has(e.name) ? raw : force(raw, e.operand.pos);
      return runTest(e.name, v) !== e.negated;
    }
    case 'filter': {
      const raw = evalExpr(e.operand, vars);
      const v = UNDEFINED_FILTERS.has(e.name) ? raw : force(raw, e.operand.pos);
      const args = e.args.map((a) => force(evalExpr(a, vars), a.pos));
      return runFilter(e.name, v, args, e.pos);
    }
    case 'ifelse':
      return truthy(force(evalExpr(e.test, vars), e.test.pos)) ? evalExpr(e.then, vars) : evalExpr(e.otherwise, vars);
  }
}
