/** Where a value came from: every user-facing error points here. */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  source?: SourceLoc;
}

export function formatLoc(loc: SourceLoc | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : '<unknown>';
}

/**
 * A mistake the user can fix (bad playbook, inventory, variable, flag). The CLI
 * prints it without a stack and exits 1. It may carry several diagnostics so a
 * file with three mistakes reports all three at once.
 */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => `${d.source ? formatLoc(d.source) + ': ' : ''}${d.summary}`).join('\n'));
    this.name = 'UserError';
    this.diagnostics = list;
  }
}

export function userError(summary: string, source?: SourceLoc, detail?: string): UserError {
  return new UserError({ severity: 'error', summary, detail, source });
}

/** A bug in Rosey: the CLI says so and asks for a report. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}
