import type { RunRecord } from './record.js';

/** A line of `rosey-apply runs`: one run, or the parts of one `--shard I/N` run. */
export interface ListedRun {
  /** the run; for a sharded run, its parts joined: every host, the worst status, the earliest start */
  run: RunRecord;
  /** a sharded run's part ids, in shard order (undo takes each) */
  parts?: string[];
}

/**
 * Runs as people think of them: the records of a sharded run (same
 * `shard.group`, one per CI job) become one entry, placed where its first
 * part started. Records are expected oldest first, as mergeRecords gives them.
 */
export function groupShards(records: readonly RunRecord[]): ListedRun[] {
  const out: ListedRun[] = [];
  const byGroup = new Map<string, RunRecord[]>();
  for (const r of records) {
    if (!r.shard) {
      out.push({ run: r });
      continue;
    }
    const key = `${r.playbook}\0${r.shard.group}`;
    const seen = byGroup.get(key);
    if (seen) seen.push(r);
    else {
      const parts = [r];
      byGroup.set(key, parts);
      // a placeholder filled below, so the entry keeps its place among the runs
      out.push({ run: r, parts: [] });
    }
  }
  return out.map((e) => (e.parts ? joinParts(byGroup.get(`${e.run.playbook}\0${e.run.shard!.group}`)!) : e));
}

function joinParts(parts: RunRecord[]): ListedRun {
  if (parts.length === 1) return { run: parts[0]! };
  const sorted = [...parts].sort((a, b) => a.shard!.index - b.shard!.index);
  const first = sorted[0]!;
  const failed = sorted.find((p) => p.status !== 'ok');
  const startedAt = sorted.map((p) => p.startedAt).sort()[0]!;
  return { run: { ...first, startedAt, status: failed?.status ?? first.status, hosts: sorted.flatMap((p) => p.hosts) }, parts: sorted.map((p) => p.id) };
}
