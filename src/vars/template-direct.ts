import { HELPER_NAMES, HelperArgUndefined } from './helpers.js';
import { EXPR_HELPER } from './jinja.js';
import { textOf } from './plain-data.js';

/**
 * Rendering a template through Handlebars first sets up its runtime on every
 * call (each registered helper wrapped anew, an access-control object), and
 * every helper call copies its options: for a config file of a 12-item loop
 * on 50 hosts that cost more than the lookups themselves. Templates made of
 * text, variable paths, calls of Rosey's helpers and `{{#if}}`/`{{#unless}}`
 * (the common kind) are rendered here instead, by walking the parsed template
 * and doing what the compiled one does: Handlebars' `lookupProperty` for each
 * path part, the registered helpers called with their arguments, the text
 * helper's `textOf` for each output.
 *
 * Only the plain case is taken. Whenever a value is not plain (undefined
 * where Handlebars would fail, an inherited property, a function) or a
 * helper refuses an argument, `Fallback` is thrown and the caller renders
 * through Handlebars, which reads the same values again and reports exactly
 * as it always did.
 */
type Program = hbs.AST.Program;
type Statement = hbs.AST.Statement;
type Expression = hbs.AST.Expression;
type Path = hbs.AST.PathExpression;
type Call = { path: Expression; params: Expression[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation };
type Vars = Record<string, unknown>;
type Helpers = Readonly<Record<string, unknown>>;

/** Thrown (one instance) when a template must be rendered through Handlebars after all. */
export class Fallback extends Error {}
const FALLBACK = new Fallback('render through Handlebars');

/** Handlebars checks these names against its prototype rules: left to it. */
const GUARDED = new Set(['constructor', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
/** Handlebars' own block helpers and context changers are not called here; the rest read only their arguments. */
const NOT_CALLED = new Set(['if', 'unless', 'each', 'with', 'lookup', 'raw']);
const CALLABLE = new Set([...HELPER_NAMES.filter((n) => !NOT_CALLED.has(n)), EXPR_HELPER]);
const BLOCKS = new Set(['if', 'unless']);

function plainPath(n: Expression): n is Path {
  if (n.type !== 'PathExpression') return false;
  const p = n as Path;
  // `this`, `../x` and `@index` mean a context or data: Handlebars'
  return !p.data && p.depth === 0 && p.parts.length > 0 && !p.parts.some((x) => GUARDED.has(x));
}

/** The helper a call names, when it is one called here. */
function callee(n: Call): string | undefined {
  return plainPath(n.path) && n.path.parts.length === 1 && CALLABLE.has(n.path.parts[0]!) ? n.path.parts[0] : undefined;
}

function directExpr(n: Expression): boolean {
  if (n.type === 'StringLiteral' || n.type === 'NumberLiteral' || n.type === 'BooleanLiteral') return true;
  if (n.type === 'SubExpression') return directCall(n as hbs.AST.SubExpression);
  return plainPath(n);
}

function directCall(n: Call): boolean {
  return callee(n) !== undefined && n.params.every(directExpr) && (n.hash?.pairs ?? []).every((p) => directExpr(p.value));
}

function directStatement(st: Statement): boolean {
  if (st.type === 'ContentStatement' || st.type === 'CommentStatement') return true;
  if (st.type === 'MustacheStatement') {
    const m = st as hbs.AST.MustacheStatement;
    return m.params.length === 0 && !m.hash ? m.path.type !== 'SubExpression' && directExpr(m.path) : directCall(m);
  }
  if (st.type !== 'BlockStatement') return false;
  const b = st as hbs.AST.BlockStatement;
  const name = plainPath(b.path) && b.path.parts.length === 1 ? b.path.parts[0]! : '';
  return BLOCKS.has(name) && b.params.length === 1 && !b.hash && directExpr(b.params[0]!) && !b.program?.blockParams?.length && directProgram(b.program) && directProgram(b.inverse);
}

/** Can this parsed template (after routeExpressions) be rendered here? */
export function directProgram(p: Program | undefined): boolean {
  return !p || p.body.every(directStatement);
}

/**
 * A scope (runner/scope.ts) answers `scope[READ]` with its own read of a
 * name: what `scope[name]` gives, undefined for a name it does not have. A
 * top-level name is read through it, without the two proxy traps
 * (get, then getOwnPropertyDescriptor) a read costs otherwise.
 */
export const READ = Symbol('rosey.scope.read');
type Read = (name: string) => unknown;

/** A path's value as Handlebars looks it up: a missing part gives undefined (null stops too), as there. */
function lookup(vars: Vars, parts: readonly string[]): unknown {
  const read = (vars as { [READ]?: Read })[READ];
  let cur: unknown = vars;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const v = i === 0 && read ? read(part) : (cur as Record<string, unknown>)[part];
    if (v === undefined || v === null) return v;
    // a scope's read gives only its own names
    if (typeof v === 'function' || (!(i === 0 && read) && !Object.prototype.hasOwnProperty.call(cur, part))) throw FALLBACK;
    cur = v;
  }
  return cur;
}

function valueOf(n: Expression, vars: Vars, helpers: Helpers): unknown {
  if (n.type === 'SubExpression') return call(n as hbs.AST.SubExpression, vars, helpers);
  if (n.type === 'PathExpression') return lookup(vars, (n as Path).parts);
  return (n as hbs.AST.StringLiteral | hbs.AST.NumberLiteral | hbs.AST.BooleanLiteral).value;
}

/** A registered helper, called with the options its code reads (hash, loc, data.root). */
function call(n: Call, vars: Vars, helpers: Helpers): unknown {
  const name = callee(n)!;
  const params = n.params.map((p) => valueOf(p, vars, helpers));
  const hash: Vars = {};
  for (const pair of n.hash?.pairs ?? []) hash[pair.key] = valueOf(pair.value, vars, helpers);
  try {
    return (helpers[name] as (...args: unknown[]) => unknown).call(vars, ...params, { name, hash, loc: n.loc, data: { root: vars } });
  } catch (err) {
    if (err instanceof HelperArgUndefined) throw FALLBACK;
    throw err;
  }
}

/** What a `{{ ... }}` gives: its value (undefined is Handlebars' error to report). */
export function mustacheValue(m: hbs.AST.MustacheStatement, vars: Vars, helpers: Helpers): unknown {
  const v = m.params.length === 0 && !m.hash ? valueOf(m.path, vars, helpers) : call(m, vars, helpers);
  if (v === undefined || typeof v === 'function') throw FALLBACK;
  return v;
}

function statement(st: Statement, vars: Vars, helpers: Helpers): string {
  if (st.type === 'ContentStatement') return (st as hbs.AST.ContentStatement).value; // after whitespace control, as Handlebars emits it
  if (st.type === 'MustacheStatement') return textOf(mustacheValue(st as hbs.AST.MustacheStatement, vars, helpers));
  if (st.type !== 'BlockStatement') return '';
  const b = st as hbs.AST.BlockStatement;
  const cond = valueOf(b.params[0]!, vars, helpers);
  if (cond === undefined || typeof cond === 'function') throw FALLBACK;
  // Handlebars' `if`: false, 0, '', null and [] take the else branch
  const empty = !cond || (Array.isArray(cond) && cond.length === 0);
  return renderDirect((b.path as Path).parts[0] === 'if' ? (empty ? b.inverse : b.program) : empty ? b.program : b.inverse, vars, helpers);
}

/** The template's text; throws Fallback when Handlebars must render it. */
export function renderDirect(p: Program | undefined, vars: Vars, helpers: Helpers): string {
  let out = '';
  for (const st of p?.body ?? []) out += statement(st, vars, helpers);
  return out;
}
