import type { Change } from '../modules/types.js';
import { changeBody } from './diff.js';

/** One planned or made change, where it happens. */
export interface ChangeAt {
  host: string;
  /** the loop item's label, for a task with a loop */
  item?: string;
  change: Change;
}

/** Changes with the same body (the same diff), wherever they happen: printed once. */
export interface ChangeGroup {
  body: string[];
  hosts: string[];
  items: string[];
  /** the paths (or summaries, for changes without a path) the body applies to */
  targets: string[];
  count: number;
}

function addOnce(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

/**
 * Group changes by their body: one template line changed in a 12-item loop
 * on 3 hosts is one group of 36 changes, naming the hosts and paths, not 36
 * diffs. The file header is left out of the key on purpose: the same edit
 * to /etc/bot/a.json and /etc/bot/b.json is the same change to review.
 */
export function groupChanges(entries: readonly ChangeAt[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const e of entries) {
    const body = changeBody(e.change);
    const key = `${e.change.action}\n${body.join('\n')}`;
    let g = groups.get(key);
    if (!g) {
      g = { body, hosts: [], items: [], targets: [], count: 0 };
      groups.set(key, g);
    }
    g.count++;
    addOnce(g.hosts, e.host);
    addOnce(g.items, e.item);
    addOnce(g.targets, e.change.path ?? e.change.summary);
  }
  // hosts by name (they report in the order they answered), host10 after host9
  for (const g of groups.values()) g.hosts.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return [...groups.values()];
}

/** "a, b, c, … (+9)": a list that stays one line. */
export function shortList(values: readonly string[], max = 4): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown}, … (+${values.length - max})` : shown;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one line before a task's diffs: how many changes, where, how many distinct. */
export function taskSummary(title: string, entries: readonly ChangeAt[], groups: readonly ChangeGroup[], check: boolean): string {
  const hosts = new Set(entries.map((e) => e.host)).size;
  const items = new Set(entries.flatMap((e) => (e.item === undefined ? [] : [e.item]))).size;
  const where = [plural(hosts, 'host'), ...(items ? [plural(items, 'item')] : [])].join(', ');
  return `DIFF [${title}]: ${plural(entries.length, 'change')} ${check ? 'would be made' : 'made'} on ${where}; ${plural(groups.length, 'distinct diff')}`;
}

/** A group's header: the verb, the hosts, the paths, the items. */
export function groupHeader(g: ChangeGroup, check: boolean): string {
  const verb = check ? 'would change' : 'changed';
  const hosts = g.hosts.length === 1 ? `[${g.hosts[0]}]` : `${g.hosts.length} hosts [${shortList(g.hosts)}]`;
  const targets = g.targets.length === 1 ? g.targets[0]! : `${g.targets.length} paths: ${shortList(g.targets)}`;
  const items = g.items.length > 1 ? ` (${g.items.length} items)` : g.items.length === 1 ? ` (item=${g.items[0]})` : '';
  return `${verb} on ${hosts}: ${targets}${items}`;
}

/** A task's grouped diffs as text: the summary line when there is more than one change, then each group once. */
export function formatGroups(title: string, entries: readonly ChangeAt[], check: boolean): string[] {
  if (entries.length === 0) return [];
  const groups = groupChanges(entries);
  const head = entries.length > 1 ? [taskSummary(title, entries, groups, check)] : [];
  return [...head, ...groups.flatMap((g) => [`--- ${groupHeader(g, check)}`, ...g.body])];
}
