import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import { didYouMean } from './did-you-mean.js';
import { HELPER_NAMES, HelperArgUndefined } from './helpers.js';
import { isPlainObject } from './plain-data.js';

type Node = hbs.AST.Node & { loc?: hbs.AST.SourceLocation };
type PathNode = hbs.AST.PathExpression;
type CallNode = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;
type Vars = Record<string, unknown>;

/** Every node of a Handlebars AST (a generic walk: the AST is plain data). */
function* nodes(n: unknown): Generator<Node> {
  if (Array.isArray(n)) {
    for (const x of n) yield* nodes(x);
    return;
  }
  if (typeof n !== 'object' || n === null) return;
  if (typeof (n as Node).type === 'string') yield n as Node;
  for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip') yield* nodes(v);
}

const at = (n: Node, line: number, column: number) => n.loc?.start.line === line && n.loc.start.column === column;
const isCall = (n: Node): n is CallNode => n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement';

/** Follow `path` in vars; the first missing part and the names that exist where it was looked up. */
function firstMissing(parts: readonly string[], vars: Vars): { missing: string; candidates: string[]; prefix: string } | undefined {
  let cur: unknown = vars;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const here = isPlainObject(cur) || Array.isArray(cur) || (typeof cur === 'object' && cur !== null) ? (cur as Record<string, unknown>) : undefined;
    if (!here || !Object.prototype.hasOwnProperty.call(here, part) || here[part] === undefined) {
      return { missing: part, candidates: here && !Array.isArray(here) ? Object.keys(here) : [], prefix: parts.slice(0, i).join('.') };
    }
    cur = here[part];
  }
  return undefined;
}

/** An expression error inside a template (jinja.ts), with the mustache's position; templateError relocates it. */
export class ExprAt extends Error {
  constructor(
    readonly inner: UserError,
    readonly loc: { start: { line: number; column: number } } | undefined,
  ) {
    super(inner.message);
  }
}

export interface TemplateSite {
  /** where the template text is: a YAML value's position, or a .hbs file */
  loc: SourceLoc;
  /** true for a template file: Handlebars' line/column are positions in that file */
  isFile: boolean;
}

function where(site: TemplateSite, line?: number, column?: number): SourceLoc {
  if (!site.isFile || line === undefined) return site.loc;
  return { file: site.loc.file, line, column: (column ?? 0) + 1 };
}

function undefinedVar(path: string, parts: readonly string[], vars: Vars, site: TemplateSite, line?: number, column?: number): UserError {
  const miss = firstMissing(parts, vars);
  const detail = [
    miss ? didYouMean(miss.missing, miss.candidates) : '',
    miss?.prefix ? `"${miss.prefix}" has no "${miss.missing}".` : '',
    `Define it (inventory, vars, -e), or give a fallback: {{ default ${path} "..." }}.`,
    // Prometheus/Alertmanager/Go templates in a .hbs file: their {{ }} must reach the file as they are
    path.startsWith('$') || path.startsWith('.') ? 'To write a literal {{ }} (a Prometheus or Alertmanager template), escape it as \\{{ ... }} or wrap the text in {{{{raw}}}}...{{{{/raw}}}}.' : '',
  ].filter(Boolean);
  return new UserError({ severity: 'error', summary: `undefined variable "${path}"`, detail: detail.join(' '), source: where(site, line, column) });
}

/** Turn what a Handlebars render threw into a UserError at the right place, naming the variable. */
export function templateError(err: unknown, ast: hbs.AST.Program, vars: Vars, site: TemplateSite): unknown {
  if (err instanceof UserError) return err;
  if (err instanceof ExprAt) {
    const source = where(site, err.loc?.start.line, err.loc?.start.column);
    return new UserError(err.inner.diagnostics.map((d) => ({ ...d, source })));
  }
  if (err instanceof HelperArgUndefined) {
    const line = err.loc?.start.line;
    const column = err.loc?.start.column;
    const call = [...nodes(ast)].find((n): n is CallNode => isCall(n) && (n.path as PathNode).original === err.helper && line !== undefined && at(n, line, column!));
    const arg = typeof err.arg === 'number' ? call?.params[err.arg] : call?.hash?.pairs.find((p: hbs.AST.HashPair) => p.key === err.arg)?.value;
    if (arg?.type === 'PathExpression') {
      const path = arg as PathNode;
      return undefinedVar(path.original, path.parts, vars, site, path.loc.start.line, path.loc.start.column);
    }
    const what = arg?.type === 'SubExpression' ? `"${((arg as hbs.AST.SubExpression).path as PathNode).original}" gave no value` : 'a value is undefined';
    const helper = err.helper.startsWith('__rosey') ? 'the template' : `"${err.helper}"`;
    return new UserError({ severity: 'error', summary: `undefined value in ${helper}: ${what}`, source: where(site, line, column) });
  }
  const missingHelper = /^Missing helper: "?([^"]+)"?/.exec((err as Error).message ?? '');
  if (missingHelper) {
    const name = missingHelper[1]!;
    return new UserError({ severity: 'error', summary: `unknown helper "${name}"`, detail: didYouMean(name, HELPER_NAMES) || `Helpers: ${HELPER_NAMES.join(', ')}.`, source: site.loc });
  }
  const e = err as Error & { lineNumber?: number; column?: number };
  if (e.message?.includes('could not be found')) return new UserError({ severity: 'error', summary: `template: ${e.message}`, detail: 'Partials are not supported; use a variable or a role file.', source: site.loc });
  return new UserError({ severity: 'error', summary: `template error: ${e.message ?? String(err)}`, source: where(site, e.lineNumber, e.column) });
}

/** A Handlebars parse error as a UserError: the line it names, and what it expected. */
export function parseErrorOf(err: unknown, text: string, site: TemplateSite): UserError {
  const msg = (err as Error).message ?? String(err);
  const lineMatch = /Parse error on line (\d+)/.exec(msg);
  const line = lineMatch ? Number(lineMatch[1]) : undefined;
  const expecting = /Expecting (.*), got '?([^']*)'?$/m.exec(msg);
  const got = expecting ? `unexpected ${expecting[2] === 'EOF' ? 'end of template' : expecting[2]}` : msg.split('\n')[0]!;
  const snippet = msg.split('\n').slice(1, 3).join('\n');
  const unclosed = /\{\{(?![^]*\}\})/.test(text) ? ' (is a "}}" missing?)' : '';
  return new UserError({
    severity: 'error',
    summary: `invalid template: ${got}${unclosed}`,
    detail: `${snippet}\nHandlebars syntax: {{ name }}, {{ helper arg }}, {{#if cond}}...{{/if}}, {{#each list}}...{{/each}}.`,
    source: where(site, line, 0),
  });
}
