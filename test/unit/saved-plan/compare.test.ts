import { describe, expect, it } from 'vitest';
import { compareHost, describeDrift, firstDifference } from '../../../src/saved-plan/compare.js';
import type { PlanHost, PlanStep } from '../../../src/saved-plan/format.js';
import { factsDigest } from '../../../src/saved-plan/recorder.js';

function aStep(over: Partial<PlanStep> = {}): PlanStep {
  return { task: 'conf', source: 'site.yml:4:7', handler: false, status: 'changed', facts: { state: { exists: true, mode: '0644', sha256: 'aa' } }, changes: [{ action: 'update', summary: 'update /etc/x', path: '/etc/x', diff: '-a\n+b' }], ...over };
}
const host = (...steps: PlanStep[]): PlanHost => ({ host: 'web1', steps });

describe('comparing a fresh dry run with the reviewed plan', () => {
  it('equal facts and changes match, whatever order the fact keys came in', () => {
    const fresh = aStep({ facts: { state: { sha256: 'aa', mode: '0644', exists: true } } });
    expect(compareHost(host(aStep()), host(fresh))).toBeUndefined();
  });

  it('a changed fact names the task, the fact path and both values', () => {
    const d = compareHost(host(aStep()), host(aStep({ facts: { state: { exists: true, mode: '0600', sha256: 'aa' } } })));
    expect(describeDrift(d!)).toBe('task "conf" at site.yml:4:7: fact state.mode was "0644" when the plan was made, is now "0600"');
  });

  it('same facts but other changes: the playbook or its variables moved', () => {
    const d = compareHost(host(aStep()), host(aStep({ changes: [{ action: 'update', summary: 'update /etc/x', path: '/etc/x', diff: '-a\n+c' }] })));
    expect(d?.kind).toBe('changes');
  });

  it('a different path through the playbook, a missing step, a host that is not in the plan', () => {
    expect(compareHost(host(aStep()), host(aStep({ source: 'site.yml:9:7' })))?.kind).toBe('steps');
    expect(describeDrift(compareHost(host(aStep(), aStep({ task: 'next' })), host(aStep()))!)).toContain('the plan continues with task "next"');
    expect(describeDrift(compareHost(undefined, host(aStep()))!)).toBe('the host is not in the reviewed plan');
  });

  it('no_log steps compare digests and never show values', () => {
    const hidden = (facts: unknown): PlanStep => aStep({ facts: undefined, factsDigest: factsDigest(facts) });
    expect(compareHost(host(hidden({ a: 1 })), host(hidden({ a: 1 })))).toBeUndefined();
    const d = compareHost(host(hidden({ a: 1 })), host(hidden({ a: 2 })));
    expect(describeDrift(d!)).toBe('task "conf" at site.yml:4:7: fact (hidden: no_log) was one value when the plan was made, is now another');
  });

  it('firstDifference walks into objects and arrays, sorted, and shortens long values', () => {
    expect(firstDifference({ a: { b: [1, 2] } }, { a: { b: [1, 3] } })?.path).toBe('a.b.1');
    expect(firstDifference({ x: 1 }, { x: 1 })).toBeUndefined();
    const long = describeDrift(compareHost(host(aStep({ facts: { c: 'x'.repeat(200) } })), host(aStep({ facts: { c: 'y' } })))!);
    expect(long).toContain('… (202 chars)');
  });
});
