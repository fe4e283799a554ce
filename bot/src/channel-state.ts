import type { MediaData, UserData } from './cytube/protocol.js';

/**
 * Who is in the channel and what is playing, as the server last told us.
 * The user list is exact and immediate (userlist, addUser, userLeave):
 * `userCount` is its size. The server's own `usercount` is kept apart: it
 * also counts anonymous viewers, who are never in the list, and CyTube sends
 * it at most once per 10 s, so it lags joins and leaves.
 */
export class ChannelState {
  readonly users = new Map<string, UserData>();
  media: MediaData | undefined;
  motd = '';
  /** The server's last `usercount`; undefined until one arrives. */
  serverUserCount: number | undefined;

  get userCount(): number {
    return this.users.size;
  }

  setUserlist(list: UserData[]): void {
    this.users.clear();
    for (const u of list) this.users.set(u.name.toLowerCase(), u);
  }

  addUser(user: UserData): void {
    this.users.set(user.name.toLowerCase(), user);
  }

  removeUser(name: string): void {
    this.users.delete(name.toLowerCase());
  }

  /** setUserMeta: a user's afk/muted flags changed. */
  setMeta(name: string, meta: NonNullable<UserData['meta']>): void {
    const u = this.users.get(name.toLowerCase());
    if (u) this.users.set(name.toLowerCase(), { ...u, meta: { ...u.meta, ...meta } });
  }

  /** Forget everything: called when the connection is lost, so health shows no stale count. */
  reset(): void {
    this.users.clear();
    this.media = undefined;
    this.serverUserCount = undefined;
  }
}
