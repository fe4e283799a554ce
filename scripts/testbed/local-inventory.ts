import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BRIDGE_ADDR, CLIENT_DIR, HOST_PREFIX, SLOT, SUBNET } from './config.js';

const SOURCE = join(CLIENT_DIR, '..', 'inventory', 'local');

/**
 * `inventory/local` for this testbed slot: the same group_vars (and vault),
 * and its hosts.yml with the slot's host names and addresses (slot 0's
 * rosey-t<i> / 10.231.77.x become rosey<N>-t<i> / 10.231.(77+N).x) and the
 * testbed's key and known_hosts by absolute path. hosts.yml holds every
 * address of the local inventory, so nothing else differs between slots.
 * Returns the directory (.testbed/slot-N/local, rewritten on every call):
 * named `local`, as the engine names the environment after the folder.
 */
export function writeLocalInventory(dir = join(CLIENT_DIR, `slot-${SLOT}`, 'local')): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(SOURCE, 'group_vars'), join(dir, 'group_vars'), { recursive: true });
  writeFileSync(join(dir, 'hosts.yml'), slotHosts(readFileSync(join(SOURCE, 'hosts.yml'), 'utf8')));
  return dir;
}

/** Slot 0's hosts.yml rewritten for this slot. */
export function slotHosts(text: string): string {
  return text
    .replace(/\brosey-t(\d+)\b/g, `${HOST_PREFIX}$1`)
    .replace(/\b10\.231\.77\.1\b/g, BRIDGE_ADDR)
    .replace(/\b10\.231\.77\.(\d+)\b/g, `${SUBNET}.$1`)
    .replace(/\.\.\/\.\.\/\.testbed\//g, `${CLIENT_DIR}/`);
}
