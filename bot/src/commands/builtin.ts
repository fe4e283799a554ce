import type { Command, CommandContext } from './command.js';

export interface Features {
  echo: boolean;
  markov: boolean;
}

function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d ? `${d}d` : '', d || h ? `${h}h` : '', d || h || m ? `${m}m` : '', `${s % 60}s`];
  return parts.filter(Boolean).join(' ');
}

const help: Command = {
  name: 'help',
  usage: 'help: list the commands',
  run: (ctx: CommandContext) => [`Commands: ${ctx.commands.map((c) => ctx.prefix + c.name).join(' ')}`],
};

const uptime: Command = {
  name: 'uptime',
  usage: 'uptime: how long the bot has been running',
  run: (ctx) => [`Up ${formatUptime(ctx.uptimeSeconds)}`],
};

const version: Command = {
  name: 'version',
  usage: 'version: the bot version',
  run: (ctx) => [`Rosey bot ${ctx.version}`],
};

const users: Command = {
  name: 'users',
  usage: 'users: who is here',
  run: (ctx) => {
    const shown = ctx.users.slice(0, 20).join(', ');
    const more = ctx.users.length > 20 ? ` and ${ctx.users.length - 20} more` : '';
    return [`${ctx.userCount} in the channel${shown ? `: ${shown}${more}` : ''}`];
  },
};

const echo: Command = {
  name: 'echo',
  usage: 'echo TEXT: say TEXT back',
  run: (ctx) => (ctx.text ? [ctx.text] : []),
};

const markov: Command = {
  name: 'markov',
  usage: 'markov [WORD]: a sentence in the style of this channel',
  run: (ctx) => {
    const line = ctx.markov?.generate(ctx.args[0]);
    return [line || 'I have not heard enough chat yet.'];
  },
};

/** The commands this bot answers, given its feature toggles. */
export function builtinCommands(features: Features): Command[] {
  return [help, uptime, version, users, ...(features.echo ? [echo] : []), ...(features.markov ? [markov] : [])];
}
