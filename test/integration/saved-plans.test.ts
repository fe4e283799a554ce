import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, workspace } from './harness.js';

const BASE = '/srv/rosey-it/plans';
const playbook = `
- hosts: testbed
  gather_facts: false
  tasks:
    - name: the folder
      file: { path: "${BASE}", state: directory }
    - name: the config
      copy: { content: "version={{ v }}\\n", dest: "${BASE}/app.conf", mode: "0644" }
`;

const read = async (host: string): Promise<string> => (await exec(host, `stat -c %a ${BASE}/app.conf 2>/dev/null; cat ${BASE}/app.conf 2>/dev/null; true`)).stdout;

describe('saved plans: review a dry run, apply exactly it, refuse a host that drifted in between', () => {
  let dir: string;
  let names: string[];
  beforeAll(async () => {
    names = hosts().slice(0, 2).map((h) => h.name);
    dir = workspace({ 'site.yml': playbook });
    await Promise.all(names.map((h) => exec(h, `rm -rf ${BASE}`)));
  });
  const run = (args: string[]) => rosey(args, dir);
  const limit = (): string[] => ['-l', names.join(',')];

  it('--check --out saves every change with its facts and changes nothing; apply makes exactly those changes', async () => {
    const check = await run(['site.yml', '-i', 'inventory', ...limit(), '--check', '--out', 'plan.json', '-e', 'v=1', '--detailed-exitcode']);
    expect(check.code, check.stdout + check.stderr).toBe(3);
    expect(check.stderr).toContain('plan saved to plan.json: 4 changes on 2 hosts');
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { hosts: { host: string; steps: { task: string; facts?: unknown }[] }[]; options: { extraVars: Record<string, unknown> } };
    expect(plan.hosts.map((h) => h.host)).toEqual(names);
    expect(plan.hosts[0]!.steps.map((s) => [s.task, JSON.stringify(s.facts).includes('"exists":false')])).toEqual([['the folder', true], ['the config', true]]);
    expect(plan.options.extraVars).toEqual({ v: '1' });
    for (const h of names) expect(await read(h)).toBe('');

    const apply = await run(['apply', 'plan.json', '--output', 'plain']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    for (const h of names) expect(apply.stderr).toContain(`plan: [${h}] matches the reviewed plan`);
    for (const h of names) expect(await read(h)).toBe('644\nversion=1\n');
  });

  it('a file changed on one host after the review: that host is refused naming the task and the fact, and left as it was', async () => {
    const check = await run(['site.yml', '-i', 'inventory', ...limit(), '--check', '--out', 'plan.json', '-e', 'v=2', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const [ok, drifted] = names as [string, string];
    await exec(drifted, `chmod 600 ${BASE}/app.conf`);

    const apply = await run(['apply', 'plan.json', '--output', 'plain']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(5);
    expect(apply.stderr).toContain(`REFUSED: [${drifted}] task "the config" at site.yml:7:7: fact mode was "0644" when the plan was made, is now "0600"; the host was not touched`);
    expect(await read(drifted)).toBe('600\nversion=1\n');
    expect(await read(ok)).toBe('644\nversion=2\n');
  });

  it('a plan is applied once: applied again, every host has moved on from it and is refused', async () => {
    const again = await run(['apply', 'plan.json']);
    expect(again.code).toBe(5);
    for (const h of names) expect(again.stderr).toMatch(new RegExp(`REFUSED: \\[${h}\\] task "the config" .*: fact (content|mode|sha256)`));
  });

  it('a playbook edited after the review: refused before any host is contacted', async () => {
    const check = await run(['site.yml', '-i', 'inventory', ...limit(), '--check', '--out', 'plan.json', '-e', 'v=3']);
    expect(check.code).toBe(0);
    writeFileSync(join(dir, 'site.yml'), playbook.replace('mode: "0644"', 'mode: "0640"'));
    const apply = await run(['apply', 'plan.json']);
    expect(apply.code).toBe(5);
    expect(apply.stderr).toContain('REFUSED: the playbook site.yml changed since the plan was made');
    expect(apply.stderr).toContain('no host was contacted');
    expect(apply.stderr).not.toContain('verifying');
    writeFileSync(join(dir, 'site.yml'), playbook);
  });

  it('a bad plan file is a clear error (exit 1), not a crash', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"format": "something-else"}');
    const r = await run(['apply', 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.json is not a Rosey plan');
  });
});
