import type { Writable } from 'node:stream';
import { NO_LOG_MESSAGE, type Reporter, type RunEvent } from '../runner/events.js';

/** One JSON object per line per event, for machines. no_log results keep only their status. */
export class JsonReporter implements Reporter {
  constructor(private readonly out: Writable = process.stdout) {}

  event(e: RunEvent): void {
    if (e.kind === 'host-result') {
      const r = e.result;
      const visible = e.task.noLog
        ? { status: r.status, msg: NO_LOG_MESSAGE }
        : {
            status: r.status,
            msg: r.msg,
            ignored: r.ignored,
            changes: r.changes.map((c) => ({ action: c.action, summary: c.summary, path: c.path, ...(e.diff ? { content: c.content, attrs: c.attrs } : {}) })),
            items: r.items?.map((i) => ({ item: i.label, status: i.result.status, msg: i.result.msg })),
          };
      this.out.write(JSON.stringify({ event: e.kind, host: e.host, task: e.task.title, module: e.task.module, source: `${e.task.loc.file}:${e.task.loc.line}`, ...visible }) + '\n');
      return;
    }
    if (e.kind === 'recap') {
      this.out.write(JSON.stringify({ event: 'recap', hosts: e.hosts, run: e.record.id, status: e.record.status }) + '\n');
      return;
    }
    if (e.kind === 'task-start') {
      this.out.write(JSON.stringify({ event: e.kind, task: e.task.title, module: e.task.module, hosts: e.hosts }) + '\n');
      return;
    }
    this.out.write(JSON.stringify({ event: e.kind, ...e, kind: undefined }) + '\n');
  }

  async close(): Promise<void> {}
}
