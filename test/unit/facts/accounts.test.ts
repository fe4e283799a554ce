import { describe, expect, it } from 'vitest';
import { userFact } from '../../../src/facts/accounts.js';
import { readFact } from '../../../src/facts/run.js';
import type { Fact } from '../../../src/facts/types.js';
import { user } from '../../../src/modules/system/user.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { failing, withPathSpies } from '../path-spy.js';

const conn = new LocalConnection(localSpec());
const read = <F>(fact: Fact<F>): Promise<F> => readFact(fact, (cmd) => conn.exec(cmd));

// The user's groups cost two `id` processes on the host: read only for a task that names them.
describe('the user fact', () => {
  // an `id` first on PATH that says it ran and answers nothing
  const noId = <T>(fn: () => Promise<T>): Promise<T> => withPathSpies({ id: failing('id') }, fn);

  it('reads the passwd line without `id` for a task that names no groups', () =>
    noId(async () => {
      const facts = user.facts!({ name: 'root', shell: '/bin/sh' })!;
      expect(facts.command.text).not.toMatch(/\bid\b/);
      const root = await read(facts);
      expect(root).toEqual({ name: 'root', uid: 0, gid: 0, comment: 'root', home: '/root', shell: expect.any(String) });
      // as Ansible's user module returns it: the primary group's id
      expect(user.result?.(root, { name: 'root' })).toMatchObject({ uid: 0, group: 0 });
    }));

  it('reads the groups for a task that names them', async () => {
    for (const args of [{ name: 'root', group: 'root' }, { name: 'root', groups: ['root'] }]) expect(user.facts!(args)!.command.text).toMatch(/id -Gn/);
    expect(await read(userFact('root', { groups: true }))).toMatchObject({ gid: 0, group: 'root', groups: expect.arrayContaining(['root']) });
    await noId(async () => expect(await read(userFact('no-such-user-here'))).toBeUndefined());
  });
});
