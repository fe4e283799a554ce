import { MAX_CHAT_LENGTH } from './protocol.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#039': "'", '#x2F': '/', '#x27': "'", '#47': '/' };

/** CyTube sends chat HTML-escaped, links as <a> tags: give back what the user typed. */
export function chatToText(msg: string): string {
  return msg
    .replace(/<[^>]*>/g, '')
    .replace(/&(#?[a-zA-Z0-9]+);/g, (all, name: string) => ENTITIES[name] ?? all)
    .trim();
}

/**
 * A line safe to send: control characters become spaces, a leading "/" is
 * defused (CyTube would run it as a chat command with the bot's rank, e.g.
 * /clear), and it fits CyTube's 240-character limit.
 */
export function safeChatLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- CyTube strips exactly these
  let line = text.replace(/[\x00-\x1f]+/g, ' ').trim();
  if (line.startsWith('/')) line = ' ' + line;
  return line.length > MAX_CHAT_LENGTH ? line.slice(0, MAX_CHAT_LENGTH - 1) + '…' : line;
}
