import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: the testbed's client key and known_hosts live in `.testbed/` here (gitignored). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLIENT_DIR = join(REPO_ROOT, '.testbed');
export const CLIENT_KEY = join(CLIENT_DIR, 'id_ed25519');
export const KNOWN_HOSTS = join(CLIENT_DIR, 'known_hosts');

/** Outside the repo so every clone on the machine reuses one built image. */
export const IMAGE_CACHE = '/var/cache/rosey-testbed';
/** Per-host overlay layers and the state file. */
export const STATE_DIR = '/var/lib/rosey-testbed';
export const STATE_FILE = join(STATE_DIR, 'state.json');

/** Our own private /24: the controller is .1 on the bridge, host i is .(10+i). */
export const SUBNET = '10.231.77';
export const BRIDGE = 'rosey-br0';
export const BRIDGE_ADDR = `${SUBNET}.1`;
export const HOST_PREFIX = 'rosey-t';
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
