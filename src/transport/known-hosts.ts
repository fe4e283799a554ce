import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { fileMemo } from './file-memo.js';
import { HostKeyError, type ConnectionSpec } from './connection.js';

/** One key line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  file: string;
  /** 1-based line number, for messages that tell the user what to edit */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** the host field as written: comma-separated patterns, or one `|1|salt|hash` */
  hosts: string;
  keyType: string;
  /** base64 of the key blob */
  key: string;
}

/** The key a server presented during the handshake. */
export interface PresentedKey {
  type: string;
  /** base64 of the key blob */
  key: string;
}

export type HostKeyVerdict =
  | { kind: 'trusted'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  /** known with other keys: `entries` holds every line for this host */
  | { kind: 'changed'; entries: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, key] = fields;
    // Malformed lines are skipped, as ssh does.
    if (!hosts || !keyType || !key) return;
    entries.push({ file, line: i + 1, ...(marker ? { marker } : {}), hosts, keyType, key });
  });
  return entries;
}

/** Each known_hosts file parsed once while it stays the same: every host of a run checks against the same file. */
const parsedKnownHosts = fileMemo(parseKnownHosts);

/**
 * A missing file is an empty one: every host is then unknown. Read at once,
 * not in turns of the event loop: a connection's handshake starts right
 * after, before the first task's preparation takes the loop.
 */
export function loadKnownHosts(file: string): KnownHostEntry[] {
  try {
    return parsedKnownHosts(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * The names ssh looks a host up by: `host` on port 22 and `[host]:port`
 * otherwise. `[host]:22` is accepted as well, since some tools write it.
 */
export function lookupNames(host: string, port: number): string[] {
  return port === 22 ? [host, `[${host}]:22`] : [`[${host}]:${port}`];
}

const ASCII = /^[\x20-\x7e]*$/;
const globs = new Map<string, RegExp>();

/**
 * Glob with `*` and `?`, as in ssh_config patterns, case-insensitive. Every
 * connection checks every line of known_hosts (50 hosts: 50 x 50 lines), so
 * a plain name is compared as text and a glob compiled once.
 */
function globMatch(pattern: string, name: string): boolean {
  const plain = !pattern.includes('*') && !pattern.includes('?');
  if (plain && ASCII.test(pattern) && ASCII.test(name)) return pattern.length === name.length && pattern.toLowerCase() === name.toLowerCase();
  let re = globs.get(pattern);
  if (re === undefined) {
    if (globs.size >= 10_000) globs.clear();
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    globs.set(pattern, re);
  }
  return re.test(name);
}

function hashedMatch(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const names = lookupNames(host, port);
  if (entry.hosts.startsWith('|')) return names.some((n) => hashedMatch(entry.hosts, n));
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (!names.some((n) => globMatch(p, n))) continue;
    // A matching negated pattern rules the line out whatever else matches.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, presented: PresentedKey): HostKeyVerdict {
  const same = (e: KnownHostEntry): boolean => e.keyType === presented.type && e.key === presented.key;
  // A revoked key is refused even when the line names no host.
  const revoked = entries.find((e) => e.marker === 'revoked' && same(e));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port));
  const trusted = forHost.find(same);
  if (trusted) return { kind: 'trusted', entry: trusted };
  return forHost.length === 0 ? { kind: 'unknown' } : { kind: 'changed', entries: forHost };
}

/** Key types known for a host: offered first in the handshake, so a known host is checked against the key we hold. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port)).map((e) => e.keyType);
  return [...new Set(types)];
}

/** Reads the type out of an SSH wire-format public key blob. */
export function presentedKey(blob: Buffer): PresentedKey {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return { type, key: blob.toString('base64') };
}

/** `SHA256:...` as `ssh-keygen -l` prints it. */
export function fingerprint(keyBase64: string): string {
  return 'SHA256:' + createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64').replace(/=+$/, '');
}

/** The ssh2 algorithm names that can carry a key of each known_hosts type, in OpenSSH's order of preference (its default HostKeyAlgorithms). */
const ALGORITHMS_FOR_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};
const ALL_ALGORITHMS = Object.values(ALGORITHMS_FOR_TYPE).flat();

/** A host key check for one connection: ssh2's verifier plus what it saw, for the error message. */
export interface HostKeyCheck {
  spec: ConnectionSpec;
  knownHostsPath: string;
  /** host key algorithms, those known for this host first (as OpenSSH orders them) */
  algorithms: string[];
  verify: (blob: Buffer) => boolean;
  presented?: PresentedKey;
  verdict?: HostKeyVerdict;
}

export function verifierFor(spec: ConnectionSpec, knownHostsPath: string): HostKeyCheck {
  const entries = loadKnownHosts(knownHostsPath);
  const known = new Set(knownKeyTypes(entries, spec.address, spec.port).flatMap((t) => ALGORITHMS_FOR_TYPE[t] ?? []));
  const check: HostKeyCheck = {
    spec,
    knownHostsPath,
    // known first, each group in OpenSSH's order, not the file's: a host known by all its keys is asked for its Ed25519 one, as ssh does
    algorithms: [...ALL_ALGORITHMS.filter((a) => known.has(a)), ...ALL_ALGORITHMS.filter((a) => !known.has(a))],
    verify: (blob) => {
      check.presented = presentedKey(blob);
      check.verdict = checkHostKey(entries, spec.address, spec.port, check.presented);
      return check.verdict.kind === 'trusted';
    },
  };
  return check;
}

/** The error for a refused key, or undefined when the key was not the reason the connection failed. */
export function hostKeyRefusal(check: HostKeyCheck): HostKeyError | undefined {
  const { spec, verdict, presented, knownHostsPath } = check;
  if (!verdict || !presented || verdict.kind === 'trusted') return undefined;
  const target = `${spec.name} (${spec.address}:${spec.port})`;
  const lookup = spec.port === 22 ? spec.address : `[${spec.address}]:${spec.port}`;
  const seen = `${presented.type} key ${fingerprint(presented.key)}`;
  const optOut = 'Only for throwaway hosts: turn host key checking off for this host in the inventory.';
  switch (verdict.kind) {
    case 'unknown':
      return new HostKeyError(
        spec.name,
        `Host key verification failed for ${target}: the host is not in ${knownHostsPath}. It presented the ${seen}. ` +
          `If that is the host you mean, add its key (ssh-keyscan -p ${spec.port} ${spec.address} >> ${knownHostsPath}, ` +
          `then compare the fingerprint with ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host). ${optOut}`,
      );
    case 'changed': {
      const old = verdict.entries.map((e) => `${e.file}:${e.line} (${e.keyType} ${fingerprint(e.key)})`).join(', ');
      return new HostKeyError(
        spec.name,
        `HOST KEY CHANGED for ${target}: it presented the ${seen}, but ${old} holds a different key. ` +
          `Someone may be intercepting the connection, or the host was reinstalled. Rosey will not connect. ` +
          `If you know the host was rebuilt, remove the old key (ssh-keygen -R '${lookup}' -f ${knownHostsPath}) and add the new one.`,
      );
    }
    case 'revoked':
      return new HostKeyError(
        spec.name,
        `Host key for ${target} is revoked (${verdict.entry.file}:${verdict.entry.line}): it presented the ${seen}. Rosey will not connect.`,
      );
  }
}
