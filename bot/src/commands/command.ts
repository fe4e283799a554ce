import type { MarkovChain } from './markov-chain.js';

/** What a command can read about the bot; nothing here can send or mutate. */
export interface CommandContext {
  /** Words after the command name. */
  args: string[];
  /** The rest of the line after the command name, spacing kept. */
  text: string;
  user: string;
  prefix: string;
  version: string;
  uptimeSeconds: number;
  userCount: number;
  users: string[];
  markov: MarkovChain | undefined;
  commands: readonly Command[];
}

export interface Command {
  name: string;
  usage: string;
  /** Returns the reply lines, or none. */
  run(ctx: CommandContext): string[];
}

export interface ParsedCommand {
  name: string;
  args: string[];
  text: string;
}

/** `!echo  hi there` -> { name: 'echo', args: ['hi', 'there'], text: 'hi there' }. */
export function parseCommand(line: string, prefix: string): ParsedCommand | undefined {
  if (!line.startsWith(prefix)) return undefined;
  const body = line.slice(prefix.length);
  const match = /^([a-z0-9_-]{1,32})(?:\s+([\s\S]*))?$/i.exec(body.trim() === body ? body : body.trimEnd());
  if (!match?.[1]) return undefined;
  const text = (match[2] ?? '').trim();
  return { name: match[1].toLowerCase(), args: text === '' ? [] : text.split(/\s+/), text };
}
