// How CyTube turns a typed chat line into the HTML it broadcasts
// (chat.js formatMessage/filterMessage, xss.js, the default filters of
// channel/filters.js): escape the text, apply the channel's chat filters
// (markup to tags) outside links, turn links into <a> tags, then the HTML
// sanitizer re-serialises the text, which leaves only & < > escaped.

const LINK = /(\w+:\/\/(?:[^:/[\]\s]+|\[[0-9a-f:]+\])(?::\d+)?(?:\/[^/\s]*)*)/gi;
const PLACEHOLDER = '\ueeee';

/** CyTube's default filters: monospace, bold, italic, strike, inline spoiler. */
const DEFAULT_FILTERS: [RegExp, string][] = [
  [/`(.+?)`/g, '<code>$1</code>'],
  [/\*(.+?)\*/g, '<strong>$1</strong>'],
  [/_(.+?)_/g, '<em>$1</em>'],
  [/~~(.+?)~~/g, '<s>$1</s>'],
  [/\[sp\](.*?)\[\/sp\]/gi, '<span class="spoiler">$1</span>'],
];

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '(': '&#40;', ')': '&#41;' };
/** What the sanitizer gives back for the escapes it does not keep in text. */
const RESERIALISED: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#40;': '(', '&#41;': ')' };

export function formatChat(text: string): string {
  const escaped = text.replace(/[&<>"'()]/g, (c) => TEXT_ESCAPES[c] ?? c);
  const links = escaped.match(LINK) ?? [];
  let html = escaped.replace(LINK, PLACEHOLDER);
  for (const [re, replacement] of DEFAULT_FILTERS) html = html.replace(re, replacement);
  html = html.replace(/\ueeee/g, () => {
    const link = links.shift() ?? '';
    return `<a href="${link}" target="_blank">${link}</a>`;
  });
  return html.replace(/&quot;|&#39;|&#40;|&#41;/g, (e) => RESERIALISED[e] ?? e);
}
