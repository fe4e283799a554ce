import { MAX_CHAT_LENGTH } from './protocol.js';

// CyTube sends chat as HTML: the text escaped (xss.js sanitizeText, then the
// HTML sanitizer), the channel's chat filters applied (the default ones turn
// *bold* into <strong>bold</strong>, and so on), links as <a> tags. The bot
// reads it back as the markup the user typed, so `!echo *bold*` sends
// "*bold*" and the server makes it bold again. A channel's own custom filters
// cannot be undone this way; their tags are dropped and their text kept.

/** The default filters of CyTube's channel/filters.js, tag -> the markup it came from. */
const MARKUP: [RegExp, string][] = [
  [/<code>([\s\S]*?)<\/code>/g, '`$1`'],
  [/<strong>([\s\S]*?)<\/strong>/g, '*$1*'],
  [/<em>([\s\S]*?)<\/em>/g, '_$1_'],
  [/<s>([\s\S]*?)<\/s>/g, '~~$1~~'],
  [/<span class="spoiler">([\s\S]*?)<\/span>/g, '[sp]$1[/sp]'],
];

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(all: string, body: string): string {
  if (body[0] !== '#') return NAMED[body] ?? all;
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
}

/** What the user typed, from the HTML CyTube broadcasts. */
export function chatToText(msg: string): string {
  let text = msg;
  for (const [tag, markup] of MARKUP) text = text.replace(tag, markup);
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, decodeEntity)
    .trim();
}

/**
 * A line safe to send: control characters become spaces, a leading "/" is
 * defused (CyTube would run it as a chat command with the bot's rank, e.g.
 * /clear), and it fits CyTube's 320-character limit.
 */
export function safeChatLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- CyTube strips exactly these
  let line = text.replace(/[\x00-\x1f]+/g, ' ').trim();
  if (line.startsWith('/')) line = ' ' + line;
  return line.length > MAX_CHAT_LENGTH ? line.slice(0, MAX_CHAT_LENGTH - 1) + '…' : line;
}
