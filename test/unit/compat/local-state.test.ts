import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PENDING_DIR } from '../../../src/runner/pending-handlers.js';
import { project } from '../runner/fake-host.js';
import { runPlay } from '../runner/run-play.js';

/**
 * Several inventory hosts with ansible_connection: local are one machine:
 * Rosey's state on it (pending handler marks) is kept per inventory host, so
 * one host's pending restart is not another's. Real local connections; the
 * marks go to /var/lib/rosey, so this runs as root (as the testbed does).
 */
const tag = `t${process.pid}`;
const [a, b] = [`${tag}-a`, `${tag}-b`];
const inventory = `all:\n  vars: {ansible_connection: local}\n  hosts:\n    ${a}: {}\n    ${b}: {}\n`;
const handlers = `  handlers:\n    - {name: restart ${tag}, command: "true"}\n`;

afterAll(() => [a, b].forEach((h) => rmSync(join(PENDING_DIR, h), { recursive: true, force: true })));

describe.skipIf(process.getuid?.() !== 0)('on-host state of local-connection hosts', () => {
  it('a pending handler mark left by one inventory host is taken up by that host only', async () => {
    const dir = project({
      'hosts.yml': inventory,
      'break.yml': `- hosts: ${a}\n  gather_facts: false\n  tasks:\n    - {name: config, command: "true", notify: restart ${tag}}\n    - {name: dies, command: "false"}\n${handlers}`,
      'other.yml': `- hosts: ${b}\n  gather_facts: false\n  tasks: []\n${handlers}`,
      'same.yml': `- hosts: ${a}\n  gather_facts: false\n  tasks: []\n${handlers}`,
    });
    const first = await runPlay(join(dir, 'break.yml'), join(dir, 'hosts.yml'));
    expect(first.rc).toBe(2);
    expect(existsSync(join(PENDING_DIR, a, encodeURIComponent(`restart ${tag}`)))).toBe(true);
    const other = await runPlay(join(dir, 'other.yml'), join(dir, 'hosts.yml'));
    expect(other.ran[b]).toBeUndefined();
    const same = await runPlay(join(dir, 'same.yml'), join(dir, 'hosts.yml'));
    expect(same.ran[a]).toEqual([`changed restart ${tag}`]);
    expect(existsSync(join(PENDING_DIR, a, encodeURIComponent(`restart ${tag}`)))).toBe(false);
  });
});
