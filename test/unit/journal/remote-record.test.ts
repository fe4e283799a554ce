import { readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/journal/record.js';
import { writeRemoteRecord } from '../../../src/journal/writer.js';
import { runRecordPath } from '../../../src/transport/host-paths.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { failing, withPathSpies } from '../path-spy.js';

const ID = 'test-remote-record-quoting';

describe('the run record a host keeps', () => {
  afterAll(() => rmSync(runRecordPath(ID), { force: true }));

  it('is written byte for byte, whatever its text holds: quotes, $( ), backquotes, backslashes, %, newlines, UTF-8', async () => {
    const odd = "it's $(id) `id` \\ %s %% ${HOME} \n é ✓ '\"";
    const record = { id: ID, environment: odd, playbook: `/p/${odd}.yml`, user: odd, check: false, startedAt: '2026-11-27T00:00:00.000Z', status: 'ok', hosts: [{ host: 'here' }, { host: 'other' }] } as unknown as RunRecord;
    const conn = new LocalConnection(localSpec('here'));
    await writeRemoteRecord(conn, record, 'here', undefined);
    const text = readFileSync(runRecordPath(ID), 'utf8');
    // the host's own part only
    expect(text).toBe(JSON.stringify({ ...record, hosts: [{ host: 'here' }] }, null, 2) + '\n');
  });

  it('is created readable by its owner and group only (0640), without a chmod process on the host', async () => {
    rmSync(runRecordPath(ID), { force: true });
    // a chmod first on PATH that fails: the record is created with its mode, so it is never run
    await withPathSpies({ chmod: failing('chmod') }, async () => {
      const record = { id: ID, environment: 'e', playbook: '/p.yml', user: 'u', check: false, startedAt: '2026-11-27T00:00:00.000Z', status: 'ok', hosts: [{ host: 'here' }] } as unknown as RunRecord;
      await writeRemoteRecord(new LocalConnection(localSpec('here')), record, 'here', undefined);
    });
    expect(statSync(runRecordPath(ID)).mode & 0o7777).toBe(0o640);
  });
});
