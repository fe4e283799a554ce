import type { SessionEnd } from './cytube/client.js';
import type { ErrorKind } from './observe/metrics.js';

// What the bot counts and says when a session ends, per reason.

export const END_ERROR_KIND: Record<SessionEnd['kind'], ErrorKind> = {
  'connect-failed': 'connection',
  timeout: 'connection',
  disconnected: 'connection',
  'channel-reload': 'connection',
  kicked: 'kick',
  'duplicate-login': 'login',
  'login-refused': 'login',
  'channel-password': 'login',
};

export function endMessage(end: SessionEnd, username: string): string {
  switch (end.kind) {
    case 'connect-failed':
      return 'cannot connect to the server, retrying';
    case 'timeout':
      return 'the server did not answer in time, retrying';
    case 'disconnected':
      return 'connection lost, reconnecting';
    case 'channel-reload':
      return 'the server reloaded the channel and put everyone out; rejoining at once';
    case 'kicked':
      return 'kicked from the channel; retrying after reconnect.kick_delay';
    case 'duplicate-login':
      return `another client logged in as ${username} and CyTube put this bot out (Duplicate login): is a second bot or a person using this account? Not fighting for it; retrying after reconnect.kick_delay`;
    case 'login-refused':
      return 'login refused (check the username and the password variable); retrying after reconnect.kick_delay';
    case 'channel-password':
      return 'cannot enter the password-protected channel; retrying after reconnect.kick_delay';
  }
}

/** Ends that are part of normal operation are warnings; the rest need someone to look. */
export function endLevel(end: SessionEnd): 'warn' | 'error' {
  return END_ERROR_KIND[end.kind] === 'connection' ? 'warn' : 'error';
}
