import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/cli/runs.js';
import type { HostRecord, RunRecord } from '../../../src/journal/record.js';
import { groupShards } from '../../../src/journal/shard-runs.js';

function host(name: string, changed: number): HostRecord {
  return { host: name, status: 'ok', counts: { ok: 3, changed, failed: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 0 }, tasks: [], backups: [] } as HostRecord;
}

function rec(id: string, startedAt: string, hosts: HostRecord[], extra: Partial<RunRecord> = {}): RunRecord {
  return { id, environment: 'prod', playbook: 'site.yml', user: 'ci', check: false, startedAt, status: 'ok', hosts, ...extra };
}

const shard = (index: number, group: string) => ({ shard: { index, count: 3, group, hosts: 1 } });

describe('rosey-apply runs: a sharded run is one run', () => {
  const records = [
    rec('20261127T050000Z-aaaaaa', '2026-11-27T05:00:00.000Z', [host('web1', 1)]),
    rec('20261127T051002Z-cccccc', '2026-11-27T05:10:02.000Z', [host('h3', 2)], { ...shard(3, 'gh-42-1'), status: 'failed' }),
    rec('20261127T051000Z-bbbbbb', '2026-11-27T05:10:00.000Z', [host('h1', 1)], shard(1, 'gh-42-1')),
    rec('20261127T051001Z-dddddd', '2026-11-27T05:10:01.000Z', [host('h2', 0)], shard(2, 'gh-42-1')),
    rec('20261127T052000Z-eeeeee', '2026-11-27T05:20:00.000Z', [host('h1', 0)], shard(1, 'gh-43-1')),
  ];

  it('joins the parts of one group: hosts, changes, the worst status, the earliest start, every part id', () => {
    const listed = groupShards(records);
    expect(listed).toHaveLength(3);
    expect(listed[1]!.parts).toEqual(['20261127T051000Z-bbbbbb', '20261127T051001Z-dddddd', '20261127T051002Z-cccccc']);
    expect(listed[1]!.run.hosts.map((h) => h.host)).toEqual(['h1', 'h2', 'h3']);
    expect(runLine(listed[1]!).split('\t')).toEqual([
      '20261127T051000Z-bbbbbb,20261127T051001Z-dddddd,20261127T051002Z-cccccc',
      '2026-11-27T05:10:00Z',
      'ci',
      'site.yml (3 of 3 shards)',
      'changed=3',
      'hosts=3',
      'failed',
    ]);
  });

  it('leaves unsharded runs and a group seen through one part alone as they were', () => {
    const listed = groupShards(records);
    expect(listed[0]).toEqual({ run: records[0] });
    expect(listed[2]).toEqual({ run: records[4] });
    expect(runLine(listed[0]!)).toBe(runLine(records[0]!));
  });
});
