import { homedir, userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import type { ConnectionSpec } from '../transport/connection.js';
import { Secret } from '../transport/quote.js';
import { suggest } from '../vars/did-you-mean.js';
import { varOrigin } from '../vars/merge.js';
import type { Vars } from './types.js';

/**
 * How to reach a host, from its variables. Each setting accepts Rosey's name
 * and Ansible's (`rosey_port` or `ansible_port`; Rosey's wins when both are
 * set). Deviation from Ansible: a relative key or known_hosts path resolves
 * against the inventory directory (`inventory_dir`), not the directory
 * rosey-apply runs from, so an inventory works from anywhere.
 */
export interface ConnectionDefaults {
  /** user when none is set (default: the user running rosey-apply) */
  user?: string;
  /** seconds (default 10) */
  timeoutSeconds?: number;
}

const KINDS = ['ssh', 'local'] as const;

/** Every variable connectionSpec reads (the inventory renders templates in these first). */
export const CONNECTION_VARS = [
  'rosey_host', 'ansible_host', 'rosey_port', 'ansible_port', 'rosey_user', 'ansible_user',
  'rosey_connection', 'ansible_connection', 'rosey_private_key_file', 'ansible_ssh_private_key_file',
  'ansible_private_key_file', 'rosey_known_hosts_file', 'rosey_host_key_checking', 'ansible_host_key_checking',
  'rosey_timeout', 'ansible_timeout',
] as const;

interface Reader {
  pick(names: readonly string[]): { name: string; value: unknown } | undefined;
  fail(name: string, summary: string, detail?: string): void;
}

function reader(host: string, vars: Vars, diags: Diagnostic[], locate: (name: string) => SourceLoc | undefined): Reader {
  return {
    pick(names) {
      for (const name of names) {
        const value = vars[name];
        if (value !== undefined && value !== null) return { name, value: value instanceof Secret ? value.reveal() : value };
      }
      return undefined;
    },
    fail(name, summary, detail) {
      diags.push({ severity: 'error', summary: `host "${host}": ${name} ${summary}`, detail, source: locate(name) });
    },
  };
}

function text(r: Reader, names: readonly string[]): string | undefined {
  const v = r.pick(names);
  if (!v) return undefined;
  if (typeof v.value === 'string' && v.value.trim() !== '') return v.value.trim();
  if (typeof v.value === 'number') return String(v.value);
  r.fail(v.name, `must be a non-empty string, got ${JSON.stringify(v.value)}`);
  return undefined;
}

function path(r: Reader, names: readonly string[], baseDir: string): string | undefined {
  const p = text(r, names);
  if (p === undefined) return undefined;
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

function port(r: Reader): number {
  const v = r.pick(['rosey_port', 'ansible_port']);
  if (!v) return 22;
  const n = typeof v.value === 'string' && /^\s*\d+\s*$/.test(v.value) ? Number(v.value) : v.value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  r.fail(v.name, `must be a port number (1-65535), got ${JSON.stringify(v.value)}`);
  return 22;
}

function kind(r: Reader): ConnectionSpec['kind'] {
  const v = r.pick(['rosey_connection', 'ansible_connection']);
  if (!v) return 'ssh';
  if (v.value === 'smart' || v.value === 'paramiko') return 'ssh';
  if (typeof v.value === 'string' && (KINDS as readonly string[]).includes(v.value)) return v.value as ConnectionSpec['kind'];
  const s = typeof v.value === 'string' ? suggest(v.value, KINDS) : undefined;
  r.fail(v.name, `must be "ssh" or "local", got ${JSON.stringify(v.value)}`, s ? `Did you mean "${s}"?` : undefined);
  return 'ssh';
}

/** Host key checking is on unless explicitly turned off with false (or "false"/"no"). */
function hostKeyChecking(r: Reader): boolean {
  const v = r.pick(['rosey_host_key_checking', 'ansible_host_key_checking']);
  if (!v || v.value === true) return true;
  if (v.value === false) return false;
  if (typeof v.value === 'string') {
    const s = v.value.trim().toLowerCase();
    if (s === 'false' || s === 'no') return false;
    if (s === 'true' || s === 'yes') return true;
  }
  r.fail(v.name, `must be true or false, got ${JSON.stringify(v.value)}`);
  return true;
}

function timeoutMs(r: Reader, dflt: number): number {
  const v = r.pick(['rosey_timeout', 'ansible_timeout']);
  if (!v) return dflt * 1000;
  const n = typeof v.value === 'string' ? Number(v.value) : v.value;
  if (typeof n === 'number' && Number.isFinite(n) && n > 0) return Math.round(n * 1000);
  r.fail(v.name, `must be a number of seconds above 0, got ${JSON.stringify(v.value)}`);
  return dflt * 1000;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

/**
 * The ConnectionSpec for `hostName` from its (rendered) variables. Relative
 * paths resolve against `vars.inventory_dir`. A bad value is a UserError at
 * the variable's location (by default found with `varOrigin`, which knows
 * it when `vars` came from `mergeVars`).
 */
export function connectionSpec(
  hostName: string,
  vars: Vars,
  defaults: ConnectionDefaults = {},
  locate: (name: string) => SourceLoc | undefined = (name) => varOrigin(vars, name)?.source,
): ConnectionSpec {
  const diags: Diagnostic[] = [];
  const r = reader(hostName, vars, diags, locate);
  const baseDir = typeof vars.inventory_dir === 'string' ? vars.inventory_dir : process.cwd();
  const spec: ConnectionSpec = {
    kind: kind(r),
    name: hostName,
    address: text(r, ['rosey_host', 'ansible_host']) ?? hostName,
    port: port(r),
    user: text(r, ['rosey_user', 'ansible_user']) ?? defaults.user ?? currentUser(),
    hostKeyChecking: hostKeyChecking(r),
    connectTimeoutMs: timeoutMs(r, defaults.timeoutSeconds ?? 10),
  };
  const key = path(r, ['rosey_private_key_file', 'ansible_ssh_private_key_file', 'ansible_private_key_file'], baseDir);
  if (key !== undefined) spec.privateKeyPath = key;
  const known = path(r, ['rosey_known_hosts_file'], baseDir);
  if (known !== undefined) spec.knownHostsPath = known;
  if (diags.length > 0) throw new UserError(diags);
  return spec;
}
