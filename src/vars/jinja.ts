import Handlebars from 'handlebars';
import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import type { Expr } from './expr/ast.js';
import { ParseError, parseExpr } from './expr/parser.js';
import { HELPER_NAMES } from './helpers.js';

/**
 * Ansible users write Jinja in `{{ }}`: `{{ port | default(8080) }}`,
 * `{{ 'a' if prod else 'b' }}`, `{{ name | upper }}`. Handlebars cannot
 * parse those ("unexpected INVALID") or reads them as a helper call. So a
 * mustache that is not Handlebars' own (a variable path, or one of our
 * helpers by name) is handed to the `when:` expression engine: it is
 * rewritten to `{{__rosey_expr "<source>"}}`, and that helper evaluates the
 * source with the template's variables. Blocks (`{{#if}}`, `{{#each}}`),
 * comments, `\{{` escapes and `{{{{raw}}}}` blocks are left to Handlebars.
 */
export const EXPR_HELPER = '__rosey_expr';

// a Handlebars path: name, a.b, a.[0], ../x, @index, this
const HB_PATH = /^(?:\.\.\/)*(?:@?[A-Za-z_$][\w$-]*|this|\.)(?:(?:\.|\/)(?:[A-Za-z_$][\w$-]*|\[[^\]]*\]|\d+))*$/;
const JINJA_STATEMENT = /\{%-?\s*(if|for|endif|endfor|else|elif|set|raw|endraw|macro|include)\b/;

function isHandlebars(inner: string): boolean {
  const s = inner.trim();
  if (s === '' || /^[#/^>!&~]/.test(s) || /^else\b/.test(s)) return true;
  if (HB_PATH.test(s)) return true;
  const head = /^[A-Za-z_$][\w$]*/.exec(s)?.[0];
  return head !== undefined && (HELPER_NAMES.includes(head) || head.startsWith('__rosey')) && /^[A-Za-z_$][\w$]*(\s|$)/.test(s);
}

/** Index just past the `}}` that closes a mustache opened at `from`, skipping quoted text; -1 if none. */
function closing(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length - 1; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}' && text[i + 1] === '}') return i + 2;
  }
  return -1;
}

function skipSpecial(text: string, i: number): number | undefined {
  if (text.startsWith('{{{{', i)) {
    // a raw block: everything up to its {{{{/name}}}} is text
    const end = text.indexOf('}}}}', text.indexOf('{{{{/', i + 4));
    return end < 0 ? text.length : end + 4;
  }
  if (i > 0 && text[i - 1] === '\\') return text.indexOf('}}', i) < 0 ? text.length : text.indexOf('}}', i) + 2;
  if (text.startsWith('{{{', i)) return text.indexOf('}}}', i) < 0 ? text.length : text.indexOf('}}}', i) + 3;
  if (text.startsWith('{{!--', i)) return text.indexOf('--}}', i) < 0 ? text.length : text.indexOf('--}}', i) + 4;
  return undefined;
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text[i] === '\n') n++;
  return n;
}

export interface RouteSite {
  loc: SourceLoc;
  isFile: boolean;
}

function refuse(summary: string, detail: string, text: string, index: number, site: RouteSite): UserError {
  const source = site.isFile ? { file: site.loc.file, line: lineAt(text, index), column: 1 } : site.loc;
  return new UserError({ severity: 'error', summary, detail, source });
}

/** `text` with each Jinja-style mustache turned into an expression-helper call; a mustache neither language reads is a UserError. */
export function routeExpressions(text: string, site: RouteSite): string {
  const stmt = JINJA_STATEMENT.exec(text);
  if (stmt) {
    const hb = { if: '{{#if cond}}...{{else}}...{{/if}}', for: '{{#each list}}{{this}}{{/each}}', raw: '{{{{raw}}}}...{{{{/raw}}}}' }[stmt[1] as 'if'] ?? '{{#if}}, {{#each}}, {{{{raw}}}}';
    throw refuse(`Jinja statement "{% ${stmt[1]} %}" in a template`, `Templates are Handlebars: write ${hb}. Expressions in {{ }} may use Jinja filters and inline if.`, text, stmt.index, site);
  }
  let out = '';
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) return out + text.slice(i);
    const skipped = skipSpecial(text, open);
    if (skipped !== undefined) {
      out += text.slice(i, skipped);
      i = skipped;
      continue;
    }
    const end = closing(text, open + 2);
    if (end < 0) return out + text.slice(i);
    const inner = text.slice(open + 2, end - 2);
    out += text.slice(i, open) + (isHandlebars(inner) ? text.slice(open, end) : asExpression(inner, text, open, site));
    i = end;
  }
}

function handlebarsParses(inner: string): boolean {
  try {
    Handlebars.parse(`{{${inner}}}`);
    return true;
  } catch {
    return false;
  }
}

function asExpression(inner: string, text: string, at: number, site: RouteSite): string {
  try {
    parseExpr(inner.trim());
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    // Handlebars reads it (a call of an unknown helper, `{{ uper x }}`): its own error names the helper
    if (handlebarsParses(inner)) return `{{${inner}}}`;
    const hint = err.hint ? ` (${err.hint})` : '';
    throw refuse(
      `invalid expression "{{${inner}}}": ${err.message}${hint}`,
      'Inside {{ }} write a variable ({{ name }}, {{ a.b }}), a helper ({{ default port 8080 }}, {{ join hosts "," }}) or a Jinja-style expression ({{ port | default(8080) }}, {{ "a" if x else "b" }}).',
      text,
      at,
      site,
    );
  }
  // a Handlebars string literal: only `"` needs escaping; newlines stay, so line numbers stay
  return `{{${EXPR_HELPER} "${inner.trim().replace(/"/g, '\\"')}"}}`;
}

/** Root variable names an expression reads, except under `default` and `is defined` (they accept undefined). */
export function exprRoots(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'name':
      out.push(e.name);
      break;
    case 'literal':
      break;
    case 'list':
      e.items.forEach((x) => exprRoots(x, out));
      break;
    case 'map':
      e.entries.forEach(([k, v]) => (exprRoots(k, out), exprRoots(v, out)));
      break;
    case 'attr':
      exprRoots(e.object, out);
      break;
    case 'index':
      exprRoots(e.object, out);
      exprRoots(e.index, out);
      break;
    case 'unary':
      exprRoots(e.operand, out);
      break;
    case 'binary':
    case 'logical':
      exprRoots(e.left, out);
      exprRoots(e.right, out);
      break;
    case 'test':
      if (e.name !== 'defined' && e.name !== 'undefined') exprRoots(e.operand, out);
      break;
    case 'filter':
      if (e.name !== 'default' && e.name !== 'd') exprRoots(e.operand, out);
      e.args.forEach((a) => exprRoots(a, out));
      break;
    case 'ifelse':
      // either branch may be unused on a given host: only the test is certain
      exprRoots(e.test, out);
      break;
  }
  return out;
}
