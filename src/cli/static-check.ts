import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Playbook, Play, TaskNode } from '../playbook/types.js';
import { getModule } from '../modules/registry.js';
import { suggest } from '../vars/did-you-mean.js';
import { stringsIn, templateRoots } from '../vars/template-roots.js';
import { templateSyntaxError } from '../vars/template.js';
import type { RunOptions } from '../runner/options.js';

const MAGIC = ['facts', 'playbook_dir', 'rosey_check_mode', 'ansible_check_mode', 'inventory_hostname', 'group_names', 'groups', 'hostvars', 'item'];
/** set by the runner: the failure a `rescue` handles, the batch's hosts */
const RUNNER_MAGIC = ['ansible_failed_task', 'ansible_failed_result', 'rosey_failed_task', 'ansible_play_batch'];

function definedByTasks(nodes: TaskNode[], names: Set<string>): void {
  for (const n of nodes) {
    Object.keys(n.vars).forEach((k) => names.add(k));
    if (n.kind === 'block') {
      [n.block, n.rescue, n.always].forEach((l) => definedByTasks(l, names));
      continue;
    }
    if (n.register) names.add(n.register);
    names.add(n.loopVar);
    getModule(n.module)?.defines?.(n.args).forEach((k) => names.add(k));
  }
}

/**
 * An undefined variable is a mistake in the playbook, so it is reported like
 * one: before any host is contacted, with the task's location. A name is
 * defined if anything could define it (inventory, play, role, vars file,
 * register, set_fact, loop, -e); values that differ per host are checked
 * again, strictly, when rendered.
 */
export function checkUndefinedVars(playbook: Playbook, inventory: Inventory, options: RunOptions): void {
  const diags: Diagnostic[] = [];
  const global = new Set<string>([...MAGIC, ...RUNNER_MAGIC, ...Object.keys(options.extraVars)]);
  playbook.plays.forEach((p) => [...p.sections.flatMap((s) => s.tasks), ...p.handlers].forEach((t) => definedByTasks([t], global)));
  for (const play of playbook.plays) {
    const names = new Set(global);
    for (const h of inventory.selectHosts(play.hosts, options.limit)) Object.keys(inventory.hostVars(h)).forEach((k) => names.add(k));
    [play.vars, ...play.varsFiles, ...play.roles.flatMap((r) => [r.defaults, r.vars, r.params])].forEach((v) => Object.keys(v).forEach((k) => names.add(k)));
    const check = (value: unknown, loc: SourceLoc): void => {
      for (const s of stringsIn(value)) {
        // a template neither Handlebars nor the expression engine reads fails here, not on every host
        const bad = templateSyntaxError(s, loc);
        if (bad) {
          diags.push(...bad.diagnostics);
          continue;
        }
        for (const root of templateRoots(s)) {
          if (names.has(root)) continue;
          const hint = suggest(root, names);
          diags.push({ severity: 'error', summary: `undefined variable "${root}"${hint ? `; did you mean "${hint}"?` : ''}`, detail: 'Define it in the inventory, the play\'s vars, a role\'s defaults, or pass -e.', source: loc });
          names.add(root); // report each name once
        }
      }
    };
    checkPlay(play, check);
  }
  if (diags.length) throw new UserError(diags);
}

function checkPlay(play: Play, check: (value: unknown, loc: SourceLoc) => void): void {
  const visit = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      check(n.vars, n.loc);
      if (n.kind === 'block') [n.block, n.rescue, n.always].forEach(visit);
      else {
        check(n.args, n.loc);
        check(n.loop, n.loc);
      }
    }
  };
  check(play.vars, play.loc);
  play.sections.forEach((s) => visit(s.tasks));
  visit(play.handlers);
}
