import { describe, expect, it } from 'vitest';
import { explainVar, mergeVars, PRECEDENCE, varOrigin, type VarLayer } from '../../../src/vars/merge.js';
import { parseYaml } from '../../../src/yaml/source.js';

const layer = (name: string, vars: Record<string, unknown>): VarLayer => ({ name, vars });

describe('mergeVars', () => {
  it('applies the documented precedence: a later layer wins', () => {
    const layers = PRECEDENCE.map((name, i) => layer(name, { who: name, [`only_${i}`]: i }));
    const merged = mergeVars(layers);
    expect(merged.who).toBe('extra vars');
    expect(merged.only_0).toBe(0);
    expect(PRECEDENCE).toEqual([
      'role defaults', 'inventory all', 'inventory group', 'inventory host', 'facts', 'play vars', 'vars_files',
      'role vars', 'block vars', 'task vars', 'registered/set_fact', 'extra vars',
    ]);
  });

  it('replaces a dict whole instead of deep-merging it, as Ansible does', () => {
    const merged = mergeVars([layer('group', { app: { port: 2, host: 'x' } }), layer('host', { app: { port: 1 } })]);
    expect(merged.app).toEqual({ port: 1 });
  });

  it('does not modify its inputs', () => {
    const a = { x: 1 };
    mergeVars([layer('a', a), layer('b', { x: 2 })]);
    expect(a).toEqual({ x: 1 });
  });

  it('says where each value comes from', () => {
    const play = parseYaml('app_port: 8001\n', 'site.yml') as Record<string, unknown>;
    const layers = [layer('group_vars/all.yml', { app_port: 8000, x: 1 }), layer('play vars', play)];
    const merged = mergeVars(layers);
    expect(varOrigin(merged, 'app_port')).toEqual({ layer: 'play vars', source: { file: 'site.yml', line: 1, column: 11 } });
    expect(varOrigin(merged, 'x')).toEqual({ layer: 'group_vars/all.yml', source: undefined });
    expect(explainVar(layers, 'app_port').map((o) => [o.layer, o.value])).toEqual([['group_vars/all.yml', 8000], ['play vars', 8001]]);
  });
});
