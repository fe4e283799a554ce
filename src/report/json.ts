import type { LineSink } from './batched-out.js';
import { NO_LOG_MESSAGE, type Reporter, type RunEvent } from '../runner/events.js';
import type { ExecCounter } from '../transport/exec-count.js';

/**
 * One JSON object per line per event, for machines. no_log results keep only
 * their status. With an exec counter, each result carries `execs` (remote
 * commands the task ran on that host) and the recap each host's total.
 */
export class JsonReporter implements Reporter {
  constructor(
    private readonly out: LineSink = process.stdout,
    private readonly execs?: ExecCounter,
  ) {}

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
      const execs = this.execs ? { execs: this.execs.take(e.host) } : {};
      this.out.write(JSON.stringify({ event: e.kind, host: e.host, task: e.task.title, module: e.task.module, source: `${e.task.loc.file}:${e.task.loc.line}`, ...visible, ...execs }) + '\n');
      return;
    }
    if (e.kind === 'recap') {
      const execs = this.execs;
      const hosts = execs ? e.hosts.map((h) => ({ ...h, execs: execs.total(h.host) })) : e.hosts;
      this.out.write(JSON.stringify({ event: 'recap', hosts, run: e.record.id, status: e.record.status, ...(e.record.shard ? { shard: e.record.shard } : {}) }) + '\n');
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
