import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

// The part of CyTube's socket.io protocol the bot speaks, as CyTube 3.x
// sends it (src/user.js, src/channel/channel.js, src/channel/chat.js,
// src/channel/accesscontrol.js in calzoneman/sync). Each event the bot reads
// has one schema here: the TS type comes from it and every incoming frame is
// checked against it before the bot acts on it. The schemas hold what the
// bot reads; extra fields the server adds are allowed. The test server in
// bot/testing implements the same protocol.

/** Date can format this; a chat line's time outside it is a bad frame, not a crash in the chat log. */
const EpochMs = Type.Number({ minimum: 0, maximum: 8.64e15 });

const UserMeta = Type.Object({ afk: Type.Optional(Type.Boolean()), muted: Type.Optional(Type.Boolean()) });

const UserDataSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  rank: Type.Number(),
  meta: Type.Optional(UserMeta),
});

const ChatMessageSchema = Type.Object({
  username: Type.String(),
  msg: Type.String(),
  meta: Type.Optional(Type.Object({})),
  /** Server clock, ms since the epoch. */
  time: EpochMs,
});

const PrivateMessageSchema = Type.Object({ ...ChatMessageSchema.properties, to: Type.String() });

const MediaSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  type: Type.String(),
  seconds: Type.Optional(Type.Number()),
  duration: Type.Optional(Type.String()),
});

const LoginResultSchema = Type.Union([
  Type.Object({ success: Type.Literal(true), name: Type.String({ minLength: 1 }), guest: Type.Optional(Type.Boolean()) }),
  Type.Object({ success: Type.Literal(false), error: Type.String() }),
]);

/** The payload of each server event the bot reads (each carries one). */
export const SERVER_EVENTS = {
  login: LoginResultSchema,
  rank: Type.Number(),
  userlist: Type.Array(UserDataSchema),
  addUser: UserDataSchema,
  userLeave: Type.Object({ name: Type.String() }),
  /** Every socket in the channel, anonymous viewers too; throttled to one per 10 s (USERCOUNT_THROTTLE). */
  usercount: Type.Integer({ minimum: 0 }),
  chatMsg: ChatMessageSchema,
  pm: PrivateMessageSchema,
  changeMedia: MediaSchema,
  setMotd: Type.String(),
  errorMsg: Type.Object({ msg: Type.String() }),
  /** A kick by the server has no reason at times (user.kick() with none). */
  kick: Type.Object({ reason: Type.Optional(Type.String()) }),
  /** true: the password given was wrong; false: the channel wants one (a moderator is let in after login instead). */
  needPassword: Type.Boolean(),
  /** Sent instead of our chat line when the antiflood dropped it: ms to wait (1000 / sustained). */
  cooldown: Type.Number({ minimum: 0, maximum: 10_000 }),
  /** Our chat line was dropped because we are muted in the channel. */
  noflood: Type.Object({ action: Type.String(), msg: Type.String() }),
  /** Our chat line was dropped by the channel's new-account chat delay. */
  spamFiltered: Type.Object({ reason: Type.String() }),
  setUserMeta: Type.Object({ name: Type.String(), meta: UserMeta }),
} satisfies Record<string, TSchema>;

export type ServerEventName = keyof typeof SERVER_EVENTS;
export type ServerEventData = { [E in ServerEventName]: Static<(typeof SERVER_EVENTS)[E]> };

export type UserData = Static<typeof UserDataSchema>;
export type ChatMessage = Static<typeof ChatMessageSchema>;
export type PrivateMessage = Static<typeof PrivateMessageSchema>;
export type MediaData = Static<typeof MediaSchema>;
export type LoginResult = Static<typeof LoginResultSchema>;

export type ServerToClientEvents = { [E in ServerEventName]: (data: ServerEventData[E]) => void } & {
  /** The channel let us in without its password (a moderator) or after it. */
  cancelNeedPassword: () => void;
};

const CHECKS = Object.fromEntries(Object.entries(SERVER_EVENTS).map(([name, schema]) => [name, TypeCompiler.Compile(schema)])) as {
  [E in ServerEventName]: TypeCheck<(typeof SERVER_EVENTS)[E]>;
};

/** True when `data` has the shape the real server gives event `event`. */
export function isValidEvent<E extends ServerEventName>(event: E, data: unknown): data is ServerEventData[E] {
  return CHECKS[event].Check(data);
}

export interface ClientToServerEvents {
  joinChannel: (data: { name: string; pw?: string }) => void;
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

/** CyTube cuts chat lines and PMs at this length (chat.js; it was 240 before 3.x). */
export const MAX_CHAT_LENGTH = 320;
