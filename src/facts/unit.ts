import { raw, sh, type Cmd } from '../transport/quote.js';
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
 * Whether any unit needs a daemon-reload, as systemd judges it. systemd says
 * yes for a loaded unit when its file, a drop-in or its generator's source
 * (SourcePath=, e.g. /etc/fstab) changed on disk after it was loaded, or
 * vanished. All units are loaded after the generators last ran (at boot or
 * the last daemon-reload), which is when /run/systemd/generator got its
 * last entry.
 *
 * So first a cheap look (~5 ms on a test host): when nothing in the unit
 * folders (links followed) and no source changed status since then, no
 * unit can need a reload, and the answer is 0. Status, not modification
 * time: `touch -d` and `cp -p` can set an old mtime, but every change sets
 * the ctime to now. The generators' own folders are left out: only a
 * reload writes them. Anything else (a changed file, a missing source, a
 * folder find cannot read, no generator folder) goes to systemd itself:
 * `systemd-analyze dump` prints every unit in memory with "Need Daemon
 * Reload: yes|no" (the NeedDaemonReload property) in one D-Bus call, ~35 ms
 * of PID 1's time for ~150 units, which every no-change run used to pay.
 * `systemctl show '*' --all` asks for all properties of every unit, one
 * call each: 0.2-1.2 s; it answers where the dump is refused (systemd
 * rate-limits it for unprivileged callers) or says nothing.
 *
 * Not seen by the cheap look (systemd would see them): units in a
 * `SYSTEMD_UNIT_PATH` of PID 1's own, and a file changed while the clock
 * was set back before the last reload.
 *
 * A folder that is another one of the list (with merged /usr, /lib/systemd/system
 * is /usr/lib/systemd/system) is walked once: 7.7 instead of 10.5 ms on a
 * test host. A shell whose test knows no -ef walks it twice, as before.
 */
export const ANY_NEEDS_RELOAD = sh`g=/run/systemd/generator; n=
if [ -d "$g" ]; then
  s=$(grep -rhs '^SourcePath=' "$g" "$g".early "$g".late); ok=1
  set --
  for p in /etc/systemd/system.control /run/systemd/system.control /etc/systemd/system /etc/systemd/system.attached /run/systemd/system /run/systemd/system.attached /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    [ -e "$p" ] || continue
    for q in "$@"; do [ "$p" -ef "$q" ] && continue 2; done
    set -- "$@" "$p"
  done
  set -f; IFS='
'
  for p in $s; do p=\${p#SourcePath=}; if [ -e "$p" ]; then set -- "$@" "$p"; else ok=; fi; done
  unset IFS; set +f
  if [ -n "$ok" ] && [ $# -gt 0 ] && c=$(find -L "$@" -cnewer "$g" -print -quit 2>/dev/null) && [ -z "$c" ]; then n=0; fi
fi
if [ -z "$n" ]; then
d=$(systemd-analyze dump 2>/dev/null | grep '^[[:space:]]*Need Daemon Reload: ')
if [ -n "$d" ]; then n=$(printf '%s\n' "$d" | grep -c ': yes$'); else n=$(systemctl show '*' --all -p NeedDaemonReload 2>/dev/null | grep -c '=yes'); fi
fi
printf 'anyNeedsReload=%s\n' "$n"`;

/**
 * One command: the unit's state (when named) and, with `anyUnit`, whether
 * any unit needs a daemon-reload (ANY_NEEDS_RELOAD: only daemon_reload
 * needs it; read once for a whole loop's batch).
 */
export function unitFact(name: string | undefined, anyUnit = true): Fact<UnitFacts> {
  const unit = name === undefined ? sh`:` : sh`systemctl show ${name} ${SHOW_PROPERTIES} 2>/dev/null || true`;
  const any = anyUnit ? ANY_NEEDS_RELOAD : sh`:`;
  return {
    command: sh`${unit}; ${any}`,
    // a loop of units asks systemd about every unit once, not once per item
    ...(anyUnit ? { batchParts: { own: unit, shared: any, ...(name === undefined ? {} : { unit: name }) } } : {}),
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

const SHOW_PROPERTIES = raw('-p LoadState -p ActiveState -p UnitFileState -p NeedDaemonReload');

/**
 * Several units' states in one `systemctl show` (each call costs ~10 ms of
 * a host's time, most of it starting systemctl): it prints one block per
 * unit, in the order asked, blocks apart by an empty line. Its exit status
 * is systemctl's: a name it refuses fails them all, and each is then read
 * alone.
 */
export function unitsShowCmd(names: readonly string[]): Cmd {
  return sh`systemctl show ${[...names]} ${SHOW_PROPERTIES} 2>/dev/null`;
}

/** unitsShowCmd's output as one block per unit, each as `systemctl show` of that unit alone prints it; undefined when the count is wrong. */
export function splitShown(stdout: string, n: number): string[] | undefined {
  const blocks = stdout.trim().split(/\n\n+/);
  return blocks.length === n && blocks.every((b) => b.includes('=')) ? blocks.map((b) => `${b}\n`) : undefined;
}
