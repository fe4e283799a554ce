import { Type, type Static } from '@sinclair/typebox';
import { userFact, type UserInfo } from '../../facts/accounts.js';
import { sh } from '../../transport/quote.js';
import { defineModule, type Change } from '../types.js';
import { STRICT } from '../args.js';
import { applyAccount, type AccountData } from './account-apply.js';

const Name = Type.String({ minLength: 1, pattern: '^[a-z_][a-z0-9_-]*\\$?$' });

export const UserArgs = Type.Object(
  {
    name: { ...Name, description: 'The user name.' },
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present', description: 'present: the user exists as described; absent: it does not (its home is kept).' })),
    uid: Type.Optional(Type.Integer({ minimum: 0, description: 'The user id.' })),
    group: Type.Optional({ ...Name, description: 'Primary group (must exist). Default on creation: a new group named like the user.' }),
    groups: Type.Optional(
      Type.Union([Type.Array(Name), Type.String()], { description: 'Supplementary groups, a list or "a,b". With append: false (default) the user is in exactly these (besides the primary group).' }),
    ),
    append: Type.Optional(Type.Boolean({ default: false, description: 'true: add the user to `groups`, leave its other groups.' })),
    home: Type.Optional(Type.String({ minLength: 1, description: 'Home directory (absolute). An existing user gets the new path; files are not moved.' })),
    shell: Type.Optional(Type.String({ minLength: 1, description: 'Login shell, e.g. /usr/sbin/nologin for a service user.' })),
    comment: Type.Optional(Type.String({ description: 'The GECOS field (full name).' })),
    system: Type.Optional(Type.Boolean({ default: false, description: 'Create it as a system user (uid from the system range); ignored for an existing user.' })),
    create_home: Type.Optional(Type.Boolean({ default: true, description: 'Create the home directory when the user is created.' })),
  },
  { ...STRICT, description: 'Manage a user account.' },
);

type Args = Static<typeof UserArgs>;

function wantedGroups(a: Args): string[] | undefined {
  if (a.groups === undefined) return undefined;
  const list = typeof a.groups === 'string' ? a.groups.split(',') : a.groups;
  return [...new Set(list.map((g) => g.trim()).filter(Boolean))].sort();
}

function create(a: Args): Change<AccountData> {
  const groups = wantedGroups(a);
  const opts: string[] = [];
  if (a.system) opts.push('--system');
  if (a.uid !== undefined) opts.push('--uid', String(a.uid));
  if (a.group !== undefined) opts.push('--gid', a.group);
  else opts.push('--user-group');
  if (groups?.length) opts.push('--groups', groups.join(','));
  if (a.home !== undefined) opts.push('--home-dir', a.home);
  opts.push(a.create_home === false ? '--no-create-home' : '--create-home');
  if (a.shell !== undefined) opts.push('--shell', a.shell);
  if (a.comment !== undefined) opts.push('--comment', a.comment);
  return { action: 'create', summary: `create user ${a.name}`, data: { cmd: sh`useradd ${opts} ${a.name}` } };
}

/** usermod options for what differs, and words for the summary. */
function differences(cur: UserInfo, a: Args): { opts: string[]; what: string[] } {
  const opts: string[] = [];
  const what: string[] = [];
  const set = (flag: string, label: string, before: string | number, after: string | number | undefined): void => {
    if (after === undefined || String(after) === String(before)) return;
    opts.push(flag, String(after));
    what.push(`${label} ${before} → ${after}`);
  };
  set('--uid', 'uid', cur.uid, a.uid);
  set('--gid', 'group', cur.group ?? cur.gid, a.group);
  set('--home', 'home', cur.home, a.home);
  set('--shell', 'shell', cur.shell, a.shell);
  set('--comment', 'comment', cur.comment, a.comment);
  const groups = wantedGroups(a);
  if (groups) {
    const primary = a.group ?? cur.group;
    const have = (cur.groups ?? []).filter((g) => g !== cur.group).sort();
    const missing = groups.filter((g) => !have.includes(g) && g !== primary);
    const extra = a.append ? [] : have.filter((g) => !groups.includes(g));
    if (missing.length || extra.length) {
      if (a.append) opts.push('--append', '--groups', missing.join(','));
      else opts.push('--groups', groups.filter((g) => g !== primary).join(','));
      what.push(`groups ${[...missing.map((g) => `+${g}`), ...extra.map((g) => `-${g}`)].join(' ')}`);
    }
  }
  return { opts, what };
}

function plan(cur: UserInfo | undefined, a: Args): Change<AccountData>[] {
  if (a.state === 'absent') return cur ? [{ action: 'delete', summary: `remove user ${a.name}`, data: { cmd: sh`userdel ${a.name}` } }] : [];
  if (!cur) return [create(a)];
  const { opts, what } = differences(cur, a);
  if (!opts.length) return [];
  return [{ action: 'update', summary: `set ${what.join(', ')} of user ${a.name}`, data: { cmd: sh`usermod ${opts} ${a.name}` } }];
}

export const user = defineModule({
  name: 'user',
  description: 'Make a user account exist as described (uid, primary and other groups, home, shell, system user) or not.',
  args: UserArgs,
  // the groups are read only for a task that names them
  facts: (a: Args) => userFact(a.name, { groups: a.group !== undefined || a.groups !== undefined }),
  plan,
  // `group` is the primary group's id, as Ansible's user module returns it
  result: (cur: UserInfo | undefined, a: Args) => ({ name: a.name, ...(cur ? { uid: cur.uid, home: cur.home, shell: cur.shell, group: cur.gid } : {}) }),
  apply: applyAccount,
});
