import type { RunEvent, TaskInfo } from '../runner/events.js';
import { NO_LOG_MESSAGE } from '../runner/events.js';
import { formatGroups, type ChangeAt } from './group.js';

/** One task's changes with --diff, from every host. */
export interface HeldDiffs {
  title: string;
  check: boolean;
  /** no_log: nothing of the changes may be shown */
  hidden: boolean;
  entries: ChangeAt[];
}

type HostResult = Extract<RunEvent, { kind: 'host-result' }>;

/**
 * A task's diffs, held until every host has reported, then printed grouped
 * (the runner finishes a task on all hosts before the next task-start).
 */
export class DiffBuffer {
  private task: TaskInfo | undefined;
  private check = false;
  private hidden = false;
  private entries: ChangeAt[] = [];

  /** Keep a result's changes when --diff shows them. */
  add(e: HostResult): void {
    const r = e.result;
    if (!e.diff || r.changes.length === 0 || !(r.status === 'changed' || e.check)) return;
    this.task = e.task;
    this.check = e.check;
    if (e.task.noLog) {
      this.hidden = true;
      return;
    }
    const items = r.items ?? [];
    if (items.length === 0) r.changes.forEach((change) => this.entries.push({ host: e.host, change }));
    else for (const it of items) it.result.changes.forEach((change) => this.entries.push({ host: e.host, item: it.label, change }));
  }

  /** The held task's diffs (undefined when there are none), and a fresh buffer. */
  takeTask(): HeldDiffs | undefined {
    const held = this.task ? { title: this.task.title, check: this.check, hidden: this.hidden, entries: this.entries } : undefined;
    this.task = undefined;
    this.hidden = false;
    this.entries = [];
    return held;
  }

  /** The held diffs as lines (empty when there are none), and a fresh buffer. */
  take(): string[] {
    const held = this.takeTask();
    if (!held) return [];
    return held.hidden ? [`  ${NO_LOG_MESSAGE}`] : formatGroups(held.title, held.entries, held.check);
  }
}
