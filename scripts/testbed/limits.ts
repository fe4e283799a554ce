import { readFileSync, writeFileSync } from 'node:fs';

const INSTANCES = '/proc/sys/fs/inotify/max_user_instances';

/**
 * Every container's systemd (and its services) takes inotify instances from
 * the one root user of this kernel; Debian's default of 128 runs out a few
 * hosts into a shared machine, and the next systemd dies at boot with "Too
 * many open files". Raised, never lowered.
 */
export function ensureInotifyInstances(hosts: number, log: (msg: string) => void): void {
  const want = 256 + hosts * 64;
  const have = Number(readFileSync(INSTANCES, 'utf8').trim());
  if (have >= want) return;
  writeFileSync(INSTANCES, `${want}\n`);
  log(`testbed: fs.inotify.max_user_instances ${have} -> ${want}`);
}
