import Handlebars from 'handlebars';
import { parseExpr } from './expr/parser.js';
import { HELPER_NAMES } from './helpers.js';
import { EXPR_HELPER, exprRoots, routeExpressions } from './jinja.js';
import { isPlainObject } from './plain-data.js';

type HbsNode = {
  type: string;
  path?: HbsNode;
  params?: HbsNode[];
  original?: string;
  value?: unknown;
  parts?: string[];
  data?: boolean;
  program?: { body: HbsNode[] };
};

/**
 * The root variable names a template string reads at its top level, for
 * static checks before a run: not inside #each/#with (their context is an
 * item), not under `default` (the one helper that may see an undefined
 * value). A template that does not parse lists nothing: rendering reports
 * it, with its own message.
 */
export function templateRoots(text: string): string[] {
  if (!text.includes('{{')) return [];
  let ast: { body: HbsNode[] };
  try {
    ast = Handlebars.parse(routeExpressions(text, { loc: { file: '', line: 0, column: 0 }, isFile: false })) as unknown as { body: HbsNode[] };
  } catch {
    return [];
  }
  const roots: string[] = [];
  const pathRoot = (p: HbsNode | undefined): void => {
    if (p?.type === 'PathExpression' && !p.data && p.parts?.length) roots.push(p.parts[0]!);
  };
  const visit = (nodes: HbsNode[]): void => {
    for (const n of nodes) {
      if (n.type !== 'MustacheStatement' && n.type !== 'SubExpression' && n.type !== 'BlockStatement') continue;
      const helper = n.path?.original;
      if (helper === EXPR_HELPER && typeof n.params?.[0]?.value === 'string') {
        roots.push(...exprRoots(parseExpr(n.params[0].value)));
        continue;
      }
      const isHelper = (n.params?.length ?? 0) > 0 || n.type === 'BlockStatement' || (helper !== undefined && HELPER_NAMES.includes(helper));
      if (!isHelper) pathRoot(n.path);
      if (helper !== 'default') n.params?.forEach((p) => (p.type === 'SubExpression' ? visit([p]) : pathRoot(p)));
      if (n.type === 'BlockStatement' && (helper === 'if' || helper === 'unless') && n.program) visit(n.program.body);
    }
  };
  visit(ast.body);
  return roots;
}

/** Every string inside a value (strings, lists, maps), for scanning templates in task arguments. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (isPlainObject(value)) Object.values(value).forEach((v) => stringsIn(v, out));
  return out;
}

/**
 * Does the value hold a `{{ template }}` anywhere? (The strings `stringsIn`
 * lists, walked without collecting them: asked on every read of a variable.)
 */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (isPlainObject(value)) return Object.values(value).some(hasTemplate);
  return false;
}
