import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: the testbed's client key and known_hosts live in `.testbed/` here (gitignored). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLIENT_DIR = join(REPO_ROOT, '.testbed');
export const CLIENT_KEY = join(CLIENT_DIR, 'id_ed25519');
export const KNOWN_HOSTS = join(CLIENT_DIR, 'known_hosts');

/** Outside the repo so every clone on the machine reuses one built image. */
export const IMAGE_CACHE = '/var/cache/rosey-testbed';
/**
 * Several checkouts on one machine (parallel work trees) each get their own
 * testbed by setting ROSEY_TESTBED_SLOT=1..9: their own subnet, bridge, host
 * names and state. Slot 0 (the default) keeps the names in docs/testbed.md.
 */
export const SLOT = testbedSlot(process.env.ROSEY_TESTBED_SLOT);
function testbedSlot(raw: string | undefined): number {
  const n = Number(raw ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new Error(`ROSEY_TESTBED_SLOT must be 0..9, not ${raw}`);
  return n;
}
const SUFFIX = SLOT === 0 ? '' : `-${SLOT}`;

/** Per-host overlay layers and the state file. */
export const STATE_DIR = `/var/lib/rosey-testbed${SUFFIX}`;
export const STATE_FILE = join(STATE_DIR, 'state.json');

/** Our own private /24: the controller is .1 on the bridge, host i is .(10+i). */
export const SUBNET = `10.231.${77 + SLOT}`;
export const BRIDGE = `rosey-br${SLOT}`;
export const BRIDGE_ADDR = `${SUBNET}.1`;
export const HOST_PREFIX = SLOT === 0 ? 'rosey-t' : `rosey${SLOT}-t`;
/** Bridge-side veth names: `rb-t<i>` (slot 0) or `rb<slot>t<i>`, under the 15-character limit. */
export const VETH_PREFIX = SLOT === 0 ? 'rb-t' : `rb${SLOT}t`;
/** The cgroup folder all hosts of this testbed live under. */
export const CGROUP_NAME = `rosey-testbed${SUFFIX}`;
export const MAX_HOSTS = 50;

/** Installed in the base image. Roles install prometheus and nodejs with apt; the hosts have no internet. */
export const IMAGE_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'sudo',
  'iproute2',
  'procps',
  'ca-certificates',
  'nodejs',
  'prometheus',
  'prometheus-alertmanager',
];
/**
 * Image variants. `base` (the default) is what the engine is tested on: no
 * python3, Rosey needs only sshd and a shell. `python` adds python3 so
 * Ansible can run on the same kind of host, for the side-by-side benchmark
 * in bench/; only that image may hold python3.
 */
export const VARIANTS = { base: [] as string[], python: ['python3'] } as const;
export type Variant = keyof typeof VARIANTS;
export function isVariant(v: string): v is Variant {
  return Object.hasOwn(VARIANTS, v);
}

/**
 * Kinds of host `up` boots: an image variant, booted with systemd (`-b`) or
 * light: nspawn runs only sshd (as PID 2 under nspawn's stub init), no
 * systemd, no services. Light hosts are for the benchmark at scale (the
 * file-level workload needs no systemd): 50 of them boot in seconds and
 * take a few MiB each. Same users, key, sudo and network as the others.
 */
export const HOST_KINDS = {
  base: { image: 'base', light: false },
  python: { image: 'python', light: false },
  light: { image: 'base', light: true },
  'light-python': { image: 'python', light: true },
} as const satisfies Record<string, { image: Variant; light: boolean }>;
export type HostKind = keyof typeof HOST_KINDS;
export function isHostKind(v: string): v is HostKind {
  return Object.hasOwn(HOST_KINDS, v);
}

/** Served from a local file: apt repository inside the image, not installed. */
export const REPO_DEBS = ['hello', 'tree'];

export interface HostInfo {
  /** inventory name and hostname */
  name: string;
  address: string;
  index: number;
}

export function hostInfo(i: number): HostInfo {
  return { name: `${HOST_PREFIX}${i}`, address: `${SUBNET}.${10 + i}`, index: i };
}
