import { createTwoFilesPatch } from 'diff';
import type { Change } from '../modules/types.js';

/** The content and attribute lines of a change, without the file header: equal bodies are the same change. */
export function changeBody(change: Change): string[] {
  const lines: string[] = [];
  if (change.content) {
    const patch = createTwoFilesPatch('before', 'after', change.content.before, change.content.after, undefined, undefined, { context: 3 });
    // keep the hunks only: the "=====" banner and the ---/+++ header name the file, which a group names itself
    const hunks = patch.split('\n');
    const first = hunks.findIndex((l) => l.startsWith('@@'));
    lines.push(...(first < 0 ? [] : hunks.slice(first)).filter((l, i, a) => l !== '' || i < a.length - 1));
  }
  for (const [attr, pair] of Object.entries(change.attrs ?? {})) {
    if (!pair) continue;
    lines.push(`  ${attr}: ${pair[0] ?? '(none)'} -> ${pair[1]}`);
  }
  if (lines.length === 0) lines.push(`  ${change.summary}`);
  return lines;
}

/** A change as `--diff` shows it: a unified diff of the content, then attribute changes. */
export function formatChange(change: Change): string {
  const path = change.path ?? '';
  const header = change.content ? [`--- before: ${path}`, `+++ after: ${path}`] : [];
  return [...header, ...changeBody(change)].join('\n');
}
