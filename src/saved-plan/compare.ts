import { canonicalJson } from './canonical.js';
import type { PlanHost, PlanStep } from './format.js';
import { factsDigest } from './recorder.js';

/** Why a host no longer matches its reviewed plan. */
export type Drift =
  | { kind: 'fact'; step: PlanStep; fact: string; was: string; now: string }
  | { kind: 'changes'; step: PlanStep; was: string[]; now: string[] }
  | { kind: 'steps'; step?: PlanStep; now?: PlanStep }
  | { kind: 'host'; reason: string };

const SHOWN = 80;

function show(v: unknown): string {
  const text = v === undefined ? '(absent)' : typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v);
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}… (${text.length} chars)` : text;
}

/** The first place two fact values differ, as a dotted path ("mode", "units.nginx.active"). */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; was: unknown; now: unknown } | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  const objects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!objects) return { path: path || '(the whole fact)', was: a, now: b };
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
    const d = firstDifference(ra[k], rb[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return { path: path || '(the whole fact)', was: a, now: b };
}

function sameStep(a: PlanStep, b: PlanStep): boolean {
  return a.source === b.source && a.item === b.item && a.handler === b.handler;
}

function changeKeys(s: PlanStep): string[] {
  return s.changes.map((c) => canonicalJson([c.action, c.summary, c.path, c.diff]));
}

/** A fresh step against its saved one: facts first (that is what drifted on the host), then the changes planned from them. */
function compareStep(saved: PlanStep, fresh: PlanStep): Drift | undefined {
  if (saved.factsDigest !== undefined || fresh.factsDigest !== undefined) {
    const now = fresh.factsDigest ?? factsDigest(fresh.facts);
    if (saved.factsDigest !== now) return { kind: 'fact', step: saved, fact: '(hidden: no_log)', was: 'one value', now: 'another' };
  } else {
    const d = firstDifference(saved.facts, fresh.facts);
    if (d) return { kind: 'fact', step: saved, fact: d.path, was: show(d.was), now: show(d.now) };
  }
  const [was, now] = [changeKeys(saved), changeKeys(fresh)];
  if (canonicalJson(was) !== canonicalJson(now) || saved.status !== fresh.status) {
    return { kind: 'changes', step: saved, was: saved.changes.map((c) => c.summary), now: fresh.changes.map((c) => c.summary) };
  }
  return undefined;
}

/**
 * Does a host's fresh dry run match the reviewed one, step by step? Returns
 * the first drift, or undefined when the apply would make exactly the
 * reviewed changes: plan() is pure, so equal facts and equal arguments give
 * equal changes.
 */
export function compareHost(saved: PlanHost | undefined, fresh: PlanHost | undefined): Drift | undefined {
  if (!saved) return { kind: 'host', reason: 'the host is not in the reviewed plan' };
  if (!fresh) return { kind: 'host', reason: 'the host was not reached by the verifying dry run' };
  const n = Math.max(saved.steps.length, fresh.steps.length);
  for (let i = 0; i < n; i++) {
    const [s, f] = [saved.steps[i], fresh.steps[i]];
    if (!s || !f || !sameStep(s, f)) return { kind: 'steps', step: s, now: f };
    const d = compareStep(s, f);
    if (d) return d;
  }
  return undefined;
}

function where(s: PlanStep): string {
  return `task "${s.task}"${s.item !== undefined ? ` (item=${s.item})` : ''} at ${s.source}`;
}

/** The refusal as people read it: the task, the fact, what it was at review and what it is now. */
export function describeDrift(d: Drift): string {
  switch (d.kind) {
    case 'fact':
      return `${where(d.step)}: fact ${d.fact} was ${d.was} when the plan was made, is now ${d.now}`;
    case 'changes':
      return `${where(d.step)}: same facts, other changes (the playbook or its variables changed since the plan): planned [${d.was.join('; ')}], now [${d.now.join('; ')}]`;
    case 'steps':
      return d.step && d.now
        ? `the run now reaches ${where(d.now)} where the plan had ${where(d.step)}`
        : d.step
          ? `the plan continues with ${where(d.step)}, the run now stops before it`
          : `the run now also runs ${where(d.now!)}`;
    case 'host':
      return d.reason;
  }
}
