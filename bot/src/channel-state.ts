import type { MediaData, UserData } from './cytube/protocol.js';

/**
 * Who is in the channel and what is playing, as the server last told us.
 * `userCount` is the server's `usercount` (it counts anonymous viewers, who
 * never appear in the user list); until the first one arrives it is the list size.
 */
export class ChannelState {
  readonly users = new Map<string, UserData>();
  media: MediaData | undefined;
  motd = '';
  #count: number | undefined;

  get userCount(): number {
    return this.#count ?? this.users.size;
  }

  setUserlist(list: UserData[]): void {
    this.users.clear();
    for (const u of list) if (u && typeof u.name === 'string' && u.name !== '') this.users.set(u.name.toLowerCase(), u);
  }

  addUser(user: UserData): void {
    if (user && typeof user.name === 'string') this.users.set(user.name.toLowerCase(), user);
  }

  removeUser(name: string): void {
    if (typeof name === 'string') this.users.delete(name.toLowerCase());
  }

  setUserCount(count: number): void {
    if (Number.isInteger(count) && count >= 0) this.#count = count;
  }

  /** Forget everything: called when the connection is lost, so health shows no stale count. */
  reset(): void {
    this.users.clear();
    this.media = undefined;
    this.#count = undefined;
  }
}
