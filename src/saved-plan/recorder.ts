import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { Change } from '../modules/types.js';
import { formatChange } from '../report/diff.js';
import type { Reporter, RunEvent, TaskResult } from '../runner/events.js';
import { formatLoc } from '../errors/diagnostic.js';
import { getModule } from '../modules/registry.js';
import { canonicalJson } from './canonical.js';
import type { PlanChange, PlanHost, PlanStep } from './format.js';

type HostResult = Extract<RunEvent, { kind: 'host-result' }>;

function planChange(c: Change, hidden: boolean): PlanChange {
  if (hidden) return { action: c.action, summary: '(hidden: no_log)' };
  return { action: c.action, summary: c.summary, ...(c.path ? { path: c.path } : {}), diff: formatChange(c) };
}

export function factsDigest(facts: unknown): string {
  return createHash('sha256').update(canonicalJson(facts)).digest('hex');
}

/** The facts a plan keeps: without the fields the module says change on their own. */
function stable(module: string, facts: unknown): unknown {
  const volatile = getModule(module)?.volatileFacts;
  if (!volatile?.length || facts === null || typeof facts !== 'object' || Array.isArray(facts)) return facts;
  return Object.fromEntries(Object.entries(facts).filter(([k]) => !volatile.includes(k)));
}

/** One step: a task (or one loop item of it) on one host. */
function step(e: HostResult, r: TaskResult, item?: string): PlanStep {
  const hidden = e.task.noLog;
  const kept = stable(e.task.module, r.facts);
  const facts = kept === undefined ? {} : hidden ? { factsDigest: factsDigest(kept) } : { facts: kept };
  return {
    task: e.task.title,
    // relative: the plan is applied from another checkout of the same repository (CI's next job)
    source: formatLoc({ ...e.task.loc, file: relative(process.cwd(), e.task.loc.file) || e.task.loc.file }),
    handler: e.task.handler,
    ...(item !== undefined ? { item: hidden ? '(hidden)' : item } : {}),
    status: r.status,
    ...facts,
    changes: r.changes.map((c) => planChange(c, hidden)),
  };
}

/**
 * Every step of a run per host, in the order each host ran them, as a
 * reporter: it sits behind the masking reporter like the printers, so what it
 * keeps is what people may see. A loop is one step per item.
 */
export class PlanRecorder implements Reporter {
  private readonly byHost = new Map<string, PlanStep[]>();

  event(e: RunEvent): void {
    if (e.kind !== 'host-result') return;
    let steps = this.byHost.get(e.host);
    if (!steps) this.byHost.set(e.host, (steps = []));
    const items = e.result.items;
    if (items?.length) for (const it of items) steps.push(step(e, it.result, it.label));
    else steps.push(step(e, e.result));
  }

  hosts(): PlanHost[] {
    // by name: results arrive in the order hosts answered, a plan reads the same every time
    return [...this.byHost].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([host, steps]) => ({ host, steps }));
  }

  async close(): Promise<void> {}
}
