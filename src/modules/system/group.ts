import { Type, type Static } from '@sinclair/typebox';
import { groupFact, type GroupInfo } from '../../facts/accounts.js';
import { sh } from '../../transport/quote.js';
import { defineModule, type Change } from '../types.js';
import { STRICT } from '../args.js';
import { applyAccount, type AccountData } from './account-apply.js';

export const GroupArgs = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[a-z_][a-z0-9_-]*\\$?$', description: 'The group name.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present', description: 'present: the group exists; absent: it does not.' })),
    gid: Type.Optional(Type.Integer({ minimum: 0, description: 'The group id; an existing group with another gid is changed (groupmod -g).' })),
    system: Type.Optional(Type.Boolean({ default: false, description: 'Create it as a system group (gid from the system range); ignored for an existing group.' })),
  },
  { ...STRICT, description: 'Manage a group.' },
);

type Args = Static<typeof GroupArgs>;

function plan(cur: GroupInfo | undefined, a: Args): Change<AccountData>[] {
  if (a.state === 'absent') {
    return cur ? [{ action: 'delete', summary: `remove group ${a.name}`, data: { cmd: sh`groupdel ${a.name}` } }] : [];
  }
  if (!cur) {
    const opts = [...(a.system ? ['--system'] : []), ...(a.gid !== undefined ? ['--gid', String(a.gid)] : [])];
    const summary = `create group ${a.name}${a.gid !== undefined ? ` (gid ${a.gid})` : ''}`;
    return [{ action: 'create', summary, data: { cmd: sh`groupadd ${opts} ${a.name}` } }];
  }
  if (a.gid !== undefined && a.gid !== cur.gid) {
    return [{ action: 'update', summary: `set gid of group ${a.name}: ${cur.gid} → ${a.gid}`, data: { cmd: sh`groupmod --gid ${a.gid} ${a.name}` } }];
  }
  return [];
}

export const group = defineModule({
  name: 'group',
  description: 'Make a group exist (with a gid, as a system group) or not.',
  args: GroupArgs,
  facts: (a: Args) => groupFact(a.name),
  plan,
  result: (cur: GroupInfo | undefined, a: Args) => ({ name: a.name, ...(cur ? { gid: cur.gid } : {}) }),
  apply: applyAccount,
});
