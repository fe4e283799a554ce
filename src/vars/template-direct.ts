import { textOf } from './plain-data.js';

/**
 * Most templates in task arguments are text and plain variables
 * (`{{ app_root }}/etc/{{ item }}.conf`). Rendered through Handlebars, each
 * call first sets up its runtime (every helper wrapped anew, an access
 * control object), which cost more than the lookups themselves: ~0.1 ms per
 * string, for every loop item on every host. Such a template is rendered
 * here instead, doing what the compiled template does (Handlebars'
 * `lookupProperty` on each path part, then the text helper's `textOf`).
 *
 * Only the plain case is taken: when a value is missing (undefined, null,
 * not an own property, a function) the caller renders through Handlebars,
 * which reads the same values again and reports exactly as it always did.
 */
export type Piece = string | readonly string[];

/** Handlebars treats these parts specially (prototype access checks): left to it. */
const GUARDED = new Set(['constructor', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** The pieces of a template that is only text, comments and plain `{{ a.b }}` paths; undefined for any other. */
export function directPieces(body: readonly hbs.AST.Statement[]): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const st of body) {
    if (st.type === 'ContentStatement') {
      // `value` is the text after whitespace control (`{{~`), as Handlebars emits it
      pieces.push((st as hbs.AST.ContentStatement).value);
      continue;
    }
    if (st.type === 'CommentStatement') continue;
    if (st.type !== 'MustacheStatement') return undefined;
    const m = st as hbs.AST.MustacheStatement;
    if (m.params.length > 0 || m.hash || m.path.type !== 'PathExpression') return undefined;
    const path = m.path as hbs.AST.PathExpression;
    // `this`, `../x` and `@index` mean a context or data: Handlebars'
    if (path.data || path.depth !== 0 || path.parts.length === 0 || path.parts.some((p) => GUARDED.has(p))) return undefined;
    pieces.push(path.parts);
  }
  return pieces;
}

/** Marks "render this one through Handlebars". */
export const MISSING: unique symbol = Symbol('missing');

/** A path's value as Handlebars looks it up, or MISSING when it is not a plain present value. */
export function lookupDirect(vars: object, parts: readonly string[]): unknown {
  let cur: unknown = vars;
  for (const part of parts) {
    const v = (cur as Record<string, unknown>)[part];
    if (v === undefined || v === null || typeof v === 'function' || !Object.prototype.hasOwnProperty.call(cur, part)) return MISSING;
    cur = v;
  }
  return cur;
}

/** The template's text, or MISSING when a path has no plain value. */
export function renderDirect(pieces: readonly Piece[], vars: object): string | typeof MISSING {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    const v = lookupDirect(vars, piece);
    if (v === MISSING) return MISSING;
    out += textOf(v);
  }
  return out;
}
