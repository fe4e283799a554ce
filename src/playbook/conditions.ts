import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import { parseExpression } from '../vars/expression.js';

/** `when: x`, `when: [x, y]`, `when: true`: a list of expressions that must all hold. */
export function toConditions(value: unknown): string[] | undefined {
  return value === undefined || value === null ? undefined : toList(value);
}

export function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Parse (not evaluate) each condition now, so a typo fails before any host is contacted. */
export function checkConditions(value: unknown, loc: SourceLoc, diags: Diagnostic[]): void {
  for (const expr of toConditions(value) ?? []) {
    try {
      parseExpression(expr, loc);
    } catch (err) {
      if (err instanceof UserError) diags.push(...err.diagnostics);
      else throw err;
    }
  }
}
