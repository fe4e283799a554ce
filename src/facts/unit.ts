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
 * One command: the unit's state (when named) and, with `anyUnit`, whether
 * any unit needs a daemon-reload. That asks systemd about every unit, the
 * slowest read of all (hundreds of units): only daemon_reload needs it.
 */
export function unitFact(name: string | undefined, anyUnit = true): Fact<UnitFacts> {
  const unit = name === undefined ? sh`:` : sh`systemctl show ${name} -p LoadState -p ActiveState -p UnitFileState -p NeedDaemonReload 2>/dev/null || true`;
  const any = anyUnit ? sh`printf 'anyNeedsReload=%s\n' "$(systemctl show '*' --all -p NeedDaemonReload 2>/dev/null | grep -c '=yes')"` : sh`:`;
  return {
    command: sh`${unit}; ${any}`,
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
