import { userError } from '../errors/diagnostic.js';
import type { Task } from '../playbook/types.js';
import { renderValue } from '../vars/template.js';
import type { Vars } from './scope.js';

/**
 * `retries` and `delay` as numbers for this host: a template
 * (`retries: "{{ bot_startup_timeout }}"`) is rendered in the host's scope,
 * so each environment sets its own patience. Anything but a number >= 0
 * (an integer for retries) is an error at the task's location.
 */
export function retryNumbers(task: Task, scope: Vars): { retries: number; delayS: number } {
  return { retries: count(task, 'retries', task.retries, scope, true), delayS: count(task, 'delay', task.delayS, scope, false) };
}

function count(task: Task, key: string, raw: number | string, scope: Vars, integer: boolean): number {
  const value = typeof raw === 'number' ? raw : renderValue(raw, scope, task.loc);
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw userError(`${key}: ${JSON.stringify(raw)} is ${JSON.stringify(value)}, not ${integer ? 'an integer' : 'a number'} >= 0`, task.loc);
  }
  return n;
}
