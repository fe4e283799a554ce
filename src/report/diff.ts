import { createTwoFilesPatch } from 'diff';
import type { Change } from '../modules/types.js';

/** A change as `--diff` shows it: a unified diff of the content, then attribute changes. */
export function formatChange(change: Change): string {
  const lines: string[] = [];
  const path = change.path ?? '';
  if (change.content) {
    const patch = createTwoFilesPatch(`before: ${path}`, `after: ${path}`, change.content.before, change.content.after, undefined, undefined, { context: 3 });
    // drop the "=====" banner line createTwoFilesPatch starts with
    lines.push(...patch.split('\n').filter((l, i) => !(i === 0 && l.startsWith('==='))).filter((l, i, a) => l !== '' || i < a.length - 1));
  }
  for (const [attr, pair] of Object.entries(change.attrs ?? {})) {
    if (!pair) continue;
    lines.push(`  ${attr}: ${pair[0] ?? '(none)'} -> ${pair[1]}`);
  }
  if (lines.length === 0) lines.push(`  ${change.summary}`);
  return lines.join('\n');
}
