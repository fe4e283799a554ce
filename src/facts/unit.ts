import { sh } from '../transport/quote.js';
import type { Fact } from './types.js';
import { keyValues } from './parse.js';

/** A systemd unit as `systemctl show` reports it. */
export interface UnitState {
  /** loaded, not-found, masked, error */
  load: string;
  /** active, inactive, failed, activating, deactivating, reloading */
  active: string;
  /** enabled, disabled, static, masked, indirect, generated, ... ('' when not found) */
  unitFile: string;
  /** the unit's file changed on disk since systemd read it */
  needsReload: boolean;
}

export interface UnitFacts {
  unit?: UnitState;
  /** some loaded unit's file changed on disk (daemon_reload without a name) */
  anyNeedsReload: boolean;
}

/**
 * Whether any unit needs a daemon-reload, as systemd judges it, in one
 * D-Bus call: `systemd-analyze dump` prints every unit in memory with
 * "Need Daemon Reload: yes|no" (the same judgment as the NeedDaemonReload
 * property). `systemctl show '*' --all` asks for all properties of every
 * unit, one call each: 0.2-1.2 s for ~150 units on a small host, where the
 * dump takes ~0.05-0.1 s. Where the dump is refused (systemd rate-limits it
 * for unprivileged callers) or says nothing, the slow read answers.
 */
export const ANY_NEEDS_RELOAD = sh`d=$(systemd-analyze dump 2>/dev/null | grep '^[[:space:]]*Need Daemon Reload: ')
if [ -n "$d" ]; then n=$(printf '%s\n' "$d" | grep -c ': yes$'); else n=$(systemctl show '*' --all -p NeedDaemonReload 2>/dev/null | grep -c '=yes'); fi
printf 'anyNeedsReload=%s\n' "$n"`;

/**
 * One command: the unit's state (when named) and, with `anyUnit`, whether
 * any unit needs a daemon-reload (ANY_NEEDS_RELOAD: only daemon_reload
 * needs it; read once for a whole loop's batch).
 */
export function unitFact(name: string | undefined, anyUnit = true): Fact<UnitFacts> {
  const unit = name === undefined ? sh`:` : sh`systemctl show ${name} -p LoadState -p ActiveState -p UnitFileState -p NeedDaemonReload 2>/dev/null || true`;
  const any = anyUnit ? ANY_NEEDS_RELOAD : sh`:`;
  return {
    command: sh`${unit}; ${any}`,
    // a loop of units asks systemd about every unit once, not once per item
    ...(anyUnit ? { batchParts: { own: unit, shared: any } } : {}),
    parse(stdout) {
      const kv = keyValues(stdout);
      const anyNeedsReload = Number(kv.get('anyNeedsReload') ?? '0') > 0;
      if (name === undefined) return { anyNeedsReload };
      return {
        anyNeedsReload,
        unit: {
          load: kv.get('LoadState') ?? 'not-found',
          active: kv.get('ActiveState') ?? 'inactive',
          unitFile: kv.get('UnitFileState') ?? '',
          needsReload: kv.get('NeedDaemonReload') === 'yes',
        },
      };
    },
  };
}
