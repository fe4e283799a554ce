// The part of CyTube's socket.io protocol the bot speaks, as CyTube 3.x
// sends it (src/user.js, src/channel/channel.js, src/channel/chat.js in
// calzoneman/sync). The test server in bot/testing implements the same.

export interface UserData {
  name: string;
  rank: number;
  profile?: { image: string; text: string };
  meta?: { afk?: boolean; muted?: boolean };
}

export interface ChatMessage {
  username: string;
  msg: string;
  meta: Record<string, unknown>;
  /** Server clock, ms since the epoch. */
  time: number;
}

export interface PrivateMessage extends ChatMessage {
  to: string;
}

export interface MediaData {
  id: string;
  title: string;
  type: string;
  seconds?: number;
  duration?: string;
}

export type LoginResult = { success: true; name: string; guest?: boolean } | { success: false; error: string };

export interface ServerToClientEvents {
  login: (data: LoginResult) => void;
  rank: (rank: number) => void;
  userlist: (users: UserData[]) => void;
  addUser: (user: UserData) => void;
  userLeave: (data: { name: string }) => void;
  usercount: (count: number) => void;
  chatMsg: (msg: ChatMessage) => void;
  pm: (msg: PrivateMessage) => void;
  changeMedia: (media: MediaData) => void;
  setMotd: (motd: string) => void;
  errorMsg: (data: { msg: string; alert?: boolean }) => void;
  kick: (data: { reason: string }) => void;
  needPassword: (wrongPassword: boolean) => void;
  /** Sent instead of broadcasting a chat line the antiflood dropped; ms until the next is allowed. */
  cooldown: (ms: number) => void;
}

export interface ClientToServerEvents {
  joinChannel: (data: { name: string }) => void;
  login: (data: { name: string; pw?: string }) => void;
  chatMsg: (data: { msg: string; meta: Record<string, unknown> }) => void;
  pm: (data: { to: string; msg: string; meta: Record<string, unknown> }) => void;
  channelPassword: (password: string) => void;
}

/** The response of GET /socketconfig/<channel>.json. */
export interface SocketConfig {
  servers?: { url: string; secure: boolean; ipv6?: boolean }[];
  error?: string;
}

/** CyTube cuts chat lines at this length. */
export const MAX_CHAT_LENGTH = 240;
