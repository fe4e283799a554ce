import type { Reporter, RunEvent } from '../runner/events.js';
import { NO_LOG_MESSAGE } from '../runner/events.js';
import { DiffBuffer, type HeldDiffs } from './diff-buffer.js';
import { groupChanges, groupHeader, taskSummary } from './group.js';

/** GitHub cuts a job summary at 1 MiB: the diffs stop well before. */
const MAX_CHARS = 256 * 1024;

/** Collects every task's --diff changes (masked: it sits behind the masking reporter) for the Markdown summary. */
export class DiffCollector implements Reporter {
  private readonly buffer = new DiffBuffer();
  readonly tasks: HeldDiffs[] = [];

  event(e: RunEvent): void {
    if (e.kind === 'host-result') this.buffer.add(e);
    else if (e.kind === 'task-start' || e.kind === 'play-start' || e.kind === 'recap') this.keep();
  }

  private keep(): void {
    const held = this.buffer.takeTask();
    if (held) this.tasks.push(held);
  }

  async close(): Promise<void> {
    this.keep();
  }
}

/** A fence that the diff text cannot close. */
function fence(body: string[]): string {
  const longest = Math.max(2, ...body.map((l) => /^`+/.exec(l)?.[0].length ?? 0));
  return '`'.repeat(longest + 1);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function taskMarkdown(t: HeldDiffs): string[] {
  if (t.hidden) return [`<details><summary>${escapeHtml(t.title)}</summary>`, '', NO_LOG_MESSAGE, '', '</details>', ''];
  const groups = groupChanges(t.entries);
  const out = [`<details><summary>${escapeHtml(taskSummary(t.title, t.entries, groups, t.check))}</summary>`, ''];
  for (const g of groups) {
    const f = fence(g.body);
    out.push(`**${groupHeader(g, t.check)}**`, '', `${f}diff`, ...g.body, f, '');
  }
  return [...out, '</details>', ''];
}

/** The run's diffs as Markdown: one collapsed section per task, each distinct change once. */
export function diffsMarkdown(tasks: readonly HeldDiffs[]): string {
  if (tasks.length === 0) return '';
  const out: string[] = ['#### Changes', ''];
  let size = 0;
  for (const [i, t] of tasks.entries()) {
    const lines = taskMarkdown(t);
    size += lines.reduce((n, l) => n + l.length + 1, 0);
    if (size > MAX_CHARS) {
      out.push(`(${tasks.length - i} more tasks with changes left out: the summary would be too long; run with --diff to see them)`, '');
      break;
    }
    out.push(...lines);
  }
  return out.join('\n');
}
