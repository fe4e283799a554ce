import { createHash } from 'node:crypto';
import { userError } from '../errors/diagnostic.js';
import type { Inventory } from '../inventory/types.js';
import type { Playbook } from '../playbook/types.js';

/** `--shard I/N`: this process applies part I (1-based) of N. */
export interface Shard {
  index: number;
  count: number;
}

/** What the run record keeps so a history can show the N shard runs as one. */
export interface ShardInfo extends Shard {
  /** equal for the N shards of one run: from ROSEY_SHARD_GROUP, else the CI run, else the shard's own inputs */
  group: string;
  /** how many hosts this shard got */
  hosts: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw userError(`--shard "${text}" is not I/N with 1 <= I <= N`, undefined, 'For example --shard 2/4 applies the second of four parts of the selected hosts.');
  }
  return { index, count };
}

/**
 * The hosts of shard I/N: every host any play selects (after --limit), sorted
 * by name, every N-th from position I-1. The split depends only on the names
 * and N, never on the inventory's order or the machine, so N jobs that run
 * the same command with I = 1..N cover every host exactly once.
 */
export function shardHosts(selected: Iterable<string>, shard: Shard): string[] {
  const names = [...new Set(selected)].sort();
  return names.filter((_, i) => i % shard.count === shard.index - 1);
}

/** An inventory that selects only this shard's hosts: every play then works on its part of the fleet. */
export function shardInventory(inventory: Inventory, playbook: Playbook, limit: string | undefined, shard: Shard): { inventory: Inventory; hosts: string[] } {
  const all = playbook.plays.flatMap((p) => inventory.selectHosts(p.hosts, limit));
  const mine = new Set(shardHosts(all, shard));
  return {
    inventory: { ...inventory, selectHosts: (pattern, lim, loc) => inventory.selectHosts(pattern, lim, loc).filter((h) => mine.has(h)) },
    hosts: [...mine],
  };
}

/**
 * The id the shards of one run share: ROSEY_SHARD_GROUP or the CI run (see
 * env.ts), else a hash of what the N shard commands have in common, which
 * is the same for all of them but also for a later run of the same command.
 */
export function shardGroup(fromEnv: string | undefined, playbook: string, inventory: string, count: number): string {
  return fromEnv ?? createHash('sha256').update(`${playbook}\n${inventory}\n${count}`).digest('hex').slice(0, 12);
}
