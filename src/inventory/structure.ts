import type { Diagnostic } from '../errors/diagnostic.js';
import type { ParsedHosts } from './parse-hosts.js';
import type { InventoryGroup } from './types.js';

/**
 * The group graph once the file is read: `ungrouped` filled, cycles
 * refused, depths computed, and each group's full host list (its own hosts
 * and its descendants') in inventory order.
 */
export interface Structure {
  /** every host of a group, descendants included, in inventory order */
  groupHosts: Map<string, string[]>;
  /** every group a host belongs to (ancestors of its own groups, `all` included), least specific first */
  hostGroups: Map<string, string[]>;
}

function addUngrouped(parsed: ParsedHosts): void {
  const all = parsed.groups.get('all')!;
  let ungrouped = parsed.groups.get('ungrouped');
  if (!ungrouped) {
    ungrouped = { name: 'ungrouped', hosts: [], children: [], parents: [], depth: 1, varMaps: [] };
    parsed.groups.set('ungrouped', ungrouped);
  }
  if (!all.children.includes('ungrouped')) all.children.push('ungrouped');
  if (!ungrouped.parents.includes('all')) ungrouped.parents.push('all');
  for (const h of parsed.hosts.values()) {
    if (h.groups.every((g) => g === 'all' || g === 'ungrouped') && !ungrouped.hosts.includes(h.name)) {
      ungrouped.hosts.push(h.name);
      if (!h.groups.includes('ungrouped')) h.groups.push('ungrouped');
    }
  }
}

/** A group that is its own ancestor makes "hosts of a group" infinite: refuse it where the loop closes. */
function findCycles(parsed: ParsedHosts, diags: Diagnostic[]): boolean {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  let found = false;
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    for (const child of parsed.groups.get(name)?.children ?? []) {
      if (state.get(child) === 'open') {
        const loop = [...stack.slice(stack.indexOf(child)), child].join(' > ');
        diags.push({ severity: 'error', summary: `group "${child}" is its own ancestor (${loop})`, detail: 'Remove one of these "children:" entries: a group cannot contain itself.', source: parsed.edgeLocs.get(`${name}>${child}`) });
        found = true;
      } else if (!state.has(child)) {
        visit(child);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  visit('all');
  for (const name of parsed.groups.keys()) if (!state.has(name)) visit(name);
  return found;
}

function computeDepths(groups: Map<string, InventoryGroup>): void {
  const depth = (name: string): number => {
    const g = groups.get(name)!;
    if (name === 'all') return 0;
    if (g.depth > 0) return g.depth;
    g.depth = 1 + Math.max(0, ...g.parents.map(depth));
    return g.depth;
  };
  for (const name of groups.keys()) depth(name);
}

/** Group priority as Ansible sorts it: depth, then `ansible_group_priority`, then name. */
function priorityOf(g: InventoryGroup): number {
  for (const m of [...g.varMaps].reverse()) {
    const p = m.ansible_group_priority ?? m.rosey_group_priority;
    if (typeof p === 'number') return p;
  }
  return 1;
}

/**
 * Names compared as Python compares strings (by code point; UTF-16 units
 * differ only for characters beyond U+FFFF), as
 * Ansible sorts groups: "B" before "a". Not localeCompare, which puts "a"
 * first, so the other group's variables won.
 */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildStructure(parsed: ParsedHosts, diags: Diagnostic[]): Structure | undefined {
  addUngrouped(parsed);
  if (findCycles(parsed, diags)) return undefined;
  computeDepths(parsed.groups);
  const order = new Map([...parsed.hosts.keys()].map((h, i) => [h, i]));
  const groupHosts = new Map<string, string[]>();
  const collect = (name: string): Set<string> => {
    const g = parsed.groups.get(name)!;
    const set = new Set(g.hosts);
    for (const c of g.children) for (const h of collect(c)) set.add(h);
    return set;
  };
  for (const name of parsed.groups.keys()) {
    const hosts = name === 'all' ? [...parsed.hosts.keys()] : [...collect(name)];
    groupHosts.set(name, hosts.sort((a, b) => order.get(a)! - order.get(b)!));
  }
  const sets = new Map([...groupHosts].map(([g, hs]) => [g, new Set(hs)]));
  const hostGroups = new Map<string, string[]>();
  const sorted = [...parsed.groups.values()].sort((a, b) => a.depth - b.depth || priorityOf(a) - priorityOf(b) || byCodePoint(a.name, b.name));
  for (const h of parsed.hosts.keys()) {
    hostGroups.set(h, sorted.filter((g) => sets.get(g.name)!.has(h)).map((g) => g.name));
  }
  return { groupHosts, hostGroups };
}
