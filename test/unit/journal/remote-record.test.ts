import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/journal/record.js';
import { writeRemoteRecord } from '../../../src/journal/writer.js';
import { runRecordPath } from '../../../src/transport/host-paths.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';

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
});
