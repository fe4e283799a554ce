import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readFact } from '../../../src/facts/run.js';
import { clearPendingCmd, markPendingCmd, pendingFact, PENDING_DIR } from '../../../src/runner/pending-handlers.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';

// The marks are listed by the shell's own globs (no ls, no find): what it
// lists must be what `ls -1 <host dir>` and `find -maxdepth 1 -type f` did.
const conn = new LocalConnection(localSpec());
const host = `marks-test-${process.pid}`;
const legacy = [`.legacy-dot-${process.pid}`, `legacy ${process.pid}`];

describe.skipIf(process.getuid?.() !== 0)('pending handler marks on the host', () => {
  afterAll(async () => {
    rmSync(`${PENDING_DIR}/${encodeURIComponent(host)}`, { recursive: true, force: true });
    for (const l of [...legacy, `link-${process.pid}`]) rmSync(`${PENDING_DIR}/${l}`, { force: true });
  });

  it('lists this host`s marks and the unkeyed files an older Rosey left, nothing else', async () => {
    const read = () => readFact(pendingFact(host), (cmd) => conn.exec(cmd));
    expect(await read()).toEqual(new Set());
    await conn.exec(markPendingCmd(host, ['restart app', 'reload nginx/x']));
    mkdirSync(PENDING_DIR, { recursive: true });
    for (const l of legacy) writeFileSync(`${PENDING_DIR}/${l}`, '');
    symlinkSync('/nonexistent', `${PENDING_DIR}/link-${process.pid}`);
    const got = await read();
    expect([...got]).toEqual(expect.arrayContaining(['restart app', 'reload nginx/x', ...legacy]));
    expect(got.has(`link-${process.pid}`)).toBe(false);
    expect(got.has(encodeURIComponent(host))).toBe(false);
    await conn.exec(clearPendingCmd(host, 'restart app'));
    expect((await read()).has('restart app')).toBe(false);
  });
});
