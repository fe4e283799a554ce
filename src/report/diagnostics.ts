import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatLoc, type Diagnostic } from '../errors/diagnostic.js';

function frame(file: string, line: number, column: number): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  const out: string[] = [];
  for (let n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 1); n++) {
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(4)} | ${lines[n - 1]}`);
    if (n === line) out.push(`       | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out;
}

/** A diagnostic as people read it: where, what, the lines around it, what to do. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const loc = d.source ? { ...d.source, file: relative(cwd, d.source.file) || d.source.file } : undefined;
  const head = `${d.severity === 'error' ? 'ERROR' : 'WARNING'}: ${loc ? formatLoc(loc) + ': ' : ''}${d.summary}`;
  const body = d.source && d.source.line > 0 ? frame(d.source.file, d.source.line, d.source.column) : [];
  return [head, ...body, ...(d.detail ? [`  ${d.detail}`] : [])].join('\n');
}
