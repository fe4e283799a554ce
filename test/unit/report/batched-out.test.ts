import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchedOut, flushAllOut } from '../../../src/report/batched-out.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('a reporter writes its lines once per turn of the event loop', () => {
  it('lines of one turn go out in one write, in order, after the turn', async () => {
    const writes: string[] = [];
    const out = new BatchedOut({ write: (t: string) => writes.push(t) });
    out.write('a\n');
    out.write('b\n');
    out.write('c\n');
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual(['a\nb\nc\n']);
    out.write('d\n');
    await turn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('flush writes what is pending at once, and nothing twice', async () => {
    const writes: string[] = [];
    const out = new BatchedOut({ write: (t: string) => writes.push(t) });
    out.write('x\n');
    out.flush();
    expect(writes).toEqual(['x\n']);
    await turn();
    out.flush();
    expect(writes).toEqual(['x\n']);
    out.write('y\n');
    flushAllOut();
    expect(writes).toEqual(['x\n', 'y\n']);
  });

  it('a process that ends with process.exit still prints every line', () => {
    const code = `import { BatchedOut } from ${JSON.stringify(resolve(ROOT, 'src/report/batched-out.ts'))};
const out = new BatchedOut(process.stdout);
for (let i = 0; i < 3; i++) out.write('line ' + i + '\\n');
process.exit(3);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n');
  });
});
