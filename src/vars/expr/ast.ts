/**
 * The syntax tree of a `when:`-style expression. Plain data: parsing once
 * (at playbook load) and evaluating many times (per host, per loop item)
 * share it. `pos` is the offset in the expression text, for error carets.
 */
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '+' | '-' | '*' | '/' | '//' | '%' | '~';

export type Expr =
  | { kind: 'literal'; pos: number; value: string | number | boolean | null }
  | { kind: 'name'; pos: number; name: string }
  | { kind: 'list'; pos: number; items: Expr[] }
  | { kind: 'map'; pos: number; entries: Array<[Expr, Expr]> }
  | { kind: 'attr'; pos: number; object: Expr; name: string }
  | { kind: 'index'; pos: number; object: Expr; index: Expr }
  | { kind: 'unary'; pos: number; op: 'not' | '-' | '+'; operand: Expr }
  | { kind: 'binary'; pos: number; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'logical'; pos: number; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'test'; pos: number; negated: boolean; name: string; operand: Expr }
  | { kind: 'filter'; pos: number; name: string; operand: Expr; args: Expr[] }
  | { kind: 'ifelse'; pos: number; test: Expr; then: Expr; otherwise: Expr };

/** The dotted spelling of a variable reference (`a.b['c']` → `a.b.c`), for messages. */
export function pathOf(e: Expr): string | undefined {
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attr') {
    const base = pathOf(e.object);
    return base === undefined ? undefined : `${base}.${e.name}`;
  }
  if (e.kind === 'index' && e.index.kind === 'literal') {
    const base = pathOf(e.object);
    return base === undefined ? undefined : `${base}[${JSON.stringify(e.index.value)}]`;
  }
  return undefined;
}
