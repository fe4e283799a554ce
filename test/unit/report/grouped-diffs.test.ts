import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/journal/record.js';
import { DiffCollector, diffsMarkdown } from '../../../src/report/markdown-diffs.js';
import { PlainReporter } from '../../../src/report/plain.js';
import { recapMarkdown } from '../../../src/report/recap.js';
import type { RunEvent } from '../../../src/runner/events.js';
import { project } from '../runner/fake-host.js';
import { runPlay } from '../runner/run-play.js';

const HOSTS = ['web1', 'web2', 'web3'];
const ITEMS = Array.from({ length: 12 }, (_, i) => `bot${i + 1}`);

/**
 * The issue's case, for real: one template line changed in a 12-item loop on
 * 3 hosts (local connections, each host its own directory). Before grouping,
 * --check --diff printed 36 near-identical diffs.
 */
async function fleetCheck(): Promise<RunEvent[]> {
  const dir = project({
    'hosts.yml': `all:\n  vars: {ansible_connection: local}\n  hosts:\n${HOSTS.map((h) => `    ${h}: {}\n`).join('')}`,
    'bot.conf.hbs': 'name=rosey\nport=8001\ntimeout=3\n',
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: bot config',
      `      template: {src: bot.conf.hbs, dest: "${'{{ playbook_dir }}'}/out/{{ inventory_hostname }}/{{ item }}.conf"}`,
      `      loop: ${JSON.stringify(ITEMS)}`,
      '',
    ].join('\n'),
  });
  for (const h of HOSTS) {
    mkdirSync(join(dir, 'out', h), { recursive: true });
    for (const i of ITEMS) writeFileSync(join(dir, 'out', h, `${i}.conf`), 'name=rosey\nport=8000\ntimeout=3\n');
  }
  const r = await runPlay(join(dir, 'site.yml'), join(dir, 'hosts.yml'), ['--check', '--diff', '--forks', '1']);
  expect(r.rc).toBe(0);
  return r.events;
}

function printed(events: RunEvent[]): Promise<string> {
  let text = '';
  const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  const reporter = new PlainReporter(out);
  events.forEach((e) => reporter.event(e));
  return reporter.close().then(() => text);
}

describe('a fleet-sized --check --diff reads like one', () => {
  it('the same change on 3 hosts x 12 items prints once, naming the hosts, after a one-line summary', async () => {
    const text = await printed(await fleetCheck());
    expect(text.match(/^@@ /gm)).toHaveLength(1);
    expect(text.match(/^-port=8000$/gm)).toHaveLength(1);
    expect(text.match(/^\+port=8001$/gm)).toHaveLength(1);
    expect(text).toContain('DIFF [bot config]: 36 changes would be made on 3 hosts, 12 items; 1 distinct diff');
    expect(text).toMatch(/^--- would change on 3 hosts \[web1, web2, web3\]: 36 paths: .*\/out\/web1\/bot1\.conf, .*… \(\+32\) \(12 items\)$/m);
  });

  it('in --check a host line says "would change", and a 12-item loop is one line per host', async () => {
    const text = await printed(await fleetCheck());
    expect(text).not.toMatch(/^changed: /m);
    for (const h of HOSTS) expect(text).toContain(`would change: [${h}] => 12 items: 12 would change`);
    expect(text).not.toContain('(item=bot1)');
  });

  it('the Markdown summary groups the same way: one diff block, hosts named once', async () => {
    const events = await fleetCheck();
    const collector = new DiffCollector();
    events.forEach((e) => collector.event(e));
    await collector.close();
    const md = diffsMarkdown(collector.tasks);
    expect(md.match(/^```diff$/gm)).toHaveLength(1);
    expect(md).toContain('DIFF [bot config]: 36 changes would be made on 3 hosts, 12 items; 1 distinct diff');
    expect(md).toContain('**would change on 3 hosts [web1, web2, web3]');
  });

  it('different changes stay apart: each distinct diff once, with its own hosts', async () => {
    const events: RunEvent[] = ['a', 'b', 'c'].map((host) => ({
      kind: 'host-result',
      host,
      diff: true,
      check: false,
      task: { title: 'conf', module: 'copy', loc: { file: 'site.yml', line: 3, column: 7 }, noLog: false, handler: false },
      result: { status: 'changed', output: {}, changes: [{ action: 'update', summary: 'update /etc/x', path: '/etc/x', content: { before: 'v=1\n', after: host === 'c' ? 'v=3\n' : 'v=2\n' }, data: {} }] },
    }));
    const text = await printed(events);
    expect(text.match(/^@@ /gm)).toHaveLength(2);
    expect(text).toContain('--- changed on 2 hosts [a, b]: /etc/x');
    expect(text).toContain('--- changed on [c]: /etc/x');
    expect(text).toContain('changed: [a]');
  });
});

describe('the Markdown recap', () => {
  const task = { name: 'bot : config', module: 'template', status: 'changed' as const, source: 'roles/bot/tasks/main.yml:3:7', changes: ITEMS.map((i) => `update /etc/bot/${i}.conf`) };
  const record: RunRecord = {
    id: 'r1',
    environment: 'test',
    playbook: 'playbooks/site.yml',
    user: 'ci',
    check: true,
    startedAt: '2026-11-27T00:00:00Z',
    status: 'ok',
    hosts: HOSTS.map((host) => ({ host, status: 'changed', counts: { ok: 1, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, tasks: [task], backups: [] })),
  };

  it('one line per distinct task result, naming the hosts; "would change" in --check; many changes summarized', () => {
    const md = recapMarkdown(record);
    const lines = md.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual(['- `web1`, `web2`, `web3` would change: bot : config (12 changes: update /etc/bot/bot1.conf, update /etc/bot/bot2.conf, update /etc/bot/bot3.conf, … (+9))']);
  });
});
