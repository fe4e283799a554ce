import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPlay, type Observed } from '../runner/run-play.js';

/**
 * Each folder of test/fixtures/ansible-compat is a playbook Ansible ran once
 * (scripts/ansible-compat/record.sh wrote expected.json: exit code, what ran
 * on each host in order, the recap). Rosey runs the same playbook on the same
 * local-connection inventory and must do the same.
 */
const CASES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'ansible-compat');
const cases = readdirSync(CASES).filter((d) => /^\d/.test(d));

describe.each(cases)('as Ansible does: %s', (name) => {
  it('same exit code, same tasks in the same order on each host, same recap', async () => {
    const expected = JSON.parse(readFileSync(join(CASES, name, 'expected.json'), 'utf8')) as Observed;
    const got = await runPlay(join(CASES, name, 'site.yml'), join(CASES, 'hosts.yml'));
    const detail = got.error ?? JSON.stringify(got.events.filter((e) => e.kind === 'host-result').map((e) => e.kind === 'host-result' && [e.host, e.task.title, e.result.status, e.result.msg]));
    expect({ rc: got.rc, ran: got.ran, recap: got.recap }, detail).toEqual({ rc: expected.rc, ran: expected.ran, recap: expected.recap });
  });
});
