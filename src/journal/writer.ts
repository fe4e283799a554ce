import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from '../transport/connection.js';
import { installFileCmd } from '../transport/files.js';
import { sh, type Cmd } from '../transport/quote.js';
import { RUNS_DIR, runRecordPath } from '../transport/host-paths.js';
import type { RunRecord } from './record.js';

/** Where each host keeps the records of the runs that touched it. */
export const REMOTE_RUNS_DIR = RUNS_DIR;

/**
 * Written synchronously: it is the run's last step, and on a machine whose
 * cores are busy with the hosts' end of the run each of the asynchronous
 * version's four trips through libuv's thread pool waited its turn (the
 * run ended ~10 ms after its recap, against ~0.3 ms this way).
 */
export async function writeLocalRecord(dir: string, record: RunRecord): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.id}.json`);
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

export async function readLocalRecord(dir: string, id: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

export async function listLocalRecords(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/**
 * The host's copy holds only that host's part, so a host never learns about
 * its neighbours. `then` runs after the write whatever its outcome (the
 * run lock's release: one round trip for both at the end of a run).
 */
export async function writeRemoteRecord(conn: Connection, record: RunRecord, host: string, become: { user: string } | undefined, then?: Cmd): Promise<void> {
  const own: RunRecord = { ...record, hosts: record.hosts.filter((h) => h.host === host) };
  const path = runRecordPath(record.id);
  const body = JSON.stringify(own, null, 2) + '\n';
  const bytes = Buffer.from(body, 'utf8');
  // every host writes one at the end of every run: in the script itself, not through cat and a size check
  const inline = bytes.length <= INLINE_RECORD_MAX;
  // fresh: a run's record has a name of its own
  const install = installFileCmd(path, inline ? { mode: '0640', content: bytes, fresh: true } : { mode: '0640', size: bytes.length, fresh: true });
  const write = sh`{ [ -d ${REMOTE_RUNS_DIR} ] || mkdir -p ${REMOTE_RUNS_DIR}; } && ${install}`;
  const cmd = then ? sh`{ ${write}
}; rc=$?; { ${then}
} >/dev/null 2>&1; exit $rc` : write;
  const r = await conn.exec(cmd, inline ? { become } : { become, stdin: body });
  if (r.rc !== 0) throw new Error(r.stderr.trim() || `exit ${r.rc}`);
}

/** A record up to this size is written by the script itself; a larger one streams in as the command's input. */
const INLINE_RECORD_MAX = 48 * 1024;
