import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLIENT_DIR, CLIENT_KEY, HOST_PREFIX, KNOWN_HOSTS, MAX_HOSTS, REPO_ROOT, STATE_DIR, HOST_KINDS, hostInfo, type HostInfo, type HostKind } from './config.js';
import { alive, answers, boot, cgroupDirs, createRoot, knownHostsLines, leaderPid, stopContainer, waitReady } from './host.js';
import { ensureInotifyInstances } from './limits.js';
import { ensureImage } from './image.js';
import { configureHostNetwork, createHostLinks, ensureBridge, ourNetns, removeNetworks, setLink } from './network.js';
import { run, tryRun, type RunResult } from './run.js';
import { mapLimit } from '../../src/runner/limit.js';
import { clearState, readState, writeState, type HostState, type TestbedState } from './state.js';

/** What a test needs to reach one testbed host. */
export interface TestbedHost {
  name: string;
  address: string;
  port: number;
  /** root; `becomeUser` is the non-root user with passwordless sudo */
  user: string;
  becomeUser: string;
  keyPath: string;
  knownHostsPath: string;
}

type Log = (line: string) => void;

function ensureClientKey(): Promise<string> | string {
  if (existsSync(CLIENT_KEY) && existsSync(`${CLIENT_KEY}.pub`)) return readFileSync(`${CLIENT_KEY}.pub`, 'utf8').trim();
  mkdirSync(CLIENT_DIR, { recursive: true, mode: 0o700 });
  rmSync(CLIENT_KEY, { force: true });
  rmSync(`${CLIENT_KEY}.pub`, { force: true });
  return run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rosey-testbed', '-f', CLIENT_KEY]).then(() =>
    readFileSync(`${CLIENT_KEY}.pub`, 'utf8').trim(),
  );
}

function toTestbedHost(h: HostInfo): TestbedHost {
  return { name: h.name, address: h.address, port: 22, user: 'root', becomeUser: 'deploy', keyPath: CLIENT_KEY, knownHostsPath: KNOWN_HOSTS };
}

/** The hosts of the running testbed (empty when it is down). */
export function hosts(): TestbedHost[] {
  return (readState()?.hosts ?? []).map(toTestbedHost);
}

function findHost(name: string): { state: TestbedState; host: HostState } {
  const state = readState();
  const host = state?.hosts.find((h) => h.name === name);
  if (!state || !host) throw new Error(`testbed host ${name} is not up (hosts: ${hosts().map((h) => h.name).join(', ') || 'none'})`);
  return { state, host };
}

export { answers };

/**
 * Boots `n` hosts of one kind (config.ts HOST_KINDS; default: base, full
 * systemd, no python3; `light` and `light-python` run sshd alone). A no-op
 * when the same testbed is already up and answering; anything else left
 * over (a crash, another size, image or kind) is torn down first.
 */
export async function up(n = 3, log: Log = console.error, kind: HostKind = 'base'): Promise<TestbedHost[]> {
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOSTS) throw new Error(`testbed size must be 1..${MAX_HOSTS}, got ${n}`);
  const { image: variant, light } = HOST_KINDS[kind];
  const image = await ensureImage(log, variant);
  const publicKey = await ensureClientKey();
  const old = readState();
  const same = old && old.image === image && (old.light ?? false) === light && old.publicKey === publicKey;
  if (same && old.hosts.length === n && existsSync(KNOWN_HOSTS)) {
    const ok = await Promise.all(old.hosts.map(async (h) => alive(h.pid) && (await answers(h.address))));
    if (ok.every(Boolean)) {
      log(`testbed: already up (${n} hosts)`);
      return hosts();
    }
  }
  await down(() => undefined);
  ensureInotifyInstances(n, log);
  const started = Date.now();
  const infos = Array.from({ length: n }, (_, i) => hostInfo(i + 1));
  const state: TestbedState = { image, ...(light ? { light } : {}), publicKey, hosts: [] };
  writeState(state);
  await ensureBridge();
  // Recorded before anything is made, so a crash half-way leaves `down` the
  // full list (it also finds our netns and mounts on the system).
  state.hosts.push(...infos.map((h) => ({ name: h.name, address: h.address, index: h.index })));
  writeState(state);
  await createHostLinks(infos);
  // A few hosts at a time: short `ip`, `mount` and `ssh-keygen` runs, mostly waiting.
  await mapLimit(infos, 6, async (h) => {
    await configureHostNetwork(h);
    await createRoot(h, image, publicKey, light);
  });
  writeFileSync(KNOWN_HOSTS, infos.flatMap(knownHostsLines).join('\n') + '\n');
  const created = Date.now();
  for (const [i, h] of infos.entries()) {
    state.hosts[i]!.pid = boot(h, light);
    writeState(state);
  }
  // n hosts boot at once on a few cores: give a large testbed time in proportion
  const ready = await Promise.all(infos.map((h) => waitReady(h, 90_000 + n * 3_000, light)));
  ready.forEach((r, i) => {
    const failed = r.failedUnits.length ? `, failed units: ${r.failedUnits.join(' ')}` : '';
    log(`testbed: ${infos[i]!.name} ${infos[i]!.address} ${r.state}${failed}`);
  });
  const secs = (from: number, to = Date.now()) => ((to - from) / 1000).toFixed(1);
  log(`testbed: ${n} ${kind} hosts up in ${secs(started)} s (made in ${secs(started, created)} s, booted in ${secs(created)} s)`);
  return hosts();
}

/** Our overlay mounts, from the mount table, so a lost state file does not leak them. */
function ourMounts(): string[] {
  const prefix = join(STATE_DIR, 'hosts') + '/';
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes every container, mount, netns, veth and the bridge the testbed
 * made, whether `up` finished, failed half-way or crashed. Processes are
 * found by recorded PID or as members of our own network namespaces, never
 * by name.
 */
export async function down(log: Log = console.error): Promise<void> {
  const state = readState();
  const infos = new Map<string, HostInfo>();
  for (const h of state?.hosts ?? []) infos.set(h.name, hostInfo(h.index));
  for (const ns of await ourNetns()) infos.set(ns, hostInfo(Number(ns.slice(HOST_PREFIX.length))));
  await Promise.all(
    [...infos.values()].map((h) => stopContainer(h, state?.hosts.find((s) => s.name === h.name)?.pid)),
  );
  for (const m of ourMounts()) {
    if ((await tryRun('umount', [m])).rc !== 0) await tryRun('umount', ['-l', m]);
  }
  await removeNetworks();
  // the per-host cgroups went with each container; their shared parent goes last
  for (const d of new Set(cgroupDirs(hostInfo(1)).map((c) => dirname(c)))) await tryRun('rmdir', [d]);
  const hostsDir = join(STATE_DIR, 'hosts');
  if (existsSync(hostsDir) && ourMounts().length === 0) {
    for (const d of readdirSync(hostsDir)) rmSync(join(hostsDir, d), { recursive: true, force: true });
  }
  rmSync(KNOWN_HOSTS, { force: true });
  clearState();
  log(`testbed: down${infos.size ? ` (removed ${[...infos.keys()].join(', ')})` : ''}`);
}

/**
 * Takes this slot's testbed down when the process exits, however it exits
 * (an error, process.exit, a signal turned into an exit): synchronously,
 * since an exit hook cannot wait for `down`. Returns what cancels the hook,
 * for a caller that takes the testbed down itself.
 */
export function downAtExit(): () => void {
  const hook = (): void => {
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/testbed/main.ts'), 'down'], { cwd: REPO_ROOT, stdio: 'inherit' });
  };
  process.once('exit', hook);
  return () => void process.off('exit', hook);
}

export interface HostStatus {
  name: string;
  address: string;
  running: boolean;
  answers: boolean;
}

export async function status(): Promise<HostStatus[]> {
  return Promise.all(
    (readState()?.hosts ?? []).map(async (h) => ({
      name: h.name,
      address: h.address,
      running: alive(h.pid),
      answers: await answers(h.address),
    })),
  );
}

/** Cuts the host off the network silently (its bridge port goes down): open connections hang until keepalive notices. */
export async function cut(name: string): Promise<void> {
  await setLink(hostInfo(findHost(name).host.index), false);
}

export async function restore(name: string): Promise<void> {
  await setLink(hostInfo(findHost(name).host.index), true);
}

/** Powers the host off; its disk (overlay) and network stay, so `start` boots the same host again. */
export async function stop(name: string): Promise<void> {
  const { state, host } = findHost(name);
  await stopContainer(hostInfo(host.index), host.pid);
  delete host.pid;
  writeState(state);
}

export async function start(name: string): Promise<void> {
  const { state, host } = findHost(name);
  const h = hostInfo(host.index);
  if (alive(host.pid)) return;
  host.pid = boot(h, state.light);
  writeState(state);
  await waitReady(h, undefined, state.light);
}

/** Runs `sh -c cmd` inside the host (all its namespaces), without going through ssh: for asserting host state. */
export async function exec(name: string, cmd: string, input?: string): Promise<RunResult> {
  const { host } = findHost(name);
  const leader = await leaderPid(hostInfo(host.index));
  if (leader === undefined) throw new Error(`testbed host ${name} is not running`);
  return tryRun('nsenter', ['-t', String(leader), '-a', '--', '/bin/sh', '-c', cmd], { input: input ?? '' });
}

