import type { Connection, Become } from '../transport/connection.js';
import { RUNS_DIR, runRecordPath } from '../transport/host-paths.js';
import { raw, sh } from '../transport/quote.js';
import type { RunRecord } from './record.js';

const SEPARATOR = '--rosey-run-record--';

/** The newest `n` run records a host keeps (its own part of each run), oldest first. */
export async function recentHostRecords(conn: Connection, n: number, become?: Become): Promise<RunRecord[]> {
  const r = await conn.exec(
    sh`for f in $(ls -1 ${RUNS_DIR} 2>/dev/null | grep '\\.json$' | sort | tail -n ${n}); do echo ${SEPARATOR}; cat ${raw(`"${RUNS_DIR}/$f"`)}; done`,
    { become },
  );
  return r.stdout
    .split(`${SEPARATOR}\n`)
    .filter((t) => t.trim())
    .flatMap((t) => {
      try {
        return [JSON.parse(t) as RunRecord];
      } catch {
        return [];
      }
    });
}

/** One run's record as the host keeps it; undefined when the run did not touch the host. */
export async function hostRecord(conn: Connection, runId: string, become?: Become): Promise<RunRecord | undefined> {
  const r = await conn.exec(sh`cat ${runRecordPath(runId)} 2>/dev/null || true`, { become });
  if (!r.stdout.trim()) return undefined;
  try {
    return JSON.parse(r.stdout) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Records of the same run from several hosts, as one (hosts joined). */
export function mergeRecords(parts: RunRecord[]): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const p of parts) {
    const seen = byId.get(p.id);
    if (!seen) byId.set(p.id, { ...p, hosts: [...p.hosts] });
    else {
      seen.hosts.push(...p.hosts.filter((h) => !seen.hosts.some((x) => x.host === h.host)));
      // the run failed if it failed anywhere
      if (p.status !== 'ok' && seen.status === 'ok') seen.status = p.status;
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
