import { raw, sh } from '../transport/quote.js';
import type { Fact } from './types.js';
import { keyValues } from './parse.js';

/** A group as /etc/group (through NSS) knows it. */
export interface GroupInfo {
  name: string;
  gid: number;
}

export interface UserInfo {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
  /** primary group name (read with `groups` only) */
  group?: string;
  /** every group the user is in, the primary one included (read only when asked for) */
  groups?: string[];
}

/** `getent group NAME`: the group, or undefined when there is none. */
export function groupFact(name: string): Fact<GroupInfo | undefined> {
  return {
    command: sh`getent group ${name} || true`,
    parse(stdout) {
      const line = stdout.split('\n').find((l) => l.startsWith(`${name}:`));
      if (!line) return undefined;
      const [, , gid] = line.split(':');
      return { name, gid: Number(gid) };
    },
  };
}

/**
 * The user's passwd line in one command, or undefined when there is none;
 * with `groups`, its primary group's name and all its groups too. Those
 * cost two `id` processes (and their forks) on the host, for a task that
 * names groups only.
 */
export function userFact(name: string, opts: { groups?: boolean } = {}): Fact<UserInfo | undefined> {
  const groups = opts.groups ? sh`; printf 'group=%s\n' "$(id -gn ${name})"; printf 'groups=%s\n' "$(id -Gn ${name})"` : raw('');
  return {
    command: sh`if p=$(getent passwd ${name}); then printf 'passwd=%s\n' "$p"${groups}; fi`,
    parse(stdout) {
      const kv = keyValues(stdout);
      const passwd = kv.get('passwd');
      if (!passwd) return undefined;
      const [, , uid, gid, comment, home, shell] = passwd.split(':');
      return {
        name,
        uid: Number(uid),
        gid: Number(gid),
        comment: comment ?? '',
        home: home ?? '',
        shell: shell ?? '',
        ...(opts.groups ? { group: kv.get('group') ?? '', groups: (kv.get('groups') ?? '').split(' ').filter(Boolean) } : {}),
      };
    },
  };
}
