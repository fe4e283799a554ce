import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/transport/connect.js';
import { HostKeyError, UnreachableError, type Connection, type ConnectionSpec } from '../../src/transport/connection.js';
import { BACKUP_ROOT, INCOMPLETE_RC, VALIDATE_FAILED_RC, backupPathFor, installFileCmd } from '../../src/transport/files.js';
import { localSpec } from '../../src/transport/local.js';
import { sh } from '../../src/transport/quote.js';
import { DEFAULT_SSH_TUNING, SshConnection } from '../../src/transport/ssh.js';
import { cut, exec, hosts, restore, start, stop, type TestbedHost } from './testbed.js';

function sshSpec(h: TestbedHost, over: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return {
    kind: 'ssh',
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    privateKeyPath: h.keyPath,
    hostKeyChecking: true,
    knownHostsPath: h.knownHostsPath,
    connectTimeoutMs: 5000,
    ...over,
  };
}

/** One transport under test: a connection, one that becomes another user, and a scratch folder on its host. */
interface Target {
  conn: Connection;
  become: { conn: Connection; user: string; uid: string };
  dir: string;
}

const HOSTILE = [`'`, `"`, '$HOME', '$(id)', '`id`', '; rm -rf /', 'a|b&c>d<e', '\\', 'line\nbreak', '*', '-n', 'sp ace', '', 'ünï€ode', `'"$;|&`];

function conformance(kind: string, open: () => Promise<Target>, close: (t: Target) => Promise<void>): void {
  describe(`${kind} connection`, () => {
    let t: Target;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      if (t) await close(t);
    });

    it('resolves rc, stdout and stderr for any exit status', async () => {
      expect(await t.conn.exec(sh`echo out; echo err >&2; exit 3`)).toEqual({ rc: 3, stdout: 'out\n', stderr: 'err\n' });
      expect((await t.conn.exec(sh`true`)).rc).toBe(0);
      // a command killed by a signal: 128 + its number (a script shares the session's $$, so a sh -c of its own)
      expect((await t.conn.exec(sh`/bin/sh -c 'kill -TERM $$'`)).rc).toBe(143);
    });

    it('feeds stdin bytes exactly, binary included, and ends it', async () => {
      const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(300_000)]);
      const r = await t.conn.exec(sh`base64 -w0`, { stdin: new Uint8Array(bytes) });
      expect(Buffer.from(r.stdout, 'base64').equals(bytes)).toBe(true);
      expect((await t.conn.exec(sh`cat`, { stdin: 'héllo\n' })).stdout).toBe('héllo\n');
      // no stdin given: the command sees EOF at once instead of waiting
      expect((await t.conn.exec(sh`wc -c`)).stdout.trim()).toBe('0');
    });

    it('passes hostile values through the real shell unchanged', async () => {
      const r = await t.conn.exec(sh`printf '%s\\0' ${HOSTILE}`);
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
    });

    it('becomes another user with sudo -n', async () => {
      const r = await t.become.conn.exec(sh`id -un; id -u`, { become: { user: t.become.user } });
      expect(r).toMatchObject({ rc: 0, stdout: `${t.become.user}\n${t.become.uid}\n` });
    });

    it('installs a file atomically: validate, backup, keeps mode, refuses what validate refuses', async () => {
      const path = `${t.dir}/app.conf`;
      const runId = `it-${randomBytes(4).toString('hex')}`;
      await t.conn.exec(sh`printf 'old\\n' > ${path} && chmod 0640 ${path}`);
      const ok = await t.conn.exec(installFileCmd(path, { validate: 'grep -q VALID %s', backupRunId: runId }), { stdin: 'VALID new\n' });
      expect(ok.rc).toBe(0);
      const after = await t.conn.exec(sh`cat ${path}; stat -c %a ${path}; cat ${backupPathFor(runId, path)}`);
      expect(after.stdout).toBe('VALID new\n640\nold\n');
      const bad = await t.conn.exec(installFileCmd(path, { validate: 'grep -q VALID %s' }), { stdin: 'invalid\n' });
      expect(bad.rc).toBe(VALIDATE_FAILED_RC);
      expect((await t.conn.exec(sh`cat ${path}; ls -A ${t.dir}`)).stdout).toBe('VALID new\napp.conf\n');
      await t.conn.exec(sh`rm -rf ${`${BACKUP_ROOT}/${runId}`}`);
    });

    it('installs nothing when stdin ends before the announced size (a dropped connection)', async () => {
      const path = `${t.dir}/short.conf`;
      await t.conn.exec(sh`printf 'old\\n' > ${path}`);
      const r = await t.conn.exec(installFileCmd(path, { size: 100 }), { stdin: 'only part' });
      expect(r.rc).toBe(INCOMPLETE_RC);
      expect(r.stderr).toContain('ended early');
      expect((await t.conn.exec(sh`cat ${path}; ls -A ${t.dir} | grep -c rosey- || true`)).stdout).toBe('old\n0\n');
      expect((await t.conn.exec(installFileCmd(path, { size: 4 }), { stdin: 'new\n' })).rc).toBe(0);
      expect((await t.conn.exec(sh`cat ${path}`)).stdout).toBe('new\n');
    });

    it('runs concurrent execs on one connection', async () => {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.conn.exec(sh`sleep 0.5; echo ${i}`)));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
}

conformance(
  'local',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-transport-'));
    const conn = await connect(localSpec());
    return { conn, become: { conn, user: 'nobody', uid: '65534' }, dir };
  },
  async (t) => {
    await t.conn.close();
    rmSync(t.dir, { recursive: true, force: true });
  },
);

conformance(
  'ssh',
  async () => {
    const h = hosts()[0]!;
    const dir = '/tmp/rosey-transport-it';
    await exec(h.name, `rm -rf ${dir} && mkdir -p ${dir}`);
    const conn = await connect(sshSpec(h));
    const asDeploy = await connect(sshSpec(h, { user: h.becomeUser }));
    return { conn, become: { conn: asDeploy, user: 'root', uid: '0' }, dir };
  },
  async (t) => {
    await t.conn.close();
    await t.become.conn.close();
  },
);

describe('ssh host keys', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rosey-kh-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('refuses a changed host key, naming the file and line of the old key', async () => {
    const [a, b] = hosts() as [TestbedHost, TestbedHost];
    // a's address, but the keys b presents: what a reinstalled or spoofed host looks like
    const lines = readFileSync(a.knownHostsPath, 'utf8').split('\n').filter((l) => l.startsWith(`${b.address},`));
    const file = join(scratch, 'changed');
    writeFileSync(file, '# first line\n' + lines.map((l) => l.split(`${b.address},[${b.address}]:22`).join(a.address)).join('\n') + '\n');
    const err = await connect(sshSpec(a, { knownHostsPath: file })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as Error).message).toMatch(/HOST KEY CHANGED/);
    expect((err as Error).message).toContain(`${file}:2`);
    expect((err as Error).message).toContain(`ssh-keygen -R '${a.address}' -f ${file}`);
  });

  it('refuses an unknown host, and connects to it only with checking explicitly off', async () => {
    const h = hosts()[0]!;
    const file = join(scratch, 'empty');
    writeFileSync(file, '');
    const err = await connect(sshSpec(h, { knownHostsPath: file })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as Error).message).toMatch(/not in .*empty.*SHA256:/);
    const conn = await connect(sshSpec(h, { knownHostsPath: file, hostKeyChecking: false }));
    expect((await conn.exec(sh`hostname`)).stdout).toBe(`${h.name}\n`);
    await conn.close();
  });
});

describe('ssh host keys announced after login', () => {
  it("are let go, as OpenSSH's client does with UpdateHostKeys=no: the host is not asked to prove them", async () => {
    const h = hosts()[0]!;
    const trace: string[] = [];
    const conn = await SshConnection.open(sshSpec(h), { ...DEFAULT_SSH_TUNING, debug: (line) => trace.push(line) });
    // ssh2 emits this once the host has signed with each of its keys and every signature was checked
    let proved = 0;
    (conn as unknown as { client: Client }).client.on('hostkeys', () => proved++);
    for (let i = 0; i < 3; i++) expect((await conn.exec(sh`hostname`)).stdout).toBe(`${h.name}\n`);
    await conn.close();
    expect(proved).toBe(0);
    // answered at once all the same (the answer carries the TCP ACK that sshd's next message waits for), with a keepalive
    const announced = trace.indexOf('Inbound: GLOBAL_REQUEST (hostkeys-00@openssh.com)');
    expect(announced).toBeGreaterThan(-1);
    expect(trace[announced + 1]).toBe('Outbound: Sending ping (GLOBAL_REQUEST: keepalive@openssh.com)');
    expect(trace.some((l) => l.includes('hostkeys-prove'))).toBe(false);
  });
});

describe('ssh login with a private key', () => {
  it("signs its first offer, as OpenSSH's client does, instead of asking first whether the key would do", async () => {
    const h = hosts()[0]!;
    const trace: string[] = [];
    const conn = await SshConnection.open(sshSpec(h), { ...DEFAULT_SSH_TUNING, debug: (line) => trace.push(line) });
    expect((await conn.exec(sh`hostname`)).stdout).toBe(`${h.name}\n`);
    await conn.close();
    const offers = trace.filter((l) => l.includes('USERAUTH_REQUEST (publickey'));
    expect(offers).toEqual(['Outbound: Sending USERAUTH_REQUEST (publickey)']);
    expect(trace.some((l) => l.includes('USERAUTH_PK_OK'))).toBe(false);
  });

  it('a key the host refuses still ends in a clear refusal', async () => {
    const h = hosts()[0]!;
    const other = join(mkdtempSync(join(tmpdir(), 'rosey-key-')), 'id_ed25519');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const err = await SshConnection.open(sshSpec(h, { privateKeyPath: other })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/authentication/i);
  });
});

describe('ssh when the host goes away', () => {
  it('gives UnreachableError quickly for a stopped host, and for execs after close', async () => {
    const h = hosts()[2]!;
    const conn = await connect(sshSpec(h));
    await conn.close();
    await expect(conn.exec(sh`true`)).rejects.toBeInstanceOf(UnreachableError);
    await stop(h.name);
    try {
      const started = Date.now();
      await expect(connect(sshSpec(h))).rejects.toBeInstanceOf(UnreachableError);
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      await start(h.name);
    }
  });

  it('a cut while the install script streams stdin rejects with UnreachableError and leaves the old file', async () => {
    const h = hosts()[1]!;
    const dir = '/tmp/rosey-cut-it';
    const path = `${dir}/big.bin`;
    await exec(h.name, `rm -rf ${dir} && mkdir -p ${dir} && echo old > ${path}`);
    const conn = await SshConnection.open(sshSpec(h));
    const content = new Uint8Array(randomBytes(256 * 1024 * 1024));
    let restored = false;
    try {
      const install = conn.exec(installFileCmd(path, { size: content.byteLength }), { stdin: content });
      const outcome = install.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      // cut once the temp file is growing on the host: mid-transfer
      for (let i = 0; i < 400; i++) {
        const r = await exec(h.name, `find ${dir} -name '.big.bin.rosey-*' -size +1M | wc -l`);
        if (r.stdout.trim() !== '0') break;
        await new Promise((res) => setTimeout(res, 25));
      }
      await cut(h.name);
      const result = await outcome;
      expect(result).toBeInstanceOf(UnreachableError);
      await restore(h.name);
      restored = true;
      // The host learns of the cut only when retransmissions get through
      // after restore; wait until nothing holds a file in the folder open,
      // i.e. the install script has ended one way or the other.
      for (let i = 0; i < 240; i++) {
        const r = await exec(h.name, `ls -l /proc/[0-9]*/fd 2>/dev/null | grep -c ${dir} || true`);
        if (r.stdout.trim() === '0') break;
        await new Promise((res) => setTimeout(res, 250));
      }
      expect((await exec(h.name, `wc -c < ${path}; ls -A ${dir}`)).stdout).toBe('4\nbig.bin\n');
      expect((await exec(h.name, `cat ${path}`)).stdout).toBe('old\n');
    } finally {
      if (!restored) await restore(h.name);
      await conn.close();
    }
  });
});

describe('ssh long-lived shells', () => {
  // $$ of a command: the long-lived shell that runs it (commands are its subshells), or its own sh
  const shellPids = async (conn: Connection, become?: { user: string }): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < 3; i++) out.push((await conn.exec(sh`echo $$; id -u`, become ? { become } : {})).stdout);
    return out;
  };

  it('run a host\'s commands as root and as the login user in one shell each: one sudo, not one per command', async () => {
    const h = hosts()[0]!;
    const conn = await connect(sshSpec(h, { user: h.becomeUser }));
    try {
      const asRoot = await shellPids(conn, { user: 'root' });
      expect(new Set(asRoot).size).toBe(1);
      expect(asRoot[0]).toMatch(/^\d+\n0\n$/);
      const asLogin = await shellPids(conn);
      expect(new Set(asLogin).size).toBe(1);
      expect(asLogin[0]).not.toBe(asRoot[0]);
    } finally {
      await conn.close();
    }
  });

  it('without them (shellSessions: false) every command has a process tree of its own', async () => {
    const h = hosts()[0]!;
    const conn = await SshConnection.open(sshSpec(h, { user: h.becomeUser }), { keepaliveIntervalMs: 4000, keepaliveCountMax: 3, maxChannels: 8, shellSessions: false });
    try {
      expect(new Set(await shellPids(conn, { user: 'root' })).size).toBe(3);
    } finally {
      await conn.close();
    }
  });
});
