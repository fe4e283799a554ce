import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allBlocks, ROOT, runBlock, shimDir } from '../unit/docs/doc-blocks.js';
import { hosts } from './testbed.js';

/**
 * Every ```sh testbed block of README.md and docs/*.md, run against the
 * testbed as the docs show it: from a copy of the repository (symlinks)
 * whose inventory/local names this testbed's hosts rosey-t1..3, with the
 * local inventory's groups, group_vars and example vault password.
 */
const LOCAL_GROUPS: Record<string, number[]> = { testbed: [1, 2, 3], bots: [1, 2], monitoring: [3], dashboard: [3] };

function localInventory(): string {
  const list = hosts();
  const lines = ['all:', '  children:'];
  for (const [group, members] of Object.entries(LOCAL_GROUPS)) {
    lines.push(`    ${group}:`, '      hosts:');
    for (const i of members) {
      const h = list[i - 1]!;
      // rosey_dashboard_url off: the local inventory's dashboard address belongs to slot 0's hosts
      lines.push(`        rosey-t${i}: { ansible_host: ${h.address}, ansible_port: ${h.port}, ansible_user: ${h.user}, ansible_ssh_private_key_file: ${h.keyPath}, rosey_known_hosts_file: ${h.knownHostsPath}, rosey_dashboard_url: "" }`);
    }
  }
  return lines.join('\n') + '\n';
}

function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-doc-project-'));
  for (const name of readdirSync(ROOT)) {
    if (['inventory', '.git', '.testbed', 'test-output'].includes(name)) continue;
    symlinkSync(join(ROOT, name), join(dir, name));
  }
  mkdirSync(join(dir, 'inventory', 'local'), { recursive: true });
  for (const env of ['test', 'prod']) symlinkSync(join(ROOT, 'inventory', env), join(dir, 'inventory', env));
  for (const name of ['group_vars', 'vault-password.example']) symlinkSync(join(ROOT, 'inventory', 'local', name), join(dir, 'inventory', 'local', name));
  writeFileSync(join(dir, 'inventory', 'local', 'hosts.yml'), localInventory());
  return dir;
}

const blocks = allBlocks().filter((b) => b.where === 'testbed');

describe('doc commands on the testbed', () => {
  const bin = shimDir();
  let project: string | undefined;

  it('there are some', () => {
    console.log(`doc shell blocks for the testbed: ${blocks.length}`);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b]))('%s', (_where, block) => {
    project ??= projectCopy();
    const r = runBlock(block, project, bin);
    expect(r.code, `${block.script}\n${r.output}`).toBe(block.exit);
  });
});
