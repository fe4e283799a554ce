import { raw } from '../transport/quote.js';
import type { Fact } from './types.js';
import { FactError, fromBase64, keyValues } from './parse.js';
import { distributionName, parseOsRelease } from './os-release.js';

/** What `gather_facts` gives a play, as `facts.<name>`. */
export interface HostFacts {
  /** short host name (uname -n) */
  hostname: string;
  /** kernel name as uname -s prints it: "Linux" (Ansible's ansible_system) */
  os: string;
  /** "Debian", "Ubuntu", ... (Ansible's ansible_distribution); os-release NAME for others */
  distribution: string;
  /** os-release ID: "debian" */
  distribution_id: string;
  /** os-release VERSION_ID: "12"; "" on rolling releases */
  version: string;
  /** os-release VERSION_CODENAME: "bookworm"; "" when absent */
  codename: string;
  /** uname -m: "x86_64", "aarch64" */
  arch: string;
  /** PID 1's name: "systemd", "init", ... ("unknown" when unreadable) */
  init: string;
  /** online CPUs (nproc) */
  cpus: number;
  /** MemTotal in MiB, rounded down */
  memory_mb: number;
}

/**
 * Everything `gather_facts` reports, in one POSIX sh command using only
 * coreutils and /proc (no python, no hostname binary, no lsb_release).
 * os-release travels base64-encoded: its values are free text.
 */
export const HOST_FACTS_COMMAND = raw(
  [
    'echo "hostname=$(uname -n)"',
    'echo "os=$(uname -s)"',
    'echo "arch=$(uname -m)"',
    'echo "cpus=$(nproc 2>/dev/null || echo 1)"',
    `echo "mem_kb=$(sed -n 's/^MemTotal:[[:space:]]*\\([0-9]*\\).*/\\1/p' /proc/meminfo 2>/dev/null)"`,
    'echo "init=$(cat /proc/1/comm 2>/dev/null)"',
    'f=/etc/os-release; [ -r $f ] || f=/usr/lib/os-release',
    'printf "os_release="; if [ -r $f ]; then base64 -w0 < $f; fi; echo',
  ].join('\n'),
);

export function hostFacts(): Fact<HostFacts> {
  return { command: HOST_FACTS_COMMAND, parse: parseHostFacts };
}

export function parseHostFacts(stdout: string): HostFacts {
  const kv = keyValues(stdout);
  const get = (k: string): string => {
    const v = kv.get(k);
    if (v === undefined) throw new FactError(`host facts: the host did not report "${k}"`);
    return v.trim();
  };
  const rel = parseOsRelease(fromBase64(get('os_release')).toString('utf8'));
  const memKb = Number(get('mem_kb'));
  const cpus = Number(get('cpus'));
  return {
    hostname: get('hostname'),
    os: get('os'),
    distribution: distributionName(rel),
    distribution_id: rel.ID ?? '',
    version: rel.VERSION_ID ?? '',
    codename: rel.VERSION_CODENAME ?? '',
    arch: get('arch'),
    init: get('init') || 'unknown',
    cpus: Number.isInteger(cpus) && cpus > 0 ? cpus : 1,
    memory_mb: Number.isFinite(memKb) ? Math.floor(memKb / 1024) : 0,
  };
}
