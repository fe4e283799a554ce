import type { Writable } from 'node:stream';
import { NO_LOG_MESSAGE as NO_LOG, type Reporter, type RunEvent, type TaskResult } from '../runner/events.js';
import { formatChange } from './diff.js';
import { recapLines } from './recap.js';

function banner(text: string): string {
  return `\n${text} ${'*'.repeat(Math.max(3, 72 - text.length))}`;
}

function statusWord(r: TaskResult): string {
  if (r.status === 'failed') return r.ignored ? 'failed (ignored)' : 'fatal';
  if (r.status === 'skipped') return 'skipping';
  return r.status;
}

/** Ansible-style lines, for CI logs and pipes. */
export class PlainReporter implements Reporter {
  constructor(private readonly out: Writable = process.stdout) {}

  private print(text: string): void {
    this.out.write(text + '\n');
  }

  event(e: RunEvent): void {
    switch (e.kind) {
      case 'run-start':
        this.print(`rosey-apply run ${e.runId}${e.check ? ' (check mode: nothing will be changed)' : ''}`);
        return;
      case 'play-start':
        this.print(banner(`PLAY [${e.name}]`));
        return;
      case 'no-hosts':
        this.print('skipping: no hosts matched');
        return;
      case 'task-start':
        this.print(banner(`${e.task.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task.title}]`));
        return;
      case 'host-result':
        this.hostResult(e);
        return;
      case 'warning':
        this.print(`[WARNING]${e.host ? ` [${e.host}]` : ''}: ${e.message}`);
        return;
      case 'recap':
        this.print(banner('PLAY RECAP'));
        recapLines(e.hosts).forEach((l) => this.print(l));
        return;
    }
  }

  private hostResult(e: Extract<RunEvent, { kind: 'host-result' }>): void {
    const r = e.result;
    const items = r.items ?? [];
    for (const it of items) this.print(`${statusWord(it.result)}: [${e.host}] => (item=${e.task.noLog ? '(hidden)' : it.label})`);
    const msg = e.task.noLog && r.msg ? NO_LOG : r.msg;
    // in --check a change is a prediction: say so ("would run", "would change")
    const predicted = e.check && r.status === 'changed' && msg ? ` (${msg})` : '';
    const tail = r.status === 'failed' || r.status === 'unreachable' ? `: ${r.status === 'unreachable' ? 'UNREACHABLE!' : 'FAILED!'} => ${msg ?? ''}` : predicted;
    this.print(`${statusWord(r)}: [${e.host}]${tail}`);
    if (r.status === 'ok' && r.display !== undefined) this.print(`  msg: ${e.task.noLog ? NO_LOG : r.display}`);
    if (r.ignored) this.print('...ignoring');
    if (e.diff && r.changes.length && (r.status === 'changed' || e.check)) {
      if (e.task.noLog) this.print(`  ${NO_LOG}`);
      else r.changes.forEach((c) => this.print(formatChange(c)));
    }
  }

  async close(): Promise<void> {}
}
