import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fmt, summarise, table } from './stats.js';
import { SCENARIOS, type Sample, type Scenario, type Tool } from './tools.js';

interface HostRun {
  n: number;
  samples: Sample[];
  loadBefore: string;
  loadAfter: string;
}

const pick = (samples: readonly Sample[], tool: Tool, scenario: Scenario) => samples.filter((s) => s.tool === tool && s.scenario === scenario && s.round >= 0);

function machine(): string {
  const mem = execFileSync('free', ['-h'], { encoding: 'utf8' }).split('\n')[1]?.trim().split(/\s+/)[1];
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${mem} RAM, Node ${process.version}, ${execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0]}`;
}

function scenarioRows(samples: readonly Sample[]): string[][] {
  return SCENARIOS.map((sc) => {
    const r = pick(samples, 'rosey', sc);
    const a = pick(samples, 'ansible', sc);
    const rw = summarise(r.map((s) => s.wallS));
    const aw = summarise(a.map((s) => s.wallS));
    const execs = r.map((s) => Object.values(s.execsPerHost ?? {})).flat();
    return [
      sc,
      fmt(rw),
      fmt(aw),
      (aw.median / rw.median).toFixed(1) + 'x',
      fmt(summarise(r.map((s) => s.cpuS))),
      fmt(summarise(a.map((s) => s.cpuS))),
      `${summarise(r.map((s) => s.peakRssMiB)).max.toFixed(0)} / ${summarise(a.map((s) => s.peakRssMiB)).max.toFixed(0)}`,
      execs.length ? `${Math.min(...execs)}-${Math.max(...execs)}` : '-',
      `${summarise(r.map((s) => s.changed)).median} / ${summarise(a.map((s) => s.changed)).median}`,
      String(r.filter((s) => s.failed).length + a.filter((s) => s.failed).length),
    ];
  });
}

/** How far Rosey's no-change run is from the floor (bench/floor.cjs), from the same rounds. */
function floorLine(samples: readonly Sample[]): string {
  const f = pick(samples, 'floor', 'nochange');
  if (f.length === 0) return 'Floor: not measured (Rosey not in --tools).';
  const fw = summarise(f.map((s) => s.wallS));
  const rw = summarise(pick(samples, 'rosey', 'nochange').map((s) => s.wallS));
  const failed = f.filter((s) => s.failed).length;
  return (
    `Floor (bench/floor.cjs: Node, Rosey's SSH client, a login and one \`sudo -n true\` per host): ${fmt(fw)} s, CPU ${fmt(summarise(f.map((s) => s.cpuS)))} s` +
    `${failed ? ` (${failed} failed)` : ''}. Rosey's no-change run is ${((rw.median - fw.median) * 1000).toFixed(0)} ms over it (medians), ${(rw.median / fw.median).toFixed(2)}x.`
  );
}

/** Remote commands per task on one host, from the last no-change and changed Rosey runs. */
function execRows(samples: readonly Sample[], n: number): string[][] {
  const last = (sc: Scenario) => pick(samples, 'rosey', sc).at(-1)?.execsPerTask ?? {};
  const nc = last('nochange');
  const ch = last('changed');
  const first = last('first');
  return Object.keys({ ...first, ...nc, ...ch }).map((t) => [t, String((first[t] ?? 0) / n), String((nc[t] ?? 0) / n), String((ch[t] ?? 0) / n)]);
}

export function report(runs: readonly HostRun[], meta: { command: string; date: string }): string {
  const out = [`Command: \`${meta.command}\`  `, `Date: ${meta.date}  `, `Machine: ${machine()}`, ''];
  for (const run of runs) {
    out.push(`### ${run.n} host(s)`, '', `Load before: \`${run.loadBefore}\`  `, `Load after: \`${run.loadAfter}\``, '');
    out.push(
      table(
        ['scenario', 'Rosey s', 'Ansible s', 'Ansible/Rosey', 'Rosey CPU s', 'Ansible CPU s', 'peak RSS MiB R / A', 'Rosey execs/host', 'changed R / A', 'failed runs'],
        scenarioRows(run.samples),
      ),
      '',
      floorLine(run.samples),
      '',
      'Rosey remote commands per task per host (first / no change / one template changed):',
      '',
      table(['task', 'first', 'no change', 'changed'], execRows(run.samples, run.n)),
      '',
    );
  }
  return out.join('\n');
}
