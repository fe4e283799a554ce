import type { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import type { ServerEvents, TestServerOptions } from './server-model.js';

interface RunnableServer extends EventEmitter<ServerEvents> {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** CLI for the demo: node --import tsx bot/testing/cytube-server.ts --port 8080 --channel rosey --user rosey:secret[:rank] */
export async function cli(argv: string[], create: (opts: TestServerOptions) => RunnableServer): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      channel: { type: 'string', multiple: true, default: [] },
      user: { type: 'string', multiple: true, default: [] },
      antiflood: { type: 'string', default: 'channel' },
    },
  });
  const accounts: Record<string, string> = {};
  const ranks: Record<string, number> = {};
  for (const u of values.user ?? []) {
    const [name, password, rank] = u.split(':');
    if (!name || !password) throw new Error(`--user ${u}: expected name:password[:rank]`);
    accounts[name] = password;
    if (rank !== undefined) ranks[name] = Number(rank);
  }
  const [burst, sustained, cooldown] = (values.antiflood === 'channel' ? '4,1,4' : values.antiflood ?? '').split(',').map(Number);
  if (!burst || !sustained) throw new Error('--antiflood: expected "channel" or burst,sustained[,cooldown]');
  const server = create({ host: values.host, port: Number(values.port), accounts, ranks, channels: values.channel, antiflood: { burst, sustained, cooldown } });
  await server.start();
  process.stdout.write(JSON.stringify({ msg: 'cytube test server listening', url: server.url, channels: values.channel, accounts: Object.keys(accounts) }) + '\n');
  server.on('chat', (channel, m) => process.stdout.write(JSON.stringify({ msg: 'chat', channel, user: m.username, text: m.msg }) + '\n'));
  server.on('dropped', (channel, user) => process.stdout.write(JSON.stringify({ msg: 'antiflood dropped a line', channel, user }) + '\n'));
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
