import { describe, expect, it } from 'vitest';
import { allBlocks, ROOT, runBlock, shimDir } from './doc-blocks.js';

/**
 * Every ```sh test block of README.md and docs/*.md runs here, from the
 * repository root, against the built CLI (`npm run build` first), and must
 * exit as the docs say. Blocks for the testbed run in
 * test/integration/doc-commands.test.ts; the rest are only counted.
 */
const blocks = allBlocks();
const local = blocks.filter((b) => b.where === 'test');
const bin = shimDir();

describe('the commands the docs show', () => {
  it('are mostly run by a test; the others are counted', () => {
    const shown = blocks.filter((b) => b.where === 'shown');
    const testbed = blocks.filter((b) => b.where === 'testbed');
    console.log(`doc shell blocks: ${local.length} run here, ${testbed.length} on the testbed, ${shown.length} shown only (need production hosts, GitHub or a terminal)`);
    expect(local.length).toBeGreaterThanOrEqual(10);
    expect(testbed.length).toBeGreaterThanOrEqual(2);
  });

  it.each(local.map((b) => [`${b.file}:${b.line}`, b]))('%s', (_where, block) => {
    const r = runBlock(block, ROOT, bin);
    expect(r.code, `${block.script}\n${r.output}`).toBe(block.exit);
  });
});
