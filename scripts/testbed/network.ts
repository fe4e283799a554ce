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

/**
 * A netns per host with a veth pair: `host0` inside, its peer in the bridge.
 * All hosts in one `ip -batch` (50 hosts at 8 `ip` runs each took seconds).
 */
export async function createHostLinks(hosts: readonly HostInfo[]): Promise<void> {
  const lines = hosts.flatMap((h) => [
    `netns add ${netnsName(h)}`,
    `link add ${vethName(h)} type veth peer name host0 netns ${netnsName(h)}`,
    `link set ${vethName(h)} master ${BRIDGE} up`,
  ]);
  await run('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
}

/** Inside the host's netns: its address on host0, no default route (the hosts have no internet). */
export async function configureHostNetwork(h: HostInfo): Promise<void> {
  const lines = [`addr add ${h.address}/24 dev host0`, 'link set host0 up', 'link set lo up'];
  await run('ip', ['-n', netnsName(h), '-batch', '-'], { input: lines.join('\n') + '\n' });
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
