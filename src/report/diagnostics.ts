import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { formatLoc, type Diagnostic } from '../errors/diagnostic.js';

/** Characters of a source line shown around the error's column. */
const FRAME_WIDTH = 120;

/** A window of a long line around `column`, so a 40 KB line prints as one screen line; returns the caret's offset in it. */
function clip(text: string, column: number): { text: string; caret: number } {
  if (text.length <= FRAME_WIDTH) return { text, caret: column - 1 };
  const start = Math.max(0, Math.min(column - 1 - FRAME_WIDTH / 2, text.length - FRAME_WIDTH));
  const head = start > 0 ? '…' : '';
  const tail = start + FRAME_WIDTH < text.length ? '…' : '';
  return { text: head + text.slice(start, start + FRAME_WIDTH) + tail, caret: column - 1 - start + head.length };
}

function frame(file: string, line: number, column: number): string[] {
  let text: string;
  try {
    // the file may be what the error is about: a device, a FIFO, a huge file
    const st = statSync(file);
    if (!st.isFile() || st.size > 4 * 1024 * 1024) return [];
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  const out: string[] = [];
  for (let n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 1); n++) {
    const shown = clip(lines[n - 1] ?? '', n === line ? column : 1);
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(4)} | ${shown.text}`);
    if (n === line) out.push(`       | ${' '.repeat(Math.max(0, shown.caret))}^`);
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
