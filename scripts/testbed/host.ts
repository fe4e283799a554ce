import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { CGROUP_NAME, CLIENT_KEY, KNOWN_HOSTS, STATE_DIR, type HostInfo } from './config.js';
import { netnsName, netnsPids } from './network.js';
import { run, tryRun } from './run.js';

/** A light host's only host key (see createRoot and LIGHT_COMMAND). */
const LIGHT_HOST_KEY = 'etc/ssh/ssh_host_ed25519_key';

export function hostDir(h: HostInfo): string {
  return join(STATE_DIR, 'hosts', h.name);
}
export function rootDir(h: HostInfo): string {
  return join(hostDir(h), 'root');
}

/** The overlay (base image below, this host's changes above) with the host's identity written into it. */
export async function createRoot(h: HostInfo, image: string, publicKey: string, light = false): Promise<void> {
  const dir = hostDir(h);
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['upper', 'work', 'root']) mkdirSync(join(dir, d), { recursive: true });
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${image},upperdir=${dir}/upper,workdir=${dir}/work`, rootDir(h)]);
  const root = rootDir(h);
  writeFileSync(join(root, 'etc/hostname'), `${h.name}\n`);
  writeFileSync(join(root, 'etc/hosts'), `127.0.0.1 localhost\n127.0.1.1 ${h.name}\n::1 localhost ip6-localhost ip6-loopback\n`);
  writeFileSync(join(root, 'etc/machine-id'), randomBytes(16).toString('hex') + '\n');
  // nspawn mounts the root itself; remounting it per fstab races with that
  // and sometimes fails, leaving the host "degraded" for nothing.
  symlinkSync('/dev/null', join(root, 'etc/systemd/system/systemd-remount-fs.service'));
  // Fresh host keys for this host only: the image holds none. A light host
  // gets one ed25519 key (the only one its sshd loads): RSA key generation
  // would be most of the cost of creating 50 hosts.
  if (light) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.name}`, '-f', join(root, LIGHT_HOST_KEY)]);
  else await run('ssh-keygen', ['-q', '-A', '-f', root]);
  writeAuthorizedKeys(root, '/root', publicKey);
  writeAuthorizedKeys(root, '/home/deploy', publicKey);
}

function writeAuthorizedKeys(root: string, home: string, publicKey: string): void {
  const sshDir = join(root, home, '.ssh');
  const file = join(sshDir, 'authorized_keys');
  writeFileSync(file, publicKey.trim() + '\n', { mode: 0o600 });
  // owned like the .ssh folder the image made for that user
  const { uid, gid } = statSync(sshDir);
  chownSync(file, uid, gid);
}

/** known_hosts lines for a host, in both the plain form ssh writes for port 22 and the `[addr]:22` form. */
export function knownHostsLines(h: HostInfo): string[] {
  const root = rootDir(h);
  return readdirSync(join(root, 'etc/ssh'))
    .filter((f) => /^ssh_host_.*_key\.pub$/.test(f))
    .sort()
    .map((f) => {
      const [type, key] = readFileSync(join(root, 'etc/ssh', f), 'utf8').trim().split(/\s+/);
      return `${h.address},[${h.address}]:22 ${type} ${key}`;
    });
}

/**
 * One cgroup per host in each hierarchy systemd uses. Without it every
 * container's systemd manages the same (the controller's) cgroup, and they
 * take each other's processes: units then fail at random with 219/CGROUP.
 */
export function cgroupDirs(h: HostInfo): string[] {
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  const roots = /^cgroup2 \/sys\/fs\/cgroup cgroup2 /m.test(mounts)
    ? ['/sys/fs/cgroup']
    : ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((d) => mounts.includes(` ${d} cgroup`));
  return roots.map((r) => join(r, CGROUP_NAME, h.name));
}

/** Removes a host's cgroups, innermost first (the container's systemd made sub-cgroups). */
export async function removeCgroups(h: HostInfo): Promise<void> {
  for (const d of cgroupDirs(h)) await tryRun('find', [d, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
}

/**
 * What a light host runs instead of systemd: sshd in the foreground (its
 * log on stderr, to the console log), after making the privilege separation
 * folder that systemd's ssh.service would (the container's /run is a fresh
 * tmpfs).
 */
const LIGHT_COMMAND = ['/bin/sh', '-c', `mkdir -p -m 0755 /run/sshd && exec /usr/sbin/sshd -D -e -o HostKey=/${LIGHT_HOST_KEY}`];

// Joins the host's cgroups, then becomes nspawn with the same PID (setsid
// does not fork: sh is not a process group leader).
const ENTER_CGROUPS = 'for d in $ROSEY_CGROUPS; do mkdir -p "$d" && echo $$ > "$d/cgroup.procs" || exit 1; done; exec setsid "$@"';

/**
 * Starts the container in its own session so it outlives this process;
 * returns nspawn's PID. A full host boots systemd (`-b`); a light one runs
 * sshd as PID 2 under nspawn's stub init (`--as-pid2`, which reaps orphans
 * and turns nspawn's SIGTERM into the end of the container).
 */
export function boot(h: HostInfo, light = false): number {
  const log = openSync(join(hostDir(h), 'console.log'), 'a');
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      ENTER_CGROUPS,
      'sh',
      'systemd-nspawn',
      '-q',
      '-D', rootDir(h),
      '--register=no',
      '--keep-unit',
      ...(light ? ['--as-pid2'] : ['-b']),
      `--machine=${h.name}`,
      `--network-namespace-path=/run/netns/${netnsName(h)}`,
      '--console=read-only',
      '--resolv-conf=off',
      '--timezone=off',
      '--link-journal=no',
      ...(light ? LIGHT_COMMAND : []),
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, ROSEY_CGROUPS: cgroupDirs(h).join(' ') } },
  );
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start systemd-nspawn for ${h.name}`);
  return child.pid;
}

export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    // Our nspawn, not a recycled PID that now belongs to something else.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('systemd-nspawn');
  } catch {
    return false;
  }
}

/** The container's init as seen from the controller: the process in the host's netns that is PID 1 in its own PID namespace. */
export async function leaderPid(h: HostInfo): Promise<number | undefined> {
  for (const pid of await netnsPids(netnsName(h))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ns = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/);
      if (ns && ns.length > 1 && ns[ns.length - 1] === '1') return pid;
    } catch {
      // exited while we looked
    }
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Powers the container off (nspawn turns SIGTERM into a clean shutdown), then kills what is left. */
export async function stopContainer(h: HostInfo, pid: number | undefined): Promise<void> {
  if (alive(pid)) process.kill(pid!, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid!, 'SIGKILL');
  // Anything still in the host's netns is the container's: a nspawn killed
  // hard leaves its init running.
  for (const p of await netnsPids(netnsName(h))) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 50 && ((await netnsPids(netnsName(h))).length > 0 || alive(pid)); i++) await sleep(100);
  await removeCgroups(h);
}

export interface Readiness {
  state: string;
  failedUnits: string[];
}

/** ssh as the testbed's key, verifying the host key against the testbed's known_hosts. */
export function sshArgs(h: HostInfo, user = 'root', connectTimeoutS = 2): string[] {
  return [
    '-i', CLIENT_KEY,
    '-o', `UserKnownHostsFile=${KNOWN_HOSTS}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${connectTimeoutS}`,
    '-o', 'LogLevel=ERROR',
    `${user}@${h.address}`,
  ];
}

/** Does something speak SSH on the host's port 22 within the timeout? */
export function answers(address: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host: address, port: 22, timeout: timeoutMs });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('data', (b: Buffer) => done(b.toString('latin1').startsWith('SSH-')));
    sock.once('timeout', () => done(false));
    sock.once('error', () => done(false));
  });
}

/**
 * Waits until sshd answers and systemd has finished booting; running or
 * degraded both count as up. A light host is up when its sshd greets
 * (state `light`).
 */
export async function waitReady(h: HostInfo, timeoutMs = 90_000, light = false): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    // A light host has no boot to wait for: its sshd greeting (read
    // in-process; 50 ssh clients at once cost seconds of CPU) says it is up.
    // Login and sudo are checked by the first real run, as on any host.
    if (light) {
      if (await answers(h.address, 1000)) return { state: 'light', failedUnits: [] };
      await sleep(100);
      continue;
    }
    const probe = 'systemctl is-system-running --wait; systemctl --failed --plain --no-legend';
    const r = await tryRun('ssh', [...sshArgs(h), probe], { timeoutMs: 60_000 });
    const [state = '', ...rest] = r.stdout.trim().split('\n');
    if (state === 'running' || state === 'degraded') {
      return { state, failedUnits: rest.map((l) => l.trim().split(/\s+/)[0] ?? '').filter(Boolean) };
    }
    last = (state || r.stderr).trim();
    await sleep(300);
  }
  throw new Error(`${h.name} (${h.address}) did not come up in ${timeoutMs / 1000} s: ${last}; see ${join(hostDir(h), 'console.log')}`);
}
