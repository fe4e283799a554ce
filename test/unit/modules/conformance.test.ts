import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../../src/modules/types.js';
import { allModules } from '../../../src/modules/registry.js';
import { backupPathFor } from '../../../src/transport/files.js';
import { CASES } from './common.case.js';
import { SYSTEM_CASES } from './system.case.js';
import { applyAll, cleanup, isRoot, listing, newRunId, planTask, tempDir } from './harness.js';

// The contract every host module keeps, run for real on this machine through
// LocalConnection + applyContext: plan finds the change, plan alone writes
// nothing, apply makes it, the next plan is empty, old files are backed up.
describe('host module conformance', () => {
  let dir = '';
  let runId = '';
  afterEach(async () => {
    if (dir) await cleanup(dir, runId);
  });

  it('every host module has a case', () => {
    const covered = new Set(CASES.map((c) => c.module.name));
    // systemd, user, group and apt change the machine itself: their cases run on the testbed
    SYSTEM_CASES.forEach((c) => covered.add(c.module));
    const host = allModules().filter((m) => m.kind === 'host').map((m) => m.name);
    expect(host.filter((n) => !covered.has(n))).toEqual([]);
  });

  for (const c of CASES) {
    it.skipIf(c.root && !isRoot)(c.name, async () => {
      dir = await tempDir();
      runId = newRunId();
      await c.setup?.(dir);
      const args = c.args(dir);

      const before = await listing(dir);
      const first = await planTask(c.module, args, c.vars);
      if (c.probe) {
        // a probe only reads: nothing to plan, its values go to `register`
        expect(first.changes).toEqual([]);
        c.probe.result(dir, c.module.result!(first.facts, first.prepared));
        expect(await listing(dir)).toEqual(before);
        return;
      }
      expect(first.changes.length).toBeGreaterThan(0);
      expect(await listing(dir)).toEqual(before);

      const report: ApplyReport = { backups: [], created: [] };
      const outs = await applyAll(c.module, first.changes, runId, report);
      expect(outs.filter((o) => o.failed)).toEqual([]);
      // the journal gets exactly the backups the host made: every expected one, no guessed one
      const backedUp = [...(c.reportsBackups ?? Object.keys(c.backsUp ?? {})), ...(c.alsoBacksUp ?? [])].map((rel) => join(dir, rel));
      expect(report.backups.map((b) => b.path).sort()).toEqual(backedUp.sort());
      for (const b of report.backups) await expect(lstat(b.backup)).resolves.toBeTruthy();
      for (const rel of c.creates ?? []) expect(report.created.map((x) => x.path)).toContain(join(dir, rel));

      await c.after?.(dir);
      const second = await planTask(c.module, args, c.vars);
      expect(second.changes).toEqual([]);

      for (const [rel, content] of Object.entries(c.backsUp ?? {})) {
        expect(await readFile(backupPathFor(runId, join(dir, rel)), 'utf8')).toBe(content);
      }
    });
  }
});
