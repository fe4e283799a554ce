import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import { Secret } from '../transport/quote.js';
import { locOf } from '../yaml/source.js';
import { HelperArgUndefined, registerHelpers, TEXT_HELPER } from './helpers.js';
import { isPlainObject } from './plain-data.js';
import { evaluate } from './expression.js';
import { EXPR_HELPER, routeExpressions } from './jinja.js';
import { ExprAt, parseErrorOf, templateError, type TemplateSite } from './template-errors.js';
import { directProgram, Fallback, mustacheValue, renderDirect } from './template-direct.js';

/**
 * Templates are Handlebars, strict about undefined values, with no HTML escaping: an
 * undefined variable is a UserError naming it, never an empty string, and
 * `<`, `&`, quotes pass through untouched (config files are not HTML).
 */
type Vars = Record<string, unknown>;

const hb = Handlebars.create();
registerHelpers(hb);
// Not Handlebars' own `strict: true`: it checks only the last segment of a
// `{{ a.b.c }}` path and crashes with a TypeError on a missing middle one in
// a helper argument. Instead every output and every helper argument goes
// through our helpers, which refuse undefined (helpers.ts, TEXT_HELPER), so
// the rule is the same and stricter: undefined is an error, named, located.
const COMPILE = { strict: false, noEscape: true } as const;
const CAPTURE = '__rosey_capture';
hb.registerHelper(CAPTURE, (value: unknown, options: { data: { box: { value?: unknown } } }) => {
  options.data.box.value = value;
  return '';
});

// `{{ x | default('y') }}` and other Jinja-style mustaches, rewritten by routeExpressions
hb.registerHelper(EXPR_HELPER, (src: string, options: { data: { root: Vars }; loc?: hbs.AST.SourceLocation }) => {
  try {
    return evaluate(src, options.data.root, { file: '<template>', line: 0, column: 0 });
  } catch (err) {
    throw err instanceof UserError ? new ExprAt(err, options.loc) : err;
  }
});

type Program = hbs.AST.Program;
type Mustache = hbs.AST.MustacheStatement;

interface Runnable {
  ast: Program;
  render: HandlebarsTemplateDelegate;
}

interface Compiled extends Runnable {
  /** set when the text is exactly one `{{ ... }}`: renders its value with its type */
  lone?: Runnable & { isPath: boolean };
  /** the parsed template, when it can be rendered without Handlebars' runtime (template-direct.ts) */
  direct?: Program;
}

const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 2000;

/** `{{ inner }}` → `{{ helper inner }}` (a call becomes a sub-expression). */
function wrap(m: Mustache, helper: string): Mustache {
  const isCall = m.params.length > 0 || !!m.hash;
  const inner = isCall ? ({ type: 'SubExpression', path: m.path, params: m.params, hash: m.hash, loc: m.loc } as hbs.AST.SubExpression) : m.path;
  const path = { type: 'PathExpression', data: false, depth: 0, parts: [helper], original: helper, loc: m.loc } as hbs.AST.PathExpression;
  return { ...m, path, params: [inner], hash: undefined as never };
}

/**
 * Every `{{ x }}` goes through TEXT_HELPER, for three reasons: Handlebars
 * with noEscape joins outputs with `+` (two numbers would be added, not
 * concatenated); a Secret must print its real value; and an undefined value
 * must be an error (helper arguments are looked up leniently).
 */
function textify(p: Program): Program {
  const body = p.body.map((st: hbs.AST.Statement) => {
    if (st.type === 'MustacheStatement') return wrap(st as Mustache, TEXT_HELPER);
    if (st.type === 'BlockStatement') {
      const b = st as hbs.AST.BlockStatement;
      return { ...b, program: b.program && textify(b.program), inverse: b.inverse && textify(b.inverse) };
    }
    return st;
  });
  return { ...p, body };
}

function loneOf(ast: Program): Compiled['lone'] {
  const [m] = ast.body;
  if (ast.body.length !== 1 || m?.type !== 'MustacheStatement') return undefined;
  const must = m as Mustache;
  const lone: Program = { ...ast, body: [wrap(must, CAPTURE)] };
  return { ast: lone, render: hb.compile(lone, COMPILE), isPath: must.path.type === 'PathExpression' && must.params.length === 0 && !must.hash };
}

function compile(text: string, site: TemplateSite): Compiled {
  const hit = cache.get(text);
  if (hit) return hit;
  let parsed: Program;
  try {
    parsed = hb.parse(routeExpressions(text, site));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw parseErrorOf(err, text, site);
  }
  const ast = textify(parsed);
  const c: Compiled = { ast, render: hb.compile(ast, COMPILE), lone: loneOf(parsed), direct: directProgram(parsed) ? parsed : undefined };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, c);
  return c;
}

function run(c: Runnable, vars: Vars, site: TemplateSite, data?: object): string {
  try {
    return c.render(vars, data ? { data } : undefined);
  } catch (err) {
    throw templateError(err, c.ast, vars, site);
  }
}

/** A compiled template's text: rendered directly when it is plain enough, else through Handlebars. */
function runText(c: Compiled, vars: Vars, site: TemplateSite): string {
  if (c.direct && !handlebarsOnly) {
    try {
      return renderDirect(c.direct, vars, hb.helpers);
    } catch (err) {
      // its errors become UserErrors as `run` makes Handlebars' (a Fallback: Handlebars says it)
      if (!(err instanceof Fallback)) throw templateError(err, c.ast, vars, site);
    }
  }
  return run(c, vars, site);
}

let handlebarsOnly = false;

/** `f` with every template rendered through Handlebars: for tests that hold the direct path to Handlebars' results. */
export function throughHandlebars<T>(f: () => T): T {
  handlebarsOnly = true;
  try {
    return f();
  } finally {
    handlebarsOnly = false;
  }
}

/** A template's syntax error (Handlebars or a Jinja-style expression) as a UserError, or undefined: for checks at load. */
export function templateSyntaxError(text: string, loc: SourceLoc): UserError | undefined {
  if (!text.includes('{{') && !text.includes('{%')) return undefined;
  try {
    compile(text, { loc, isFile: false });
    return undefined;
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
}

/** Render template text to a string. Secrets appear as their real value (config files need the password). */
export function renderString(text: string, vars: Vars, loc: SourceLoc): string {
  if (!text.includes('{{')) return text;
  const site = { loc, isFile: false };
  return runText(compile(text, site), vars, site);
}

/** Render a template file's text (`.hbs`); errors point at the line in `file`. */
export function renderTemplate(text: string, vars: Vars, file: string): string {
  const site = { loc: { file, line: 1, column: 1 }, isFile: true };
  return runText(compile(text, site), vars, site);
}

export function renderTemplateFile(file: string, vars: Vars): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError({ severity: 'error', summary: `cannot read template ${file}: ${(err as Error).message}`, source: { file, line: 1, column: 1 } });
  }
  return renderTemplate(text, vars, file);
}

function renderLone(lone: NonNullable<Compiled['lone']>, vars: Vars, site: TemplateSite): unknown {
  const box: { value?: unknown } = {};
  run(lone, vars, site, { box });
  if (box.value === undefined) {
    const m = lone.ast.body[0] as Mustache;
    throw templateError(new HelperArgUndefined(CAPTURE, m.loc, 0), lone.ast, vars, site);
  }
  // a lone `{{ helper ... }}` gives text with secrets revealed, as in any template output
  return box.value instanceof Secret && !lone.isPath ? box.value.reveal() : box.value;
}

/**
 * Render every string inside a value (lists and maps walked). A string that
 * is exactly one `{{ expression }}` returns the value with its type: a
 * number, list, map, boolean, null, or the Secret itself.
 */
export function renderValue(value: unknown, vars: Vars, loc: SourceLoc): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const site = { loc, isFile: false };
    const c = compile(value, site);
    if (!c.lone) return runText(c, vars, site);
    if (c.direct && !handlebarsOnly) {
      try {
        const v = mustacheValue(c.direct.body[0] as Mustache, vars, hb.helpers);
        // as renderLone: a path keeps a Secret as it is, a helper's result is text
        return v instanceof Secret && !c.lone.isPath ? v.reveal() : v;
      } catch (err) {
        if (!(err instanceof Fallback)) throw templateError(err, c.ast, vars, site);
      }
    }
    return renderLone(c.lone, vars, site);
  }
  if (Array.isArray(value)) return value.map((v, i) => renderValue(v, vars, locOf(value, i) ?? loc));
  if (isPlainObject(value) && !(value instanceof Secret)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, vars, locOf(value, k) ?? loc);
    return out;
  }
  return value;
}
