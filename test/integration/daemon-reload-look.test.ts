import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY_NEEDS_RELOAD } from '../../src/facts/unit.js';
import { exec, hosts } from './testbed.js';

/**
 * Whether any unit needs a daemon-reload, on a real systemd: the cheap look
 * (nothing changed status since the generators last ran) must answer as
 * systemd does, and hand everything else to systemd's own judgment. A
 * `systemd-analyze` first on PATH counts the times systemd was asked.
 */
const UNIT = '/etc/systemd/system/rosey-look.service';
const SPY = '/tmp/rosey-look-bin';
const CLEAN = `rm -rf ${UNIT} ${UNIT}.d ${SPY} /tmp/rosey-look-asked /tmp/rosey-look-find; systemctl daemon-reload`;

async function look(host: string): Promise<{ any: string; asked: number; systemd: string }> {
  await exec(host, 'rm -f /tmp/rosey-look-asked');
  const r = await exec(host, `PATH=${SPY}:$PATH; export PATH\n${ANY_NEEDS_RELOAD.text}`);
  expect(r.rc, r.stderr).toBe(0);
  const asked = await exec(host, 'cat /tmp/rosey-look-asked 2>/dev/null | wc -l');
  const systemd = await exec(host, 'systemctl show rosey-look -p NeedDaemonReload --value');
  return { any: r.stdout.trim(), asked: Number(asked.stdout.trim()), systemd: systemd.stdout.trim() };
}

describe('whether any unit needs a daemon-reload', () => {
  let host = '';
  beforeAll(async () => {
    host = hosts()[0]!.name;
    await exec(host, CLEAN);
    await exec(host, `mkdir -p ${SPY} && printf '#!/bin/sh\\necho asked >> /tmp/rosey-look-asked\\nexec /usr/bin/systemd-analyze "$@"\\n' > ${SPY}/systemd-analyze && chmod +x ${SPY}/systemd-analyze`);
    await exec(host, `printf '#!/bin/sh\\necho "$*" >> /tmp/rosey-look-find\\nexec /usr/bin/find "$@"\\n' > ${SPY}/find && chmod +x ${SPY}/find`);
    await exec(host, `printf '[Service]\\nExecStart=/bin/sleep infinity\\n' > ${UNIT} && systemctl daemon-reload && systemctl start rosey-look`);
  });
  afterAll(async () => {
    await exec(host, `systemctl stop rosey-look; ${CLEAN}`);
  });

  it('answers without systemd while nothing changed, and as systemd does after each kind of change', async () => {
    expect(await look(host)).toEqual({ any: 'anyNeedsReload=0', asked: 0, systemd: 'no' });

    // the loaded unit's file changed: systemd says yes, and is asked
    await exec(host, `echo '# changed' >> ${UNIT}`);
    expect(await look(host)).toEqual({ any: 'anyNeedsReload=1', asked: 1, systemd: 'yes' });
    await exec(host, 'systemctl daemon-reload');
    expect(await look(host)).toEqual({ any: 'anyNeedsReload=0', asked: 0, systemd: 'no' });

    // an old modification time (cp -p, touch -d): the status time is new, so systemd is asked, and it says no
    await exec(host, `touch -d 2020-01-01 ${UNIT}`);
    expect(await look(host)).toEqual({ any: 'anyNeedsReload=0', asked: 1, systemd: 'no' });
    await exec(host, 'systemctl daemon-reload');

    // a unit file that is a link: a change to the file it points at counts
    await exec(host, `mv ${UNIT} /tmp/rosey-look.service && ln -s /tmp/rosey-look.service ${UNIT} && systemctl daemon-reload`);
    expect(await look(host)).toMatchObject({ any: 'anyNeedsReload=0', asked: 0 });
    await exec(host, `echo '# again' >> /tmp/rosey-look.service`);
    expect(await look(host)).toEqual({ any: 'anyNeedsReload=1', asked: 1, systemd: 'yes' });
    await exec(host, `rm ${UNIT} && mv /tmp/rosey-look.service ${UNIT} && systemctl daemon-reload`);

    // with merged /usr, /lib/systemd/system is /usr/lib/systemd/system: walked once, and a change there is seen
    await exec(host, 'rm -f /tmp/rosey-look-find');
    expect(await look(host)).toMatchObject({ any: 'anyNeedsReload=0', asked: 0 });
    const walked = (await exec(host, 'cat /tmp/rosey-look-find')).stdout.split(' ');
    expect((await exec(host, '[ /lib/systemd/system -ef /usr/lib/systemd/system ]')).rc).toBe(0);
    expect(walked.filter((a) => a === '/lib/systemd/system' || a === '/usr/lib/systemd/system')).toHaveLength(1);
    await exec(host, 'touch /usr/lib/systemd/system/ssh.service');
    expect(await look(host)).toEqual({ any: 'anyNeedsReload=1', asked: 1, systemd: 'no' });
    await exec(host, 'systemctl daemon-reload');

    // a generated unit whose source is gone: systemd is asked (the generators' folder is rebuilt by the reload in afterAll)
    await exec(host, "printf '[Unit]\\nSourcePath=/nonexistent/rosey-look\\n' > /run/systemd/generator/rosey-look-gen.service");
    expect(await look(host)).toMatchObject({ asked: 1 });
  });
});
