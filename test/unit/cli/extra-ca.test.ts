import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'rosey-apply.cjs');

interface Ran {
  code: number | null;
  out: string;
}

/** Runs the CLI as a user's shell would (`rosey-apply`: the kernel reads the shebang), or as `node BIN`. */
function run(how: 'bin' | 'node', args: string[], cwd: string, extraCa: string | undefined): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ROSEY_JOURNAL_DIR: join(cwd, '.journal') };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.ROSEY_EXTRA_CA_CERTS;
  if (extraCa !== undefined) env.NODE_EXTRA_CA_CERTS = extraCa;
  const [cmd, argv] = how === 'bin' ? [BIN, args] : [process.execPath, [BIN, ...args]];
  return new Promise((done, fail) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

describe('NODE_EXTRA_CA_CERTS', () => {
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rosey-extra-ca-'));
    // a private CA and a certificate for 127.0.0.1 that only it signed
    const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=rosey test CA');
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf');
    server = createServer({ key: readFileSync(join(dir, 'srv.key')), cert: readFileSync(join(dir, 'srv.pem')) }, (_, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    writeFileSync(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    here: {ansible_connection: local}\n');
    writeFileSync(
      join(dir, 'site.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - uri: {url: "${url}"}\n    - shell: printenv NODE_EXTRA_CA_CERTS > ${join(dir, 'env.txt')} || true\n`,
    );
  });

  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is not read at the CLI's start, yet its certificates are trusted and the commands it starts still see it", async () => {
    const ca = join(dir, 'ca.pem');
    const r = await run('bin', ['site.yml', '-i', 'hosts.yml'], dir, ca);
    expect(r.out).toMatch(/here\s*: ok=2 /);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'env.txt'), 'utf8')).toBe(`${ca}\n`);
    // the same request without the CA fails: the trust came from the file
    const without = await run('bin', ['site.yml', '-i', 'hosts.yml'], dir, undefined);
    expect(without.code).not.toBe(0);
    expect(without.out).toMatch(/Request to https:\/\/127\.0\.0\.1:\d+\/ failed: [A-Z_]*(CERT|SIGNATURE)/);
  });

  it('a file that cannot be read is not noticed at start, where Node itself would warn', async () => {
    const missing = join(dir, 'missing.pem');
    const started = await run('bin', ['site.yml', '-i', 'hosts.yml', '--syntax-check'], dir, missing);
    expect(started).toEqual({ code: 0, out: expect.not.stringContaining('extra certs') as unknown });
    const byNode = await run('node', ['site.yml', '-i', 'hosts.yml', '--syntax-check'], dir, missing);
    expect(byNode.out).toContain(`Ignoring extra certs from \`${missing}\``);
    // at the first TLS connection it is Node's warning, and the request fails untrusted
    const used = await run('bin', ['site.yml', '-i', 'hosts.yml'], dir, missing);
    expect(used.out).toContain(`Ignoring extra certs from \`${missing}\``);
    expect(used.code).not.toBe(0);
  });
});
