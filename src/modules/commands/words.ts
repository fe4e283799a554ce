import { ModuleFailure } from '../types.js';

/**
 * Split a command line into words as Python's shlex (what Ansible's command
 * module does): quotes group, backslash escapes outside single quotes,
 * nothing else is special. The words are then quoted one by one, so `>`,
 * `|`, `$HOME` and `*` reach the program literally, as in Ansible.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) cur += text[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new ModuleFailure(`command: unbalanced ${quote} quote in ${JSON.stringify(text)}`);
  if (inWord) words.push(cur);
  return words;
}
