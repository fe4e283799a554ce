import { BRIDGE, BRIDGE_ADDR, HOST_PREFIX, VETH_PREFIX, type HostInfo } from './config.js';
import { run, tryRun } from './run.js';

/** Names we own: the netns is the host's name, its bridge port VETH_PREFIX<i>. */
export function netnsName(h: HostInfo): string {
  return h.name;
}
export function vethName(h: HostInfo): string {
  return `${VETH_PREFIX}${h.index}`;
}

export async function ensureBridge(): Promise<void> {
  if ((await tryRun('ip', ['link', 'show', BRIDGE])).rc !== 0) {
    await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  }
  const addrs = await run('ip', ['-o', 'addr', 'show', 'dev', BRIDGE]);
  if (!addrs.includes(`${BRIDGE_ADDR}/24`)) await run('ip', ['addr', 'add', `${BRIDGE_ADDR}/24`, 'dev', BRIDGE]);
  await run('ip', ['link', 'set', BRIDGE, 'up']);
}

/** A netns with one veth into the bridge and the host's address; no default route (the hosts have no internet). */
export async function createHostNetwork(h: HostInfo): Promise<void> {
  const ns = netnsName(h);
  const veth = vethName(h);
  const peer = `${veth}p`;
  await run('ip', ['netns', 'add', ns]);
  await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', peer]);
  await run('ip', ['link', 'set', peer, 'netns', ns]);
  await run('ip', ['link', 'set', veth, 'master', BRIDGE, 'up']);
  await run('ip', ['-n', ns, 'link', 'set', peer, 'name', 'host0']);
  await run('ip', ['-n', ns, 'addr', 'add', `${h.address}/24`, 'dev', 'host0']);
  await run('ip', ['-n', ns, 'link', 'set', 'host0', 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}

/** Drops every packet to and from the host: its bridge port goes down, silently (no RST, no ICMP). */
export async function setLink(h: HostInfo, up: boolean): Promise<void> {
  await run('ip', ['link', 'set', vethName(h), up ? 'up' : 'down']);
}

/** Our netns names, from `ip netns list`, whether or not the state file knows them. */
export async function ourNetns(): Promise<string[]> {
  const out = (await tryRun('ip', ['netns', 'list'])).stdout;
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => new RegExp(`^${HOST_PREFIX}\\d+$`).test(n));
}

/** PIDs inside one of our namespaces (the containers' processes). */
export async function netnsPids(ns: string): Promise<number[]> {
  const out = (await tryRun('ip', ['netns', 'pids', ns])).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

/** Deletes our veths, netns and the bridge; each step tolerates "already gone". */
export async function removeNetworks(): Promise<void> {
  const links = (await tryRun('ip', ['-o', 'link', 'show'])).stdout;
  for (const m of links.matchAll(new RegExp(`^\\d+: (${VETH_PREFIX}\\d+)[@:]`, 'gm'))) {
    if (m[1]) await tryRun('ip', ['link', 'del', m[1]]);
  }
  for (const ns of await ourNetns()) await tryRun('ip', ['netns', 'del', ns]);
  await tryRun('ip', ['link', 'del', BRIDGE]);
}
