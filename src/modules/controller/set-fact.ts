import { Type } from '@sinclair/typebox';
import { defineControllerModule, type ControllerResult } from '../types.js';

export const SetFactArgs = Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Unknown(), {
  description: 'Each key becomes a host variable with that value. `cacheable` is accepted and ignored.',
  minProperties: 1,
});

export const setFact = defineControllerModule({
  name: 'set_fact',
  defines: (args) => Object.keys(args).filter((k) => k !== 'cacheable'),
  description: 'Set host variables for the rest of the run (above every variable source but -e).',
  args: SetFactArgs,
  run(args): ControllerResult {
    const { cacheable: _cacheable, ...facts } = args;
    return { setFacts: facts, data: { ansible_facts: facts } };
  },
});
