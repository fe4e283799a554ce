import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/registry.js';
import type { AnyHostModule, Change } from '../../src/modules/types.js';
import { applyContext } from '../../src/runner/apply-context.js';
import type { Connection } from '../../src/transport/connection.js';
import { SshConnection } from '../../src/transport/ssh.js';
import { sh, raw } from '../../src/transport/quote.js';
import { prepareCtx } from '../unit/modules/harness.js';
import { SYSTEM_CASES } from '../unit/modules/system.case.js';
import { hosts } from './testbed.js';

// The module contract for systemd, user, group and apt, on a real host over
// SSH: plan finds the change, apply makes it, the host is as asked, the next
// plan is empty.
describe('system module conformance (testbed)', () => {
  let conn: Connection;
  beforeAll(async () => {
    const h = hosts()[0]!;
    conn = await SshConnection.open({ kind: 'ssh', name: h.name, address: h.address, port: h.port, user: h.user, privateKeyPath: h.keyPath, hostKeyChecking: true, knownHostsPath: h.knownHostsPath, connectTimeoutMs: 10_000 });
  });
  afterAll(async () => conn?.close());

  const shell = async (text: string) => conn.exec(raw(text));
  const plan = async (mod: AnyHostModule, args: Record<string, unknown>): Promise<{ prepared: unknown; changes: Change[] }> => {
    const prepared: unknown = mod.prepare ? await mod.prepare(args, prepareCtx()) : args;
    const fact = mod.facts(prepared);
    let facts: unknown;
    if (fact) {
      const r = await conn.exec(fact.command);
      expect(r.rc, r.stderr).toBe(0);
      facts = fact.parse(r.stdout);
    }
    return { prepared, changes: mod.plan(facts, prepared) };
  };

  for (const c of SYSTEM_CASES) {
    it(c.name, async () => {
      const mod = getModule(c.module);
      if (mod?.kind !== 'host') throw new Error(`no host module ${c.module}`);
      try {
        await shell(c.setup);
        const first = await plan(mod, c.args);
        expect(first.changes.length).toBeGreaterThan(0);
        const { ctx } = applyContext(conn, 'conformance-test', undefined);
        for (const ch of first.changes) await mod.apply(ch, ctx);
        const check = await shell(c.check);
        expect(check.rc, `${c.check}\n${check.stdout}${check.stderr}`).toBe(0);
        expect((await plan(mod, c.args)).changes).toEqual([]);
      } finally {
        if (c.cleanup) await shell(c.cleanup);
      }
    });
  }

  it('systemd: a unit that fails to start fails the task with the end of its journal', async () => {
    const mod = getModule('systemd') as AnyHostModule;
    const unit = `printf '[Service]\\nType=oneshot\\nExecStart=/bin/sh -c "echo boom-from-the-unit; exit 3"\\n' > /etc/systemd/system/rct-bad.service && systemctl daemon-reload`;
    try {
      await shell(unit);
      const { changes } = await plan(mod, { name: 'rct-bad', state: 'started' });
      expect(changes.map((x) => x.summary)).toEqual(['start rct-bad']);
      const { ctx } = applyContext(conn, 'conformance-test', undefined);
      await expect(mod.apply(changes[0]!, ctx)).rejects.toThrow(/could not start rct-bad[\s\S]*boom-from-the-unit/);
    } finally {
      await conn.exec(sh`rm -f /etc/systemd/system/rct-bad.service; systemctl daemon-reload; systemctl reset-failed rct-bad 2>/dev/null; true`);
    }
  });
});
