import { afterEach, describe, expect, it } from 'vitest';
import { LINES_UP_TO, withStdin, type ShellOutcome, type ShellSession } from '../../../src/transport/shell-session.js';
import { failing, withPathSpies } from '../path-spy.js';
import { localSession } from './local-shell.js';

const live: ShellSession[] = [];
function session(server?: string): ShellSession {
  const s = localSession(server);
  live.push(s);
  return s;
}
afterEach(() => {
  for (const s of live.splice(0)) s.close();
});

async function done(p: Promise<ShellOutcome>): Promise<{ rc: number; stdout: string; stderr: string }> {
  const o = await p;
  if (o.kind !== 'done') throw new Error(`expected a result, got ${o.kind}`);
  return o.result;
}

describe('a long-lived shell session', () => {
  it('gives each command its own exit status, stdout and stderr, byte for byte', async () => {
    const s = session();
    expect(await done(s.run('echo out; echo err >&2; exit 3'))).toEqual({ rc: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await done(s.run("printf 'no newline'"))).toEqual({ rc: 0, stdout: 'no newline', stderr: '' });
    expect(await done(s.run("printf '\\n\\n'"))).toEqual({ rc: 0, stdout: '\n\n', stderr: '' });
    expect(await done(s.run('true'))).toEqual({ rc: 0, stdout: '', stderr: '' });
    expect(await done(s.run("printf 'caf\\303\\251 \\342\\234\\223'"))).toMatchObject({ stdout: 'café ✓' });
  });

  it('runs each command in a subshell of the server: no sh or cat started to read it, one $$ for all', async () => {
    await withPathSpies({ cat: failing('cat'), sh: failing('sh') }, async () => {
      const s = session();
      const a = await done(s.run('echo $$'));
      const b = await done(s.run('echo $$'));
      expect(a.stdout).toMatch(/^\d+\n$/);
      expect(b.stdout).toBe(a.stdout);
      // a script of its own process still ends only itself
      expect((await done(s.run('/bin/sh -c \'kill -TERM $$\''))).rc).toBe(143);
      expect(await done(s.run('echo alive'))).toEqual({ rc: 0, stdout: 'alive\n', stderr: '' });
    });
  });

  it('keeps commands apart: cd, variables, umask and exit do not reach the next one', async () => {
    const s = session();
    await done(s.run('cd /; x=leaked; umask 077; exit 0'));
    const r = await done(s.run('pwd; echo "x=${x-}"; umask; echo "[${rosey_t-}${rosey_n-}${rosey_u-}${rosey_l-}${rosey_s-}]"'));
    // nor do the server's own variables reach a command
    expect(r.stdout).toContain('[]\n');
    expect(r.stdout).not.toMatch(/^\/\n/);
    expect(r.stdout).toContain('x=\n');
    expect(r.stdout).not.toContain('0077');
  });

  it('passes scripts through unchanged: here-documents with its own delimiter, $, backquotes, backslashes', async () => {
    const s = session();
    const script = "cat <<ROSEY_SCRIPT\nliteral $HOME `id` \\\\ \\n\nROSEY_SCRIPT\nprintf '%s|' '$(id)' '`id`' 'a\\b'";
    const r = await done(s.run(script));
    expect(r.stdout).toBe(`literal ${process.env.HOME ?? ''} ${(await done(s.run('id'))).stdout.trim()} \\ \\n\n$(id)|\`id\`|a\\b|`);
  });

  it('carries multi-line scripts and output larger than a pipe buffer', async () => {
    const s = session();
    const r = await done(s.run('i=0\nwhile [ $i -lt 3 ]; do\n  echo "line $i"\n  i=$((i + 1))\ndone'));
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n');
    const big = await done(s.run("head -c 1048576 /dev/zero | tr '\\0' 'a'; echo; echo tail >&2"));
    expect(big.stdout.length).toBe(1048577);
    expect(big.stderr).toBe('tail\n');
  });

  it('carries large scripts by byte count exactly, and stays in step with the requests after them', async () => {
    const s = session();
    // comments pad a script to an exact byte size; é is two bytes, so counting characters would cut it short
    const sized = (script: string, bytes: number): string => {
      const pad = bytes - Buffer.byteLength(script) - 3;
      return `${script}\n# ${'x'.repeat(pad)}`;
    };
    const body = "cat <<ROSEY_SCRIPT\ncafé $$ `echo tick` \\\\\nROSEY_SCRIPT\nprintf '%s' 'é'";
    for (const bytes of [LINES_UP_TO, LINES_UP_TO + 1, 70_000]) {
      const script = sized(body, bytes);
      expect(Buffer.byteLength(script)).toBe(bytes);
      const r = await done(s.run(script));
      expect(r.stdout).toMatch(/^café \d+ tick \\\né$/);
      expect(await done(s.run('echo next'))).toEqual({ rc: 0, stdout: 'next\n', stderr: '' });
    }
    // a large script gets neither the request stream on fd 3 nor on stdin
    const peek = await done(s.run(sized('cat <&3 2>/dev/null; echo "fd3=$?"; cat; echo "stdin=$?"', 4096)));
    expect(peek.stdout).toBe('fd3=2\nstdin=0\n');
    expect(await done(s.run(sized('exit 7', 2048)))).toMatchObject({ rc: 7 });
    expect(await done(s.run('echo still'))).toMatchObject({ rc: 0, stdout: 'still\n' });
  });

  it('is not fooled by output that looks like a trailer, and a command reading stdin gets end of file', async () => {
    const s = session();
    const fake = 'f'.repeat(32);
    const r = await done(s.run(`printf '\\n${fake} 0\\n'; printf '\\n${fake}\\n' >&2; echo more`));
    expect(r.stdout).toBe(`\n${fake} 0\nmore\n`);
    expect(r.stderr).toBe(`\n${fake}\n`);
    const read = await done(s.run('if IFS= read -r l; then echo "read: $l"; else echo eof; fi'));
    expect(read.stdout).toBe('eof\n');
    expect(await done(s.run('echo still here'))).toMatchObject({ stdout: 'still here\n' });
  });

  it('a shell that ends before it starts (sudo refused) is `unstarted`, with what it said', async () => {
    const s = session("echo 'sudo: a password is required' >&2; exit 1");
    const o = await s.run('echo never');
    expect(o).toEqual({ kind: 'unstarted', stderr: 'sudo: a password is required\n' });
    expect(s.dead).toBe(true);
  });

  it('a shell that ends during a command makes it `lost`', async () => {
    const s = session();
    await done(s.run('true'));
    // a command's $$ is the server shell's
    expect(await s.run('kill -9 $$')).toEqual({ kind: 'lost' });
    expect(s.dead).toBe(true);
  });

  it('output arriving between commands (a background process) ends the session instead of leaking into the next result', async () => {
    const s = session();
    expect(await done(s.run('(sleep 0.3; echo late) & echo now'))).toMatchObject({ rc: 0, stdout: 'now\n' });
    for (let i = 0; i < 50 && !s.dead; i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.dead).toBe(true);
  });

  it('feeds stdin written into the script (withStdin) byte for byte: every byte value, quotes, %, backslashes', async () => {
    const s = session();
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from("it's 100% \\n\\\\ 'q' \"d\"\n\nend", 'utf8')]);
    const r = await done(s.run(withStdin('od -An -v -tx1 | tr -d " \\n"', bytes)));
    expect(r.stdout).toBe(bytes.toString('hex'));
    const text = await done(s.run(withStdin('cat; echo "[rc of cat: $?]"', Buffer.from('no newline at the end'))));
    expect(text.stdout).toBe('no newline at the end[rc of cat: 0]\n');
    // the script's own exit status is the command's
    expect((await done(s.run(withStdin('cat >/dev/null; exit 4', Buffer.from('x'))))).rc).toBe(4);
  });

  it('runs one command at a time', async () => {
    const s = session();
    const first = s.run('sleep 0.1; echo one');
    expect(s.busy).toBe(true);
    expect(() => s.run('echo two')).toThrow(/busy/);
    expect(await done(first)).toMatchObject({ stdout: 'one\n' });
    expect(s.busy).toBe(false);
  });
});
