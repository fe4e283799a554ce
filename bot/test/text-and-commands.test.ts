import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/commands/command.js';
import { chatToText, safeChatLine } from '../src/cytube/text.js';
import { ChatLog } from '../src/observe/chat-log.js';

describe('commands and chat text', () => {
  it('parses a command after the prefix, keeping the text', () => {
    expect(parseCommand('!echo  hi   there', '!')).toEqual({ name: 'echo', args: ['hi', 'there'], text: 'hi   there' });
    expect(parseCommand('!HELP', '!')).toEqual({ name: 'help', args: [], text: '' });
    expect(parseCommand('hello !help', '!')).toBeUndefined();
    expect(parseCommand('! help', '!')).toBeUndefined();
    expect(parseCommand('~~users', '~~')?.name).toBe('users');
  });

  it('reads CyTube HTML as the text the user typed', () => {
    expect(chatToText('a &lt;b&gt; &amp; <a href="http://x" target="_blank">http://x</a> &#39;q&#39;')).toBe("a <b> & http://x 'q'");
  });

  it('gives back the markup that CyTube\'s default chat filters turned into tags, and every escape sanitizeText makes', () => {
    expect(chatToText('<strong>bold</strong> <em>it</em> <code>code</code> <s>gone</s> <span class="spoiler">secret</span>')).toBe('*bold* _it_ `code` ~~gone~~ [sp]secret[/sp]');
    expect(chatToText('&#40;x&#41; &quot;q&quot; &#x2F; &#8364;')).toBe('(x) "q" / €');
  });

  it('never sends a line CyTube would run as a command, and cuts long lines at CyTube\'s 320 characters', () => {
    expect(safeChatLine('/clear')).toBe(' /clear');
    expect(safeChatLine('a\x00\x1fb')).toBe('a b');
    expect(safeChatLine('x'.repeat(320))).toBe('x'.repeat(320));
    expect(safeChatLine('x'.repeat(500))).toHaveLength(320);
  });

  it('rotates the chat log by size and keeps only the configured number of old files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-chatlog-'));
    const file = join(dir, 'chat.log');
    const log = new ChatLog({ file, maxBytes: 2048, keep: 2 }, (e) => {
      throw e;
    });
    for (let i = 0; i < 400; i++) {
      log.write({ time: 0, user: 'u', msg: `line ${i} ${'x'.repeat(20)}` });
      if (i % 10 === 0) log.flush();
    }
    log.close();
    expect(readdirSync(dir).sort()).toEqual(['chat.log', 'chat.log.1', 'chat.log.2']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2048);
    expect(readFileSync(file, 'utf8').trim().split('\n').at(-1)).toContain('line 399');
  });
});
