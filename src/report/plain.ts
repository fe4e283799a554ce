import type { LineSink } from './batched-out.js';
import { NO_LOG_MESSAGE as NO_LOG, type Reporter, type RunEvent, type TaskResult } from '../runner/events.js';
import { DiffBuffer } from './diff-buffer.js';
import { recapLines } from './recap.js';

/** Above this many loop items a host gets one summary line (and a line per failed item), not a line per item. */
export const ITEM_LINES = 5;

function banner(text: string): string {
  return `\n${text} ${'*'.repeat(Math.max(3, 72 - text.length))}`;
}

/** What a result is called; in --check a change is a prediction and says so ("would change", "would run"). */
export function statusWord(r: TaskResult, check: boolean): string {
  if (r.status === 'failed') return r.ignored ? 'failed (ignored)' : 'fatal';
  if (r.status === 'skipped') return 'skipping';
  if (r.status === 'changed' && check) return r.msg?.startsWith('would ') ? r.msg : 'would change';
  return r.status;
}

/** "12 items: 10 would change, 2 ok": a loop on one host in one line. */
export function itemsSummary(items: readonly { result: TaskResult }[], check: boolean): string {
  const counts = new Map<string, number>();
  for (const it of items) {
    const word = statusWord(it.result, check);
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return `${items.length} items: ${[...counts].map(([w, n]) => `${n} ${w}`).join(', ')}`;
}

/** Ansible-style lines, for CI logs and pipes. */
export class PlainReporter implements Reporter {
  private readonly diffs = new DiffBuffer();

  constructor(private readonly out: LineSink = process.stdout) {}

  private print(text: string): void {
    this.out.write(text + '\n');
  }

  private flush(): void {
    this.diffs.take().forEach((l) => this.print(l));
  }

  event(e: RunEvent): void {
    switch (e.kind) {
      case 'run-start':
        this.print(`rosey-apply run ${e.runId}${e.check ? ' (check mode: nothing will be changed)' : ''}`);
        return;
      case 'play-start':
        this.flush();
        this.print(banner(`PLAY [${e.name}]`));
        return;
      case 'no-hosts':
        this.print('skipping: no hosts matched');
        return;
      case 'task-start':
        this.flush();
        this.print(banner(`${e.task.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task.title}]`));
        return;
      case 'host-result':
        this.hostResult(e);
        return;
      case 'warning':
        this.print(`[WARNING]${e.host ? ` [${e.host}]` : ''}: ${e.message}`);
        return;
      case 'recap':
        this.flush();
        this.print(banner('PLAY RECAP'));
        recapLines(e.hosts).forEach((l) => this.print(l));
        return;
    }
  }

  private hostResult(e: Extract<RunEvent, { kind: 'host-result' }>): void {
    const r = e.result;
    const items = r.items ?? [];
    const label = (l: string): string => (e.task.noLog ? '(hidden)' : l);
    if (items.length > ITEM_LINES) {
      this.print(`${statusWord(r, e.check)}: [${e.host}] => ${itemsSummary(items, e.check)}`);
      for (const it of items) if (it.result.status === 'failed' || it.result.status === 'unreachable') this.print(`${statusWord(it.result, e.check)}: [${e.host}] => (item=${label(it.label)})`);
    } else {
      for (const it of items) this.print(`${statusWord(it.result, e.check)}: [${e.host}] => (item=${label(it.label)})`);
    }
    const msg = e.task.noLog && r.msg ? NO_LOG : r.msg;
    const tail = r.status === 'failed' || r.status === 'unreachable' ? `: ${r.status === 'unreachable' ? 'UNREACHABLE!' : 'FAILED!'} => ${msg ?? ''}` : '';
    if (items.length <= ITEM_LINES) this.print(`${statusWord(r, e.check)}: [${e.host}]${tail}`);
    else if (tail) this.print(`${statusWord(r, e.check)}: [${e.host}]${tail}`);
    if (r.status === 'ok' && r.display !== undefined) this.print(`  msg: ${e.task.noLog ? NO_LOG : r.display}`);
    if (r.ignored) this.print('...ignoring');
    this.diffs.add(e);
  }

  async close(): Promise<void> {
    this.flush();
  }
}
