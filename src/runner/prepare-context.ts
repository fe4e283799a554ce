import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors/diagnostic.js';
import type { PrepareContext } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import { renderString } from '../vars/template.js';
import type { Vars } from './scope.js';

/**
 * Where a relative `src` is looked for, as Ansible does: the role's files/
 * (or templates/), then the playbook's files/ (templates/), then beside the
 * playbook.
 */
export function sourceCandidates(src: string, kind: 'files' | 'templates', task: Task, playDir: string): string[] {
  if (isAbsolute(src)) return [src];
  const dirs = [task.role ? join(task.role.dir, kind) : undefined, task.role?.dir, join(playDir, kind), playDir];
  return [...new Set(dirs.filter((d): d is string => Boolean(d)).map((d) => join(d, src)))];
}

export function prepareContext(task: Task, scope: Vars, playDir: string): PrepareContext {
  return {
    resolveSource(src, kind) {
      const candidates = sourceCandidates(src, kind, task, playDir);
      const found = candidates.find((c) => existsSync(c));
      if (!found) {
        throw new UserError({ severity: 'error', summary: `${kind === 'templates' ? 'template' : 'file'} "${src}" not found`, detail: `Looked in: ${candidates.join(', ')}`, source: task.loc });
      }
      return found;
    },
    render: (text, sourceName) => renderString(text, scope, { file: sourceName, line: 1, column: 1 }),
  };
}
