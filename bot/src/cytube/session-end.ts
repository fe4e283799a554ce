/** Why a session ended; decides how long to wait before the next one. */
export type SessionEnd =
  | { kind: 'connect-failed'; detail: string }
  | { kind: 'timeout'; detail: string }
  | { kind: 'disconnected'; detail: string }
  /** A moderator's kick or a ban. */
  | { kind: 'kicked'; detail: string }
  /** The server reloaded or unloaded the channel and put everyone out: come straight back. */
  | { kind: 'channel-reload'; detail: string }
  /** Another client logged in with our account, and CyTube keeps the newest session. */
  | { kind: 'duplicate-login'; detail: string }
  | { kind: 'login-refused'; detail: string }
  | { kind: 'channel-password'; detail: string };

export type EndKind = SessionEnd['kind'];

/** How long to wait before trying again. */
export type Wait = 'backoff' | 'at-once' | 'long';

export const END_WAIT: Record<EndKind, Wait> = {
  'connect-failed': 'backoff',
  timeout: 'backoff',
  disconnected: 'backoff',
  'channel-reload': 'at-once',
  // A quick retry would not fix these; for a duplicate login it would start a
  // fight with the other client, each login kicking the other out.
  kicked: 'long',
  'duplicate-login': 'long',
  'login-refused': 'long',
  'channel-password': 'long',
};

/**
 * The reasons CyTube itself gives when it kicks (channel.js, server.js,
 * web/account registration): anything else is a moderator's /kick (whose
 * reason is free text) or a ban.
 */
const SERVER_KICKS: Record<string, EndKind> = {
  'Channel reloading': 'channel-reload',
  'Channel shutting down': 'channel-reload',
  'Duplicate login': 'duplicate-login',
};

export function kickEnd(reason: string | undefined): SessionEnd {
  const detail = reason === undefined || reason === '' ? 'no reason given' : reason;
  return { kind: SERVER_KICKS[detail] ?? 'kicked', detail };
}
