import { Type, type Static } from '@sinclair/typebox';
import { unitFact, type UnitFacts, type UnitState } from '../../facts/unit.js';
import { sh, type Cmd } from '../../transport/quote.js';
import { defineModule, ModuleFailure, type ApplyContext, type Change } from '../types.js';
import { STRICT } from '../args.js';

export const SystemdArgs = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, description: 'The unit, e.g. `nginx` (`.service` is implied) or `backup.timer`. Only daemon_reload works without it.' })),
    state: Type.Optional(
      Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')], {
        description: 'started/stopped: only when it is not so already; restarted/reloaded: always (and so always changed).',
      }),
    ),
    enabled: Type.Optional(Type.Boolean({ description: 'Start it at boot (systemctl enable/disable). A static unit counts as enabled.' })),
    masked: Type.Optional(Type.Boolean({ description: 'Mask it (it cannot be started at all) or unmask it.' })),
    daemon_reload: Type.Optional(Type.Boolean({ default: false, description: 'Run `systemctl daemon-reload` first, when a unit file changed on disk since systemd read it.' })),
  },
  { ...STRICT, description: 'Manage a systemd unit.' },
);

type Args = Static<typeof SystemdArgs>;

export interface UnitData {
  cmd: Cmd;
  /** start/restart/reload: on failure, show the unit's journal */
  unit?: string;
}

const ALIVE = ['active', 'activating', 'reloading'];

function change(action: Change['action'], summary: string, cmd: Cmd, unit?: string): Change<UnitData> {
  return { action, summary, data: { cmd, ...(unit ? { unit } : {}) } };
}

function unitChanges(u: UnitState, a: Args, name: string): Change<UnitData>[] {
  const out: Change<UnitData>[] = [];
  // a unit not installed yet (an earlier task in this run would install it) plans like a stopped, disabled one
  const missing = u.load === 'not-found';
  const masked = u.unitFile === 'masked' || u.load === 'masked';
  if (a.masked === true && !masked) out.push(change('update', `mask ${name}`, sh`systemctl mask ${name}`));
  if (a.masked === false && masked) out.push(change('update', `unmask ${name}`, sh`systemctl unmask ${name}`));
  const enabledNow = ['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated'].includes(u.unitFile);
  if (a.enabled === true && !enabledNow) out.push(change('update', `enable ${name}${missing ? ' (not installed yet)' : ''}`, sh`systemctl enable ${name}`));
  if (a.enabled === false && u.unitFile === 'enabled') out.push(change('update', `disable ${name}`, sh`systemctl disable ${name}`));
  const alive = ALIVE.includes(u.active);
  switch (a.state) {
    case 'started':
      if (!alive) out.push(change('update', `start ${name}${missing ? ' (not installed yet)' : ''}`, sh`systemctl start ${name}`, name));
      break;
    case 'stopped':
      if (alive) out.push(change('update', `stop ${name}`, sh`systemctl stop ${name}`));
      break;
    case 'restarted':
      out.push(change('update', `restart ${name}`, sh`systemctl restart ${name}`, name));
      break;
    case 'reloaded':
      out.push(change('update', `reload ${name}`, alive ? sh`systemctl reload ${name}` : sh`systemctl start ${name}`, name));
      break;
    case undefined:
      break;
  }
  return out;
}

/**
 * A task's steps as one change and one remote command (`a && b && c`):
 * daemon-reload, enable and start of a new unit cost one round trip, not
 * three. The summary names each step; the first that fails stops the rest,
 * as one change after another did, and systemctl's message names it.
 */
function oneChange(steps: Change<UnitData>[]): Change<UnitData>[] {
  if (steps.length < 2) return steps;
  const unit = steps.find((s) => s.data.unit)?.data.unit;
  const cmd = steps.map((s) => s.data.cmd).reduce((a, b) => sh`${a} && ${b}`);
  return [change('update', steps.map((s) => s.summary).join(', '), cmd, unit)];
}

function plan(f: UnitFacts, a: Args): Change<UnitData>[] {
  if (!a.name && (a.state !== undefined || a.enabled !== undefined || a.masked !== undefined)) {
    throw new ModuleFailure('systemd: state, enabled and masked need "name"');
  }
  const out: Change<UnitData>[] = [];
  const stale = a.name ? f.unit?.needsReload || f.anyNeedsReload : f.anyNeedsReload;
  if (a.daemon_reload && stale) out.push(change('update', 'reload systemd (daemon-reload)', sh`systemctl daemon-reload`));
  if (a.name && f.unit) out.push(...unitChanges(f.unit, a, a.name));
  return oneChange(out);
}

/** A start that fails shows why: the unit's last journal lines, in the error itself. */
async function apply(c: Change<UnitData>, ctx: ApplyContext): Promise<void> {
  const unit = c.data.unit;
  const check: Cmd = unit ? sh` && systemctl is-active --quiet ${unit}` : sh``;
  const r = await ctx.run(sh`${c.data.cmd}${check}`);
  if (r.rc === 0) return;
  let log = '';
  if (unit) log = (await ctx.run(sh`journalctl -u ${unit} -n 15 --no-pager -o cat 2>&1 || true`)).stdout.trim();
  const why = r.stderr.trim() || `exit ${r.rc}`;
  throw new ModuleFailure(`could not ${c.summary}: ${why}${log ? `\nlast lines of its journal:\n${log}` : ''}`, { rc: r.rc, stderr: r.stderr, stdout: log });
}

export const systemd = defineModule({
  name: 'systemd',
  moduleAliases: ['service', 'systemd_service'],
  description: 'Start, stop, restart, reload, enable, disable, mask a systemd unit; daemon-reload after unit files changed. Changed only when the unit really changes.',
  args: SystemdArgs,
  // whether any unit needs a daemon-reload is read only when daemon_reload may act on it
  facts: (a: Args) => unitFact(a.name, a.daemon_reload === true),
  plan,
  result: (f: UnitFacts, a: Args) => (a.name && f.unit ? { name: a.name, status: { ActiveState: f.unit.active, UnitFileState: f.unit.unitFile, LoadState: f.unit.load } } : {}),
  apply,
});
