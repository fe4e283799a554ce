/**
 * Conformance cases for the modules that change the machine itself (users,
 * packages, services): they run on a testbed host over SSH
 * (test/integration/module-conformance.test.ts), never on the controller.
 * Same contract as common.case.ts: plan finds the change, apply makes it,
 * the next plan is empty.
 */
export interface SystemCase {
  name: string;
  module: string;
  /** shell run on the host first: the starting state */
  setup: string;
  args: Record<string, unknown>;
  /** shell that must exit 0 after apply: the host is as asked */
  check: string;
  /** shell run at the end, whatever happened */
  cleanup?: string;
}

/** A unit file; a unit to mask must live under /lib (systemd refuses to mask over a file in /etc). */
const UNIT = (name: string, exec: string, dir = '/etc/systemd/system') =>
  `printf '[Unit]\\nDescription=rosey test\\n[Service]\\nExecStart=${exec}\\n[Install]\\nWantedBy=multi-user.target\\n' > ${dir}/${name}.service`;

export const SYSTEM_CASES: SystemCase[] = [
  {
    name: 'group: creates a system group with a gid',
    module: 'group',
    setup: 'groupdel rct-g1 2>/dev/null || true',
    args: { name: 'rct-g1', gid: 3901, system: true },
    check: 'getent group rct-g1 | grep -q ":3901:"',
    cleanup: 'groupdel rct-g1 2>/dev/null || true',
  },
  {
    name: 'group: absent removes it',
    module: 'group',
    setup: 'groupadd -f rct-g2',
    args: { name: 'rct-g2', state: 'absent' },
    check: '! getent group rct-g2',
  },
  {
    name: 'user: creates a system user with home, shell and groups',
    module: 'user',
    setup: 'userdel -r rct-u1 2>/dev/null; groupadd -f rct-extra; true',
    args: { name: 'rct-u1', system: true, home: '/srv/rct u1', shell: '/usr/sbin/nologin', groups: ['rct-extra'] },
    check: 'id -Gn rct-u1 | grep -qw rct-extra && getent passwd rct-u1 | grep -q ":/srv/rct u1:/usr/sbin/nologin$" && [ -d "/srv/rct u1" ]',
    cleanup: 'userdel -r rct-u1 2>/dev/null; groupdel rct-extra 2>/dev/null; true',
  },
  {
    name: 'user: append adds a group and keeps the others; shell changes',
    module: 'user',
    setup: 'userdel -r rct-u2 2>/dev/null; groupadd -f rct-a; groupadd -f rct-b; useradd -G rct-a rct-u2',
    args: { name: 'rct-u2', groups: 'rct-b', append: true, shell: '/bin/bash' },
    check: 'id -Gn rct-u2 | grep -qw rct-a && id -Gn rct-u2 | grep -qw rct-b && getent passwd rct-u2 | grep -q ":/bin/bash$"',
    cleanup: 'userdel -r rct-u2 2>/dev/null; groupdel rct-a; groupdel rct-b; true',
  },
  {
    name: 'user: absent removes the account',
    module: 'user',
    setup: 'id rct-u3 >/dev/null 2>&1 || useradd rct-u3',
    args: { name: 'rct-u3', state: 'absent' },
    check: '! id rct-u3 2>/dev/null',
  },
  {
    name: 'systemd: daemon-reload, enable and start a new unit',
    module: 'systemd',
    setup: `systemctl disable --now rct-svc 2>/dev/null; ${UNIT('rct-svc', '/bin/sleep infinity')}`,
    args: { name: 'rct-svc', state: 'started', enabled: true, daemon_reload: true },
    check: 'systemctl is-active --quiet rct-svc && systemctl is-enabled --quiet rct-svc',
    cleanup: 'systemctl disable --now rct-svc 2>/dev/null; rm -f /etc/systemd/system/rct-svc.service; systemctl daemon-reload',
  },
  {
    name: 'service (the alias): stops a running unit and masks it',
    module: 'service',
    setup: `${UNIT('rct-svc2', '/bin/sleep infinity', '/lib/systemd/system')} && systemctl daemon-reload && systemctl start rct-svc2`,
    args: { name: 'rct-svc2', state: 'stopped', masked: true },
    check: '! systemctl is-active --quiet rct-svc2 && [ "$(systemctl is-enabled rct-svc2)" = masked ]',
    cleanup: 'systemctl unmask rct-svc2; systemctl stop rct-svc2; rm -f /lib/systemd/system/rct-svc2.service; systemctl daemon-reload',
  },
  {
    name: 'apt: installs a package from the local repository',
    module: 'apt',
    setup: 'apt-get remove -y -q hello >/dev/null 2>&1; true',
    args: { name: ['hello'] },
    check: 'dpkg -s hello | grep -q "Status: install ok installed"',
    cleanup: 'apt-get remove -y -q hello >/dev/null 2>&1; true',
  },
  {
    name: 'apt: update_cache with cache_valid_time, then removes a package',
    module: 'apt',
    setup: 'rm -f /var/lib/rosey/apt-update-stamp; DEBIAN_FRONTEND=noninteractive apt-get install -y -q tree >/dev/null 2>&1',
    args: { name: 'tree', state: 'absent', update_cache: true, cache_valid_time: 3600 },
    check: '! dpkg -s tree 2>/dev/null | grep -q "ok installed" && [ -e /var/lib/rosey/apt-update-stamp ]',
  },
];
