import type { Task } from '../playbook/types.js';
import { joinCmds } from '../transport/quote.js';
import { failure } from './task-executor.js';
import type { HostState } from './host-state.js';
import { mapLimit } from './limit.js';
import { recordResult, rootFor } from './outcome.js';
import { clearPendingCmd, markPendingCmd, pendingFact } from './pending-handlers.js';
import { TOP, type PlayEnv, type PlayRun } from './play-run.js';
import { runTask } from './task-run.js';

/** The names a handler answers to: its own and its `listen:` topics. */
function topicsOf(handler: Task): string[] {
  return [handler.name ?? '', ...handler.listen].filter(Boolean);
}

/** Notify handlers on a host; the mark goes on the host at once (see pending-handlers.ts). */
export async function notify(h: HostState, handlers: string[], env: PlayEnv): Promise<void> {
  handlers.forEach((n) => h.notified.add(n));
  const fresh = handlers.filter((n) => !h.persistedNotify.has(n));
  if (env.options.check || fresh.length === 0) return;
  const conn = await env.connection(h);
  const r = await conn.exec(markPendingCmd(h.name, fresh), { become: rootFor(h.spec) });
  if (r.rc === 0) fresh.forEach((n) => h.persistedNotify.add(n));
  else env.reporter.event({ kind: 'warning', host: h.name, message: `could not record pending handlers on the host: ${r.stderr.trim()}` });
}

/**
 * Run the notified handlers, each once, in the order they are defined; every
 * handler listening to a notified topic runs. A notification is done (and
 * its mark removed) when every handler answering to it ran on that host.
 * With force_handlers, hosts that failed after being notified run them too.
 */
export async function flushHandlers(run: PlayRun, hosts: HostState[], withPending: boolean): Promise<void> {
  const { play, env } = run;
  if (play.handlers.length === 0 || run.stopped) return;
  if (withPending) await takePending(run, hosts);
  const ranOn = new Map<HostState, Set<Task>>(hosts.map((h) => [h, new Set()]));
  const eligible = (h: HostState): boolean => h.active || (play.forceHandlers && !h.unreachable);
  for (const handler of play.handlers) {
    const topics = topicsOf(handler);
    const due = hosts.filter((h) => eligible(h) && topics.some((t) => h.notified.has(t)));
    if (due.length === 0) continue;
    const ran = await runTask(handler, due, { ...TOP, tags: [] }, run, { handler: true, includeFailed: play.forceHandlers });
    ran.forEach((h) => ranOn.get(h)?.add(handler));
  }
  await mapLimit(hosts, env.options.forks, async (h) => {
    const done = [...h.notified].filter((name) => play.handlers.filter((hd) => topicsOf(hd).includes(name)).every((hd) => ranOn.get(h)?.has(hd)));
    done.forEach((name) => h.notified.delete(name));
    const marked = done.filter((t) => h.persistedNotify.has(t));
    if (marked.length === 0 || env.options.check) return;
    const conn = await env.connection(h);
    await conn.exec(joinCmds(marked.map((m) => clearPendingCmd(h.name, m)), ';'), { become: rootFor(h.spec) });
    marked.forEach((t) => h.persistedNotify.delete(t));
  });
}

/**
 * Marks an earlier run left on the host become notifications of this play's
 * handlers. gather_facts brought them already; without it they are read here,
 * once per run.
 */
async function takePending(run: PlayRun, hosts: HostState[]): Promise<void> {
  const { play, env } = run;
  const live = hosts.filter((h) => h.active);
  await mapLimit(live.filter((h) => !h.pendingOnHost), env.options.forks, async (h) => {
    try {
      const conn = await env.connection(h);
      // they come with the run lock, taken with the host's first command
      if (h.pendingOnHost) return;
      const fact = pendingFact(h.name);
      h.pendingOnHost = fact.parse((await conn.exec(fact.command)).stdout);
    } catch (err) {
      recordResult(h, { title: 'pending handlers', module: 'setup', loc: play.loc, noLog: false, handler: true }, failure(err, false));
    }
  });
  const topics = play.handlers.flatMap(topicsOf);
  for (const h of live) {
    for (const name of [...(h.pendingOnHost ?? [])].filter((n) => topics.includes(n))) {
      h.notified.add(name);
      h.persistedNotify.add(name);
      h.pendingOnHost!.delete(name);
    }
  }
}
