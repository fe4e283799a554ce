import type { HostCounts, RunRecord } from '../journal/record.js';

const ORDER: (keyof HostCounts)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

export function recapLines(hosts: { host: string; counts: HostCounts }[]): string[] {
  const width = Math.max(0, ...hosts.map((h) => h.host.length));
  return hosts.map((h) => `${h.host.padEnd(width)} : ${ORDER.map((k) => `${k}=${h.counts[k]}`.padEnd(k.length + 4)).join(' ')}`.trimEnd());
}

/** The recap as Markdown, for $GITHUB_STEP_SUMMARY. */
export function recapMarkdown(record: RunRecord): string {
  const rows = record.hosts.map((h) => `| ${h.host} | ${h.status} | ${ORDER.map((k) => h.counts[k]).join(' | ')} |`);
  const changed = record.hosts.flatMap((h) => h.tasks.map((t) => `- \`${h.host}\` ${t.status}: ${t.name}${t.changes.length ? ` (${t.changes.join('; ')})` : ''}`));
  return [
    `### rosey-apply ${record.check ? '--check ' : ''}${record.playbook.split('/').slice(-2).join('/')} on ${record.environment}: ${record.status}`,
    '',
    `Run \`${record.id}\`, ${((record.durationMs ?? 0) / 1000).toFixed(1)} s`,
    '',
    `| host | status | ${ORDER.join(' | ')} |`,
    `|---|---|${ORDER.map(() => '---:').join('|')}|`,
    ...rows,
    '',
    ...changed,
    '',
  ].join('\n');
}
