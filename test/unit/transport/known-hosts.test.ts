import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  entryMatchesHost,
  fingerprint,
  knownKeyTypes,
  parseKnownHosts,
  presentedKey,
  verifierFor,
  type KnownHostEntry,
} from '../../../src/transport/known-hosts.js';

/** A key blob in SSH wire format: string type, then opaque bytes. */
function blob(type: string, seed: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(seed.padEnd(32, '.'))]);
}

const ED_A = blob('ssh-ed25519', 'a').toString('base64');
const ED_B = blob('ssh-ed25519', 'b').toString('base64');
const RSA_A = blob('ssh-rsa', 'a').toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

function parse(lines: string[]): KnownHostEntry[] {
  return parseKnownHosts(lines.join('\n'), '/kh');
}

describe('parseKnownHosts', () => {
  it('reads hosts, type, key and line numbers, skipping comments, blanks and malformed lines', () => {
    const e = parse(['# comment', '', 'web1,10.0.0.1 ssh-ed25519 ' + ED_A + ' me@x', 'broken-line', '@revoked * ssh-rsa ' + RSA_A]);
    expect(e).toEqual([
      { file: '/kh', line: 3, hosts: 'web1,10.0.0.1', keyType: 'ssh-ed25519', key: ED_A },
      { file: '/kh', line: 5, marker: 'revoked', hosts: '*', keyType: 'ssh-rsa', key: RSA_A },
    ]);
  });
});

describe('entryMatchesHost', () => {
  const one = (hosts: string): KnownHostEntry => ({ file: '/kh', line: 1, hosts, keyType: 'ssh-ed25519', key: ED_A });

  it('matches a plain name on port 22 and the bracketed form on other ports', () => {
    expect(entryMatchesHost(one('10.0.0.1'), '10.0.0.1', 22)).toBe(true);
    expect(entryMatchesHost(one('10.0.0.1'), '10.0.0.1', 2222)).toBe(false);
    expect(entryMatchesHost(one('[10.0.0.1]:2222'), '10.0.0.1', 2222)).toBe(true);
    expect(entryMatchesHost(one('[10.0.0.1]:2222'), '10.0.0.1', 22)).toBe(false);
    expect(entryMatchesHost(one('[10.0.0.1]:22'), '10.0.0.1', 22)).toBe(true);
  });

  it('matches hashed entries for the name ssh would hash, and nothing else', () => {
    expect(entryMatchesHost(one(hashed('web1')), 'web1', 22)).toBe(true);
    expect(entryMatchesHost(one(hashed('web1')), 'web2', 22)).toBe(false);
    expect(entryMatchesHost(one(hashed('[web1]:2222')), 'web1', 2222)).toBe(true);
    expect(entryMatchesHost(one(hashed('web1')), 'web1', 2222)).toBe(false);
  });

  it('honours wildcards and negation', () => {
    expect(entryMatchesHost(one('*.example.com'), 'a.example.com', 22)).toBe(true);
    expect(entryMatchesHost(one('web?'), 'web1', 22)).toBe(true);
    expect(entryMatchesHost(one('web?'), 'web10', 22)).toBe(false);
    expect(entryMatchesHost(one('*.example.com,!bad.example.com'), 'bad.example.com', 22)).toBe(false);
  });
});

describe('checkHostKey', () => {
  const key = (b64: string) => presentedKey(Buffer.from(b64, 'base64'));

  it('trusts the key the file holds for the host', () => {
    const v = checkHostKey(parse(['other ssh-ed25519 ' + ED_B, hashed('web1') + ' ssh-ed25519 ' + ED_A]), 'web1', 22, key(ED_A));
    expect(v).toMatchObject({ kind: 'trusted', entry: { line: 2 } });
  });

  it('calls a host without entries unknown, even when another host has its key', () => {
    expect(checkHostKey(parse(['other ssh-ed25519 ' + ED_A]), 'web1', 22, key(ED_A))).toEqual({ kind: 'unknown' });
    expect(checkHostKey(parse(['web1 ssh-ed25519 ' + ED_A]), 'web1', 2222, key(ED_A))).toEqual({ kind: 'unknown' });
  });

  it('reports a changed key with the file and line of the old one', () => {
    const v = checkHostKey(parse(['# x', '[web1]:2222 ssh-ed25519 ' + ED_A]), 'web1', 2222, key(ED_B));
    expect(v.kind).toBe('changed');
    expect(v.kind === 'changed' && v.entries.map((e) => `${e.file}:${e.line}`)).toEqual(['/kh:2']);
  });

  it('refuses a revoked key even if a line trusts it', () => {
    const v = checkHostKey(parse(['web1 ssh-ed25519 ' + ED_A, '@revoked * ssh-ed25519 ' + ED_A]), 'web1', 22, key(ED_A));
    expect(v).toMatchObject({ kind: 'revoked', entry: { line: 2 } });
  });

  it('ignores cert-authority lines when matching keys', () => {
    expect(checkHostKey(parse(['@cert-authority web1 ssh-ed25519 ' + ED_A]), 'web1', 22, key(ED_A))).toEqual({ kind: 'unknown' });
  });
});

describe('helpers', () => {
  it('reads the key type from the blob and fingerprints it as ssh-keygen does', () => {
    expect(presentedKey(Buffer.from(RSA_A, 'base64')).type).toBe('ssh-rsa');
    // ssh-keygen -lf of this published ed25519 key prints this fingerprint
    const k = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    expect(fingerprint(k)).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
  });

  it('lists the key types known for a host', () => {
    expect(knownKeyTypes(parse(['web1 ssh-rsa ' + RSA_A, 'web1 ssh-ed25519 ' + ED_A, 'web2 ssh-ed25519 ' + ED_B]), 'web1', 22)).toEqual([
      'ssh-rsa',
      'ssh-ed25519',
    ]);
  });
});

describe('verifierFor', () => {
  it("asks for the host's known key types first, in OpenSSH's order whatever the file's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-kh-'));
    try {
      const ecdsa = blob('ecdsa-sha2-nistp256', 'a').toString('base64');
      // as the test hosts' known_hosts lists them: by file name, ECDSA first
      writeFileSync(join(dir, 'kh'), [`web1 ecdsa-sha2-nistp256 ${ecdsa}`, `web1 ssh-ed25519 ${ED_A}`, `web1 ssh-rsa ${RSA_A}`, `web2 ecdsa-sha2-nistp256 ${ecdsa}`].join('\n'));
      const spec = { kind: 'ssh', name: 'web1', address: 'web1', port: 22, user: 'u', hostKeyChecking: true, connectTimeoutMs: 1000 } as const;
      expect(verifierFor(spec, join(dir, 'kh')).algorithms).toEqual([
        'ssh-ed25519',
        'ecdsa-sha2-nistp256',
        'rsa-sha2-512',
        'rsa-sha2-256',
        'ssh-rsa',
        'ecdsa-sha2-nistp384',
        'ecdsa-sha2-nistp521',
      ]);
      expect(verifierFor({ ...spec, name: 'web2', address: 'web2' }, join(dir, 'kh')).algorithms.slice(0, 2)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
