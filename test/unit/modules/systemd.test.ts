import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemd } from '../../../src/modules/system/systemd.js';
import type { UnitFacts, UnitState } from '../../../src/facts/unit.js';
import { unitFact } from '../../../src/facts/unit.js';
import { factBatch } from '../../../src/facts/combine.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { sh } from '../../../src/transport/quote.js';

const unit = (over: Partial<UnitState> = {}): UnitFacts => ({ anyNeedsReload: false, unit: { load: 'loaded', active: 'active', unitFile: 'enabled', needsReload: false, ...over } });
const notInstalled = unit({ load: 'not-found', active: 'inactive', unitFile: '' });
type Args = Parameters<typeof systemd.plan>[1];
const plan = (f: UnitFacts, a: Args) => systemd.plan(f, a).map((c) => ({ summary: c.summary, cmd: c.data.cmd.text, unit: c.data.unit }));

describe('systemd plan: one change, one command per task', () => {
  it('a new unit: enable and start in one command, its state checked after the start', () => {
    expect(plan(notInstalled, { name: 'web', enabled: true, state: 'started', daemon_reload: true })).toEqual([
      { summary: 'enable web (not installed yet), start web (not installed yet)', cmd: 'systemctl enable web && systemctl start web', unit: 'web' },
    ]);
  });

  it('a changed unit file: daemon-reload first, then the restart, one command', () => {
    expect(plan(unit({ needsReload: true }), { name: 'web', state: 'restarted', daemon_reload: true })).toEqual([
      { summary: 'reload systemd (daemon-reload), restart web', cmd: 'systemctl daemon-reload && systemctl restart web', unit: 'web' },
    ]);
    // another unit's file changed: daemon_reload reloads for it too
    expect(plan({ ...unit(), anyNeedsReload: true }, { name: 'web', daemon_reload: true })).toEqual([
      { summary: 'reload systemd (daemon-reload)', cmd: 'systemctl daemon-reload', unit: undefined },
    ]);
  });

  it('a single step stays as it was; nothing to do plans nothing', () => {
    expect(plan(unit({ active: 'inactive' }), { name: 'web', enabled: true, state: 'started', daemon_reload: true })).toEqual([
      { summary: 'start web', cmd: 'systemctl start web', unit: 'web' },
    ]);
    expect(plan(unit(), { name: 'web', enabled: true, state: 'started', daemon_reload: true })).toEqual([]);
    expect(plan(unit({ unitFile: 'disabled', active: 'inactive' }), { name: 'web', enabled: false, state: 'stopped' })).toEqual([]);
  });

  it('stop and mask: one command, no start check', () => {
    expect(plan(unit({ unitFile: 'static' }), { name: 'web', masked: true, state: 'stopped' })).toEqual([
      { summary: 'mask web, stop web', cmd: 'systemctl mask web && systemctl stop web', unit: undefined },
    ]);
  });
});

describe('unit fact: any unit needing a daemon-reload', () => {
  const parse = (out: string) => unitFact('web').parse(out);

  it('counts what the dump (or the slow read) found', () => {
    expect(parse('LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nNeedDaemonReload=no\nanyNeedsReload=0\n').anyNeedsReload).toBe(false);
    expect(parse('LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nNeedDaemonReload=no\nanyNeedsReload=2\n').anyNeedsReload).toBe(true);
  });

  // the command itself, run with stand-ins for systemd-analyze and systemctl first on PATH
  const conn = new LocalConnection(localSpec());
  let bin = '';
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'rosey-systemd-'));
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));
  beforeAll(async () => {
    // whatever this machine's own systemd holds: the cheap look cannot tell, and systemd is asked
    await writeFile(join(bin, 'find'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  });
  const run = async (analyze: string, systemctl: string): Promise<string> => {
    await writeFile(join(bin, 'systemd-analyze'), `#!/bin/sh\n${analyze}\n`, { mode: 0o755 });
    await writeFile(join(bin, 'systemctl'), `#!/bin/sh\n${systemctl}\n`, { mode: 0o755 });
    return (await conn.exec(sh`PATH=${bin}:"$PATH"; ${unitFact(undefined).command}`)).stdout;
  };
  const dump = (...lines: string[]) => `printf '%s\\n' '-> Unit a.service:' ${lines.map((l) => `'\tDescription: Need Daemon Reload: yes' '\t${l}'`).join(' ')}`;
  const slow = (...values: string[]) => `printf '%s\\n' ${values.map((v) => `NeedDaemonReload=${v}`).join(' ')}`;

  it('reads the dump: only its "Need Daemon Reload" lines count, not a description saying so', async () => {
    expect(await run(dump('Need Daemon Reload: no', 'Need Daemon Reload: no'), slow('yes'))).toBe('anyNeedsReload=0\n');
    expect(await run(dump('Need Daemon Reload: no', 'Need Daemon Reload: yes'), slow('no'))).toBe('anyNeedsReload=1\n');
  });

  it("a loop's batch asks systemd once about every unit and once about all their states; each item gets its own unit's state", async () => {
    const calls = join(bin, 'calls');
    await rm(calls, { force: true });
    await writeFile(join(bin, 'systemd-analyze'), `#!/bin/sh\necho dump >> ${calls}\n${dump('Need Daemon Reload: yes')}\n`, { mode: 0o755 });
    // systemctl show u1 u2 ... -p ...: one block per unit, an empty line between (a unit named "refused" fails the call, as an invalid name does)
    const systemctl = [
      '#!/bin/sh',
      `echo "show $*" >> ${calls}`,
      'shift; sep=; for u in "$@"; do [ "$u" = -p ] && break; [ "$u" = refused ] && exit 1',
      "printf '%sLoadState=loaded\\nActiveState=%s\\nUnitFileState=enabled\\nNeedDaemonReload=no\\n' \"$sep\" \"$u\"; sep='",
      "'; done",
    ].join('\n');
    await writeFile(join(bin, 'systemctl'), `${systemctl}\n`, { mode: 0o755 });
    const batch = factBatch([unitFact('active'), unitFact('inactive'), unitFact('failed')]);
    const r = await conn.exec(sh`PATH=${bin}:"$PATH"; ${batch.command}`);
    const parts = batch.parse(r.stdout).map((p) => p?.value as UnitFacts);
    expect(parts.map((p) => [p.unit?.active, p.anyNeedsReload])).toEqual([
      ['active', true],
      ['inactive', true],
      ['failed', true],
    ]);
    expect((await readFile(calls, 'utf8')).split('\n')).toEqual(['dump', 'show show active inactive failed -p LoadState -p ActiveState -p UnitFileState -p NeedDaemonReload', '']);

    // a refused name spoils the shared call: every item comes back unread, to be read alone
    await rm(calls, { force: true });
    const spoiled = factBatch([unitFact('active'), unitFact('refused')]);
    const r2 = await conn.exec(sh`PATH=${bin}:"$PATH"; ${spoiled.command}`);
    expect(spoiled.parse(r2.stdout)).toEqual([undefined, undefined]);
    expect((await conn.exec(sh`PATH=${bin}:"$PATH"; ${unitFact('active').command}`)).stdout).toContain('ActiveState=active');
  });

  it('falls back to asking every unit when the dump is refused', async () => {
    const refused = `echo 'Failed to dump: Access denied' >&2; exit 1`;
    expect(await run(refused, slow('no', 'yes'))).toBe('anyNeedsReload=1\n');
    expect(await run(refused, slow('no'))).toBe('anyNeedsReload=0\n');
  });
});
