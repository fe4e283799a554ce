import { Listr } from 'listr2';
import type { Reporter, RunEvent, TaskResult } from '../runner/events.js';
import { DiffBuffer } from './diff-buffer.js';
import { statusWord } from './plain.js';
import { recapLines } from './recap.js';

type Deferred = { promise: Promise<TaskResult>; resolve(r: TaskResult): void };

function deferred(): Deferred {
  let resolve!: (r: TaskResult) => void;
  const promise = new Promise<TaskResult>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A live task list on a terminal (listr2). The runner stays in charge of
 * scheduling: each TASK becomes a list whose host rows wait for the
 * runner's results; this class only draws them, one task after another.
 */
export class TtyReporter implements Reporter {
  private chain: Promise<void> = Promise.resolve();
  private pending = new Map<string, Deferred>();
  private readonly diffs = new DiffBuffer();
  private check = false;

  /** The finished task's diffs, grouped across hosts and items, after its list. */
  private flush(): void {
    const lines = this.diffs.take();
    if (lines.length) this.queue(() => console.log(lines.join('\n')));
  }

  // not named `then`: that would make the reporter a thenable, and the
  // `await` that receives it (src/cli/apply.ts) would take it for a promise
  private queue(fn: () => Promise<void> | void): void {
    this.chain = this.chain.then(fn, fn);
  }

  event(e: RunEvent): void {
    switch (e.kind) {
      case 'run-start':
        this.check = e.check;
        this.queue(() => console.log(`rosey-apply run ${e.runId}${e.check ? ' (check mode: nothing will be changed)' : ''}`));
        return;
      case 'play-start':
        this.queue(() => console.log(`\nPLAY [${e.name}]`));
        return;
      case 'no-hosts':
        this.queue(() => console.log('  no hosts matched'));
        return;
      case 'task-start':
        this.flush();
        this.taskStart(e);
        return;
      case 'host-result':
        this.pending.get(e.host)?.resolve(e.result);
        this.diffs.add(e);
        return;
      case 'warning':
        this.queue(() => console.log(`[WARNING]${e.host ? ` [${e.host}]` : ''}: ${e.message}`));
        return;
      case 'recap':
        this.flush();
        this.queue(() => {
          console.log('\nPLAY RECAP');
          recapLines(e.hosts).forEach((l) => console.log(l));
        });
        return;
    }
  }

  private taskStart(e: Extract<RunEvent, { kind: 'task-start' }>): void {
    const rows = new Map(e.hosts.map((h) => [h, deferred()]));
    const check = this.check;
    this.pending = rows;
    const list = new Listr(
      [
        {
          title: `${e.task.handler ? 'HANDLER' : 'TASK'} [${e.task.title}]`,
          task: (_ctx, t) =>
            t.newListr(
              [...rows].map(([host, d]) => ({
                title: host,
                task: async (_c, st) => {
                  const r = await d.promise;
                  const msg = r.msg && (r.status === 'failed' || r.status === 'unreachable') ? `: ${e.task.noLog ? 'hidden (no_log)' : r.msg}` : '';
                  st.title = `${r.status === 'changed' ? statusWord(r, check) : r.ignored ? 'failed (ignored)' : r.status}: ${host}${msg}`;
                  if (r.status === 'skipped') st.skip(st.title);
                  else if ((r.status === 'failed' && !r.ignored) || r.status === 'unreachable') throw new Error(st.title);
                },
              })),
              { concurrent: true, exitOnError: false },
            ),
        },
      ],
      { exitOnError: false, rendererOptions: { collapseSubtasks: false, collapseErrors: false } },
    );
    this.queue(() => list.run().then(() => undefined));
  }

  async close(): Promise<void> {
    this.flush();
    await this.chain;
  }
}
