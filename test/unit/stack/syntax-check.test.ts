import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ENVIRONMENTS, ROOT, vaultPasswordFile } from './render.js';

/**
 * `rosey-apply --syntax-check` over every playbook and inventory. The roles are
 * written for modules and keywords main does not have yet (the engine's system
 * modules, release, uri): an error INSIDE a task that uses
 * one of those is expected until it lands. Remove a name from these lists when
 * it lands, and the tasks using it are checked like every other.
 */
const PENDING_MODULES: string[] = [];
const PENDING_KEYWORDS: string[] = [];
const PENDING = new Set([...PENDING_MODULES, ...PENDING_KEYWORDS]);

const PLAYBOOKS = readdirSync(join(ROOT, 'playbooks')).filter((f) => f.endsWith('.yml'));

interface SyntaxError {
  file: string;
  line: number;
  message: string;
}

/** Runs from the repository (so tsx resolves); error paths are taken relative to it. */
function syntaxCheck(playbook: string, inventory: string, vaultPassword?: string): Promise<{ rc: number; errors: SyntaxError[]; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), playbook, '-i', inventory, '--syntax-check', ...(vaultPassword ? ['--vault-password-file', vaultPassword] : [])], { cwd: ROOT, encoding: 'utf8' }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const errors = [...output.matchAll(/^ERROR: (.+?):(\d+):\d+: (.*)$/gm)].map((m) => ({ file: resolve(ROOT, m[1] ?? ''), line: Number(m[2]), message: m[3] ?? '' }));
      const rc = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ rc, errors, output });
    });
  });
}

/** The keys of every task (a map in a list) whose lines include `line`, innermost first. */
function tasksAt(file: string, line: number): string[][] {
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
  const found: string[][] = [];
  const visit = (node: Node | null | undefined, inList: boolean) => {
    if (!node) return;
    if (isSeq(node)) for (const item of node.items) visit(item as Node, true);
    if (isMap(node)) {
      const [start, , end] = node.range ?? [0, 0, 0];
      const from = lc.linePos(start).line;
      const to = lc.linePos(Math.max(start, end - 1)).line;
      if (inList && line >= from && line <= to) found.unshift(node.items.map((p) => String((p.key as { value?: unknown }).value)));
      for (const p of node.items) visit(p.value as Node, false);
    }
  };
  visit(doc.contents as Node, false);
  return found;
}

/** Handler names whose task uses a pending module (a notify to them fails with them). */
function pendingHandlers(): Set<string> {
  const names = new Set<string>();
  for (const role of readdirSync(join(ROOT, 'roles'))) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, 'roles', role, 'handlers', 'main.yml'), 'utf8');
    } catch {
      continue;
    }
    const doc = parseDocument(text).toJS() as Record<string, unknown>[] | null;
    for (const h of doc ?? []) if (Object.keys(h).some((k) => PENDING.has(k))) names.add(String(h.name));
  }
  return names;
}

function expected(e: SyntaxError, handlers: Set<string>): boolean {
  const notify = /^notify "(.+)" matches no handler/.exec(e.message);
  if (notify) return handlers.has(notify[1] ?? '');
  return tasksAt(e.file, e.line).some((keys) => keys.some((k) => PENDING.has(k)));
}

describe.each(ENVIRONMENTS)('rosey-apply --syntax-check with inventory/%s', (env) => {
  it.concurrent.each(PLAYBOOKS)('%s: no error outside tasks that use a module or keyword not on main yet', async (playbook) => {
    const { errors, output, rc } = await syntaxCheck(join('playbooks', playbook), join('inventory', env), vaultPasswordFile(env));
    const handlers = pendingHandlers();
    const unexpected = errors.filter((e) => !expected(e, handlers));
    expect(unexpected, output).toEqual([]);
    // Whatever the errors, the command must have parsed and reported, not crashed.
    expect(rc === 0 || errors.length > 0, output).toBe(true);
  }, 120_000);
});

describe('the syntax-check filter', () => {
  it('still reports a mistake in a task that uses only modules main has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-stack-syntax-'));
    writeFileSync(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  tasks:\n    - name: waits\n      uri:\n        url: http://x\n    - name: typo\n      copy:\n        content: x\n        dets: /tmp/x\n');
    const { errors, output } = await syntaxCheck(join(dir, 'site.yml'), join(dir, 'hosts.yml'));
    const unexpected = errors.filter((e) => !expected(e, new Set()));
    expect(unexpected.length, output).toBeGreaterThan(0);
    for (const e of unexpected) expect(`${relative(dir, e.file)} ${e.message}`).toMatch(/^site\.yml copy: (unknown argument "dets"|missing required argument "dest")/);
  }, 120_000);
});
