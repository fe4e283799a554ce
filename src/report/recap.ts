import type { HostCounts, RunRecord, TaskRecord } from '../journal/record.js';
import { shortList } from './group.js';

const ORDER: (keyof HostCounts)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

export function recapLines(hosts: { host: string; counts: HostCounts }[]): string[] {
  const width = Math.max(0, ...hosts.map((h) => h.host.length));
  return hosts.map((h) => `${h.host.padEnd(width)} : ${ORDER.map((k) => `${k}=${h.counts[k]}`.padEnd(k.length + 4)).join(' ')}`.trimEnd());
}

/** A task's changes in one line: the first few summaries and how many more. */
function changesText(changes: readonly string[]): string {
  if (changes.length === 0) return '';
  if (changes.length === 1) return ` (${changes[0]})`;
  return ` (${changes.length} changes: ${shortList(changes, 3)})`;
}

/**
 * The record's task lines, one per distinct (status, task, changes): a task
 * that did the same on several hosts is one line naming the hosts.
 */
export function groupedTaskLines(record: RunRecord): string[] {
  const groups = new Map<string, { task: TaskRecord; hosts: string[] }>();
  for (const h of record.hosts) {
    for (const t of h.tasks) {
      const key = JSON.stringify([t.status, t.name, t.source, t.changes, t.msg]);
      const g = groups.get(key) ?? { task: t, hosts: [] };
      g.hosts.push(h.host);
      groups.set(key, g);
    }
  }
  return [...groups.values()].map(({ task: t, hosts }) => {
    const status = record.check && t.status === 'changed' ? 'would change' : t.status;
    const where = hosts.length > 6 ? `${hosts.length} hosts (${shortList(hosts.map((h) => `\`${h}\``))})` : hosts.map((h) => `\`${h}\``).join(', ');
    return `- ${where} ${status}: ${t.name}${changesText(t.changes)}`;
  });
}

/** The recap as Markdown, for $GITHUB_STEP_SUMMARY; `diffs` is the --diff section (diffsMarkdown) when there is one. */
export function recapMarkdown(record: RunRecord, diffs = ''): string {
  const rows = record.hosts.map((h) => `| ${h.host} | ${h.status} | ${ORDER.map((k) => h.counts[k]).join(' | ')} |`);
  return [
    `### rosey-apply ${record.check ? '--check ' : ''}${record.playbook.split('/').slice(-2).join('/')} on ${record.environment}: ${record.status}`,
    '',
    `Run \`${record.id}\`, ${((record.durationMs ?? 0) / 1000).toFixed(1)} s`,
    '',
    `| host | status | ${ORDER.join(' | ')} |`,
    `|---|---|${ORDER.map(() => '---:').join('|')}|`,
    ...rows,
    '',
    ...groupedTaskLines(record),
    '',
    ...(diffs ? [diffs] : []),
  ].join('\n');
}
